import { ConfigIssue, ObjectSpecOf, Mandatory, defaultsOf } from './schema';

/**
 * Where each stack keeps its Terraform state, chosen by the runner that applies the output (docs/runners.md):
 * - `s3` (default): the S3 backend with the values of `terraform-backend.hcl`, one key per stack, plus the
 *   `bootstrap` stack that creates the bucket. For the cdktf CLI, plain Terraform and Atlantis.
 * - `cloud`: HCP Terraform (or Terraform Enterprise). Every stack gets a `terraform { cloud { ... } }` block naming
 *   its own workspace, and reads other stacks' outputs with `terraform_remote_state` backend `remote`. HCP Terraform
 *   ignores any S3 backend in remote runs and keeps state in the workspace, so S3 reads would find nothing.
 */
export const STATE_KINDS = ['s3', 'cloud'] as const;
export type StateKind = (typeof STATE_KINDS)[number];

export interface S3StateConfig {
  readonly kind: 's3';
}

export interface CloudStateConfig {
  readonly kind: 'cloud';
  /** HCP Terraform organization that holds the workspaces. */
  readonly organization: string;
  /** Project the workspaces belong to. @default - the organization's default project */
  readonly project?: string;
  /** HCP Terraform or Terraform Enterprise host. @default - app.terraform.io (what Terraform assumes when unset) */
  readonly hostname?: string;
  /**
   * Prefix of every workspace name: a stack's workspace is `<workspacePrefix><stack>`, e.g.
   * `document-processing-dev-networking`. @default - '<appName>-'
   */
  readonly workspacePrefix?: string;
}

export type StateConfig = S3StateConfig | CloudStateConfig;

// HCP Terraform's Workspaces and Organizations APIs: names "can only include letters, numbers, -, and _".
const HCP_NAME = /^[A-Za-z0-9_-]+$/;

export const stateSpec: Mandatory<ObjectSpecOf<StateConfig>> = {
  kind: 'object',
  fields: {
    kind: {
      kind: 'string',
      allowed: STATE_KINDS,
      default: 's3',
      doc: '`s3`: the S3 backend of terraform-backend.hcl plus the bootstrap stack; `cloud`: HCP Terraform workspaces (docs/runners.md)',
    },
    organization: {
      kind: 'string',
      optional: true,
      pattern: HCP_NAME,
      describe: 'an HCP Terraform organization name (letters, digits, - and _)',
      doc: 'HCP Terraform organization; required with `cloud`, refused with `s3`',
    },
    project: {
      kind: 'string',
      optional: true,
      pattern: /^[A-Za-z0-9_-][A-Za-z0-9 _-]*$/,
      describe: 'an HCP Terraform project name (letters, digits, spaces, - and _)',
      doc: 'HCP Terraform project (`cloud` only); default the organization\'s default project',
    },
    hostname: {
      kind: 'string',
      optional: true,
      pattern: /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(:\d{1,5})?$/,
      describe: 'a host name like app.terraform.io or tfe.example.com (no scheme, no path)',
      doc: 'HCP Terraform or Terraform Enterprise host (`cloud` only); default app.terraform.io',
    },
    workspacePrefix: {
      kind: 'string',
      optional: true,
      pattern: /^[A-Za-z0-9_-]{1,60}$/,
      describe: 'letters, digits, - and _ (1-60 characters), e.g. "llm-gateway-"',
      doc: 'Workspace name prefix (`cloud` only): `<workspacePrefix><stack>`; default `<appName>-`',
    },
  },
};

export const stateDefaults: StateConfig = defaultsOf<StateConfig>(stateSpec) as StateConfig;

const CLOUD_ONLY = ['organization', 'project', 'hostname', 'workspacePrefix'] as const;

/** Cross-field rules of `state`, and what `cloud` asks of the rest of the configuration. */
export function checkState(state: StateConfig, imageMode: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const raw = state as unknown as Record<string, unknown>;
  if (state.kind === 's3') {
    for (const key of CLOUD_ONLY) {
      if (raw[key] !== undefined) {
        issues.push({ path: `state.${key}`, value: raw[key], allowed: 'nothing when state.kind is "s3" (it applies to "cloud" only)' });
      }
    }
    return issues;
  }
  if (state.organization === undefined) {
    issues.push({ path: 'state.organization', value: undefined, allowed: 'an HCP Terraform organization name (required when state.kind is "cloud")' });
  }
  if (imageMode === 'build') {
    issues.push({
      path: 'gateway.image.mode',
      value: imageMode,
      allowed:
        '"prebuilt" when state.kind is "cloud": HCP Terraform runs plan and apply on its own workers, which have no ' +
        'Docker daemon for the docker provider to build gateway-image/ with (and the build context is a path on the ' +
        'machine that synthesized). Build and push the image in CI, then set gateway.image.mode "prebuilt" and ' +
        'gateway.image.uri',
    });
  }
  return issues;
}

/** The HCP Terraform workspace of a stack: `<workspacePrefix><stack>`, stable as long as the stack's name is. */
export function cloudWorkspaceName(state: CloudStateConfig, appName: string, stack: string): string {
  return `${state.workspacePrefix ?? `${appName}-`}${stack}`;
}
