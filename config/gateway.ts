import { GuardrailConfig, checkGuardrail, guardrailSpec } from './guardrail';
import { ScheduleConfig, checkSchedule, scheduleSpec } from './schedule';
import { ACM_CERTIFICATE_ARN, certificateRegionProblem } from './aws';
import { ConfigIssue, DerivedDefaults, Mandatory, NumberSpec, ObjectSpecOf, defaultsOf, logRetentionSpec } from './schema';

export interface ImageConfig {
  /**
   * `build`: the docker provider builds `gateway-image/` at deploy time and pushes it to the ECR repository.
   * `prebuilt`: an image built elsewhere (`uri`); no docker provider in the output (Terraform Cloud, Atlantis, CI
   * without Docker).
   */
  readonly mode: 'build' | 'prebuilt';
  /** Image reference, ideally pinned by `@sha256:` digest. Required with `prebuilt`, refused with `build`. */
  readonly uri?: string;
  /** Platform of the image: the build platform and the task's CPU architecture (linux/arm64: Graviton). */
  readonly platform: 'linux/arm64' | 'linux/amd64';
}

export interface DnsConfig {
  /** Private hosted zone name. */
  readonly zoneName: string;
  /** Record in the zone that aliases the ALB. */
  readonly recordName: string;
  /** Use this existing private zone instead of creating one. @default - a zone is created on the VPC */
  readonly existingZoneId?: string;
}

export interface RedisConfig {
  /**
   * Shared rate limits and cooldowns across tasks and workers (docs/design.md#rate-limits). Off, every LiteLLM process counts on its
   * own: the fleet may send up to maxTasks x numWorkers times the configured rpm/tpm before a 429.
   */
  readonly enabled: boolean;
  readonly nodeType: string;
  readonly engineVersion: string;
  /** Nodes in the replication group; 2 or more adds a replica in another AZ with automatic failover. */
  readonly numCacheClusters: number;
  /**
   * ElastiCache IAM authentication: LiteLLM signs a short-lived SigV4 token per connection with the task role, so no
   * Redis password exists anywhere (docs/gateway-runtime.md#capacity). Off, any client that reaches the port over TLS
   * gets in (only ecs-sg does): for a LiteLLM image without its `aws_iam_auth` Redis setting.
   */
  readonly iamAuth: boolean;
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
  readonly mode: 'on-demand' | 'spot';
  /** With `spot`: the first tasks always placed on FARGATE (on-demand) before the weights apply. */
  readonly onDemandBase: number;
  /** With `spot`: relative share of the tasks beyond the base placed on FARGATE. */
  readonly onDemandWeight: number;
  /** With `spot`: relative share of the tasks beyond the base placed on FARGATE_SPOT. */
  readonly spotWeight: number;
}

export interface EcsExecConfig {
  /** ECS Exec on the service (break-glass shell into a task); off removes the task role's SSM channel too. */
  readonly enabled: boolean;
  /**
   * Where session output goes (the cluster's `execute_command_configuration.logging`). `OVERRIDE`: a dedicated log
   * group `<gateway log group>/ecs-exec`. `NONE`: not logged. AWS's `DEFAULT` is refused: it writes session output
   * to the container's awslogs group, the gateway log group whose metric filters count requests and errors.
   */
  readonly logging: 'OVERRIDE' | 'NONE';
  /** Retention of the session log group. */
  readonly logRetentionDays: number;
}

export interface GatewayConfig {
  readonly image: ImageConfig;
  readonly capacity: CapacityConfig;
  /**
   * Container Insights on the ECS cluster: task counts and per-task metrics, billed as custom metrics. Off, the
   * running-tasks alarm watches the ALB's healthy targets instead (AWS/ApplicationELB, free). docs/cost.md.
   */
  readonly containerInsights: boolean;
  /** ECR lifecycle policy keeps this many images. */
  readonly ecrKeepImages: number;
  /**
   * Let `terraform destroy` delete the ECR repository with its images in it.
   */
  readonly ecrForceDelete: boolean;
  /** Fargate task CPU units (1024 = 1 vCPU). */
  readonly cpu: number;
  /** Fargate task memory in MiB. */
  readonly memoryMiB: number;
  readonly desiredCount: number;
  readonly minTasks: number;
  readonly maxTasks: number;
  /** Target CPU utilisation for scaling. */
  readonly cpuTargetPercent: number;
  readonly scaleOutCooldownSeconds: number;
  readonly scaleInCooldownSeconds: number;
  /** Second scaling policy on ALB requests per target; 0 disables it. */
  readonly requestsPerTargetTarget: number;
  /**
   * Uvicorn workers per task. LiteLLM's production guide sizes one worker per vCPU and at least 4 GiB per worker
   * (checkGateway refuses less: SIZING_PER_WORKER); the fleet grows by tasks, not by workers.
   */
  readonly numWorkers: number;
  /**
   * Each worker restarts after this many requests (`--max_requests_before_restart`, uvicorn's `limit_max_requests`):
   * LiteLLM's guide recycles workers so that the memory a worker (and its Prisma engine) accumulates is returned.
   */
  readonly maxRequestsBeforeRestart: number;
  /** LITELLM_LOG. */
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
  /** @default - '/<appName>/llm-gateway' in dev, '/<appName>/<env>/llm-gateway' elsewhere (gatewayDerivedDefaults) */
  readonly logGroupName: string;
  readonly logRetentionDays: number;
  /** Env var the admin key is injected as; must match the LiteLLM config's os.environ reference. */
  readonly masterKeyEnvName: string;
  /**
   * ALB idle timeout: at least LiteLLM's request_timeout (read from the model catalogue, checked by the gateway
   * stack), or long completions get a 504 (docs/design.md#alb-idle-timeout).
   */
  readonly albIdleTimeoutSeconds: number;
  /** Server keep-alive, above the ALB idle timeout or the ALB sees resets (docs/design.md#alb-idle-timeout). */
  readonly keepAliveTimeoutSeconds: number;
  /**
   * Container health check start period of the proxy. It starts after the migration container has exited, so only
   * the proxy's own start-up counts here.
   */
  readonly healthCheckStartPeriodSeconds: number;
  /**
   * ECS service grace period before ALB health counts, from the task's start: the migrations (the first start on an
   * empty database replays LiteLLM's whole migration history) plus the proxy's start period. At least
   * `healthCheckStartPeriodSeconds + 60`.
   */
  readonly healthCheckGracePeriodSeconds: number;
  /**
   * ALB deregistration delay: how long a task leaving the service (deploy, scale-in) keeps serving the requests it
   * has. At least LiteLLM's `request_timeout` (checked against the model catalogue by the gateway stack); free for
   * a task with nothing in flight. ELB allows 0-3600.
   */
  readonly deregistrationDelaySeconds: number;
  /**
   * Seconds between SIGTERM and SIGKILL once a task is told to stop. ECS sends SIGTERM only after the ALB has
   * drained the task (deregistrationDelaySeconds), so this is uvicorn's own shutdown budget. Fargate allows at
   * most 120.
   */
  readonly stopTimeoutSeconds: number;
  readonly ecsExec: EcsExecConfig;
  /** ACM certificate for the HTTPS listener; :80 then redirects. @default - HTTP only */
  readonly certificateArn?: string;
  readonly sslPolicy: string;
  /**
   * ALB deletion protection: a `terraform destroy` (or a replacement) of the load balancer fails until it is turned
   * off, as for the prod database.
   */
  readonly albDeletionProtection: boolean;
  readonly dns: DnsConfig;
  readonly redis: RedisConfig;
  /**
   * Let the task role create the account's AWS Marketplace subscription of the catalogue's third-party models on
   * their first call (aws-marketplace:ViewSubscriptions, and Subscribe for exactly their product ids). Off, an
   * operator enables the models once before the first deploy (README, "Before the first completion").
   */
  readonly bedrockMarketplaceSubscribe: boolean;
  /**
   * Each agent's Bedrock cost in the AWS bill: `application-inference-profiles` gives every agent its own tagged
   * application inference profile per model it may use, and routes its key there (modules/gateway/cost-attribution.ts,
   * docs/cost.md#cost-per-agent-in-the-aws-bill).
   */
  readonly costAttribution: CostAttributionMode;
  /** Amazon Bedrock guardrail applied by LiteLLM: config/guardrail.ts, docs/guardrails.md. */
  readonly guardrail: GuardrailConfig;
  /** Off-hours for non-production: config/schedule.ts, docs/off-hours.md. */
  readonly schedule: ScheduleConfig;
}

export const COST_ATTRIBUTION_MODES = ['none', 'application-inference-profiles'] as const;
export type CostAttributionMode = (typeof COST_ATTRIBUTION_MODES)[number];

/**
 * dev keeps its original log group name (no environment in it); other environments add theirs, so that two environments in one account never
 * share a log group (and its metric filters).
 */
export const gatewayDerivedDefaults = {
  logGroupName: ({ appName, environment }) => (environment === 'dev' ? `/${appName}/llm-gateway` : `/${appName}/${environment}/llm-gateway`),
} as const satisfies DerivedDefaults<GatewayConfig>;

/**
 * LiteLLM's production guide (https://docs.litellm.ai/docs/proxy/prod, "Sizing and workers", 2026-10): one worker
 * per vCPU and at least 4 GiB of memory per worker; below that one large write can get the process OOM-killed into a
 * crash loop, and each worker's Prisma query engine only grows (LiteLLM issues #27954, #25219, #38193).
 */
export const SIZING_PER_WORKER = { cpuUnits: 1024, memoryMiB: 4096 } as const;

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
        mode: {
          kind: 'string',
          allowed: ['build', 'prebuilt'],
          default: 'build',
          doc: '`build`: the docker provider builds `gateway-image/` at apply time; `prebuilt`: an image built elsewhere (`uri`). `cloud` state needs `prebuilt`',
        },
        platform: {
          kind: 'string',
          allowed: ['linux/arm64', 'linux/amd64'],
          default: 'linux/arm64',
          doc: 'Image platform and the task\'s CPU architecture',
        },
        uri: {
          kind: 'string',
          optional: true,
          pattern: /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._\/-]+(:[\w.-]+)?(@sha256:[a-f0-9]{64})?$/,
          describe: 'an image reference like <account>.dkr.ecr.<region>.amazonaws.com/repo@sha256:<64 hex> (or :tag)',
          doc: 'Image reference, ideally by `@sha256:` digest; required with `prebuilt`, refused with `build`',
        },
      },
    },
    capacity: {
      kind: 'object',
      fields: {
        mode: {
          kind: 'string',
          allowed: ['on-demand', 'spot'],
          default: 'on-demand',
          defaultIn: { dev: 'spot' },
          doc: '`on-demand`: launch type FARGATE; `spot`: a FARGATE / FARGATE_SPOT capacity provider strategy (docs/cost.md)',
        },
        // CapacityProviderStrategyItem: base 0-100000, weight 0-1000.
        onDemandBase: {
          kind: 'number',
          integer: true,
          min: 0,
          max: 100000,
          default: 0,
          doc: 'With `spot`: tasks always on FARGATE first, at most `maxTasks`; must be 0 with `on-demand`',
        },
        onDemandWeight: {
          kind: 'number',
          integer: true,
          min: 0,
          max: 1000,
          default: 0,
          doc: 'With `spot`: share of the further tasks on FARGATE; must be 0 with `on-demand`',
        },
        spotWeight: {
          kind: 'number',
          integer: true,
          min: 0,
          max: 1000,
          default: 1,
          doc: 'With `spot`: share of the further tasks on FARGATE_SPOT, at least 1',
        },
      },
    },
    containerInsights: {
      kind: 'boolean',
      default: true,
      doc: 'Container Insights on the cluster: the dashboard\'s ECS CPU and memory row (off is a cost lever, docs/cost.md; the policy pack requires it in prod)',
    },
    ecrKeepImages: { kind: 'number', integer: true, min: 1, max: 1000, default: 10, doc: 'Images the ECR lifecycle policy keeps' },
    ecrForceDelete: {
      kind: 'boolean',
      default: false,
      defaultIn: { dev: true },
      doc: 'Let `terraform destroy` delete the ECR repository with its images (off outside dev: the images of a production service are evidence)',
    },
    cpu: { kind: 'number', allowed: Object.keys(FARGATE_SIZES).map(Number), default: 1024, doc: 'Fargate task CPU units (1024 = 1 vCPU)' },
    memoryMiB: {
      kind: 'number',
      integer: true,
      min: 512,
      max: 122880,
      default: 4096,
      doc: 'Fargate task memory; a size Fargate offers for `cpu`, and at least 4096 per worker (LiteLLM\'s production guide)',
    },
    desiredCount: {
      kind: 'number',
      integer: true,
      min: 0,
      max: 100,
      default: 1,
      defaultIn: { prod: 2 },
      doc: 'Tasks at creation, from `minTasks` to `maxTasks`',
    },
    minTasks: {
      kind: 'number',
      integer: true,
      min: 0,
      max: 100,
      default: 1,
      defaultIn: { prod: 2 },
      doc: 'Auto scaling minimum, at most `maxTasks`',
    },
    maxTasks: { kind: 'number', integer: true, min: 1, max: 100, default: 4, doc: 'Auto scaling maximum' },
    cpuTargetPercent: { kind: 'number', min: 10, max: 95, default: 70, doc: 'Target CPU utilisation of the scaling policy' },
    scaleOutCooldownSeconds: { ...seconds(0, 3600), default: 60, doc: 'Scale-out cooldown' },
    scaleInCooldownSeconds: { ...seconds(0, 3600), default: 300, doc: 'Scale-in cooldown' },
    requestsPerTargetTarget: {
      kind: 'number',
      integer: true,
      min: 0,
      max: 100000,
      default: 200,
      doc: 'Second scaling policy on ALB requests per target; 0 disables it',
    },
    numWorkers: {
      kind: 'number',
      integer: true,
      min: 1,
      max: 16,
      default: 1,
      doc: 'Uvicorn workers per task; at most one per vCPU of `cpu` (LiteLLM\'s production guide): grow the fleet by tasks',
    },
    maxRequestsBeforeRestart: {
      kind: 'number',
      integer: true,
      min: 100,
      max: 1_000_000,
      default: 10000,
      doc: 'Requests after which a worker restarts (`--max_requests_before_restart`), returning the memory it grew',
    },
    logLevel: { kind: 'string', allowed: ['DEBUG', 'INFO', 'WARNING', 'ERROR'], default: 'INFO', doc: 'LITELLM_LOG' },
    logGroupName: {
      kind: 'string',
      pattern: /^[\w\-/.#]{1,512}$/,
      describe: 'a CloudWatch log group name ([A-Za-z0-9_-/.#], 1-512 chars)',
      doc: 'Log group of the gateway containers (its metric filters make the metrics)',
    },
    logRetentionDays: { ...logRetentionSpec, default: 14, defaultIn: { prod: 90 }, doc: 'Retention of the gateway log group' },
    masterKeyEnvName: {
      kind: 'string',
      pattern: /^[A-Z][A-Z0-9_]*$/,
      describe: 'an upper-case environment variable name',
      default: 'LITELLM_MASTER_KEY',
      doc: 'Env var the admin key is injected as; must match the LiteLLM config\'s `os.environ/` reference',
    },
    albIdleTimeoutSeconds: {
      ...seconds(1, 4000),
      default: 660,
      doc: 'ALB idle timeout; at least LiteLLM\'s `request_timeout` (checked against the catalogue)',
    },
    keepAliveTimeoutSeconds: {
      ...seconds(1, 4100),
      default: 665,
      doc: 'Uvicorn keep-alive; more than `albIdleTimeoutSeconds` (docs/design.md#alb-idle-timeout)',
    },
    // 300: what LiteLLM's Helm chart gives the proxy to its first readiness (startupProbe failureThreshold 30 x
    // periodSeconds 10, deploy/charts/litellm-helm/templates/deployment.yaml), also ECS's maximum start period.
    healthCheckStartPeriodSeconds: { ...seconds(0, 300), default: 300, doc: 'Container health check start period of the proxy (LiteLLM\'s Helm chart allows 300 s to the first readiness)' },
    // 900: the start period plus LiteLLM's own budget for one `prisma migrate deploy` (LITELLM_PRISMA_MIGRATE_DEPLOY_TIMEOUT,
    // default 600 s since v1.101.0), which a fresh database replaying every migration may need (docs/gateway-runtime.md).
    healthCheckGracePeriodSeconds: {
      ...seconds(0, 2147483647),
      default: 900,
      doc: 'ECS grace period before ALB health counts; at least `healthCheckStartPeriodSeconds` + 60 (the migrations run first); the default adds LiteLLM\'s 600 s migration budget',
    },
    deregistrationDelaySeconds: {
      ...seconds(0, 3600),
      default: 660,
      doc: 'ALB deregistration delay; at least LiteLLM\'s `request_timeout` (checked against the catalogue)',
    },
    // ECS ContainerDefinition.stopTimeout: "For tasks that use the Fargate launch type, the max stop timeout value
    // is 120 seconds" (ECS API reference).
    stopTimeoutSeconds: { ...seconds(2, 120), default: 120, doc: 'Seconds between SIGTERM and SIGKILL (Fargate allows at most 120)' },
    ecsExec: {
      kind: 'object',
      fields: {
        enabled: { kind: 'boolean', default: true, doc: 'ECS Exec (break-glass shell); off also removes the task role\'s SSM channel' },
        logging: {
          kind: 'string',
          allowed: ['OVERRIDE', 'NONE'],
          default: 'OVERRIDE',
          doc: '`OVERRIDE`: session output to `<logGroupName>/ecs-exec`; `NONE`: not logged (`DEFAULT` is refused: it writes into the metric-filtered gateway group)',
        },
        logRetentionDays: { ...logRetentionSpec, default: 90, doc: 'Retention of the ECS Exec session log group' },
      },
    },
    certificateArn: {
      kind: 'string',
      optional: true,
      pattern: ACM_CERTIFICATE_ARN,
      describe: 'an ACM certificate ARN like arn:aws:acm:<region>:<account-id>:certificate/<uuid>, in `region`',
      doc: 'ACM certificate, in `region` (ACM certificates are regional), for an HTTPS listener (:443, TLS 1.2+; :80 then redirects); must be unset with `edge.enabled`',
    },
    sslPolicy: {
      kind: 'string',
      allowed: ALB_TLS12_POLICIES,
      default: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      doc: 'ALB TLS policy: one of the predefined policies allowing nothing below TLS 1.2 (`ALB_TLS12_POLICIES` in config/gateway.ts)',
    },
    albDeletionProtection: {
      kind: 'boolean',
      default: false,
      defaultIn: { prod: true },
      doc: 'ALB deletion protection; turn it off before destroying the environment',
    },
    dns: {
      kind: 'object',
      fields: {
        zoneName: {
          kind: 'string',
          pattern: /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$/,
          describe: 'a DNS zone name like document-processing.internal',
          // One zone per environment: two private zones of the same name cannot share a VPC (ConflictingDomainExists,
          // https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHostedZone.html), and a zone owned by
          // one environment would take the other's name with it on destroy. Nested names may share a VPC: the
          // resolver answers from the most specific zone
          // (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html).
          default: 'document-processing.internal',
          defaultIn: { dev: 'dev.document-processing.internal' },
          doc: 'Private hosted zone of the gateway\'s name, one per environment so that environments can share a VPC (`dev.` in dev, the seed\'s name in prod; docs/configuration.md#several-environments-in-one-vpc); does not follow `appName`',
        },
        recordName: {
          kind: 'string',
          pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
          describe: 'a single DNS label like llm-gateway',
          default: 'llm-gateway',
          doc: 'Record in the zone aliasing the ALB: the service URL is `http(s)://<recordName>.<zoneName>/v1`',
        },
        existingZoneId: {
          kind: 'string',
          optional: true,
          pattern: /^Z[A-Z0-9]{4,32}$/,
          describe: 'a Route 53 zone id like Z0123456789ABCDEFGHIJ',
          doc: 'Use this private zone (named `zoneName`, associated with the VPC) instead of creating one; environments sharing it need distinct `recordName`s',
        },
      },
    },
    redis: {
      kind: 'object',
      fields: {
        enabled: {
          kind: 'boolean',
          default: false,
          defaultIn: { prod: true },
          doc: 'Valkey for shared rate limits and cooldowns across tasks and workers (docs/design.md#rate-limits)',
        },
        nodeType: {
          kind: 'string',
          pattern: /^cache\.[a-z0-9]+\.[a-z0-9]+$/,
          describe: 'an ElastiCache node type like cache.t4g.micro',
          default: 'cache.t4g.micro',
          doc: 'ElastiCache node type',
        },
        engineVersion: { kind: 'string', allowed: VALKEY_VERSIONS, default: '8.0', doc: 'Valkey version' },
        numCacheClusters: {
          kind: 'number',
          integer: true,
          min: 1,
          max: 6,
          default: 1,
          defaultIn: { prod: 2 },
          doc: 'Nodes; 2 or more adds a replica in another AZ with automatic failover (prod: a primary failure promotes the replica instead of losing the shared state)',
        },
        iamAuth: {
          kind: 'boolean',
          default: true,
          doc: "ElastiCache IAM authentication: an IAM-mode user, the task role's `elasticache:Connect`, a SigV4 token per connection, no password anywhere (docs/gateway-runtime.md#capacity); false: TLS and the security group only",
        },
      },
    },
    bedrockMarketplaceSubscribe: {
      kind: 'boolean',
      default: false,
      doc: 'Let the task role create the Marketplace subscription of the catalogue\'s models on first use',
    },
    costAttribution: {
      kind: 'string',
      allowed: COST_ATTRIBUTION_MODES,
      default: 'none',
      doc: 'Each agent\'s Bedrock cost in the AWS bill: `application-inference-profiles` creates a tagged application inference profile per agent and model and routes the agent\'s key through it (docs/cost.md#cost-per-agent-in-the-aws-bill)',
    },
    schedule: scheduleSpec,
    guardrail: guardrailSpec,
  },
};

export const gatewayDefaults = defaultsOf<GatewayConfig, keyof typeof gatewayDerivedDefaults>(gatewaySpec);

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
  const workerCpu = g.numWorkers * SIZING_PER_WORKER.cpuUnits;
  if (g.cpu < workerCpu) {
    issues.push({
      path: 'gateway.cpu/numWorkers',
      value: [g.cpu, g.numWorkers],
      problem: `${g.numWorkers} worker(s) on ${g.cpu / 1024} vCPU is below LiteLLM's production guide (one vCPU per worker, https://docs.litellm.ai/docs/proxy/prod): the workers' event loops compete for the CPU and requests queue`,
      allowed: `cpu of at least ${workerCpu} for ${g.numWorkers} worker(s), or numWorkers at most ${Math.max(1, Math.floor(g.cpu / SIZING_PER_WORKER.cpuUnits))}${g.cpu < SIZING_PER_WORKER.cpuUnits ? ' with cpu 1024 or more' : ''}; grow gateway.maxTasks for more capacity`,
    });
  }
  const workerMemory = g.numWorkers * SIZING_PER_WORKER.memoryMiB;
  if (g.memoryMiB < workerMemory) {
    issues.push({
      path: 'gateway.memoryMiB/numWorkers',
      value: [g.memoryMiB, g.numWorkers],
      problem: `${g.memoryMiB} MiB for ${g.numWorkers} worker(s) is below LiteLLM's production guide (at least 4 GiB per worker, https://docs.litellm.ai/docs/proxy/prod): one large write can get the task OOM-killed into a crash loop`,
      allowed: `memoryMiB of at least ${workerMemory} for ${g.numWorkers} worker(s) (a size Fargate offers for cpu ${g.cpu}), or fewer workers`,
    });
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
  issues.push(...checkGuardrail(g.guardrail), ...checkSchedule(g.schedule, g.healthCheckGracePeriodSeconds));
  return issues;
}

/** What depends on the region of the gateway's stacks (config `region`). */
export function checkGatewayRegion(g: GatewayConfig, region: string): ConfigIssue[] {
  const problem = g.certificateArn === undefined ? undefined : certificateRegionProblem(g.certificateArn, region, 'the ALB');
  if (problem === undefined) return [];
  return [{ path: 'gateway.certificateArn', value: g.certificateArn, problem, allowed: `an ACM certificate in ${region} (ACM certificates are regional; request or import one there)` }];
}
