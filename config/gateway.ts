import { GuardrailConfig, checkGuardrail, guardrailDefaults, guardrailSpec } from './guardrail';
import { ConfigIssue, DerivedDefaults, Mandatory, NumberSpec, ObjectSpecOf, arnSpec, logRetentionSpec } from './schema';

export interface ImageConfig {
  /**
   * `build`: the docker provider builds `gateway-image/` at deploy time and pushes it to the ECR repository.
   * `prebuilt`: an image built elsewhere (`uri`); no docker provider in the output (Terraform Cloud, Atlantis, CI
   * without Docker). @default 'build'
   */
  readonly mode: 'build' | 'prebuilt';
  /** Image reference, ideally pinned by `@sha256:` digest. Required with `prebuilt`, refused with `build`. */
  readonly uri?: string;
  /** Platform of the image: the build platform and the task's CPU architecture. @default 'linux/arm64' (Graviton) */
  readonly platform: 'linux/arm64' | 'linux/amd64';
}

export interface DnsConfig {
  /** Private hosted zone name. @default 'document-processing.internal' */
  readonly zoneName: string;
  /** Record in the zone that aliases the ALB. @default 'llm-gateway' */
  readonly recordName: string;
  /** Use this existing private zone instead of creating one. @default - a zone is created on the VPC */
  readonly existingZoneId?: string;
}

export interface RedisConfig {
  /**
   * Shared rate limits and cooldowns across tasks and workers (docs/design.md#rate-limits). Off, every LiteLLM process counts on its
   * own: the fleet may send up to maxTasks x numWorkers times the configured rpm/tpm before a 429.
   * @default false in dev, true in prod
   */
  readonly enabled: boolean;
  /** @default 'cache.t4g.micro' */
  readonly nodeType: string;
  /** @default '8.0' (Valkey) */
  readonly engineVersion: string;
  /** Nodes in the replication group; 2 or more adds a replica in another AZ with automatic failover. @default 1 */
  readonly numCacheClusters: number;
}

/**
 * Where the service's tasks run. `on-demand`: launch type FARGATE, as before. `spot`: a capacity provider strategy
 * over FARGATE (on-demand) and FARGATE_SPOT (ARM64 runs on Spot from platform version 1.4.0, the LATEST; ECS API
 * reference, CapacityProviderStrategyItem). A Spot task gets SIGTERM two minutes before it is reclaimed, then
 * `stopTimeoutSeconds` to finish its requests while the ALB drains it; completions longer than that are cut. ECS
 * does not move a task to FARGATE by itself when Spot has no capacity: the task stays pending (the running-tasks
 * alarm pages) until capacity returns or `onDemandBase`/`onDemandWeight` send tasks to FARGATE. docs/cost.md.
 */
export interface CapacityConfig {
  /** @default 'spot' in dev, 'on-demand' in prod */
  readonly mode: 'on-demand' | 'spot';
  /** With `spot`: the first tasks always placed on FARGATE (on-demand) before the weights apply. @default 0 */
  readonly onDemandBase: number;
  /** With `spot`: relative share of the tasks beyond the base placed on FARGATE. @default 0 */
  readonly onDemandWeight: number;
  /** With `spot`: relative share of the tasks beyond the base placed on FARGATE_SPOT. @default 1 */
  readonly spotWeight: number;
}

export interface EcsExecConfig {
  /** ECS Exec on the service (break-glass shell into a task); off removes the task role's SSM channel too. @default true */
  readonly enabled: boolean;
  /**
   * Where session output goes (the cluster's `execute_command_configuration.logging`). `OVERRIDE`: a dedicated log
   * group `<gateway log group>/ecs-exec`. `NONE`: not logged. AWS's `DEFAULT` is refused: it writes session output
   * to the container's awslogs group, the gateway log group whose metric filters count requests and errors.
   * @default 'OVERRIDE'
   */
  readonly logging: 'OVERRIDE' | 'NONE';
  /** Retention of the session log group. @default 90 */
  readonly logRetentionDays: number;
}

export interface GatewayConfig {
  readonly image: ImageConfig;
  readonly capacity: CapacityConfig;
  /**
   * Container Insights on the ECS cluster: task counts and per-task metrics, billed as custom metrics. Off, the
   * running-tasks alarm watches the ALB's healthy targets instead (AWS/ApplicationELB, free). docs/cost.md.
   * @default false in dev, true in prod (the policy pack requires it in prod)
   */
  readonly containerInsights: boolean;
  /** ECR lifecycle policy keeps this many images. @default 10 */
  readonly ecrKeepImages: number;
  /**
   * Let `terraform destroy` delete the ECR repository with its images in it.
   * @default true in the `dev` environment, false elsewhere (images of a production service are evidence)
   */
  readonly ecrForceDelete: boolean;
  /** Fargate task CPU units (1024 = 1 vCPU). @default 1024 */
  readonly cpu: number;
  /** Fargate task memory in MiB. @default 2048 */
  readonly memoryMiB: number;
  /** @default 1 */
  readonly desiredCount: number;
  /** @default 1 */
  readonly minTasks: number;
  /** @default 4 */
  readonly maxTasks: number;
  /** Target CPU utilisation for scaling. @default 70 */
  readonly cpuTargetPercent: number;
  /** @default 60 */
  readonly scaleOutCooldownSeconds: number;
  /** @default 300 */
  readonly scaleInCooldownSeconds: number;
  /** Second scaling policy on ALB requests per target; 0 disables it. @default 200 */
  readonly requestsPerTargetTarget: number;
  /** Uvicorn workers per task. @default 2 */
  readonly numWorkers: number;
  /** LITELLM_LOG. @default 'INFO' */
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
  /** @default '/<appName>/llm-gateway' in dev (the seed's), '/<appName>/<env>/llm-gateway' elsewhere */
  readonly logGroupName: string;
  /** @default 14 */
  readonly logRetentionDays: number;
  /** Env var the admin key is injected as; must match the LiteLLM config's os.environ reference. @default 'LITELLM_MASTER_KEY' */
  readonly masterKeyEnvName: string;
  /**
   * ALB idle timeout: at least LiteLLM's request_timeout (read from the model catalogue, checked by the gateway
   * stack), or long completions get a 504 (docs/design.md#alb-idle-timeout). @default 660
   */
  readonly albIdleTimeoutSeconds: number;
  /** Server keep-alive, above the ALB idle timeout or the ALB sees resets (docs/design.md#alb-idle-timeout). @default 665 */
  readonly keepAliveTimeoutSeconds: number;
  /**
   * Container health check start period of the proxy. It starts after the migration container has exited, so only
   * the proxy's own start-up counts here. @default 120
   */
  readonly healthCheckStartPeriodSeconds: number;
  /**
   * ECS service grace period before ALB health counts, from the task's start: the migrations (the first start on an
   * empty database replays LiteLLM's whole migration history) plus the proxy's start period. At least
   * `healthCheckStartPeriodSeconds + 60`. @default 420
   */
  readonly healthCheckGracePeriodSeconds: number;
  /**
   * ALB deregistration delay: how long a task leaving the service (deploy, scale-in) keeps serving the requests it
   * has. At least LiteLLM's `request_timeout` (checked against the model catalogue by the gateway stack); free for
   * a task with nothing in flight. ELB allows 0-3600. @default 660
   */
  readonly deregistrationDelaySeconds: number;
  /**
   * Seconds between SIGTERM and SIGKILL once a task is told to stop. ECS sends SIGTERM only after the ALB has
   * drained the task (deregistrationDelaySeconds), so this is uvicorn's own shutdown budget. Fargate allows at
   * most 120. @default 120
   */
  readonly stopTimeoutSeconds: number;
  readonly ecsExec: EcsExecConfig;
  /** ACM certificate for the HTTPS listener; :80 then redirects. @default - HTTP only */
  readonly certificateArn?: string;
  /** @default 'ELBSecurityPolicy-TLS13-1-2-2021-06' */
  readonly sslPolicy: string;
  /**
   * ALB deletion protection: a `terraform destroy` (or a replacement) of the load balancer fails until it is turned
   * off, as for the prod database. @default false in dev, true in prod
   */
  readonly albDeletionProtection: boolean;
  readonly dns: DnsConfig;
  readonly redis: RedisConfig;
  /**
   * Let the task role create the account's AWS Marketplace subscription of the catalogue's third-party models on
   * their first call (aws-marketplace:ViewSubscriptions, and Subscribe for exactly their product ids). Off, an
   * operator enables the models once before the first deploy (README, "Before the first completion").
   * @default false
   */
  readonly bedrockMarketplaceSubscribe: boolean;
  /** Amazon Bedrock guardrail applied by LiteLLM: config/guardrail.ts, docs/guardrails.md. @default off */
  readonly guardrail: GuardrailConfig;
}

export const gatewayDefaults: Omit<GatewayConfig, keyof typeof gatewayDerivedDefaults> = {
  image: { mode: 'build', platform: 'linux/arm64' },
  capacity: { mode: 'on-demand', onDemandBase: 0, onDemandWeight: 0, spotWeight: 1 },
  containerInsights: true,
  ecrKeepImages: 10,
  cpu: 1024,
  memoryMiB: 2048,
  desiredCount: 1,
  minTasks: 1,
  maxTasks: 4,
  cpuTargetPercent: 70,
  scaleOutCooldownSeconds: 60,
  scaleInCooldownSeconds: 300,
  requestsPerTargetTarget: 200,
  numWorkers: 2,
  logLevel: 'INFO',
  logRetentionDays: 14,
  masterKeyEnvName: 'LITELLM_MASTER_KEY',
  albIdleTimeoutSeconds: 660,
  keepAliveTimeoutSeconds: 665,
  healthCheckStartPeriodSeconds: 120,
  healthCheckGracePeriodSeconds: 420,
  deregistrationDelaySeconds: 660,
  stopTimeoutSeconds: 120,
  ecsExec: { enabled: true, logging: 'OVERRIDE', logRetentionDays: 90 },
  sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
  albDeletionProtection: false,
  dns: { zoneName: 'document-processing.internal', recordName: 'llm-gateway' },
  redis: { enabled: false, nodeType: 'cache.t4g.micro', engineVersion: '8.0', numCacheClusters: 1 },
  bedrockMarketplaceSubscribe: false,
  guardrail: guardrailDefaults,
};

/**
 * dev keeps the seed's log group name; other environments add theirs, so that two environments in one account never
 * share a log group (and its metric filters).
 */
export const gatewayDerivedDefaults = {
  logGroupName: ({ appName, environment }) => (environment === 'dev' ? `/${appName}/llm-gateway` : `/${appName}/${environment}/llm-gateway`),
  ecrForceDelete: ({ environment }) => environment === 'dev',
} as const satisfies DerivedDefaults<GatewayConfig>;

/** The least time the grace period leaves the migration container before the proxy's start period begins. */
export const MIGRATION_ALLOWANCE_SECONDS = 60;

const seconds = (min: number, max: number): Mandatory<NumberSpec> => ({ kind: 'number', integer: true, min, max });

/**
 * The ALB's predefined security policies that allow nothing below TLS 1.2 (Elastic Load Balancing, "Security
 * policies for your Application Load Balancer"); ALB accepts no custom policy, so any other name fails at apply.
 */
export const ALB_TLS12_POLICIES = [
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-2-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-3-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09',
  'ELBSecurityPolicy-TLS-1-2-2017-01',
  'ELBSecurityPolicy-TLS-1-2-Ext-2018-06',
  'ELBSecurityPolicy-FS-1-2-2019-08',
  'ELBSecurityPolicy-FS-1-2-Res-2019-08',
  'ELBSecurityPolicy-FS-1-2-Res-2020-10',
] as const;

/**
 * Valkey versions ElastiCache offers for node-based replication groups, as major.minor (ElastiCache User Guide,
 * "Engine versions and upgrading in ElastiCache": Valkey 7.2, 8.0, 8.1, 8.2, 9.0, 9.1,
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html). Each major has its own parameter
 * group family (valkey7, valkey8, valkey9: "Engine specific parameters",
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html); the cache follows it
 * (modules/gateway/rate-limit-cache.ts).
 */
export const VALKEY_VERSIONS = ['7.2', '8.0', '8.1', '8.2', '9.0', '9.1'] as const;

/**
 * Valid Fargate CPU/memory pairs (MiB), from the ECS task size table (Amazon ECS Developer Guide, "Task CPU and
 * memory"): 256 CPU takes exactly 512, 1024 or 2048; the others a range in steps.
 */
export const FARGATE_SIZES: Readonly<Record<number, { readonly min: number; readonly max: number; readonly step: number; readonly only?: readonly number[] }>> = {
  256: { min: 512, max: 2048, step: 512, only: [512, 1024, 2048] },
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
  8192: { min: 16384, max: 61440, step: 4096 },
  16384: { min: 32768, max: 122880, step: 8192 },
};

export const gatewaySpec: Mandatory<ObjectSpecOf<GatewayConfig>> = {
  kind: 'object',
  fields: {
    image: {
      kind: 'object',
      fields: {
        mode: { kind: 'string', allowed: ['build', 'prebuilt'] },
        platform: { kind: 'string', allowed: ['linux/arm64', 'linux/amd64'] },
        uri: {
          kind: 'string',
          optional: true,
          pattern: /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._\/-]+(:[\w.-]+)?(@sha256:[a-f0-9]{64})?$/,
          describe: 'an image reference like <account>.dkr.ecr.<region>.amazonaws.com/repo@sha256:<64 hex> (or :tag)',
        },
      },
    },
    capacity: {
      kind: 'object',
      fields: {
        mode: { kind: 'string', allowed: ['on-demand', 'spot'] },
        // CapacityProviderStrategyItem: base 0-100000, weight 0-1000.
        onDemandBase: { kind: 'number', integer: true, min: 0, max: 100000 },
        onDemandWeight: { kind: 'number', integer: true, min: 0, max: 1000 },
        spotWeight: { kind: 'number', integer: true, min: 0, max: 1000 },
      },
    },
    containerInsights: { kind: 'boolean' },
    ecrKeepImages: { kind: 'number', integer: true, min: 1, max: 1000 },
    ecrForceDelete: { kind: 'boolean' },
    cpu: { kind: 'number', allowed: Object.keys(FARGATE_SIZES).map(Number) },
    memoryMiB: { kind: 'number', integer: true, min: 512, max: 122880 },
    desiredCount: { kind: 'number', integer: true, min: 0, max: 100 },
    minTasks: { kind: 'number', integer: true, min: 0, max: 100 },
    maxTasks: { kind: 'number', integer: true, min: 1, max: 100 },
    cpuTargetPercent: { kind: 'number', min: 10, max: 95 },
    scaleOutCooldownSeconds: seconds(0, 3600),
    scaleInCooldownSeconds: seconds(0, 3600),
    requestsPerTargetTarget: { kind: 'number', integer: true, min: 0, max: 100000 },
    numWorkers: { kind: 'number', integer: true, min: 1, max: 16 },
    logLevel: { kind: 'string', allowed: ['DEBUG', 'INFO', 'WARNING', 'ERROR'] },
    logGroupName: { kind: 'string', pattern: /^[\w\-/.#]{1,512}$/, describe: 'a CloudWatch log group name ([A-Za-z0-9_-/.#], 1-512 chars)' },
    logRetentionDays: logRetentionSpec,
    masterKeyEnvName: { kind: 'string', pattern: /^[A-Z][A-Z0-9_]*$/, describe: 'an upper-case environment variable name' },
    albIdleTimeoutSeconds: seconds(1, 4000),
    keepAliveTimeoutSeconds: seconds(1, 4100),
    healthCheckStartPeriodSeconds: seconds(0, 300),
    healthCheckGracePeriodSeconds: seconds(0, 2147483647),
    deregistrationDelaySeconds: seconds(0, 3600),
    // ECS ContainerDefinition.stopTimeout: "For tasks that use the Fargate launch type, the max stop timeout value
    // is 120 seconds" (ECS API reference).
    stopTimeoutSeconds: seconds(2, 120),
    ecsExec: {
      kind: 'object',
      fields: {
        enabled: { kind: 'boolean' },
        logging: { kind: 'string', allowed: ['OVERRIDE', 'NONE'] },
        logRetentionDays: logRetentionSpec,
      },
    },
    certificateArn: arnSpec('acm', true),
    sslPolicy: { kind: 'string', allowed: ALB_TLS12_POLICIES },
    albDeletionProtection: { kind: 'boolean' },
    dns: {
      kind: 'object',
      fields: {
        zoneName: { kind: 'string', pattern: /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$/, describe: 'a DNS zone name like document-processing.internal' },
        recordName: { kind: 'string', pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, describe: 'a single DNS label like llm-gateway' },
        existingZoneId: { kind: 'string', optional: true, pattern: /^Z[A-Z0-9]{4,32}$/, describe: 'a Route 53 zone id like Z0123456789ABCDEFGHIJ' },
      },
    },
    redis: {
      kind: 'object',
      fields: {
        enabled: { kind: 'boolean' },
        nodeType: { kind: 'string', pattern: /^cache\.[a-z0-9]+\.[a-z0-9]+$/, describe: 'an ElastiCache node type like cache.t4g.micro' },
        engineVersion: { kind: 'string', allowed: VALKEY_VERSIONS },
        numCacheClusters: { kind: 'number', integer: true, min: 1, max: 6 },
      },
    },
    bedrockMarketplaceSubscribe: { kind: 'boolean' },
    guardrail: guardrailSpec,
  },
};

export function checkGateway(g: GatewayConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (g.image.mode === 'prebuilt' && !g.image.uri) {
    issues.push({ path: 'gateway.image.uri', value: undefined, allowed: 'an image URI (required when image.mode is "prebuilt")' });
  }
  if (g.image.mode === 'build' && g.image.uri !== undefined) {
    issues.push({ path: 'gateway.image.uri', value: g.image.uri, allowed: 'no uri when image.mode is "build" (set mode "prebuilt")' });
  }
  const size = FARGATE_SIZES[g.cpu];
  if (size?.only && !size.only.includes(g.memoryMiB)) {
    issues.push({ path: 'gateway.memoryMiB', value: g.memoryMiB, allowed: `one of ${size.only.join(', ')} for cpu ${g.cpu}` });
  } else if (size && !size.only && (g.memoryMiB < size.min || g.memoryMiB > size.max || (g.memoryMiB - size.min) % size.step !== 0)) {
    issues.push({ path: 'gateway.memoryMiB', value: g.memoryMiB, allowed: `${size.min} to ${size.max} in steps of ${size.step} for cpu ${g.cpu}` });
  }
  if (g.minTasks > g.maxTasks) {
    issues.push({ path: 'gateway.minTasks', value: g.minTasks, allowed: `at most gateway.maxTasks (${g.maxTasks})` });
  }
  if (g.desiredCount < g.minTasks || g.desiredCount > g.maxTasks) {
    issues.push({ path: 'gateway.desiredCount', value: g.desiredCount, allowed: `from gateway.minTasks (${g.minTasks}) to gateway.maxTasks (${g.maxTasks})` });
  }
  if (g.keepAliveTimeoutSeconds <= g.albIdleTimeoutSeconds) {
    issues.push({
      path: 'gateway.keepAliveTimeoutSeconds',
      value: g.keepAliveTimeoutSeconds,
      allowed: `more than gateway.albIdleTimeoutSeconds (${g.albIdleTimeoutSeconds}), or the ALB reuses closed connections: 502 (docs/design.md#alb-idle-timeout)`,
    });
  }
  const minimumGrace = g.healthCheckStartPeriodSeconds + MIGRATION_ALLOWANCE_SECONDS;
  if (g.healthCheckGracePeriodSeconds < minimumGrace) {
    issues.push({
      path: 'gateway.healthCheckGracePeriodSeconds',
      value: g.healthCheckGracePeriodSeconds,
      allowed:
        `at least gateway.healthCheckStartPeriodSeconds + ${MIGRATION_ALLOWANCE_SECONDS} (${minimumGrace}): the grace period runs from ` +
        'the task start, which the migration container precedes; a shorter one lets the ALB fail tasks still migrating',
    });
  }
  if (g.capacity.mode === 'spot') {
    if (g.capacity.spotWeight < 1) {
      issues.push({ path: 'gateway.capacity.spotWeight', value: g.capacity.spotWeight, allowed: 'at least 1 with capacity.mode "spot" (or mode "on-demand")' });
    }
    if (g.capacity.onDemandBase > g.maxTasks) {
      issues.push({ path: 'gateway.capacity.onDemandBase', value: g.capacity.onDemandBase, allowed: `at most gateway.maxTasks (${g.maxTasks})` });
    }
  } else if (g.capacity.onDemandBase !== 0 || g.capacity.onDemandWeight !== 0) {
    issues.push({
      path: 'gateway.capacity.mode',
      value: g.capacity.mode,
      allowed: '"spot" when onDemandBase or onDemandWeight is set (with "on-demand" every task is on FARGATE and they mean nothing)',
    });
  }
  issues.push(...checkGuardrail(g.guardrail));
  return issues;
}
