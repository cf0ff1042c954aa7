import { Testing } from 'cdktf';
import { loadConfig } from '../config';
import { evaluateStack, formatViolation } from '../policy';
import type { DatabaseOutputs } from './contracts';
import { GatewayStack } from './gateway-stack';
import { DESIGN_AGENTS, TWO_MODELS } from '../test/catalogues';
import { DATABASE, KMS, NETWORK, PREBUILT_URI } from '../test/fixtures';
import { containers, resources, synthStack, type Json } from '../test/helpers';

/** The fixture's agents, not the defaults (which a user may change): config/agents.ts. */
const AGENTS = DESIGN_AGENTS.agents.map((a) => a.name);
const PREBUILT = { gateway: { image: { mode: 'prebuilt', uri: PREBUILT_URI } } };

function synth(overrides: Json = {}, database: DatabaseOutputs = DATABASE): { stack: GatewayStack; json: Json } {
  const app = Testing.app();
  const config = loadConfig({ environment: overrides.environment ?? 'dev', overrides: { ...DESIGN_AGENTS, ...PREBUILT, ...overrides.config } });
  const stack = new GatewayStack(app, 'gateway', { config, network: NETWORK, database, catalogue: TWO_MODELS });
  return { stack, json: synthStack(stack).json };
}

const reconciler = (json: Json): Json => containers(json).find((c) => c.name === 'key-reconciler')!;
const declared = (json: Json): Json => JSON.parse(reconciler(json).environment.find((e: Json) => e.name === 'AGENT_KEYS_DECLARED').value);

describe('agent keys: secrets, write-only by default', () => {
  const { json } = synth();

  test('one secret per agent, named <app>-<env>-agent-key-<agent>', () => {
    const secrets = resources(json, 'aws_secretsmanager_secret');
    for (const agent of AGENTS) {
      expect(secrets[`agent-key-${agent}`]).toMatchObject({ name: `document-processing-dev-agent-key-${agent}`, recovery_window_in_days: 0 });
    }
  });

  test('the value is sk- + 48 letters and digits from an ephemeral password, sent only through secret_string_wo', () => {
    const version = resources(json, 'aws_secretsmanager_secret_version')['agent-key-supervisor-value'];
    expect(version).toEqual({
      secret_id: '${aws_secretsmanager_secret.agent-key-supervisor.id}',
      secret_string_wo: 'sk-${ephemeral.aws_secretsmanager_random_password.agent-key-supervisor.random_password}',
      secret_string_wo_version: 1,
    });
    expect(json.ephemeral.aws_secretsmanager_random_password['agent-key-supervisor']).toEqual({ password_length: 48, exclude_punctuation: true, include_space: false });
    expect(json.terraform.required_version).toBe('>= 1.11.0');
    expect(json.resource.random_password).toBeUndefined();
  });

  test('keyVersion is the write-only version: bumping it writes a new value and changes the task definition', () => {
    const rotated = synth({ config: { agents: [{ name: 'supervisor', models: ['claude-primary'], keyVersion: 3 }] } }).json;
    expect(resources(rotated, 'aws_secretsmanager_secret_version')['agent-key-supervisor-value'].secret_string_wo_version).toBe(3);
    expect(declared(rotated).agents[0].key_version).toBe(3);
    const before = synth({ config: { agents: [{ name: 'supervisor', models: ['claude-primary'] }] } }).json;
    expect(resources(before, 'aws_ecs_task_definition')['task-definition'].container_definitions).not.toEqual(
      resources(rotated, 'aws_ecs_task_definition')['task-definition'].container_definitions,
    );
  });

  test('the task definition waits for every agent key value: a rotated key is written before a new task reads it', () => {
    // Without this edge the new revision (and the service update) could run before the secret version in the same
    // apply, and a task of the new revision would register the old value.
    const taskDefinition = resources(json, 'aws_ecs_task_definition')['task-definition'];
    expect(taskDefinition.depends_on).toEqual(AGENTS.map((a) => `aws_secretsmanager_secret_version.agent-key-${a}-value`));
    expect(resources(json, 'aws_ecs_service').service.task_definition).toBe('${aws_ecs_task_definition.task-definition.arn}');
  });

  test('random mode: the random provider, consistent with the other secrets', () => {
    const random = synth({ config: { secrets: { generator: 'random' }, agents: [{ name: 'supervisor', models: ['claude-primary'], keyVersion: 2 }] } }).json;
    expect(resources(random, 'random_password')['random-agent-key-supervisor']).toEqual({ length: 48, special: false, keepers: { version: '2' } });
    expect(resources(random, 'aws_secretsmanager_secret_version')['agent-key-supervisor-value'].secret_string).toBe('sk-${random_password.random-agent-key-supervisor.result}');
    expect(random.terraform.required_version).not.toBe('>= 1.11.0');
  });

  test('no key value in any output, and the outputs map each agent to its secret and policy', () => {
    expect(json.output.agent_key_secret_arns.value).toEqual(Object.fromEntries(AGENTS.map((a) => [a, `\${aws_secretsmanager_secret.agent-key-${a}.arn}`])));
    expect(json.output.agent_key_policy_arns.value).toEqual(Object.fromEntries(AGENTS.map((a) => [a, `\${aws_iam_policy.agent-key-${a}-read.arn}`])));
    expect(JSON.stringify(json.output)).not.toMatch(/random_password|secret_string/);
  });
});

describe('agent keys: one IAM managed policy per agent', () => {
  const { json } = synth();

  test('each grants GetSecretValue on exactly its own secret', () => {
    for (const agent of AGENTS) {
      expect(resources(json, 'aws_iam_policy')[`agent-key-${agent}-read`]).toMatchObject({
        name: `document-processing-dev-agent-key-${agent}-read`,
        policy: `\${data.aws_iam_policy_document.agent-key-${agent}-read-document.json}`,
      });
      expect(json.data.aws_iam_policy_document[`agent-key-${agent}-read-document`].statement).toEqual([
        { sid: 'ReadAgentKey', effect: 'Allow', actions: ['secretsmanager:GetSecretValue'], resources: [`\${aws_secretsmanager_secret.agent-key-${agent}.arn}`] },
      ]);
    }
  });

  test('with the database customer-managed key: the secrets use it and each policy may decrypt through Secrets Manager only', () => {
    const cmk = synth({ config: { database: { customerManagedKey: true } } }, { ...DATABASE, secrets: { ...DATABASE.secrets, kmsKeyArn: KMS } }).json;
    expect(resources(cmk, 'aws_secretsmanager_secret')['agent-key-mapping'].kms_key_id).toBe(KMS);
    expect(cmk.data.aws_iam_policy_document['agent-key-mapping-read-document'].statement[1]).toEqual({
      sid: 'DecryptAgentKey',
      effect: 'Allow',
      actions: ['kms:Decrypt'],
      resources: [KMS],
      condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['secretsmanager.us-east-1.${data.aws_partition.partition.dns_suffix}'] }],
    });
  });
});

describe('agent keys: the reconciler container', () => {
  const { json, stack } = synth();

  test('a non-essential container of the same image, started once the proxy is HEALTHY', () => {
    const proxy = containers(json).find((c) => c.name === 'litellm')!;
    const second = reconciler(json);
    expect(containers(json).map((c) => c.name)).toContain('key-reconciler');
    expect(second).toMatchObject({
      name: 'key-reconciler',
      image: proxy.image,
      essential: false,
      entryPoint: ['python3', '/app/reconciler/reconcile_keys.py'],
      command: [],
      dependsOn: [{ containerName: 'litellm', condition: 'HEALTHY' }],
      readonlyRootFilesystem: true,
    });
    expect(proxy.healthCheck).toBeDefined();
    expect(second.logConfiguration.options).toEqual({ 'awslogs-group': '${aws_cloudwatch_log_group.log-group.name}', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'key-reconciler' });
  });

  test('keys and the master key come from ECS secrets (valueFrom the ARNs), never the environment', () => {
    const c = reconciler(json);
    expect(c.secrets).toEqual([
      { name: 'LITELLM_MASTER_KEY', valueFrom: DATABASE.secrets.masterKeyArn },
      ...AGENTS.map((a) => ({ name: `AGENT_KEY_${a.toUpperCase()}`, valueFrom: `\${aws_secretsmanager_secret.agent-key-${a}.arn}` })),
    ]);
    expect(c.environment.map((e: Json) => e.name)).toEqual(['AGENT_KEYS_DECLARED', 'LITELLM_ADMIN_URL', 'RECONCILER_MAX_ATTEMPTS', 'RECONCILER_RETRY_SECONDS']);
    const environment = JSON.stringify(c.environment);
    expect(environment).not.toMatch(/sk-|random_password|secret_string|ephemeral/);
    expect(c.environment).toContainEqual({ name: 'LITELLM_ADMIN_URL', value: 'http://127.0.0.1:4000' });
  });

  test('the declared agents: names, granted models (with fallback targets), budgets, limits, versions, variable names', () => {
    const withBudget = synth({
      config: { agents: [{ name: 'supervisor', models: ['claude-primary'], maxBudgetUsd: 200, budgetDuration: '30d', rpmLimit: 30, tpmLimit: 50000 }, { name: 'chunking', models: ['claude-fast'] }] },
    }).json;
    expect(declared(withBudget)).toEqual({
      managed_by: 'llm-gateway-infra',
      agents: [
        { name: 'supervisor', models: ['claude-fallback', 'claude-primary'], max_budget: 200, budget_duration: '30d', rpm_limit: 30, tpm_limit: 50000, key_version: 1, key_env: 'AGENT_KEY_SUPERVISOR' },
        { name: 'chunking', models: ['claude-fast'], max_budget: null, budget_duration: null, rpm_limit: null, tpm_limit: null, key_version: 1, key_env: 'AGENT_KEY_CHUNKING' },
      ],
    });
  });

  test('the execution role reads exactly the agents\' secrets in its own statement', () => {
    const doc = json.data.aws_iam_policy_document['execution-policy-document'].statement;
    expect(doc.find((s: Json) => s.sid === 'ReadAgentKeys')).toEqual({
      sid: 'ReadAgentKeys',
      effect: 'Allow',
      actions: ['secretsmanager:GetSecretValue'],
      resources: AGENTS.map((a) => `\${aws_secretsmanager_secret.agent-key-${a}.arn}`),
    });
  });

  test('the policy pack passes, in dev and prod', () => {
    expect(evaluateStack(stack, { environment: 'dev' }).findings.map(formatViolation)).toEqual([]);
    const prod = synth({ environment: 'prod' });
    expect(evaluateStack(prod.stack, { environment: 'prod' }).findings.map(formatViolation)).toEqual([]);
    expect(resources(prod.json, 'aws_secretsmanager_secret')['agent-key-supervisor'].recovery_window_in_days).toBe(30);
  });
});
// An alias the catalogue lacks is refused before any stack exists: modules/catalogue-checks.test.ts.
