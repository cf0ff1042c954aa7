import { ConfigError, loadConfig } from './index';

describe('gateway configuration added for the gateway stack', () => {
  test('defaults: 120 s stop timeout, one cache node in dev and two (failover) in prod, ECR force delete in dev only', () => {
    // GIVEN no overrides WHEN dev and prod load
    const dev = loadConfig({ environment: 'dev' }).gateway;
    const prod = loadConfig({ environment: 'prod' }).gateway;
    // THEN
    expect(dev.stopTimeoutSeconds).toBe(120);
    expect(dev.redis).toEqual({ enabled: false, nodeType: 'cache.t4g.micro', engineVersion: '8.0', numCacheClusters: 1, iamAuth: true });
    expect(prod.redis).toEqual({ enabled: true, nodeType: 'cache.t4g.micro', engineVersion: '8.0', numCacheClusters: 2, iamAuth: true });
    expect(dev.ecrForceDelete).toBe(true);
    expect(prod.ecrForceDelete).toBe(false);
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
    expect(() => loadConfig({ environment: 'dev', overrides: { gateway: { healthCheckStartPeriodSeconds: 120, healthCheckGracePeriodSeconds: 180 } } })).not.toThrow();
  });

  test('draining and ECS Exec defaults: 660 s deregistration delay, session logs to their own group', () => {
    const g = loadConfig({ environment: 'prod' }).gateway;
    expect(g.deregistrationDelaySeconds).toBe(660);
    expect(g.ecsExec).toEqual({ enabled: true, logging: 'OVERRIDE', logRetentionDays: 90 });
    // LiteLLM's Helm chart allows the proxy 300 s to its first readiness; the grace period adds the 600 s migration budget.
    expect(g.healthCheckStartPeriodSeconds).toBe(300);
    expect(g.healthCheckGracePeriodSeconds).toBe(900);
  });
});

describe('closed sets AWS enforces are refused at synth with the field, the value and what is allowed', () => {
  const refused = (overrides: Record<string, unknown>) => () => loadConfig({ environment: 'dev', overrides });
  test.each([
    ['Fargate CPU not in the task size table', { gateway: { cpu: 3000 } }, /gateway\.cpu: got 3000; allowed: one of 256, 512, 1024, 2048, 4096, 8192, 16384/],
    ['Fargate 256 CPU with 1536 MiB (only 512, 1024, 2048)', { gateway: { cpu: 256, memoryMiB: 1536 } }, /gateway\.memoryMiB: got 1536; allowed: one of 512, 1024, 2048 for cpu 256/],
    ['Fargate 4096 CPU with 7168 MiB (below its range)', { gateway: { cpu: 4096, memoryMiB: 7168 } }, /gateway\.memoryMiB: got 7168; allowed: 8192 to 30720 in steps of 1024 for cpu 4096/],
    ['Fargate 8192 CPU with 17408 MiB (steps of 4096)', { gateway: { cpu: 8192, memoryMiB: 17408 } }, /gateway\.memoryMiB: got 17408; allowed: 16384 to 61440 in steps of 4096/],
    ['an SSL policy name ALB does not have', { gateway: { sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2099-01' } }, /gateway\.sslPolicy: got "ELBSecurityPolicy-TLS13-1-2-2099-01"; allowed: one of "ELBSecurityPolicy-TLS13-1-2-2021-06"/],
    ['an SSL policy below TLS 1.2', { gateway: { sslPolicy: 'ELBSecurityPolicy-2016-08' } }, /gateway\.sslPolicy: got "ELBSecurityPolicy-2016-08"/],
    ['a Valkey version ElastiCache does not offer', { gateway: { redis: { engineVersion: '7.1' } } }, /gateway\.redis\.engineVersion: got "7\.1"; allowed: one of "7\.2", "8\.0", "8\.1", "8\.2", "9\.0", "9\.1"/],
    ['a container log retention CloudWatch refuses', { gateway: { logRetentionDays: 45 } }, /gateway\.logRetentionDays: got 45; allowed: one of 1, 3, 5, 7, 14, 30, 60, 90/],
    ['a flow log retention CloudWatch refuses', { networking: { flowLogs: { retentionDays: 100 } } }, /networking\.flowLogs\.retentionDays: got 100; allowed: one of 1, 3/],
    ['a flow log traffic type EC2 does not have', { networking: { flowLogs: { trafficType: 'DENY' } } }, /networking\.flowLogs\.trafficType: got "DENY"; allowed: one of "ACCEPT", "REJECT", "ALL"/],
    ['a container health check start period above 300 s (ECS maximum)', { gateway: { healthCheckStartPeriodSeconds: 301, healthCheckGracePeriodSeconds: 400 } }, /gateway\.healthCheckStartPeriodSeconds: got 301; allowed: an integer from 0 to 300/],
    ['an ALB idle timeout above 4000 s', { gateway: { albIdleTimeoutSeconds: 4001, keepAliveTimeoutSeconds: 4100 } }, /gateway\.albIdleTimeoutSeconds: got 4001; allowed: an integer from 1 to 4000/],
    ['an image platform Fargate does not run', { gateway: { image: { mode: 'build', platform: 'linux/arm/v7' } } }, /gateway\.image\.platform: got "linux\/arm\/v7"; allowed: one of "linux\/arm64", "linux\/amd64"/],
    ['a backup retention above 35 days', { database: { backupRetentionDays: 40 } }, /database\.backupRetentionDays: got 40; allowed: an integer from 1 to 35/],
    ['an ACU value off the 0.5 grid', { database: { maxCapacity: 1.2 } }, /database\.minCapacity\/maxCapacity: got \[0\.5,1\.2\]; allowed: multiples of 0\.5 ACU/],
    ['an Aurora log retention CloudWatch refuses', { database: { logRetentionDays: 2 } }, /database\.logRetentionDays: got 2; allowed: one of 1, 3/],
    ['a secret recovery window Secrets Manager refuses', { database: { secretRecoveryDays: 3 } }, /database\.secretRecoveryDays: got 3; allowed: 0 \(delete at once\) or 7 to 30/],
  ])('%s', (_name, overrides, message) => {
    expect(refused(overrides)).toThrow(ConfigError);
    expect(refused(overrides)).toThrow(message);
  });

  test.each([
    ['2048 CPU with 8192 MiB and 2 workers', { gateway: { cpu: 2048, memoryMiB: 8192, numWorkers: 2 } }],
    ['4096 CPU with 16384 MiB and 4 workers', { gateway: { cpu: 4096, memoryMiB: 16384, numWorkers: 4 } }],
    ['a post-quantum TLS policy', { gateway: { sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09' } }],
    ['Valkey 7.2', { gateway: { redis: { engineVersion: '7.2' } } }],
  ])('accepted: %s', (_name, overrides) => {
    expect(() => loadConfig({ environment: 'dev', overrides })).not.toThrow();
  });
});

describe("sizing from LiteLLM's production guide: one vCPU and at least 4 GiB per worker", () => {
  const load = (gateway: Record<string, unknown>) => () => loadConfig({ environment: 'dev', overrides: { gateway } });

  test('defaults: 1 vCPU, 4 GiB, one worker recycled after 10000 requests, in every environment', () => {
    for (const environment of ['dev', 'prod']) {
      const g = loadConfig({ environment }).gateway;
      expect({ cpu: g.cpu, memoryMiB: g.memoryMiB, numWorkers: g.numWorkers, maxRequestsBeforeRestart: g.maxRequestsBeforeRestart }).toEqual({
        cpu: 1024,
        memoryMiB: 4096,
        numWorkers: 1,
        maxRequestsBeforeRestart: 10000,
      });
    }
  });

  test.each([
    ['two workers on 1 vCPU (the former default)', { cpu: 1024, memoryMiB: 8192, numWorkers: 2 }, /gateway\.cpu\/numWorkers: .*one vCPU per worker.*got \[1024,2\]; allowed: cpu of at least 2048 for 2 worker\(s\), or numWorkers at most 1/],
    ['half a vCPU for one worker', { cpu: 512, memoryMiB: 4096, numWorkers: 1 }, /gateway\.cpu\/numWorkers: .*got \[512,1\]; allowed: cpu of at least 1024 for 1 worker\(s\), or numWorkers at most 1 with cpu 1024 or more/],
    ['2 GiB for one worker (the former default)', { cpu: 1024, memoryMiB: 2048, numWorkers: 1 }, /gateway\.memoryMiB\/numWorkers: .*OOM-killed.*got \[2048,1\]; allowed: memoryMiB of at least 4096 for 1 worker\(s\)/],
    ['6 GiB for two workers', { cpu: 2048, memoryMiB: 6144, numWorkers: 2 }, /gateway\.memoryMiB\/numWorkers: .*got \[6144,2\]; allowed: memoryMiB of at least 8192 for 2 worker\(s\)/],
  ])('refused: %s', (_name, gateway, message) => {
    expect(load(gateway)).toThrow(ConfigError);
    expect(load(gateway)).toThrow(message);
  });

  test.each([
    ['exactly the guide for one worker', { cpu: 1024, memoryMiB: 4096, numWorkers: 1 }],
    ['more memory than the guide', { cpu: 1024, memoryMiB: 8192, numWorkers: 1 }],
    ['fewer workers than vCPUs', { cpu: 4096, memoryMiB: 8192, numWorkers: 2 }],
  ])('accepted: %s', (_name, gateway) => {
    expect(load(gateway)).not.toThrow();
  });

  test('a combination below the guide that is also no Fargate size reports both', () => {
    expect(load({ cpu: 256, memoryMiB: 1536 })).toThrow(/gateway\.memoryMiB: got 1536; allowed: one of 512, 1024, 2048 for cpu 256[\s\S]*gateway\.cpu\/numWorkers/);
  });
});
