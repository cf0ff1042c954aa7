import { Testing } from 'cdktf';
import { deepMerge, loadConfig } from '../config';
import { AGENT_WIDGET_TITLES } from '../modules/agent-metrics';
import { METRIC_LINE_FIELDS } from '../modules/metric-line';
import { ObservabilityStack } from './observability-stack';
import { ONE_MODEL as CATALOGUE } from '../test/catalogues';
import { GATEWAY } from '../test/fixtures';
import { synthStack, type Json } from '../test/helpers';

const NAMESPACE = 'DocumentProcessing/LlmGateway';
const AGENTS = ['supervisor', 'chunking', 'extraction', 'mapping', 'validation'];

function synth(overrides?: unknown): Json {
  const app = Testing.app();
  // The per-agent metrics exist with usage from metric filters (prod's default; dev's is Logs Insights).
  const config = loadConfig({ environment: 'dev', overrides: deepMerge({ observability: { usageMetrics: 'metric-filters' } }, overrides) });
  const stack = new ObservabilityStack(app, 'observability', { config, gateway: GATEWAY, database: { clusterIdentifier: 'db', maxCapacity: 1 }, catalogue: CATALOGUE });
  return synthStack(stack).json;
}

const json = synth();
const filters: Json = json.resource.aws_cloudwatch_log_metric_filter;
const widgets: Json[] = JSON.parse(json.resource.aws_cloudwatch_dashboard.dashboard.dashboard_body).widgets;
const widget = (title: string): Json => widgets.find((w) => w.properties.title === title)!.properties;
const declared = `(${AGENTS.map((a) => `$.key_alias = "${a}"`).join(' || ')})`;

describe('per-agent metric filters', () => {
  test.each([
    ['filter-agent-request-count', 'AgentRequestCount', `{ $.litellm_metric IS TRUE && ${declared} }`, '1', 'Count'],
    ['filter-agent-request-errors', 'AgentRequestErrors', `{ $.litellm_metric IS TRUE && ${declared} && $.status_code >= 400 }`, '1', 'Count'],
    ['filter-agent-input-tokens', 'AgentInputTokens', `{ $.litellm_metric IS TRUE && ${declared} && $.status_code = 200 }`, '$.prompt_tokens', 'Count'],
    ['filter-agent-output-tokens', 'AgentOutputTokens', `{ $.litellm_metric IS TRUE && ${declared} && $.status_code = 200 }`, '$.completion_tokens', 'Count'],
    ['filter-agent-response-cost', 'AgentResponseCostUSD', `{ $.litellm_metric IS TRUE && ${declared} && $.status_code = 200 }`, '$.response_cost', 'None'],
  ])('%s publishes %s with the Agent dimension, allow-listed to the declared agents', (id, name, pattern, value, unit) => {
    expect(filters[id]).toEqual({
      name: `document-processing-dev-${id.replace('filter-', '')}`,
      log_group_name: GATEWAY.logGroupName,
      pattern,
      metric_transformation: { name, namespace: NAMESPACE, value, unit, dimensions: { Agent: '$.key_alias' } },
    });
  });

  test('the dimension reads the metric line field LiteLLM fills from the key alias', () => {
    expect(METRIC_LINE_FIELDS.keyAlias).toBe('key_alias');
  });

  test('the allow-list follows the configured agents', () => {
    const other = synth({ agents: [{ name: 'triage', models: ['claude-fast'] }] });
    expect(other.resource.aws_cloudwatch_log_metric_filter['filter-agent-request-count'].pattern).toBe('{ $.litellm_metric IS TRUE && ($.key_alias = "triage") }');
  });

  // Too many agents for the 1,024-character pattern is refused before any stack exists: modules/catalogue-checks.test.ts.
});

describe('key reconciler failures', () => {
  test('a filter counts the reconciler\'s failed lines, and an alarm pages on the first', () => {
    expect(filters['filter-key-reconciler-failures']).toEqual({
      name: 'document-processing-dev-key-reconciler-failures',
      log_group_name: GATEWAY.logGroupName,
      // gateway-image/reconciler/reconcile_keys.py prints {"key_reconciler": "failed", ...} (its tests check the shape).
      pattern: '{ $.key_reconciler = "failed" }',
      metric_transformation: { name: 'KeyReconcilerFailures', namespace: NAMESPACE, value: '1', unit: 'Count' },
    });
    expect(json.resource.aws_cloudwatch_metric_alarm['alarm-key-reconciler']).toMatchObject({
      alarm_name: 'document-processing-dev-key-reconciler',
      namespace: NAMESPACE,
      metric_name: 'KeyReconcilerFailures',
      statistic: 'Sum',
      period: 300,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      treat_missing_data: 'notBreaching',
      alarm_actions: ['${aws_sns_topic.alarm-topic.arn}'],
    });
  });
});

describe('per-agent dashboard rows', () => {
  test('cost and tokens per agent, as totals over the time range and stacked over time', () => {
    const cost = widget(AGENT_WIDGET_TITLES.cost);
    expect(cost.stacked).toBe(true);
    expect(cost.metrics).toEqual(AGENTS.map((a) => [NAMESPACE, 'AgentResponseCostUSD', 'Agent', a, { stat: 'Sum', label: a }]));
    const totals = widget(AGENT_WIDGET_TITLES.costTotals);
    expect(totals).toMatchObject({ view: 'bar', setPeriodToTimeRange: true });
    const tokens = widget(AGENT_WIDGET_TITLES.tokens);
    expect(tokens.metrics.slice(0, 3)).toEqual([
      [NAMESPACE, 'AgentInputTokens', 'Agent', 'supervisor', { id: 'i0', stat: 'Sum', label: 'supervisor', visible: false }],
      [NAMESPACE, 'AgentOutputTokens', 'Agent', 'supervisor', { id: 'o0', stat: 'Sum', label: 'supervisor', visible: false }],
      [{ expression: 'FILL(i0, 0) + FILL(o0, 0)', id: 't0', label: 'supervisor' }],
    ]);
    expect(tokens.metrics).toHaveLength(AGENTS.length * 3);
    expect(widget(AGENT_WIDGET_TITLES.requests).metrics.map((m: unknown[]) => m[3])).toEqual(AGENTS);
    expect(widget(AGENT_WIDGET_TITLES.errors).metrics.map((m: unknown[]) => m[1])).toEqual(AGENTS.map(() => 'AgentRequestErrors'));
  });

  test('every agent widget reads only metrics a filter publishes', () => {
    const published = new Set(Object.values(filters).map((f: Json) => f.metric_transformation.name));
    for (const title of Object.values(AGENT_WIDGET_TITLES).filter((t) => t !== AGENT_WIDGET_TITLES.header)) {
      for (const m of widget(title).metrics) if (typeof m[0] === 'string') expect(published).toContain(m[1]);
    }
  });
});
