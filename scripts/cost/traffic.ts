/**
 * The cost of traffic: what one million more requests a month add to an environment, by the resource that bills
 * them, read from the same synthesized JSON as the fixed cost (estimate.ts) and priced from prices.ts. The fixed
 * cost is the environment at zero requests; these lines are what requests add on top:
 *
 * - the gateway's tasks beyond the scaling floor (task-hours at the request scaling policy's target),
 * - CloudWatch Logs ingestion and storage (the gateway's per-request lines; flow logs that record accepted traffic;
 *   the edge's access logs),
 * - NAT gateway processed bytes (the prompt out to Bedrock and the completion back),
 * - ALB LCUs (processed bytes and new connections, whichever is larger),
 * - Aurora storage and I/O of the LiteLLM_SpendLogs row each request writes,
 * - WAF and CloudFront requests and bytes when the edge is on,
 *
 * and, on their own lines and never in the gateway's figure, Bedrock's tokens per model. Custom metrics cost nothing
 * per request here: the metrics come from metric filters on the log lines (billed per metric-month, in the fixed
 * cost), not from EMF or PutMetricData.
 */
import type { JsonValue } from '../../policy/types';
import { asNumber, asString, blocks, firstBlock, refersTo } from '../../policy/terraform';
import type { UsageAssumptions } from './assumptions';
import type { TfResource, Unpriced } from './estimate';
import { logGroupRole, splitByStrategy } from './estimate';
import { BEDROCK_TOKEN_PRICES, PRICES, Price, PriceId, SPOT_PRICE_SOURCE } from './prices';
import { isInterface, serviceOf } from './network-paths';

const MILLION = 1e6;
/** KB per request x a million requests, in GB (decimal units, as the rest of the estimate). */
const gbPerMillion = (kbPerRequest: number) => (kbPerRequest * MILLION) / 1e6;

/** What a million requests a month add through one resource. */
export interface TrafficLine {
  readonly stack: string;
  readonly address: string;
  /** What is billed, e.g. `GB processed (requests)`. */
  readonly item: string;
  /** Quantity per million requests, in `unit`. */
  readonly perMillion: number;
  readonly unit: string;
  readonly unitUsd: number;
  readonly perMillionUsd: number;
  /**
   * Requests a month the fixed cost already carries (the tasks at the scaling floor, the ALB's LCU floor): the line
   * costs nothing up to them and `perMillionUsd` per million above them.
   */
  readonly includedRequests: number;
  /** At the assumed requestsPerMonth. */
  readonly monthlyUsd: number;
  readonly source: string;
  /** How the quantity was derived (the assumption or attribute it rests on). */
  readonly basis: string;
}

/** Bedrock tokens of a million requests to one model, at the assumed tokens per request. */
export interface TokenLine {
  readonly model: string;
  readonly inputTokensPerRequest: number;
  readonly outputTokensPerRequest: number;
  readonly inputUsdPerMillionTokens: number;
  readonly outputUsdPerMillionTokens: number;
  /** Per million requests, all to this model. */
  readonly perMillionUsd: number;
  /** The assumed requestsPerMonth, all to this model. */
  readonly monthlyUsd: number;
  readonly source: string;
}

export interface TrafficEstimate {
  readonly requestsPerMonth: number;
  /** Infrastructure per million requests above what the fixed cost carries (Bedrock not included). */
  readonly perMillionUsd: number;
  /** Infrastructure at the assumed requestsPerMonth (Bedrock not included). */
  readonly monthlyUsd: number;
  readonly lines: readonly TrafficLine[];
  readonly unpriced: readonly Unpriced[];
  /** Per model of the catalogue (read from the JSON: the inference profiles the task role may invoke). */
  readonly bedrock: { readonly lines: readonly TokenLine[]; readonly unpriced: readonly string[] };
  /** Per-request items that cost nothing, and why. */
  readonly notes: readonly string[];
}

interface Ctx {
  readonly all: readonly TfResource[];
  readonly a: UsageAssumptions;
}

type TrafficRule = (resources: readonly TfResource[], ctx: Ctx) => { lines: TrafficLine[]; unpriced: Unpriced[] };

function traffic(
  r: TfResource,
  item: string,
  perMillion: number,
  price: Price,
  basis: string,
  a: UsageAssumptions,
  options: { unitUsd?: number; source?: string; includedRequests?: number; maximumRequests?: number } = {},
): TrafficLine {
  const unitUsd = options.unitUsd ?? price.usd;
  const includedRequests = options.includedRequests ?? 0;
  const perMillionUsd = perMillion * unitUsd;
  // Above maximumRequests the resource stops growing (the fleet at maxTasks): the rest costs nothing more here.
  const billed = Math.min(a.requestsPerMonth, options.maximumRequests ?? Infinity);
  const monthlyUsd = (Math.max(0, billed - includedRequests) / MILLION) * perMillionUsd;
  return { stack: r.stack, address: r.address, item, perMillion, unit: price.unit, unitUsd, perMillionUsd, includedRequests, monthlyUsd, source: options.source ?? price.source, basis };
}

const sameStack = (ctx: Ctx, r: TfResource) => ctx.all.filter((x) => x.stack === r.stack);

// ------------------------------------------------------------------ gateway tasks

/**
 * Requests a task serves per minute at the fleet's target: the request scaling policy's target value
 * (ALBRequestCountPerTarget is "the optimal average request count per instance during any one-minute interval",
 * Application Auto Scaling TargetTrackingConfiguration), unless assumption gatewayRequestsPerTaskMinute says otherwise.
 */
export function requestsPerTaskMinute(service: TfResource, ctx: Ctx): { value: number; basis: string } | undefined {
  if (ctx.a.gatewayRequestsPerTaskMinute > 0) return { value: ctx.a.gatewayRequestsPerTaskMinute, basis: `assumption gatewayRequestsPerTaskMinute ${ctx.a.gatewayRequestsPerTaskMinute}` };
  const target = sameStack(ctx, service).find((r) => r.type === 'aws_appautoscaling_target' && refersTo(r.attributes['resource_id'], service.address));
  if (!target) return undefined;
  for (const policy of sameStack(ctx, service).filter((r) => r.type === 'aws_appautoscaling_policy' && refersTo(r.attributes['resource_id'], target.address))) {
    const config = firstBlock(policy.attributes['target_tracking_scaling_policy_configuration']);
    const metric = firstBlock(config?.['predefined_metric_specification']);
    const value = asNumber(config?.['target_value']);
    if (asString(metric?.['predefined_metric_type']) === 'ALBRequestCountPerTarget' && value !== undefined && value > 0) {
      return { value, basis: `${policy.address} target ${value} requests per task per minute (ALBRequestCountPerTarget)` };
    }
  }
  return undefined;
}

export const gatewayTrafficRule: TrafficRule = (services, ctx) => {
  const out = { lines: [] as TrafficLine[], unpriced: [] as Unpriced[] };
  for (const service of services) {
    const taskDefinition = sameStack(ctx, service).find((r) => r.type === 'aws_ecs_task_definition' && refersTo(service.attributes['task_definition'], r.address));
    const vcpu = (asNumber(taskDefinition?.attributes['cpu']) ?? NaN) / 1024;
    const gb = (asNumber(taskDefinition?.attributes['memory']) ?? NaN) / 1024;
    const providers = blocks(service.attributes['capacity_provider_strategy']).map((s) => asString(s['capacity_provider']));
    const launchType = asString(service.attributes['launch_type']) ?? (providers.length > 0 ? 'FARGATE' : 'EC2');
    // A service the fixed rule cannot price (not Fargate, another provider, no task definition) is unpriced there.
    if (!taskDefinition || launchType !== 'FARGATE' || providers.some((p) => p !== 'FARGATE' && p !== 'FARGATE_SPOT')) continue;
    const rate = requestsPerTaskMinute(service, ctx);
    if (!Number.isFinite(vcpu) || !Number.isFinite(gb) || rate === undefined) {
      out.unpriced.push({
        stack: service.stack,
        address: service.address,
        type: service.type,
        reason: rate === undefined ? 'no request scaling policy (ALBRequestCountPerTarget): requests per task unknown; set assumption gatewayRequestsPerTaskMinute' : 'task size unknown',
      });
      continue;
    }
    const arch = asString(firstBlock(taskDefinition?.attributes['runtime_platform'])?.['cpu_architecture']) === 'ARM64' ? 'arm64' : 'x86';
    const strategy = blocks(service.attributes['capacity_provider_strategy']).map((s) => ({ provider: asString(s['capacity_provider']) ?? '?', base: asNumber(s['base']) ?? 0, weight: asNumber(s['weight']) ?? 0 }));
    const scaling = sameStack(ctx, service).find((r) => r.type === 'aws_appautoscaling_target' && refersTo(r.attributes['resource_id'], service.address));
    const floor = Math.max(asNumber(service.attributes['desired_count']) ?? 0, asNumber(scaling?.attributes['min_capacity']) ?? 0);
    // Tasks beyond the floor go where the strategy sends the next task: the bases are the floor's (the split of
    // floor + 1 tasks less the split of the floor).
    const after = strategy.length > 0 ? splitByStrategy(floor + 1, strategy) : { FARGATE: floor + 1 };
    const before = strategy.length > 0 ? splitByStrategy(floor, strategy) : { FARGATE: floor };
    const taskHoursPerMillion = MILLION / (rate.value * 60);
    const included = floor * rate.value * 60 * ctx.a.hoursPerMonth;
    const ceiling = asNumber(scaling?.attributes['max_capacity']);
    const maximum = ceiling !== undefined ? ceiling * rate.value * 60 * ctx.a.hoursPerMonth : undefined;
    const basis =
      `${round(taskHoursPerMillion)} task-hours per million requests at ${rate.basis}; ${vcpu} vCPU / ${gb} GB; the ${floor} task(s) of the floor carry ${Math.round(included)} requests a month, spread evenly (peaks add tasks sooner)` +
      (maximum !== undefined ? `; at max_capacity ${ceiling} tasks the fleet stops growing (${Math.round(maximum)} requests a month at the target)` : '');
    for (const provider of ['FARGATE', 'FARGATE_SPOT']) {
      const share = (after[provider] ?? 0) - (before[provider] ?? 0);
      if (share <= 0) continue;
      const spot = provider === 'FARGATE_SPOT';
      const factor = spot ? 1 - ctx.a.spotDiscount : 1;
      for (const [dimension, size] of [['vcpu', vcpu], ['gb', gb]] as const) {
        const price = PRICES[`fargate-${arch}-${dimension}-hour` as PriceId];
        const source = spot ? `${SPOT_PRICE_SOURCE} (${ctx.a.spotDiscount}); on-demand: ${price.source}` : price.source;
        const item = `${dimension === 'vcpu' ? 'vCPU' : 'GB'}-hours of added tasks (${provider})`;
        out.lines.push(traffic(service, item, taskHoursPerMillion * share * size, price, basis, ctx.a, { unitUsd: price.usd * factor, source, includedRequests: included, maximumRequests: maximum }));
      }
    }
  }
  return out;
};

// ------------------------------------------------------------------ logs

export const logTrafficRule: TrafficRule = (groups, ctx) => {
  const out = { lines: [] as TrafficLine[], unpriced: [] as Unpriced[] };
  const a = ctx.a;
  for (const group of groups) {
    const { role, trafficType } = logGroupRole(group, ctx.all);
    const edge = sameStack(ctx, group).some((r) => r.type === 'aws_cloudwatch_log_delivery_destination' && refersTo(r.attributes as JsonValue, group.address));
    let kb = 0;
    let basis = '';
    let price: Price = PRICES['cloudwatch-logs-ingest-gb'];
    if (role === 'gateway') {
      kb = a.gatewayLogKbPerRequest;
      basis = `assumption gatewayLogKbPerRequest ${kb} KB: the metric line (about 0.4 KB, gateway-image/callbacks/metrics_logger.py), the access line and LiteLLM's INFO lines`;
    } else if (role === 'flow-logs' && trafficType !== 'REJECT') {
      kb = a.flowLogKbPerRequest;
      basis = `VPC flow logs (${trafficType}): assumption flowLogKbPerRequest ${kb} KB`;
      price = PRICES['cloudwatch-logs-vended-ingest-gb'];
    } else if (edge) {
      kb = a.edgeLogKbPerRequest;
      basis = `CloudFront access logs: assumption edgeLogKbPerRequest ${kb} KB`;
      price = PRICES['cloudwatch-logs-vended-ingest-gb'];
    }
    if (kb === 0) continue;
    const gb = gbPerMillion(kb);
    out.lines.push(traffic(group, 'ingestion (requests)', gb, price, basis, a));
    const retention = asNumber(group.attributes['retention_in_days']) ?? 0;
    const months = retention > 0 ? retention / 30 : a.neverExpireMonths;
    out.lines.push(traffic(group, 'storage (requests)', gb * months * a.logCompressionRatio, PRICES['cloudwatch-logs-storage-gb-month'], `${round(gb)} GB kept ${retention > 0 ? `${retention} days` : `forever (assumption neverExpireMonths ${a.neverExpireMonths})`}, x logCompressionRatio ${a.logCompressionRatio}`, a));
  }
  return out;
};

// ------------------------------------------------------------------ network

/** NAT processed GB of the assumed requests (the prompt out to Bedrock, the completion back). */
export function natRequestGb(a: UsageAssumptions, requests: number = a.requestsPerMonth): number {
  return (requests * a.bedrockKbPerRequest) / 1e6;
}

export const natTrafficRule: TrafficRule = (gateways, ctx) => {
  const publicGateways = gateways.filter((g) => asString(g.attributes['connectivity_type']) !== 'private');
  return {
    lines: publicGateways.map((g) =>
      traffic(g, 'GB processed (requests)', natRequestGb(ctx.a, MILLION) / publicGateways.length, PRICES['nat-gateway-gb'], `assumption bedrockKbPerRequest ${ctx.a.bedrockKbPerRequest} KB (prompt out, completion back) / ${publicGateways.length} gateway(s)`, ctx.a),
    ),
    unpriced: [],
  };
};

/**
 * Interface endpoints (networking.egress "endpoints"): the prompt out to Bedrock and the completion back cross the
 * bedrock-runtime endpoint, billed per GB processed as the NAT's bytes are; without that endpoint nothing carries them.
 */
export const vpcEndpointTrafficRule: TrafficRule = (endpoints, ctx) => ({
  lines: endpoints
    .filter((e) => isInterface(e) && serviceOf(e) === 'bedrock-runtime')
    .map((e) => traffic(e, 'GB processed (requests)', natRequestGb(ctx.a, MILLION), PRICES['vpc-interface-endpoint-gb'], `assumption bedrockKbPerRequest ${ctx.a.bedrockKbPerRequest} KB (prompt out, completion back)`, ctx.a)),
  unpriced: [],
});

/** Per million requests in LCU-hours: processed bytes (1 GB = 1 LCU-hour) or new connections (25 a second = 1 LCU), whichever is larger. */
export function albLcuHoursPerMillion(a: UsageAssumptions): { lcuHours: number; dimension: string } {
  const bytes = gbPerMillion(a.albKbPerRequest);
  const connections = (MILLION * a.albNewConnectionsPerRequest) / (25 * 3600);
  return bytes >= connections
    ? { lcuHours: bytes, dimension: `processed bytes: albKbPerRequest ${a.albKbPerRequest} KB (1 GB an hour = 1 LCU)` }
    : { lcuHours: connections, dimension: `new connections: albNewConnectionsPerRequest ${a.albNewConnectionsPerRequest} (25 a second = 1 LCU)` };
}

export const albTrafficRule: TrafficRule = (lbs, ctx) => {
  const out = { lines: [] as TrafficLine[], unpriced: [] as Unpriced[] };
  const { lcuHours, dimension } = albLcuHoursPerMillion(ctx.a);
  for (const lb of lbs) {
    if ((asString(lb.attributes['load_balancer_type']) ?? 'application') !== 'application') continue;
    // The fixed cost bills the LCU floor every hour; requests cost LCUs only above it.
    const included = lcuHours > 0 ? ((ctx.a.albMinimumLcu * ctx.a.hoursPerMonth) / lcuHours) * MILLION : 0;
    out.lines.push(traffic(lb, 'LCU-hours (requests)', lcuHours, PRICES['alb-lcu-hour'], `${dimension}, the larger LCU dimension; above the floor albMinimumLcu ${ctx.a.albMinimumLcu} (${Math.round(included)} requests a month)`, ctx.a, { includedRequests: included }));
  }
  return out;
};

// ------------------------------------------------------------------ Aurora

/** Days LiteLLM keeps spend-log rows: the task's LITELLM_SPEND_LOGS_RETENTION (`30d`), if a task definition sets it. */
export function spendLogRetentionDays(all: readonly TfResource[]): number | undefined {
  for (const td of all.filter((r) => r.type === 'aws_ecs_task_definition')) {
    const m = /"name":"LITELLM_SPEND_LOGS_RETENTION","value":"(\d+)d"/.exec(asString(td.attributes['container_definitions']) ?? '');
    if (m) return Number(m[1]);
  }
  return undefined;
}

export const auroraTrafficRule: TrafficRule = (clusters, ctx) => {
  const out = { lines: [] as TrafficLine[], unpriced: [] as Unpriced[] };
  const a = ctx.a;
  const days = spendLogRetentionDays(ctx.all);
  const months = days !== undefined ? days / 30 : a.neverExpireMonths;
  for (const cluster of clusters) {
    if (asString(cluster.attributes['storage_type']) === 'aurora-iopt1') continue; // unpriced by the fixed rule
    const gb = gbPerMillion(a.spendLogKbPerRequest);
    out.lines.push(
      traffic(cluster, 'storage (spend-log rows)', gb * months, PRICES['aurora-storage-gb-month'], `one LiteLLM_SpendLogs row per request, assumption spendLogKbPerRequest ${a.spendLogKbPerRequest} KB, kept ${days !== undefined ? `${days} days (LITELLM_SPEND_LOGS_RETENTION)` : `(no retention found: assumption neverExpireMonths ${a.neverExpireMonths})`}`, a),
    );
    out.lines.push(traffic(cluster, 'I/O (spend-log rows)', a.auroraIoPerRequest, PRICES['aurora-io-million'], `assumption auroraIoPerRequest ${a.auroraIoPerRequest} (Aurora Standard bills I/O; writes in 4 KB units)`, a));
  }
  return out;
};

// ------------------------------------------------------------------ edge

export const wafTrafficRule: TrafficRule = (acls, ctx) => ({
  lines: acls.map((acl) => traffic(acl, 'requests inspected', 1, PRICES['waf-request-million'], 'every request through the distribution', ctx.a)),
  unpriced: [],
});

export const cloudfrontTrafficRule: TrafficRule = (distributions, ctx) => {
  const a = ctx.a;
  const toOrigin = Math.max(0, a.albKbPerRequest - a.edgeResponseKbPerRequest);
  return {
    lines: distributions.flatMap((d) => [
      traffic(d, 'HTTPS requests', 1, PRICES['cloudfront-https-request-million'], 'every request', a),
      traffic(d, 'GB to the client', gbPerMillion(a.edgeResponseKbPerRequest), PRICES['cloudfront-data-transfer-out-gb'], `assumption edgeResponseKbPerRequest ${a.edgeResponseKbPerRequest} KB`, a),
      traffic(d, 'GB to the origin', gbPerMillion(toOrigin), PRICES['cloudfront-data-transfer-origin-gb'], `albKbPerRequest ${a.albKbPerRequest} KB less the response`, a),
    ]),
    unpriced: [],
  };
};

/** The traffic rules by the resource type they price. */
export const TRAFFIC_RULES: Readonly<Record<string, TrafficRule>> = {
  aws_ecs_service: gatewayTrafficRule,
  aws_cloudwatch_log_group: logTrafficRule,
  aws_nat_gateway: natTrafficRule,
  aws_vpc_endpoint: vpcEndpointTrafficRule,
  aws_lb: albTrafficRule,
  aws_rds_cluster: auroraTrafficRule,
  aws_wafv2_web_acl: wafTrafficRule,
  aws_cloudfront_distribution: cloudfrontTrafficRule,
};

export const TRAFFIC_NOTES: readonly string[] = [
  'Custom metrics: nothing per request. The metrics come from CloudWatch metric filters on the gateway\'s log lines (no EMF, no PutMetricData), billed per metric-month in the fixed cost.',
  'Aurora ACUs: the fixed cost\'s floor; LiteLLM writes spend logs in batches, so the traffic assumed here adds no ACU above it (assumption auroraAcuAboveFloor if yours does).',
  'Logs Insights (usageMetrics "logs-insights"): each dashboard view is billed per GB scanned ($0.005), by views, not by requests.',
];

// ------------------------------------------------------------------ Bedrock

/**
 * The catalogue's model ids, read from the JSON: the inference profiles the task role may invoke (in its policy
 * document, a data source, so the whole documents are read).
 */
export function invokedModels(stacks: Readonly<Record<string, unknown>>): string[] {
  const ids = new Set<string>();
  for (const doc of Object.values(stacks)) for (const m of JSON.stringify(doc).matchAll(/inference-profile\/([A-Za-z0-9.:-]+)/g)) ids.add(m[1]);
  return [...ids].sort();
}

export function bedrockTokens(models: readonly string[], a: UsageAssumptions): { lines: TokenLine[]; unpriced: string[] } {
  const lines: TokenLine[] = [];
  const unpriced: string[] = [];
  for (const model of models) {
    const price = BEDROCK_TOKEN_PRICES[model];
    if (!price) {
      unpriced.push(model);
      continue;
    }
    const perMillionUsd = a.bedrockInputTokensPerRequest * price.input.usd + a.bedrockOutputTokensPerRequest * price.output.usd;
    lines.push({
      model,
      inputTokensPerRequest: a.bedrockInputTokensPerRequest,
      outputTokensPerRequest: a.bedrockOutputTokensPerRequest,
      inputUsdPerMillionTokens: price.input.usd,
      outputUsdPerMillionTokens: price.output.usd,
      perMillionUsd,
      monthlyUsd: (a.requestsPerMonth / MILLION) * perMillionUsd,
      source: price.input.source,
    });
  }
  return { lines, unpriced };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** What traffic adds to one environment's synthesized resources, and Bedrock's tokens per model beside it. */
export function trafficEstimate(all: readonly TfResource[], a: UsageAssumptions, models: readonly string[] = []): TrafficEstimate {
  const ctx: Ctx = { all, a };
  const lines: TrafficLine[] = [];
  const unpriced: Unpriced[] = [];
  for (const [type, rule] of Object.entries(TRAFFIC_RULES)) {
    const ofType = all.filter((r) => r.type === type);
    if (ofType.length === 0) continue;
    const result = rule(ofType, ctx);
    lines.push(...result.lines);
    unpriced.push(...result.unpriced);
  }
  const order = (l: TrafficLine) => `${l.stack}\u0000${l.address}\u0000${l.item}`;
  lines.sort((x, y) => order(x).localeCompare(order(y)));
  return {
    requestsPerMonth: a.requestsPerMonth,
    perMillionUsd: lines.reduce((s, l) => s + l.perMillionUsd, 0),
    monthlyUsd: lines.reduce((s, l) => s + l.monthlyUsd, 0),
    lines,
    unpriced,
    bedrock: bedrockTokens(models, a),
    notes: TRAFFIC_NOTES,
  };
}
