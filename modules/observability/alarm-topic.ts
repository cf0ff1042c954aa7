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

export interface AlarmTopic {
  readonly topic: SnsTopic;
  readonly key: KmsKey;
  readonly subscriptions: readonly SnsTopicSubscription[];
}

/** Construct path of the topic's resources and prefix of their addresses (`aws_sns_topic.alarm-topic`). */
export const ALARM_TOPIC_ID = 'alarm-topic';

/**
 * CloudWatch cannot publish to a topic encrypted with the AWS managed key alias/aws/sns: that key's policy is fixed
 * and does not admit cloudwatch.amazonaws.com, so alarms would fire and deliver nothing (SNS developer guide,
 * "compatibility between event sources from AWS services and encrypted topics"). Hence a customer managed key whose
 * policy admits CloudWatch. The resources sit under one node, ALARM_TOPIC_ID, as they always have (the synthesized
 * JSON records each resource's construct path); their addresses are pinned to what they were as part of the stack
 * (`aws_sns_topic.alarm-topic`, `aws_kms_key.alarm-topic-key`, ...), which the node's path would otherwise prefix.
 */
export function createAlarmTopic(scope: Construct, props: AlarmTopicProps): AlarmTopic {
  const id = ALARM_TOPIC_ID;
  const node = new Construct(scope, id);
  const pin = <T extends TerraformResource | DataAwsIamPolicyDocument>(resource: T, logicalId: string): T => {
    resource.overrideLogicalId(logicalId);
    return resource;
  };
  const root = `arn:${props.partition}:iam::${props.accountId}:root`;
  // In a key policy, resource "*" means this key.
  const keyPolicy = pin(
    new DataAwsIamPolicyDocument(node, 'key-policy', {
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
  const key = pin(
    new KmsKey(node, 'key', {
      description: props.keyDescription,
      enableKeyRotation: true,
      deletionWindowInDays: 7,
      policy: keyPolicy.json,
    }),
    `${id}-key`,
  );
  pin(new KmsAlias(node, 'key-alias', { name: `alias/${props.name}`, targetKeyId: key.keyId }), `${id}-key-alias`);
  const topic = pin(new SnsTopic(node, 'topic', { name: props.name, displayName: props.displayName, kmsMasterKeyId: key.arn }), id);
  // Pending until the recipient confirms the e-mail SNS sends.
  const subscriptions = (props.emails ?? []).map((email) =>
    pin(new SnsTopicSubscription(node, `email-${slug(email)}`, { topicArn: topic.arn, protocol: 'email', endpoint: email }), `alarm-email-${slug(email)}`),
  );
  return { topic, key, subscriptions };
}
