import { Testing } from 'cdktf';
import { deepMerge, loadConfig } from '../config';
import { TWO_MODELS as CATALOGUE } from '../test/catalogues';
import { resources, synthStack, type Json } from '../test/helpers';
import { DEV_GATEWAY } from '../test/fixtures';
import { ObservabilityStack } from './observability-stack';

/**
 * gateway.schedule on the synthesized alarms: each gated alarm's metric math is evaluated here, datapoint by
 * datapoint, the way CloudWatch would (FILL, DAY/HOUR/MINUTE in UTC with Monday = 1, IF, comparisons, AND/OR), and
 * the result compared with the alarm's own threshold. So the test fails if the gate silences an outage during the
 * hours, or lets the planned gap page outside them.
 */
const GATEWAY = DEV_GATEWAY;

// Paris: UTC+1 in winter, UTC+2 in summer. Grace period 900 s: alarms judge from 08:00 + 15 + 30 min = 08:45 local.
const SCHEDULE = { gateway: { schedule: { enabled: true, timezone: 'Europe/Paris', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], start: '08:00', stop: '19:00' } } };

function alarmsOf(overrides: unknown): Record<string, Json> {
  const app = Testing.app();
  const config = loadConfig({ environment: 'dev', overrides });
  const stack = new ObservabilityStack(app, 'observability', { config, gateway: GATEWAY, database: { clusterIdentifier: 'db', maxCapacity: 4 }, catalogue: CATALOGUE });
  return resources(synthStack(stack).json, 'aws_cloudwatch_metric_alarm');
}

/** Values of the raw metrics at one datapoint; `undefined` = no datapoint. */
type Inputs = Record<string, number | undefined>;

/** Evaluates the alarm's returned query at `time` (UTC) the way CloudWatch metric math does for one datapoint. */
function evaluate(alarm: Json, time: Date, inputs: Inputs): number | undefined {
  const queries: Json[] = alarm.metric_query;
  const values: Record<string, number | undefined> = {};
  const day = ((time.getUTCDay() + 6) % 7) + 1; // CloudWatch DAY(): 1 = Monday ... 7 = Sunday
  const fns = {
    FILL: (v: number | undefined, fill: number) => (v === undefined ? fill : v),
    DAY: (v: number | undefined) => (v === undefined ? undefined : day),
    HOUR: (v: number | undefined) => (v === undefined ? undefined : time.getUTCHours()),
    MINUTE: (v: number | undefined) => (v === undefined ? undefined : time.getUTCMinutes()),
    IF: (c: number | undefined, a: number | undefined, b: number | undefined) => (c === undefined ? undefined : c ? a : b),
  };
  for (const q of queries) {
    if (q.metric) {
      values[q.id] = inputs[q.metric.metric_name];
      continue;
    }
    const js = (q.expression as string).replace(/\bAND\b/g, '&&').replace(/\bOR\b/g, '||');
    const args = { ...fns, ...values };
    // Arithmetic on a missing value stays missing (NaN here), as in CloudWatch.
    const result = Number(new Function(...Object.keys(args), `return (${js});`)(...Object.values(args)));
    values[q.id] = Number.isNaN(result) ? undefined : result;
  }
  return values[queries.find((q) => q.return_data)!.id];
}

function breaches(alarm: Json, value: number | undefined): boolean {
  if (value === undefined) return alarm.treat_missing_data === 'breaching';
  const t = alarm.threshold;
  return { GreaterThanThreshold: value > t, GreaterThanOrEqualToThreshold: value >= t, LessThanThreshold: value < t, LessThanOrEqualToThreshold: value <= t }[alarm.comparison_operator as string]!;
}

const at = (iso: string) => new Date(iso);
// 2026-01-12 and 2026-07-13 are Mondays; 2026-01-17 a Saturday.
const WINTER_NOON = at('2026-01-12T11:00:00Z'); // 12:00 in Paris
const SUMMER_NOON = at('2026-07-13T10:00:00Z'); // 12:00 in Paris
const NIGHT = at('2026-01-13T02:00:00Z'); // 03:00 in Paris, Tuesday
const SATURDAY = at('2026-01-17T11:00:00Z');
const JUST_STARTED = at('2026-01-12T07:20:00Z'); // 08:20 in Paris: tasks starting, inside the start margin
const SUMMER_AFTER_STOP = at('2026-07-13T17:10:00Z'); // 19:10 in Paris: stopped

describe('GIVEN gateway.schedule WHEN the alarms are synthesized', () => {
  const scheduled = alarmsOf(SCHEDULE);
  const plain = alarmsOf({});

  test('THEN exactly the alarms a planned 0-task gap breaches are gated; the others are as without a schedule', () => {
    const gated = Object.keys(scheduled).filter((id) => JSON.stringify(scheduled[id]) !== JSON.stringify(plain[id]));
    expect(gated.sort()).toEqual(['alarm-alb-5xx', 'alarm-running-tasks', 'alarm-unhealthy-targets']);
    expect(Object.keys(scheduled).sort()).toEqual(Object.keys(plain).sort());
  });

  // Container Insights (dev's default): running-tasks is desired - running.
  describe('running-tasks (Container Insights)', () => {
    const alarm = scheduled['alarm-running-tasks'];
    test.each([
      ['a crash loop at noon in winter pages', WINTER_NOON, { DesiredTaskCount: 1, RunningTaskCount: 0 }, true],
      ['a crash loop at noon in summer pages', SUMMER_NOON, { DesiredTaskCount: 1, RunningTaskCount: 0 }, true],
      ['Container Insights silent at noon pages (as without a schedule)', WINTER_NOON, {}, true],
      ['a healthy noon is quiet', WINTER_NOON, { DesiredTaskCount: 1, RunningTaskCount: 1 }, false],
      ['the night, nothing reported, is quiet', NIGHT, {}, false],
      ['a Saturday is quiet', SATURDAY, { DesiredTaskCount: 0, RunningTaskCount: 0 }, false],
      ['a start still in progress is quiet', JUST_STARTED, { DesiredTaskCount: 1, RunningTaskCount: 0 }, false],
    ])('%s', (_, time, inputs, expected) => {
      expect(breaches(alarm, evaluate(alarm, time, inputs))).toBe(expected);
    });
  });

  describe('running-tasks without Container Insights (healthy hosts)', () => {
    const alarm = alarmsOf(deepMerge(SCHEDULE, { gateway: { containerInsights: false } }))['alarm-running-tasks'];
    test.each([
      ['no healthy host at noon pages', WINTER_NOON, { HealthyHostCount: 0 }, true],
      ['target health not reported at noon pages', SUMMER_NOON, {}, true],
      ['one healthy host at noon is quiet', WINTER_NOON, { HealthyHostCount: 1 }, false],
      ['no host at night is quiet', NIGHT, { HealthyHostCount: 0 }, false],
      ['nothing reported after the summer stop is quiet', SUMMER_AFTER_STOP, {}, false],
    ])('%s', (_, time, inputs, expected) => {
      expect(breaches(alarm, evaluate(alarm, time, inputs))).toBe(expected);
    });
  });

  describe('unhealthy-targets and alb-5xx', () => {
    test.each([
      ['unhealthy-targets', 'unhealthy at noon pages', WINTER_NOON, { UnHealthyHostCount: 1 }, true],
      ['unhealthy-targets', 'target health not reported at noon pages', WINTER_NOON, {}, true],
      ['unhealthy-targets', 'target health not reported at night is quiet', NIGHT, {}, false],
      ['alb-5xx', 'ALB 503s at noon page', WINTER_NOON, { HTTPCode_ELB_5XX_Count: 500 }, true],
      ['alb-5xx', 'ALB 503s to a caller at night are quiet', NIGHT, { HTTPCode_ELB_5XX_Count: 500 }, false],
      ['alb-5xx', 'no 5xx reported at noon is quiet', WINTER_NOON, {}, false],
    ])('%s: %s', (key, _, time, inputs, expected) => {
      const alarm = scheduled[`alarm-${key}`];
      expect(breaches(alarm, evaluate(alarm, time, inputs))).toBe(expected);
    });
  });

  test('THEN the dashboard says when the gateway runs and which alarms are gated', () => {
    const app = Testing.app();
    const stack = new ObservabilityStack(app, 'observability', {
      config: loadConfig({ environment: 'dev', overrides: SCHEDULE }),
      gateway: GATEWAY,
      database: { clusterIdentifier: 'db', maxCapacity: 4 },
      catalogue: CATALOGUE,
    });
    const body = JSON.parse(resources(synthStack(stack).json, 'aws_cloudwatch_dashboard').dashboard.dashboard_body);
    const texts: string[] = body.widgets.filter((w: Json) => w.type === 'text').map((w: Json) => w.properties.markdown);
    expect(texts.find((t) => t.includes('Off-hours schedule'))).toMatch(/MON-FRI 08:00-19:00 Europe\/Paris.*`running-tasks`, `unhealthy-targets`, `alb-5xx`/s);
  });
});

describe('GIVEN gateway.schedule WHEN a gated series is absent altogether (no datapoint for FILL to fill)', () => {
  test('THEN the alarm treats it as not breaching: an empty night never pages', () => {
    const alarms = alarmsOf(SCHEDULE);
    for (const key of ['running-tasks', 'unhealthy-targets', 'alb-5xx']) expect([key, alarms[`alarm-${key}`].treat_missing_data]).toEqual([key, 'notBreaching']);
    expect(alarmsOf({})['alarm-unhealthy-targets'].treat_missing_data).toBe('breaching');
  });
});

describe('GIVEN no schedule', () => {
  test('THEN the gated alarms keep their single metric', () => {
    const alarms = alarmsOf({});
    expect(alarms['alarm-unhealthy-targets']).toMatchObject({ metric_name: 'UnHealthyHostCount' });
    expect(alarms['alarm-unhealthy-targets'].metric_query).toBeUndefined();
  });
});
