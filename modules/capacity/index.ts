/**
 * The capacity contract: what the configuration and the model catalogue add up to once the fleet runs at its
 * maximum, computed at synth by one function (`capacityContract`) and checked in the catalogue stage
 * (modules/catalogue-checks.ts): database connections against Aurora's max_connections, the timeout chain from
 * LiteLLM through the ALB (and CloudFront), state shared between LiteLLM processes, and what each alias's rpm/tpm mean
 * fleet-wide. `npm run capacity` and `npm run cost` print it (formatCapacity); docs/gateway-runtime.md explains it.
 */
import type { AgentConfig, ConfigIssue, DatabaseConfig, EdgeConfig, GatewayConfig } from '../../config';
import type { ModelCatalogue } from '../model-catalogue';

/**
 * ECS deployment maximum percent of the gateway service (stacks/gateway-stack.ts): during a rolling deployment at
 * `maxTasks`, up to twice as many tasks run, each with its own pools, until the old ones have drained.
 */
export const DEPLOYMENT_MAXIMUM_PERCENT = 200;

/**
 * LiteLLM's Prisma pool per worker when `general_settings.database_connection_pool_limit` is unset
 * (`LiteLLMDatabaseConnectionPool.database_connection_pool_limit` in litellm/proxy/proxy_cli.py).
 */
export const LITELLM_DEFAULT_POOL_LIMIT = 10;

/**
 * Default `max_connections` of an Aurora PostgreSQL Serverless v2 instance by its maximum ACU, as AWS publishes it
 * (Aurora User Guide, "Performance and scaling for Aurora Serverless v2", Maximum connections for Aurora Serverless v2,
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.setting-capacity.html#aurora-serverless-v2.max-connections;
 * the same table in the guide's source, awsdocs/amazon-aurora-user-guide doc_source/aurora-serverless-v2.setting-capacity.md).
 * AWS evaluates Aurora PostgreSQL's formula `LEAST({DBInstanceClassMemory/9531392}, 5000)` with the memory of the
 * maximum ACU, not the current one. The table, not 2 GiB x ACU in that formula, is the number: DBInstanceClassMemory
 * excludes what the instance keeps for itself, so 4 ACU gives 823, not 8 GiB / 9531392 = 901. AWS lists no value
 * between two rows (2 ACU, 6 ACU ...): the lower row is taken, a conservative floor, never an interpolation.
 */
export const AURORA_PG_MAX_CONNECTIONS: readonly { readonly maxAcu: number; readonly maxConnections: number }[] = [
  { maxAcu: 1, maxConnections: 189 },
  { maxAcu: 4, maxConnections: 823 },
  { maxAcu: 8, maxConnections: 1669 },
  { maxAcu: 16, maxConnections: 3360 },
  { maxAcu: 32, maxConnections: 5000 },
  { maxAcu: 64, maxConnections: 5000 },
  { maxAcu: 128, maxConnections: 5000 },
];

/**
 * With a minimum capacity of 0 or 0.5 ACU, AWS caps an Aurora PostgreSQL Serverless v2 instance's max_connections at
 * 2,000 whatever the maximum (same page; AWS re:Post "Working of max_connections for Amazon Aurora PostgreSQL
 * Serverless": min 0.5 / max 16 shows 2000).
 */
export const LOW_MINIMUM_CONNECTION_CAP = 2000;

/**
 * Connection slots a non-superuser login can never take: PostgreSQL's `superuser_reserved_connections` (default 3)
 * and RDS's `rds.rds_superuser_reserved_connections` (default 2 on Aurora PostgreSQL), both counted inside
 * max_connections (PostgreSQL docs, "Connections and Authentication"; Aurora PostgreSQL parameter reference).
 */
export const RESERVED_CONNECTIONS = { superuserReserved: 3, rdsSuperuserReserved: 2 } as const;

/**
 * Share of the remaining slots kept free for people and tools (psql during an incident, a manual migration, RDS's own
 * monitoring sessions): the fleet may plan on the rest.
 */
export const OPERATOR_HEADROOM_PERCENT = 10;

/**
 * LiteLLM's in-memory key (auth) cache lifetime when `general_settings.user_api_key_cache_ttl` is unset
 * (`UserAPIKeyCacheTTLEnum`, litellm/proxy/proxy_server.py). The cache is per process even with Redis: a deleted,
 * rotated or over-budget key stays usable on a process that cached it for up to the TTL (docs/agents.md).
 */
export const LITELLM_DEFAULT_AUTH_CACHE_TTL_SECONDS = 60;

export interface CapacityInput {
  readonly gateway: Pick<
    GatewayConfig,
    'maxTasks' | 'numWorkers' | 'albIdleTimeoutSeconds' | 'keepAliveTimeoutSeconds' | 'deregistrationDelaySeconds' | 'redis'
  >;
  readonly database: Pick<DatabaseConfig, 'minCapacity' | 'maxCapacity'>;
  readonly edge: Pick<EdgeConfig, 'enabled' | 'originReadTimeoutSeconds'>;
  readonly agents: readonly Pick<AgentConfig, 'name' | 'maxBudgetUsd' | 'rpmLimit' | 'tpmLimit'>[];
  readonly catalogue: Pick<ModelCatalogue, 'models' | 'requestTimeoutSeconds' | 'databaseConnectionPoolLimit' | 'authCacheTtlSeconds'>;
}

export interface DatabaseBudget {
  readonly poolLimit: number;
  /** Whether the pool limit is set in the LiteLLM config (false: LiteLLM's default). */
  readonly poolLimitExplicit: boolean;
  readonly maxTasks: number;
  readonly workers: number;
  /** Tasks that may run at once: maxTasks x DEPLOYMENT_MAXIMUM_PERCENT / 100. */
  readonly peakTasks: number;
  /** Every worker of every task at its pool limit. */
  readonly proxies: number;
  /**
   * Migration containers: one lock session per starting task (gateway-image/startup/migration_lock.py, waiters
   * included) plus the Prisma connections of the one migrating.
   */
  readonly migrators: number;
  /** The key reconciler calls the proxy's admin API: its database work is in the proxy's pool. */
  readonly reconciler: number;
  readonly total: number;
  readonly maxConnections: number;
  readonly reserved: number;
  /** What the fleet may plan on: (maxConnections - reserved) less OPERATOR_HEADROOM_PERCENT. */
  readonly available: number;
  readonly fits: boolean;
}

export interface TimeoutChain {
  readonly requestTimeoutSeconds: number;
  readonly albIdleTimeoutSeconds: number;
  readonly keepAliveTimeoutSeconds: number;
  readonly deregistrationDelaySeconds: number;
  /** With the edge: CloudFront's origin read timeout; a non-streaming completion longer than it gets 504. */
  readonly edgeOriginReadTimeoutSeconds?: number;
}

export interface SharedState {
  /** LiteLLM processes at maxTasks: tasks x workers, each with its own router, caches and counters. */
  readonly processes: number;
  readonly redis: boolean;
  /** Budgets or limits something declares: model rpm/tpm, agents' budgets and limits. */
  readonly limitsDeclared: readonly string[];
  /** Set when processes > 1, limits are declared and Redis is off: what that means, in numbers. */
  readonly warning?: string;
}

export interface AliasLimit {
  readonly alias: string;
  readonly modelId: string;
  readonly rpm: number;
  readonly tpm: number;
  /** RPM the fleet may send: shared through Redis, else every process counts alone. */
  readonly fleetRpm: number;
  /** TPM is checked per process even with Redis (model_rate_limit_check.py, local_only): tasks x workers x tpm. */
  readonly fleetTpm: number;
}

export interface ModelQuota {
  readonly modelId: string;
  /** What the fleet may send to this model id across every alias naming it. */
  readonly rpm: number;
  readonly tpm: number;
}

export interface CapacityContract {
  readonly database: DatabaseBudget;
  readonly timeouts: TimeoutChain;
  readonly sharedState: SharedState;
  readonly limits: readonly AliasLimit[];
  /** The Bedrock quotas (per model id, requests and tokens per minute) the limits assume. */
  readonly bedrockQuotas: readonly ModelQuota[];
}

/** Default max_connections of an Aurora PostgreSQL Serverless v2 instance with this capacity range. */
export function auroraMaxConnections(minCapacity: number, maxCapacity: number): number {
  const rows = AURORA_PG_MAX_CONNECTIONS.filter((r) => r.maxAcu <= maxCapacity);
  // maxCapacity is at least 1 (config/database.ts), the first row.
  const fromTable = (rows.length > 0 ? rows[rows.length - 1] : AURORA_PG_MAX_CONNECTIONS[0]).maxConnections;
  return minCapacity <= 0.5 ? Math.min(fromTable, LOW_MINIMUM_CONNECTION_CAP) : fromTable;
}

export function capacityContract(input: CapacityInput): CapacityContract {
  const { gateway: g, catalogue } = input;
  const poolLimit = catalogue.databaseConnectionPoolLimit ?? LITELLM_DEFAULT_POOL_LIMIT;
  const peakTasks = Math.ceil((g.maxTasks * DEPLOYMENT_MAXIMUM_PERCENT) / 100);
  const proxies = peakTasks * g.numWorkers * poolLimit;
  const migrators = g.maxTasks + poolLimit;
  const reconciler = 0;
  const total = proxies + migrators + reconciler;
  const maxConnections = auroraMaxConnections(input.database.minCapacity, input.database.maxCapacity);
  const reserved = RESERVED_CONNECTIONS.superuserReserved + RESERVED_CONNECTIONS.rdsSuperuserReserved;
  const available = Math.floor(((maxConnections - reserved) * (100 - OPERATOR_HEADROOM_PERCENT)) / 100);

  const sharedState = sharedStateOf(input);
  const { processes, redis } = sharedState;

  const limits = catalogue.models.map((m) => ({
    alias: m.alias,
    modelId: m.modelId,
    rpm: m.rpm,
    tpm: m.tpm,
    fleetRpm: redis ? m.rpm : processes * m.rpm,
    fleetTpm: processes * m.tpm,
  }));
  const bedrockQuotas: ModelQuota[] = [];
  for (const l of limits) {
    const q = bedrockQuotas.find((x) => x.modelId === l.modelId);
    if (q) bedrockQuotas.splice(bedrockQuotas.indexOf(q), 1, { modelId: q.modelId, rpm: q.rpm + l.fleetRpm, tpm: q.tpm + l.fleetTpm });
    else bedrockQuotas.push({ modelId: l.modelId, rpm: l.fleetRpm, tpm: l.fleetTpm });
  }

  return {
    database: {
      poolLimit,
      poolLimitExplicit: catalogue.databaseConnectionPoolLimit !== undefined,
      maxTasks: g.maxTasks,
      workers: g.numWorkers,
      peakTasks,
      proxies,
      migrators,
      reconciler,
      total,
      maxConnections,
      reserved,
      available,
      fits: total <= available,
    },
    timeouts: {
      requestTimeoutSeconds: catalogue.requestTimeoutSeconds,
      albIdleTimeoutSeconds: g.albIdleTimeoutSeconds,
      keepAliveTimeoutSeconds: g.keepAliveTimeoutSeconds,
      deregistrationDelaySeconds: g.deregistrationDelaySeconds,
      ...(input.edge.enabled ? { edgeOriginReadTimeoutSeconds: input.edge.originReadTimeoutSeconds } : {}),
    },
    sharedState,
    limits,
    bedrockQuotas,
  };
}

/**
 * Whether the LiteLLM processes share their state: the gateway stack annotates `warning` (cdktf prints it at synth).
 * Only the gateway's section, the agents and the catalogue's models are needed.
 */
export function sharedStateOf(input: Pick<CapacityInput, 'gateway' | 'agents'> & { readonly catalogue: Pick<ModelCatalogue, 'models' | 'authCacheTtlSeconds'> }): SharedState {
  const { gateway: g, catalogue } = input;
  const processes = g.maxTasks * g.numWorkers;
  const redis = g.redis.enabled;
  const limitsDeclared = [
    ...catalogue.models.map((m) => `${m.alias} rpm ${m.rpm} / tpm ${m.tpm}`),
    ...input.agents.flatMap((a) =>
      [
        a.maxBudgetUsd !== undefined ? `agent ${a.name} budget $${a.maxBudgetUsd}` : undefined,
        a.rpmLimit !== undefined ? `agent ${a.name} rpm ${a.rpmLimit}` : undefined,
        a.tpmLimit !== undefined ? `agent ${a.name} tpm ${a.tpmLimit}` : undefined,
      ].filter((x): x is string => x !== undefined),
    ),
  ];
  const warning =
    processes > 1 && limitsDeclared.length > 0 && !redis
      ? `gateway.redis.enabled is false with ${processes} LiteLLM processes (gateway.maxTasks ${g.maxTasks} x gateway.numWorkers ${g.numWorkers}) ` +
        `and declared limits (${limitsDeclared.length}, e.g. ${limitsDeclared[0]}): every process counts on its own, so a budget can be ` +
        `overshot by up to ${processes} processes spending at once, rpm/tpm limits hold per process (up to ${processes}x fleet-wide), ` +
        `and a deleted or rotated key stays valid for up to ${catalogue.authCacheTtlSeconds ?? LITELLM_DEFAULT_AUTH_CACHE_TTL_SECONDS} s (the auth-cache TTL, general_settings.user_api_key_cache_ttl) on every process that cached it. ` +
        'Enable gateway.redis to coordinate them (docs/gateway-runtime.md#capacity).'
      : undefined;

  return { processes, redis, limitsDeclared, ...(warning === undefined ? {} : { warning }) };
}

/** What the contract refuses: each a ConfigIssue naming the fields to change. Empty when it holds. */
export function capacityIssues(contract: CapacityContract): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const db = contract.database;
  if (!db.fits) {
    issues.push({
      path: 'gateway.maxTasks/gateway.numWorkers/database.maxCapacity',
      value: { maxTasks: db.maxTasks, numWorkers: db.workers, poolLimit: db.poolLimit, connections: db.total },
      problem:
        `at its peak the gateway opens up to ${db.total} database connections (${db.peakTasks} tasks during a deployment x ` +
        `${db.workers} worker(s) x ${db.poolLimit} pool + ${db.migrators} for migrations), more than the ${db.available} Aurora allows it: max_connections ` +
        `${db.maxConnections} at database.maxCapacity, less ${db.reserved} reserved and ${OPERATOR_HEADROOM_PERCENT} % headroom`,
      allowed:
        `at most ${db.available} connections: lower gateway.maxTasks or gateway.numWorkers, raise database.maxCapacity (and ` +
        'database.minCapacity above 0.5 beyond 2,000 connections), or lower general_settings.database_connection_pool_limit in ' +
        'the LiteLLM config (docs/gateway-runtime.md#capacity)',
    });
  }
  const t = contract.timeouts;
  if (t.albIdleTimeoutSeconds < t.requestTimeoutSeconds) {
    issues.push({
      path: 'gateway.albIdleTimeoutSeconds',
      value: t.albIdleTimeoutSeconds,
      allowed: `at least the LiteLLM config's litellm_settings.request_timeout (${t.requestTimeoutSeconds}), or long completions get a 504 (docs/design.md#alb-idle-timeout)`,
    });
  }
  if (t.deregistrationDelaySeconds < t.requestTimeoutSeconds) {
    issues.push({
      path: 'gateway.deregistrationDelaySeconds',
      value: t.deregistrationDelaySeconds,
      allowed:
        `at least the LiteLLM config's litellm_settings.request_timeout (${t.requestTimeoutSeconds}), or every deploy and scale-in cuts the ` +
        'completions still running on the tasks it stops',
    });
  }
  // keep-alive > ALB idle is a configuration-only rule (config/gateway.ts checkGateway), reported there.
  return issues;
}

/** The contract as text, for `npm run capacity` and `npm run cost`. */
export function formatCapacity(environment: string, c: CapacityContract): string {
  const db = c.database;
  const t = c.timeouts;
  const s = c.sharedState;
  const lines = [
    `capacity contract: ${environment}`,
    `  database connections: ${db.total} at peak of ${db.available} available -> ${db.fits ? 'fits' : 'DOES NOT FIT'}`,
    `    proxies     ${db.peakTasks} tasks (maxTasks x ${DEPLOYMENT_MAXIMUM_PERCENT} % during a deployment) x ${db.workers} worker(s) x pool ${db.poolLimit}` +
      `${db.poolLimitExplicit ? '' : " (LiteLLM's default: set general_settings.database_connection_pool_limit)"} = ${db.proxies}`,
    `    migrators   ${db.migrators} (one lock session per starting task + one migrating pool)`,
    `    reconciler  ${db.reconciler} (admin API through the proxy)`,
    `    Aurora      max_connections ${db.maxConnections} at database.maxCapacity, - ${db.reserved} reserved, - ${OPERATOR_HEADROOM_PERCENT} % headroom = ${db.available}`,
    `  timeouts: request_timeout ${t.requestTimeoutSeconds} s <= ALB idle ${t.albIdleTimeoutSeconds} s < keep-alive ${t.keepAliveTimeoutSeconds} s; ` +
      `deregistration ${t.deregistrationDelaySeconds} s >= request_timeout`,
    t.edgeOriginReadTimeoutSeconds === undefined
      ? '    edge: off'
      : `    edge: CloudFront origin read timeout ${t.edgeOriginReadTimeoutSeconds} s: streamed completions run up to request_timeout while no gap ` +
        `between chunks exceeds it; a non-streaming completion longer than ${t.edgeOriginReadTimeoutSeconds} s gets 504 (LiteLLM sends no SSE keep-alive pings)`,
    `  shared state: ${s.processes} LiteLLM process(es) at maxTasks; Redis ${s.redis ? 'on' : 'off'}` +
      (s.warning === undefined ? '' : `\n    WARNING ${s.warning}`),
    '  limits across the fleet (per alias: configured -> fleet-wide at maxTasks):',
    ...c.limits.map(
      (l) => `    ${l.alias.padEnd(18)} rpm ${l.rpm} -> ${l.fleetRpm}${s.redis ? ' (shared via Redis)' : ' (per process)'}; tpm ${l.tpm} -> ${l.fleetTpm} (per process)`,
    ),
    '  Bedrock quotas these limits assume (per model id, per minute, in the calling region):',
    ...c.bedrockQuotas.map((q) => `    ${q.modelId}: ${q.rpm} requests, ${q.tpm} tokens`),
  ];
  return lines.join('\n');
}
