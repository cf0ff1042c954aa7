import { CONFIG_FILE_ENV_VAR, ConfigError, ENV_VAR, defaultTags, loadConfig, loadConfigFromEnv, nameOf } from './index';
import { availabilityZones, cidrSubnet } from './networking';
import { physicalName } from './naming';
import { mkdtempSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

describe('defaults', () => {
  test('dev reproduces the seed: us-east-1, document-processing, one NAT, flow logs on', () => {
    const config = loadConfig({ environment: 'dev' });
    expect(config.region).toBe('us-east-1');
    expect(config.appName).toBe('document-processing');
    expect(config.networking.natGateways).toBe('single');
    expect(config.networking.azCount).toBe(2);
    expect(config.networking.flowLogs.enabled).toBe(true);
    expect(config.gateway.logGroupName).toBe('/document-processing/llm-gateway');
    expect(config.observability.dashboardName).toBe('LlmGateway-document-processing');
  });

  test('prod differs deliberately: NAT per AZ, protected database', () => {
    const config = loadConfig({ environment: 'prod' });
    expect(config.networking.natGateways).toBe('per-az');
    expect(config.database.deletionProtection).toBe(true);
    expect(config.database.skipFinalSnapshot).toBe(false);
  });

  test('tags follow docs/design.md#tags (env, application) and extra tags are added', () => {
    const config = loadConfig({ environment: 'prod', overrides: { tags: { team: 'platform' } } });
    expect(defaultTags(config)).toEqual({ env: 'prod', application: 'document-processing', team: 'platform' });
  });

  test('prod derives its own log group and dashboard names, so one account can hold both environments', () => {
    const config = loadConfig({ environment: 'prod' });
    expect(config.gateway.logGroupName).toBe('/document-processing/prod/llm-gateway');
    expect(config.observability.dashboardName).toBe('LlmGateway-document-processing-prod');
  });

  test('derived names follow an overridden appName', () => {
    const config = loadConfig({ environment: 'dev', overrides: { appName: 'claims' } });
    expect(config.gateway.logGroupName).toBe('/claims/llm-gateway');
    expect(config.observability.dashboardName).toBe('LlmGateway-claims');
  });

  test('loading twice gives equal, frozen, independent objects', () => {
    const a = loadConfig({ environment: 'dev' });
    const b = loadConfig({ environment: 'dev', overrides: { networking: { azCount: 3 } } });
    expect(a.networking.azCount).toBe(2);
    expect(b.networking.azCount).toBe(3);
    expect(Object.isFrozen(a.networking)).toBe(true);
    expect(loadConfig({ environment: 'dev' })).toEqual(a);
  });
});

describe('validation: each rule names the field, the value and what is allowed', () => {
  const invalid: Array<[string, unknown, RegExp]> = [
    ['empty app name', { appName: '' }, /appName: got ""; allowed: a non-empty lower-case name/],
    ['upper-case app name', { appName: 'Docs' }, /appName: got "Docs"/],
    ['app name with a double hyphen (RDS identifiers refuse it)', { appName: 'doc--proc' }, /appName: got "doc--proc"; allowed: .*single hyphens/],
    ['malformed CIDR', { networking: { vpcCidr: '10.0.0.0/33' } }, /networking\.vpcCidr: got "10\.0\.0\.0\/33"; allowed: an IPv4 CIDR block/],
    ['CIDR with host bits', { networking: { vpcCidr: '10.0.0.1/16' } }, /networking\.vpcCidr: got "10\.0\.0\.1\/16"; allowed: a network address aligned to \/16/],
    ['VPC too small', { networking: { vpcCidr: '10.0.0.0/26' } }, /networking\.vpcCidr: got "10\.0\.0\.0\/26"; allowed: a prefix length from \/16 to \/24/],
    ['subnets too small', { networking: { vpcCidr: '10.0.0.0/24', subnetNewBits: 4 } }, /networking\.subnetNewBits: got 4; allowed: at most 2 for a \/24 VPC/],
    ['AZ count < 2', { networking: { azCount: 1 } }, /networking\.azCount: got 1; allowed: an integer from 2 to 8/],
    ['AZ count not an integer', { networking: { azCount: 2.5 } }, /networking\.azCount: got 2\.5/],
    ['AZ list of the wrong length', { networking: { availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] } }, /networking\.availabilityZones: got .*; allowed: exactly azCount \(2\)/],
    ['AZ of another region', { networking: { availabilityZones: ['us-east-1a', 'eu-west-1b'] } }, /networking\.availabilityZones\[1\]: got "eu-west-1b"; allowed: an AZ of the region us-east-1/],
    ['unknown NAT mode', { networking: { natGateways: 'none' } }, /networking\.natGateways: got "none"; allowed: one of "single", "per-az"/],
    ['bad flow log retention', { networking: { flowLogs: { retentionDays: 10 } } }, /networking\.flowLogs\.retentionDays: got 10; allowed: one of 1, 3, 5, 7, 14/],
    ['bad existing VPC id', { networking: { existingVpc: { vpcId: 'vpc-1', privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] } } }, /networking\.existingVpc\.vpcId: got "vpc-1"; allowed: a VPC id/],
    ['existing VPC with one subnet', { networking: { existingVpc: { vpcId: 'vpc-0123456789abcdef0', privateSubnetIds: ['subnet-0123456789abcdef0'] } } }, /networking\.existingVpc\.privateSubnetIds: got .*; allowed: an array with at least 2 item/],
    ['an unknown key', { networking: { vpcCidrr: '10.0.0.0/16' } }, /networking\.vpcCidrr: unknown key; got "10\.0\.0\.0\/16"; allowed: one of the keys vpcCidr, azCount/],
    ['an unknown top-level key', { regoin: 'us-east-1' }, /regoin: unknown key/],
    ['a wrong type', { networking: { flowLogs: { enabled: 'yes' } } }, /networking\.flowLogs\.enabled: got "yes"; allowed: true or false/],
    ['a bad region', { region: 'US-EAST-1' }, /region: got "US-EAST-1"; allowed: one of "af-south-1", /],
    ['a reserved tag key', { tags: { 'aws:team': 'x' } }, /tags\.aws:team: invalid key; got "aws:team"/],
    ['min > max tasks', { gateway: { minTasks: 5, maxTasks: 4, desiredCount: 4 } }, /gateway\.minTasks: got 5; allowed: at most gateway\.maxTasks \(4\)/],
    ['desired outside min..max', { gateway: { desiredCount: 9 } }, /gateway\.desiredCount: got 9; allowed: from gateway\.minTasks \(1\) to gateway\.maxTasks \(4\)/],
    ['min > max ACU', { database: { minCapacity: 4, maxCapacity: 2 } }, /database\.minCapacity: got 4; allowed: at most database\.maxCapacity \(2\)/],
    ['keep-alive not above ALB idle timeout', { gateway: { keepAliveTimeoutSeconds: 660 } }, /gateway\.keepAliveTimeoutSeconds: got 660; allowed: more than gateway\.albIdleTimeoutSeconds \(660\)/],
    ['prebuilt without uri', { gateway: { image: { mode: 'prebuilt' } } }, /gateway\.image\.uri: got undefined; allowed: an image URI \(required when image\.mode is "prebuilt"\)/],
    ['Fargate memory not valid for the CPU', { gateway: { cpu: 1024, memoryMiB: 1024 } }, /gateway\.memoryMiB: got 1024; allowed: 2048 to 8192 in steps of 1024 for cpu 1024/],
  ];

  test.each(invalid)('%s', (_name, overrides, message) => {
    expect(() => loadConfig({ environment: 'dev', overrides })).toThrow(message);
  });

  test('an unknown environment lists the known ones', () => {
    expect(() => loadConfig({ environment: 'staging' })).toThrow(/GATEWAY_ENV: unknown environment; got "staging"; allowed: "dev", "prod", or an environment the configuration file defines/);
  });

  test('"__proto__" is not an environment', () => {
    expect(() => loadConfig({ environment: '__proto__' })).toThrow(ConfigError);
  });

  test('every problem is reported at once', () => {
    try {
      loadConfig({ environment: 'dev', overrides: { appName: '', networking: { azCount: 1 } } });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).issues.map((i) => i.path)).toEqual(['appName', 'networking.azCount']);
    }
  });
});

describe('loadConfigFromEnv', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cfg-'));

  test('selects the environment with GATEWAY_ENV and defaults to dev', () => {
    expect(loadConfigFromEnv({}).environment).toBe('dev');
    expect(loadConfigFromEnv({ [ENV_VAR]: 'prod' }).environment).toBe('prod');
  });

  test('applies a JSON override file', () => {
    const file = path.join(dir, 'over.json');
    writeFileSync(file, JSON.stringify({ networking: { vpcCidr: '10.20.0.0/16' } }));
    expect(loadConfigFromEnv({ [CONFIG_FILE_ENV_VAR]: file }).networking.vpcCidr).toBe('10.20.0.0/16');
  });

  test('an unreadable or malformed override file is a ConfigError naming it', () => {
    expect(() => loadConfigFromEnv({ [CONFIG_FILE_ENV_VAR]: path.join(dir, 'missing.json') })).toThrow(/GATEWAY_CONFIG_FILE: .*got ".*missing\.json"; allowed: the path of a readable JSON file/);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    expect(() => loadConfigFromEnv({ [CONFIG_FILE_ENV_VAR]: bad })).toThrow(/allowed: a file holding one JSON object/);
  });
});

describe('names', () => {
  test('are <app>-<env>-<component>', () => {
    expect(nameOf(loadConfig({ environment: 'dev' }), 'alb')).toBe('document-processing-dev-alb');
  });

  test('are cut to the limit by shortening the app name, keeping environment, component and a stable hash', () => {
    const ctx = { appName: 'document-processing', environment: 'prod' };
    const name = physicalName(ctx, 'gateway-tg', 32);
    expect(name).toHaveLength(32);
    expect(name).toMatch(/^documen-prod-gateway-tg-[0-9a-f]{8}$/);
    expect(physicalName(ctx, 'gateway-tg', 32)).toBe(name);
    expect(physicalName({ ...ctx, environment: 'prox' }, 'gateway-tg', 32)).not.toBe(name);
  });

  test('fall back to a plain cut plus hash when even that does not fit', () => {
    const name = physicalName({ appName: 'document-processing', environment: 'prod' }, 'llm-gateway-target-group', 32);
    expect(name).toHaveLength(32);
    expect(name).toMatch(/-[0-9a-f]{8}$/);
  });
});

describe('subnet arithmetic', () => {
  test.each([
    ['10.0.0.0/16', 4, 0, '10.0.0.0/20'],
    ['10.0.0.0/16', 4, 1, '10.0.16.0/20'],
    ['10.0.0.0/16', 4, 8, '10.0.128.0/20'],
    ['10.0.0.0/16', 4, 15, '10.0.240.0/20'],
    ['172.16.0.0/20', 4, 9, '172.16.9.0/24'],
  ])('cidrSubnet(%s, %d, %d) = %s (as Terraform computes it)', (cidr, bits, index, expected) => {
    expect(cidrSubnet(cidr, bits, index)).toBe(expected);
  });

  test('refuses an index that does not fit', () => {
    expect(() => cidrSubnet('10.0.0.0/16', 4, 16)).toThrow(/index 16 does not fit in 4 bits/);
  });

  test('AZs default to the region letters, or are given', () => {
    const config = loadConfig({ environment: 'dev', overrides: { networking: { azCount: 3 } } });
    expect(availabilityZones(config.networking, 'us-east-1')).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    const given = loadConfig({ environment: 'dev', overrides: { networking: { availabilityZones: ['us-east-1c', 'us-east-1d'] } } });
    expect(availabilityZones(given.networking, 'us-east-1')).toEqual(['us-east-1c', 'us-east-1d']);
  });
});

describe('secrets.generator', () => {
  test('defaults to write-only in every environment', () => {
    expect(loadConfig({ environment: 'dev' }).secrets.generator).toBe('write-only');
    expect(loadConfig({ environment: 'prod' }).secrets.generator).toBe('write-only');
  });

  test('accepts random and refuses anything else, naming the allowed values', () => {
    expect(loadConfig({ environment: 'dev', overrides: { secrets: { generator: 'random' } } }).secrets.generator).toBe('random');
    expect(() => loadConfig({ environment: 'dev', overrides: { secrets: { generator: 'vault' } } })).toThrow(/secrets\.generator: got "vault"; allowed: .*"write-only".*"random"/);
  });
});
