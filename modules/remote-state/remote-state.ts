import { S3Backend, TerraformStack } from 'cdktf';
import { BackendSettings } from './backend-config';

export interface RemoteStateProps {
  readonly settings: BackendSettings;
  /** Object key of this stack's state, e.g. `document-processing/dev/networking.tfstate`. */
  readonly key: string;
}

/**
 * Puts a stack's state in S3 with encryption and locking. `use_lockfile` has no prop in cdktf 0.21, hence the
 * override (facts: cdktf 0.21).
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
