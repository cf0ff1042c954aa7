import { ConfigError, deepMerge, loadConfig } from '../config';
import { catalogueFrom, catalogueYaml, TWO_MODELS } from '../test/catalogues';
import { catalogueIssues, checkCatalogue } from './catalogue-checks';
import { GUARDRAIL_ENV } from './gateway/guardrail';
import { loadModelCatalogue, parseModelCatalogue, type ModelCatalogue } from './model-catalogue';

const HAIKU = 'anthropic.claude-haiku-4-5-20251001-v1:0';
const MINIMAL_LITELLM = {
  model_list: [{ model_name: 'claude-fast', litellm_params: { model: `bedrock/us.${HAIKU}`, aws_region_name: 'us-east-1' }, tpm: 1000, rpm: 10 }],
  general_settings: { master_key: 'os.environ/LITELLM_MASTER_KEY', database_url: 'os.environ/DATABASE_URL' },
  litellm_settings: { request_timeout: 600 },
};
/** A fixture catalogue has only claude-fast: the default agents would name aliases it lacks. */
const ONE_AGENT = { agents: [{ name: 'chunking', models: ['claude-fast'] }] };

/** GIVEN a catalogue and overrides of dev (or prod) WHEN checked THEN the ConfigError message, or '' when accepted. */
function check(catalogue: ModelCatalogue, overrides: unknown = {}, environment = 'dev'): string {
  const config = loadConfig({ environment, overrides: deepMerge(catalogue === TWO_MODELS ? {} : ONE_AGENT, overrides) });
  try {
    checkCatalogue(config, catalogue);
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
}

describe('the catalogue checks (run by buildApp before any stack)', () => {
  test('the project configuration of every environment agrees with the project catalogue', () => {
    const real = loadModelCatalogue();
    for (const environment of ['dev', 'prod']) expect(catalogueIssues(loadConfig({ environment }), real)).toEqual([]);
  });

  test('agents name model aliases of the catalogue: each unknown alias is an issue naming agents.<name>.models', () => {
    const message = check(TWO_MODELS, { agents: [{ name: 'mapping', models: ['claude-primary', 'gpt-4o'] }] });
    expect(message).toMatch(/^Invalid configuration for environment "dev" \(1 problem\):/);
    expect(message).toMatch(/agents\.mapping\.models\[1\]: got "gpt-4o"; allowed: a model alias of the LiteLLM config \(claude-fallback, claude-fast, claude-primary\)/);
    expect(check(TWO_MODELS)).toBe('');
  });

  test('an ALB idle timeout below the config request_timeout is refused', () => {
    const catalogue = catalogueFrom({ ...MINIMAL_LITELLM, litellm_settings: { request_timeout: 900 } });
    expect(check(catalogue, { gateway: { deregistrationDelaySeconds: 900 } })).toMatch(
      /gateway\.albIdleTimeoutSeconds: got 660; allowed: at least .*request_timeout \(900\), or long completions get a 504/,
    );
  });

  test('a deregistration delay below the config request_timeout is refused (deploys would cut long completions)', () => {
    const catalogue = catalogueFrom({ ...MINIMAL_LITELLM, litellm_settings: { request_timeout: 900 } });
    const gateway = { albIdleTimeoutSeconds: 960, keepAliveTimeoutSeconds: 965 };
    expect(check(catalogue, { gateway })).toMatch(/gateway\.deregistrationDelaySeconds: got 660; allowed: at least .*request_timeout \(900\)/);
    expect(check(catalogue, { gateway: { ...gateway, deregistrationDelaySeconds: 899 } })).toMatch(/deregistrationDelaySeconds: got 899/);
    expect(check(catalogue, { gateway: { ...gateway, deregistrationDelaySeconds: 900 } })).toBe('');
  });

  test('every problem is reported at once', () => {
    const catalogue = catalogueFrom({ ...MINIMAL_LITELLM, litellm_settings: { request_timeout: 900 } });
    const message = check(catalogue, { agents: [{ name: 'mapping', models: ['gpt-4o'] }] });
    expect(message).toMatch(/\(3 problems\)/);
    expect(message).toMatch(/agents\.mapping.*\n.*albIdleTimeoutSeconds.*\n.*deregistrationDelaySeconds/);
  });

  test('a reference the container does not set is refused, naming it', () => {
    const catalogue = catalogueFrom({ ...MINIMAL_LITELLM, litellm_settings: { request_timeout: 600, langfuse_public_key: 'os.environ/LANGFUSE_PUBLIC_KEY' } });
    expect(check(catalogue)).toMatch(/LiteLLM config os\.environ\/ references: the gateway container does not set them; got \["os\.environ\/LANGFUSE_PUBLIC_KEY"\]/);
  });

  test('a master key variable other than gateway.masterKeyEnvName is caught', () => {
    const catalogue = catalogueFrom({ ...MINIMAL_LITELLM, general_settings: { master_key: 'os.environ/LITELLM_ADMIN_KEY', database_url: 'os.environ/DATABASE_URL' } });
    expect(check(catalogue)).toMatch(/os\.environ\/LITELLM_ADMIN_KEY.*set gateway\.masterKeyEnvName/);
    expect(check(catalogue, { gateway: { masterKeyEnvName: 'LITELLM_ADMIN_KEY' } })).toBe('');
  });

  test('a master key variable named like a plain variable of the container is refused', () => {
    expect(check(TWO_MODELS, { gateway: { masterKeyEnvName: 'JSON_LOGS' } })).toMatch(
      /gateway\.masterKeyEnvName: already a plain environment variable of the container; got "JSON_LOGS"; allowed: a name not in AWS_REGION_NAME, /,
    );
  });

  test('Redis references are required only with Redis on, and REDIS_PASSWORD is unset by design', () => {
    const withRedis = catalogueFrom({
      ...MINIMAL_LITELLM,
      router_settings: { redis_host: 'os.environ/REDIS_HOST', redis_port: 'os.environ/REDIS_PORT', redis_password: 'os.environ/REDIS_PASSWORD' },
    });
    const onCall = { observability: { alarmEmails: ['oncall@example.com'] } };
    expect(check(withRedis)).toBe('');
    expect(check(withRedis, onCall, 'prod')).toBe('');
    const unknownRedis = catalogueFrom({ ...MINIMAL_LITELLM, router_settings: { redis_host: 'os.environ/REDIS_HOST', redis_url: 'os.environ/REDIS_URL' } });
    expect(check(unknownRedis, onCall, 'prod')).toMatch(/os\.environ\/REDIS_URL/);
    expect(check(unknownRedis, onCall, 'prod')).not.toMatch(/REDIS_HOST"/);
  });

  test('the guardrail: a mode differing from the baked YAML, or a YAML without the entry, is refused while on', () => {
    const on = { gateway: { guardrail: { enabled: true, mode: ['during_call'] } } };
    expect(check(TWO_MODELS, on)).toMatch(/gateway\.guardrail\.mode: got \["during_call"\]; allowed: the LiteLLM config's mode \["pre_call","post_call"\]/);
    const bare = catalogueFrom(MINIMAL_LITELLM);
    expect(check(bare, { gateway: { guardrail: { enabled: true } } })).toMatch(/gateway\.guardrail\.enabled: the LiteLLM config has no guardrails entry named "bedrock-guardrail"; got true/);
    expect(check(bare)).toBe('');
    expect(check(TWO_MODELS, { gateway: { guardrail: { enabled: true } } })).toBe('');
    // On, the entry's variables count as set: they are the ones the container gets.
    expect(TWO_MODELS.guardrailEnvironmentReferences).toEqual(expect.arrayContaining(Object.values(GUARDRAIL_ENV)));
  });

  test('with gateway.bedrockMarketplaceSubscribe, a Marketplace model without a known product id is refused, naming it', () => {
    const opus = parseModelCatalogue(catalogueYaml([{ alias: 'opus', model: 'us.anthropic.claude-opus-9-v1:0' }]));
    const agents = { agents: [{ name: 'chunking', models: ['opus'] }] };
    expect(check(opus, { ...agents, gateway: { bedrockMarketplaceSubscribe: true } })).toMatch(
      /gateway\.bedrockMarketplaceSubscribe: the model catalogue calls "anthropic\.claude-opus-9-v1:0" \(alias "opus"\), whose AWS Marketplace product id is not known; got true; allowed: models with a product id/,
    );
    expect(check(opus, { ...agents, gateway: { bedrockMarketplaceSubscribe: false } })).toBe('');
  });

  test('too many agents for the 1,024-character per-agent filter pattern is refused, naming the count', () => {
    const many = Array.from({ length: 24 }, (_, i) => ({ name: `a-rather-long-agent-name-no-${String(i).padStart(2, '0')}`, models: ['claude-fast'] }));
    expect(check(TWO_MODELS, { agents: many })).toMatch(/agents: the per-agent filter patterns list 24 agents in \d+ characters; CloudWatch allows at most 1024; got "24 agents"/);
    expect(check(TWO_MODELS, { agents: many.slice(0, 10) })).toBe('');
  });

  test('more model ids than one metric-math alarm can read (10 metrics) is refused, with the limit', () => {
    const many = parseModelCatalogue(
      catalogueYaml(Array.from({ length: 6 }, (_, i) => ({ alias: `m${i}`, model: `us.anthropic.claude-test-${i}-20250101-v1:0` }))),
    );
    expect(check(many, { agents: [{ name: 'chunking', models: ['m0'] }] })).toMatch(
      /error-rate alarm needs RequestCount and RequestErrors per model \(12 metrics for 6 model ids\); CloudWatch allows at most 10 per alarm; got "6 model ids"; allowed: at most 5 model ids/,
    );
  });

  test('model ids whose filter pattern would exceed the 1024-character limit are refused', () => {
    const long = parseModelCatalogue(
      catalogueYaml(Array.from({ length: 5 }, (_, i) => ({ alias: `m${i}`, model: `us.anthropic.claude-${'x'.repeat(200)}-${i}-20250101-v1:0` }))),
    );
    expect(check(long, { agents: [{ name: 'chunking', models: ['m0'] }] })).toMatch(
      /the RequestCount filter pattern is \d+ characters for 5 model ids; CloudWatch allows at most 1024/,
    );
  });
});
