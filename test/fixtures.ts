/**
 * Fixture outputs of other stacks for unit tests: a stack's test passes these through props instead of
 * synthesizing its producers, so editing one stack breaks only its own tests.
 */
import type { DatabaseOutputs, GatewayOutputs, NetworkOutputs } from '../modules/contracts';

export const PREBUILT_URI = `123456789012.dkr.ecr.us-east-1.amazonaws.com/llm-gateway@sha256:${'0'.repeat(64)}`;
export const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
export const KMS = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
export const secretArn = (n: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${n}-AbCdEf`;

export const NETWORK: NetworkOutputs = {
  vpcId: 'vpc-0123456789abcdef0',
  vpcCidr: '10.0.0.0/16',
  privateSubnetIds: ['subnet-0a', 'subnet-0b'],
  albSecurityGroupId: 'sg-alb',
  ecsSecurityGroupId: 'sg-ecs',
  dbSecurityGroupId: 'sg-db',
};

/** The four gateway secrets, as `database.existingSecrets` takes them and the database stack outputs them. */
export const SECRETS = {
  databaseUrlArn: secretArn('database-url'),
  masterKeyArn: secretArn('master-key'),
  saltKeyArn: secretArn('salt-key'),
  uiCredentialsArn: secretArn('ui-credentials'),
};

export const DATABASE: DatabaseOutputs = {
  secrets: SECRETS,
  clusterEndpoint: 'db.cluster-x.us-east-1.rds.amazonaws.com',
  clusterIdentifier: 'document-processing-dev',
  maxCapacity: 1,
};

/** The gateway stack's outputs as the observability stack's Bedrock and per-agent tests see them. */
export const GATEWAY: GatewayOutputs = {
  logGroupName: '/document-processing/llm-gateway',
  clusterName: 'c',
  serviceName: 's',
  albArnSuffix: 'app/a/1',
  targetGroupArnSuffix: 'targetgroup/t/2',
  serviceUrl: 'http://llm-gateway.document-processing.internal/v1',
  albArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/a/1',
  albDnsName: 'internal-a-1.us-east-1.elb.amazonaws.com',
  taskRoleName: 'document-processing-dev-gateway-task',
  taskRoleArn: 'arn:aws:iam::123456789012:role/document-processing-dev-gateway-task',
};

/** The gateway's outputs with dev's real names: the observability tests read them back in dimensions and widgets. */
export const DEV_GATEWAY: GatewayOutputs = {
  logGroupName: '/document-processing/llm-gateway',
  clusterName: 'document-processing-dev-cluster',
  serviceName: 'document-processing-dev-gateway',
  albArnSuffix: 'app/document-processing-dev-alb/0123456789abcdef',
  targetGroupArnSuffix: 'targetgroup/document-processing-dev-tg/fedcba9876543210',
  serviceUrl: 'http://llm-gateway.document-processing.internal/v1',
  albArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/document-processing-dev-alb/0123456789abcdef',
  albDnsName: 'internal-document-processing-dev-alb-123456789.us-east-1.elb.amazonaws.com',
  taskRoleName: 'document-processing-dev-gateway-task',
  taskRoleArn: 'arn:aws:iam::123456789012:role/document-processing-dev-gateway-task',
};
