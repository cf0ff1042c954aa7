import { loadConfig } from '../../config';
import { loadModelCatalogue } from '../model-catalogue';
import {
  AURORA_PG_MAX_CONNECTIONS,
  LITELLM_DEFAULT_AUTH_CACHE_TTL_SECONDS,
  CapacityInput,
  auroraMaxConnections,
  capacityContract,
  capacityIssues,
  formatCapacity,
  sharedStateOf,
} from './index';

const model = (alias: string, modelId: string, rpm: number, tpm: number) =>
  ({ alias, modelId, rpm, tpm }) as unknown as CapacityInput['catalogue']['models'][number];

/** GIVEN a fixture fleet (no project data): 4 tasks of 1 worker, pool 10, Aurora 0.5-4 ACU, Redis off. */
function input(overrides: { gateway?: Partial<CapacityInput['gateway']>; database?: Partial<CapacityInput['database']>; poolLimit?: number; edge?: CapacityInput['edge']; agents?: CapacityInput['agents'] } = {}): CapacityInput {
  return {
    gateway: {
      maxTasks: 4,
      numWorkers: 1,
      albIdleTimeoutSeconds: 660,
      keepAliveTimeoutSeconds: 665,
      deregistrationDelaySeconds: 660,
      redis: { enabled: false, nodeType: 'cache.t4g.micro', engineVersion: '8.0', numCacheClusters: 1, iamAuth: true },
      ...overrides.gateway,
    },
    database: { minCapacity: 0.5, maxCapacity: 4, ...overrides.database },
    edge: overrides.edge ?? { enabled: false, originReadTimeoutSeconds: 60 },
    agents: overrides.agents ?? [],
    catalogue: {
      models: [model('primary', 'us.sonnet', 50, 80000), model('fallback', 'us.haiku', 100, 80000), model('fast', 'us.haiku', 100, 1000)],
      requestTimeoutSeconds: 600,
      ...(overrides.poolLimit === undefined ? {} : { databaseConnectionPoolLimit: overrides.poolLimit }),
    },
  };
}

describe("Aurora PostgreSQL Serverless v2 max_connections (AWS's table by maximum ACU)", () => {
  test.each([
    // Each row of AWS's table, and the half-ACU step just below the next row (the lower row counts).
    [1, 1, 189],
    [1, 3.5, 189],
    [1, 4, 823],
    [1, 7.5, 823],
    [1, 8, 1669],
    [1, 15.5, 1669],
    [1, 16, 3360],
    [1, 31.5, 3360],
    [1, 32, 5000],
    [1, 64, 5000],
    [1, 128, 5000],
    [1, 256, 5000],
    // A minimum of 0 or 0.5 ACU caps it at 2,000; below 16 ACU the table is lower anyway.
    [0.5, 16, 2000],
    [0, 64, 2000],
    [0.5, 8, 1669],
    [0.5, 4, 823],
    [0, 1, 189],
  ])('min %p, max %p ACU -> %p', (min, max, expected) => {
    expect(auroraMaxConnections(min, max)).toBe(expected);
  });

  test("AWS's table never exceeds LEAST(memory/9531392, 5000) at 2 GiB per ACU: DBInstanceClassMemory is less than the ACU's memory", () => {
    for (const { maxAcu, maxConnections } of AURORA_PG_MAX_CONNECTIONS) {
      const naive = Math.min(Math.floor((maxAcu * 2 * 1024 ** 3) / 9531392), 5000);
      expect(maxConnections).toBeLessThanOrEqual(naive);
    }
    // 4 ACU: 8 GiB would give 901; AWS publishes 823. Using the formula would overstate the limit.
    expect(Math.floor((4 * 2 * 1024 ** 3) / 9531392)).toBe(901);
  });
});

describe('database connections: every pool at the fleet\'s peak, against what Aurora allows', () => {
  test('peak = maxTasks x 200 % (a deployment) x workers x pool + one lock session per starting task + one migrating pool', () => {
    const db = capacityContract(input({ poolLimit: 10 })).database;
    expect(db).toMatchObject({ peakTasks: 8, proxies: 80, migrators: 14, reconciler: 0, total: 94, poolLimitExplicit: true });
    // 823 at 4 ACU, less 3 + 2 reserved, less 10 %.
    expect(db).toMatchObject({ maxConnections: 823, reserved: 5, available: 736, fits: true });
  });

  test("an unset pool limit counts as LiteLLM's default of 10, and says so", () => {
    const c = capacityContract(input());
    expect(c.database).toMatchObject({ poolLimit: 10, poolLimitExplicit: false });
    expect(formatCapacity('dev', c)).toMatch(/LiteLLM's default: set general_settings\.database_connection_pool_limit/);
  });

  // 1 ACU: 189 - 5 = 184, 90 % -> 165 available; total = 2 x maxTasks x workers x pool + maxTasks + pool.
  test.each([
    ['5 tasks, pool 14: 140 + 5 + 14 = 159 fits', { maxTasks: 5 }, 14, true],
    ['5 tasks, pool 15: 150 + 5 + 15 = 170 does not', { maxTasks: 5 }, 15, false],
    ['4 tasks of 2 workers, pool 10: 160 + 4 + 10 = 174 does not', { maxTasks: 4, numWorkers: 2 }, 10, false],
  ])('1 ACU: %s', (_name, gateway, pool, fits) => {
    const c = capacityContract(input({ gateway, poolLimit: pool, database: { maxCapacity: 1 } }));
    expect(c.database.available).toBe(165);
    expect(c.database.fits).toBe(fits);
    expect(capacityIssues(c).length).toBe(fits ? 0 : 1);
  });

  test('the refusal names the fields to change, the values and the numbers', () => {
    const [issue] = capacityIssues(capacityContract(input({ gateway: { maxTasks: 10 }, poolLimit: 10, database: { maxCapacity: 1 } })));
    expect(issue.path).toBe('gateway.maxTasks/gateway.numWorkers/database.maxCapacity');
    expect(issue.value).toEqual({ maxTasks: 10, numWorkers: 1, poolLimit: 10, connections: 220 });
    expect(issue.problem).toMatch(/up to 220 database connections \(20 tasks during a deployment x 1 worker\(s\) x 10 pool \+ 20 for migrations\), more than the 165 Aurora allows it: max_connections 189/);
    expect(issue.allowed).toMatch(/lower gateway\.maxTasks or gateway\.numWorkers, raise database\.maxCapacity.*general_settings\.database_connection_pool_limit/);
  });

  test('a larger maximum ACU makes the same fleet fit', () => {
    expect(capacityContract(input({ gateway: { maxTasks: 10 }, database: { maxCapacity: 4 } })).database.fits).toBe(true);
  });
});

describe('the timeout chain', () => {
  test('request timeout <= ALB idle and deregistration >= request timeout hold on the fixture', () => {
    expect(capacityIssues(capacityContract(input()))).toEqual([]);
  });

  test.each([
    ['ALB idle below the request timeout', { albIdleTimeoutSeconds: 599 }, 'gateway.albIdleTimeoutSeconds', /504/],
    ['deregistration below the request timeout', { deregistrationDelaySeconds: 599 }, 'gateway.deregistrationDelaySeconds', /cuts the completions/],
  ])('refused: %s', (_name, gateway, path, allowed) => {
    const issues = capacityIssues(capacityContract(input({ gateway })));
    expect(issues.map((i) => i.path)).toEqual([path]);
    expect(issues[0].allowed).toMatch(allowed);
  });

  test('with the edge, the contract states that non-streaming completions longer than the origin read timeout get 504', () => {
    const c = capacityContract(input({ edge: { enabled: true, originReadTimeoutSeconds: 60 } }));
    expect(c.timeouts.edgeOriginReadTimeoutSeconds).toBe(60);
    expect(formatCapacity('dev', c)).toMatch(/a non-streaming completion longer than 60 s gets 504 \(LiteLLM sends no SSE keep-alive pings\)/);
  });
});

describe('shared state between LiteLLM processes', () => {
  test('several processes, limits declared, no Redis: a warning with the overshoot in processes and the key TTL', () => {
    const s = sharedStateOf(input({ agents: [{ name: 'a', maxBudgetUsd: 10 }] }));
    expect(s.processes).toBe(4);
    expect(s.limitsDeclared).toContain('agent a budget $10');
    expect(s.warning).toMatch(/4 LiteLLM processes \(gateway\.maxTasks 4 x gateway\.numWorkers 1\)/);
    expect(s.warning).toMatch(/overshot by up to 4 processes/);
    expect(s.warning).toContain(`valid for up to ${LITELLM_DEFAULT_AUTH_CACHE_TTL_SECONDS} s`);
  });

  test("the key TTL in the warning is the catalogue's general_settings.user_api_key_cache_ttl when set", () => {
    const base = input({ agents: [{ name: 'a', maxBudgetUsd: 10 }] });
    const s = sharedStateOf({ ...base, catalogue: { ...base.catalogue, authCacheTtlSeconds: 30 } });
    expect(s.warning).toContain('valid for up to 30 s (the auth-cache TTL, general_settings.user_api_key_cache_ttl)');
  });

  test.each([
    ['Redis on', { redis: { enabled: true, nodeType: 'cache.t4g.micro', engineVersion: '8.0', numCacheClusters: 2, iamAuth: true } }],
    ['a single process', { maxTasks: 1, numWorkers: 1 }],
  ])('no warning with %s', (_name, gateway) => {
    expect(sharedStateOf(input({ gateway })).warning).toBeUndefined();
  });
});

describe('limits across the fleet', () => {
  test('without Redis RPM and TPM are per process: processes x the configured value', () => {
    const [primary] = capacityContract(input()).limits;
    expect(primary).toEqual({ alias: 'primary', modelId: 'us.sonnet', rpm: 50, tpm: 80000, fleetRpm: 200, fleetTpm: 320000 });
  });

  test('with Redis RPM is shared, TPM stays per process', () => {
    const redis = { enabled: true, nodeType: 'cache.t4g.micro', engineVersion: '8.0', numCacheClusters: 2, iamAuth: true };
    const [primary] = capacityContract(input({ gateway: { redis } })).limits;
    expect(primary).toMatchObject({ fleetRpm: 50, fleetTpm: 320000 });
  });

  test('the Bedrock quota assumed per model id adds up every alias that calls it', () => {
    expect(capacityContract(input()).bedrockQuotas).toEqual([
      { modelId: 'us.sonnet', rpm: 200, tpm: 320000 },
      { modelId: 'us.haiku', rpm: 800, tpm: 324000 },
    ]);
  });
});

describe('the project (contract test: real configuration and catalogue)', () => {
  const catalogue = loadModelCatalogue();
  test.each(['dev', 'prod'])('%s: the pool limit is set explicitly and the fleet fits its database', (environment) => {
    const c = capacityContract({ ...loadConfig({ environment }), catalogue });
    expect(c.database.poolLimitExplicit).toBe(true);
    expect(c.database.fits).toBe(true);
    expect(capacityIssues(c)).toEqual([]);
  });
});
