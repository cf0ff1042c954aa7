import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DEFAULT_ASSUMPTIONS, UsageAssumptions, assumptionsFor, parseAssume } from './assumptions';
import { parseArgs, readStacks, run } from './cli';
import { CostLine, EnvironmentEstimate, dimensionValues, estimateEnvironment, round, splitByStrategy } from './estimate';
import { loadConfig } from '../../config';
import { buildApp } from '../../main';
import { loadModelCatalogue } from '../../modules/model-catalogue';
import { DESIGN_AGENTS, TWO_MODELS } from '../../test/catalogues';
import { BEDROCK_TOKEN_PRICES, PRICES } from './prices';
import { toJson, toSummary, toText } from './report';
import { TrafficLine } from './traffic';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** A cdk.tf.json fragment: only `resource`, as the estimate reads it. */
const doc = (resource: Resources) => ({ resource });
const A: UsageAssumptions = { ...DEFAULT_ASSUMPTIONS, requestsPerMonth: 0 };
const H = 730;

function estimate(stacks: Record<string, Resources>, assumptions: Partial<UsageAssumptions> = {}): EnvironmentEstimate {
  return estimateEnvironment('test', Object.fromEntries(Object.entries(stacks).map(([k, v]) => [k, doc(v)])), { ...A, ...assumptions });
}
const linesOf = (e: EnvironmentEstimate, address: string): CostLine[] => e.lines.filter((l) => l.address === address);
const item = (e: EnvironmentEstimate, address: string, name: string): CostLine | undefined => linesOf(e, address).find((l) => l.item === name);
const trafficItem = (e: EnvironmentEstimate, address: string, name: string): TrafficLine | undefined => e.traffic.lines.find((l) => l.address === address && l.item === name);
const sum = (lines: readonly CostLine[]) => lines.reduce((s, l) => s + l.monthlyUsd, 0);

// A service, its task definition and scaling target, as the gateway stack synthesizes them.
function gateway(service: Record<string, unknown>, options: { cpu?: string; memory?: string; arch?: string; min?: number; requestsPerMinute?: number } = {}): Resources {
  return {
    aws_ecs_task_definition: {
      'task-definition': {
        cpu: options.cpu ?? '1024',
        memory: options.memory ?? '2048',
        runtime_platform: { cpu_architecture: options.arch ?? 'ARM64', operating_system_family: 'LINUX' },
        container_definitions: '[{"logConfiguration":{"options":{"awslogs-group":"${aws_cloudwatch_log_group.log-group.name}"}}}]',
      },
    },
    aws_ecs_service: { service: { task_definition: '${aws_ecs_task_definition.task-definition.arn}', desired_count: 1, ...service } },
    aws_appautoscaling_target: {
      'scaling-target': { resource_id: 'service/${aws_ecs_cluster.cluster.name}/${aws_ecs_service.service.name}', min_capacity: options.min ?? 1, max_capacity: 4 },
    },
    aws_appautoscaling_policy: {
      'request-scaling': {
        resource_id: '${aws_appautoscaling_target.scaling-target.resource_id}',
        target_tracking_scaling_policy_configuration: { predefined_metric_specification: { predefined_metric_type: 'ALBRequestCountPerTarget' }, target_value: options.requestsPerMinute ?? 200 },
      },
    },
  };
}

describe('Fargate: task size and count', () => {
  test('ARM64 1 vCPU / 2 GB, launch type FARGATE, 1 task: vCPU-hours and GB-hours at the ARM on-demand prices', () => {
    const e = estimate({ gw: gateway({ launch_type: 'FARGATE' }) });
    expect(item(e, 'aws_ecs_service.service', 'vCPU-hours (FARGATE)')).toMatchObject({ quantity: H, unitUsd: PRICES['fargate-arm64-vcpu-hour'].usd });
    expect(item(e, 'aws_ecs_service.service', 'GB-hours (FARGATE)')).toMatchObject({ quantity: 2 * H, unitUsd: PRICES['fargate-arm64-gb-hour'].usd });
    expect(sum(linesOf(e, 'aws_ecs_service.service'))).toBeCloseTo(28.84, 2);
  });

  test('the count is the larger of desired_count and the scaling minimum; x86 uses the x86 prices; 0.5 vCPU / 1 GB', () => {
    const e = estimate({ gw: gateway({ launch_type: 'FARGATE', desired_count: 1 }, { cpu: '512', memory: '1024', arch: 'X86_64', min: 2 }) });
    expect(item(e, 'aws_ecs_service.service', 'vCPU-hours (FARGATE)')).toMatchObject({ quantity: 2 * 0.5 * H, unitUsd: PRICES['fargate-x86-vcpu-hour'].usd });
    expect(item(e, 'aws_ecs_service.service', 'GB-hours (FARGATE)')?.quantity).toBe(2 * 1 * H);
  });

  test('a service whose task definition is not in its stack, or an EC2 launch type, is unpriced', () => {
    const e = estimate({ gw: { aws_ecs_service: { orphan: { task_definition: 'arn:aws:ecs:...:task-definition/x:1', launch_type: 'FARGATE' }, ec2: { launch_type: 'EC2' } } } });
    expect(e.unpriced.map((u) => u.address).sort()).toEqual(['aws_ecs_service.ec2', 'aws_ecs_service.orphan']);
    expect(e.total).toBe(0);
  });
});

describe('capacity provider weights', () => {
  test('bases first, then the rest by weight', () => {
    expect(splitByStrategy(1, [{ provider: 'FARGATE', base: 0, weight: 0 }, { provider: 'FARGATE_SPOT', base: 0, weight: 1 }])).toEqual({ FARGATE: 0, FARGATE_SPOT: 1 });
    expect(splitByStrategy(5, [{ provider: 'FARGATE', base: 1, weight: 1 }, { provider: 'FARGATE_SPOT', base: 0, weight: 3 }])).toEqual({ FARGATE: 2, FARGATE_SPOT: 3 });
    expect(splitByStrategy(1, [{ provider: 'FARGATE', base: 2, weight: 1 }, { provider: 'FARGATE_SPOT', base: 0, weight: 3 }])).toEqual({ FARGATE: 1, FARGATE_SPOT: 0 });
  });

  test('a Spot strategy prices FARGATE_SPOT at on-demand x (1 - spotDiscount), and names the assumption as its source', () => {
    const strategy = [
      { capacity_provider: 'FARGATE', base: 0, weight: 1 },
      { capacity_provider: 'FARGATE_SPOT', base: 0, weight: 3 },
    ];
    const e = estimate({ gw: gateway({ capacity_provider_strategy: strategy, desired_count: 4 }, { min: 1 }) }, { spotDiscount: 0.7 });
    const spot = item(e, 'aws_ecs_service.service', 'vCPU-hours (FARGATE_SPOT)');
    expect(spot).toMatchObject({ quantity: 3 * H });
    expect(spot?.unitUsd).toBeCloseTo(PRICES['fargate-arm64-vcpu-hour'].usd * 0.3, 10);
    expect(spot?.source).toMatch(/no fixed list price.*spotDiscount/);
    expect(item(e, 'aws_ecs_service.service', 'vCPU-hours (FARGATE)')).toMatchObject({ quantity: H, unitUsd: PRICES['fargate-arm64-vcpu-hour'].usd });
  });

  test('a capacity provider other than FARGATE / FARGATE_SPOT is unpriced', () => {
    const e = estimate({ gw: gateway({ capacity_provider_strategy: [{ capacity_provider: 'my-asg', weight: 1 }] }) });
    expect(e.unpriced).toEqual([expect.objectContaining({ address: 'aws_ecs_service.service', reason: expect.stringMatching(/my-asg/) })]);
  });
});

describe('Container Insights', () => {
  const cluster = (value: string) => ({ aws_ecs_cluster: { cluster: { setting: [{ name: 'containerInsights', value }] } }, aws_ecs_service: { s: { cluster: '${aws_ecs_cluster.cluster.arn}', launch_type: 'EC2' } } });
  test('enabled: metrics per service (assumption) and performance logs; disabled: nothing; enhanced: unpriced', () => {
    const on = estimate({ gw: cluster('enabled') }, { containerInsightsMetricsPerService: 30 });
    expect(item(on, 'aws_ecs_cluster.cluster', 'Container Insights metrics')).toMatchObject({ quantity: 30, unitUsd: 0.3 });
    expect(item(on, 'aws_ecs_cluster.cluster', 'Container Insights performance logs')).toBeDefined();
    expect(linesOf(estimate({ gw: cluster('disabled') }), 'aws_ecs_cluster.cluster')).toEqual([]);
    expect(estimate({ gw: cluster('enhanced') }).unpriced.map((u) => u.address)).toContain('aws_ecs_cluster.cluster');
  });
});

describe('Aurora Serverless v2: ACU floor and instance count', () => {
  const db = (min: number, instances: Record<string, string>, extra: Record<string, unknown> = {}): Resources => ({
    aws_rds_cluster: { cluster: { engine: 'aurora-postgresql', serverlessv2_scaling_configuration: { min_capacity: min, max_capacity: 4 }, ...extra } },
    aws_rds_cluster_instance: Object.fromEntries(Object.entries(instances).map(([name, klass]) => [name, { cluster_identifier: '${aws_rds_cluster.cluster.id}', instance_class: klass }])),
  });

  test('writer + reader at the 0.5 ACU floor: 2 x 0.5 x 730 ACU-hours; storage and I/O from the assumptions', () => {
    const e = estimate({ db: db(0.5, { writer: 'db.serverless', 'reader-0': 'db.serverless' }) }, { auroraStorageGb: 10, auroraIoMillionsPerMonth: 3 });
    for (const instance of ['aws_rds_cluster_instance.writer', 'aws_rds_cluster_instance.reader-0']) {
      expect(item(e, instance, 'ACU-hours')).toMatchObject({ quantity: 0.5 * H, unitUsd: 0.12 });
    }
    expect(item(e, 'aws_rds_cluster.cluster', 'storage')).toMatchObject({ quantity: 10 });
    expect(item(e, 'aws_rds_cluster.cluster', 'I/O')).toMatchObject({ quantity: 3 });
  });

  test('min 0 (auto-pause): 0.5 ACU while running, times the running share; a floor of 2 ACU is 2 ACU', () => {
    expect(item(estimate({ db: db(0, { writer: 'db.serverless' }) }, { auroraActiveShare: 0.25 }), 'aws_rds_cluster_instance.writer', 'ACU-hours')?.quantity).toBe(0.5 * H * 0.25);
    expect(item(estimate({ db: db(2, { writer: 'db.serverless' }) }), 'aws_rds_cluster_instance.writer', 'ACU-hours')?.quantity).toBe(2 * H);
  });

  test('an RDS-managed master password is one more secret', () => {
    const e = estimate({ db: db(0.5, { writer: 'db.serverless' }, { manage_master_user_password: true }) });
    expect(item(e, 'aws_rds_cluster.cluster', 'RDS-managed master secret')).toMatchObject({ quantity: 1, unitUsd: 0.4 });
  });

  test('provisioned instances and I/O-Optimized storage are unpriced', () => {
    expect(estimate({ db: db(0.5, { writer: 'db.r6g.large' }) }).unpriced.map((u) => u.address)).toEqual(['aws_rds_cluster_instance.writer']);
    expect(estimate({ db: db(0.5, { writer: 'db.serverless' }, { storage_type: 'aurora-iopt1' }) }).unpriced.map((u) => u.address)).toEqual(['aws_rds_cluster.cluster']);
  });
});

describe('NAT gateways and public IPv4 addresses', () => {
  test('each NAT gateway bills its hours, the traffic is shared; each EIP is a public IPv4 address-hour', () => {
    const net: Resources = {
      aws_nat_gateway: { 'nat-0': { allocation_id: '${aws_eip.nat-eip-0.id}' }, 'nat-1': { allocation_id: '${aws_eip.nat-eip-1.id}' } },
      aws_eip: { 'nat-eip-0': { domain: 'vpc' }, 'nat-eip-1': { domain: 'vpc' } },
    };
    const e = estimate({ net }, { natBaseGb: 10, requestsPerMonth: 100_000, bedrockKbPerRequest: 50 });
    for (const nat of ['aws_nat_gateway.nat-0', 'aws_nat_gateway.nat-1']) {
      expect(item(e, nat, 'hours')).toMatchObject({ quantity: H, unitUsd: 0.045 });
      // Fixed: the base traffic only; the requests' bytes are traffic, per million and at the assumed requests.
      expect(item(e, nat, 'GB processed')?.quantity).toBeCloseTo(10 / 2, 10);
      expect(trafficItem(e, nat, 'GB processed (requests)')).toMatchObject({ perMillion: 50 / 2, unitUsd: 0.045, includedRequests: 0 });
      expect(trafficItem(e, nat, 'GB processed (requests)')?.monthlyUsd).toBeCloseTo((100_000 * 50) / 1e6 / 2 * 0.045, 10);
    }
    expect(e.lines.filter((l) => l.item === 'public IPv4 hours').map((l) => [l.address, l.quantity, l.unitUsd])).toEqual([
      ['aws_eip.nat-eip-0', H, 0.005],
      ['aws_eip.nat-eip-1', H, 0.005],
    ]);
  });
});

describe('load balancer', () => {
  test('ALB hours plus LCU-hours at the larger of the floor and processed bytes; an NLB is unpriced', () => {
    const e = estimate({ gw: { aws_lb: { alb: { internal: true, load_balancer_type: 'application' }, nlb: { load_balancer_type: 'network' } } } }, { albMinimumLcu: 0.1 });
    expect(item(e, 'aws_lb.alb', 'hours')).toMatchObject({ quantity: H, unitUsd: 0.0225 });
    expect(item(e, 'aws_lb.alb', 'LCU-hours')?.quantity).toBeCloseTo(0.1 * H, 10);
    const busy = estimate({ gw: { aws_lb: { alb: {} } } }, { requestsPerMonth: 7_300_000, albKbPerRequest: 100, albMinimumLcu: 0.1 });
    expect(item(busy, 'aws_lb.alb', 'LCU-hours')?.quantity).toBeCloseTo(0.1 * H, 10); // the fixed floor, whatever the traffic
    // 730 GB over 730 h = 1 LCU: 100 LCU-hours per million requests; the floor's 73 LCU-hours carry 730,000 requests.
    const lcu = trafficItem(busy, 'aws_lb.alb', 'LCU-hours (requests)');
    expect(lcu).toMatchObject({ perMillion: 100, unitUsd: 0.008 });
    expect(lcu?.includedRequests).toBeCloseTo(730_000, 6);
    expect(lcu?.monthlyUsd).toBeCloseTo((730 - 73) * 0.008, 10);
    expect(e.unpriced.map((u) => u.address)).toEqual(['aws_lb.nlb']);
  });
});

describe('ElastiCache nodes', () => {
  test('num_cache_clusters nodes x hours at the node type price; a node type without a price is unpriced', () => {
    const e = estimate({
      gw: {
        aws_elasticache_replication_group: {
          redis: { engine: 'valkey', node_type: 'cache.t4g.micro', num_cache_clusters: 2 },
          big: { engine: 'valkey', node_type: 'cache.r7g.xlarge', num_cache_clusters: 1 },
        },
      },
    });
    expect(item(e, 'aws_elasticache_replication_group.redis', 'node-hours (valkey cache.t4g.micro)')).toMatchObject({ quantity: 2 * H, unitUsd: 0.0128 });
    expect(e.unpriced).toEqual([expect.objectContaining({ address: 'aws_elasticache_replication_group.big', reason: expect.stringMatching(/no price for valkey cache\.r7g\.xlarge/) })]);
  });
});

describe('custom metrics from metric filters and their dimensions', () => {
  const transformation = (name: string, dimensions?: Record<string, string>) => ({ name, namespace: 'NS', value: '1', unit: 'Count', ...(dimensions ? { dimensions } : {}) });
  const pattern = '{ $.litellm_metric IS TRUE && ($.model = "us.a:0" || $.model = "us.b:0" || $.model = "us.a:0") }';

  test('the values a selector may take are the ones the pattern compares it with', () => {
    expect(dimensionValues(pattern, '$.model')).toEqual(['us.a:0', 'us.b:0']);
    expect(dimensionValues('{ $.level = "ERROR" }', '$.model')).toBeUndefined();
  });

  test('each distinct dimension value is a metric; a filter without dimensions is one; a repeated metric is counted once', () => {
    const e = estimate({
      obs: {
        aws_cloudwatch_log_metric_filter: {
          requests: { pattern, metric_transformation: transformation('RequestCount', { Model: '$.model' }) },
          again: { pattern, metric_transformation: transformation('RequestCount', { Model: '$.model' }) },
          errors: { pattern: '{ $.level = "ERROR" }', metric_transformation: transformation('ApplicationErrors') },
        },
      },
    });
    expect(item(e, 'aws_cloudwatch_log_metric_filter.requests', 'custom metrics (RequestCount)')).toMatchObject({ quantity: 2, unitUsd: 0.3 });
    expect(item(e, 'aws_cloudwatch_log_metric_filter.again', 'custom metrics (RequestCount)')?.quantity).toBe(0);
    expect(item(e, 'aws_cloudwatch_log_metric_filter.errors', 'custom metrics (ApplicationErrors)')?.quantity).toBe(1);
  });

  test('a dimension the pattern does not bound is unpriced (its metric count is unknown), not zero', () => {
    const e = estimate({ obs: { aws_cloudwatch_log_metric_filter: { any: { pattern: '{ $.litellm_metric IS TRUE }', metric_transformation: transformation('RequestCount', { Model: '$.model' }) } } } });
    expect(e.unpriced).toEqual([expect.objectContaining({ address: 'aws_cloudwatch_log_metric_filter.any', reason: expect.stringMatching(/Model = \$\.model is not limited/) })]);
    expect(e.lines).toEqual([]);
  });
});

describe('alarms: billed per metric read', () => {
  test('a plain alarm is one metric; metric math counts its metric queries (not expressions); under 60 s is high resolution', () => {
    const e = estimate({
      obs: {
        aws_cloudwatch_metric_alarm: {
          plain: { namespace: 'AWS/ECS', metric_name: 'CPUUtilization', period: 300 },
          math: {
            metric_query: [
              { id: 'r0', metric: { metric_name: 'RequestCount', period: 300 } },
              { id: 'e0', metric: { metric_name: 'RequestErrors', period: 300 } },
              { id: 'rate', expression: 'e0 / r0' },
            ],
          },
          fast: { namespace: 'AWS/ApplicationELB', metric_name: 'HealthyHostCount', period: 10 },
        },
      },
    });
    expect(item(e, 'aws_cloudwatch_metric_alarm.plain', 'alarm metrics (single metric)')).toMatchObject({ quantity: 1, unitUsd: 0.1 });
    expect(item(e, 'aws_cloudwatch_metric_alarm.math', 'alarm metrics (metric math)')).toMatchObject({ quantity: 2, unitUsd: 0.1 });
    expect(item(e, 'aws_cloudwatch_metric_alarm.fast', 'alarm metrics (single metric, high resolution)')).toMatchObject({ quantity: 1, unitUsd: 0.3 });
  });
});

describe('secrets, keys, zones, repositories, dashboards', () => {
  test('one monthly charge each; the dashboard free tier only when assumed', () => {
    const stacks: Record<string, Resources> = {
      db: { aws_secretsmanager_secret: { a: {}, b: {} }, aws_secretsmanager_secret_version: { 'a-value': {} } },
      obs: { aws_kms_key: { k: { enable_key_rotation: true } }, aws_cloudwatch_dashboard: { d: {} } },
      gw: { aws_route53_zone: { z: {} }, aws_ecr_repository: { r: {} } },
    };
    const e = estimate(stacks, { ecrStorageGb: 3 });
    expect(e.lines.filter((l) => l.item === 'secret').map((l) => l.address)).toEqual(['aws_secretsmanager_secret.a', 'aws_secretsmanager_secret.b']);
    expect(item(e, 'aws_kms_key.k', 'key')).toMatchObject({ quantity: 1, unitUsd: 1 });
    expect(item(e, 'aws_route53_zone.z', 'hosted zone')).toMatchObject({ quantity: 1, unitUsd: 0.5 });
    expect(item(e, 'aws_ecr_repository.r', 'image storage')).toMatchObject({ quantity: 3, unitUsd: 0.1 });
    expect(item(e, 'aws_cloudwatch_dashboard.d', 'dashboard')).toMatchObject({ quantity: 1, unitUsd: 3 });
    expect(item(estimate(stacks, { freeDashboards: 1 }), 'aws_cloudwatch_dashboard.d', 'dashboard')?.quantity).toBe(0);
    expect(e.total).toBeCloseTo(0.8 + 1 + 0.5 + 0.3 + 3, 2);
    expect(e.free).toEqual([{ type: 'aws_secretsmanager_secret_version', count: 1, reason: 'billed with its secret' }]);
  });
});

describe('log groups: ingestion by role, storage by retention', () => {
  test('flow logs by traffic type (vended), the gateway by requests, RDS exports, others; storage kept retention days compressed', () => {
    const stacks: Record<string, Resources> = {
      net: {
        aws_cloudwatch_log_group: { 'flow-log-group': { name: '/app/dev/vpc-flow-logs', retention_in_days: 30 } },
        aws_flow_log: { 'flow-log': { log_destination: '${aws_cloudwatch_log_group.flow-log-group.arn}', traffic_type: 'REJECT' } },
      },
      db: { aws_cloudwatch_log_group: { pg: { name: '/aws/rds/cluster/app-dev-db/postgresql', retention_in_days: 30 } } },
      gw: { ...gateway({ launch_type: 'FARGATE' }), aws_cloudwatch_log_group: { 'log-group': { name: '/app/llm-gateway', retention_in_days: 14 }, misc: { name: '/x' } } },
    };
    const e = estimate(stacks, { requestsPerMonth: 100_000, gatewayLogKbPerRequest: 5, gatewayLogBaseGb: 0.5, flowLogGbPerMonth: { REJECT: 0.4, ACCEPT: 2, ALL: 3 }, databaseLogGbPerMonth: 0.2, otherLogGbPerMonth: 0.1, logCompressionRatio: 0.5, neverExpireMonths: 12 });
    expect(item(e, 'aws_cloudwatch_log_group.flow-log-group', 'ingestion')).toMatchObject({ quantity: 0.4, unitUsd: PRICES['cloudwatch-logs-vended-ingest-gb'].usd, unit: PRICES['cloudwatch-logs-vended-ingest-gb'].unit });
    expect(item(e, 'aws_cloudwatch_log_group.flow-log-group', 'storage')?.quantity).toBeCloseTo(0.4 * 1 * 0.5, 10);
    expect(item(e, 'aws_cloudwatch_log_group.log-group', 'ingestion')?.quantity).toBeCloseTo(0.5, 10);
    expect(item(e, 'aws_cloudwatch_log_group.log-group', 'storage')?.quantity).toBeCloseTo(0.5 * (14 / 30) * 0.5, 10);
    // The requests' lines: 5 KB a request is 5 GB per million; REJECT flow logs do not grow with requests.
    expect(trafficItem(e, 'aws_cloudwatch_log_group.log-group', 'ingestion (requests)')).toMatchObject({ perMillion: 5, unitUsd: 0.5 });
    expect(trafficItem(e, 'aws_cloudwatch_log_group.log-group', 'ingestion (requests)')?.monthlyUsd).toBeCloseTo(0.5 * 0.5, 10);
    expect(trafficItem(e, 'aws_cloudwatch_log_group.log-group', 'storage (requests)')?.perMillion).toBeCloseTo(5 * (14 / 30) * 0.5, 10);
    expect(e.traffic.lines.filter((l) => l.address === 'aws_cloudwatch_log_group.flow-log-group')).toEqual([]);
    expect(item(e, 'aws_cloudwatch_log_group.pg', 'ingestion')?.quantity).toBe(0.2);
    expect(item(e, 'aws_cloudwatch_log_group.misc', 'ingestion')?.quantity).toBe(0.1);
    expect(item(e, 'aws_cloudwatch_log_group.misc', 'storage')?.quantity).toBeCloseTo(0.1 * 12 * 0.5, 10);
  });
});

describe('unpriced and free', () => {
  test('a billable type without a rule is listed under unpriced and not counted as zero in the total; known free types are free', () => {
    const e = estimate({ x: { aws_instance: { bastion: { instance_type: 't4g.nano' } }, aws_vpc: { vpc: {} }, aws_kms_key: { k: {} } } });
    expect(e.unpriced).toEqual([{ stack: 'x', address: 'aws_instance.bastion', type: 'aws_instance', reason: expect.stringMatching(/no price rule/) }]);
    expect(e.total).toBe(1);
    expect(e.free).toEqual([{ type: 'aws_vpc', count: 1, reason: 'no charge' }]);
    const json = toJson([e]) as { environments: Record<string, { total: number; unpriced: unknown[]; lines: unknown[] }> };
    expect(json.environments.test.unpriced).toHaveLength(1);
    expect(toText([e])).toMatch(/unpriced \(NOT in the total\): 1\n {2}- x aws_instance\.bastion: /);
  });
});

describe('assumptions', () => {
  test('environment defaults, then overrides for all, then per environment', () => {
    expect(assumptionsFor('prod').requestsPerMonth).toBe(300_000);
    const overrides = { all: { requestsPerMonth: 5, spotDiscount: 0.7 }, environments: { prod: { natBaseGb: 20, flowLogGbPerMonth: { ALL: 9 } } } };
    expect(assumptionsFor('prod', overrides)).toMatchObject({ requestsPerMonth: 5, spotDiscount: 0.7, natBaseGb: 20, flowLogGbPerMonth: { REJECT: 0.5, ACCEPT: 3, ALL: 9 } });
    expect(assumptionsFor('dev', overrides).natBaseGb).toBe(DEFAULT_ASSUMPTIONS.natBaseGb);
  });

  test.each([
    [{ all: { requests: 5 } }, /assumption requests: unknown; allowed: one of hoursPerMonth/],
    [{ all: { spotDiscount: 1.5 } }, /assumption spotDiscount: got 1\.5; allowed: a number from 0 to 1/],
    [{ environments: { dev: { natBaseGb: -1 } } }, /assumption dev\.natBaseGb: got -1; allowed: a number >= 0/],
    [{ all: { flowLogGbPerMonth: { SOME: 1 } } }, /assumption flowLogGbPerMonth\.SOME: unknown/],
  ])('%j is refused', (overrides, message) => {
    expect(() => assumptionsFor('dev', overrides)).toThrow(message);
  });

  test('--assume key=value, env.key=value and key.SUB=value', () => {
    const into = { all: {}, environments: {} } as { all: Record<string, unknown>; environments: Record<string, Record<string, unknown>> };
    parseAssume('requestsPerMonth=1000', into);
    parseAssume('prod.natBaseGb=20', into);
    parseAssume('flowLogGbPerMonth.ALL=7', into);
    parseAssume('prod.flowLogGbPerMonth.REJECT=1', into);
    expect(into).toEqual({ all: { requestsPerMonth: 1000, flowLogGbPerMonth: { ALL: 7 } }, environments: { prod: { natBaseGb: 20, flowLogGbPerMonth: { REJECT: 1 } } } });
    expect(() => parseAssume('nonsense', into)).toThrow(/allowed: key=value/);
    expect(() => parseAssume('requestsPerMonth=lots', into)).toThrow(/allowed: a number/);
  });

  test('command line: flags, an assumptions file, and unknown arguments refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cost-test-'));
    try {
      const file = join(dir, 'usage.json');
      writeFileSync(file, JSON.stringify({ requestsPerMonth: 7, environments: { prod: { natBaseGb: 3 } } }));
      const options = parseArgs(['--json', '--env', 'prod', '--assumptions', file, '--assume', 'prod.ecrStorageGb=4']);
      expect(options).toMatchObject({ json: true, environments: ['prod'], overrides: { all: { requestsPerMonth: 7 }, environments: { prod: { natBaseGb: 3, ecrStorageGb: 4 } } } });
      expect(() => parseArgs(['--frobnicate'])).toThrow(/unknown argument "--frobnicate"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('traffic: what a million requests add, above what the fixed cost carries', () => {
  test('gateway tasks: task-hours at the request scaling target, priced where the strategy sends the next task; the floor carries its share', () => {
    const strategy = [
      { capacity_provider: 'FARGATE', base: 1, weight: 0 },
      { capacity_provider: 'FARGATE_SPOT', base: 0, weight: 1 },
    ];
    const e = estimate({ gw: gateway({ capacity_provider_strategy: strategy }, { memory: '4096', min: 1, requestsPerMinute: 100 }) }, { requestsPerMonth: 10_000_000, spotDiscount: 0.5 });
    const taskHours = 1e6 / (100 * 60);
    const vcpu = trafficItem(e, 'aws_ecs_service.service', 'vCPU-hours of added tasks (FARGATE_SPOT)');
    expect(vcpu?.perMillion).toBeCloseTo(taskHours, 10);
    expect(vcpu?.unitUsd).toBeCloseTo(PRICES['fargate-arm64-vcpu-hour'].usd * 0.5, 10);
    expect(trafficItem(e, 'aws_ecs_service.service', 'GB-hours of added tasks (FARGATE_SPOT)')?.perMillion).toBeCloseTo(4 * taskHours, 10);
    // The on-demand base is the floor's: no added task goes to FARGATE.
    expect(trafficItem(e, 'aws_ecs_service.service', 'vCPU-hours of added tasks (FARGATE)')).toBeUndefined();
    // One task at 100 a minute carries 100 x 60 x 730 = 4,380,000 requests a month; the rest add tasks.
    expect(vcpu?.includedRequests).toBe(4_380_000);
    expect(vcpu?.monthlyUsd).toBeCloseTo(((10_000_000 - 4_380_000) / 1e6) * taskHours * PRICES['fargate-arm64-vcpu-hour'].usd * 0.5, 8);
    expect(estimate({ gw: gateway({ launch_type: 'FARGATE' }) }).traffic.lines.find((l) => l.item.startsWith('vCPU-hours'))?.monthlyUsd).toBe(0);
    // At max_capacity (4 in the fixture) the fleet stops growing: 4 x 6,000 x 730 = 17,520,000 requests at most.
    const beyond = estimate({ gw: gateway({ capacity_provider_strategy: strategy }, { memory: '4096', min: 1, requestsPerMinute: 100 }) }, { requestsPerMonth: 50_000_000, spotDiscount: 0.5 });
    expect(trafficItem(beyond, 'aws_ecs_service.service', 'vCPU-hours of added tasks (FARGATE_SPOT)')?.monthlyUsd).toBeCloseTo(((17_520_000 - 4_380_000) / 1e6) * taskHours * PRICES['fargate-arm64-vcpu-hour'].usd * 0.5, 8);
  });

  test('gatewayRequestsPerTaskMinute overrides the policy; without a request policy and without it, the service\'s traffic is unpriced', () => {
    const withoutPolicy = (() => {
      const r = gateway({ launch_type: 'FARGATE' });
      delete r.aws_appautoscaling_policy;
      return r;
    })();
    expect(estimate({ gw: withoutPolicy }).unpriced).toEqual([expect.objectContaining({ address: 'aws_ecs_service.service', reason: expect.stringMatching(/gatewayRequestsPerTaskMinute/) })]);
    const assumed = estimate({ gw: withoutPolicy }, { gatewayRequestsPerTaskMinute: 50 });
    expect(assumed.unpriced).toEqual([]);
    expect(trafficItem(assumed, 'aws_ecs_service.service', 'vCPU-hours of added tasks (FARGATE)')?.perMillion).toBeCloseTo(1e6 / (50 * 60), 10);
  });

  test('flow logs grow with requests only where they record accepted traffic; the edge\'s access logs are vended logs', () => {
    const net = (trafficType: string): Resources => ({
      aws_cloudwatch_log_group: { 'flow-log-group': { name: '/f', retention_in_days: 30 } },
      aws_flow_log: { 'flow-log': { log_destination: '${aws_cloudwatch_log_group.flow-log-group.arn}', traffic_type: trafficType } },
    });
    expect(trafficItem(estimate({ net: net('ALL') }, { flowLogKbPerRequest: 0.5 }), 'aws_cloudwatch_log_group.flow-log-group', 'ingestion (requests)')).toMatchObject({ perMillion: 0.5, unitUsd: PRICES['cloudwatch-logs-vended-ingest-gb'].usd });
    expect(estimate({ net: net('REJECT') }).traffic.lines).toEqual([]);
    const edge = estimate({
      edge: {
        aws_cloudwatch_log_group: { 'access-log-group': { name: '/e', retention_in_days: 30 } },
        aws_cloudwatch_log_delivery_destination: { d: { delivery_destination_configuration: { destination_resource_arn: '${aws_cloudwatch_log_group.access-log-group.arn}' } } },
      },
    }, { edgeLogKbPerRequest: 1 });
    expect(trafficItem(edge, 'aws_cloudwatch_log_group.access-log-group', 'ingestion (requests)')).toMatchObject({ perMillion: 1 });
  });

  test('ALB: new connections set the LCUs when they outweigh the bytes (25 a second = 1 LCU)', () => {
    const e = estimate({ gw: { aws_lb: { alb: {} } } }, { albKbPerRequest: 1, albNewConnectionsPerRequest: 1 });
    expect(trafficItem(e, 'aws_lb.alb', 'LCU-hours (requests)')?.perMillion).toBeCloseTo(1e6 / (25 * 3600), 10);
  });

  test('Aurora: the spend-log row of each request, kept as long as the task tells LiteLLM, and its I/O; I/O-Optimized is left to the fixed rule', () => {
    const db = (extra: Record<string, unknown> = {}): Resources => ({
      aws_rds_cluster: { cluster: { serverlessv2_scaling_configuration: { min_capacity: 0.5 }, ...extra } },
      aws_ecs_task_definition: { td: { cpu: '1024', memory: '4096', container_definitions: '[{"environment":[{"name":"LITELLM_SPEND_LOGS_RETENTION","value":"90d"}]}]' } },
    });
    const e = estimate({ db: db() }, { spendLogKbPerRequest: 2, auroraIoPerRequest: 3 });
    expect(trafficItem(e, 'aws_rds_cluster.cluster', 'storage (spend-log rows)')?.perMillion).toBeCloseTo(2 * 3, 10);
    expect(trafficItem(e, 'aws_rds_cluster.cluster', 'I/O (spend-log rows)')).toMatchObject({ perMillion: 3, unitUsd: PRICES['aurora-io-million'].usd });
    expect(estimate({ db: db({ storage_type: 'aurora-iopt1' }) }).traffic.lines).toEqual([]);
  });

  test('the edge: WAF per web ACL and rule a month, per million requests inspected; CloudFront per request and bytes each way', () => {
    const e = estimate({
      edge: {
        aws_wafv2_web_acl: { acl: { rule: [{ name: 'a' }, { name: 'b' }] } },
        aws_wafv2_ip_set: { ips: {} },
        aws_cloudfront_distribution: { d: {} },
        aws_cloudfront_vpc_origin: { o: {} },
      },
    }, { albKbPerRequest: 60, edgeResponseKbPerRequest: 10 });
    expect(e.unpriced).toEqual([]);
    expect(item(e, 'aws_wafv2_web_acl.acl', 'web ACL')).toMatchObject({ quantity: 1, unitUsd: 5 });
    expect(item(e, 'aws_wafv2_web_acl.acl', 'rules')).toMatchObject({ quantity: 2, unitUsd: 1 });
    expect(trafficItem(e, 'aws_wafv2_web_acl.acl', 'requests inspected')).toMatchObject({ perMillion: 1, unitUsd: 0.6 });
    expect(trafficItem(e, 'aws_cloudfront_distribution.d', 'HTTPS requests')).toMatchObject({ perMillion: 1, unitUsd: 1 });
    expect(trafficItem(e, 'aws_cloudfront_distribution.d', 'GB to the client')?.perMillion).toBe(10);
    expect(trafficItem(e, 'aws_cloudfront_distribution.d', 'GB to the origin')?.perMillion).toBe(50);
  });

  test('Bedrock: per model the task role may invoke (read from the JSON), on its own lines, never in the total; a model without a price is listed', () => {
    const policy = (ids: string[]) => ({ data: { aws_iam_policy_document: { p: { statement: [{ resources: ids.map((id) => `arn:aws:bedrock:us-east-1:123456789012:inference-profile/${id}`) }] } } } });
    const stacks = { gw: { ...doc({ aws_kms_key: { k: {} } }), ...policy(['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'us.example.unknown-v1:0']) } };
    const e = estimateEnvironment('test', stacks, { ...A, requestsPerMonth: 1e6, bedrockInputTokensPerRequest: 1000, bedrockOutputTokensPerRequest: 100 });
    const sonnet = BEDROCK_TOKEN_PRICES['us.anthropic.claude-sonnet-4-5-20250929-v1:0'];
    expect(e.traffic.bedrock.lines).toEqual([expect.objectContaining({ model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', perMillionUsd: 1000 * sonnet.input.usd + 100 * sonnet.output.usd })]);
    expect(e.traffic.bedrock.unpriced).toEqual(['us.example.unknown-v1:0']);
    expect(e.total).toBe(1);
  });

  test('fixed is the environment at zero requests; total = fixed + traffic at the assumed requests', () => {
    const stacks = {
      gw: { ...gateway({ launch_type: 'FARGATE' }), aws_lb: { alb: {} }, aws_cloudwatch_log_group: { 'log-group': { retention_in_days: 14 } } },
      net: { aws_nat_gateway: { nat: {} } },
    };
    const busy = estimate(stacks, { requestsPerMonth: 3_000_000 });
    const idle = estimate(stacks, { requestsPerMonth: 0 });
    expect(busy.fixed).toBe(idle.total);
    expect(idle.traffic.monthlyUsd).toBe(0);
    expect(busy.total).toBeCloseTo(busy.fixed + busy.traffic.monthlyUsd, 2);
    expect(busy.traffic.perMillionUsd).toBeCloseTo(busy.traffic.lines.reduce((x, l) => x + l.perMillionUsd, 0), 10);
    expect(busy.traffic.monthlyUsd).toBeGreaterThan(0);
  });
});

describe('the project (contract test: reads the real configuration and synthesizes)', () => {
  const [dev, prod] = run({ json: true, sources: false, environments: ['dev', 'prod'], overrides: {} }, {});

  // The agents' keys (one secret each) and spend per agent (custom metrics per agent, the reconciler's failure
  // metric and alarm: docs/agents.md) are features the seed's estimate does not include; priced here on their own.
  const isAgentFeature = (address: string) => /agent-key-|filter-agent-|key-reconciler/.test(address);

  // LiteLLM's production guide sizes 4 GiB per worker (config/gateway.ts, SIZING_PER_WORKER): dev's one task carries
  // 2 GB more than the seed's 2 GB task, on Spot. That, and nothing else, is allowed above the seed's $126.00.
  const guideMemory = 2 * DEFAULT_ASSUMPTIONS.hoursPerMonth * PRICES['fargate-arm64-gb-hour'].usd * (1 - DEFAULT_ASSUMPTIONS.spotDiscount);

  // The levers of docs/cost.md that trade function for money, as a configuration file would set them.
  const LEVERS = { gateway: { containerInsights: false }, observability: { usageMetrics: 'logs-insights', totalTokensMetric: false, statusAlarms: false, tokenDriftAlarm: false } };
  // Held on the design's agents and catalogue (fixtures, frozen): an agent or a model a user adds costs its own
  // secret, metrics and alarm, which `npm run cost` prices; it is not held to a target written for the design's shape.
  const levered = ((): EnvironmentEstimate => {
    const outdir = mkdtempSync(join(tmpdir(), 'cost-levers-'));
    try {
      buildApp({ config: loadConfig({ environment: 'dev', overrides: { ...DESIGN_AGENTS, ...LEVERS } }), catalogue: TWO_MODELS, outdir }).synth();
      return estimateEnvironment('dev', readStacks(join(outdir, 'stacks'), 'dev-'), assumptionsFor('dev'));
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  })();
  const customMetrics = (e: EnvironmentEstimate) => e.lines.filter((l) => l.item.startsWith('custom metrics')).map((l) => [l.item, l.quantity]);
  // Per model: as many as the real catalogue has model ids, so adding one is priced, not a failure here.
  const models = loadModelCatalogue().modelIds.length;

  test('dev on the defaults carries the seed\'s function: Container Insights and the eight metric filters\' metrics per model, nothing unpriced', () => {
    expect(dev.unpriced).toEqual([]);
    expect(dev.lines.some((l) => l.address === 'aws_ecs_cluster.cluster' && l.item === 'Container Insights metrics')).toBe(true);
    const perModel = ['InputTokens', 'OutputTokens', 'RequestCount', 'RequestErrors', 'ResponseCostUSD', 'ResponseTimeMs', 'TotalTokens'];
    expect(customMetrics(dev)).toEqual(expect.arrayContaining([['custom metrics (ApplicationErrors)', 1], ...perModel.map((m) => [`custom metrics (${m})`, models])]));
    // The agents' share: per agent a key secret at $0.40 and five custom metrics at $0.30 (docs/agents.md); the
    // reconciler's failure metric at $0.30 and its alarm at $0.10.
    const agents = dev.lines.filter((l) => isAgentFeature(l.address)).reduce((sum, l) => sum + l.monthlyUsd, 0);
    expect(agents).toBeCloseTo(loadConfig({ environment: 'dev' }).agents.length * (0.4 + 5 * 0.3) + 0.3 + 0.1, 2);
  });

  test('the honest figure: README.md and docs/cost.md state the fixed cost, the cost per million requests and the totals this estimate computes (npm run cost -- --summary)', () => {
    const both = (f: (e: EnvironmentEstimate) => number) => `| **$${f(dev).toFixed(2)}** | **$${f(prod).toFixed(2)}** |`;
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(`| **fixed (0 requests)** ${both((e) => e.fixed)}`);
    expect(readme).toContain(`| **per million requests** ${both((e) => round(e.traffic.perMillionUsd))}`);
    expect(readme).toContain(`| **total** (fixed + traffic at the requests assumed) ${both((e) => e.total)}`);
    // The whole table, as --summary prints it (every row: by resource, per million requests, Bedrock per model).
    expect(readme).toContain(toSummary([dev, prod]).trim());
    const costDoc = readFileSync(join(__dirname, '..', '..', 'docs', 'cost.md'), 'utf8');
    expect(costDoc).toContain(`| **total** | **~$126** ${both((e) => e.total)}`);
    expect(costDoc).toContain(`| fixed (0 requests) | ${both((e) => e.fixed).replace(/\*\*/g, '')}`);
    expect(costDoc).toContain(`| per million requests | ${both((e) => round(e.traffic.perMillionUsd)).replace(/\*\*/g, '')}`);
  });

  // examples/dev-lean.json, priced as `GATEWAY_ENV=dev-lean GATEWAY_CONFIG_FILE=examples/dev-lean.json npm run cost` does.
  const LEAN_FILE = join(__dirname, '..', '..', 'examples', 'dev-lean.json');
  const lean = run({ json: true, sources: false, environments: ['dev'], overrides: {} }, { GATEWAY_CONFIG_FILE: LEAN_FILE, GATEWAY_ENV: 'dev-lean' })[1];

  test('examples/dev-lean.json: the seed\'s function with the cost levers and Spot, nothing unpriced', () => {
    expect(lean.environment).toBe('dev-lean+dev-lean.json');
    expect(lean.unpriced).toEqual([]);
    // The function: the agents' keys, the catalogue's models counted and alarmed on, Aurora, the alarms that matter.
    expect(lean.lines.filter((l) => l.address.startsWith('aws_secretsmanager_secret.agent-key-'))).toHaveLength(loadConfig({ environment: 'dev' }).agents.length);
    expect(customMetrics(lean)).toEqual(expect.arrayContaining([['custom metrics (RequestCount)', models], ['custom metrics (RequestErrors)', models]]));
    const alarms = new Set(lean.lines.filter((l) => l.address.startsWith('aws_cloudwatch_metric_alarm.')).map((l) => l.address.replace('aws_cloudwatch_metric_alarm.alarm-', '')));
    for (const alarm of ['error-rate', 'running-tasks', 'alb-5xx', 'target-5xx', 'unhealthy-targets', 'application-errors', 'key-reconciler', 'db-connections', 'db-storage']) expect(alarms).toContain(alarm);
    expect(lean.lines.some((l) => l.item === 'ACU-hours')).toBe(true);
    // The levers: Spot tasks, no Container Insights, usage from Logs Insights.
    expect(lean.lines.some((l) => l.item === 'vCPU-hours (FARGATE_SPOT)')).toBe(true);
    expect(lean.lines.some((l) => l.item.startsWith('Container Insights') || l.item === 'vCPU-hours (FARGATE)')).toBe(false);
    expect(lean.total).toBeLessThan(dev.total);
  });

  test('examples/dev-lean.json is within $100 a month with its off-hours schedule, and docs/cost.md and README.md state its figures', () => {
    expect(lean.total).toBeLessThanOrEqual(100);
    // The schedule is what takes it there: the tasks and the paused database priced for the active hours only.
    expect(lean.lines.find((l) => l.item === 'vCPU-hours (FARGATE_SPOT)')?.basis).toMatch(/scheduled actions: 60 of 168 h a week/);
    const costDoc = readFileSync(join(__dirname, '..', '..', 'docs', 'cost.md'), 'utf8');
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const figures = `fixed $${lean.fixed.toFixed(2)}, $${round(lean.traffic.perMillionUsd).toFixed(2)} per million requests, $${lean.total.toFixed(2)} a month`;
    expect(costDoc).toContain(figures);
    expect(readme).toContain(figures);
  });

  test('the opt-in levers of docs/cost.md bring dev under the seed\'s $126.00 plus the guide\'s memory ($2.60), and cost the function they name', () => {
    expect(guideMemory).toBeCloseTo(2.6, 2);
    expect(levered.unpriced).toEqual([]);
    expect(levered.total).toBeLessThanOrEqual(126 + guideMemory);
    expect(levered.lines.some((l) => l.item.startsWith('Container Insights'))).toBe(false);
    expect(customMetrics(levered)).toEqual([
      ['custom metrics (ApplicationErrors)', 1],
      ['custom metrics (KeyReconcilerFailures)', 1],
      ['custom metrics (RequestCount)', TWO_MODELS.modelIds.length],
      ['custom metrics (RequestErrors)', TWO_MODELS.modelIds.length],
    ]);
  });

  test('prod prices more (two NAT gateways, a reader, on-demand tasks, Valkey, Container Insights), nothing unpriced', () => {
    expect(prod.total).toBeGreaterThan(dev.total);
    expect(prod.unpriced).toEqual([]);
    expect(prod.lines.filter((l) => l.item === 'hours' && l.address.startsWith('aws_nat_gateway'))).toHaveLength(2);
    expect(prod.lines.filter((l) => l.item === 'ACU-hours')).toHaveLength(2);
  });

  test('the JSON is {"environments": {"<env>": {"total", "lines", "unpriced"}}}', () => {
    const json = toJson([dev, prod]) as { environments: Record<string, Record<string, unknown>> };
    expect(Object.keys(json.environments)).toEqual(['dev', 'prod']);
    expect(json.environments.dev).toMatchObject({ total: dev.total, fixed: dev.fixed, perMillionRequests: round(dev.traffic.perMillionUsd), lines: expect.any(Array), unpriced: [] });
    expect(json.environments.dev.traffic).toMatchObject({ requestsPerMonth: 30_000, lines: expect.any(Array), bedrock: { lines: expect.any(Array), unpriced: [] } });
  });

  test("the report defines Bedrock's two spend numbers (LiteLLM's estimate now, the bill tomorrow) and how to reconcile them", () => {
    const text = toText([dev]);
    expect(text).toMatch(/\(1\) LiteLLM's estimate per agent, now: its price map x the tokens it counted/);
    expect(text).toMatch(/\(2\) The bill, tomorrow: .* per agent = the bill x the agent's share of \(1\)/);
    expect(text).toMatch(/Reconcile per day: .* token-drift-<model>.* docs\/cost\.md#two-numbers-the-estimate-now-the-bill-tomorrow/);
    expect((toJson([dev]) as { spend: string[] }).spend).toHaveLength(3);
  });

  test('--summary: a Markdown table by resource, the environments side by side, totals that match', () => {
    const summary = toSummary([dev, prod]);
    expect(summary.split('\n')[0]).toBe('| resource | dev | prod |');
    expect(summary).toContain(`| **total** (fixed + traffic at the requests assumed) | **$${dev.total.toFixed(2)}** | **$${prod.total.toFixed(2)}** |`);
    expect(summary).toContain(`| **fixed (0 requests)** | **$${dev.fixed.toFixed(2)}** | **$${prod.fixed.toFixed(2)}** |`);
    expect(summary).toMatch(/\| ElastiCache \(Valkey\) \| - \| \$\d+\.\d\d \|/);
    expect(summary).toMatch(/\| NAT gateways \(GB processed\) \| \$\d+\.\d\d \| \$\d+\.\d\d \|/);
    expect(summary).toMatch(/\| us\.anthropic\.claude-sonnet-4-5-20250929-v1:0 \| \$[\d,]+\.\d\d \| \$[\d,]+\.\d\d \|/);
    expect(summary).not.toContain('| other |');
    expect(summary).not.toContain('| other traffic |');
  });

  test('GATEWAY_CONFIG_FILE adds the environment with that file, labelled <env>+<file>', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cost-config-'));
    try {
      const file = join(dir, 'on-demand.json');
      writeFileSync(file, JSON.stringify({ gateway: { capacity: { mode: 'on-demand' } } }));
      const estimates = run({ json: false, sources: false, environments: ['dev'], overrides: {} }, { GATEWAY_CONFIG_FILE: file, GATEWAY_ENV: 'dev' });
      expect(estimates.map((e) => e.environment)).toEqual(['dev', 'dev+on-demand.json']);
      expect(estimates[1].lines.some((l) => l.item === 'vCPU-hours (FARGATE)')).toBe(true);
      expect(estimates[1].total).toBeGreaterThan(estimates[0].total);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--stacks prices a synth output directory, grouped by the <env>- prefix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cost-stacks-'));
    try {
      for (const [name, resources] of Object.entries({ 'dev-a': { aws_kms_key: { k: {} } }, 'dev-lean-a': { aws_kms_key: { k: {}, l: {} } }, 'prod-a': { aws_route53_zone: { z: {} } }, bootstrap: { aws_s3_bucket: { b: {} } } })) {
        mkdirSync(join(dir, name));
        writeFileSync(join(dir, name, 'cdk.tf.json'), JSON.stringify(doc(resources as unknown as Resources)));
      }
      expect(Object.keys(readStacks(dir, 'dev-'))).toEqual(['dev-a']);
      const estimates = run({ json: false, sources: false, environments: [], stacksDir: dir, overrides: {} });
      expect(estimates.map((e) => [e.environment, e.total])).toEqual([
        ['dev', 1],
        ['dev-lean', 2],
        ['prod', 0.5],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
