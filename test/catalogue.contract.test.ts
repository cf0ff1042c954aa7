/**
 * The contract of gateway-image/config/litellm_config.yaml, the one model catalogue: the only unit test that reads
 * the real file. Every other stack and module test passes a fixture catalogue (test/catalogues.ts), so an edit to
 * the YAML (a model added, a limit changed) fails here, and only where the rest of the system could not use it.
 * Tests of the real app as a whole read it too, by design: the address pinning (test/addresses.test.ts, regenerated
 * after a deliberate change) and the cost budget (scripts/cost/estimate.test.ts).
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import { mkdtempSync, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfig } from '../config';
import { ENVIRONMENTS } from '../config/environments';
import { buildApp } from '../main';
import { guardrailEntryProblems, GUARDRAIL_ENV, LITELLM_GUARDRAIL_NAME } from '../modules/gateway/guardrail';
import { marketplaceSubscribeStatements } from '../modules/gateway/bedrock-access';
import { DEFAULT_LITELLM_CONFIG_PATH, INFERENCE_PROFILE_DESTINATION_REGIONS, loadModelCatalogue, type ModelCatalogue } from '../modules/model-catalogue';
import { grantedModels } from '../modules/agent-keys';
import { AGENT_TABLES } from '../scripts/docs';
import { README_AGENT_TABLE, renderAgentTable, replaceAgentTable } from '../scripts/lib/agent-tables';
import { container, type Json } from './helpers';

const ENVIRONMENT_NAMES = Object.keys(ENVIRONMENTS);
const BACKEND = { bucket: 'state-bucket', region: 'us-east-1', encrypt: true, dynamodbTable: 'lock', useLockfile: true };
/** Prod refuses an alarm topic nobody is subscribed to (config/observability.ts). */
const ON_CALL = { observability: { alarmEmails: ['oncall@example.com'] } };

describe('contract: gateway-image/config/litellm_config.yaml', () => {
  let catalogue: ModelCatalogue;
  let aliases: string[];

  beforeAll(() => {
    // A broken file fails here with every problem, its field path, the value and what is allowed.
    catalogue = loadModelCatalogue();
    aliases = catalogue.models.map((m) => m.alias);
  });

  test.each(ENVIRONMENT_NAMES)('every model alias the default %s agents ask for is in the catalogue', (environment) => {
    const missing = loadConfig({ environment }).agents.flatMap((a) => a.models.filter((alias) => !aliases.includes(alias)).map((alias) => `agents.${a.name}: ${alias}`));
    expect(missing).toEqual([]);
  });

  test.each(AGENT_TABLES.map(({ file, style }) => [path.relative(path.join(__dirname, '..'), file), file, style] as const))(
    '%s: the agent table is what `npm run docs -- --write` renders from the default agents and the catalogue',
    (_, file, style) => {
      const text = readFileSync(file, 'utf8');
      expect(text).toBe(replaceAgentTable(text, renderAgentTable(style, catalogue), file));
    },
  );

  test('the rendered agent table grants each default agent exactly what its key gets (its aliases and their fallbacks)', () => {
    const table = renderAgentTable(README_AGENT_TABLE, catalogue);
    for (const agent of loadConfig({ environment: 'dev' }).agents) {
      const row = new RegExp(`^\\| ${agent.name} \\| ([^|]+) \\|`, 'm').exec(table);
      const listed = row ? [...row[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]).sort() : [];
      expect([agent.name, listed]).toEqual([agent.name, grantedModels(agent.models, catalogue)]);
    }
  });

  test('fallbacks and context-window fallbacks go from an alias to other aliases of the catalogue', () => {
    for (const [source, targets] of [...Object.entries(catalogue.fallbacks), ...Object.entries(catalogue.contextWindowFallbacks)]) {
      expect([source, aliases.includes(source)]).toEqual([source, true]);
      for (const target of targets) expect([source, target, aliases.includes(target) && target !== source]).toEqual([source, target, true]);
    }
  });

  test('each model is a Bedrock model id called in a region its inference profile (or the model itself) serves', () => {
    for (const m of catalogue.models) {
      expect([m.alias, m.litellmModel]).toEqual([m.alias, expect.stringMatching(/^bedrock\//)]);
      expect([m.alias, m.modelId.endsWith(m.foundationModelId)]).toEqual([m.alias, true]);
      const served = m.inferenceProfilePrefix === undefined ? [m.region] : INFERENCE_PROFILE_DESTINATION_REGIONS[m.inferenceProfilePrefix];
      expect([m.alias, served]).toEqual([m.alias, expect.arrayContaining([m.region])]);
      expect([m.alias, Number.isSafeInteger(m.tpm) && m.tpm > 0, Number.isSafeInteger(m.rpm) && m.rpm > 0]).toEqual([m.alias, true, true]);
    }
  });

  test('gateway.bedrockMarketplaceSubscribe (a documented switch) works: every Marketplace model has a known product id', () => {
    expect(() => marketplaceSubscribeStatements(catalogue)).not.toThrow();
  });

  test("the README's first-completion check calls exactly the catalogue's models, in their region", () => {
    // README.md, "Before the first completion": a loop of `aws bedrock-runtime converse` over the model ids the gateway
    // calls, read from the YAML by the loop itself, so a model added to the catalogue is checked without editing it.
    // Run here as written (the list part only, from the repository root).
    const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Before the first completion'), readme.indexOf('### Deploy the environment'));
    const loop = /for m in \$\((.+)\); do\s+aws bedrock-runtime converse --region (\S+)/.exec(section);
    expect(loop).not.toBeNull();
    const listed = execFileSync('sh', ['-c', loop![1]], { cwd: path.join(__dirname, '..'), encoding: 'utf8' });
    expect(listed.trim().split(/\s+/).sort()).toEqual([...catalogue.modelIds].sort());
    expect([...new Set(catalogue.models.map((m) => m.region))]).toEqual([loop![2]]);
  });

  test.each(ENVIRONMENT_NAMES)('the request timeout fits the default %s ALB idle timeout and deregistration delay', (environment) => {
    const { gateway } = loadConfig({ environment });
    expect(gateway.albIdleTimeoutSeconds).toBeGreaterThanOrEqual(catalogue.requestTimeoutSeconds);
    expect(gateway.deregistrationDelaySeconds).toBeGreaterThanOrEqual(catalogue.requestTimeoutSeconds);
  });

  test('the guardrail entry is the one bedrock entry gateway.guardrail configures, on or off', () => {
    expect(catalogue.guardrails).toEqual([
      {
        name: LITELLM_GUARDRAIL_NAME,
        integration: 'bedrock',
        mode: ['pre_call', 'post_call'],
        defaultOn: 'os.environ/BEDROCK_GUARDRAIL_DEFAULT_ON',
        environmentReferences: ['AWS_REGION_NAME', ...Object.values(GUARDRAIL_ENV)].sort(),
      },
    ]);
    expect(catalogue.guardrailEnvironmentReferences).toEqual(['AWS_REGION_NAME', ...Object.values(GUARDRAIL_ENV)].sort());
    const config = (enabled: boolean) => loadConfig({ environment: 'dev', overrides: { gateway: { guardrail: { enabled } } } }).gateway.guardrail;
    expect(guardrailEntryProblems(catalogue, config(false))).toEqual([]);
    expect(guardrailEntryProblems(catalogue, config(true))).toEqual([]);
  });

  test('the guardrail entry covers every alias, as the README says: it is bound to no model of the catalogue', () => {
    const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8').replace(/\s+/g, ' ');
    const text = readFileSync(DEFAULT_LITELLM_CONFIG_PATH, 'utf8');
    // No model_list entry names a guardrail of its own (an indented `guardrails:` key); the one entry is top-level.
    expect(text).not.toMatch(/^[ \t]+guardrails:/m);
    expect(text).toMatch(/^guardrails:/m);
    expect(readme).toContain('on every alias of the catalogue** (`appliesTo: "all"`');
  });

  test('the documented router choices: simple-shuffle, a 600 s request timeout, 50 concurrent calls per deployment, no legacy cooldown', () => {
    expect(catalogue.routingStrategy).toBe('simple-shuffle');
    expect(catalogue.requestTimeoutSeconds).toBe(600);
    expect(catalogue.maxParallelRequestsPerDeployment).toBe(50);
    const text = readFileSync(DEFAULT_LITELLM_CONFIG_PATH, 'utf8');
    expect(text).not.toMatch(/^\s*allowed_fails/m);
    expect(text).not.toMatch(/^\s*max_parallel_requests:/m);
  });

  test('its comments say RPM is shared through Redis and TPM stays per process', () => {
    const text = readFileSync(DEFAULT_LITELLM_CONFIG_PATH, 'utf8');
    expect(text).toMatch(/RPM counter is\s*\n?\s*#?\s*shared/);
    expect(text).toMatch(/TPM stays per process even with\s*\n?\s*#?\s*Redis/);
  });

  // The README's promise: add a model to the YAML and IAM, dashboard and metric filters follow, and the task carries
  // the file's sha256 for the image's start-up check. The synth also runs every check the stacks make against the
  // catalogue (environment references the container sets, agents' aliases, CloudWatch's limits on model ids) and the
  // policy pack.
  test.each(ENVIRONMENT_NAMES)('the %s app synthesizes with it: every model reaches IAM, the metric filters and the dashboard; the task the file\'s sha256', (environment) => {
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'catalogue-contract-'));
    buildApp({ config: loadConfig({ environment, overrides: environment === 'dev' ? undefined : ON_CALL }), backend: BACKEND, outdir }).synth();
    const read = (stack: string): Json => JSON.parse(readFileSync(path.join(outdir, 'stacks', `${environment}-${stack}`, 'cdk.tf.json'), 'utf8'));
    const gateway = read('gateway');
    const fileSha256 = createHash('sha256').update(readFileSync(DEFAULT_LITELLM_CONFIG_PATH)).digest('hex');
    expect(container(gateway).environment).toContainEqual({ name: 'LITELLM_CONFIG_SHA256', value: fileSha256 });
    const taskPolicy = JSON.stringify(gateway.data.aws_iam_policy_document['task-policy-document']);
    const observability = read('observability');
    const requestCount = observability.resource.aws_cloudwatch_log_metric_filter['filter-request-count'].pattern;
    const dashboard = observability.resource.aws_cloudwatch_dashboard.dashboard.dashboard_body;
    for (const m of catalogue.models) {
      expect([m.alias, taskPolicy.includes(`foundation-model/${m.foundationModelId}`)]).toEqual([m.alias, true]);
      expect([m.alias, requestCount.includes(`$.model = "${m.modelId}"`)]).toEqual([m.alias, true]);
      expect([m.alias, dashboard.includes(m.modelId)]).toEqual([m.alias, true]);
    }
  });
});
