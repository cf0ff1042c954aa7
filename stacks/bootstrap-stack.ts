import { Construct } from 'constructs';
import { LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA as S3BucketVersioning } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { AppConfig, defaultTags } from '../config';
import { BackendSettings } from '../modules/remote-state';
import { CDKTF_TERRAFORM_FLOOR, TerraformFloors } from './base-stack';

export interface BootstrapStackProps {
  /** Only the tags (as default_tags, with env "shared"): the bucket and table serve every environment. */
  readonly config: Pick<AppConfig, 'environment' | 'appName' | 'tags'>;
  /** The bucket and lock table to create: the values of terraform-backend.hcl. */
  readonly backend: BackendSettings;
}

/**
 * The state bucket and lock table every other stack's S3 backend needs, created once before the first deploy.
 * Its own state is local (a stack cannot keep its state in a bucket it creates); keep `terraform.bootstrap.tfstate`
 * safe, or import the two resources later. Shared by all environments.
 */
export class BootstrapStack extends TerraformStack {
  readonly bucket: S3Bucket;
  readonly lockTable?: DynamodbTable;

  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id);
    const { config, backend } = props;
    new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    // Local state and plain resources: nothing newer than what cdktf's output itself needs.
    new TerraformFloors(this).require(CDKTF_TERRAFORM_FLOOR, 'cdktf 0.21 output');
    new AwsProvider(this, 'aws', {
      region: backend.region,
      defaultTags: [{ tags: { ...defaultTags(config), env: 'shared' } }],
    });

    this.bucket = new S3Bucket(this, 'state-bucket', { bucket: backend.bucket });
    new S3BucketOwnershipControls(this, 'state-bucket-ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    // Versioning is what makes a corrupted or deleted state recoverable.
    new S3BucketVersioning(this, 'state-bucket-versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketServerSideEncryptionConfiguration(this, 'state-bucket-encryption', {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: backend.kmsKeyId
            ? { sseAlgorithm: 'aws:kms', kmsMasterKeyId: backend.kmsKeyId }
            : { sseAlgorithm: 'AES256' },
          bucketKeyEnabled: backend.kmsKeyId ? true : undefined,
        },
      ],
    });
    new S3BucketPublicAccessBlock(this, 'state-bucket-public-access', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const tlsOnly = new DataAwsIamPolicyDocument(this, 'state-bucket-tls-only', {
      statement: [
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          actions: ['s3:*'],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          principals: [{ type: '*', identifiers: ['*'] }],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    new S3BucketPolicy(this, 'state-bucket-policy', { bucket: this.bucket.id, policy: tlsOnly.json });

    if (backend.dynamodbTable) {
      this.lockTable = new DynamodbTable(this, 'lock-table', {
        name: backend.dynamodbTable,
        billingMode: 'PAY_PER_REQUEST',
        // The S3 backend's lock table schema: a string hash key named LockID.
        hashKey: 'LockID',
        attribute: [{ name: 'LockID', type: 'S' }],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
      });
      new TerraformOutput(this, 'lock_table_name', { value: this.lockTable.name });
    }
    new TerraformOutput(this, 'state_bucket', { value: this.bucket.bucket });
  }
}
