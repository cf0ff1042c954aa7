import { Construct } from 'constructs';
import { CloudBackend, DataTerraformRemoteStateS3, NamedCloudWorkspace, S3Backend, S3BackendConfig, TerraformRemoteState, TerraformStack } from 'cdktf';
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
  const backend = new LockFreeReadS3Backend(stack, {
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

/**
 * The S3 backend whose cross-stack reads (`terraform_remote_state`, which cdktf builds from the producer's backend)
 * carry no lock settings: reading state takes no lock, and `dynamodb_table` there is deprecated since Terraform 1.11
 * ("The parameter "dynamodb_table" is deprecated", a warning `terraform validate` printed for every consumer stack).
 * The stack's own backend keeps both locks (terraform-backend.hcl).
 */
class LockFreeReadS3Backend extends S3Backend {
  private readonly readConfig: S3BackendConfig;

  constructor(scope: Construct, config: S3BackendConfig) {
    super(scope, config);
    const { dynamodbTable: _lockTable, ...read } = config;
    this.readConfig = read;
  }

  getRemoteStateDataSource(scope: Construct, name: string, _fromStack: string): TerraformRemoteState {
    return new DataTerraformRemoteStateS3(scope, name, { ...this.readConfig, workspace: '${terraform.workspace}' });
  }
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
