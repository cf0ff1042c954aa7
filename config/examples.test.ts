import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { AppConfig, CONFIG_FILE_ENV_VAR, ENV_VAR, checkAlongside, checkDeployable, loadConfig, loadConfigFromEnv } from './index';

const EXAMPLE = path.join(__dirname, '..', 'examples', 'organisation.json');

describe('examples/organisation.json', () => {
  test.each(['dev', 'prod'])('loads for %s through GATEWAY_CONFIG_FILE, as npm run synth reads it, and is deployable', (environment) => {
    const config = loadConfigFromEnv({ [ENV_VAR]: environment, [CONFIG_FILE_ENV_VAR]: EXAMPLE });
    expect(config.environment).toBe(environment);
    expect(config.networking.existingVpc?.vpcId).toBe('vpc-0123456789abcdef0');
    expect(config.gateway.image.mode).toBe('prebuilt');
    expect(() => checkDeployable(config)).not.toThrow();
  });

  test('is the example docs/configuration.md shows', () => {
    const doc = readFileSync(path.join(__dirname, '..', 'docs', 'configuration.md'), 'utf8');
    const block = /## Example[\s\S]*?```json\n([\s\S]*?)```/.exec(doc);
    expect(block?.[1].trim()).toBe(readFileSync(EXAMPLE, 'utf8').trim());
  });
});

describe('several environments in one VPC', () => {
  const example = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>;
  const load = (environment: string, overrides: unknown = example): AppConfig => loadConfig({ environment, overrides });

  test('the example gives dev and prod the same VPC and a private zone and service name each', () => {
    const [dev, prod] = [load('dev'), load('prod')];
    expect(dev.networking.existingVpc?.vpcId).toBe(prod.networking.existingVpc?.vpcId);
    expect(dev.gateway.dns.zoneName).toBe('dev.document-processing.internal');
    expect(prod.gateway.dns.zoneName).toBe('document-processing.internal');
    expect(checkAlongside(dev, [prod])).toEqual([]);
    expect(checkAlongside(prod, [dev])).toEqual([]);
  });

  function withFile(overrides: unknown): string {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'org-')), 'organisation.json');
    writeFileSync(file, JSON.stringify(overrides));
    return file;
  }

  test('one zone name for both on one VPC is refused at load, naming the field and what to set', () => {
    const file = withFile({ ...example, gateway: { ...(example.gateway as object), dns: { zoneName: 'corp.internal' } } });
    for (const environment of ['dev', 'prod']) {
      expect(() => loadConfigFromEnv({ [ENV_VAR]: environment, [CONFIG_FILE_ENV_VAR]: file })).toThrow(
        /gateway\.dns\.zoneName: environment "(dev|prod)" has the same zone on networking\.existingVpc\.vpcId vpc-0123456789abcdef0.*ConflictingDomainExists\); got "corp\.internal"; allowed: a zone name per environment.*gateway\.dns\.existingZoneId/,
      );
    }
  });

  test('one shared zone (existingZoneId) is accepted with a record name per environment, refused with one name', () => {
    const shared = { zoneName: 'corp.internal', existingZoneId: 'Z0123456789ABCDEFGHIJ' };
    const dev = load('dev', { ...example, gateway: { ...(example.gateway as object), dns: { ...shared, recordName: 'llm-gateway-dev' } } });
    const prod = load('prod', { ...example, gateway: { ...(example.gateway as object), dns: shared } });
    expect(checkAlongside(prod, [dev])).toEqual([]);
    const clash = load('dev', { ...example, gateway: { ...(example.gateway as object), dns: shared } });
    expect(checkAlongside(prod, [clash])).toEqual([
      expect.objectContaining({ path: 'gateway.dns.recordName', value: 'llm-gateway', allowed: expect.stringMatching(/a record name per environment/) }),
    ]);
  });

  test('a zone created in a VPC where another environment uses an existing zone of the same name is refused', () => {
    const dev = load('dev', { ...example, gateway: { ...(example.gateway as object), dns: { zoneName: 'corp.internal', existingZoneId: 'Z0123456789ABCDEFGHIJ' } } });
    const prod = load('prod', { ...example, gateway: { ...(example.gateway as object), dns: { zoneName: 'corp.internal' } } });
    expect(checkAlongside(prod, [dev]).map((i) => i.path)).toEqual(['gateway.dns.zoneName']);
  });

  test('environments in their own VPCs may use the same zone name (each VPC has its own)', () => {
    const own = { gateway: { dns: { zoneName: 'corp.internal' } } };
    expect(checkAlongside(load('prod', own), [load('dev', own)])).toEqual([]);
  });
});

describe('examples/staging.json', () => {
  const STAGING = path.join(__dirname, '..', 'examples', 'staging.json');

  test('defines staging on top of prod, loaded through GATEWAY_CONFIG_FILE, and is deployable', () => {
    const config = loadConfigFromEnv({ [ENV_VAR]: 'staging', [CONFIG_FILE_ENV_VAR]: STAGING });
    expect([config.environment, config.baseEnvironment]).toEqual(['staging', 'prod']);
    expect(() => checkDeployable(config)).not.toThrow();
  });

  test('is refused for another environment: the file says which one it is for', () => {
    expect(() => loadConfigFromEnv({ [ENV_VAR]: 'prod', [CONFIG_FILE_ENV_VAR]: STAGING })).toThrow(/environment\.name: the file is for environment "staging" but GATEWAY_ENV is "prod"/);
  });
});

describe('examples/dev-lean.json', () => {
  const LEAN = path.join(__dirname, '..', 'examples', 'dev-lean.json');
  const lean = () => loadConfigFromEnv({ [ENV_VAR]: 'dev-lean', [CONFIG_FILE_ENV_VAR]: LEAN });

  test('defines dev-lean on top of dev, loaded through GATEWAY_CONFIG_FILE, and is deployable', () => {
    const config = lean();
    expect([config.environment, config.baseEnvironment]).toEqual(['dev-lean', 'dev']);
    expect(() => checkDeployable(config)).not.toThrow();
  });

  test('takes the cost levers of docs/cost.md, Spot tasks and an off-hours schedule', () => {
    const config = lean();
    expect(config.gateway.capacity).toMatchObject({ mode: 'spot', onDemandBase: 0, onDemandWeight: 0 });
    expect(config.gateway.containerInsights).toBe(false);
    expect(config.observability).toMatchObject({ usageMetrics: 'logs-insights', totalTokensMetric: false, statusAlarms: false, tokenDriftAlarm: false });
    expect(config.gateway.schedule).toEqual({ enabled: true, timezone: 'Europe/Paris', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], start: '07:00', stop: '19:00' });
  });

  test("keeps the seed's function: dev's agents, task size and floor, database, alarm subscribers and budgets", () => {
    const config = lean();
    const dev = loadConfig({ environment: 'dev' });
    expect(config.agents.map((a) => a.name)).toEqual(dev.agents.map((a) => a.name));
    expect(config.agents).toHaveLength(5);
    expect([config.gateway.cpu, config.gateway.memoryMiB, config.gateway.minTasks, config.gateway.maxTasks]).toEqual([dev.gateway.cpu, dev.gateway.memoryMiB, dev.gateway.minTasks, dev.gateway.maxTasks]);
    // The database is dev's but for the floor: 0 ACU, so it pauses while the schedule holds the service at 0 tasks.
    expect({ ...config.database, minCapacity: dev.database.minCapacity, secondsUntilAutoPause: dev.database.secondsUntilAutoPause }).toEqual(dev.database);
    expect([config.database.minCapacity, config.database.secondsUntilAutoPause]).toEqual([0, 300]);
    expect(config.observability.alarmEmails.length).toBeGreaterThan(0);
    expect(config.observability.budgets.enabled).toBe(true);
  });
});
