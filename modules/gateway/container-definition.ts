/**
 * The LiteLLM container of the task definition, as a plain object (the stack JSON.stringify-s it), and the synth-time
 * check that the LiteLLM config's `os.environ/NAME` references are all provided by it.
 */
import type { GatewayConfig } from '../../config/gateway';
import { GatewaySecretArns, UI_CREDENTIAL_KEYS } from '../../stacks/contracts';

export const CONTAINER_NAME = 'litellm';
/** The proxy and LiteLLM's separate health app (facts C2); the networking stack opens exactly these. */
export const CONTAINER_PORTS = { proxy: 4000, health: 8001 } as const;
/** No auth, no model call (facts C3); served by the separate health app (facts C2). */
export const LIVENESS_PATH = '/health/liveliness';

/** Container health probe: the health app and the proxy, each on the unauthenticated liveliness path. */
export const CONTAINER_HEALTH_COMMAND =
  `import urllib.request; [urllib.request.urlopen(f'http://localhost:{p}${LIVENESS_PATH}', timeout=2) ` +
  `for p in (${CONTAINER_PORTS.health}, ${CONTAINER_PORTS.proxy})]`;
/** Where the image keeps the LiteLLM config (gateway-image/Dockerfile). */
export const CONFIG_PATH = '/app/config.yaml';

export interface RedisEndpoint {
  readonly host: string;
  readonly port: number;
  /** In-transit encryption: the client must speak TLS. */
  readonly tls: boolean;
}

export interface GatewayContainerProps {
  readonly image: string;
  readonly gateway: Pick<
    GatewayConfig,
    'numWorkers' | 'logLevel' | 'keepAliveTimeoutSeconds' | 'masterKeyEnvName' | 'healthCheckStartPeriodSeconds' | 'stopTimeoutSeconds'
  >;
  /** Region of the gateway: LiteLLM's default Bedrock region when a model sets none. */
  readonly region: string;
  readonly secrets: GatewaySecretArns;
  readonly logGroupName: string;
  /** @default - no Redis variables: limits and cooldowns stay per process (facts C7) */
  readonly redis?: RedisEndpoint;
  /** Variables of the config's Bedrock guardrail entry (modules/gateway/guardrail.ts). @default - none: the guardrail never runs */
  readonly guardrail?: readonly KeyValue[];
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
}

export function plainEnvironment(props: Pick<GatewayContainerProps, 'gateway' | 'region' | 'redis' | 'guardrail'>): KeyValue[] {
  const env: KeyValue[] = [
    { name: 'AWS_REGION_NAME', value: props.region },
    // The health app listens on SEPARATE_HEALTH_PORT, default 4001 (facts C2); the ALB and the check use 8001.
    { name: 'SEPARATE_HEALTH_APP', value: '1' },
    { name: 'SEPARATE_HEALTH_PORT', value: String(CONTAINER_PORTS.health) },
    { name: 'JSON_LOGS', value: 'True' },
    { name: 'LITELLM_LOG', value: props.gateway.logLevel },
    // The price map bundled in the image: no download at start, costs match the pinned version.
    { name: 'LITELLM_LOCAL_MODEL_COST_MAP', value: 'True' },
    // Never load a stray .env from the working directory (a pre-built image may not set it).
    { name: 'LITELLM_MODE', value: 'PRODUCTION' },
  ];
  if (props.redis) {
    env.push(
      { name: 'REDIS_HOST', value: props.redis.host },
      { name: 'REDIS_PORT', value: String(props.redis.port) },
      { name: 'REDIS_SSL', value: props.redis.tls ? 'true' : 'false' },
    );
  }
  env.push(...(props.guardrail ?? []));
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
  const clash = environment.filter((e) => secrets.some((s) => s.name === e.name)).map((e) => e.name);
  if (clash.length > 0) {
    throw new Error(`gateway.masterKeyEnvName: ${JSON.stringify(clash[0])} is already a plain environment variable of the container; allowed: a name not in ${environment.map((e) => e.name).join(', ')}`);
  }
  return {
    name: CONTAINER_NAME,
    image: props.image,
    essential: true,
    // Arguments for the image's entrypoint (prod_entrypoint.sh, then supervisord): facts "LiteLLM facts used".
    // --keepalive_timeout is uvicorn's timeout_keep_alive; above the ALB idle timeout or the ALB reuses a socket the
    // server is closing and answers 502 (facts C6). An unknown option would stop the start, not be ignored.
    command: [
      '--config', CONFIG_PATH,
      '--port', String(CONTAINER_PORTS.proxy),
      '--num_workers', String(props.gateway.numWorkers),
      '--keepalive_timeout', String(props.gateway.keepAliveTimeoutSeconds),
    ],
    portMappings: [
      { containerPort: CONTAINER_PORTS.proxy, hostPort: CONTAINER_PORTS.proxy, protocol: 'tcp' },
      { containerPort: CONTAINER_PORTS.health, hostPort: CONTAINER_PORTS.health, protocol: 'tcp' },
    ],
    environment,
    secrets,
    healthCheck: {
      // The image has no curl or wget; python3 is there (facts C4). Both ports: the health app on 8001 keeps
      // answering when supervisord has given up on the proxy (crash loop, failed migration), and only the proxy's
      // own /health/liveliness on 4000 shows that; ECS then replaces the task and the circuit breaker can roll back.
      command: ['CMD', 'python3', '-c', CONTAINER_HEALTH_COMMAND],
      interval: 30,
      timeout: 5,
      retries: 3,
      // The first start replays the Prisma migrations.
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
    stopTimeout: props.gateway.stopTimeoutSeconds,
  };
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

function sortByName<T extends { readonly name: string }>(items: T[]): T[] {
  // A fixed order keeps the rendered task definition stable; ECS does not care about it.
  return [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
