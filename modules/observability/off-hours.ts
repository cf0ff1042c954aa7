/**
 * With `gateway.schedule` (docs/off-hours.md) the service has 0 tasks outside its hours, on purpose. The alarms that
 * a service with no task breaches (no healthy target, target health no longer reported, the ALB's own 503s to a
 * caller) are judged only inside the hours: their metric is wrapped in metric math that keeps the real value while
 * the hours run and a value that is not breaching outside them. CloudWatch's DAY(), HOUR() and MINUTE() give each
 * datapoint's UTC day of the week (1 = Monday), hour and minute; AWS's own example gates an alarm to business hours
 * this way ("Enhance CloudWatch metrics with metric math functions",
 * https://aws.amazon.com/blogs/mt/enhance-cloudwatch-metrics-with-metric-math-functions/). The windows are computed
 * at synth from the schedule's zone, under every UTC offset it uses (config/schedule.ts judgedUtcWindows), so a real
 * outage inside the hours still pages: at worst an hour later around a daylight-saving change.
 *
 * Why not a composite alarm with an ActionsSuppressor: the suppressor would itself need an alarm that is in ALARM
 * exactly outside the hours, which is this same metric math; and the paging alarms would move behind composites
 * (new addresses, every alarm's actions moved). Why not treat_missing_data: the ALB's 503s are data, not silence.
 */
import type { CloudwatchMetricAlarmMetricQuery } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { MINUTES_PER_DAY, type WeekInterval } from '../../config/schedule';
import type { AlarmSpec, ComparisonOperator } from './alarms';

/** The alarms a planned 0-task gap breaches, by key (modules/observability/alarms.ts). */
export const OFF_HOURS_GATED_ALARMS = ['running-tasks', 'unhealthy-targets', 'alb-5xx'] as const;

export interface OffHoursGate {
  /** UTC minutes of the week (Monday 00:00 = 0) in which the gated alarms judge the service. */
  readonly judgedWindows: readonly WeekInterval[];
  /** For people: `MON-FRI 08:00-19:00 Europe/Paris`. */
  readonly description: string;
}

/** A value of the alarm's metric that breaches (`true`) or does not breach (`false`) its threshold. */
export function valueThat(breaches: boolean, comparison: ComparisonOperator, threshold: number): number {
  switch (comparison) {
    case 'GreaterThanThreshold':
      return breaches ? threshold + 1 : threshold;
    case 'GreaterThanOrEqualToThreshold':
      return breaches ? threshold : threshold - 1;
    case 'LessThanThreshold':
      return breaches ? threshold - 1 : threshold;
    case 'LessThanOrEqualToThreshold':
      return breaches ? threshold : threshold + 1;
  }
}

/** `1` for a datapoint inside one of the windows, else `0`, from the minute-of-week series `w`. */
export function windowsExpression(w: string, windows: readonly WeekInterval[]): string {
  if (windows.length === 0) return '0';
  return windows.map(([from, to]) => `(${w} >= ${from} AND ${w} < ${to})`).join(' OR ');
}

/**
 * The alarm judged only inside the windows: its metric (or the expression it returned), missing datapoints filled as
 * its treat_missing_data says (so that "missing" keeps its meaning inside the hours), and outside them a value that
 * does not breach.
 */
export function gateToWindows(spec: AlarmSpec, gate: OffHoursGate): AlarmSpec {
  const m = spec.metric;
  const base: CloudwatchMetricAlarmMetricQuery[] =
    'queries' in m
      ? m.queries.map((q) => ({ ...q, returnData: false }))
      : [
          {
            id: 'm',
            returnData: false,
            metric: { namespace: m.namespace, metricName: m.metricName, ...(m.dimensions ? { dimensions: { ...m.dimensions } } : {}), stat: m.statistic, period: m.periodSeconds },
          },
        ];
  const judged = 'queries' in m ? m.queries.find((q) => q.returnData === true)?.id : 'm';
  if (judged === undefined) throw new Error(`observability: alarm ${spec.key} has no query with returnData: cannot gate it to the schedule`);
  const quiet = valueThat(false, spec.comparison, spec.threshold);
  const missing = spec.missingData.treat === 'breaching' ? valueThat(true, spec.comparison, spec.threshold) : quiet;
  return {
    ...spec,
    description: `${spec.description} Judged ${gate.description} only (gateway.schedule).`,
    // Inside the hours `filled` already carries the alarm's missing-data meaning. Outside them a series can be absent
    // altogether (no task, no target): whether FILL then yields datapoints or not, such a night must not page.
    missingData: {
      treat: 'notBreaching',
      reason: `${spec.missingData.treat === 'breaching' ? 'inside the active hours FILL turns a missing datapoint into a breaching value, as treat_missing_data "breaching" did' : spec.missingData.reason}; outside them nothing is judged, and a series absent at night is the planned gap`,
    },
    metric: {
      queries: [
        ...base,
        { id: 'filled', expression: `FILL(${judged}, ${missing})`, label: 'Value, missing filled as treat_missing_data', returnData: false },
        { id: 'week_minute', expression: `(DAY(filled) - 1) * ${MINUTES_PER_DAY} + HOUR(filled) * 60 + MINUTE(filled)`, label: 'UTC minute of the week', returnData: false },
        { id: 'judged', expression: windowsExpression('week_minute', gate.judgedWindows), label: 'Inside the active hours', returnData: false },
        { id: 'gated', expression: `IF(judged, filled, ${quiet})`, label: `Value during ${gate.description}`, returnData: true },
      ],
    },
  };
}
