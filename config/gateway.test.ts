import { ConfigError, loadConfig } from './index';

describe('gateway configuration added for the gateway stack', () => {
  test('defaults: 120 s stop timeout, one cache node, ECR force delete left to the environment', () => {
    // GIVEN no overrides WHEN dev and prod load
    const dev = loadConfig({ environment: 'dev' }).gateway;
    const prod = loadConfig({ environment: 'prod' }).gateway;
    // THEN
    expect(dev.stopTimeoutSeconds).toBe(120);
    expect(dev.redis).toEqual({ enabled: false, nodeType: 'cache.t4g.micro', engineVersion: '8.0', numCacheClusters: 1 });
    expect(prod.redis).toEqual({ enabled: true, nodeType: 'cache.t4g.micro', engineVersion: '8.0', numCacheClusters: 1 });
    expect(dev.ecrForceDelete).toBeUndefined();
  });

  test('overrides are taken', () => {
    const g = loadConfig({ environment: 'prod', overrides: { gateway: { stopTimeoutSeconds: 60, ecrForceDelete: true, redis: { numCacheClusters: 2 } } } }).gateway;
    expect(g).toMatchObject({ stopTimeoutSeconds: 60, ecrForceDelete: true, redis: { enabled: true, numCacheClusters: 2 } });
  });

  test.each([
    ['stop timeout above the Fargate maximum', { stopTimeoutSeconds: 121 }, /gateway\.stopTimeoutSeconds: got 121; allowed: an integer from 2 to 120/],
    ['stop timeout below 2', { stopTimeoutSeconds: 1 }, /gateway\.stopTimeoutSeconds: got 1; allowed: an integer from 2 to 120/],
    ['no cache node', { redis: { numCacheClusters: 0 } }, /gateway\.redis\.numCacheClusters: got 0; allowed: an integer from 1 to 6/],
    ['too many cache nodes', { redis: { numCacheClusters: 7 } }, /gateway\.redis\.numCacheClusters: got 7; allowed: an integer from 1 to 6/],
    ['ECR force delete not a boolean', { ecrForceDelete: 'yes' }, /gateway\.ecrForceDelete: got "yes"; allowed: true or false/],
    [
      'grace period shorter than the container start period',
      { healthCheckGracePeriodSeconds: 100, healthCheckStartPeriodSeconds: 240 },
      /gateway\.healthCheckGracePeriodSeconds: got 100; allowed: at least gateway\.healthCheckStartPeriodSeconds \+ 60 \(300\)/,
    ],
    [
      'grace period that leaves the migration container no time',
      { healthCheckGracePeriodSeconds: 150, healthCheckStartPeriodSeconds: 120 },
      /gateway\.healthCheckGracePeriodSeconds: got 150; allowed: at least gateway\.healthCheckStartPeriodSeconds \+ 60 \(180\): .*migrat/,
    ],
    ['deregistration delay above the ELB maximum', { deregistrationDelaySeconds: 3601 }, /gateway\.deregistrationDelaySeconds: got 3601; allowed: an integer from 0 to 3600/],
    ['ECS Exec logging DEFAULT (the metric-filtered gateway log group)', { ecsExec: { logging: 'DEFAULT' } }, /gateway\.ecsExec\.logging: got "DEFAULT"; allowed: .*OVERRIDE.*NONE/],
    ['ECS Exec switch not a boolean', { ecsExec: { enabled: 'yes' } }, /gateway\.ecsExec\.enabled: got "yes"; allowed: true or false/],
    ['ECS Exec log retention CloudWatch does not offer', { ecsExec: { logRetentionDays: 8 } }, /gateway\.ecsExec\.logRetentionDays: got 8; allowed:/],
  ])('%s is refused', (_, gateway, message) => {
    expect(() => loadConfig({ environment: 'dev', overrides: { gateway } })).toThrow(ConfigError);
    expect(() => loadConfig({ environment: 'dev', overrides: { gateway } })).toThrow(message);
  });

  test('grace period equal to the start period plus the migration allowance is fine', () => {
    expect(() => loadConfig({ environment: 'dev', overrides: { gateway: { healthCheckGracePeriodSeconds: 180 } } })).not.toThrow();
  });

  test('draining and ECS Exec defaults: 660 s deregistration delay, session logs to their own group', () => {
    const g = loadConfig({ environment: 'prod' }).gateway;
    expect(g.deregistrationDelaySeconds).toBe(660);
    expect(g.ecsExec).toEqual({ enabled: true, logging: 'OVERRIDE', logRetentionDays: 90 });
    expect(g.healthCheckStartPeriodSeconds).toBe(120);
    expect(g.healthCheckGracePeriodSeconds).toBe(420);
  });
});
