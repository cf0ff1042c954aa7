/**
 * Fixture model catalogues for unit tests. Stacks and modules take the catalogue through props
 * (`catalogue: ModelCatalogue`, and `buildApp({ catalogue })`), so their tests pass one of these instead of
 * reading gateway-image/config/litellm_config.yaml: adding a model to that file must not break a test about IAM,
 * dashboards or keys. What the rest of the system needs from the real file is checked once, in
 * test/catalogue.contract.test.ts.
 */
import { stringify } from 'yaml';
import { parseModelCatalogue, type ModelCatalogue } from '../modules/model-catalogue';

/** Bedrock model ids (the `us.` cross-region inference profiles) of the fixtures. */
export const SONNET_ID = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
export const HAIKU_ID = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

export interface FixtureModel {
  readonly alias: string;
  /** A Bedrock model id without the `bedrock/` prefix, e.g. HAIKU_ID. */
  readonly model: string;
  /** @default 'us-east-1' */
  readonly region?: string;
}

/** A minimal LiteLLM config holding these models (tpm 1000, rpm 10) and a 600 s request timeout, nothing else. */
export function catalogueYaml(models: readonly FixtureModel[]): string {
  const list = models
    .map((m) => `  - model_name: ${m.alias}\n    litellm_params:\n      model: bedrock/${m.model}\n      aws_region_name: ${m.region ?? 'us-east-1'}\n    tpm: 1000\n    rpm: 10`)
    .join('\n');
  return `model_list:\n${list}\nlitellm_settings:\n  request_timeout: 600\n`;
}

/** A catalogue parsed from a LiteLLM config given as an object (what a test varies), validated like the real one. */
export function catalogueFrom(config: unknown): ModelCatalogue {
  return parseModelCatalogue(stringify(config), 'test/litellm_config.yaml');
}

/** One alias, claude-fast, on Haiku: for tests whose subject is not the catalogue. */
export const ONE_MODEL: ModelCatalogue = parseModelCatalogue(catalogueYaml([{ alias: 'claude-fast', model: HAIKU_ID }]), 'test/catalogues.ts ONE_MODEL');

/**
 * The LiteLLM config of the design as a fixture: two models behind three aliases (claude-primary on Sonnet,
 * claude-fallback and claude-fast on Haiku), claude-primary falling back to claude-fallback, Redis, the secrets as
 * environment references, the metrics callback and the Bedrock guardrail entry, with the values of
 * gateway-image/config/litellm_config.yaml when this fixture was written. Frozen on purpose: it does not follow
 * edits to that file.
 */
export const TWO_MODELS_CONFIG = {
  model_list: [
    { model_name: 'claude-primary', litellm_params: { model: `bedrock/${SONNET_ID}`, aws_region_name: 'us-east-1' }, tpm: 80000, rpm: 50 },
    { model_name: 'claude-fallback', litellm_params: { model: `bedrock/${HAIKU_ID}`, aws_region_name: 'us-east-1' }, tpm: 80000, rpm: 100 },
    { model_name: 'claude-fast', litellm_params: { model: `bedrock/${HAIKU_ID}`, aws_region_name: 'us-east-1' }, tpm: 80000, rpm: 100 },
  ],
  router_settings: {
    routing_strategy: 'simple-shuffle',
    optional_pre_call_checks: ['enforce_model_rate_limits'],
    num_retries: 3,
    retry_after: 5,
    timeout: 600,
    retry_policy: { RateLimitErrorRetries: 0 },
    fallbacks: [{ 'claude-primary': ['claude-fallback'] }],
    cooldown_time: 60,
    default_max_parallel_requests: 50,
    redis_host: 'os.environ/REDIS_HOST',
    redis_port: 'os.environ/REDIS_PORT',
    redis_password: 'os.environ/REDIS_PASSWORD',
    cache_kwargs: { ssl: 'os.environ/REDIS_SSL' },
  },
  general_settings: {
    master_key: 'os.environ/LITELLM_MASTER_KEY',
    database_url: 'os.environ/DATABASE_URL',
    store_model_in_db: false,
    user_api_key_cache_ttl: 30,
  },
  litellm_settings: {
    drop_params: true,
    json_logs: true,
    num_retries: 3,
    request_timeout: 600,
    cache: 'os.environ/GATEWAY_REDIS_CACHE',
    cache_params: {
      type: 'redis',
      mode: 'default_off',
      host: 'os.environ/REDIS_HOST',
      port: 'os.environ/REDIS_PORT',
      password: 'os.environ/REDIS_PASSWORD',
      ssl: 'os.environ/REDIS_SSL',
    },
    callbacks: ['callbacks.metrics_logger.metrics_logger'],
  },
  guardrails: [
    {
      guardrail_name: 'bedrock-guardrail',
      litellm_params: {
        guardrail: 'bedrock',
        mode: ['pre_call', 'post_call'],
        guardrailIdentifier: 'os.environ/BEDROCK_GUARDRAIL_ID',
        guardrailVersion: 'os.environ/BEDROCK_GUARDRAIL_VERSION',
        aws_region_name: 'os.environ/AWS_REGION_NAME',
        default_on: 'os.environ/BEDROCK_GUARDRAIL_DEFAULT_ON',
        mask_request_content: 'os.environ/BEDROCK_GUARDRAIL_MASK_CONTENT',
        mask_response_content: 'os.environ/BEDROCK_GUARDRAIL_MASK_CONTENT',
      },
    },
  ],
} as const;

export const TWO_MODELS: ModelCatalogue = catalogueFrom(TWO_MODELS_CONFIG);

/**
 * The design's five agents on TWO_MODELS's aliases, as `overrides.agents`: a test that pairs TWO_MODELS with a
 * configuration passes these rather than the default agents, which follow config/agents.ts (an agent granted a model
 * added to the real catalogue would name an alias TWO_MODELS lacks). Frozen like TWO_MODELS.
 */
export const DESIGN_AGENTS = {
  agents: [
    { name: 'supervisor', models: ['claude-primary'] },
    { name: 'chunking', models: ['claude-fast'] },
    { name: 'extraction', models: ['claude-primary'] },
    { name: 'mapping', models: ['claude-primary'] },
    { name: 'validation', models: ['claude-fast'] },
  ],
};
