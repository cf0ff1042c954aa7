import { createHash } from 'crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import {
  DEFAULT_LITELLM_CONFIG_PATH,
  INFERENCE_PROFILE_DESTINATION_REGIONS,
  loadModelCatalogue,
  ModelCatalogue,
  ModelCatalogueError,
  parseModelCatalogue,
} from './index';
import { TWO_MODELS } from '../../test/catalogues';

const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const US_REGIONS = ['us-east-1', 'us-east-2', 'us-west-2'];

/** A small valid config; each validation test breaks one thing in it. */
function validConfig(): any {
  return {
    model_list: [
      // Windows as test data: a context-window fallback must go to a larger one.
      { model_name: 'claude-primary', litellm_params: { model: `bedrock/${SONNET}`, aws_region_name: 'us-east-1' }, tpm: 80000, rpm: 50, model_info: { max_input_tokens: 200000 } },
      { model_name: 'claude-fallback', litellm_params: { model: `bedrock/${HAIKU}`, aws_region_name: 'us-east-1' }, tpm: 80000, rpm: 100, model_info: { max_input_tokens: 1000000 } },
    ],
    router_settings: {
      routing_strategy: 'simple-shuffle',
      fallbacks: [{ 'claude-primary': ['claude-fallback'] }],
      context_window_fallbacks: [{ 'claude-primary': ['claude-fallback'] }],
      redis_host: 'os.environ/REDIS_HOST',
    },
    general_settings: { master_key: 'os.environ/LITELLM_MASTER_KEY', database_url: 'os.environ/DATABASE_URL' },
    litellm_settings: { request_timeout: 600, callbacks: ['callbacks.metrics_logger.metrics_logger'] },
  };
}

function parseConfig(config: unknown): ModelCatalogue {
  return parseModelCatalogue(stringify(config), 'test/litellm_config.yaml');
}

function errorOf(run: () => unknown): ModelCatalogueError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelCatalogueError);
    return e as ModelCatalogueError;
  }
  throw new Error('expected a ModelCatalogueError');
}

describe('the default path', () => {
  test('the default path is the absolute path of the file in gateway-image/', () => {
    expect(path.isAbsolute(DEFAULT_LITELLM_CONFIG_PATH)).toBe(true);
    expect(DEFAULT_LITELLM_CONFIG_PATH.endsWith(path.join('gateway-image', 'config', 'litellm_config.yaml'))).toBe(true);
    expect(existsSync(DEFAULT_LITELLM_CONFIG_PATH)).toBe(true);
  });
});

// What the real file must hold is test/catalogue.contract.test.ts; this is how the parser reads the design's config.
describe('the design\'s config as parsed (test/catalogues.ts TWO_MODELS)', () => {
  const catalogue: ModelCatalogue = TWO_MODELS;

  test('it defines the three aliases of the design, in order', () => {
    expect(catalogue.models.map((m) => m.alias)).toEqual(['claude-primary', 'claude-fallback', 'claude-fast']);
  });

  test.each([
    ['claude-primary', SONNET, 'anthropic.claude-sonnet-4-5-20250929-v1:0', 80000, 50],
    ['claude-fallback', HAIKU, 'anthropic.claude-haiku-4-5-20251001-v1:0', 80000, 100],
    ['claude-fast', HAIKU, 'anthropic.claude-haiku-4-5-20251001-v1:0', 80000, 100],
  ])('%s calls %s through the us profile with tpm %d', (alias, modelId, foundationModelId, tpm, rpm) => {
    const entry = catalogue.models.find((m) => m.alias === alias);
    expect(entry).toEqual({
      alias,
      litellmModel: `bedrock/${modelId}`,
      modelId,
      foundationModelId,
      inferenceProfilePrefix: 'us',
      destinationRegions: US_REGIONS,
      region: 'us-east-1',
      tpm,
      rpm,
    });
  });

  test('primary falls back to the fallback alias on errors; no context-window fallback (both windows are 200k)', () => {
    expect(catalogue.fallbacks).toEqual({ 'claude-primary': ['claude-fallback'] });
    expect(catalogue.contextWindowFallbacks).toEqual({});
  });

  test('per-deployment concurrency where the Router reads it', () => {
    expect(catalogue.maxParallelRequestsPerDeployment).toBe(50);
  });

  test('routing and timeout are the documented choices', () => {
    expect(catalogue.routingStrategy).toBe('simple-shuffle');
    expect(catalogue.requestTimeoutSeconds).toBe(600);
  });

  test('every secret and connection setting is an environment reference', () => {
    expect(catalogue.environmentReferences).toEqual([
      'AWS_REGION_NAME',
      'BEDROCK_GUARDRAIL_DEFAULT_ON',
      'BEDROCK_GUARDRAIL_ID',
      'BEDROCK_GUARDRAIL_MASK_CONTENT',
      'BEDROCK_GUARDRAIL_VERSION',
      'DATABASE_URL',
      'GATEWAY_REDIS_CACHE',
      'LITELLM_MASTER_KEY',
      'REDIS_HOST',
      'REDIS_PASSWORD',
      'REDIS_PORT',
      'REDIS_SSL',
    ]);
    // The proxy cache's switch is one of them: set by the task only with Redis.
    expect(catalogue.redisEnvironmentReferences).toEqual(['GATEWAY_REDIS_CACHE', 'REDIS_HOST', 'REDIS_PASSWORD', 'REDIS_PORT', 'REDIS_SSL']);
    // The guardrail entry's: set by the task only with gateway.guardrail.enabled.
    expect(catalogue.guardrailEnvironmentReferences).toEqual([
      'AWS_REGION_NAME',
      'BEDROCK_GUARDRAIL_DEFAULT_ON',
      'BEDROCK_GUARDRAIL_ID',
      'BEDROCK_GUARDRAIL_MASK_CONTENT',
      'BEDROCK_GUARDRAIL_VERSION',
    ]);
  });

  test('guardrails: entries are validated with their field paths', () => {
    const base = 'model_list:\n  - model_name: a\n    litellm_params: { model: bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0, aws_region_name: us-east-1 }\n    tpm: 1\n    rpm: 1\nlitellm_settings: { request_timeout: 600 }\n';
    expect(() => parseModelCatalogue(`${base}guardrails: {}\n`)).toThrow(/guardrails: \{\} is not allowed; expected a list/);
    expect(() => parseModelCatalogue(`${base}guardrails:\n  - litellm_params: { guardrail: bedrock, mode: pre_call }\n`)).toThrow(/guardrails\[0\]\.guardrail_name: missing is not allowed/);
    expect(() => parseModelCatalogue(`${base}guardrails:\n  - guardrail_name: g\n    litellm_params: { guardrail: bedrock, mode: before_call }\n`)).toThrow(
      /guardrails\[0\]\.litellm_params\.mode: "before_call" is not allowed; expected one of pre_call, post_call, during_call/,
    );
    expect(() => parseModelCatalogue(`${base}guardrails:\n  - guardrail_name: g\n    litellm_params: { guardrail: bedrock, mode: pre_call }\n  - guardrail_name: g\n    litellm_params: { guardrail: bedrock, mode: pre_call }\n`)).toThrow(
      /guardrails\[1\]\.guardrail_name: duplicate guardrail name "g"/,
    );
    expect(parseModelCatalogue(`${base}guardrails:\n  - guardrail_name: g\n    litellm_params: { guardrail: bedrock, mode: pre_call, default_on: true }\n`).guardrails).toEqual([
      { name: 'g', integration: 'bedrock', mode: ['pre_call'], defaultOn: true, environmentReferences: [] },
    ]);
  });

  test('model ids are listed once each, in catalogue order', () => {
    expect(catalogue.modelIds).toEqual([SONNET, HAIKU]);
    expect(catalogue.foundationModelIds).toEqual([
      'anthropic.claude-sonnet-4-5-20250929-v1:0',
      'anthropic.claude-haiku-4-5-20251001-v1:0',
    ]);
  });

  test('the catalogue is immutable', () => {
    expect(Object.isFrozen(catalogue)).toBe(true);
    expect(Object.isFrozen(catalogue.models[0])).toBe(true);
    expect(Object.isFrozen(catalogue.models[0].destinationRegions)).toBe(true);
    expect(Object.isFrozen(INFERENCE_PROFILE_DESTINATION_REGIONS.us)).toBe(true);
  });
});

describe('parseModelCatalogue on valid variants', () => {
  test('an in-region model id has no profile prefix and routes to its own region only', () => {
    // GIVEN a model id without cross-region profile
    const config = validConfig();
    config.model_list[1].litellm_params = { model: 'bedrock/anthropic.claude-haiku-4-5-20251001-v1:0', aws_region_name: 'us-west-2' };
    // WHEN
    const entry = parseConfig(config).models[1];
    // THEN
    expect(entry.inferenceProfilePrefix).toBeUndefined();
    expect('inferenceProfilePrefix' in entry).toBe(false);
    expect(entry.modelId).toBe('anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(entry.destinationRegions).toEqual(['us-west-2']);
  });

  test('without Redis settings the Redis references are empty', () => {
    const config = validConfig();
    delete config.router_settings.redis_host;
    expect(parseConfig(config).redisEnvironmentReferences).toEqual([]);
  });

  test('a retry policy with zero retries for throttles and other counts is accepted', () => {
    const config = validConfig();
    config.router_settings.retry_policy = { RateLimitErrorRetries: 0, TimeoutErrorRetries: 2 };
    expect(() => parseConfig(config)).not.toThrow();
  });

  test('the proxy cache switch and its parameters are Redis references (required only with Redis)', () => {
    const config = validConfig();
    config.litellm_settings.cache = 'os.environ/GATEWAY_REDIS_CACHE';
    config.litellm_settings.cache_params = { type: 'redis', mode: 'default_off', host: 'os.environ/REDIS_HOST', ssl: 'os.environ/REDIS_SSL' };
    expect(parseConfig(config).redisEnvironmentReferences).toEqual(['GATEWAY_REDIS_CACHE', 'REDIS_HOST', 'REDIS_SSL']);
  });

  test('without routing_strategy LiteLLM uses simple-shuffle, and so does the catalogue', () => {
    const config = validConfig();
    delete config.router_settings.routing_strategy;
    expect(parseConfig(config).routingStrategy).toBe('simple-shuffle');
  });
});

describe('parseModelCatalogue rejects', () => {
  type Mutation = (config: any) => void;

  test.each<[string, Mutation, RegExp]>([
    [
      'a fallback source that is not an alias',
      (c) => (c.router_settings.fallbacks = [{ 'claude-primry': ['claude-fallback'] }]),
      /router_settings\.fallbacks\[0\]\.claude-primry: fallback source "claude-primry" is not an alias in model_list; known: claude-primary, claude-fallback/,
    ],
    [
      'a fallback target that is not an alias',
      (c) => (c.router_settings.fallbacks = [{ 'claude-primary': ['claude-haiku'] }]),
      /router_settings\.fallbacks\[0\]\.claude-primary\[0\]: fallback target "claude-haiku" is not an alias/,
    ],
    [
      'a context-window fallback target that is not an alias',
      (c) => (c.router_settings.context_window_fallbacks = [{ 'claude-primary': ['claude-big'] }]),
      /router_settings\.context_window_fallbacks\[0\]\.claude-primary\[0\]: fallback target "claude-big" is not an alias/,
    ],
    [
      'a context-window fallback to a model with the same window',
      (c) => (c.model_list[1].model_info.max_input_tokens = 200000),
      /router_settings\.context_window_fallbacks\.claude-primary\[0\]: "claude-fallback" has a context window of 200000 tokens, not larger than "claude-primary"'s 200000: the fallback can never succeed/,
    ],
    [
      'a context-window fallback between models whose windows the catalogue does not know',
      (c) => {
        delete c.model_list[0].model_info;
        delete c.model_list[1].model_info;
      },
      /router_settings\.context_window_fallbacks\.claude-primary\[0\]: "claude-fallback" cannot be shown to have a larger context window than "claude-primary": declare model_info\.max_input_tokens/,
    ],
    [
      'a window that is not a positive integer',
      (c) => {
        c.model_list[0].model_info.max_input_tokens = -1;
        delete c.router_settings.context_window_fallbacks;
      },
      /model_list\[0\]\.model_info\.max_input_tokens: -1 is not allowed; expected a positive integer/,
    ],
    [
      'allowed_fails (switches LiteLLM to its legacy cooldown)',
      (c) => (c.router_settings.allowed_fails = 2),
      /router_settings\.allowed_fails: 2 is not allowed: any allowed_fails switches LiteLLM to its legacy cooldown/,
    ],
    [
      'allowed_fails_policy (legacy cooldown too)',
      (c) => (c.router_settings.allowed_fails_policy = { RateLimitErrorAllowedFails: 10 }),
      /router_settings\.allowed_fails_policy: .* is not allowed: any allowed_fails_policy switches LiteLLM to its legacy cooldown/,
    ],
    [
      'a positive RateLimitErrorRetries (a throttle would wait for retries before the fallback)',
      (c) => (c.router_settings.retry_policy = { RateLimitErrorRetries: 2 }),
      /router_settings\.retry_policy\.RateLimitErrorRetries: 2 is not allowed: a throttled alias would be retried .* set 0 so a throttle falls back at once/,
    ],
    [
      'a misspelt RetryPolicy field (ignored by LiteLLM)',
      (c) => (c.router_settings.retry_policy = { RateLimitRetries: 0 }),
      /router_settings\.retry_policy\.RateLimitRetries: "RateLimitRetries" is not a RetryPolicy field .* allowed: BadRequestErrorRetries/,
    ],
    [
      'a negative retry count',
      (c) => (c.router_settings.retry_policy = { TimeoutErrorRetries: -1 }),
      /router_settings\.retry_policy\.TimeoutErrorRetries: -1 is not allowed; expected a retry count/,
    ],
    [
      'cache: true with a Redis cache (the proxy would fail to start without REDIS_HOST)',
      (c) => (c.litellm_settings = { ...c.litellm_settings, cache: true, cache_params: { type: 'redis', mode: 'default_off', host: 'os.environ/REDIS_HOST' } }),
      /litellm_settings\.cache: true is not allowed with a Redis cache: LiteLLM fails at start where no Redis host is set/,
    ],
    [
      'a proxy cache that caches every response',
      (c) => (c.litellm_settings = { ...c.litellm_settings, cache: 'os.environ/GATEWAY_REDIS_CACHE', cache_params: { type: 'redis', host: 'os.environ/REDIS_HOST' } }),
      /litellm_settings\.cache_params\.mode: missing is not allowed; expected "default_off"/,
    ],
    [
      'max_parallel_requests in general_settings, where it limits no deployment',
      (c) => (c.general_settings.max_parallel_requests = 50),
      /general_settings\.max_parallel_requests: 50 does not limit deployments there .* set router_settings\.default_max_parallel_requests instead/,
    ],
    [
      'a database pool limit that is not a positive integer',
      (c) => (c.general_settings.database_connection_pool_limit = 0),
      /general_settings\.database_connection_pool_limit: 0 is not allowed; expected a positive integer/,
    ],
    [
      'an auth-cache TTL that is not a positive integer',
      (c) => (c.general_settings.user_api_key_cache_ttl = 0),
      /general_settings\.user_api_key_cache_ttl: 0 is not allowed; expected a positive integer/,
    ],
    [
      'a per-deployment concurrency that is not a positive integer',
      (c) => (c.router_settings.default_max_parallel_requests = 0),
      /router_settings\.default_max_parallel_requests: 0 is not allowed; expected a positive integer/,
    ],
    [
      'an alias falling back to itself',
      (c) => (c.router_settings.fallbacks = [{ 'claude-primary': ['claude-primary'] }]),
      /fallbacks\[0\]\.claude-primary\[0\]: "claude-primary" falls back to itself/,
    ],
    [
      'fallbacks written as a plain mapping',
      (c) => (c.router_settings.fallbacks = { 'claude-primary': ['claude-fallback'] }),
      /router_settings\.fallbacks: .* expected a list of \{<alias>: \[<alias>, \.\.\.\]\} mappings/,
    ],
    [
      'the same fallback source twice',
      (c) => c.router_settings.fallbacks.push({ 'claude-primary': ['claude-fallback'] }),
      /fallbacks\[1\]\.claude-primary: fallbacks for "claude-primary" are already defined/,
    ],
    [
      'a model that is not on Bedrock',
      (c) => (c.model_list[0].litellm_params.model = 'openai/gpt-4o'),
      /model_list\[0\]\.litellm_params\.model: "openai\/gpt-4o" is not a Bedrock model id; expected bedrock\/\[<profile prefix>\.\]<provider>\.<name>-v<version>/,
    ],
    [
      'a Bedrock id without version',
      (c) => (c.model_list[1].litellm_params.model = 'bedrock/us.anthropic.claude-haiku-4-5'),
      /model_list\[1\]\.litellm_params\.model: "bedrock\/us\.anthropic\.claude-haiku-4-5" is not a Bedrock model id/,
    ],
    [
      'an inference profile prefix whose regions are unknown',
      (c) => (c.model_list[1].litellm_params.model = 'bedrock/eu.anthropic.claude-haiku-4-5-20251001-v1:0'),
      /model_list\[1\]\.litellm_params\.model: .* uses inference profile prefix "eu", whose destination regions are unknown; known prefixes: us/,
    ],
    [
      'a source region outside the profile',
      (c) => (c.model_list[0].litellm_params.aws_region_name = 'eu-west-1'),
      /model_list\[0\]\.litellm_params\.aws_region_name: "eu-west-1" is outside the "us" inference profile; allowed: us-east-1, us-east-2, us-west-2/,
    ],
    [
      'a malformed region',
      (c) => (c.model_list[0].litellm_params.aws_region_name = 'us_east_1'),
      /model_list\[0\]\.litellm_params\.aws_region_name: "us_east_1" is not allowed; expected an AWS region/,
    ],
    ['tpm zero', (c) => (c.model_list[0].tpm = 0), /model_list\[0\]\.tpm: 0 is not allowed; expected a positive integer/],
    ['rpm negative', (c) => (c.model_list[1].rpm = -1), /model_list\[1\]\.rpm: -1 is not allowed; expected a positive integer/],
    ['rpm fractional', (c) => (c.model_list[1].rpm = 1.5), /model_list\[1\]\.rpm: 1\.5 is not allowed; expected a positive integer/],
    ['tpm as a string', (c) => (c.model_list[0].tpm = '80000'), /model_list\[0\]\.tpm: "80000" is not allowed; expected a positive integer/],
    ['rpm missing', (c) => delete c.model_list[0].rpm, /model_list\[0\]\.rpm: missing is not allowed; expected a positive integer/],
    [
      'a duplicate alias',
      (c) => c.model_list.push({ ...c.model_list[0] }),
      /model_list\[2\]\.model_name: duplicate alias "claude-primary", already defined at model_list\[0\]; aliases must be unique/,
    ],
    ['an empty model list', (c) => (c.model_list = []), /model_list: \[\] is not allowed; expected a non-empty list of models/],
    [
      'routing strategy usage-based-routing (v1)',
      (c) => (c.router_settings.routing_strategy = 'usage-based-routing'),
      /router_settings\.routing_strategy: "usage-based-routing" is not allowed \(v1 is documented by LiteLLM as bad for performance.*\); allowed: simple-shuffle/,
    ],
    [
      'an unknown routing strategy',
      (c) => (c.router_settings.routing_strategy = 'round-robin'),
      /router_settings\.routing_strategy: "round-robin" is not allowed; allowed: simple-shuffle, least-busy, usage-based-routing-v2/,
    ],
    [
      'a missing request timeout',
      (c) => delete c.litellm_settings.request_timeout,
      /litellm_settings\.request_timeout: missing is not allowed; expected a positive number of seconds/,
    ],
    [
      'request_timeout in general_settings, where LiteLLM ignores it',
      (c) => (c.general_settings.request_timeout = 600),
      /general_settings\.request_timeout: 600 is ignored there by LiteLLM; set litellm_settings\.request_timeout instead/,
    ],
    [
      'a callback naming a class instead of an instance',
      (c) => (c.litellm_settings.callbacks = ['callbacks.metrics_logger.MetricsLogger']),
      /litellm_settings\.callbacks\[0\]: "callbacks\.metrics_logger\.MetricsLogger" names a class; .* module-level instance/,
    ],
    [
      'callbacks as a single value (LiteLLM replaces its callback list with it)',
      (c) => (c.litellm_settings.callbacks = 'callbacks.metrics_logger.metrics_logger'),
      /litellm_settings\.callbacks: "callbacks\.metrics_logger\.metrics_logger" is not allowed as a single value: LiteLLM replaces its callback list/,
    ],
    [
      'an environment reference with an invalid name',
      (c) => (c.router_settings.redis_host = 'os.environ/REDIS HOST'),
      /router_settings\.redis_host: "os\.environ\/REDIS HOST" is not allowed; expected os\.environ\/NAME/,
    ],
  ])('%s', (_name, mutate, message) => {
    // GIVEN a valid config with one defect
    const config = validConfig();
    mutate(config);
    // WHEN it is parsed THEN the error names the file, the field path, the value and what is allowed
    const error = errorOf(() => parseConfig(config));
    expect(error.message).toMatch(/^test\/litellm_config\.yaml: invalid LiteLLM config \(1 problem\)/);
    expect(error.message).toMatch(message);
  });

  test.each<[string, Mutation, string]>([
    ['master_key', (c) => (c.general_settings.master_key = 'sk-live-0123456789abcdef'), 'general_settings.master_key'],
    ['database_url', (c) => (c.general_settings.database_url = 'postgresql://litellm:hunter2@db:5432/litellm'), 'general_settings.database_url'],
    ['salt_key', (c) => (c.general_settings.salt_key = 'salt-0123456789'), 'general_settings.salt_key'],
    ['redis_password', (c) => (c.router_settings.redis_password = 'redis-pass-0123'), 'router_settings.redis_password'],
    ['a provider api_key', (c) => (c.model_list[0].litellm_params.api_key = 'AKIA-not-a-real-key'), 'model_list[0].litellm_params.api_key'],
    ['any nested *token* setting', (c) => (c.litellm_settings.cache_params = { auth_token: 'tok-0123456789' }), 'litellm_settings.cache_params.auth_token'],
  ])('a literal %s, without echoing it', (_name, mutate, field) => {
    // GIVEN a secret written into the file
    const config = validConfig();
    mutate(config);
    // WHEN
    const error = errorOf(() => parseConfig(config));
    // THEN the field is named, the fix is given, and the secret itself is not repeated
    expect(error.message).toContain(`${field}: a literal (`);
    expect(error.message).toContain('value not shown) is not allowed for a secret-like setting; expected os.environ/NAME');
    expect(error.message).not.toMatch(/sk-live|hunter2|salt-0123|redis-pass|AKIA|tok-0123/);
  });

  test('every problem is reported at once', () => {
    const config = validConfig();
    config.model_list[0].tpm = 0;
    config.model_list[1].litellm_params.model = 'gpt-4o';
    config.router_settings.fallbacks = [{ 'claude-primary': ['nope'] }];
    const error = errorOf(() => parseConfig(config));
    expect(error.message).toMatch(/\(3 problems\)/);
    expect(error.message.split('\n')).toHaveLength(4);
  });

  test('a document that is not a mapping', () => {
    expect(() => parseModelCatalogue('- just\n- a list\n', 'x.yaml')).toThrow(/^x\.yaml: invalid LiteLLM config \(1 problem\)\n {2}- \(root\): expected a mapping/);
  });

  test('text that is not YAML', () => {
    expect(() => parseModelCatalogue('model_list: [\n', 'x.yaml')).toThrow(/^x\.yaml: not valid YAML: /);
  });

  test('a file that cannot be read, naming the path', () => {
    expect(() => loadModelCatalogue('/nonexistent/litellm_config.yaml')).toThrow(
      /^\/nonexistent\/litellm_config\.yaml: cannot read the LiteLLM config: /,
    );
  });
});

describe('sha256: the hash the task passes to the image (LITELLM_CONFIG_SHA256)', () => {
  const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

  test('of the file bytes read, for the real config', () => {
    expect(loadModelCatalogue().sha256).toBe(sha256(readFileSync(DEFAULT_LITELLM_CONFIG_PATH)));
    expect(loadModelCatalogue().sha256).toMatch(/^[0-9a-f]{64}$/);
    // The key TTL the capacity contract and docs/agents.md state is the one the baked config sets.
    expect(loadModelCatalogue().authCacheTtlSeconds).toBe(30);
  });

  test('of the bytes, not of a normalised document: a comment or a CRLF line ending changes it, the catalogue does not', () => {
    const text = stringify(validConfig());
    const dir = mkdtempSync(path.join(os.tmpdir(), 'catalogue-sha-'));
    try {
      const plain = path.join(dir, 'plain.yaml');
      const crlf = path.join(dir, 'crlf.yaml');
      const commented = path.join(dir, 'commented.yaml');
      writeFileSync(plain, text);
      writeFileSync(crlf, text.replace(/\n/g, '\r\n'));
      writeFileSync(commented, `# a comment\n${text}`);
      const [a, b, c] = [plain, crlf, commented].map((f) => loadModelCatalogue(f));
      expect(a.sha256).toBe(sha256(text));
      expect(new Set([a.sha256, b.sha256, c.sha256]).size).toBe(3);
      expect(b.models).toEqual(a.models);
      expect(c.models).toEqual(a.models);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('parsing text hashes its UTF-8 encoding, as a file with that content would hash', () => {
    const text = `# Modèles\n${stringify(validConfig())}`;
    expect(parseModelCatalogue(text).sha256).toBe(sha256(Buffer.from(text, 'utf8')));
  });
});
