import { createHash } from 'crypto';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

/** One alias of the LiteLLM config, with what the infrastructure needs to know about its model. */
export interface ModelEntry {
  /** Name callers send as `model`, e.g. `claude-primary` (LiteLLM `model_name`). */
  readonly alias: string;
  /** As written in the config, e.g. `bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0`. */
  readonly litellmModel: string;
  /** What Bedrock is invoked with and what the metric line's `model` holds (the metric dimension). */
  readonly modelId: string;
  /** The model without inference-profile prefix, e.g. `anthropic.claude-sonnet-4-5-20250929-v1:0`. */
  readonly foundationModelId: string;
  /** Cross-region inference profile prefix, e.g. `us`; undefined for an in-region model id. */
  readonly inferenceProfilePrefix?: string;
  /**
   * The profile's regions as INFERENCE_PROFILE_DESTINATION_REGIONS lists them (`aws_region_name` must be one), or
   * `[region]` without a profile. Not every region Bedrock may serve a profile call from (AWS adds destinations):
   * IAM does not use it and allows the foundation model in every region (modules/gateway/bedrock-access.ts).
   */
  readonly destinationRegions: readonly string[];
  /** `litellm_params.aws_region_name`: the region the gateway calls Bedrock in. */
  readonly region: string;
  readonly tpm: number;
  readonly rpm: number;
  /** `model_info.max_input_tokens` when the config declares it: what a context-window fallback is checked against. */
  readonly maxInputTokens?: number;
}

/** One entry of the config's `guardrails:` list, as LiteLLM's proxy reads it (litellm/types/guardrails.py). */
export interface GuardrailEntry {
  /** `guardrail_name`: what requests and keys name it by. */
  readonly name: string;
  /** `litellm_params.guardrail`: the integration, e.g. `bedrock`. */
  readonly integration: string;
  /** `litellm_params.mode`, as a list (LiteLLM accepts one event hook or a list). */
  readonly mode: readonly string[];
  /** `litellm_params.default_on` as written: a boolean, an `os.environ/NAME` reference, or undefined. */
  readonly defaultOn: unknown;
  /** Every NAME referenced as os.environ/NAME in the entry, sorted. */
  readonly environmentReferences: readonly string[];
}

export interface ModelCatalogue {
  readonly models: readonly ModelEntry[];
  readonly fallbacks: Readonly<Record<string, readonly string[]>>;
  readonly contextWindowFallbacks: Readonly<Record<string, readonly string[]>>;
  readonly routingStrategy: string;
  readonly requestTimeoutSeconds: number;
  /** `router_settings.default_max_parallel_requests`: concurrent calls per deployment, per process. */
  readonly maxParallelRequestsPerDeployment?: number;
  /**
   * `general_settings.database_connection_pool_limit`: the Prisma pool of each LiteLLM worker process
   * (`connection_limit` appended to DATABASE_URL by litellm/proxy/proxy_cli.py, read by every worker's own Prisma
   * engine). Unset, LiteLLM uses 10 (`LiteLLMDatabaseConnectionPool`); modules/capacity counts it either way.
   */
  readonly databaseConnectionPoolLimit?: number;
  /**
   * `general_settings.user_api_key_cache_ttl`: seconds each LiteLLM process keeps a verified key in its in-memory auth
   * cache, so a deleted or rotated key still works on other processes for up to this long, Redis or not. Unset,
   * LiteLLM uses 60 (`UserAPIKeyCacheTTLEnum`, litellm/proxy/proxy_server.py); see LITELLM_DEFAULT_AUTH_CACHE_TTL_SECONDS.
   */
  readonly authCacheTtlSeconds?: number;
  /** Every NAME referenced as os.environ/NAME anywhere in the YAML, sorted, deduplicated. */
  readonly environmentReferences: readonly string[];
  /** Env names the Redis settings reference (empty if none). */
  readonly redisEnvironmentReferences: readonly string[];
  /** The `guardrails:` list (empty if none). */
  readonly guardrails: readonly GuardrailEntry[];
  /** Env names the guardrail entries reference (empty if none): required only when the guardrail is on. */
  readonly guardrailEnvironmentReferences: readonly string[];
  /**
   * `router_settings` as written (os.environ/ references unresolved). The per-agent routing of
   * gateway.costAttribution repeats it with the agents' own fallbacks added (modules/gateway/cost-attribution.ts).
   */
  readonly routerSettings: Readonly<Record<string, unknown>>;
  /** Distinct modelIds in catalogue order (for per-model widgets and alarms). */
  readonly modelIds: readonly string[];
  /** Distinct foundationModelIds in catalogue order. */
  readonly foundationModelIds: readonly string[];
  /**
   * sha256 (lowercase hex) of the YAML bytes this catalogue was read from. IAM, alarms and dashboards follow these
   * bytes; the task passes the hash to the image, whose start-up check refuses a config that hashes differently
   * (gateway-image/startup/check_config.py).
   */
  readonly sha256: string;
}

export class ModelCatalogueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelCatalogueError';
  }
}

/**
 * The regions of a cross-region inference profile, per profile prefix: a model's `aws_region_name` (where the
 * gateway calls the profile) must be one of them, and a prefix is only usable once it is listed here. Not the full,
 * current list of destinations: Bedrock may route a `us.` call elsewhere too (the Haiku 4.5 profile also lists
 * us-west-1, and AWS adds destinations over time), which is why the task role allows each foundation model in every
 * region, guarded by the profile ARN (modules/gateway/bedrock-access.ts, docs/first-contact.md); nothing derives IAM
 * from this list. `us`: AWS "Supported cross-Region inference profiles" for the Claude 4.5 profiles. Other prefixes
 * (eu, apac, global, ...) route differently per model: add them only after checking
 * `aws bedrock get-inference-profile` for the models in use.
 */
export const INFERENCE_PROFILE_DESTINATION_REGIONS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  us: Object.freeze(['us-east-1', 'us-east-2', 'us-west-2']),
});

/** Absolute path of gateway-image/config/litellm_config.yaml, found from this file in the source tree or in dist/. */
export const DEFAULT_LITELLM_CONFIG_PATH: string = findDefaultConfigPath();

function findDefaultConfigPath(): string {
  const relative = path.join('gateway-image', 'config', 'litellm_config.yaml');
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  // Not found above this file: let loadModelCatalogue report the missing file with its path.
  return path.resolve(relative);
}

export function loadModelCatalogue(file: string = DEFAULT_LITELLM_CONFIG_PATH): ModelCatalogue {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new ModelCatalogueError(`${file}: cannot read the LiteLLM config: ${(e as Error).message}`);
  }
  // The hash of the bytes as read, not of the decoded text: the image's check hashes the file's bytes too, and a
  // byte sequence that is not valid UTF-8 would not survive a round trip through a string.
  return parseCatalogue(bytes.toString('utf8'), sha256Hex(bytes), file);
}

function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const ROUTING_STRATEGIES = [
  'simple-shuffle',
  'least-busy',
  'usage-based-routing-v2',
  'latency-based-routing',
  'cost-based-routing',
] as const;

// Settings that hold a secret although their name does not say so.
const SECRET_SETTINGS = new Set(['master_key', 'database_url', 'salt_key', 'redis_password', 'redis_url']);
const SECRET_NAME = /key|password|secret|token/i;
const ENV_PREFIX = 'os.environ/';
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const AWS_REGION = /^[a-z]{2}(?:-gov)?-[a-z]+-\d$/;
// bedrock/[converse/|invoke/][<profile>.]<provider>.<name>-v<version>[:<revision>]
const BEDROCK_MODEL =
  /^bedrock\/(?:(?:converse|invoke)\/)?(?<modelId>(?:(?<prefix>[a-z]{2,}(?:-[a-z]+)?)\.)?(?<foundation>[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9-]*-v\d+(?::\d+)?))$/;
const BEDROCK_MODEL_HELP =
  'bedrock/[<profile prefix>.]<provider>.<name>-v<version>[:<revision>], e.g. bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0';

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}

function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const segment = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  return parent === '' ? segment : `${parent}.${segment}`;
}

/** Collects every problem so one run reports them all; throws once at the end. */
class Problems {
  private readonly items: string[] = [];

  constructor(private readonly source: string) {}

  add(field: string, message: string): void {
    this.items.push(`${field}: ${message}`);
  }

  throwIfAny(): void {
    if (this.items.length === 0) return;
    const header = `${this.source}: invalid LiteLLM config (${this.items.length} problem${this.items.length === 1 ? '' : 's'})`;
    throw new ModelCatalogueError([header, ...this.items.map((item) => `  - ${item}`)].join('\n'));
  }

  fail(field: string, message: string): never {
    this.add(field, message);
    this.throwIfAny();
    throw new ModelCatalogueError(`${this.source}: ${field}: ${message}`); // unreachable, satisfies `never`
  }
}

/**
 * Reads the LiteLLM proxy config into a typed catalogue, validating what the infrastructure derives from it.
 * Throws ModelCatalogueError listing every problem, each with its field path, the offending value and what is
 * allowed. Secret literals are reported without their value.
 */
export function parseModelCatalogue(yamlText: string, source = '<inline litellm config>'): ModelCatalogue {
  return parseCatalogue(yamlText, sha256Hex(Buffer.from(yamlText, 'utf8')), source);
}

function parseCatalogue(yamlText: string, sha256: string, source: string): ModelCatalogue {
  const problems: Problems = new Problems(source);
  let document: unknown;
  try {
    document = parse(yamlText);
  } catch (e) {
    throw new ModelCatalogueError(`${source}: not valid YAML: ${(e as Error).message}`);
  }
  if (!isMapping(document)) problems.fail('(root)', `expected a mapping with model_list, router_settings, ...; got ${show(document)}`);

  const environmentReferences = collectEnvironmentReferences(document, '', problems);
  checkSecrets(document, '', problems);

  // Aliases of every entry, valid or not, so one broken model does not also fail its fallbacks.
  const { models, aliases } = readModels(document.model_list, problems);

  const router = optionalMapping(document, 'router_settings', problems);
  const routingStrategy = readRoutingStrategy(router, problems);
  const fallbacks = readFallbacks(router, 'fallbacks', aliases, problems);
  const contextWindowFallbacks = readFallbacks(router, 'context_window_fallbacks', aliases, problems);
  checkContextWindowFallbacks(contextWindowFallbacks, models, problems);
  checkCooldownSettings(router, problems);
  checkRetryPolicy(router, problems);
  const maxParallelRequestsPerDeployment = readMaxParallelRequests(router, problems);
  if (router.timeout !== undefined && !isPositiveNumber(router.timeout)) {
    problems.add('router_settings.timeout', `${show(router.timeout)} is not allowed; expected a positive number of seconds`);
  }

  const general = optionalMapping(document, 'general_settings', problems);
  if (general.max_parallel_requests !== undefined) {
    problems.add(
      'general_settings.max_parallel_requests',
      `${show(general.max_parallel_requests)} does not limit deployments there (the Router takes its per-deployment default ` +
        'from router_settings.default_max_parallel_requests); set router_settings.default_max_parallel_requests instead',
    );
  }
  if (general.request_timeout !== undefined) {
    problems.add(
      'general_settings.request_timeout',
      `${show(general.request_timeout)} is ignored there by LiteLLM; set litellm_settings.request_timeout instead`,
    );
  }
  const databaseConnectionPoolLimit =
    general.database_connection_pool_limit === undefined || general.database_connection_pool_limit === null
      ? undefined
      : readLimit(general.database_connection_pool_limit, 'general_settings.database_connection_pool_limit', problems);
  const authCacheTtlSeconds =
    general.user_api_key_cache_ttl === undefined || general.user_api_key_cache_ttl === null
      ? undefined
      : readLimit(general.user_api_key_cache_ttl, 'general_settings.user_api_key_cache_ttl', problems);
  const litellmSettings = optionalMapping(document, 'litellm_settings', problems);
  const requestTimeoutSeconds = readRequestTimeout(litellmSettings, problems);
  checkCallbacks(litellmSettings.callbacks, problems);
  checkProxyCache(litellmSettings, problems);

  const redisEnvironmentReferences = [
    ...Object.entries(router)
      .filter(([key]) => key.startsWith('redis_') || key === 'cache_kwargs')
      .flatMap(([key, value]) => collectEnvironmentReferences(value, fieldPath('router_settings', key))),
    ...collectEnvironmentReferences(litellmSettings.cache, 'litellm_settings.cache'),
    ...collectEnvironmentReferences(litellmSettings.cache_params, 'litellm_settings.cache_params'),
  ];

  const guardrails = readGuardrails(document.guardrails, problems);

  problems.throwIfAny();

  return deepFreeze({
    models,
    fallbacks,
    contextWindowFallbacks,
    routingStrategy,
    requestTimeoutSeconds,
    routerSettings: router,
    ...(maxParallelRequestsPerDeployment === undefined ? {} : { maxParallelRequestsPerDeployment }),
    ...(databaseConnectionPoolLimit === undefined ? {} : { databaseConnectionPoolLimit }),
    ...(authCacheTtlSeconds === undefined ? {} : { authCacheTtlSeconds }),
    environmentReferences: sortedUnique(environmentReferences),
    redisEnvironmentReferences: sortedUnique(redisEnvironmentReferences),
    guardrails,
    guardrailEnvironmentReferences: sortedUnique(guardrails.flatMap((g) => g.environmentReferences)),
    modelIds: distinct(models.map((m) => m.modelId)),
    foundationModelIds: distinct(models.map((m) => m.foundationModelId)),
    sha256,
  });
}

function readModels(value: unknown, problems: Problems): { models: ModelEntry[]; aliases: Set<string> } {
  if (!Array.isArray(value) || value.length === 0) {
    problems.fail('model_list', `${show(value)} is not allowed; expected a non-empty list of models`);
  }
  const models: ModelEntry[] = [];
  const aliases = new Set<string>();
  const firstIndexOfAlias = new Map<string, number>();
  value.forEach((item: unknown, i: number) => {
    const at = fieldPath('model_list', i);
    if (!isMapping(item)) {
      problems.add(at, `${show(item)} is not allowed; expected a mapping with model_name, litellm_params, tpm, rpm`);
      return;
    }
    const alias = item.model_name;
    if (typeof alias !== 'string' || alias.trim() === '') {
      problems.add(`${at}.model_name`, `${show(alias)} is not allowed; expected a non-empty alias such as "claude-primary"`);
    } else if (firstIndexOfAlias.has(alias)) {
      problems.add(`${at}.model_name`, `duplicate alias ${show(alias)}, already defined at model_list[${firstIndexOfAlias.get(alias)}]; aliases must be unique`);
    } else {
      firstIndexOfAlias.set(alias, i);
      aliases.add(alias);
    }

    const params = item.litellm_params;
    if (!isMapping(params)) {
      problems.add(`${at}.litellm_params`, `${show(params)} is not allowed; expected a mapping with model and aws_region_name`);
      return;
    }
    const region = params.aws_region_name;
    const regionOk = typeof region === 'string' && AWS_REGION.test(region);
    if (!regionOk) {
      problems.add(`${at}.litellm_params.aws_region_name`, `${show(region)} is not allowed; expected an AWS region such as "us-east-1"`);
    }
    const model = readBedrockModel(params.model, `${at}.litellm_params.model`, problems);
    const tpm = readLimit(item.tpm, `${at}.tpm`, problems);
    const rpm = readLimit(item.rpm, `${at}.rpm`, problems);
    if (params.max_parallel_requests !== undefined) readLimit(params.max_parallel_requests, `${at}.litellm_params.max_parallel_requests`, problems);
    const maxInputTokens = readMaxInputTokens(item.model_info, `${at}.model_info`, problems);
    if (model === undefined || !regionOk || tpm === undefined || rpm === undefined || typeof alias !== 'string') return;

    const destinationRegions = model.prefix === undefined ? [region] : [...model.destinations];
    if (model.prefix !== undefined && !model.destinations.includes(region)) {
      problems.add(
        `${at}.litellm_params.aws_region_name`,
        `${show(region)} is outside the "${model.prefix}" inference profile; allowed: ${model.destinations.join(', ')}`,
      );
    }
    models.push({
      alias,
      litellmModel: model.litellmModel,
      modelId: model.modelId,
      foundationModelId: model.foundationModelId,
      ...(model.prefix === undefined ? {} : { inferenceProfilePrefix: model.prefix }),
      destinationRegions,
      region,
      tpm,
      rpm,
      ...(maxInputTokens === undefined ? {} : { maxInputTokens }),
    });
  });
  return { models, aliases };
}

interface BedrockModel {
  readonly litellmModel: string;
  readonly modelId: string;
  readonly foundationModelId: string;
  readonly prefix?: string;
  readonly destinations: readonly string[];
}

function readBedrockModel(value: unknown, at: string, problems: Problems): BedrockModel | undefined {
  const match = typeof value === 'string' ? BEDROCK_MODEL.exec(value) : null;
  if (typeof value !== 'string' || match?.groups === undefined) {
    problems.add(at, `${show(value)} is not a Bedrock model id; expected ${BEDROCK_MODEL_HELP}`);
    return undefined;
  }
  const { modelId, prefix, foundation } = match.groups;
  if (prefix === undefined) return { litellmModel: value, modelId, foundationModelId: foundation, destinations: [] };
  const destinations = INFERENCE_PROFILE_DESTINATION_REGIONS[prefix];
  if (destinations === undefined) {
    const known = Object.keys(INFERENCE_PROFILE_DESTINATION_REGIONS).join(', ');
    problems.add(
      at,
      `${show(value)} uses inference profile prefix "${prefix}", whose destination regions are unknown; known prefixes: ${known} ` +
        '(add the verified regions to INFERENCE_PROFILE_DESTINATION_REGIONS)',
    );
    return undefined;
  }
  return { litellmModel: value, modelId, foundationModelId: foundation, prefix, destinations };
}

/** LiteLLM's GuardrailEventHooks values (litellm/types/guardrails.py). */
const GUARDRAIL_EVENT_HOOKS = ['pre_call', 'post_call', 'during_call', 'logging_only', 'pre_mcp_call', 'during_mcp_call'];

function readGuardrails(value: unknown, problems: Problems): GuardrailEntry[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.add('guardrails', `${show(value)} is not allowed; expected a list of {guardrail_name, litellm_params} mappings`);
    return [];
  }
  const entries: GuardrailEntry[] = [];
  const seen = new Set<string>();
  value.forEach((item: unknown, i: number) => {
    const at = fieldPath('guardrails', i);
    if (!isMapping(item) || !isMapping(item.litellm_params)) {
      problems.add(at, `${show(item)} is not allowed; expected a mapping with guardrail_name and litellm_params`);
      return;
    }
    const name = item.guardrail_name;
    if (typeof name !== 'string' || name.trim() === '') {
      problems.add(`${at}.guardrail_name`, `${show(name)} is not allowed; expected a non-empty name`);
      return;
    }
    if (seen.has(name)) problems.add(`${at}.guardrail_name`, `duplicate guardrail name ${show(name)}; names must be unique`);
    seen.add(name);
    const params = item.litellm_params;
    if (typeof params.guardrail !== 'string' || params.guardrail === '') {
      problems.add(`${at}.litellm_params.guardrail`, `${show(params.guardrail)} is not allowed; expected an integration name such as "bedrock"`);
      return;
    }
    const rawMode = params.mode;
    const mode = typeof rawMode === 'string' ? [rawMode] : Array.isArray(rawMode) ? rawMode : undefined;
    if (mode === undefined || mode.length === 0 || mode.some((m) => typeof m !== 'string' || !GUARDRAIL_EVENT_HOOKS.includes(m))) {
      problems.add(`${at}.litellm_params.mode`, `${show(rawMode)} is not allowed; expected one of ${GUARDRAIL_EVENT_HOOKS.join(', ')} or a list of them`);
      return;
    }
    entries.push({
      name,
      integration: params.guardrail,
      mode: mode as string[],
      defaultOn: params.default_on,
      environmentReferences: sortedUnique(collectEnvironmentReferences(item, at)),
    });
  });
  return entries;
}

function readLimit(value: unknown, at: string, problems: Problems): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  problems.add(at, `${show(value)} is not allowed; expected a positive integer`);
  return undefined;
}

function optionalMapping(document: Mapping, key: string, problems: Problems): Mapping {
  const value = document[key];
  if (value === undefined || value === null) return {};
  if (isMapping(value)) return value;
  problems.add(key, `${show(value)} is not allowed; expected a mapping`);
  return {};
}

function readRoutingStrategy(router: Mapping, problems: Problems): string {
  // LiteLLM's default when unset.
  const value = router.routing_strategy ?? 'simple-shuffle';
  if (typeof value === 'string' && (ROUTING_STRATEGIES as readonly string[]).includes(value)) return value;
  const why =
    value === 'usage-based-routing'
      ? ' (v1 is documented by LiteLLM as bad for performance; use simple-shuffle, or usage-based-routing-v2 with Redis)'
      : '';
  problems.add('router_settings.routing_strategy', `${show(value)} is not allowed${why}; allowed: ${ROUTING_STRATEGIES.join(', ')}`);
  return String(value);
}

function readFallbacks(
  router: Mapping,
  key: 'fallbacks' | 'context_window_fallbacks',
  aliases: ReadonlySet<string>,
  problems: Problems,
): Record<string, readonly string[]> {
  const at = fieldPath('router_settings', key);
  const value = router[key];
  const result: Record<string, readonly string[]> = {};
  if (value === undefined || value === null) return result;
  const shape = `expected a list of {<alias>: [<alias>, ...]} mappings, e.g. [{claude-primary: [claude-fallback]}]`;
  if (!Array.isArray(value)) {
    problems.add(at, `${show(value)} is not allowed; ${shape}`);
    return result;
  }
  const known = [...aliases].join(', ');
  value.forEach((item: unknown, i: number) => {
    const itemAt = fieldPath(at, i);
    if (!isMapping(item) || Object.keys(item).length === 0) {
      problems.add(itemAt, `${show(item)} is not allowed; ${shape}`);
      return;
    }
    for (const [source, targets] of Object.entries(item)) {
      const sourceAt = fieldPath(itemAt, source);
      if (!aliases.has(source)) problems.add(sourceAt, `fallback source ${show(source)} is not an alias in model_list; known: ${known}`);
      if (Object.prototype.hasOwnProperty.call(result, source)) {
        problems.add(sourceAt, `fallbacks for ${show(source)} are already defined earlier in ${at}; define each source once`);
      }
      if (!Array.isArray(targets) || targets.length === 0) {
        problems.add(sourceAt, `${show(targets)} is not allowed; expected a non-empty list of aliases`);
        continue;
      }
      targets.forEach((target: unknown, j: number) => {
        const targetAt = fieldPath(sourceAt, j);
        if (typeof target !== 'string' || !aliases.has(target)) {
          problems.add(targetAt, `fallback target ${show(target)} is not an alias in model_list; known: ${known}`);
        } else if (target === source) {
          problems.add(targetAt, `${show(target)} falls back to itself; expected a different alias`);
        }
      });
      result[source] = targets.filter((t): t is string => typeof t === 'string');
    }
  });
  return result;
}

function readMaxInputTokens(value: unknown, at: string, problems: Problems): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isMapping(value)) {
    problems.add(at, `${show(value)} is not allowed; expected a mapping such as {max_input_tokens: 200000}`);
    return undefined;
  }
  if (value.max_input_tokens === undefined) return undefined;
  return readLimit(value.max_input_tokens, `${at}.max_input_tokens`, problems);
}

/**
 * A context-window fallback is tried after the source model rejected the prompt as too long: it can only succeed on
 * a model with a larger window. The catalogue knows a window only from `model_info.max_input_tokens`, so both sides
 * must declare it and the target's must be larger; otherwise the fallback only adds a second failing call.
 */
function checkContextWindowFallbacks(
  fallbacks: Readonly<Record<string, readonly string[]>>,
  models: readonly ModelEntry[],
  problems: Problems,
): void {
  const windowOf = new Map(models.map((m) => [m.alias, m.maxInputTokens]));
  for (const [source, targets] of Object.entries(fallbacks)) {
    if (!windowOf.has(source)) continue; // already reported as an unknown alias
    const sourceWindow = windowOf.get(source);
    targets.forEach((target, j) => {
      if (!windowOf.has(target) || target === source) return; // already reported
      const at = `router_settings.context_window_fallbacks.${source}[${j}]`;
      const targetWindow = windowOf.get(target);
      if (sourceWindow === undefined || targetWindow === undefined) {
        problems.add(
          at,
          `${show(target)} cannot be shown to have a larger context window than ${show(source)}: declare model_info.max_input_tokens ` +
            'on both aliases (a context-window fallback is only tried after the prompt overflowed the source window), or remove it',
        );
      } else if (targetWindow <= sourceWindow) {
        problems.add(
          at,
          `${show(target)} has a context window of ${targetWindow} tokens, not larger than ${show(source)}'s ${sourceWindow}: ` +
            'the fallback can never succeed where the source overflowed; allowed: a target with a larger max_input_tokens, or no context-window fallback',
        );
      }
    });
  }
}

/**
 * LiteLLM's Router takes its current cooldown logic only while `allowed_fails` is unset or equal to
 * `litellm.allowed_fails`, and no `allowed_fails_policy` is set (`_should_cooldown_deployment` and
 * `_is_allowed_fails_set_on_router` in litellm/router_utils/cooldown_handlers.py). Otherwise it counts failures per
 * minute and cools a deployment down after N of any kind, including its own rate-limit 429s, which takes a
 * single-deployment alias out of service for cooldown_time.
 */
function checkCooldownSettings(router: Mapping, problems: Problems): void {
  for (const key of ['allowed_fails', 'allowed_fails_policy'] as const) {
    if (router[key] === undefined) continue;
    problems.add(
      `router_settings.${key}`,
      `${show(router[key])} is not allowed: any ${key} switches LiteLLM to its legacy cooldown, which cools a single-deployment ` +
        'alias down after a few failures of any kind (its own rate-limit 429s included); leave it unset',
    );
  }
}

/** `RetryPolicy`'s fields (litellm/types/router.py); pydantic ignores any other key silently. */
export const RETRY_POLICY_FIELDS: readonly string[] = [
  'BadRequestErrorRetries',
  'AuthenticationErrorRetries',
  'TimeoutErrorRetries',
  'RateLimitErrorRetries',
  'ContentPolicyViolationErrorRetries',
  'InternalServerErrorRetries',
];

/**
 * `router_settings.retry_policy` as the Router reads it (get_num_retries_from_retry_policy in
 * litellm/router_utils/get_retry_from_policy.py, consulted before should_retry_this_error in litellm/router.py): a
 * number there replaces num_retries for that error type. A positive RateLimitErrorRetries retries a throttled
 * single-deployment alias on the same deployment before its fallback, and overrides the num_retries=0 LiteLLM gives
 * its own rate-limit 429s.
 */
function checkRetryPolicy(router: Mapping, problems: Problems): void {
  const policy = router.retry_policy;
  if (policy === undefined || policy === null) return;
  if (!isMapping(policy)) {
    problems.add('router_settings.retry_policy', `${show(policy)} is not allowed; expected a mapping of RetryPolicy fields to retry counts`);
    return;
  }
  for (const [key, value] of Object.entries(policy)) {
    const at = fieldPath('router_settings.retry_policy', key);
    if (!RETRY_POLICY_FIELDS.includes(key)) {
      problems.add(at, `${show(key)} is not a RetryPolicy field (LiteLLM would ignore it silently); allowed: ${RETRY_POLICY_FIELDS.join(', ')}`);
    } else if (!Number.isInteger(value) || (value as number) < 0) {
      problems.add(at, `${show(value)} is not allowed; expected a retry count (an integer, 0 or more)`);
    } else if (key === 'RateLimitErrorRetries' && (value as number) > 0) {
      problems.add(
        at,
        `${show(value)} is not allowed: a throttled alias would be retried on its own (single) deployment, retry_after apart, ` +
          "before its fallback runs, and LiteLLM's own rate-limit 429s would be retried too; set 0 so a throttle falls back at once",
      );
    }
  }
}

function readMaxParallelRequests(router: Mapping, problems: Problems): number | undefined {
  const value = router.default_max_parallel_requests;
  if (value === undefined || value === null) return undefined;
  return readLimit(value, 'router_settings.default_max_parallel_requests', problems);
}

function readRequestTimeout(litellmSettings: Mapping, problems: Problems): number {
  const value = litellmSettings.request_timeout;
  if (isPositiveNumber(value)) return value;
  problems.add(
    'litellm_settings.request_timeout',
    `${show(value)} is not allowed; expected a positive number of seconds (the ALB idle timeout is derived from it)`,
  );
  return 0;
}

/**
 * `litellm_settings.cache` / `cache_params` as the proxy's load_config reads them (litellm/proxy/proxy_server.py): the
 * cache is built only when `cache` is exactly true, and a Redis cache without a host raises at start
 * (_get_redis_client_logic in litellm/_redis.py), so a literal true would stop every task that has no Redis. With a
 * cache, `cache_params.mode: default_off` keeps response caching opt-in per request (Cache.should_use_cache in
 * litellm/caching/caching.py): an agent's completion is never answered from another request's cached response.
 */
function checkProxyCache(litellmSettings: Mapping, problems: Problems): void {
  const cache = litellmSettings.cache;
  if (cache === undefined || cache === null || cache === false) return;
  const params = isMapping(litellmSettings.cache_params) ? litellmSettings.cache_params : {};
  const type = params.type ?? 'redis';
  if (cache === true && (type === 'redis' || type === 'redis-semantic')) {
    problems.add(
      'litellm_settings.cache',
      'true is not allowed with a Redis cache: LiteLLM fails at start where no Redis host is set ("Either \'host\' or \'url\' must be ' +
        "specified for redis\"); reference a variable the task sets only with Redis, e.g. os.environ/GATEWAY_REDIS_CACHE",
    );
  } else if (cache !== true && !(typeof cache === 'string' && cache.startsWith(ENV_PREFIX))) {
    problems.add('litellm_settings.cache', `${show(cache)} is not allowed; expected true, false or an os.environ/NAME reference`);
  }
  if (params.mode !== 'default_off') {
    problems.add(
      'litellm_settings.cache_params.mode',
      `${show(params.mode)} is not allowed; expected "default_off": otherwise every completion is cached and identical requests ` +
        'are answered from the cache (opt in per request with cache: {use-cache: true})',
    );
  }
}

/**
 * The proxy takes a custom callback's attribute as-is: a class name there would never be instantiated. And a single
 * value replaces litellm.callbacks where a list extends it (initialize_callbacks_on_proxy in
 * litellm/proxy/common_utils/callback_utils.py), dropping the callbacks LiteLLM registered before.
 */
function checkCallbacks(value: unknown, problems: Problems): void {
  if (value !== undefined && value !== null && !Array.isArray(value)) {
    problems.add(
      'litellm_settings.callbacks',
      `${show(value)} is not allowed as a single value: LiteLLM replaces its callback list with it (a list extends it); write a list, e.g. [${show(value)}]`,
    );
  }
  const entries: unknown[] = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  entries.forEach((entry, i) => {
    const at = Array.isArray(value) ? fieldPath('litellm_settings.callbacks', i) : 'litellm_settings.callbacks';
    if (typeof entry !== 'string' || !entry.includes('.')) return; // built-in callbacks such as "prometheus"
    const attribute = entry.slice(entry.lastIndexOf('.') + 1);
    if (/^[A-Z]/.test(attribute)) {
      problems.add(
        at,
        `${show(entry)} names a class; the proxy uses the attribute without instantiating it, ` +
          'so point at a module-level instance, e.g. callbacks.metrics_logger.metrics_logger',
      );
    }
  });
}

/** Names referenced as os.environ/NAME under `value`; malformed references are reported when `problems` is given. */
function collectEnvironmentReferences(value: unknown, at: string, problems?: Problems): string[] {
  if (typeof value === 'string') {
    if (!value.startsWith(ENV_PREFIX)) return [];
    const name = value.slice(ENV_PREFIX.length);
    if (ENV_NAME.test(name)) return [name];
    problems?.add(at || '(root)', `${show(value)} is not allowed; expected os.environ/NAME with NAME an environment variable name`);
    return [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => collectEnvironmentReferences(item, fieldPath(at, i), problems));
  if (isMapping(value)) {
    return Object.entries(value).flatMap(([key, item]) => collectEnvironmentReferences(item, fieldPath(at, key), problems));
  }
  return [];
}

function checkSecrets(value: unknown, at: string, problems: Problems): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkSecrets(item, fieldPath(at, i), problems));
    return;
  }
  if (!isMapping(value)) return;
  for (const [key, item] of Object.entries(value)) {
    const itemAt = fieldPath(at, key);
    const secretLike = SECRET_SETTINGS.has(key) || SECRET_NAME.test(key);
    if (secretLike && typeof item === 'string' && !item.startsWith(ENV_PREFIX)) {
      // The value itself is never echoed: it may be a real secret.
      problems.add(
        itemAt,
        `a literal (${item.length} characters, value not shown) is not allowed for a secret-like setting; ` +
          'expected os.environ/NAME, with the secret injected into the task environment',
      );
    }
    checkSecrets(item, itemAt, problems);
  }
}

function isPositiveNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
