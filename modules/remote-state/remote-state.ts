import { CloudBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from 'cdktf';
import { BackendSettings } from './backend-config';

export interface RemoteStateProps {
  readonly settings: BackendSettings;
  /** Object key of this stack's state, e.g. `document-processing/dev/networking.tfstate`. */
  readonly key: string;
}

/**
 * Puts a stack's state in S3 with encryption and locking. `use_lockfile` has no prop in cdktf 0.21, hence the
 * override (docs/design.md#cdktf).
 */
export function useS3Backend(stack: TerraformStack, props: RemoteStateProps): S3Backend {
  const { settings } = props;
  const backend = new S3Backend(stack, {
    bucket: settings.bucket,
    key: props.key,
    region: settings.region,
    encrypt: settings.encrypt,
    dynamodbTable: settings.dynamodbTable,
    kmsKeyId: settings.kmsKeyId,
  });
  if (settings.useLockfile) backend.addOverride('use_lockfile', true);
  return backend;
}

export function stateKey(appName: string, environment: string, stack: string): string {
  return `${appName}/${environment}/${stack}.tfstate`;
}

/** An HCP Terraform (or Terraform Enterprise) workspace that holds one stack's state. */
export interface CloudWorkspaceSettings {
  readonly organization: string;
  /** The workspace: one per stack, so each has its own state, runs, variables and permissions. */
  readonly workspace: string;
  /** @default - the organization's default project */
  readonly project?: string;
  /** @default - app.terraform.io */
  readonly hostname?: string;
}

/**
 * Writes `terraform { cloud { organization, hostname, workspaces { name, project } } }`. Because the workspace is
 * named (not selected by tags), cdktf reads this stack's outputs from other stacks with `terraform_remote_state`
 * backend `remote` and the same organization, hostname and workspace name (cdktf 0.21 `CloudBackend`). The token
 * stays out of the configuration: `terraform login`, or the run's own token in HCP Terraform.
 */
export function useCloudBackend(stack: TerraformStack, settings: CloudWorkspaceSettings): CloudBackend {
  return new CloudBackend(stack, {
    organization: settings.organization,
    hostname: settings.hostname,
    workspaces: new NamedCloudWorkspace(settings.workspace, settings.project),
  });
}
