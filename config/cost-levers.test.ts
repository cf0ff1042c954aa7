import { ConfigError, loadConfig } from './index';

describe('cost levers (docs/cost.md): gateway.capacity, gateway.containerInsights, observability.budgets', () => {
  test('dev: Spot tasks, budgets 100 / 150 USD; prod: on-demand, 1000 / 400 USD; both carry the seed\'s function: Container Insights and the eight metric filters', () => {
    const dev = loadConfig({ environment: 'dev' });
    const prod = loadConfig({ environment: 'prod' });
    expect(dev.gateway.capacity).toMatchObject({ mode: 'spot', onDemandBase: 0, onDemandWeight: 0, spotWeight: 1 });
    expect(dev.gateway.containerInsights).toBe(true);
    expect(prod.gateway.capacity.mode).toBe('on-demand');
    expect(prod.gateway.containerInsights).toBe(true);
    expect(dev.observability.budgets).toMatchObject({
      enabled: true,
      bedrockMonthlyUsd: 100,
      totalMonthlyUsd: 150,
      thresholdsPercent: [80, 100],
      bedrockServices: ['Amazon Bedrock'],
      costAllocationTag: 'env',
    });
    expect(prod.observability.budgets).toMatchObject({ bedrockMonthlyUsd: 1000, totalMonthlyUsd: 400 });
    expect(dev.observability.totalTokensMetric).toBe(true);
    expect(prod.observability.totalTokensMetric).toBe(true);
    expect(dev.observability.usageMetrics).toBe('metric-filters');
    expect(prod.observability.usageMetrics).toBe('metric-filters');
  });

  test('usageMetrics "logs-insights" publishes no token metric, so totalTokensMetric true with it is refused', () => {
    const overrides = { observability: { usageMetrics: 'logs-insights', totalTokensMetric: true } };
    expect(() => loadConfig({ environment: 'prod', overrides })).toThrow(
      /observability\.totalTokensMetric: got true; allowed: false with observability\.usageMetrics "logs-insights"/,
    );
    expect(() => loadConfig({ environment: 'dev', overrides: { observability: { usageMetrics: 'metric-filters', totalTokensMetric: true } } })).not.toThrow();
  });

  test('the token drift alarm reads the token metrics: on where they are published (the default everywhere), refused with "logs-insights"', () => {
    expect(loadConfig({ environment: 'prod' }).observability.tokenDriftAlarm).toBe(true);
    expect(loadConfig({ environment: 'dev' }).observability.tokenDriftAlarm).toBe(true);
    expect(() => loadConfig({ environment: 'prod', overrides: { observability: { usageMetrics: 'logs-insights', totalTokensMetric: false } } })).toThrow(
      /observability\.tokenDriftAlarm: got true; allowed: false with observability\.usageMetrics "logs-insights"/,
    );
    expect(() => loadConfig({ environment: 'dev', overrides: { observability: { usageMetrics: 'metric-filters', tokenDriftAlarm: true } } })).not.toThrow();
  });

  test('a tag of the configuration may be the cost allocation tag', () => {
    const c = loadConfig({ environment: 'dev', overrides: { tags: { 'cost-center': '1234' }, observability: { budgets: { costAllocationTag: 'cost-center' } } } });
    expect(c.observability.budgets.costAllocationTag).toBe('cost-center');
  });

  test.each([
    ['an unknown capacity mode', { gateway: { capacity: { mode: 'spot-only' } } }, /gateway\.capacity\.mode: got "spot-only"; allowed: one of "on-demand", "spot"/],
    ['a Spot weight of 0 with mode spot', { gateway: { capacity: { spotWeight: 0 } } }, /gateway\.capacity\.spotWeight: got 0; allowed: at least 1 with capacity\.mode "spot"/],
    ['a weight above 1000', { gateway: { capacity: { onDemandWeight: 1001 } } }, /gateway\.capacity\.onDemandWeight: got 1001; allowed: an integer from 0 to 1000/],
    ['a fractional base', { gateway: { capacity: { onDemandBase: 0.5 } } }, /gateway\.capacity\.onDemandBase: got 0\.5; allowed: an integer from 0 to 100000/],
    ['an on-demand base above maxTasks', { gateway: { capacity: { onDemandBase: 5 } } }, /gateway\.capacity\.onDemandBase: got 5; allowed: at most gateway\.maxTasks \(4\)/],
    [
      'on-demand weights with mode on-demand',
      { gateway: { capacity: { mode: 'on-demand', onDemandWeight: 1 } } },
      /gateway\.capacity\.mode: got "on-demand"; allowed: "spot" when onDemandBase or onDemandWeight is set/,
    ],
    ['totalTokensMetric not a boolean', { observability: { totalTokensMetric: 1 } }, /observability\.totalTokensMetric: got 1; allowed: true or false/],
    ['an unknown usage source', { observability: { usageMetrics: 'prometheus' } }, /observability\.usageMetrics: got "prometheus"; allowed: one of "metric-filters", "logs-insights"/],
    ['Container Insights not a boolean', { gateway: { containerInsights: 'off' } }, /gateway\.containerInsights: got "off"; allowed: true or false/],
    ['a budget of 0 USD', { observability: { budgets: { bedrockMonthlyUsd: 0 } } }, /observability\.budgets\.bedrockMonthlyUsd: got 0; allowed: a number from 1 to 10000000/],
    ['no threshold', { observability: { budgets: { thresholdsPercent: [] } } }, /observability\.budgets\.thresholdsPercent: got \[\]; allowed: an array with 1 to 4 items/],
    ['five thresholds (plus the forecast: six notifications)', { observability: { budgets: { thresholdsPercent: [10, 20, 30, 40, 50] } } }, /observability\.budgets\.thresholdsPercent: got \[10,20,30,40,50\]; allowed: an array with 1 to 4 items/],
    ['no Bedrock service name', { observability: { budgets: { bedrockServices: [] } } }, /observability\.budgets\.bedrockServices: got \[\]; allowed: an array with at least 1 item/],
    ['a tag no resource carries', { observability: { budgets: { costAllocationTag: 'team' } } }, /observability\.budgets\.costAllocationTag: got "team"; allowed: one of the tag keys every resource carries: env, application/],
    ['an unknown budgets key', { observability: { budgets: { monthly: 5 } } }, /observability\.budgets\.monthly: unknown key/],
  ])('%s is refused, naming the field', (_, overrides, message) => {
    expect(() => loadConfig({ environment: 'dev', overrides })).toThrow(ConfigError);
    expect(() => loadConfig({ environment: 'dev', overrides })).toThrow(message);
  });

  test('weights with mode spot and an on-demand base up to maxTasks are accepted', () => {
    expect(() => loadConfig({ environment: 'dev', overrides: { gateway: { capacity: { onDemandBase: 4, onDemandWeight: 1, spotWeight: 3 } } } })).not.toThrow();
  });
});
