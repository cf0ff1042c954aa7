import { existsSync, readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { CloudfrontDistribution, CloudfrontDistributionConfig } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { applyPolicy, evaluateStack } from '../engine';
import { ALL_RULES } from '../catalogue';
import { gatewayPack } from './gateway-pack';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
const ECS_TRUST = [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ecs-tasks.amazonaws.com'] }] }];

const CF_CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';

/** A distribution with one origin; the rules only read the viewer side. */
function distribution(stack: TerraformStack, settings: Pick<CloudfrontDistributionConfig, 'webAclId' | 'viewerCertificate'> & { viewerProtocolPolicy: string }): void {
  new CloudfrontDistribution(stack, 'edge', {
    enabled: true,
    webAclId: settings.webAclId,
    origin: [{ originId: 'o', domainName: 'internal-alb.us-east-1.elb.amazonaws.com', vpcOriginConfig: { vpcOriginId: 'vo_1' } }],
    defaultCacheBehavior: { targetOriginId: 'o', viewerProtocolPolicy: settings.viewerProtocolPolicy, allowedMethods: ['GET', 'HEAD'], cachedMethods: ['GET', 'HEAD'] },
    restrictions: { geoRestriction: { restrictionType: 'none' } },
    viewerCertificate: settings.viewerCertificate,
  });
}

/**
 * Every resource type the pack checks, configured the way the rules ask, through the generated provider classes:
 * proves each rule reads the attribute names and block shapes cdktf 0.21 really emits.
 */
function compliantStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'compliant');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });

  const vpc = new Vpc(stack, 'vpc', { cidrBlock: '10.0.0.0/16' });
  const flowLogs = new CloudwatchLogGroup(stack, 'flow-logs', { name: '/vpc/flow', retentionInDays: 90 });
  const flowTrust = new DataAwsIamPolicyDocument(stack, 'flow-trust', {
    statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['vpc-flow-logs.amazonaws.com'] }] }],
  });
  const flowRole = new IamRole(stack, 'flow-role', { assumeRolePolicy: flowTrust.json });
  new FlowLog(stack, 'flow-log', { vpcId: vpc.id, trafficType: 'ALL', logDestination: flowLogs.arn, iamRoleArn: flowRole.arn });
  new DefaultSecurityGroup(stack, 'default-sg', { vpcId: vpc.id });
  const privateSubnet = new Subnet(stack, 'private', { vpcId: vpc.id, cidrBlock: '10.0.128.0/20', tags: { Tier: 'private' } });
  new Subnet(stack, 'public', { vpcId: vpc.id, cidrBlock: '10.0.0.0/24', mapPublicIpOnLaunch: true, tags: { Tier: 'public' } });

  const albSg = new SecurityGroup(stack, 'alb-sg', { vpcId: vpc.id, description: 'Internal ALB: HTTPS from the VPC' });
  const taskSg = new SecurityGroup(stack, 'task-sg', {
    vpcId: vpc.id,
    description: 'LiteLLM tasks',
    ingress: [{ description: 'From the ALB', fromPort: 4000, toPort: 4000, protocol: 'tcp', securityGroups: [albSg.id] }],
  });
  new VpcSecurityGroupIngressRule(stack, 'alb-in', {
    securityGroupId: albSg.id, cidrIpv4: vpc.cidrBlock, ipProtocol: 'tcp', fromPort: 443, toPort: 443, description: 'HTTPS from the VPC',
  });
  new VpcSecurityGroupEgressRule(stack, 'alb-out', {
    securityGroupId: albSg.id, referencedSecurityGroupId: taskSg.id, ipProtocol: 'tcp', fromPort: 4000, toPort: 4000, description: 'To the tasks',
  });
  new SecurityGroupRule(stack, 'task-in-health', {
    type: 'ingress', securityGroupId: taskSg.id, sourceSecurityGroupId: albSg.id, protocol: 'tcp', fromPort: 8001, toPort: 8001,
    description: 'Health port from the ALB',
  });

  const lb = new Lb(stack, 'alb', { internal: true, loadBalancerType: 'application', dropInvalidHeaderFields: true, subnets: [privateSubnet.id] });
  new LbListener(stack, 'https', {
    loadBalancerArn: lb.arn, port: 443, protocol: 'HTTPS', certificateArn: CERT, sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    defaultAction: [{ type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '404' } }],
  });
  new LbListener(stack, 'http', {
    loadBalancerArn: lb.arn, port: 80, protocol: 'HTTP',
    defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
  });

  const db = new RdsCluster(stack, 'db', {
    engine: 'aurora-postgresql', storageEncrypted: true, iamDatabaseAuthenticationEnabled: true,
    enabledCloudwatchLogsExports: ['postgresql'], backupRetentionPeriod: 7, deletionProtection: true,
  });
  new RdsClusterInstance(stack, 'writer', { clusterIdentifier: db.id, instanceClass: 'db.serverless', engine: 'aurora-postgresql' });

  const cluster = new EcsCluster(stack, 'cluster', { name: 'gw', setting: [{ name: 'containerInsights', value: 'enabled' }] });
  const trust = new DataAwsIamPolicyDocument(stack, 'ecs-trust', { statement: ECS_TRUST });
  const executionRole = new IamRole(stack, 'execution', { assumeRolePolicy: trust.json });
  const taskRole = new IamRole(stack, 'task', { assumeRolePolicy: trust.json });
  new DataAwsIamPolicyDocument(stack, 'bedrock-trust', {
    statement: [
      {
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['bedrock.amazonaws.com'] }],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['123456789012'] },
          { test: 'ArnLike', variable: 'aws:SourceArn', values: ['arn:aws:bedrock:us-east-1:123456789012:*'] },
        ],
      },
    ],
  });
  const masterKey = new SecretsmanagerSecret(stack, 'master-key', { name: 'gw/master', recoveryWindowInDays: 7 });
  const pull = new DataAwsIamPolicyDocument(stack, 'execution-policy', {
    statement: [
      { sid: 'Login', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
      { sid: 'Secrets', actions: ['secretsmanager:GetSecretValue'], resources: [masterKey.arn] },
    ],
  });
  new IamRolePolicy(stack, 'execution-inline', { role: executionRole.id, policy: pull.json });
  new IamPolicy(stack, 'invoke', {
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['bedrock:InvokeModel'], Resource: ['arn:aws:bedrock:us-east-1::foundation-model/x'] }],
    }),
  });
  const task = new EcsTaskDefinition(stack, 'gateway', {
    family: 'gw', executionRoleArn: executionRole.arn, taskRoleArn: taskRole.arn, requiresCompatibilities: ['FARGATE'],
    containerDefinitions: JSON.stringify([
      {
        name: 'litellm', image: 'ghcr.io/berriai/litellm:v1.108.26', essential: true,
        environment: [{ name: 'IAM_TOKEN_DB_AUTH', value: 'true' }, { name: 'DATABASE_HOST', value: `${db.endpoint}:5432` }],
        secrets: [{ name: 'LITELLM_MASTER_KEY', valueFrom: masterKey.arn }],
      },
    ]),
  });
  new EcsService(stack, 'service', {
    name: 'gw', cluster: cluster.id, taskDefinition: task.arn,
    networkConfiguration: { subnets: [privateSubnet.id], securityGroups: [taskSg.id], assignPublicIp: false },
  });
  new EcrRepository(stack, 'repo', { name: 'gw', imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } });

  const bucket = new S3Bucket(stack, 'state', { bucket: 'acme-tfstate' });
  new S3BucketVersioningA(stack, 'state-versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
  new S3BucketServerSideEncryptionConfigurationA(stack, 'state-sse', {
    bucket: bucket.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }],
  });
  new S3BucketPublicAccessBlock(stack, 'state-pab', {
    bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
  });
  const tlsOnly = new DataAwsIamPolicyDocument(stack, 'state-tls', {
    statement: [{
      effect: 'Deny', actions: ['s3:*'], resources: [bucket.arn, `${bucket.arn}/*`], principals: [{ type: '*', identifiers: ['*'] }],
      condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
    }],
  });
  new S3BucketPolicy(stack, 'state-policy', { bucket: bucket.id, policy: tlsOnly.json });
  new DynamodbTable(stack, 'lock', {
    name: 'lock', hashKey: 'LockID', billingMode: 'PAY_PER_REQUEST', attribute: [{ name: 'LockID', type: 'S' }],
    pointInTimeRecovery: { enabled: true },
  });

  const keyPolicy = new DataAwsIamPolicyDocument(stack, 'key-policy', {
    statement: [{ sid: 'Account', actions: ['kms:Decrypt'], resources: ['*'], principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::123456789012:root'] }] }],
  });
  const key = new KmsKey(stack, 'key', { enableKeyRotation: true, policy: keyPolicy.json });
  new SnsTopic(stack, 'alarms', { name: 'alarms', kmsMasterKeyId: key.arn });
  distribution(stack, {
    webAclId: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
    viewerProtocolPolicy: 'https-only',
    viewerCertificate: { acmCertificateArn: CF_CERT, sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021' },
  });
  return stack;
}

/** The same resource types, each configured to break the rules that check it. */
function nonCompliantStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'non-compliant');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const vpc = new Vpc(stack, 'vpc', { cidrBlock: '10.0.0.0/16' });
  new Subnet(stack, 'private', { vpcId: vpc.id, cidrBlock: '10.0.128.0/20', mapPublicIpOnLaunch: true, tags: { Tier: 'private' } });
  new SecurityGroup(stack, 'open', {
    vpcId: vpc.id,
    ingress: [{ fromPort: 443, toPort: 443, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }],
  });
  const lb = new Lb(stack, 'alb', { internal: false });
  new LbListener(stack, 'https', {
    loadBalancerArn: lb.arn, port: 443, protocol: 'HTTPS', certificateArn: CERT, sslPolicy: 'ELBSecurityPolicy-2016-08',
    defaultAction: [{ type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '404' } }],
  });
  new LbListener(stack, 'http', {
    loadBalancerArn: lb.arn, port: 80, protocol: 'HTTP',
    defaultAction: [{ type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '200' } }],
  });
  const db = new RdsCluster(stack, 'db', { engine: 'aurora-postgresql' });
  new RdsClusterInstance(stack, 'writer', { clusterIdentifier: db.id, instanceClass: 'db.serverless', engine: 'aurora-postgresql', publiclyAccessible: true });
  new EcsCluster(stack, 'cluster', { name: 'gw' });
  const trust = new DataAwsIamPolicyDocument(stack, 'ecs-trust', { statement: ECS_TRUST });
  const role = new IamRole(stack, 'shared', { assumeRolePolicy: trust.json });
  new DataAwsIamPolicyDocument(stack, 'admin', { statement: [{ actions: ['*'], resources: ['*'] }] });
  new DataAwsIamPolicyDocument(stack, 'logs-on-a-secret', {
    statement: [{ actions: ['logs:PutLogEvents'], resources: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf'] }],
  });
  new DataAwsIamPolicyDocument(stack, 'bedrock-trust', { statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['bedrock.amazonaws.com'] }] }] });
  const task = new EcsTaskDefinition(stack, 'gateway', {
    family: 'gw', executionRoleArn: role.arn, taskRoleArn: role.arn,
    containerDefinitions: JSON.stringify([
      { name: 'litellm', image: 'ghcr.io/berriai/litellm:main-stable', privileged: true, environment: [{ name: 'UI_PASSWORD', value: 'hunter22' }] },
    ]),
  });
  new EcsService(stack, 'service', { name: 'gw', taskDefinition: task.arn, networkConfiguration: { subnets: ['subnet-1'], assignPublicIp: true } });
  new CloudwatchLogGroup(stack, 'logs', { name: '/gw' });
  new EcrRepository(stack, 'repo', { name: 'gw' });
  new S3Bucket(stack, 'state', { bucket: 'acme-tfstate' });
  new DynamodbTable(stack, 'lock', { name: 'lock', hashKey: 'LockID', attribute: [{ name: 'LockID', type: 'S' }] });
  new KmsKey(stack, 'key', {});
  new SnsTopic(stack, 'alarms', { name: 'alarms' });
  new SecretsmanagerSecret(stack, 'secret', { name: 's', recoveryWindowInDays: 0 });
  distribution(stack, { viewerProtocolPolicy: 'allow-all', viewerCertificate: { cloudfrontDefaultCertificate: true } });
  return stack;
}

describe('the gateway pack', () => {
  test('the catalogue is every rule file of policy/rules, each once, and the pack is the catalogue', () => {
    const files = readdirSync(path.join(__dirname, '..', 'rules'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''));
    const ids = ALL_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(files.sort());
    expect(gatewayPack.rules).toBe(ALL_RULES);
  });

  test('every rule has a row in the rules table of policy/README.md', () => {
    const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
    expect([...rows].sort()).toEqual(ALL_RULES.map((rule) => rule.id).sort());
  });

  test.each(ALL_RULES.map((rule) => [rule.id, rule] as const))(
    '%s is one kebab-case file with a test beside it, a title, a fix and resource types',
    (id, rule) => {
      expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
      expect(existsSync(path.join(__dirname, '..', 'rules', `${id}.ts`))).toBe(true);
      expect(existsSync(path.join(__dirname, '..', 'rules', `${id}.test.ts`))).toBe(true);
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.fix.length).toBeGreaterThan(10);
      expect(rule.appliesTo.length).toBeGreaterThan(0);
    },
  );

  test('GIVEN a stack that follows every rule WHEN evaluated for prod THEN every rule checks something and nothing fails', () => {
    const report = evaluateStack(compliantStack(), { environment: 'prod' });
    expect(report.findings).toEqual([]);
    const idle = report.rows.filter((row) => row.checked === 0).map((row) => row.rule);
    expect(idle).toEqual([]);
  });

  test('GIVEN a stack that breaks every rule WHEN evaluated for prod THEN every rule reports a violation', () => {
    const report = evaluateStack(nonCompliantStack(), { environment: 'prod' });
    const failing = new Set(report.findings.map((finding) => finding.ruleId));
    expect([...gatewayPack.rules.map((rule) => rule.id)].filter((id) => !failing.has(id))).toEqual([]);
  });

  test('the compliant stack synthesizes with the pack applied, the non-compliant one does not', () => {
    const good = compliantStack();
    applyPolicy(good, { environment: 'prod' });
    expect(() => Testing.synth(good, true)).not.toThrow();
    const bad = nonCompliantStack();
    applyPolicy(bad, { environment: 'prod' });
    expect(() => Testing.synth(bad, true)).toThrow(/\[alb-internal\] aws_lb\.alb/);
  });
});
