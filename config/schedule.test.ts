import { loadConfig } from './index';
import { activeHoursPerWeek, describeSchedule, isKnownTimeZone, judgedUtcWindows, scheduleCron, utcOffsets } from './schedule';

const ON = { enabled: true, timezone: 'Europe/Paris', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], start: '08:00', stop: '19:00' };
const load = (schedule: unknown, environment = 'dev', gateway: Record<string, unknown> = {}) =>
  loadConfig({ environment, overrides: { gateway: { ...gateway, schedule }, observability: { alarmEmails: ['oncall@example.com'] } } });

describe('gateway.schedule', () => {
  test.each(['dev', 'prod'])('GIVEN %s defaults THEN off', (environment) => {
    expect(loadConfig({ environment, overrides: { observability: { alarmEmails: ['oncall@example.com'] } } }).gateway.schedule.enabled).toBe(false);
  });

  test('GIVEN a valid schedule THEN it loads as written (prod too: the stack warns, docs/off-hours.md)', () => {
    expect(load(ON).gateway.schedule).toEqual(ON);
    expect(load(ON, 'prod').gateway.schedule.enabled).toBe(true);
  });

  test.each([
    ['an unknown zone', { timezone: 'Mars/Olympus_Mons' }, /gateway\.schedule\.timezone: got "Mars\/Olympus_Mons"; allowed: an IANA time zone name/],
    ['an abbreviation', { timezone: 'CET+1' }, /gateway\.schedule\.timezone: got "CET\+1"; allowed: an IANA time zone name/],
    ['stop before start', { start: '19:00', stop: '08:00' }, /gateway\.schedule\.stop: got "08:00"; allowed: a time later the same day than gateway\.schedule\.start \(19:00\) by more than 45 minutes/],
    ['a window shorter than the grace period + 30 min', { start: '08:00', stop: '08:45' }, /gateway\.schedule\.stop: got "08:45"; allowed: .*more than 45 minutes/],
    ['a time that is not HH:MM', { start: '8:00' }, /gateway\.schedule\.start: got "8:00"; allowed: a local time HH:MM/],
    ['an unknown day', { days: ['MON', 'FUN'] }, /gateway\.schedule\.days\[1\]: got "FUN"; allowed: one of "MON"/],
    ['a day twice', { days: ['MON', 'MON'] }, /gateway\.schedule\.days: duplicate items/],
    ['no day', { days: [] }, /gateway\.schedule\.days: got \[\]/],
  ])('GIVEN %s THEN refused with the field, the value and what is allowed', (_, change, message) => {
    expect(() => load({ ...ON, ...change })).toThrow(message);
  });

  test('GIVEN a window only just longer than the margin in a zone with daylight saving THEN refused (no judged minute left)', () => {
    expect(() => load({ ...ON, start: '08:00', stop: '09:00' })).toThrow(/gateway\.schedule\.stop: under both UTC offsets of Europe\/Paris no minute is left.*got "09:00"; allowed: a time more than 105 minutes after/s);
    expect(load({ ...ON, timezone: 'UTC', start: '08:00', stop: '09:00' }).gateway.schedule.stop).toBe('09:00');
  });

  test('GIVEN a longer grace period THEN the least window grows with it', () => {
    expect(() => load({ ...ON, stop: '09:00', timezone: 'UTC' }, 'dev', { healthCheckGracePeriodSeconds: 1800 })).toThrow(/by more than 60 minutes/);
  });

  test('GIVEN disabled THEN its fields are not cross-checked', () => {
    expect(load({ ...ON, enabled: false, start: '19:00', stop: '08:00' }).gateway.schedule.enabled).toBe(false);
  });

  test('zones: IANA names, UTC and Etc/GMT±N; abbreviations and offsets refused', () => {
    expect(['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Etc/GMT+9'].every(isKnownTimeZone)).toBe(true);
    expect(['CET', 'EST', 'GMT+1', 'Europe/Pariss', 'Etc/GMT+99'].some(isKnownTimeZone)).toBe(false);
  });

  test('cron: Application Auto Scaling 6-field form at the local time, days in week order', () => {
    expect(scheduleCron('19:30', ['FRI', 'MON'])).toBe('cron(30 19 ? * MON,FRI *)');
    expect(scheduleCron('08:00', ['MON', 'TUE', 'WED', 'THU', 'FRI'])).toBe('cron(0 8 ? * MON,TUE,WED,THU,FRI *)');
  });

  test('hours: 5 days x 11 h = 55 h a week', () => {
    expect(activeHoursPerWeek(ON as never)).toBe(55);
    expect(activeHoursPerWeek({ days: ['SAT'], start: '09:30', stop: '12:00' })).toBe(2.5);
  });

  test('offsets: both of a zone with daylight saving, one otherwise', () => {
    expect(utcOffsets('Europe/Paris')).toEqual([60, 120]);
    expect(utcOffsets('America/New_York')).toEqual([-300, -240]);
    expect(utcOffsets('Asia/Kolkata')).toEqual([330]);
    expect(utcOffsets('UTC')).toEqual([0]);
  });

  test('judged windows: from start + margin to stop, in UTC, under both offsets (Paris: 07:45-17:00 UTC)', () => {
    const windows = judgedUtcWindows(ON as never, 45);
    expect(windows).toHaveLength(5);
    expect(windows[0]).toEqual([7 * 60 + 45, 17 * 60]);
    expect(windows[4]).toEqual([4 * 1440 + 7 * 60 + 45, 4 * 1440 + 17 * 60]);
  });

  test('judged windows: a local Monday morning east of UTC starts on Sunday in UTC (the week wraps)', () => {
    const windows = judgedUtcWindows({ timezone: 'Asia/Tokyo', days: ['MON'], start: '06:00', stop: '12:00' }, 0);
    // 06:00-12:00 JST (UTC+9) = Sunday 21:00 - Monday 03:00 UTC.
    expect(windows).toEqual([
      [0, 3 * 60],
      [6 * 1440 + 21 * 60, 7 * 1440],
    ]);
  });

  test('description', () => {
    expect(describeSchedule(ON as never)).toBe('MON-FRI 08:00-19:00 Europe/Paris');
    expect(describeSchedule({ ...ON, days: ['MON', 'WED'] } as never)).toBe('MON,WED 08:00-19:00 Europe/Paris');
  });
});
