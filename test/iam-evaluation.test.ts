/**
 * The requests the deployed services make at run time, decided by a policy engine (@cloud-copilot/iam-simulate)
 * from the synthesized identity, trust, key and resource policies: what must be allowed is, and what must not be
 * (another model, another secret, another log group, a principal or account not trusted) is denied. Where the
 * engine's model of AWS falls short: docs/iam.md.
 *
 * The app is synthesized with every opt-in that adds IAM (guardrail, invocation logging to both destinations, the
 * secrets' customer-managed key, the Bedrock hard stop) and read back from cdk.tf.json (test/iam/synthesized-policies.ts).
 */
import { deepMerge } from '../config';
import { loadModelCatalogue } from '../modules/model-catalogue';
import { costAttributionOverrides, featureOverrides, offlineOverrides } from '../scripts/lib/profiles';
import { ACCOUNT, type RoleModel, type SynthesizedApp, synthesizeApp } from './iam/synthesized-policies';
import { decide } from './iam/simulate';

jest.setTimeout(120_000);

const REGION = 'us-east-1';
const OTHER_ACCOUNT = '210987654321';
const catalogue = loadModelCatalogue();
const arn = (service: string, resource: string, region = REGION, account = ACCOUNT) => `arn:aws:${service}:${region}:${account}:${resource}`;

let app: SynthesizedApp;
let task: RoleModel;
let execution: RoleModel;
beforeAll(() => {
  // The hard stop is on by default in prod only (config/observability.ts).
  // Redis (with its IAM authentication, on by default) is on by default in prod only (config/gateway.ts).
  app = synthesizeApp(
    'dev',
    deepMerge(deepMerge(offlineOverrides(REGION), featureOverrides()), { observability: { budgets: { hardStop: { enabled: true } } }, gateway: { redis: { enabled: true } } }),
  );
  task = app.role('dev-gateway', 'task-role');
  execution = app.role('dev-gateway', 'execution-role');
});

/** The ARN of a resource of the synthesized app, as AWS gives it (test/iam/synthesized-policies.ts). */
const arnOf = (stack: string, type: string, id: string, attr = 'arn') => app.resolveString(stack, `\${${type}.${id}.${attr}}`);

describe('LiteLLM (task role) calls Bedrock through each catalogue profile', () => {
  // Converse authorizes as InvokeModel and ConverseStream as InvokeModelWithResponseStream (Amazon Bedrock User
  // Guide, "Carry out a conversation with the Converse API operations", prerequisites).
  const ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];
  const profiled = catalogue.models.filter((m) => m.inferenceProfilePrefix !== undefined);

  test('the catalogue has profiled models to check', () => expect(profiled.length).toBeGreaterThan(0));

  test('Converse and ConverseStream are no IAM actions of their own: the reference knows only the two invoke actions', async () => {
    const profile = arn('bedrock', `inference-profile/${profiled[0].modelId}`, profiled[0].region);
    await expect(decide({ principal: task, action: 'bedrock:Converse', resource: profile })).rejects.toThrow(/rejected bedrock:Converse/);
  });

  test.each(profiled.map((m) => [m.alias, m] as const))('%s: the profile in its source region, and its foundation model in every destination region through it', async (_alias, model) => {
    const profile = arn('bedrock', `inference-profile/${model.modelId}`, model.region);
    // The destinations the catalogue knows, and us-west-1, which the `us.` Haiku 4.5 profile also lists: the role
    // allows every region, as AWS adds destinations over time (docs/first-contact.md).
    const regions = [...new Set([...model.destinationRegions, 'us-west-1'])];
    for (const action of ACTIONS) {
      expect(await decide({ principal: task, action, resource: profile })).toBe('Allowed');
      for (const region of regions) {
        const foundation = `arn:aws:bedrock:${region}::foundation-model/${model.foundationModelId}`;
        expect([region, await decide({ principal: task, action, resource: foundation, context: { 'bedrock:InferenceProfileArn': profile } })]).toEqual([region, 'Allowed']);
      }
    }
  });

  test.each(profiled.map((m) => [m.alias, m] as const))('%s: the foundation model directly, or through a profile the catalogue does not name, is denied', async (_alias, model) => {
    const foundation = `arn:aws:bedrock:us-east-2::foundation-model/${model.foundationModelId}`;
    expect(await decide({ principal: task, action: 'bedrock:InvokeModel', resource: foundation })).toBe('ImplicitlyDenied');
    const foreignProfile = arn('bedrock', `inference-profile/${model.modelId}`, model.region, OTHER_ACCOUNT);
    expect(await decide({ principal: task, action: 'bedrock:InvokeModel', resource: foundation, context: { 'bedrock:InferenceProfileArn': foreignProfile } })).toBe('ImplicitlyDenied');
  });

  test('another model is denied: its profile and its foundation model', async () => {
    const other = 'anthropic.claude-opus-4-1-20250805-v1:0';
    expect(catalogue.models.some((m) => m.foundationModelId === other)).toBe(false);
    const profile = arn('bedrock', `inference-profile/us.${other}`);
    expect(await decide({ principal: task, action: 'bedrock:InvokeModel', resource: profile })).toBe('ImplicitlyDenied');
    expect(
      await decide({ principal: task, action: 'bedrock:InvokeModel', resource: `arn:aws:bedrock:us-east-1::foundation-model/${other}`, context: { 'bedrock:InferenceProfileArn': profile } }),
    ).toBe('ImplicitlyDenied');
  });

  test('the guardrail LiteLLM applies is allowed, another one is not', async () => {
    expect(await decide({ principal: task, action: 'bedrock:ApplyGuardrail', resource: arnOf('dev-gateway', 'aws_bedrock_guardrail', 'guardrail', 'guardrail_arn') })).toBe('Allowed');
    expect(await decide({ principal: task, action: 'bedrock:ApplyGuardrail', resource: arn('bedrock', 'guardrail/otherguardrail') })).toBe('ImplicitlyDenied');
  });

  test('the task role reads no secret (the ECS agent injects them)', async () => {
    const secret = arnOf('dev-database', 'aws_secretsmanager_secret', 'master-key');
    expect(await decide({ principal: task, action: 'secretsmanager:GetSecretValue', resource: secret })).toBe('ImplicitlyDenied');
  });
});

describe('LiteLLM (task role) connects to Valkey with ElastiCache IAM authentication (gateway.redis.iamAuth)', () => {
  // ElastiCache authorizes the connection as elasticache:Connect on the cache and on the user, both required
  // (ElastiCache User Guide, "Authenticating with IAM", https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html).
  const cache = () => arnOf('dev-gateway', 'aws_elasticache_replication_group', 'redis');
  const user = () => arnOf('dev-gateway', 'aws_elasticache_user', 'redis-user');

  test('the replication group and the IAM user LiteLLM signs in as are allowed', async () => {
    expect(cache()).toMatch(/^arn:aws:elasticache:us-east-1:\d{12}:replicationgroup:/);
    expect(user()).toMatch(/^arn:aws:elasticache:us-east-1:\d{12}:user:/);
    expect(await decide({ principal: task, action: 'elasticache:Connect', resource: cache() })).toBe('Allowed');
    expect(await decide({ principal: task, action: 'elasticache:Connect', resource: user() })).toBe('Allowed');
  });

  test("another cache, the group's disabled default user and another account's user are denied; the ECS agent has no access", async () => {
    expect(await decide({ principal: task, action: 'elasticache:Connect', resource: arn('elasticache', 'replicationgroup:someone-elses') })).toBe('ImplicitlyDenied');
    expect(await decide({ principal: task, action: 'elasticache:Connect', resource: arnOf('dev-gateway', 'aws_elasticache_user', 'redis-default-user') })).toBe('ImplicitlyDenied');
    expect(await decide({ principal: task, action: 'elasticache:Connect', resource: user().replace(/:\d{12}:/, `:${OTHER_ACCOUNT}:`) })).toBe('ImplicitlyDenied');
    expect(await decide({ principal: execution, action: 'elasticache:Connect', resource: cache() })).toBe('ImplicitlyDenied');
  });
});

describe('gateway.costAttribution: the task role calls Bedrock through the agents\' application profiles only', () => {
  const ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];
  let attributed: SynthesizedApp;
  let role: RoleModel;
  beforeAll(() => {
    attributed = synthesizeApp('dev', costAttributionOverrides(REGION));
    role = attributed.role('dev-gateway', 'task-role');
  });
  const profiles = () => {
    const json = attributed.stacks['dev-gateway'] as unknown as { resource: Record<string, Record<string, { model_source: { copy_from: string }[] }>> };
    return Object.entries(json.resource.aws_bedrock_inference_profile ?? {}).map(([id, r]) => ({
      id,
      arn: attributed.resolveString('dev-gateway', `\${aws_bedrock_inference_profile.${id}.arn}`),
      foundation: r.model_source[0].copy_from.split('/').pop()!.replace(/^us\./, ''),
    }));
  };

  test('every agent profile, and its foundation model in any region through it, is allowed', async () => {
    expect(profiles().length).toBeGreaterThan(0);
    for (const p of profiles()) {
      for (const action of ACTIONS) {
        expect([p.id, await decide({ principal: role, action, resource: p.arn })]).toEqual([p.id, 'Allowed']);
        for (const region of ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2']) {
          const foundation = `arn:aws:bedrock:${region}::foundation-model/${p.foundation}`;
          expect([p.id, region, await decide({ principal: role, action, resource: foundation, context: { 'bedrock:InferenceProfileArn': p.arn } })]).toEqual([p.id, region, 'Allowed']);
        }
      }
    }
  });

  test('another application profile, the system profiles and the foundation models directly are denied', async () => {
    const [p] = profiles();
    const foreign = arn('bedrock', 'application-inference-profile/aaaaaaaaaaaa');
    expect(await decide({ principal: role, action: 'bedrock:InvokeModel', resource: foreign })).toBe('ImplicitlyDenied');
    const foundation = `arn:aws:bedrock:us-east-1::foundation-model/${p.foundation}`;
    expect(await decide({ principal: role, action: 'bedrock:InvokeModel', resource: foundation, context: { 'bedrock:InferenceProfileArn': foreign } })).toBe('ImplicitlyDenied');
    expect(await decide({ principal: role, action: 'bedrock:InvokeModel', resource: foundation })).toBe('ImplicitlyDenied');
    for (const model of catalogue.models.filter((m) => m.inferenceProfilePrefix !== undefined)) {
      const system = arn('bedrock', `inference-profile/${model.modelId}`, model.region);
      expect([model.alias, await decide({ principal: role, action: 'bedrock:InvokeModel', resource: system })]).toEqual([model.alias, 'ImplicitlyDenied']);
      const through = `arn:aws:bedrock:us-east-2::foundation-model/${model.foundationModelId}`;
      expect(await decide({ principal: role, action: 'bedrock:InvokeModel', resource: through, context: { 'bedrock:InferenceProfileArn': system } })).toBe('ImplicitlyDenied');
    }
  });

  test('a profile of one model does not open another model', async () => {
    const [p] = profiles();
    const other = 'anthropic.claude-opus-4-1-20250805-v1:0';
    expect(await decide({ principal: role, action: 'bedrock:InvokeModel', resource: `arn:aws:bedrock:us-east-1::foundation-model/${other}`, context: { 'bedrock:InferenceProfileArn': p.arn } })).toBe(
      'ImplicitlyDenied',
    );
  });
});

describe('ECS Exec (task role): the SSM channels and the session log group', () => {
  test.each(['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'])('%s is allowed', async (action) => {
    expect(await decide({ principal: task, action, resource: '*' })).toBe('Allowed');
  });

  test('session output goes to the exec log group only, never the gateway log group', async () => {
    const exec = arnOf('dev-gateway', 'aws_cloudwatch_log_group', 'exec-log-group');
    const gateway = arnOf('dev-gateway', 'aws_cloudwatch_log_group', 'log-group');
    expect(await decide({ principal: task, action: 'logs:DescribeLogGroups', resource: '*' })).toBe('Allowed');
    expect(await decide({ principal: task, action: 'logs:DescribeLogStreams', resource: exec })).toBe('Allowed');
    for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
      expect(await decide({ principal: task, action, resource: `${exec}:log-stream:ecs-execute-command-0123` })).toBe('Allowed');
      expect(await decide({ principal: task, action, resource: `${gateway}:log-stream:ecs-execute-command-0123` })).toBe('ImplicitlyDenied');
    }
  });
});

describe('the ECS agent (execution role): secrets, their key, the log driver, the image', () => {
  const GATEWAY_SECRETS = ['master-key', 'salt-key', 'database-url', 'ui-credentials'];

  test.each(GATEWAY_SECRETS)('reads the %s secret', async (id) => {
    expect(await decide({ principal: execution, action: 'secretsmanager:GetSecretValue', resource: arnOf('dev-database', 'aws_secretsmanager_secret', id) })).toBe('Allowed');
  });

  test("reads every agent's key secret (the key reconciler's container)", async () => {
    const ids = Object.keys(app.stacks['dev-gateway'].resource.aws_secretsmanager_secret);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect([id, await decide({ principal: execution, action: 'secretsmanager:GetSecretValue', resource: arnOf('dev-gateway', 'aws_secretsmanager_secret', id) })]).toEqual([id, 'Allowed']);
  });

  test('another secret is denied: the database master credentials (people and RDS rotation only) and a secret of the account', async () => {
    expect(await decide({ principal: execution, action: 'secretsmanager:GetSecretValue', resource: arnOf('dev-database', 'aws_secretsmanager_secret', 'db-master-credentials') })).toBe('ImplicitlyDenied');
    expect(await decide({ principal: execution, action: 'secretsmanager:GetSecretValue', resource: arn('secretsmanager', 'secret:other-AbCdEf') })).toBe('ImplicitlyDenied');
  });

  describe('decrypting with the secrets key (database.customerManagedKey)', () => {
    const viaSecretsManager = { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` };
    const key = () => ({ resource: arnOf('dev-database', 'aws_kms_key', 'secrets-key'), resourcePolicy: app.keyPolicy('dev-database', 'secrets-key') });

    test('through Secrets Manager: allowed by the role and the key policy', async () => {
      expect(await decide({ principal: execution, action: 'kms:Decrypt', ...key(), context: viaSecretsManager })).toBe('Allowed');
    });

    test('directly (not through Secrets Manager), or with another key: denied', async () => {
      expect(await decide({ principal: execution, action: 'kms:Decrypt', ...key() })).toBe('ImplicitlyDenied');
      expect(await decide({ principal: execution, action: 'kms:Decrypt', ...key(), context: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } })).toBe('ImplicitlyDenied');
      const other = { resource: arnOf('dev-observability', 'aws_kms_key', 'alarm-topic-key'), resourcePolicy: app.keyPolicy('dev-observability', 'alarm-topic-key') };
      expect(await decide({ principal: execution, action: 'kms:Decrypt', ...other, context: viaSecretsManager })).toBe('ImplicitlyDenied');
    });
  });

  test('pulls the pre-built image from its repository, and no other', async () => {
    const repository = arn('ecr', 'repository/llm-gateway');
    expect(await decide({ principal: execution, action: 'ecr:GetAuthorizationToken', resource: '*' })).toBe('Allowed');
    for (const action of ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage']) {
      expect(await decide({ principal: execution, action, resource: repository })).toBe('Allowed');
      expect(await decide({ principal: execution, action, resource: arn('ecr', 'repository/other') })).toBe('ImplicitlyDenied');
    }
  });

  test('the awslogs driver writes streams of the gateway log group, and of no other group', async () => {
    const gateway = arnOf('dev-gateway', 'aws_cloudwatch_log_group', 'log-group');
    const flowLogs = arnOf('dev-networking', 'aws_cloudwatch_log_group', 'flow-log-group');
    for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
      expect(await decide({ principal: execution, action, resource: `${gateway}:log-stream:litellm/litellm/0123456789abcdef` })).toBe('Allowed');
      expect(await decide({ principal: execution, action, resource: `${flowLogs}:log-stream:eni-0123-all` })).toBe('ImplicitlyDenied');
    }
  });
});

describe('trust: who may assume each role', () => {
  const ecsTask = { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': arn('ecs', 'task/document-processing-dev-llm-gateway/0123456789abcdef') };

  test.each([
    ['dev-gateway', 'task-role', 'ecs-tasks.amazonaws.com', ecsTask],
    ['dev-gateway', 'execution-role', 'ecs-tasks.amazonaws.com', ecsTask],
    ['dev-networking', 'flow-log-role', 'vpc-flow-logs.amazonaws.com', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': arn('ec2', 'vpc-flow-log/fl-0123456789abcdef0') }],
    ['dev-observability', 'invocation-log-role', 'bedrock.amazonaws.com', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': arn('bedrock', 'model-invocation-logging') }],
  ])('%s/%s: its service may assume it, another service may not', async (stack, id, service, context) => {
    const role = app.role(stack, id);
    expect(await decide({ principal: service, action: 'sts:AssumeRole', resource: role.arn, resourcePolicy: role.trust, context })).toBe('Allowed');
    expect(await decide({ principal: 'lambda.amazonaws.com', action: 'sts:AssumeRole', resource: role.arn, resourcePolicy: role.trust, context })).toBe('ImplicitlyDenied');
  });

  test.each([
    ['dev-gateway', 'task-role', 'ecs-tasks.amazonaws.com', 'ecs', 'task/c/0123'],
    ['dev-networking', 'flow-log-role', 'vpc-flow-logs.amazonaws.com', 'ec2', 'vpc-flow-log/fl-0123456789abcdef0'],
    ['dev-observability', 'invocation-log-role', 'bedrock.amazonaws.com', 'bedrock', 'model-invocation-logging'],
  ])('%s/%s: the service acting for another account is refused (confused deputy)', async (stack, id, service, svc, resource) => {
    const role = app.role(stack, id);
    const context = { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': arn(svc, resource, REGION, OTHER_ACCOUNT) };
    expect(await decide({ principal: service, action: 'sts:AssumeRole', resource: role.arn, resourcePolicy: role.trust, context })).toBe('ImplicitlyDenied');
  });
});

describe('VPC flow logs (flow-log role)', () => {
  let role: RoleModel;
  beforeAll(() => (role = app.role('dev-networking', 'flow-log-role')));

  test("the guide's five actions on its own log group and streams", async () => {
    const group = arnOf('dev-networking', 'aws_cloudwatch_log_group', 'flow-log-group');
    const requests = [
      ['logs:CreateLogGroup', group],
      ['logs:DescribeLogStreams', group],
      ['logs:DescribeLogGroups', '*'],
      ['logs:CreateLogStream', `${group}:log-stream:eni-0123456789abcdef0-all`],
      ['logs:PutLogEvents', `${group}:log-stream:eni-0123456789abcdef0-all`],
    ];
    for (const [action, resource] of requests) expect([action, await decide({ principal: role, action, resource })]).toEqual([action, 'Allowed']);
  });

  test('another log group is denied', async () => {
    const gateway = arnOf('dev-gateway', 'aws_cloudwatch_log_group', 'log-group');
    expect(await decide({ principal: role, action: 'logs:PutLogEvents', resource: `${gateway}:log-stream:x` })).toBe('ImplicitlyDenied');
    expect(await decide({ principal: role, action: 'logs:CreateLogGroup', resource: arn('logs', 'log-group:/other') })).toBe('ImplicitlyDenied');
  });
});

describe('Bedrock model invocation logging', () => {
  const bedrockSource = { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': arn('bedrock', 'model-invocation-logging') };

  test('the role writes the one stream Bedrock uses in its log group, nothing else', async () => {
    const role = app.role('dev-observability', 'invocation-log-role');
    const group = arnOf('dev-observability', 'aws_cloudwatch_log_group', 'invocation-log-group');
    for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
      expect(await decide({ principal: role, action, resource: `${group}:log-stream:aws/bedrock/modelinvocations` })).toBe('Allowed');
      expect(await decide({ principal: role, action, resource: `${group}:log-stream:other` })).toBe('ImplicitlyDenied');
      expect(await decide({ principal: role, action, resource: `${arnOf('dev-gateway', 'aws_cloudwatch_log_group', 'log-group')}:log-stream:aws/bedrock/modelinvocations` })).toBe('ImplicitlyDenied');
    }
  });

  test('CloudWatch Logs may use the log key for that log group only', async () => {
    const key = { resource: arnOf('dev-observability', 'aws_kms_key', 'invocation-log-key'), resourcePolicy: app.keyPolicy('dev-observability', 'invocation-log-key') };
    const group = arnOf('dev-observability', 'aws_cloudwatch_log_group', 'invocation-log-group');
    const logs = `logs.${REGION}.amazonaws.com`;
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:Encrypt']) {
      expect([action, await decide({ principal: logs, action, ...key, context: { 'kms:EncryptionContext:aws:logs:arn': group } })]).toEqual([action, 'Allowed']);
      expect([action, await decide({ principal: logs, action, ...key, context: { 'kms:EncryptionContext:aws:logs:arn': arn('logs', 'log-group:/other') } })]).toEqual([action, 'ImplicitlyDenied']);
    }
    // The account administers the key but cannot decrypt the logs with it.
    expect(await decide({ principal: execution, action: 'kms:Decrypt', ...key })).toBe('ImplicitlyDenied');
  });

  test('Bedrock writes objects under the configured prefix of the bucket, over TLS, for this account only', async () => {
    const bucket = arnOf('dev-observability', 'aws_s3_bucket', 'invocation-log-bucket');
    const policy = app.policyArgument('dev-observability', app.resource('dev-observability', 'aws_s3_bucket_policy', 'invocation-log-bucket-policy').policy);
    const object = `${bucket}/bedrock/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/${REGION}/2026/12/07/00/x.json.gz`;
    const tls = { ...bedrockSource, 'aws:SecureTransport': 'true' };
    const put = (resource: string, context: Record<string, string>) => decide({ principal: 'bedrock.amazonaws.com', action: 's3:PutObject', resource, resourcePolicy: policy, context });
    expect(await put(object, tls)).toBe('Allowed');
    expect(await put(`${bucket}/elsewhere/x.json.gz`, tls)).toBe('ImplicitlyDenied');
    expect(await put(object, { ...tls, 'aws:SecureTransport': 'false' })).toBe('ExplicitlyDenied');
    expect(await put(object, { ...tls, 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': arn('bedrock', 'model-invocation-logging', REGION, OTHER_ACCOUNT) })).toBe('ImplicitlyDenied');
  });
});

describe("the alarm topic's publishers: CloudWatch alarms and AWS Budgets", () => {
  const publishers = [
    ['cloudwatch.amazonaws.com', arn('cloudwatch', 'alarm:document-processing-dev-gateway-5xx')],
    ['budgets.amazonaws.com', `arn:aws:budgets::${ACCOUNT}:budget/document-processing-dev-spend-bedrock`],
  ] as const;
  const topic = () => ({
    resource: arnOf('dev-observability', 'aws_sns_topic', 'alarm-topic'),
    resourcePolicy: app.policyArgument('dev-observability', app.resource('dev-observability', 'aws_sns_topic_policy', 'alarm-topic-policy').policy),
  });
  const key = () => ({ resource: arnOf('dev-observability', 'aws_kms_key', 'alarm-topic-key'), resourcePolicy: app.keyPolicy('dev-observability', 'alarm-topic-key') });

  test.each(publishers)('%s publishes to the encrypted topic (the topic policy and the key policy)', async (service, source) => {
    const context = { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': source };
    expect(await decide({ principal: service, action: 'sns:Publish', ...topic(), context })).toBe('Allowed');
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) expect(await decide({ principal: service, action, ...key(), context })).toBe('Allowed');
  });

  test.each(publishers)('%s acting for another account is refused', async (service) => {
    const context = { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${OTHER_ACCOUNT}:alarm:x` };
    expect(await decide({ principal: service, action: 'sns:Publish', ...topic(), context })).toBe('ImplicitlyDenied');
  });

  test('another service is refused (EventBridge is not a publisher of this topic)', async () => {
    const context = { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': arn('events', 'rule/x') };
    expect(await decide({ principal: 'events.amazonaws.com', action: 'sns:Publish', ...topic(), context })).toBe('ImplicitlyDenied');
  });
});

describe('the Bedrock hard stop (modules/observability/budgets.ts)', () => {
  const STACK = 'dev-observability';
  let role: RoleModel;
  let denyPolicyArn: string;
  let budgetArn: string;
  beforeAll(() => {
    role = app.role(STACK, 'bedrock-hard-stop-role');
    denyPolicyArn = arnOf(STACK, 'aws_iam_policy', 'bedrock-hard-stop-policy');
    budgetArn = arnOf(STACK, 'aws_budgets_budget', 'budget-bedrock');
  });

  describe('trust: AWS Budgets, acting for the Bedrock budget of this account, assumes the execution role', () => {
    const assume = (principal: string, context: Record<string, string>) =>
      decide({ principal, action: 'sts:AssumeRole', resource: role.arn, resourcePolicy: role.trust, context });

    test('the budget ARN is the one AWS gives a budget: global, in this account, named as configured', () => {
      expect(budgetArn).toBe(`arn:aws:budgets::${ACCOUNT}:budget/document-processing-dev-spend-bedrock`);
    });

    test('Budgets acting for the Bedrock budget is allowed', async () => {
      expect(await assume('budgets.amazonaws.com', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': budgetArn })).toBe('Allowed');
    });

    test('Budgets acting for an action of the Bedrock budget is allowed', async () => {
      const action = `${budgetArn}/action/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;
      expect(await assume('budgets.amazonaws.com', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': action })).toBe('Allowed');
    });

    test("Budgets acting for another account's budget of the same name is refused (confused deputy)", async () => {
      const foreign = budgetArn.replace(`::${ACCOUNT}:`, `::${OTHER_ACCOUNT}:`);
      expect(await assume('budgets.amazonaws.com', { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': foreign })).toBe('ImplicitlyDenied');
    });

    test('Budgets claiming this account with a foreign budget ARN is refused', async () => {
      const foreign = budgetArn.replace(`::${ACCOUNT}:`, `::${OTHER_ACCOUNT}:`);
      expect(await assume('budgets.amazonaws.com', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': foreign })).toBe('ImplicitlyDenied');
    });

    test('Budgets reporting another source account for this budget is refused (the aws:SourceAccount condition)', async () => {
      expect(await assume('budgets.amazonaws.com', { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': budgetArn })).toBe('ImplicitlyDenied');
    });

    test("Budgets acting for this account's total budget is refused", async () => {
      const total = arnOf(STACK, 'aws_budgets_budget', 'budget-total');
      expect(await assume('budgets.amazonaws.com', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': total })).toBe('ImplicitlyDenied');
    });

    test('another service is refused', async () => {
      expect(await assume('lambda.amazonaws.com', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': budgetArn })).toBe('ImplicitlyDenied');
    });
  });

  describe('the execution role attaches exactly the deny policy to the task role', () => {
    const withPolicy = (policyArn: string) => ({ 'iam:PolicyARN': policyArn });

    test.each(['iam:AttachRolePolicy', 'iam:DetachRolePolicy'])('%s of the deny policy on the task role is allowed', async (action) => {
      expect(await decide({ principal: role, action, resource: task.arn, context: withPolicy(denyPolicyArn) })).toBe('Allowed');
    });

    test.each(['iam:AttachRolePolicy', 'iam:DetachRolePolicy'])('%s of another policy on the task role is denied', async (action) => {
      for (const other of ['arn:aws:iam::aws:policy/AdministratorAccess', `arn:aws:iam::${ACCOUNT}:policy/other`]) {
        expect([other, await decide({ principal: role, action, resource: task.arn, context: withPolicy(other) })]).toEqual([other, 'ImplicitlyDenied']);
      }
    });

    test.each(['iam:AttachRolePolicy', 'iam:DetachRolePolicy'])('%s of the deny policy on another role is denied', async (action) => {
      for (const other of [execution.arn, role.arn, `arn:aws:iam::${ACCOUNT}:role/other`]) {
        expect([other, await decide({ principal: role, action, resource: other, context: withPolicy(denyPolicyArn) })]).toEqual([other, 'ImplicitlyDenied']);
      }
    });

    test('nothing else on the task role: its inline policy, its trust policy', async () => {
      expect(await decide({ principal: role, action: 'iam:PutRolePolicy', resource: task.arn })).toBe('ImplicitlyDenied');
      expect(await decide({ principal: role, action: 'iam:UpdateAssumeRolePolicy', resource: task.arn })).toBe('ImplicitlyDenied');
    });
  });

  describe('once the deny policy is attached, the task role invokes no catalogue model', () => {
    const profiled = catalogue.models.filter((m) => m.inferenceProfilePrefix !== undefined);
    let stopped: RoleModel;
    beforeAll(() => {
      const deny = app.policyArgument(STACK, app.resource(STACK, 'aws_iam_policy', 'bedrock-hard-stop-policy').policy);
      stopped = { ...task, policies: [...task.policies, { name: 'attached by AWS Budgets: bedrock-hard-stop-policy', policy: deny }] };
    });

    test.each(profiled.map((m) => [m.alias, m] as const))('%s: allowed before, explicitly denied after', async (_alias, model) => {
      const profile = arn('bedrock', `inference-profile/${model.modelId}`, model.region);
      const foundation = `arn:aws:bedrock:${model.region}::foundation-model/${model.foundationModelId}`;
      for (const action of ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']) {
        expect([action, await decide({ principal: task, action, resource: profile })]).toEqual([action, 'Allowed']);
        expect([action, await decide({ principal: stopped, action, resource: profile })]).toEqual([action, 'ExplicitlyDenied']);
        const viaProfile = { 'bedrock:InferenceProfileArn': profile };
        expect([action, await decide({ principal: stopped, action, resource: foundation, context: viaProfile })]).toEqual([action, 'ExplicitlyDenied']);
      }
    });

    test('the rest of the task role is untouched: ECS Exec still opens its channels', async () => {
      expect(await decide({ principal: stopped, action: 'ssmmessages:CreateControlChannel', resource: '*' })).toBe('Allowed');
    });
  });
});
