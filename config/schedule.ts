/**
 * `gateway.schedule`: off-hours for non-production environments (docs/off-hours.md). Opt-in, off in every
 * environment. Outside the declared hours the service's scalable target is held at 0 tasks by two Application Auto
 * Scaling scheduled actions (modules/gateway/auto-scaling.ts), the paging alarms that would fire at 0 tasks are gated
 * to the active hours (modules/observability/alarms.ts), and `database.minCapacity: 0` lets Aurora pause once no task
 * holds a connection. The helpers below are pure: cron expressions, hours, and the UTC windows the alarms use.
 */
import type { ConfigIssue, Mandatory, ObjectSpecOf, StringSpec } from './schema';

export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface ScheduleConfig {
  /** Scale the service to 0 tasks outside the active hours. */
  readonly enabled: boolean;
  /**
   * IANA time zone of `start` and `stop` (Application Auto Scaling `Timezone`: it follows daylight saving time).
   */
  readonly timezone: string;
  /** Days the gateway starts at `start` and stops at `stop`. */
  readonly days: readonly Weekday[];
  /** Local time the service goes back to `minTasks`..`maxTasks`, HH:MM. */
  readonly start: string;
  /** Local time the service goes to 0 tasks, HH:MM, later the same day than `start`. */
  readonly stop: string;
}

const HHMM: Mandatory<StringSpec> = {
  kind: 'string',
  pattern: /^([01]\d|2[0-3]):[0-5]\d$/,
  describe: 'a local time HH:MM (00:00 to 23:59)',
};

export const scheduleSpec: Mandatory<ObjectSpecOf<ScheduleConfig>> = {
  kind: 'object',
  fields: {
    enabled: {
      kind: 'boolean',
      default: false,
      doc: 'Off-hours: 0 tasks outside `days` `start`-`stop` (scheduled scaling), the task alarms gated to those hours; for non-production (a loud warning on prod-based environments; docs/off-hours.md)',
    },
    timezone: {
      kind: 'string',
      pattern: /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/,
      describe: 'an IANA time zone name like Europe/Paris, America/New_York or UTC',
      default: 'UTC',
      doc: 'IANA time zone of `start` and `stop` (follows daylight saving time)',
    },
    days: {
      kind: 'array',
      items: { kind: 'string', allowed: WEEKDAYS },
      minItems: 1,
      maxItems: 7,
      unique: true,
      default: ['MON', 'TUE', 'WED', 'THU', 'FRI'],
      doc: 'Days the gateway runs from `start` to `stop`; other days it stays at 0 tasks',
    },
    start: { ...HHMM, default: '08:00', doc: 'Local time the service returns to `minTasks`-`maxTasks`' },
    stop: {
      ...HHMM,
      default: '19:00',
      doc: 'Local time the service goes to 0 tasks; later the same day than `start` by more than `healthCheckGracePeriodSeconds` + 30 minutes',
    },
  },
};

export const MINUTES_PER_DAY = 24 * 60;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

export function minuteOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/**
 * Whether Application Auto Scaling knows the zone: it takes "the canonical names of the IANA time zones supported by
 * Joda-Time (such as Etc/GMT+9 or Pacific/Tahiti)"
 * (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScheduledAction.html, Timezone). Node's
 * ICU reads the same database; its list of canonical names keeps some old spellings (Asia/Calcutta for
 * Asia/Kolkata), so a name is accepted when ICU resolves it and it is an Area/Location name (or UTC): the
 * abbreviations (CET, EST) are refused.
 */
export function isKnownTimeZone(name: string): boolean {
  if (name === 'UTC') return true;
  if (!/^(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)\/[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)?$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The gap the service needs after a start before it is healthy: the ECS grace period (migrations, then the proxy's
 * start period), plus a margin during which the gated alarms stay quiet so that a normal start never pages.
 */
export const START_MARGIN_EXTRA_MINUTES = 30;

/** Minutes after `start` before the gated alarms judge the service: the grace period, rounded up, plus the margin. */
export function startMarginMinutes(healthCheckGracePeriodSeconds: number): number {
  return Math.ceil(healthCheckGracePeriodSeconds / 60) + START_MARGIN_EXTRA_MINUTES;
}

export function checkSchedule(s: ScheduleConfig, healthCheckGracePeriodSeconds: number): ConfigIssue[] {
  if (!s.enabled) return [];
  const issues: ConfigIssue[] = [];
  if (!isKnownTimeZone(s.timezone)) {
    issues.push({ path: 'gateway.schedule.timezone', value: s.timezone, allowed: 'an IANA time zone name like Europe/Paris, America/New_York or UTC (Application Auto Scaling accepts those only)' });
  }
  const length = minuteOfDay(s.stop) - minuteOfDay(s.start);
  const least = startMarginMinutes(healthCheckGracePeriodSeconds);
  if (length > least && isKnownTimeZone(s.timezone) && judgedUtcWindows(s, least).length === 0) {
    issues.push({
      path: 'gateway.schedule.stop',
      value: s.stop,
      problem: `under both UTC offsets of ${s.timezone} no minute is left in which the task alarms judge the service`,
      allowed: `a time more than ${least + 60} minutes after gateway.schedule.start (${s.start}): ${s.timezone} changes its UTC offset during the year`,
    });
  }
  if (length <= least) {
    issues.push({
      path: 'gateway.schedule.stop',
      value: s.stop,
      allowed:
        `a time later the same day than gateway.schedule.start (${s.start}) by more than ${least} minutes: the ` +
        `grace period (gateway.healthCheckGracePeriodSeconds ${healthCheckGracePeriodSeconds} s) plus ` +
        `${START_MARGIN_EXTRA_MINUTES} minutes pass after a start before the task alarms judge the service (windows across midnight are not supported)`,
    });
  }
  return issues;
}

/** Application Auto Scaling cron (minutes hours day-of-month month day-of-week year) at a local time on the days. */
export function scheduleCron(hhmm: string, days: readonly Weekday[]): string {
  const [h, m] = hhmm.split(':').map(Number);
  const ordered = WEEKDAYS.filter((d) => days.includes(d));
  return `cron(${m} ${h} ? * ${ordered.join(',')} *)`;
}

/** Hours per week the service runs: days x (stop - start). */
export function activeHoursPerWeek(s: Pick<ScheduleConfig, 'days' | 'start' | 'stop'>): number {
  return (s.days.length * (minuteOfDay(s.stop) - minuteOfDay(s.start))) / 60;
}

/**
 * UTC offsets, in minutes, the zone uses over a year (two with daylight saving time), read at fixed instants so
 * that a synth is reproducible.
 */
export function utcOffsets(timezone: string): number[] {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' });
  const offsets = new Set<number>();
  for (let month = 0; month < 12; month++) {
    for (const day of [1, 15]) {
      const name = format.formatToParts(new Date(Date.UTC(2026, month, day, 12))).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
      const match = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
      if (!match) throw new Error(`schedule: cannot read the UTC offset of ${timezone} (${name})`);
      offsets.add(match[1] === undefined ? 0 : (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])));
    }
  }
  return [...offsets].sort((a, b) => a - b);
}

/** A half-open interval of UTC minutes of the week, Monday 00:00 = 0. */
export type WeekInterval = readonly [number, number];

/**
 * The UTC minutes of the week in which the alarms may judge the service: from `start` + the start margin to `stop`,
 * on the active days, under every offset the zone uses (the intersection: around a daylight-saving change the
 * alarms start an hour later or stop an hour earlier rather than page on a planned gap). Sorted, merged intervals.
 */
export function judgedUtcWindows(s: Pick<ScheduleConfig, 'timezone' | 'days' | 'start' | 'stop'>, startMarginMinutes: number): WeekInterval[] {
  const offsets = utcOffsets(s.timezone);
  const judged = new Array<boolean>(MINUTES_PER_WEEK).fill(true);
  for (const offset of offsets) {
    const live = new Array<boolean>(MINUTES_PER_WEEK).fill(false);
    for (const day of s.days) {
      const base = WEEKDAYS.indexOf(day) * MINUTES_PER_DAY;
      for (let local = base + minuteOfDay(s.start) + startMarginMinutes; local < base + minuteOfDay(s.stop); local++) {
        live[(((local - offset) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK] = true;
      }
    }
    for (let i = 0; i < MINUTES_PER_WEEK; i++) judged[i] = judged[i] && live[i];
  }
  const out: [number, number][] = [];
  for (let i = 0; i < MINUTES_PER_WEEK; i++) {
    if (!judged[i]) continue;
    const last = out[out.length - 1];
    if (last && last[1] === i) last[1] = i + 1;
    else out.push([i, i + 1]);
  }
  return out;
}

/** One line for people (dashboard, warnings): `MON-FRI 08:00-19:00 Europe/Paris`. */
export function describeSchedule(s: Pick<ScheduleConfig, 'timezone' | 'days' | 'start' | 'stop'>): string {
  const ordered = WEEKDAYS.filter((d) => s.days.includes(d));
  const consecutive = ordered.every((d, i) => i === 0 || WEEKDAYS.indexOf(d) === WEEKDAYS.indexOf(ordered[i - 1]) + 1);
  const days = consecutive && ordered.length > 2 ? `${ordered[0]}-${ordered[ordered.length - 1]}` : ordered.join(',');
  return `${days} ${s.start}-${s.stop} ${s.timezone}`;
}
