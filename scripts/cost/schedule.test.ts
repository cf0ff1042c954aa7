import { DEFAULT_ASSUMPTIONS, UsageAssumptions } from './assumptions';
import { EnvironmentEstimate, estimateEnvironment } from './estimate';
import { PRICES } from './prices';
import { weeklyCronMinutes, weeklySchedule } from './schedule';

/** gateway.schedule in the cost estimate: hand-written fragments shaped as the gateway and database stacks synthesize them. */
type Resources = Record<string, Record<string, Record<string, unknown>>>;
// Requests per task are read from the request-scaling policy; these fragments have none, so the assumption stands in.
const A: UsageAssumptions = { ...DEFAULT_ASSUMPTIONS, requestsPerMonth: 0, gatewayRequestsPerTaskMinute: 200 };
const H = 730;
const TARGET = '${aws_appautoscaling_target.scaling-target.resource_id}';
const WEEKDAYS = 'MON,TUE,WED,THU,FRI';

function action(schedule: string, min: string, max: string): Record<string, unknown> {
  return { name: 'x', service_namespace: 'ecs', scalable_dimension: 'ecs:service:DesiredCount', resource_id: TARGET, schedule, timezone: 'Europe/Paris', scalable_target_action: { min_capacity: min, max_capacity: max } };
}

function gateway(actions: Record<string, Record<string, unknown>> = {}): Resources {
  return {
    aws_ecs_task_definition: { 'task-definition': { cpu: '1024', memory: '4096', runtime_platform: { cpu_architecture: 'ARM64', operating_system_family: 'LINUX' } } },
    aws_ecs_service: { service: { task_definition: '${aws_ecs_task_definition.task-definition.arn}', desired_count: 1, launch_type: 'FARGATE' } },
    aws_appautoscaling_target: { 'scaling-target': { resource_id: 'service/${aws_ecs_cluster.cluster.name}/${aws_ecs_service.service.name}', min_capacity: 1, max_capacity: 4 } },
    ...(Object.keys(actions).length > 0 ? { aws_appautoscaling_scheduled_action: actions } : {}),
  };
}

const OFFICE = { 'schedule-stop': action(`cron(0 19 ? * ${WEEKDAYS} *)`, '0', '0'), 'schedule-start': action(`cron(0 8 ? * ${WEEKDAYS} *)`, '1', '4') };

function database(minCapacity: number, pause?: number): Resources {
  return {
    aws_rds_cluster: { cluster: { serverlessv2_scaling_configuration: { min_capacity: minCapacity, max_capacity: 1, ...(pause ? { seconds_until_auto_pause: pause } : {}) } } },
    aws_rds_cluster_instance: { writer: { cluster_identifier: '${aws_rds_cluster.cluster.id}', instance_class: 'db.serverless' } },
  };
}

function estimate(stacks: Record<string, Resources>, assumptions: Partial<UsageAssumptions> = {}): EnvironmentEstimate {
  return estimateEnvironment('test', Object.fromEntries(Object.entries(stacks).map(([k, v]) => [k, { resource: v }])), { ...A, ...assumptions });
}
const quantity = (e: EnvironmentEstimate, address: string, item: string) => e.lines.find((l) => l.address === address && l.item === item)?.quantity;

describe('weekly schedule from scheduled actions', () => {
  test('cron: minutes of the week it fires at, Monday 00:00 = 0; ranges and lists of days', () => {
    expect(weeklyCronMinutes('cron(30 19 ? * MON,FRI *)')).toEqual([19 * 60 + 30, 4 * 1440 + 19 * 60 + 30]);
    expect(weeklyCronMinutes('cron(0 8 ? * MON-WED *)')).toEqual([480, 1440 + 480, 2 * 1440 + 480]);
    expect(weeklyCronMinutes('cron(0 8 * * ? *)')).toBeUndefined();
    expect(weeklyCronMinutes('rate(1 day)')).toBeUndefined();
  });

  test('office hours: 5 x 11 h = 55 h active a week, 5 stops; no stop action: no schedule', () => {
    expect(weeklySchedule(Object.values(OFFICE) as never)).toEqual({ activeMinutes: 55 * 60, stopsPerWeek: 5 });
    expect(weeklySchedule([action(`cron(0 8 ? * ${WEEKDAYS} *)`, '1', '4')] as never)).toBeUndefined();
  });

  test('a start on Sunday evening wrapping into Monday is counted across the week boundary', () => {
    const week = weeklySchedule([action('cron(0 22 ? * SUN *)', '1', '1'), action('cron(0 2 ? * MON *)', '0', '0')] as never);
    expect(week).toEqual({ activeMinutes: 4 * 60, stopsPerWeek: 1 });
  });
});

describe('GIVEN gateway.schedule in the synthesized stacks', () => {
  test('THEN Fargate is priced for the active hours only: 730 x 55/168 h', () => {
    const always = estimate({ gw: gateway() });
    const office = estimate({ gw: gateway(OFFICE) });
    const hours = (H * 55) / 168;
    expect(quantity(always, 'aws_ecs_service.service', 'vCPU-hours (FARGATE)')).toBe(H);
    expect(quantity(office, 'aws_ecs_service.service', 'vCPU-hours (FARGATE)')).toBeCloseTo(hours, 6);
    expect(quantity(office, 'aws_ecs_service.service', 'GB-hours (FARGATE)')).toBeCloseTo(4 * hours, 6);
    expect(office.lines.find((l) => l.item === 'vCPU-hours (FARGATE)')?.basis).toMatch(/scheduled actions: 55 of 168 h a week/);
    expect(office.free.find((f) => f.type === 'aws_appautoscaling_scheduled_action')).toMatchObject({ count: 2 });
    expect(office.unpriced).toEqual([]);
  });

  test('THEN a min-0 database is priced at 0.5 ACU for the active hours plus its pause delay after each stop; storage as before', () => {
    const e = estimate({ gw: gateway(OFFICE), db: database(0, 900) });
    const share = (55 * 60 + 5 * 15) / (168 * 60);
    expect(quantity(e, 'aws_rds_cluster_instance.writer', 'ACU-hours')).toBeCloseTo(0.5 * H * share, 6);
    expect(quantity(e, 'aws_rds_cluster.cluster', 'storage')).toBe(A.auroraStorageGb);
    expect(e.lines.find((l) => l.item === 'ACU-hours')?.basis).toMatch(/scheduled actions: 55 h a week \+ 5 x seconds_until_auto_pause 900 s/);
  });

  test('THEN a database with a floor above 0 keeps billing every hour, and without a schedule min 0 follows auroraActiveShare', () => {
    expect(quantity(estimate({ gw: gateway(OFFICE), db: database(0.5) }), 'aws_rds_cluster_instance.writer', 'ACU-hours')).toBe(0.5 * H);
    expect(quantity(estimate({ gw: gateway(), db: database(0, 900) }, { auroraActiveShare: 0.5 }), 'aws_rds_cluster_instance.writer', 'ACU-hours')).toBe(0.5 * H * 0.5);
  });

  test('THEN an action the tool cannot read leaves the service unpriced, never at full or zero hours', () => {
    const e = estimate({ gw: gateway({ odd: action('cron(0 8 L * ? *)', '0', '0') }) });
    expect(e.unpriced).toEqual([expect.objectContaining({ address: 'aws_ecs_service.service', reason: expect.stringMatching(/only weekly cron/) })]);
    expect(e.lines.filter((l) => l.address === 'aws_ecs_service.service')).toEqual([]);
  });

  test('the monthly difference for one 1 vCPU / 4 GB ARM task, office hours vs always on', () => {
    const fargate = (e: EnvironmentEstimate) => e.lines.filter((l) => l.address === 'aws_ecs_service.service').reduce((s, l) => s + l.monthlyUsd, 0);
    const perHour = PRICES['fargate-arm64-vcpu-hour'].usd + 4 * PRICES['fargate-arm64-gb-hour'].usd;
    expect(fargate(estimate({ gw: gateway(OFFICE) }))).toBeCloseTo((perHour * H * 55) / 168, 6);
  });
});
