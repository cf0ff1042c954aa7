/**
 * The LiteLLM container of the task definition, as a plain object (the stack JSON.stringify-s it), and the synth-time
 * check that the LiteLLM config's `os.environ/NAME` references are all provided by it.
 */
import type { GatewayConfig } from '../../config/gateway';
import { GatewaySecretArns, UI_CREDENTIAL_KEYS } from '../contracts';

/**
 * The container variable carrying the agents' own deployments (gateway.costAttribution) to the image's start-up step
 * (gateway-image/startup/check_config.py), which writes them beside the baked config and includes both.
 */
export const AGENT_ROUTING_ENV = 'LITELLM_AGENT_ROUTING';

export const CONTAINER_NAME = 'litellm';
/**
 * The one port the task listens on: the proxy. The ALB checks it too (the traffic port), so a task is healthy only
 * when the proxy itself answers. No separate health app: docs/gateway-runtime.md says why. The networking stack
 * opens exactly these ports.
 */
export const CONTAINER_PORTS = { proxy: 4000 } as const;
/** No auth, no model call, no database (LiteLLM `_health_endpoints.py`, docs "proxy/health"). */
export const LIVENESS_PATH = '/health/liveliness';

/** Container health probe: the proxy's unauthenticated liveliness path (the image has no curl or wget). */
export const CONTAINER_HEALTH_COMMAND =
  `import urllib.request; urllib.request.urlopen('http://localhost:${CONTAINER_PORTS.proxy}${LIVENESS_PATH}', timeout=2)`;
/** The task's migration container: applies LiteLLM's Prisma migrations, then exits; the proxy starts after it. */
export const MIGRATION_CONTAINER_NAME = 'migrate';
/**
 * The migration container's entryPoint: gateway-image/startup/migration_lock.py holds a PostgreSQL session advisory
 * lock on the database while it runs the image's own entrypoint (the config check, then prod_entrypoint.sh), so at
 * most one task migrates at a time; the others wait, then find nothing to do. docs/gateway-runtime.md.
 */
export const MIGRATION_ENTRY_POINT = [
  'python3', '/app/startup/migration_lock.py',
  'python3', '/app/startup/check_config.py', '/app/docker/prod_entrypoint.sh',
] as const;
/** Where the image keeps the LiteLLM config (gateway-image/Dockerfile). */
export const CONFIG_PATH = '/app/config.yaml';
/**
 * sha256 of the YAML the synth read (`catalogue.sha256`). The image's entrypoint hashes the config it is about to
 * load and exits when the two differ: an image built from another commit would otherwise serve a catalogue that IAM,
 * alarms and dashboards do not follow (gateway-image/startup/check_config.py). A hash, not a secret.
 */
export const CONFIG_SHA256_ENV = 'LITELLM_CONFIG_SHA256';
const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface RedisEndpoint {
  readonly host: string;
  readonly port: number;
  /** In-transit encryption: the client must speak TLS. */
  readonly tls: boolean;
  /**
   * ElastiCache IAM authentication: the IAM-mode user and the replication group id LiteLLM signs its token for.
   * @default - no authentication
   */
  readonly iam?: { readonly userName: string; readonly cacheName: string };
}

export interface GatewayContainerProps {
  readonly image: string;
  readonly gateway: Pick<
    GatewayConfig,
    'numWorkers' | 'maxRequestsBeforeRestart' | 'logLevel' | 'keepAliveTimeoutSeconds' | 'masterKeyEnvName' | 'healthCheckStartPeriodSeconds' | 'stopTimeoutSeconds'
  >;
  /** Region of the gateway: LiteLLM's default Bedrock region when a model sets none. */
  readonly region: string;
  readonly secrets: GatewaySecretArns;
  readonly logGroupName: string;
  /** `catalogue.sha256`: the config the image must carry (CONFIG_SHA256_ENV). */
  readonly configSha256: string;
  /** database.spendLogsRetentionDays: SPEND_LOGS_RETENTION_ENV. */
  readonly spendLogsRetentionDays: number;
  /** @default - no Redis variables: limits and cooldowns stay per process (docs/design.md#rate-limits) */
  readonly redis?: RedisEndpoint;
  /** Variables of the config's Bedrock guardrail entry (modules/gateway/guardrail.ts). @default - none: the guardrail never runs */
  readonly guardrail?: readonly KeyValue[];
  /**
   * The agents' own deployments and router settings (gateway.costAttribution): AGENT_ROUTING_ENV, which the image's
   * start-up step adds to the baked config (gateway-image/startup/check_config.py; modules/gateway/cost-attribution.ts).
   * @default - unset: the proxy loads the baked config alone
   */
  readonly agentRouting?: string;
}

export interface KeyValue {
  readonly name: string;
  readonly value: string;
}

export interface SecretReference {
  readonly name: string;
  readonly valueFrom: string;
}

/** The subset of the ECS ContainerDefinition shape this gateway uses, camelCase as the ECS API wants it. */
export interface ContainerDefinition {
  readonly name: string;
  readonly image: string;
  readonly essential: boolean;
  readonly command: readonly string[];
  readonly portMappings: readonly { readonly containerPort: number; readonly hostPort: number; readonly protocol: 'tcp' }[];
  readonly environment: readonly KeyValue[];
  readonly secrets: readonly SecretReference[];
  readonly healthCheck: {
    readonly command: readonly string[];
    readonly interval: number;
    readonly timeout: number;
    readonly retries: number;
    readonly startPeriod: number;
  };
  readonly logConfiguration: { readonly logDriver: 'awslogs'; readonly options: Readonly<Record<string, string>> };
  readonly linuxParameters: { readonly initProcessEnabled: boolean };
  readonly readonlyRootFilesystem: boolean;
  readonly stopTimeout: number;
  /** The proxy starts only after the migration container exited 0 (ECS container dependency `SUCCESS`). */
  readonly dependsOn: readonly { readonly containerName: string; readonly condition: 'SUCCESS' }[];
}

/** The non-essential container that migrates the database once per task start, then exits. */
export interface MigrationContainerDefinition {
  readonly name: string;
  readonly image: string;
  readonly essential: false;
  /** MIGRATION_ENTRY_POINT: the image's entrypoint under the migration lock. */
  readonly entryPoint: readonly string[];
  readonly command: readonly string[];
  readonly environment: readonly KeyValue[];
  readonly secrets: readonly SecretReference[];
  readonly logConfiguration: ContainerDefinition['logConfiguration'];
  readonly linuxParameters: { readonly initProcessEnabled: boolean };
  readonly readonlyRootFilesystem: boolean;
  readonly stopTimeout: number;
}

/** Turns LiteLLM's `litellm_settings.cache` on (the config references it); set only when the task has Redis. */
export const REDIS_CACHE_ENV = 'GATEWAY_REDIS_CACHE';

/**
 * The LiteLLM config's `general_settings.maximum_spend_logs_retention_period` reads this (`os.environ/`), so that the
 * one baked config serves every environment with its own retention (database.spendLogsRetentionDays).
 */
export const SPEND_LOGS_RETENTION_ENV = 'LITELLM_SPEND_LOGS_RETENTION';

export function plainEnvironment(
  props: Pick<GatewayContainerProps, 'gateway' | 'region' | 'configSha256' | 'redis' | 'guardrail' | 'spendLogsRetentionDays' | 'agentRouting'>,
): KeyValue[] {
  const env: KeyValue[] = [
    { name: 'AWS_REGION_NAME', value: props.region },
    configHashVariable(props.configSha256),
    // The migration container owns the schema: the proxy only compares it (should_update_prisma_schema() is false,
    // proxy_cli.py then runs check_prisma_schema_diff instead of setup_database). docs/gateway-runtime.md.
    { name: 'DISABLE_SCHEMA_UPDATE', value: 'true' },
    { name: 'JSON_LOGS', value: 'True' },
    { name: 'LITELLM_LOG', value: props.gateway.logLevel },
    // The beta-header map bundled with the pinned version, not fetched from raw.githubusercontent.com at the first
    // Bedrock request that sends an anthropic-beta header (docs.litellm.ai/docs/proxy/outbound_requests): no egress
    // dependency, which the endpoints mode (networking.egress) does not have, and behaviour fixed by the version.
    { name: 'LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS', value: 'True' },
    // The price map bundled in the image: no download at start, costs match the pinned version.
    { name: 'LITELLM_LOCAL_MODEL_COST_MAP', value: 'True' },
    // Never load a stray .env from the working directory (a pre-built image may not set it).
    { name: 'LITELLM_MODE', value: 'PRODUCTION' },
    // LiteLLM's duration format ("30d"): LiteLLM_SpendLogs rows older than that are deleted by its daily cleanup job.
    { name: SPEND_LOGS_RETENTION_ENV, value: `${props.spendLogsRetentionDays}d` },
  ];
  if (props.redis) {
    env.push(
      // litellm_settings.cache: the proxy's shared cache on the same Redis. Unset without Redis, where a Redis cache
      // would fail the start (no host): gateway-image/config/litellm_config.yaml.
      { name: REDIS_CACHE_ENV, value: 'true' },
      { name: 'REDIS_HOST', value: props.redis.host },
      { name: 'REDIS_PORT', value: String(props.redis.port) },
      { name: 'REDIS_SSL', value: props.redis.tls ? 'true' : 'false' },
    );
    if (props.redis.iam) {
      // LiteLLM's ElastiCache IAM authentication (docs.litellm.ai/docs/proxy/elasticache_iam, BerriAI/litellm pull
      // request #38413): read from the environment for every Redis client it builds, the router's and the cache's
      // (_redis_kwargs_from_environment, litellm/_redis.py). Credentials come from the task role.
      env.push(
        { name: 'REDIS_AWS_IAM_AUTH', value: 'true' },
        { name: 'REDIS_AWS_IAM_USER_NAME', value: props.redis.iam.userName },
        { name: 'REDIS_AWS_IAM_CACHE_NAME', value: props.redis.iam.cacheName },
        { name: 'REDIS_AWS_IAM_REGION', value: props.region },
      );
    }
  }
  env.push(...(props.guardrail ?? []));
  // Profile ARNs and model names only: nothing secret (the task definition is not a place for secrets).
  if (props.agentRouting !== undefined) env.push({ name: AGENT_ROUTING_ENV, value: props.agentRouting });
  return sortByName(env);
}

export function secretReferences(props: Pick<GatewayContainerProps, 'gateway' | 'secrets'>): SecretReference[] {
  const { secrets } = props;
  return sortByName([
    { name: props.gateway.masterKeyEnvName, valueFrom: secrets.masterKeyArn },
    { name: 'LITELLM_SALT_KEY', valueFrom: secrets.saltKeyArn },
    { name: 'DATABASE_URL', valueFrom: secrets.databaseUrlArn },
    // `<arn>:<json key>:<version stage>:<version id>`: empty stage and id mean AWSCURRENT.
    { name: 'UI_USERNAME', valueFrom: `${secrets.uiCredentialsArn}:${UI_CREDENTIAL_KEYS.username}::` },
    { name: 'UI_PASSWORD', valueFrom: `${secrets.uiCredentialsArn}:${UI_CREDENTIAL_KEYS.password}::` },
  ]);
}

export function gatewayContainerDefinition(props: GatewayContainerProps): ContainerDefinition {
  const environment = plainEnvironment(props);
  const secrets = secretReferences(props);
  // A secret named like a plain variable (gateway.masterKeyEnvName) is refused by modules/catalogue-checks.ts.
  return {
    name: CONTAINER_NAME,
    image: props.image,
    essential: true,
    // Arguments for the image's entrypoint (the config check, then prod_entrypoint.sh, which execs litellm with them).
    // --keepalive_timeout is uvicorn's timeout_keep_alive; above the ALB idle timeout or the ALB reuses a socket the
    // server is closing and answers 502 (docs/design.md#alb-idle-timeout). An unknown option would stop the start, not be ignored.
    command: [
      '--config', CONFIG_PATH,
      '--port', String(CONTAINER_PORTS.proxy),
      '--num_workers', String(props.gateway.numWorkers),
      '--keepalive_timeout', String(props.gateway.keepAliveTimeoutSeconds),
      // uvicorn's limit_max_requests (proxy_cli.py): a worker exits after this many requests and uvicorn starts a
      // fresh one, returning the memory the old one grew (docs.litellm.ai/docs/proxy/prod, "Sizing and workers").
      '--max_requests_before_restart', String(props.gateway.maxRequestsBeforeRestart),
    ],
    portMappings: [{ containerPort: CONTAINER_PORTS.proxy, hostPort: CONTAINER_PORTS.proxy, protocol: 'tcp' }],
    environment,
    secrets,
    healthCheck: {
      // The image has no curl or wget; python3 is there. The proxy's own port, as the ALB checks it: without the
      // separate health app nothing answers when the proxy does not (the image's entrypoint execs the proxy
      // directly; with SEPARATE_HEALTH_APP, supervisord's process monitor stopped the whole container when the
      // proxy exited anyway, so the health app never outlived it). docs/gateway-runtime.md.
      command: ['CMD', 'python3', '-c', CONTAINER_HEALTH_COMMAND],
      interval: 30,
      timeout: 5,
      retries: 3,
      // Counted from the proxy container's start, which follows the migration container: only the proxy's own
      // start-up (config, router, Prisma client) falls into it.
      startPeriod: props.gateway.healthCheckStartPeriodSeconds,
    },
    logConfiguration: {
      logDriver: 'awslogs',
      options: { 'awslogs-group': props.logGroupName, 'awslogs-region': props.region, 'awslogs-stream-prefix': CONTAINER_NAME },
    },
    // ECS Exec starts an SSM agent inside the container; an init process reaps what it leaves behind.
    linuxParameters: { initProcessEnabled: true },
    // LiteLLM's image writes at run time: supervisord's log and pid in /tmp, Prisma's engine and migration files,
    // Python caches. A read-only root would need each of those found and mounted; not worth a crash loop.
    readonlyRootFilesystem: false,
    // SIGTERM comes only after the ALB has drained this target (deregistration delay, load-balancer.ts): by then
    // in-flight completions are done or cut, and this is just uvicorn's own shutdown budget (Fargate: at most 120 s).
    stopTimeout: props.gateway.stopTimeoutSeconds,
    dependsOn: [{ containerName: MIGRATION_CONTAINER_NAME, condition: 'SUCCESS' }],
  };
}

/**
 * The migration container: the same image and config, `--skip_server_startup` (proxy_cli.py: run the database
 * setup, then return without serving), so it applies LiteLLM's Prisma migrations (`prisma migrate deploy` through
 * litellm-proxy-extras) and exits. Non-essential, so its exit does not stop the task; the proxy waits for it to
 * exit 0. ENFORCE_PRISMA_MIGRATION_CHECK makes a failed migration a non-zero exit instead of LiteLLM's default
 * "continue startup", so the proxy never serves on a half-migrated schema. Two tasks starting together each run
 * one; Prisma's own lock covers only `prisma migrate deploy`, so the whole run is under MIGRATION_ENTRY_POINT's lock
 * (docs/gateway-runtime.md, "Concurrency").
 */
export function migrationContainerDefinition(
  props: Pick<GatewayContainerProps, 'image' | 'gateway' | 'secrets' | 'logGroupName' | 'region' | 'configSha256'>,
): MigrationContainerDefinition {
  return {
    name: MIGRATION_CONTAINER_NAME,
    image: props.image,
    essential: false,
    entryPoint: [...MIGRATION_ENTRY_POINT],
    command: ['--config', CONFIG_PATH, '--skip_server_startup'],
    environment: sortByName([
      // It reads the same config (general_settings): an image with another catalogue stops here, before migrating.
      configHashVariable(props.configSha256),
      { name: 'ENFORCE_PRISMA_MIGRATION_CHECK', value: 'true' },
      { name: 'JSON_LOGS', value: 'True' },
      { name: 'LITELLM_LOCAL_MODEL_COST_MAP', value: 'True' },
      { name: 'LITELLM_LOG', value: props.gateway.logLevel },
      { name: 'LITELLM_MODE', value: 'PRODUCTION' },
    ]),
    // Only the database: the migration needs no admin key, salt or UI credentials.
    secrets: [{ name: 'DATABASE_URL', valueFrom: props.secrets.databaseUrlArn }],
    logConfiguration: {
      logDriver: 'awslogs',
      options: { 'awslogs-group': props.logGroupName, 'awslogs-region': props.region, 'awslogs-stream-prefix': MIGRATION_CONTAINER_NAME },
    },
    linuxParameters: { initProcessEnabled: true },
    // Prisma writes its engine files and, when it baselines an existing database, migration files.
    readonlyRootFilesystem: false,
    stopTimeout: props.gateway.stopTimeoutSeconds,
  };
}

/**
 * The names (not the values) of the variables the gateway container sets, plain and secret, for a configuration:
 * what the catalogue checks (modules/catalogue-checks.ts) hold the LiteLLM config's `os.environ/` references
 * against before any resource exists. Built by the same functions as the container, from placeholder values.
 */
export function containerVariableNames(props: {
  readonly gateway: GatewayContainerProps['gateway'];
  readonly redisEnabled: boolean;
  /** `gateway.redis.iamAuth` (only read with Redis on). @default false */
  readonly redisIamAuth?: boolean;
  /** Names of the guardrail variables the container sets (GUARDRAIL_ENV when the guardrail is on). */
  readonly guardrailNames: readonly string[];
}): { readonly plain: string[]; readonly secret: string[] } {
  const placeholder = '';
  const plain = plainEnvironment({
    gateway: props.gateway,
    spendLogsRetentionDays: 1,
    region: placeholder,
    configSha256: '0'.repeat(64),
    redis: props.redisEnabled
      ? { host: placeholder, port: 0, tls: true, ...(props.redisIamAuth ? { iam: { userName: placeholder, cacheName: placeholder } } : {}) }
      : undefined,
    guardrail: props.guardrailNames.map((name) => ({ name, value: placeholder })),
  });
  const secrets = secretReferences({
    gateway: props.gateway,
    secrets: { databaseUrlArn: placeholder, masterKeyArn: placeholder, saltKeyArn: placeholder, uiCredentialsArn: placeholder },
  });
  return { plain: plain.map((v) => v.name), secret: secrets.map((v) => v.name) };
}

export interface ReferenceCheck {
  /** `catalogue.environmentReferences`. */
  readonly references: readonly string[];
  /** `catalogue.redisEnvironmentReferences`: required only when Redis is on. */
  readonly redisReferences: readonly string[];
  readonly redisEnabled: boolean;
  /** `catalogue.guardrailEnvironmentReferences`: required only when the guardrail is on. @default [] */
  readonly guardrailReferences?: readonly string[];
  /** @default false */
  readonly guardrailEnabled?: boolean;
  /** Names the container sets, plain or secret. */
  readonly provided: readonly string[];
  /** Names left unset on purpose, each with the reason (LiteLLM resolves an unset reference to null). */
  readonly unsetByDesign: Readonly<Record<string, string>>;
}

/**
 * Every `os.environ/NAME` in the LiteLLM config must be set in the container, or LiteLLM silently reads null (a
 * missing master key, no database). Returns the problems; empty when all is provided.
 */
export function missingEnvironmentReferences(check: ReferenceCheck): string[] {
  const provided = new Set(check.provided);
  const redis = new Set(check.redisReferences);
  const guardrail = new Set(check.guardrailReferences ?? []);
  return check.references.filter((name) => {
    if (provided.has(name)) return false;
    if (redis.has(name) && !check.redisEnabled) return false;
    // Off, the guardrail entry's references stay unset on purpose: null everywhere means it never runs.
    if (guardrail.has(name) && !check.guardrailEnabled) return false;
    return !Object.prototype.hasOwnProperty.call(check.unsetByDesign, name);
  });
}

function configHashVariable(sha256: string): KeyValue {
  if (!SHA256_HEX.test(sha256)) {
    throw new Error(`${CONFIG_SHA256_ENV}: ${JSON.stringify(sha256)} is not allowed; expected the 64 lowercase hex digits of catalogue.sha256`);
  }
  return { name: CONFIG_SHA256_ENV, value: sha256 };
}

function sortByName<T extends { readonly name: string }>(items: T[]): T[] {
  // A fixed order keeps the rendered task definition stable; ECS does not care about it.
  return [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
