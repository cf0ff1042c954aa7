import { Testing } from 'cdktf';
import { TerraformStack } from 'cdktf';
import { AGENT_DIMENSION } from '../agent-metrics';
import { MODEL_DIMENSION, createMetricFilters, gatewayMetrics, selectGatewayMetrics, slug } from './metrics';

const MODELS = ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'us.anthropic.claude-haiku-4-5-20251001-v1:0'];
const names = (ms: readonly { name: string }[]) => ms.map((m) => m.name);

describe('the metric table', () => {
  test('ten gateway metrics; the alarmed ones are requests and errors per model, budget refusals, rate limits and application errors', () => {
    const all = gatewayMetrics(MODELS);
    expect(names(all)).toEqual(['RequestCount', 'InputTokens', 'OutputTokens', 'TotalTokens', 'ResponseCostUSD', 'ResponseTimeMs', 'RequestErrors', 'BudgetRefusals', 'RateLimitedCalls', 'ApplicationErrors']);
    expect(names(all.filter((m) => m.alarmed))).toEqual(['RequestCount', 'RequestErrors', 'BudgetRefusals', 'RateLimitedCalls', 'ApplicationErrors']);
  });

  test('422 (budget exhausted) and 429 (rate limited) are counted apart, for any model, and not as request errors', () => {
    const byName = Object.fromEntries(gatewayMetrics(MODELS).map((m) => [m.name, m]));
    expect(byName.RequestErrors.pattern).toContain('$.status_code >= 400 && $.status_code != 422 && $.status_code != 429');
    expect(byName.BudgetRefusals).toMatchObject({ pattern: '{ $.litellm_metric IS TRUE && $.status_code = 422 }', value: '1', perModel: false, defaultValue: '0' });
    expect(byName.RateLimitedCalls).toMatchObject({ pattern: '{ $.litellm_metric IS TRUE && $.status_code = 429 }', value: '1', perModel: false, defaultValue: '0' });
  });

  test.each([
    [{ usage: 'metric-filters', totalTokens: true }, ['RequestCount', 'InputTokens', 'OutputTokens', 'TotalTokens', 'ResponseCostUSD', 'ResponseTimeMs', 'RequestErrors', 'BudgetRefusals', 'RateLimitedCalls', 'ApplicationErrors']],
    [{ usage: 'metric-filters', totalTokens: false }, ['RequestCount', 'InputTokens', 'OutputTokens', 'ResponseCostUSD', 'ResponseTimeMs', 'RequestErrors', 'BudgetRefusals', 'RateLimitedCalls', 'ApplicationErrors']],
    [{ usage: 'logs-insights', totalTokens: false }, ['RequestCount', 'RequestErrors', 'BudgetRefusals', 'RateLimitedCalls', 'ApplicationErrors']],
  ] as const)('selection %j publishes %j', (selection, expected) => {
    expect(names(selectGatewayMetrics(MODELS, selection))).toEqual(expected);
  });

  test('no model ids is an error (a pattern over 1,024 characters is refused by modules/catalogue-checks.ts)', () => {
    expect(() => gatewayMetrics([])).toThrow(/no model ids/);
  });

  test('slug: construct-id safe and stable', () => {
    expect(slug('us.anthropic.claude-haiku-4-5-20251001-v1:0')).toBe('us-anthropic-claude-haiku-4-5-20251001-v1-0');
    expect(slug('OnCall@Example.com')).toBe('oncall-example-com');
  });
});

describe('createMetricFilters', () => {
  function filters(usage: 'metric-filters' | 'logs-insights'): Record<string, Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const stack = new TerraformStack(Testing.app(), 's');
    createMetricFilters(stack, {
      logGroupName: '/app/gateway',
      namespace: 'NS',
      modelIds: MODELS,
      agents: ['supervisor', 'chunking'],
      selection: { usage, totalTokens: false },
      filterName: (c) => `app-dev-${c}`,
    });
    return JSON.parse(Testing.synth(stack)).resource.aws_cloudwatch_log_metric_filter;
  }

  test('metric-filters: the gateway metrics with the Model dimension, the agent metrics with the Agent dimension, the reconciler', () => {
    const f = filters('metric-filters');
    expect(Object.keys(f).sort()).toEqual(
      [
        'filter-request-count', 'filter-input-tokens', 'filter-output-tokens', 'filter-response-cost-usd', 'filter-response-time-ms',
        'filter-request-errors', 'filter-budget-refusals', 'filter-rate-limited-calls', 'filter-application-errors', 'filter-agent-request-count', 'filter-agent-request-errors',
        'filter-agent-input-tokens', 'filter-agent-output-tokens', 'filter-agent-response-cost', 'filter-key-reconciler-failures',
      ].sort(),
    );
    expect(f['filter-input-tokens'].metric_transformation.dimensions).toEqual({ [MODEL_DIMENSION]: '$.model' });
    expect(f['filter-agent-input-tokens'].metric_transformation.dimensions).toEqual({ [AGENT_DIMENSION]: '$.key_alias' });
    expect(f['filter-request-count']).toMatchObject({ name: 'app-dev-request-count', log_group_name: '/app/gateway' });
  });

  test('logs-insights: only what the alarms read', () => {
    expect(Object.keys(filters('logs-insights')).sort()).toEqual(
      ['filter-application-errors', 'filter-budget-refusals', 'filter-key-reconciler-failures', 'filter-rate-limited-calls', 'filter-request-count', 'filter-request-errors'],
    );
  });
});
