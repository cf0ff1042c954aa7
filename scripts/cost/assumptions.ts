/**
 * Usage assumptions of the cost estimate: what the synthesized JSON cannot say (hours, traffic, log volume, stored
 * bytes). Every figure is printed with the estimate and can be overridden with `--assume key=value`,
 * `--assume prod.key=value` or `--assumptions file.json` (`{ "key": value, "environments": { "prod": { ... } } }`).
 */

export interface UsageAssumptions {
  /** Hours in the month (AWS pricing pages use 730). */
  readonly hoursPerMonth: number;
  /**
   * Gateway requests (completions) per month: the traffic at which the estimate adds the marginal cost per million
   * requests to the fixed cost (the environment at zero requests).
   */
  readonly requestsPerMonth: number;
  /** Log bytes LiteLLM writes per request (metric line, INFO lines), KB. */
  readonly gatewayLogKbPerRequest: number;
  /** Gateway log volume independent of traffic (start-up, migrations, periodic jobs), GB per month. */
  readonly gatewayLogBaseGb: number;
  /** Bytes through the NAT gateway per request (prompt out, completion back from Bedrock), KB. */
  readonly bedrockKbPerRequest: number;
  /**
   * Traffic to AWS APIs independent of requests (ECR at each task start, secrets, log lines, ECS Exec), GB per month:
   * through the NAT gateways, or through the interface endpoints in the endpoints mode. Image layers come from S3
   * through the free S3 gateway endpoint where there is one (networking.s3GatewayEndpoint, the default).
   */
  readonly natBaseGb: number;
  /** Bytes through the ALB per request, KB (processed bytes: 1 GB per hour is 1 LCU). */
  readonly albKbPerRequest: number;
  /** LCU floor of a quiet ALB: new and active connections rather than bytes set the LCU (25 new/s or 3,000 active/min = 1 LCU). */
  readonly albMinimumLcu: number;
  /** VPC flow log volume by traffic type, GB per month. */
  readonly flowLogGbPerMonth: { readonly REJECT: number; readonly ACCEPT: number; readonly ALL: number };
  /** Aurora PostgreSQL log export volume, GB per month. */
  readonly databaseLogGbPerMonth: number;
  /** Any other log group, GB per month. */
  readonly otherLogGbPerMonth: number;
  /** Stored (compressed) bytes per ingested byte: CloudWatch bills archive storage compressed. */
  readonly logCompressionRatio: number;
  /** Months of storage assumed for a log group that never expires. */
  readonly neverExpireMonths: number;
  /** Aurora cluster volume, GB. */
  readonly auroraStorageGb: number;
  /** Aurora I/O requests, millions per month. */
  readonly auroraIoMillionsPerMonth: number;
  /** Average ACU per instance above its floor (0: idles at the floor, the gateway's usual state). */
  readonly auroraAcuAboveFloor: number;
  /**
   * Share of the hours a min-0 (auto-pause) instance is running. LiteLLM keeps connections open and runs periodic
   * jobs, so while a gateway task runs the database does not pause: 1.
   */
  readonly auroraActiveShare: number;
  /** Images kept in each ECR repository, GB stored (layers are shared between tags). */
  readonly ecrStorageGb: number;
  /**
   * Container Insights metrics per ECS service (cluster, service and task-family level for Fargate; count yours
   * with `aws cloudwatch list-metrics --namespace ECS/ContainerInsights`).
   */
  readonly containerInsightsMetricsPerService: number;
  /** Container Insights performance log events, GB per month per cluster. */
  readonly containerInsightsLogGbPerMonth: number;
  /** Fargate Spot discount against on-demand (AWS: "up to 70 %"; 0.5 is the conservative end). */
  readonly spotDiscount: number;
  /** Dashboards of this environment covered by the account's 3 free ones. 0: assume others use them. */
  readonly freeDashboards: number;
  /**
   * Requests one task serves per minute before the fleet adds a task. 0: the target of the service's request scaling
   * policy (ALBRequestCountPerTarget: the average count per target in any one-minute interval), read from the JSON.
   */
  readonly gatewayRequestsPerTaskMinute: number;
  /** VPC flow log bytes per request where flow logs record ACCEPT or ALL traffic (a few ~130-byte records per connection), KB. */
  readonly flowLogKbPerRequest: number;
  /** New client connections to the ALB per request (1: the agents do not reuse connections). */
  readonly albNewConnectionsPerRequest: number;
  /** Bytes of one LiteLLM_SpendLogs row with its index entries (one row per request), KB. */
  readonly spendLogKbPerRequest: number;
  /** Aurora I/O requests per request (the spend-log row and its indexes, written in 4 KB units). */
  readonly auroraIoPerRequest: number;
  /** Bytes CloudFront sends back to the client per request (the completion), KB; the rest of albKbPerRequest goes to the origin. */
  readonly edgeResponseKbPerRequest: number;
  /** CloudFront access log bytes per request (the edge's log delivery to CloudWatch Logs), KB. */
  readonly edgeLogKbPerRequest: number;
  /** Bedrock input (prompt) tokens per request. */
  readonly bedrockInputTokensPerRequest: number;
  /** Bedrock output (completion) tokens per request. */
  readonly bedrockOutputTokensPerRequest: number;
}

export const DEFAULT_ASSUMPTIONS: UsageAssumptions = {
  hoursPerMonth: 730,
  requestsPerMonth: 30_000,
  gatewayLogKbPerRequest: 4,
  gatewayLogBaseGb: 0.5,
  bedrockKbPerRequest: 60,
  natBaseGb: 5,
  albKbPerRequest: 60,
  albMinimumLcu: 0.1,
  flowLogGbPerMonth: { REJECT: 0.5, ACCEPT: 3, ALL: 3.5 },
  databaseLogGbPerMonth: 0.2,
  otherLogGbPerMonth: 0.1,
  logCompressionRatio: 0.15,
  neverExpireMonths: 12,
  auroraStorageGb: 1,
  auroraIoMillionsPerMonth: 2,
  auroraAcuAboveFloor: 0,
  auroraActiveShare: 1,
  ecrStorageGb: 2,
  containerInsightsMetricsPerService: 30,
  containerInsightsLogGbPerMonth: 0.1,
  spotDiscount: 0.5,
  freeDashboards: 0,
  gatewayRequestsPerTaskMinute: 0,
  flowLogKbPerRequest: 0.5,
  albNewConnectionsPerRequest: 1,
  spendLogKbPerRequest: 2,
  auroraIoPerRequest: 2,
  edgeResponseKbPerRequest: 10,
  edgeLogKbPerRequest: 1,
  bedrockInputTokensPerRequest: 2000,
  bedrockOutputTokensPerRequest: 500,
};

/** What differs by environment by default: traffic (five agents in dev tests, production volume in prod). */
export const ENVIRONMENT_ASSUMPTIONS: Readonly<Record<string, Partial<UsageAssumptions>>> = {
  dev: { requestsPerMonth: 30_000 },
  prod: { requestsPerMonth: 300_000 },
};

export interface AssumptionOverrides {
  readonly all?: Partial<Record<string, unknown>>;
  readonly environments?: Readonly<Record<string, Partial<Record<string, unknown>>>>;
}

function describeKeys(): string {
  return Object.keys(DEFAULT_ASSUMPTIONS).join(', ');
}

/** Checks one override against the defaults' shape: known key, a non-negative number (or an object of them). */
function checked(key: string, value: unknown, where: string): unknown {
  const base = (DEFAULT_ASSUMPTIONS as unknown as Record<string, unknown>)[key];
  if (base === undefined) throw new Error(`cost: assumption ${where}${key}: unknown; allowed: one of ${describeKeys()}`);
  if (typeof base === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`cost: assumption ${where}${key}: got ${JSON.stringify(value)}; allowed: a number >= 0`);
    }
    if ((key === 'spotDiscount' || key === 'auroraActiveShare' || key === 'logCompressionRatio') && value > 1) {
      throw new Error(`cost: assumption ${where}${key}: got ${value}; allowed: a number from 0 to 1`);
    }
    return value;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`cost: assumption ${where}${key}: got ${JSON.stringify(value)}; allowed: an object with keys ${Object.keys(base as object).join(', ')}`);
  }
  const out: Record<string, unknown> = { ...(base as object) };
  for (const [k, v] of Object.entries(value)) {
    if (!(k in (base as object))) throw new Error(`cost: assumption ${where}${key}.${k}: unknown; allowed: ${Object.keys(base as object).join(', ')}`);
    if (typeof v !== 'number' || v < 0) throw new Error(`cost: assumption ${where}${key}.${k}: got ${JSON.stringify(v)}; allowed: a number >= 0`);
    out[k] = v;
  }
  return out;
}

/**
 * The assumptions of one environment: defaults, the environment's defaults (else those of the built-in environment
 * it is based on: a staging on prod expects prod's traffic), then overrides for all, then its own.
 */
export function assumptionsFor(environment: string, overrides: AssumptionOverrides = {}, baseEnvironment: string = environment): UsageAssumptions {
  const out: Record<string, unknown> = { ...DEFAULT_ASSUMPTIONS, ...(ENVIRONMENT_ASSUMPTIONS[environment] ?? ENVIRONMENT_ASSUMPTIONS[baseEnvironment] ?? {}) };
  for (const [k, v] of Object.entries(overrides.all ?? {})) out[k] = checked(k, v, '');
  for (const [k, v] of Object.entries(overrides.environments?.[environment] ?? {})) out[k] = checked(k, v, `${environment}.`);
  return out as unknown as UsageAssumptions;
}

/** Parses `key=value`, `env.key=value` or `[env.]flowLogGbPerMonth.ALL=value` (`--assume`) into overrides. */
export function parseAssume(arg: string, into: { all: Record<string, unknown>; environments: Record<string, Record<string, unknown>> }): void {
  const eq = arg.indexOf('=');
  const parts = eq > 0 ? arg.slice(0, eq).split('.') : [];
  const raw = eq > 0 ? arg.slice(eq + 1) : '';
  const known = (k: string | undefined) => k !== undefined && k in DEFAULT_ASSUMPTIONS;
  const env = parts.length > 0 && !known(parts[0]) ? parts.shift() : undefined;
  const [key, sub] = parts;
  if (!known(key) || parts.length > 2 || raw === '') {
    throw new Error(`cost: --assume ${JSON.stringify(arg)}; allowed: key=value or <env>.key=value, keys: ${describeKeys()}`);
  }
  const value = Number(raw);
  if (Number.isNaN(value)) throw new Error(`cost: --assume ${arg}: got ${JSON.stringify(raw)}; allowed: a number`);
  const target = env ? (into.environments[env] ??= {}) : into.all;
  if (sub !== undefined) target[key] = { ...((target[key] as object) ?? {}), [sub]: value };
  else target[key] = value;
}
