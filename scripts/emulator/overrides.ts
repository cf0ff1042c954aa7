/**
 * The emulator's connection settings, added beside each synthesized stack as `emulator_override.tf.json` so that
 * the product's `cdk.tf.json` stays byte for byte what a real deploy uses (Terraform override files:
 * https://developer.hashicorp.com/terraform/language/files/override).
 *
 * Merging rules that shape this file: a provider block merges argument by argument (the product's region and
 * default_tags stay, `endpoints` is added); a `backend` block in an override replaces the original backend block
 * whole, and a data block's `config` argument is replaced whole, so both are written as the original plus the
 * emulator settings.
 */

/** Dummy keys: never real ones, so a mistaken endpoint fails authentication instead of touching AWS. */
export const EMULATOR_CREDENTIALS = { accessKey: 'emulator', secretKey: 'emulator' } as const;

/**
 * Provider `endpoints` keys (hashicorp/aws 5.100.0 names) of every service the stacks use or may use; an unused
 * entry costs nothing, a missing one sends that service's calls to real AWS (where the dummy keys fail).
 */
export const EMULATOR_SERVICES = [
  'acm',
  'applicationautoscaling',
  'budgets',
  'cloudfront',
  'bedrock',
  'cloudwatch',
  'dynamodb',
  'ec2',
  'ecr',
  'ecs',
  'elasticache',
  'elbv2',
  'events',
  'iam',
  'kms',
  'lambda',
  'logs',
  'rds',
  'route53',
  's3',
  'secretsmanager',
  'servicediscovery',
  'sns',
  'sqs',
  'ssm',
  'sts',
  'wafv2',
] as const;

/** The subset of a synthesized stack (`cdk.tf.json`) that the overrides depend on. */
export interface SynthesizedStack {
  readonly terraform?: {
    readonly backend?: Record<string, Record<string, unknown>>;
  };
  readonly provider?: Record<string, readonly Record<string, unknown>[]>;
  readonly data?: {
    readonly terraform_remote_state?: Record<string, { readonly backend?: string; readonly config?: Record<string, unknown> }>;
  };
}

/** Settings the S3 backend and `terraform_remote_state` (backend "s3") need to talk to the emulator. */
export function s3BackendSettings(endpoint: string): Record<string, unknown> {
  return {
    endpoints: { s3: endpoint, dynamodb: endpoint, sts: endpoint, iam: endpoint },
    use_path_style: true,
    access_key: EMULATOR_CREDENTIALS.accessKey,
    secret_key: EMULATOR_CREDENTIALS.secretKey,
    skip_credentials_validation: true,
    // Unlike the provider (docs/emulator.md), the backend never needs the account id.
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
  };
}

/** Settings every `aws` provider block gets. */
export function providerSettings(endpoint: string): Record<string, unknown> {
  return {
    access_key: EMULATOR_CREDENTIALS.accessKey,
    secret_key: EMULATOR_CREDENTIALS.secretKey,
    skip_credentials_validation: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    // Not skip_requesting_account_id: with it the account id is empty and every security-group rule that
    // references another group drifts on each plan (docs/emulator.md).
    s3_use_path_style: true,
    endpoints: [Object.fromEntries(EMULATOR_SERVICES.map((service) => [service, endpoint]))],
  };
}

export interface OverrideOptions {
  /** The emulator, e.g. `http://127.0.0.1:41234`. */
  readonly endpoint: string;
  /** Where a stack with a local backend keeps its state, relative to its working directory. @default 'terraform.tfstate' */
  readonly localStatePath?: string;
}

/**
 * The override document for one synthesized stack: provider endpoints and credentials, the backend (S3: plus the
 * emulator; local: a state file inside the stack's own directory, so that parallel runs never share one), and
 * every S3 `terraform_remote_state` pointed at the emulator too.
 */
export function emulatorOverride(stack: SynthesizedStack, options: OverrideOptions): Record<string, unknown> {
  const { endpoint } = options;
  const out: Record<string, unknown> = {};

  const providers = stack.provider?.aws ?? [];
  // Terraform merges an override's provider block with the product's block of the same alias (the edge stack's
  // us-east-1 provider), so each block is restated with its alias and nothing else of the product's.
  const aliases = providers.map((p) => (typeof p.alias === 'string' ? p.alias : ''));
  const duplicate = aliases.find((a, i) => aliases.indexOf(a) !== i);
  if (duplicate !== undefined) {
    throw new Error(`emulator overrides need one aws provider block per alias, found two ${duplicate ? `with alias ${duplicate}` : 'without an alias'}`);
  }
  if (providers.length > 0) {
    out.provider = { aws: aliases.map((alias) => ({ ...(alias ? { alias } : {}), ...providerSettings(endpoint) })) };
  }

  const backend = stack.terraform?.backend ?? {};
  const [kind, settings] = Object.entries(backend)[0] ?? [];
  if (kind === 's3') {
    out.terraform = { backend: { s3: { ...settings, ...s3BackendSettings(endpoint) } } };
  } else if (kind === 'local') {
    out.terraform = { backend: { local: { path: options.localStatePath ?? 'terraform.tfstate' } } };
  } else if (kind !== undefined) {
    throw new Error(`emulator overrides support the s3 and local backends, found ${kind}`);
  }

  const remoteStates = stack.data?.terraform_remote_state ?? {};
  const overridden: Record<string, unknown> = {};
  for (const [name, block] of Object.entries(remoteStates)) {
    if (block.backend !== 's3') throw new Error(`terraform_remote_state.${name}: backend ${block.backend ?? '(none)'} is not supported by the emulator tier`);
    overridden[name] = { config: { ...block.config, ...s3BackendSettings(endpoint) } };
  }
  if (Object.keys(overridden).length > 0) out.data = { terraform_remote_state: overridden };
  return out;
}

/** The file name Terraform treats as an override (suffix `_override.tf.json`). */
export const OVERRIDE_FILE = 'emulator_override.tf.json';
