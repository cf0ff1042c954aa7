/**
 * The share of the week a service runs, read from the scheduled actions on its scalable target
 * (`aws_appautoscaling_scheduled_action`, gateway.schedule: docs/off-hours.md). A weekly cron
 * `cron(M H ? * DAYS *)` is what the project writes; the time zone moves start and stop together, so it does not
 * change the hours. Anything else is reported, never guessed.
 */
import { asNumber, asString, firstBlock } from '../../policy/terraform';
import type { JsonObject } from '../../policy/types';

const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
export const MINUTES_PER_WEEK = 7 * 24 * 60;

export interface WeeklySchedule {
  /** Minutes per week with a maximum above 0 (the service may run). */
  readonly activeMinutes: number;
  /** Times per week the service goes to 0 (each is followed by the database's auto-pause delay). */
  readonly stopsPerWeek: number;
}

function days(field: string): number[] | undefined {
  const out: number[] = [];
  for (const part of field.split(',')) {
    const [from, to] = part.split('-');
    const a = DAYS.indexOf(from);
    const b = to === undefined ? a : DAYS.indexOf(to);
    if (a < 0 || b < a) return undefined;
    for (let d = a; d <= b; d++) out.push(d);
  }
  return out;
}

/** Minutes of the week (Monday 00:00 = 0) at which a weekly cron fires, or undefined for another form. */
export function weeklyCronMinutes(schedule: string): number[] | undefined {
  const match = /^cron\((\d{1,2}) (\d{1,2}) \? \* ([A-Z,-]+) \*\)$/.exec(schedule);
  if (!match) return undefined;
  const [minute, hour] = [Number(match[1]), Number(match[2])];
  const on = days(match[3]);
  if (!on || minute > 59 || hour > 23) return undefined;
  return on.map((d) => d * 24 * 60 + hour * 60 + minute);
}

/**
 * The week the actions make: after each firing the service may run iff its maximum is above 0. Undefined when an
 * action is not a weekly cron (the caller reports it), or when no action ever stops the service.
 */
export function weeklySchedule(actions: readonly JsonObject[]): WeeklySchedule | { readonly unreadable: string } | undefined {
  const events: { at: number; on: boolean }[] = [];
  for (const action of actions) {
    const schedule = asString(action['schedule']) ?? '';
    const minutes = weeklyCronMinutes(schedule);
    const max = asNumber(firstBlock(action['scalable_target_action'])?.['max_capacity']);
    if (minutes === undefined || max === undefined) return { unreadable: `scheduled action ${JSON.stringify(schedule)}: only weekly cron(M H ? * DAYS *) with a literal max_capacity is priced` };
    for (const at of minutes) events.push({ at, on: max > 0 });
  }
  if (!events.some((e) => !e.on)) return undefined;
  events.sort((a, b) => a.at - b.at);
  let activeMinutes = 0;
  let stopsPerWeek = 0;
  events.forEach((e, i) => {
    const next = i + 1 < events.length ? events[i + 1].at : events[0].at + MINUTES_PER_WEEK;
    if (e.on) activeMinutes += next - e.at;
    const previous = events[(i - 1 + events.length) % events.length];
    if (!e.on && previous.on) stopsPerWeek += 1;
  });
  return { activeMinutes, stopsPerWeek };
}
