import { Testing } from 'cdktf';
import { deepMerge, loadConfig } from '../config';
import { GatewayStack, scheduleWarnings } from './gateway-stack';
import { DESIGN_AGENTS, TWO_MODELS } from '../test/catalogues';
import { DATABASE, NETWORK, PREBUILT_URI } from '../test/fixtures';
import { resources, synthStack, type Json } from '../test/helpers';

const SCHEDULE = { gateway: { schedule: { enabled: true, timezone: 'America/New_York', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], start: '07:00', stop: '20:00' } } };
const ON_CALL = { observability: { alarmEmails: ['oncall@example.com'] } };

function synth(environment: string, overrides: unknown): { json: Json; warnings: string[] } {
  const app = Testing.app();
  const config = loadConfig({
    environment,
    overrides: deepMerge(deepMerge({ ...DESIGN_AGENTS, ...ON_CALL, gateway: { image: { mode: 'prebuilt', uri: PREBUILT_URI } } }, SCHEDULE), overrides),
  });
  const stack = new GatewayStack(app, 'gateway', { config, network: NETWORK, database: DATABASE, catalogue: TWO_MODELS });
  const warnings = stack.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
  return { json: synthStack(stack).json, warnings };
}

describe('GIVEN gateway.schedule on the gateway stack', () => {
  test('WHEN dev with database.minCapacity 0 THEN the two scheduled actions, named, on the service target, and no warning', () => {
    const { json, warnings } = synth('dev', { database: { minCapacity: 0 } });
    const actions = resources(json, 'aws_appautoscaling_scheduled_action');
    expect(actions['schedule-stop']).toMatchObject({
      name: 'document-processing-dev-gateway-stop',
      schedule: 'cron(0 20 ? * MON,TUE,WED,THU,FRI *)',
      timezone: 'America/New_York',
      scalable_target_action: { min_capacity: '0', max_capacity: '0' },
    });
    expect(actions['schedule-start']).toMatchObject({
      name: 'document-processing-dev-gateway-start',
      schedule: 'cron(0 7 ? * MON,TUE,WED,THU,FRI *)',
      scalable_target_action: { min_capacity: '1', max_capacity: '4' },
    });
    expect(warnings.filter((w) => w.includes('gateway.schedule'))).toEqual([]);
  });

  test('WHEN the database keeps a floor above 0 THEN a warning says it keeps billing at night', () => {
    expect(synth('dev', {}).warnings.join('\n')).toMatch(/gateway\.schedule is on but database\.minCapacity is 0\.5: Aurora keeps at least 0\.5 ACU billed outside the active hours/);
  });

  test('WHEN prod-based THEN a loud warning names what goes away', () => {
    expect(synth('prod', { database: { minCapacity: 0 } }).warnings.join('\n')).toMatch(
      /gateway\.schedule is on in prod: the gateway runs only MON-FRI 07:00-20:00 America\/New_York and answers 503 to every agent outside those hours, and the task alarms do not page then/,
    );
    expect(scheduleWarnings({ environment: 'staging', baseEnvironment: 'prod', gateway: loadConfig({ environment: 'dev', overrides: SCHEDULE }).gateway }, 0)[0]).toMatch(/on in staging \(based on prod\)/);
  });

  test('WHEN off THEN no scheduled action and no warning', () => {
    const { json, warnings } = synth('dev', { gateway: { schedule: { enabled: false } } });
    expect(json.resource.aws_appautoscaling_scheduled_action).toBeUndefined();
    expect(warnings.filter((w) => w.includes('gateway.schedule'))).toEqual([]);
  });
});
