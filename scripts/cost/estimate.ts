/**
 * Prices the synthesized stacks of one environment (cdk.tf.json documents) per month: quantities come from the
 * JSON (task size and count, capacity provider weights, ACU floor and instances, NAT gateways and public IPv4
 * addresses, cache nodes, metrics from metric filters and their dimensions, alarm metrics, secrets, keys, zones, log
 * groups), usage from the stated assumptions, unit prices from prices.ts. A resource type with neither a rule nor
 * a place in FREE_TYPES is listed as unpriced, never counted as zero.
 *
 * These rules price the environment at zero requests (the fixed cost); what requests add, per million and at the
 * assumed requestsPerMonth, is traffic.ts's, and the estimate's total is the two together.
 */
import type { JsonObject, JsonValue } from '../../policy/types';
import { asNumber, asString, blocks, firstBlock, isJsonObject, isTrue, referencedAddresses, refersTo } from '../../policy/terraform';
import type { UsageAssumptions } from './assumptions';
import { PRICES, Price, PriceId, SPOT_PRICE_SOURCE } from './prices';
import { TrafficEstimate, invokedModels, trafficEstimate } from './traffic';
import { NetworkFacts, networkFacts, vpcEndpointRule } from './network-paths';
import { MINUTES_PER_WEEK, weeklySchedule } from './schedule';

/** One resource of a synthesized stack. */
export interface TfResource {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  /** `aws_nat_gateway.nat-0` */
  readonly address: string;
  readonly attributes: JsonObject;
}

export interface CostLine {
  readonly stack: string;
  readonly address: string;
  /** What is billed, e.g. `vCPU-hours (FARGATE_SPOT)`. */
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitUsd: number;
  readonly monthlyUsd: number;
  readonly source: string;
  /** How the quantity was derived (the assumption or attribute it rests on). */
  readonly basis: string;
}

export interface Unpriced {
  readonly stack: string;
  readonly address: string;
  readonly type: string;
  readonly reason: string;
}

export interface EnvironmentEstimate {
  readonly environment: string;
  /** fixed + traffic.monthlyUsd: the month at the assumed requestsPerMonth (Bedrock not included). */
  readonly total: number;
  /** The environment at zero requests: the sum of `lines`. */
  readonly fixed: number;
  /** The fixed cost, by resource. */
  readonly lines: readonly CostLine[];
  /** What requests add: per million, and at the assumed requestsPerMonth; Bedrock's tokens per model beside it. */
  readonly traffic: TrafficEstimate;
  /** Of the fixed cost and of the traffic. */
  readonly unpriced: readonly Unpriced[];
  /** Resources known to cost nothing by themselves, by type, with the reason. */
  readonly free: readonly { readonly type: string; readonly count: number; readonly reason: string }[];
  readonly assumptions: UsageAssumptions;
  /** What the NAT / endpoints comparison reads from the stacks (scripts/cost/network-paths.ts). */
  readonly network?: NetworkFacts;
}

/** Types that cost nothing by themselves (or whose cost another line carries), with the reason. */
export const FREE_TYPES: Readonly<Record<string, string>> = {
  aws_vpc: 'no charge',
  aws_subnet: 'no charge',
  aws_route_table: 'no charge',
  aws_route: 'no charge',
  aws_route_table_association: 'no charge',
  aws_internet_gateway: 'no charge (data transfer is billed where it leaves)',
  aws_default_security_group: 'no charge',
  aws_security_group: 'no charge',
  aws_vpc_security_group_ingress_rule: 'no charge',
  aws_vpc_security_group_egress_rule: 'no charge',
  aws_flow_log: 'billed as ingestion into its CloudWatch log group (vended logs)',
  aws_iam_role: 'no charge',
  aws_iam_role_policy: 'no charge',
  aws_iam_role_policy_attachment: 'no charge',
  aws_iam_policy: 'no charge (IAM managed policies are free)',
  aws_db_subnet_group: 'no charge',
  aws_rds_cluster_parameter_group: 'no charge',
  aws_rds_cluster_instance: 'billed in ACU-hours on the cluster line of each instance',
  aws_secretsmanager_secret_version: 'billed with its secret',
  aws_ecs_cluster: 'no charge; Container Insights is priced on its own line',
  aws_ecs_cluster_capacity_providers: 'no charge',
  aws_ecs_task_definition: 'billed through the service running it (Fargate)',
  aws_lb_target_group: 'no charge (LCUs are billed on the load balancer)',
  aws_lb_listener: 'no charge (LCUs are billed on the load balancer)',
  aws_route53_record: 'no charge; alias queries to AWS resources are free',
  aws_appautoscaling_target: 'no charge',
  aws_appautoscaling_policy: 'no charge (its CloudWatch alarms are managed by Application Auto Scaling and not billed)',
  aws_appautoscaling_scheduled_action: 'no charge; its hours are priced on the service (and the database) it stops',
  aws_cloudwatch_log_metric_filter: 'no charge; the metrics it publishes are priced as custom metrics',
  aws_kms_alias: 'no charge',
  aws_sns_topic: 'no charge; publishes and e-mail notifications are within the free tier at alarm volumes',
  aws_sns_topic_subscription: 'no charge at alarm volumes (first 1,000 e-mails per month free)',
  aws_sns_topic_policy: 'no charge',
  aws_elasticache_subnet_group: 'no charge',
  aws_elasticache_user: 'no charge (ElastiCache bills node-hours; RBAC users and IAM authentication are not billed)',
  aws_elasticache_user_group: 'no charge (as aws_elasticache_user)',
  aws_ecr_lifecycle_policy: 'no charge',
  aws_budgets_budget: 'budgets without actions are free (AWS Price List, AWSBudgets)',
  aws_budgets_budget_action:
    'makes its budget action-enabled: an account\'s first 62 action-enabled budget-days a month (two budgets) are free, then $0.10 per budget-day (AWS Price List, AWSBudgets); one per environment with observability.budgets.hardStop',
  random_password: 'local to Terraform',
  docker_image: 'built on the deploying machine',
  docker_registry_image: 'a push; the image is priced as ECR storage',
  aws_wafv2_ip_set: 'no charge (the web ACL and its rules are billed)',
  aws_cloudfront_vpc_origin: 'no charge of its own (AWS announced VPC origins at no additional cost; not re-read here); requests and bytes are billed on the distribution',
  aws_cloudwatch_log_delivery: 'billed as ingestion into its destination log group (vended logs)',
  aws_cloudwatch_log_delivery_source: 'billed as ingestion into its destination log group (vended logs)',
  aws_cloudwatch_log_delivery_destination: 'billed as ingestion into its log group (vended logs)',
  terraform_data: 'local to Terraform',
};

export interface Context {
  readonly all: readonly TfResource[];
  readonly a: UsageAssumptions;
}

export interface RuleOutput {
  readonly lines: CostLine[];
  readonly unpriced: Unpriced[];
}

export type Rule = (resources: readonly TfResource[], ctx: Context) => RuleOutput;

/** Reads the managed resources of synthesized stacks (`{ stackName: cdk.tf.json }`). Data sources are free. */
export function resourcesOf(stacks: Readonly<Record<string, unknown>>): TfResource[] {
  const out: TfResource[] = [];
  for (const [stack, doc] of Object.entries(stacks)) {
    const resource = (doc as { resource?: Record<string, Record<string, JsonObject>> }).resource ?? {};
    for (const [type, byName] of Object.entries(resource)) {
      for (const [name, attributes] of Object.entries(byName)) {
        // `//` is cdktf's metadata (construct path), not an argument.
        const rest = Object.fromEntries(Object.entries(attributes).filter(([key]) => key !== '//'));
        out.push({ stack, type, name, address: `${type}.${name}`, attributes: rest as JsonObject });
      }
    }
  }
  return out;
}

function line(r: TfResource, item: string, quantity: number, price: Price, basis: string, unitUsd = price.usd, source = price.source): CostLine {
  return { stack: r.stack, address: r.address, item, quantity, unit: price.unit, unitUsd, monthlyUsd: quantity * unitUsd, source, basis };
}

function unpriced(r: TfResource, reason: string): Unpriced {
  return { stack: r.stack, address: r.address, type: r.type, reason };
}

/** Resources of the same stack whose attributes reference `target` (cdktf keeps references within a stack). */
function referrers(ctx: Context, target: TfResource, type: string): TfResource[] {
  return ctx.all.filter((r) => r.stack === target.stack && r.type === type && refersTo(r.attributes as JsonValue, target.address));
}

function referenced(ctx: Context, from: TfResource, value: JsonValue | undefined, type: string): TfResource | undefined {
  const addresses = referencedAddresses(value);
  return ctx.all.find((r) => r.stack === from.stack && r.type === type && addresses.has(r.address));
}

const empty = (): RuleOutput => ({ lines: [], unpriced: [] });

// ------------------------------------------------------------------ Fargate

/**
 * Tasks per capacity provider: each provider's base first (in strategy order), then the rest split by weight, as
 * ECS places a service's tasks (Amazon ECS developer guide, capacity provider strategies). Fractions are expected
 * shares of the steady-state count.
 */
export function splitByStrategy(tasks: number, strategy: readonly { provider: string; base: number; weight: number }[]): Record<string, number> {
  const out: Record<string, number> = {};
  let rest = tasks;
  for (const item of strategy) {
    const placed = Math.min(item.base, rest);
    out[item.provider] = (out[item.provider] ?? 0) + placed;
    rest -= placed;
  }
  const weights = strategy.reduce((sum, item) => sum + item.weight, 0);
  for (const item of strategy) {
    out[item.provider] = (out[item.provider] ?? 0) + (weights > 0 ? (rest * item.weight) / weights : 0);
  }
  return out;
}

export const fargateRule: Rule = (services, ctx) => {
  const out = empty();
  for (const service of services) {
    const taskDefinition = referenced(ctx, service, service.attributes['task_definition'], 'aws_ecs_task_definition');
    if (!taskDefinition) {
      out.unpriced.push(unpriced(service, 'task definition not found in its stack: task size unknown'));
      continue;
    }
    const strategy = blocks(service.attributes['capacity_provider_strategy']).map((item) => ({
      provider: asString(item['capacity_provider']) ?? '?',
      base: asNumber(item['base']) ?? 0,
      weight: asNumber(item['weight']) ?? 0,
    }));
    const launchType = asString(service.attributes['launch_type']) ?? (strategy.length > 0 ? undefined : 'EC2');
    if (launchType !== undefined && launchType !== 'FARGATE') {
      out.unpriced.push(unpriced(service, `launch type ${launchType}: only Fargate is priced`));
      continue;
    }
    const unknownProvider = strategy.find((item) => item.provider !== 'FARGATE' && item.provider !== 'FARGATE_SPOT');
    if (unknownProvider) {
      out.unpriced.push(unpriced(service, `capacity provider ${unknownProvider.provider}: only FARGATE and FARGATE_SPOT are priced`));
      continue;
    }
    const vcpu = (asNumber(taskDefinition.attributes['cpu']) ?? NaN) / 1024;
    const gb = (asNumber(taskDefinition.attributes['memory']) ?? NaN) / 1024;
    const platform = firstBlock(taskDefinition.attributes['runtime_platform']);
    const arch = asString(platform?.['cpu_architecture']) ?? 'X86_64';
    const os = asString(platform?.['operating_system_family']) ?? 'LINUX';
    if (!Number.isFinite(vcpu) || !Number.isFinite(gb) || os !== 'LINUX') {
      out.unpriced.push(unpriced(service, `task size ${JSON.stringify(taskDefinition.attributes['cpu'])}/${JSON.stringify(taskDefinition.attributes['memory'])} on ${os}: only literal Linux sizes are priced`));
      continue;
    }
    const scaling = ctx.all.find(
      (r) => r.stack === service.stack && r.type === 'aws_appautoscaling_target' && refersTo(r.attributes['resource_id'], service.address),
    );
    const desired = asNumber(service.attributes['desired_count']) ?? 0;
    const floor = asNumber(scaling?.attributes['min_capacity']) ?? 0;
    const tasks = Math.max(desired, floor);
    const split = launchType === 'FARGATE' ? { FARGATE: tasks } : splitByStrategy(tasks, strategy);
    const key = arch === 'ARM64' ? 'arm64' : 'x86';
    const vcpuPrice = PRICES[`fargate-${key}-vcpu-hour` as PriceId];
    const gbPrice = PRICES[`fargate-${key}-gb-hour` as PriceId];
    // gateway.schedule: the scheduled actions on the service's target hold it at 0 tasks outside its hours.
    const week = scaling ? weeklySchedule(scheduledActionsOn(ctx, scaling).map((a) => a.attributes)) : undefined;
    if (week !== undefined && 'unreadable' in week) {
      out.unpriced.push(unpriced(service, week.unreadable));
      continue;
    }
    const h = week ? (ctx.a.hoursPerMonth * week.activeMinutes) / MINUTES_PER_WEEK : ctx.a.hoursPerMonth;
    const hours = week ? `${round(h)} h (scheduled actions: ${round(week.activeMinutes / 60)} of 168 h a week, x ${ctx.a.hoursPerMonth}/168)` : `${h} h`;
    const basis = `${tasks} task(s) (max of desired_count ${desired} and scaling min ${floor}) x ${vcpu} vCPU / ${gb} GB ${arch}, ${hours}`;
    for (const provider of ['FARGATE', 'FARGATE_SPOT']) {
      const n = split[provider] ?? 0;
      if (n === 0) continue;
      const spot = provider === 'FARGATE_SPOT';
      const factor = spot ? 1 - ctx.a.spotDiscount : 1;
      const source = (p: Price) => (spot ? `${SPOT_PRICE_SOURCE} (${ctx.a.spotDiscount}); on-demand: ${p.source}` : p.source);
      const share = launchType === 'FARGATE' ? 'launch type FARGATE' : `strategy ${strategy.map((s) => `${s.provider} base ${s.base} weight ${s.weight}`).join(', ')}: ${round(n)} task(s) here`;
      out.lines.push(line(service, `vCPU-hours (${provider})`, n * vcpu * h, vcpuPrice, `${basis}; ${share}`, vcpuPrice.usd * factor, source(vcpuPrice)));
      out.lines.push(line(service, `GB-hours (${provider})`, n * gb * h, gbPrice, `${basis}; ${share}`, gbPrice.usd * factor, source(gbPrice)));
    }
  }
  return out;
};

export const containerInsightsRule: Rule = (clusters, ctx) => {
  const out = empty();
  for (const cluster of clusters) {
    const setting = blocks(cluster.attributes['setting']).find((s) => s['name'] === 'containerInsights');
    const value = asString(setting?.['value']);
    if (value === 'enhanced') {
      out.unpriced.push(unpriced(cluster, 'Container Insights "enhanced" is billed per observation: not in prices.ts'));
    } else if (value === 'enabled') {
      const services = Math.max(1, referrers(ctx, cluster, 'aws_ecs_service').length);
      const metrics = services * ctx.a.containerInsightsMetricsPerService;
      out.lines.push(line(cluster, 'Container Insights metrics', metrics, PRICES['cloudwatch-custom-metric-month'], `${services} service(s) x assumption containerInsightsMetricsPerService ${ctx.a.containerInsightsMetricsPerService}`));
      out.lines.push(line(cluster, 'Container Insights performance logs', ctx.a.containerInsightsLogGbPerMonth, PRICES['cloudwatch-logs-ingest-gb'], 'assumption containerInsightsLogGbPerMonth'));
    }
  }
  return out;
};

// ------------------------------------------------------------------ Aurora

export const auroraRule: Rule = (clusters, ctx) => {
  const out = empty();
  for (const cluster of clusters) {
    const scaling = firstBlock(cluster.attributes['serverlessv2_scaling_configuration']);
    const instances = referrers(ctx, cluster, 'aws_rds_cluster_instance');
    const storageType = asString(cluster.attributes['storage_type']);
    if (storageType === 'aurora-iopt1') {
      out.unpriced.push(unpriced(cluster, 'Aurora I/O-Optimized storage: not in prices.ts'));
      continue;
    }
    const floor = asNumber(scaling?.['min_capacity']);
    if (scaling === undefined || floor === undefined) {
      out.unpriced.push(unpriced(cluster, 'no literal serverlessv2_scaling_configuration.min_capacity: only Aurora Serverless v2 is priced'));
      continue;
    }
    const h = ctx.a.hoursPerMonth;
    // A min-0 instance pauses only when idle; running, it holds at least 0.5 ACU (Aurora user guide, auto-pause).
    const running = floor === 0 ? 0.5 : floor;
    // With an off-hours schedule nothing holds a connection once the tasks are gone: the instance runs the active
    // hours plus its auto-pause delay after each stop (docs/off-hours.md). Storage and I/O are billed as before.
    const pauseSeconds = asNumber(scaling['seconds_until_auto_pause']) ?? 300;
    const week = floor === 0 ? offHoursWeek(ctx) : undefined;
    const scheduled = week ? Math.min(1, (week.activeMinutes + (week.stopsPerWeek * pauseSeconds) / 60) / MINUTES_PER_WEEK) : undefined;
    const share = floor === 0 ? (scheduled ?? ctx.a.auroraActiveShare) : 1;
    for (const instance of instances) {
      const klass = asString(instance.attributes['instance_class']);
      if (klass !== 'db.serverless') {
        out.unpriced.push(unpriced(instance, `instance class ${klass}: only db.serverless is priced`));
        continue;
      }
      const acu = running + ctx.a.auroraAcuAboveFloor;
      const shareBasis =
        scheduled !== undefined
          ? `running share ${round(share)} (scheduled actions: ${round(week!.activeMinutes / 60)} h a week + ${week!.stopsPerWeek} x seconds_until_auto_pause ${pauseSeconds} s, of 168 h)`
          : `running share ${share} (assumption auroraActiveShare)`;
      const basis =
        `ACU floor ${floor} (min_capacity)${floor === 0 ? `, 0.5 when running, ${shareBasis}` : ''}` +
        ` + assumption auroraAcuAboveFloor ${ctx.a.auroraAcuAboveFloor}, ${h} h; ${instances.length} instance(s) (writer + readers)`;
      out.lines.push(line(instance, 'ACU-hours', acu * h * share, PRICES['aurora-serverless-v2-acu-hour'], basis));
    }
    out.lines.push(line(cluster, 'storage', ctx.a.auroraStorageGb, PRICES['aurora-storage-gb-month'], 'assumption auroraStorageGb'));
    out.lines.push(line(cluster, 'I/O', ctx.a.auroraIoMillionsPerMonth, PRICES['aurora-io-million'], 'assumption auroraIoMillionsPerMonth'));
    if (isTrue(cluster.attributes['manage_master_user_password'])) {
      out.lines.push(line(cluster, 'RDS-managed master secret', 1, PRICES['secret-month'], 'manage_master_user_password: RDS keeps the password in a Secrets Manager secret'));
    }
  }
  return out;
};

/** The scheduled actions on a scalable target (same stack, by reference). */
function scheduledActionsOn(ctx: Context, target: TfResource): TfResource[] {
  return ctx.all.filter((r) => r.stack === target.stack && r.type === 'aws_appautoscaling_scheduled_action' && refersTo(r.attributes['resource_id'], target.address));
}

/** The environment's off-hours week, from the gateway's scheduled actions in any stack (undefined without one). */
function offHoursWeek(ctx: Context): { activeMinutes: number; stopsPerWeek: number } | undefined {
  const targets = ctx.all.filter((r) => r.type === 'aws_appautoscaling_target');
  for (const target of targets) {
    const week = weeklySchedule(scheduledActionsOn(ctx, target).map((a) => a.attributes));
    if (week !== undefined && !('unreadable' in week)) return week;
  }
  return undefined;
}

// ------------------------------------------------------------------ network

export const natRule: Rule = (gateways, ctx) => {
  const out = empty();
  const h = ctx.a.hoursPerMonth;
  // At zero requests: image pulls and AWS API calls. The requests' bytes are traffic (traffic.ts, natTrafficRule).
  const publicGateways = gateways.filter((g) => asString(g.attributes['connectivity_type']) !== 'private');
  for (const gateway of gateways) {
    out.lines.push(line(gateway, 'hours', h, PRICES['nat-gateway-hour'], `${h} h`));
    if (publicGateways.length > 0 && publicGateways.includes(gateway)) {
      const gbShare = ctx.a.natBaseGb / publicGateways.length;
      out.lines.push(line(gateway, 'GB processed', gbShare, PRICES['nat-gateway-gb'], `assumption natBaseGb ${ctx.a.natBaseGb} (image pulls, AWS API calls) / ${publicGateways.length} gateway(s)`));
    }
  }
  return out;
};

export const publicIpv4Rule: Rule = (eips, ctx) => {
  const out = empty();
  for (const eip of eips) out.lines.push(line(eip, 'public IPv4 hours', ctx.a.hoursPerMonth, PRICES['public-ipv4-hour'], `one address, ${ctx.a.hoursPerMonth} h`));
  return out;
};

export const loadBalancerRule: Rule = (lbs, ctx) => {
  const out = empty();
  for (const lb of lbs) {
    const type = asString(lb.attributes['load_balancer_type']) ?? 'application';
    if (type !== 'application') {
      out.unpriced.push(unpriced(lb, `load balancer type ${type}: only ALBs are priced`));
      continue;
    }
    const h = ctx.a.hoursPerMonth;
    // The floor a quiet ALB bills; requests add LCUs above it (traffic.ts, albTrafficRule).
    out.lines.push(line(lb, 'hours', h, PRICES['alb-hour'], `${h} h`));
    out.lines.push(line(lb, 'LCU-hours', ctx.a.albMinimumLcu * h, PRICES['alb-lcu-hour'], `assumption albMinimumLcu ${ctx.a.albMinimumLcu} x ${h} h`));
  }
  return out;
};

export const cacheRule: Rule = (groups, ctx) => {
  const out = empty();
  for (const group of groups) {
    const nodeType = asString(group.attributes['node_type']);
    const engine = asString(group.attributes['engine']) ?? 'redis';
    const nodes = asNumber(group.attributes['num_cache_clusters']) ?? 1;
    const id = `elasticache-${engine}-${nodeType}-hour`;
    const price = (PRICES as Record<string, Price>)[id];
    if (!price) {
      out.unpriced.push(unpriced(group, `no price for ${engine} ${nodeType} in prices.ts (${id})`));
      continue;
    }
    out.lines.push(line(group, `node-hours (${engine} ${nodeType})`, nodes * ctx.a.hoursPerMonth, price, `${nodes} node(s) (num_cache_clusters) x ${ctx.a.hoursPerMonth} h`));
  }
  return out;
};

// ------------------------------------------------------------------ per-item monthly charges

const perItem = (priceId: PriceId, item: string, basis: string): Rule => (resources) => ({
  lines: resources.map((r) => line(r, item, 1, PRICES[priceId], basis)),
  unpriced: [],
});

export const secretRule = perItem('secret-month', 'secret', 'one secret');
export const kmsKeyRule = perItem('kms-key-month', 'key', 'one customer managed key (first year of rotation)');
export const zoneRule = perItem('route53-hosted-zone-month', 'hosted zone', 'one zone');

export const ecrRule: Rule = (repos, ctx) => ({
  lines: repos.map((r) => line(r, 'image storage', ctx.a.ecrStorageGb, PRICES['ecr-storage-gb-month'], 'assumption ecrStorageGb')),
  unpriced: [],
});

export const dashboardRule: Rule = (dashboards, ctx) => {
  let free = ctx.a.freeDashboards;
  return {
    lines: dashboards.map((d) => {
      const covered = free > 0;
      free -= 1;
      return line(d, 'dashboard', covered ? 0 : 1, PRICES['cloudwatch-dashboard-month'], covered ? 'covered by the account\'s 3 free dashboards (assumption freeDashboards)' : 'one dashboard; the first 3 per account are free (not applied: assumption freeDashboards 0)');
    }),
    unpriced: [],
  };
};

// ------------------------------------------------------------------ CloudWatch metrics and alarms

/**
 * The values a dimension can take, read from the filter pattern: a JSON selector (`$.model`) is bounded only if the
 * pattern lists it with `=` (`$.model = "a" || $.model = "b"`). Each distinct value is a billed metric.
 */
export function dimensionValues(pattern: string, selector: string): string[] | undefined {
  const escaped = selector.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`${escaped}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`, 'g');
  const values = [...pattern.matchAll(re)].map((m) => m[1]);
  return values.length > 0 ? [...new Set(values)] : undefined;
}

export const metricFilterRule: Rule = (filters) => {
  const out = empty();
  const seen = new Set<string>();
  for (const filter of filters) {
    const t = firstBlock(filter.attributes['metric_transformation']);
    const pattern = asString(filter.attributes['pattern']) ?? '';
    if (!t) continue;
    const id = `${asString(t['namespace'])}|${asString(t['name'])}`;
    const dims = isJsonObject(t['dimensions']) ? Object.entries(t['dimensions']) : [];
    let combinations: string[][] = [[]];
    let unbounded: string | undefined;
    for (const [dim, selector] of dims) {
      const values = typeof selector === 'string' ? dimensionValues(pattern, selector) : undefined;
      if (!values) {
        unbounded = `${dim} = ${String(selector)}`;
        break;
      }
      combinations = combinations.flatMap((c) => values.map((v) => [...c, `${dim}=${v}`]));
    }
    if (unbounded) {
      out.unpriced.push(unpriced(filter, `dimension ${unbounded} is not limited by the filter pattern: every distinct value is a metric, count unknown`));
      continue;
    }
    const fresh = combinations.filter((c) => !seen.has(`${id}|${c.join(',')}`));
    fresh.forEach((c) => seen.add(`${id}|${c.join(',')}`));
    const basis = dims.length === 0 ? 'one metric (no dimensions)' : `${fresh.length} distinct ${dims.map(([d]) => d).join(' x ')} value(s) listed in the pattern`;
    out.lines.push(line(filter, `custom metrics (${asString(t['name'])})`, fresh.length, PRICES['cloudwatch-custom-metric-month'], basis));
  }
  return out;
};

/**
 * Alarms are billed per metric they read: one for a plain alarm, one per `metric` query for metric math; a period
 * under 60 s is a high-resolution alarm (CloudWatch pricing, alarms).
 */
export const alarmRule: Rule = (alarms) => {
  const out = empty();
  for (const alarm of alarms) {
    const queries = blocks(alarm.attributes['metric_query']);
    const metrics = queries.length > 0 ? queries.map((q) => firstBlock(q['metric'])).filter((m): m is JsonObject => m !== undefined) : [alarm.attributes];
    const highRes = metrics.filter((m) => (asNumber(m['period']) ?? 60) < 60).length;
    const standard = metrics.length - highRes;
    const kind = queries.length > 0 ? 'metric math' : 'single metric';
    if (standard > 0) out.lines.push(line(alarm, `alarm metrics (${kind})`, standard, PRICES['cloudwatch-alarm-metric-month'], `${standard} metric(s) read at a period of 60 s or more`));
    if (highRes > 0) out.lines.push(line(alarm, `alarm metrics (${kind}, high resolution)`, highRes, PRICES['cloudwatch-alarm-metric-high-res-month'], `${highRes} metric(s) read at a period under 60 s`));
  }
  return out;
};

// ------------------------------------------------------------------ logs

export type LogGroupRole = 'gateway' | 'flow-logs' | 'database' | 'other';

/** What a log group holds, from the JSON: a flow log's destination, an RDS export, the ECS containers' group. */
export function logGroupRole(group: TfResource, all: readonly TfResource[]): { role: LogGroupRole; trafficType?: string } {
  const sameStack = all.filter((r) => r.stack === group.stack);
  const flowLog = sameStack.find((r) => r.type === 'aws_flow_log' && refersTo(r.attributes['log_destination'], group.address));
  if (flowLog) return { role: 'flow-logs', trafficType: asString(flowLog.attributes['traffic_type']) ?? 'ALL' };
  if ((asString(group.attributes['name']) ?? '').startsWith('/aws/rds/')) return { role: 'database' };
  if (sameStack.some((r) => r.type === 'aws_ecs_task_definition' && refersTo(r.attributes['container_definitions'], group.address))) return { role: 'gateway' };
  return { role: 'other' };
}

export const logGroupRule: Rule = (groups, ctx) => {
  const out = empty();
  const a = ctx.a;
  for (const group of groups) {
    const { role, trafficType } = logGroupRole(group, ctx.all);
    let gb: number;
    let basis: string;
    let price: Price = PRICES['cloudwatch-logs-ingest-gb'];
    if (role === 'gateway') {
      // At zero requests; the per-request lines are traffic (traffic.ts, logTrafficRule).
      gb = a.gatewayLogBaseGb;
      basis = `gateway containers: assumption gatewayLogBaseGb ${a.gatewayLogBaseGb} (start-up, migrations, periodic jobs)`;
    } else if (role === 'flow-logs') {
      const key = (trafficType ?? 'ALL') as keyof UsageAssumptions['flowLogGbPerMonth'];
      gb = a.flowLogGbPerMonth[key] ?? a.flowLogGbPerMonth.ALL;
      basis = `VPC flow logs (${trafficType}): assumption flowLogGbPerMonth.${key}`;
      price = PRICES['cloudwatch-logs-vended-ingest-gb'];
    } else if (role === 'database') {
      gb = a.databaseLogGbPerMonth;
      basis = 'Aurora PostgreSQL log export: assumption databaseLogGbPerMonth';
    } else {
      gb = a.otherLogGbPerMonth;
      basis = 'assumption otherLogGbPerMonth';
    }
    out.lines.push(line(group, 'ingestion', gb, price, basis));
    const retention = asNumber(group.attributes['retention_in_days']) ?? 0;
    const months = retention > 0 ? retention / 30 : a.neverExpireMonths;
    out.lines.push(
      line(group, 'storage', gb * months * a.logCompressionRatio, PRICES['cloudwatch-logs-storage-gb-month'], `${round(gb)} GB/month kept ${retention > 0 ? `${retention} days` : `forever (assumption neverExpireMonths ${a.neverExpireMonths})`}, x logCompressionRatio ${a.logCompressionRatio}`),
    );
  }
  return out;
};

// ------------------------------------------------------------------ edge

/** A web ACL: a monthly charge and one per rule; its requests are traffic (traffic.ts). */
export const wafWebAclRule: Rule = (acls) => ({
  lines: acls.flatMap((acl) => {
    const rules = blocks(acl.attributes['rule']).length;
    const out = [line(acl, 'web ACL', 1, PRICES['waf-web-acl-month'], 'one web ACL')];
    if (rules > 0) out.push(line(acl, 'rules', rules, PRICES['waf-rule-month'], `${rules} rule block(s)`));
    return out;
  }),
  unpriced: [],
});

/** A distribution has no monthly charge: requests and bytes are traffic (traffic.ts). */
export const cloudfrontRule: Rule = () => empty();

/** The rules by the resource type they price. */
export const RULES: Readonly<Record<string, Rule>> = {
  aws_ecs_service: fargateRule,
  aws_ecs_cluster: containerInsightsRule,
  aws_rds_cluster: auroraRule,
  aws_nat_gateway: natRule,
  aws_eip: publicIpv4Rule,
  aws_vpc_endpoint: vpcEndpointRule,
  aws_lb: loadBalancerRule,
  aws_elasticache_replication_group: cacheRule,
  aws_secretsmanager_secret: secretRule,
  aws_kms_key: kmsKeyRule,
  aws_route53_zone: zoneRule,
  aws_ecr_repository: ecrRule,
  aws_cloudwatch_dashboard: dashboardRule,
  aws_cloudwatch_log_metric_filter: metricFilterRule,
  aws_cloudwatch_metric_alarm: alarmRule,
  aws_cloudwatch_log_group: logGroupRule,
  aws_wafv2_web_acl: wafWebAclRule,
  aws_cloudfront_distribution: cloudfrontRule,
};

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Prices one environment's synthesized stacks. */
export function estimateEnvironment(environment: string, stacks: Readonly<Record<string, unknown>>, assumptions: UsageAssumptions): EnvironmentEstimate {
  const all = resourcesOf(stacks);
  const ctx: Context = { all, a: assumptions };
  const lines: CostLine[] = [];
  const missing: Unpriced[] = [];
  const free = new Map<string, number>();
  const types = [...new Set(all.map((r) => r.type))].sort();
  for (const type of types) {
    const ofType = all.filter((r) => r.type === type);
    const rule = RULES[type];
    if (rule) {
      const result = rule(ofType, ctx);
      lines.push(...result.lines);
      missing.push(...result.unpriced);
    }
    // A priced type may also be free by itself (the cluster: its Container Insights line is separate).
    if (FREE_TYPES[type] !== undefined && !rule) free.set(type, ofType.length);
    if (!rule && FREE_TYPES[type] === undefined) {
      missing.push(...ofType.map((r) => unpriced(r, 'billable resource type with no price rule in scripts/cost/estimate.ts')));
    }
  }
  const order = (l: CostLine) => `${l.stack}\u0000${l.address}\u0000${l.item}`;
  lines.sort((x, y) => order(x).localeCompare(order(y)));
  const fixed = round(lines.reduce((sum, l) => sum + l.monthlyUsd, 0));
  const traffic = trafficEstimate(all, assumptions, invokedModels(stacks));
  return {
    environment,
    total: round(fixed + traffic.monthlyUsd),
    fixed,
    lines,
    traffic,
    unpriced: [...missing, ...traffic.unpriced],
    free: [...free.entries()].map(([type, count]) => ({ type, count, reason: FREE_TYPES[type] })),
    assumptions,
    network: networkFacts(all),
  };
}
