/**
 * Amazon Bedrock model invocation logging (observability.bedrockInvocationLogging): Bedrock's own record of every
 * model call in the account and region, to CloudWatch Logs and/or S3, independent of LiteLLM. Self-contained: the
 * caller passes names and the account context; everything this needs is created here, under ids that start with
 * `invocation-log`.
 *
 * Sources: Amazon Bedrock User Guide, "Monitor model invocation using CloudWatch Logs and Amazon S3" (bucket policy,
 * CloudWatch Logs role and its trust conditions); CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs
 * using AWS KMS" (key policy with the kms:EncryptionContext:aws:logs:arn condition).
 *
 * ONE setting per account and region: a second environment enabling it in the same account and region overwrites it.
 */
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { BedrockModelInvocationLoggingConfiguration } from '@cdktf/provider-aws/lib/bedrock-model-invocation-logging-configuration';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryption } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA as S3BucketVersioning } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import type { InvocationLoggingConfig } from '../../config/invocation-logging';
import { createServiceRole } from '../service-role';

/** The log stream Bedrock writes to in the log group (Bedrock User Guide, CloudWatch Logs destination). */
export const INVOCATION_LOG_STREAM = 'aws/bedrock/modelinvocations';

/** The account administers the key (no `kms:*`: the policy pack refuses wildcard actions) but cannot decrypt. */
const KEY_ADMIN_ACTIONS = [
  'kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*',
  'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

export interface InvocationLoggingProps {
  readonly config: InvocationLoggingConfig;
  readonly region: string;
  readonly logGroupName: string;
  readonly roleName: string;
  /** Prefix of the bucket name; `-<account id>` is appended, as bucket names are global. */
  readonly bucketNamePrefix: string;
  /** `alias/...` of the log group's key. */
  readonly keyAlias: string;
  /** Let `terraform destroy` delete the bucket with its logs in it. */
  readonly forceDestroy: boolean;
  readonly description: string;
  readonly accountId: string;
  readonly partition: string;
}

export interface InvocationLogging {
  readonly configuration: BedrockModelInvocationLoggingConfiguration;
  readonly logGroup?: CloudwatchLogGroup;
  readonly key?: KmsKey;
  readonly role?: IamRole;
  readonly bucket?: S3Bucket;
}

export function createInvocationLogging(scope: Construct, props: InvocationLoggingProps): InvocationLogging {
  const { config, region } = props;
  const { accountId: account, partition } = props;
  const root = `arn:${partition}:iam::${account}:root`;
  // Bedrock acting for this account only, from this region (confused-deputy guard).
  const bedrockSource = [
    { test: 'StringEquals', variable: 'aws:SourceAccount', values: [account] },
    { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${partition}:bedrock:${region}:${account}:*`] },
  ];
  const dependsOn: ITerraformDependable[] = [];
  const result: { logGroup?: CloudwatchLogGroup; key?: KmsKey; role?: IamRole; bucket?: S3Bucket } = {};
  let cloudwatchConfig: { logGroupName: string; roleArn: string } | undefined;
  let s3Config: { bucketName: string; keyPrefix: string } | undefined;

  if (config.cloudwatch.enabled) {
    // Built from the name, not the resource: the key policy must exist before the group it encrypts.
    const logGroupArn = `arn:${partition}:logs:${region}:${account}:log-group:${props.logGroupName}`;
    const keyPolicy = new DataAwsIamPolicyDocument(scope, 'invocation-log-key-policy', {
      statement: [
        { sid: 'AccountAdministersKey', principals: [{ type: 'AWS', identifiers: [root] }], actions: KEY_ADMIN_ACTIONS, resources: ['*'] },
        {
          sid: 'CloudWatchLogsEncryptsThisGroup',
          principals: [{ type: 'Service', identifiers: [`logs.${region}.amazonaws.com`] }],
          actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          resources: ['*'],
          condition: [{ test: 'ArnEquals', variable: 'kms:EncryptionContext:aws:logs:arn', values: [logGroupArn] }],
        },
      ],
    });
    const key = new KmsKey(scope, 'invocation-log-key', {
      description: `Encrypts the Bedrock model invocation logs of ${props.description}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: keyPolicy.json,
    });
    new KmsAlias(scope, 'invocation-log-key-alias', { name: props.keyAlias, targetKeyId: key.keyId });
    const logGroup = new CloudwatchLogGroup(scope, 'invocation-log-group', {
      name: props.logGroupName,
      retentionInDays: config.cloudwatch.retentionDays,
      kmsKeyId: key.arn,
    });
    const { role, policy } = createServiceRole(scope, {
      ids: { trust: 'invocation-log-role-trust', role: 'invocation-log-role', document: 'invocation-log-role-permissions', policy: 'invocation-log-role-policy' },
      name: props.roleName,
      description: 'Amazon Bedrock delivers model invocation logs to the gateway account log group',
      trust: [
        { effect: 'Allow', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['bedrock.amazonaws.com'] }], condition: bedrockSource },
      ],
      statements: [
        {
          sid: 'DeliverInvocationLogs',
          effect: 'Allow',
          // The Bedrock guide grants both on the one stream Bedrock writes, the log-stream type both actions take in
          // the Service Authorization Reference (list_amazoncloudwatchlogs.html): the bare group would grant nothing.
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [`${logGroup.arn}:log-stream:${INVOCATION_LOG_STREAM}`],
        },
      ],
      policyName: 'deliver-invocation-logs',
    });
    dependsOn.push(policy);
    cloudwatchConfig = { logGroupName: logGroup.name, roleArn: role.arn };
    Object.assign(result, { logGroup, key, role });
  }

  if (config.s3.enabled) {
    const bucket = new S3Bucket(scope, 'invocation-log-bucket', { bucket: `${props.bucketNamePrefix}-${account}`, forceDestroy: props.forceDestroy });
    new S3BucketOwnershipControls(scope, 'invocation-log-bucket-ownership', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketVersioning(scope, 'invocation-log-bucket-versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
    // SSE-S3: Bedrock writes with its service principal; SSE-KMS would also need the key policy to admit it.
    new S3BucketServerSideEncryption(scope, 'invocation-log-bucket-encryption', {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    new S3BucketPublicAccessBlock(scope, 'invocation-log-bucket-public-access', {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const days = config.s3.expirationDays;
    new S3BucketLifecycleConfiguration(scope, 'invocation-log-bucket-lifecycle', {
      bucket: bucket.id,
      rule: [
        {
          id: 'expire-invocation-logs',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ days }],
          noncurrentVersionExpiration: [{ noncurrentDays: days }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    const prefix = config.s3.keyPrefix;
    const bucketPolicy = new DataAwsIamPolicyDocument(scope, 'invocation-log-bucket-policy-document', {
      statement: [
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          actions: ['s3:*'],
          resources: [bucket.arn, `${bucket.arn}/*`],
          principals: [{ type: '*', identifiers: ['*'] }],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
        {
          sid: 'AmazonBedrockLogsWrite',
          effect: 'Allow',
          actions: ['s3:PutObject'],
          resources: [`${bucket.arn}/${prefix}/AWSLogs/${account}/BedrockModelInvocationLogs/*`],
          principals: [{ type: 'Service', identifiers: ['bedrock.amazonaws.com'] }],
          condition: bedrockSource,
        },
      ],
    });
    dependsOn.push(new S3BucketPolicy(scope, 'invocation-log-bucket-policy', { bucket: bucket.id, policy: bucketPolicy.json }));
    s3Config = { bucketName: bucket.bucket, keyPrefix: prefix };
    result.bucket = bucket;
  }

  // Bedrock checks the destinations when the setting is written: the role's policy and the bucket policy first.
  const configuration = new BedrockModelInvocationLoggingConfiguration(scope, 'invocation-logging', {
    loggingConfig: {
      textDataDeliveryEnabled: config.textData,
      imageDataDeliveryEnabled: config.imageData,
      embeddingDataDeliveryEnabled: config.embeddingData,
      videoDataDeliveryEnabled: config.videoData,
      ...(cloudwatchConfig ? { cloudwatchConfig } : {}),
      ...(s3Config ? { s3Config } : {}),
    },
    dependsOn,
  });
  return { configuration, ...result };
}
