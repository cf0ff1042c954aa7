/**
 * The SNS topic every alarm (and AWS Budgets) notifies, encrypted with a customer managed key whose policy admits
 * the publishers, and its e-mail subscriptions.
 */
import { Construct } from 'constructs';
import { TerraformResource } from 'cdktf';
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { slug } from './metrics';

export interface AlarmTopicProps {
  /** Topic name, e.g. `<app>-<env>-alarms`; the key's alias is `alias/<name>`. */
  readonly name: string;
  readonly displayName: string;
  /** The key's description. */
  readonly keyDescription: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  /** Each address gets an e-mail subscription, pending until its recipient confirms. @default [] */
  readonly emails?: readonly string[];
  /** More key policy statements, e.g. AWS Budgets' (modules/observability/budgets.ts). @default [] */
  readonly extraKeyStatements?: readonly DataAwsIamPolicyDocumentStatement[];
}

const KEY_ADMIN_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

/**
 * CloudWatch cannot publish to a topic encrypted with the AWS managed key alias/aws/sns: that key's policy is fixed
 * and does not admit cloudwatch.amazonaws.com, so alarms would fire and deliver nothing (SNS developer guide,
 * "compatibility between event sources from AWS services and encrypted topics"). Hence a customer managed key whose
 * policy admits CloudWatch. Its resources keep the addresses they had as part of the stack (`aws_sns_topic.alarm-topic`,
 * `aws_kms_key.alarm-topic-key`, ...): a construct path would otherwise prefix them and replace the topic.
 */
export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;
  readonly key: KmsKey;
  readonly subscriptions: readonly SnsTopicSubscription[];

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const pin = <T extends TerraformResource | DataAwsIamPolicyDocument>(resource: T, logicalId: string): T => {
      resource.overrideLogicalId(logicalId);
      return resource;
    };
    const root = `arn:${props.partition}:iam::${props.accountId}:root`;
    // In a key policy, resource "*" means this key.
    const keyPolicy = pin(
      new DataAwsIamPolicyDocument(this, 'key-policy', {
        statement: [
          { sid: 'AccountAdministersKey', principals: [{ type: 'AWS', identifiers: [root] }], actions: KEY_ADMIN_ACTIONS, resources: ['*'] },
          {
            // Lets operators publish a test notification (aws sns publish) with their IAM permissions.
            sid: 'AccountPublishesThroughSns',
            principals: [{ type: 'AWS', identifiers: [root] }],
            actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            resources: ['*'],
            condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`sns.${props.region}.amazonaws.com`] }],
          },
          {
            sid: 'CloudWatchAlarmsPublish',
            principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
            actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            resources: ['*'],
            condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.accountId] }],
          },
          ...(props.extraKeyStatements ?? []),
        ],
      }),
      `${id}-key-policy`,
    );
    this.key = pin(
      new KmsKey(this, 'key', {
        description: props.keyDescription,
        enableKeyRotation: true,
        deletionWindowInDays: 7,
        policy: keyPolicy.json,
      }),
      `${id}-key`,
    );
    pin(new KmsAlias(this, 'key-alias', { name: `alias/${props.name}`, targetKeyId: this.key.keyId }), `${id}-key-alias`);
    this.topic = pin(new SnsTopic(this, 'topic', { name: props.name, displayName: props.displayName, kmsMasterKeyId: this.key.arn }), id);
    // Pending until the recipient confirms the e-mail SNS sends.
    this.subscriptions = (props.emails ?? []).map((email) =>
      pin(new SnsTopicSubscription(this, `email-${slug(email)}`, { topicArn: this.topic.arn, protocol: 'email', endpoint: email }), `alarm-email-${slug(email)}`),
    );
  }
}
