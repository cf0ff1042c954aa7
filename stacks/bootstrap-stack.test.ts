import { Testing } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { loadConfig } from '../config';
import { BackendSettings } from '../modules/remote-state';
import { BootstrapStack } from './bootstrap-stack';
import { synthStack } from '../test/helpers';

const backend: BackendSettings = { bucket: 'org-tfstate', region: 'us-east-1', encrypt: true, dynamodbTable: 'org-tflock', useLockfile: true };

function synth(settings: BackendSettings = backend) {
  const stack = new BootstrapStack(Testing.app(), 'bootstrap', { config: loadConfig({ environment: 'dev' }), backend: settings });
  return synthStack(stack);
}

describe('bootstrap stack', () => {
  const { text, json } = synth();

  test('keeps its own state locally, in the project root', () => {
    expect(json.terraform.backend).toEqual({ local: { path: '../../../terraform.bootstrap.tfstate' } });
  });

  test('creates the bucket named in terraform-backend.hcl, versioned and encrypted', () => {
    expect(json.resource.aws_s3_bucket['state-bucket'].bucket).toBe('org-tfstate');
    expect(json.resource.aws_s3_bucket_versioning['state-bucket-versioning'].versioning_configuration).toEqual({ status: 'Enabled' });
    expect(json.resource.aws_s3_bucket_server_side_encryption_configuration['state-bucket-encryption'].rule[0].apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: 'AES256',
    });
  });

  test('uses the KMS key of the backend settings when one is given', () => {
    const kms = synth({ ...backend, kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/abc' }).json;
    expect(kms.resource.aws_s3_bucket_server_side_encryption_configuration['state-bucket-encryption'].rule[0]).toEqual({
      apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: 'arn:aws:kms:us-east-1:123456789012:key/abc' },
      bucket_key_enabled: true,
    });
  });

  test('blocks every kind of public access', () => {
    expect(text).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test('denies any request not made over TLS', () => {
    const statement = json.data.aws_iam_policy_document['state-bucket-tls-only'].statement[0];
    expect(statement).toMatchObject({
      effect: 'Deny',
      actions: ['s3:*'],
      resources: ['${aws_s3_bucket.state-bucket.arn}', '${aws_s3_bucket.state-bucket.arn}/*'],
      condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
    });
    expect(json.resource.aws_s3_bucket_policy['state-bucket-policy'].policy).toBe('${data.aws_iam_policy_document.state-bucket-tls-only.json}');
  });

  test('creates the lock table with the LockID key and point-in-time recovery', () => {
    expect(text).toHaveResourceWithProperties(DynamodbTable, {
      name: 'org-tflock',
      hash_key: 'LockID',
      billing_mode: 'PAY_PER_REQUEST',
      attribute: [{ name: 'LockID', type: 'S' }],
      point_in_time_recovery: { enabled: true },
    });
  });

  test('no lock table when the backend uses only use_lockfile', () => {
    const { json: noTable } = synth({ ...backend, dynamodbTable: undefined });
    expect(noTable.resource.aws_dynamodb_table).toBeUndefined();
  });

  test('is tagged as shared between environments', () => {
    expect(json.provider.aws[0].default_tags[0].tags).toEqual({ env: 'shared', application: 'document-processing' });
  });
});
