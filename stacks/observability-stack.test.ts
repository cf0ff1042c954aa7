import { readFileSync } from 'fs';
import * as path from 'path';
import { LocalBackend, TerraformStack, Testing, Token } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { deepMerge, loadConfig } from '../config';
import { loadModelCatalogue, parseModelCatalogue } from '../modules/model-catalogue';
import { evaluateStack } from '../policy/engine';
import { DEV_GATEWAY } from '../test/fixtures';
import { budgetNotifications } from '../modules/observability/budgets';
import { ObservabilityStack } from './observability-stack';
import { catalogueYaml, HAIKU_ID as HAIKU, SONNET_ID as SONNET, TWO_MODELS as CATALOGUE } from '../test/catalogues';
import { resources, synthStack, type Json } from '../test/helpers';
import { slug } from '../modules/observability/metrics';

const NAMESPACE = 'DocumentProcessing/LlmGateway';

const GATEWAY = DEV_GATEWAY;
const DATABASE = { clusterIdentifier: 'document-processing-dev-db', maxCapacity: 4 };
const LB = { LoadBalancer: GATEWAY.albArnSuffix };
const ECS = { ClusterName: GATEWAY.clusterName, ServiceName: GATEWAY.serviceName };

interface SynthOptions {
  readonly environment?: string;
  readonly overrides?: unknown;
  readonly catalogue?: ReturnType<typeof parseModelCatalogue>;
}

function synth(options: SynthOptions = {}): { stack: ObservabilityStack; json: Json; text: string } {
  const app = Testing.app();
  // prod refuses an alarm topic nobody is subscribed to: give it an on-call address unless a test says otherwise.
  const environment = options.environment ?? 'dev';
  const onCall = environment === 'dev' ? {} : { observability: { alarmEmails: ['oncall@example.com'] } };
  const config = loadConfig({ environment, overrides: deepMerge(onCall, options.overrides) });
  const stack = new ObservabilityStack(app, 'observability', { config, gateway: GATEWAY, database: DATABASE, catalogue: options.catalogue ?? CATALOGUE });
  return { stack, ...synthStack(stack) };
}

// Most of this file checks dev on its defaults: the seed's eight metric filters and Container Insights. The cost
// levers (observability.usageMetrics "logs-insights", totalTokensMetric false, gateway.containerInsights false:
// docs/cost.md) have their own tests below.
const LOGS_INSIGHTS = { observability: { usageMetrics: 'logs-insights', totalTokensMetric: false, tokenDriftAlarm: false } };
const { stack, json, text } = synth();
const filters = resources(json, 'aws_cloudwatch_log_metric_filter');
const alarms = resources(json, 'aws_cloudwatch_metric_alarm');
const body = JSON.parse(resources(json, 'aws_cloudwatch_dashboard').dashboard.dashboard_body);
const widgets: Json[] = body.widgets;

describe('metric filters (docs/design.md#metrics)', () => {
  const base = `$.litellm_metric IS TRUE && ($.model = "${SONNET}" || $.model = "${HAIKU}")`;
  const table: Array<[string, string, string, string, string]> = [
    ['filter-request-count', 'RequestCount', `{ ${base} }`, '1', 'Count'],
    ['filter-input-tokens', 'InputTokens', `{ ${base} && $.status_code = 200 }`, '$.prompt_tokens', 'Count'],
    ['filter-output-tokens', 'OutputTokens', `{ ${base} && $.status_code = 200 }`, '$.completion_tokens', 'Count'],
    ['filter-response-cost-usd', 'ResponseCostUSD', `{ ${base} && $.status_code = 200 }`, '$.response_cost', 'None'],
    ['filter-response-time-ms', 'ResponseTimeMs', `{ ${base} }`, '$.response_time_ms', 'Milliseconds'],
    ['filter-request-errors', 'RequestErrors', `{ ${base} && $.status_code >= 400 && $.status_code != 422 && $.status_code != 429 }`, '1', 'Count'],
  ];

  test('the seed\'s eight filters and the 422 / 429 counts in dev on its defaults (plus the per-agent ones, stacks/observability-agents.test.ts), all on the gateway log group', () => {
    const own = Object.keys(filters).filter((id) => !id.startsWith('filter-agent-') && id !== 'filter-key-reconciler-failures');
    expect(own.sort()).toEqual([...table.map(([id]) => id), 'filter-total-tokens', 'filter-budget-refusals', 'filter-rate-limited-calls', 'filter-application-errors'].sort());
    for (const filter of Object.values(filters)) expect(filter.log_group_name).toBe(GATEWAY.logGroupName);
  });

  test('prod has the same ten: TotalTokens per model and the 422 / 429 counts among them, and their alarms; the levers (totalTokensMetric, statusAlarms false) leave them out', () => {
    const prodJson = synth({ environment: 'prod' }).json;
    const prod = resources(prodJson, 'aws_cloudwatch_log_metric_filter');
    expect(Object.keys(prod).filter((id) => !id.startsWith('filter-agent-') && id !== 'filter-key-reconciler-failures')).toHaveLength(10);
    expect(prod['filter-budget-refusals']).toMatchObject({ pattern: '{ $.litellm_metric IS TRUE && $.status_code = 422 }' });
    expect(prod['filter-budget-refusals'].metric_transformation).toEqual({ name: 'BudgetRefusals', namespace: NAMESPACE, value: '1', unit: 'Count', default_value: '0' });
    expect(prod['filter-rate-limited-calls']).toMatchObject({ pattern: '{ $.litellm_metric IS TRUE && $.status_code = 429 }' });
    const prodAlarms = resources(prodJson, 'aws_cloudwatch_metric_alarm');
    expect(prodAlarms['alarm-budget-exhausted']).toMatchObject({ metric_name: 'BudgetRefusals', threshold: 0, comparison_operator: 'GreaterThanThreshold' });
    expect(prodAlarms['alarm-rate-limited']).toMatchObject({ metric_name: 'RateLimitedCalls', threshold: 50 });
    const lever = resources(synth({ overrides: { observability: { totalTokensMetric: false, statusAlarms: false } } }).json, 'aws_cloudwatch_log_metric_filter');
    expect(lever['filter-total-tokens']).toBeUndefined();
    expect(lever['filter-budget-refusals']).toBeUndefined();
    expect(Object.keys(lever).filter((id) => !id.startsWith('filter-agent-') && id !== 'filter-key-reconciler-failures')).toHaveLength(7);
    expect(prod['filter-total-tokens']).toMatchObject({ pattern: `{ ${base} && $.status_code = 200 }` });
    expect(prod['filter-total-tokens'].metric_transformation).toEqual({ name: 'TotalTokens', namespace: NAMESPACE, value: '$.total_tokens', unit: 'Count', dimensions: { Model: '$.model' } });
  });

  test.each(table)('%s publishes %s: pattern, value, unit, Model dimension, no default value', (id, name, pattern, value, unit) => {
    expect(filters[id]).toMatchObject({ name: `document-processing-dev-${id.replace('filter-', '')}`, pattern });
    // Exact object: default_value must not be set when dimensions are (CloudWatch rejects it).
    expect(filters[id].metric_transformation).toEqual({ name, namespace: NAMESPACE, value, unit, dimensions: { Model: '$.model' } });
  });

  test('ApplicationErrors counts LiteLLM JSON log lines at ERROR or CRITICAL, without a dimension, 0 otherwise', () => {
    // The proxy's start-up schema-diff line (logged at ERROR once per task start, docs/gateway-runtime.md) does not page.
    expect(filters['filter-application-errors'].pattern).toBe('{ ($.level = "ERROR" || $.level = "CRITICAL") && $.message != "🚨🚨🚨 prisma schema out of sync*" }');
    expect(filters['filter-application-errors'].metric_transformation).toEqual({
      name: 'ApplicationErrors',
      namespace: NAMESPACE,
      value: '1',
      unit: 'Count',
      default_value: '0',
    });
  });

  test('the namespace comes from the configuration', () => {
    const { json: other } = synth({ overrides: { observability: { metricNamespace: 'Claims/Gateway' } } });
    for (const filter of Object.values(resources(other, 'aws_cloudwatch_log_metric_filter'))) expect(filter.metric_transformation.namespace).toBe('Claims/Gateway');
  });

  test('patterns are balanced JSON filter patterns within the 1024-character limit', () => {
    for (const { pattern } of Object.values(filters) as Json[]) {
      expect(pattern).toMatch(/^\{ .* \}$/);
      expect(pattern.split('(').length).toBe(pattern.split(')').length);
      expect(pattern.length).toBeLessThanOrEqual(1024);
    }
  });
});

describe('dashboard (docs/design.md#metrics)', () => {
  test('named from the configuration', () => {
    expect(text).toHaveResourceWithProperties(CloudwatchDashboard, { dashboard_name: 'LlmGateway-document-processing' });
  });

  test('a header and seven rows of two half-width widgets, placed on the grid', () => {
    expect(body).toMatchObject({ start: '-PT6H', periodOverride: 'inherit' });
    expect(widgets.map((w) => [w.type, w.x, w.y, w.width, w.height, w.properties.title ?? '(header)'])).toEqual([
      ['text', 0, 0, 24, 2, '(header)'],
      ['metric', 0, 2, 12, 6, 'Total requests'],
      ['metric', 12, 2, 12, 6, 'Input tokens, output tokens, estimated cost (USD)'],
      ['metric', 0, 8, 12, 6, 'Requests by model'],
      ['metric', 12, 8, 12, 6, 'Error rate (%)'],
      ['metric', 0, 14, 12, 6, 'Average response time by model (ms)'],
      ['log', 12, 14, 12, 6, 'Response time percentiles p50 / p95 / p99 (ms)'],
      ['metric', 0, 20, 12, 6, 'Tokens per successful request by model'],
      ['metric', 12, 20, 12, 6, 'Total tokens by model (stacked)'],
      ['metric', 0, 26, 12, 6, 'Estimated cost per successful request by model (USD)'],
      ['log', 12, 26, 12, 6, 'Estimated cost by model and key alias (USD)'],
      ['metric', 0, 32, 12, 6, 'ECS CPU utilization (% of task CPU)'],
      ['metric', 12, 32, 12, 6, 'ECS memory utilization (% of task memory)'],
      ['metric', 0, 38, 12, 6, 'ALB requests and 5xx'],
      ['metric', 12, 38, 12, 6, 'Target response time (s)'],
      // Then the per-agent rows: stacks/observability-agents.test.ts.
      ['text', 0, 44, 24, 2, '(header)'],
      ['metric', 0, 46, 12, 6, 'Estimated cost by agent over the time range (USD)'],
      ['metric', 12, 46, 12, 6, 'Tokens by agent over the time range (input + output)'],
      ['metric', 0, 52, 12, 6, 'Estimated cost by agent (USD, stacked)'],
      ['metric', 12, 52, 12, 6, 'Tokens by agent (input + output, stacked)'],
      ['metric', 0, 58, 12, 6, 'Requests by agent'],
      ['metric', 12, 58, 12, 6, 'Errors by agent'],
    ]);
    for (const w of widgets) if (w.type !== 'text') expect(w.properties.region).toBe('us-east-1');
  });

  const widget = (title: string): Json => {
    const found = widgets.find((w) => w.properties.title === title);
    if (!found) throw new Error(`no widget "${title}"`);
    return found.properties;
  };
  const gw = (name: string, model: string, options: Json) => [NAMESPACE, name, 'Model', model, options];

  test('KPIs: total requests is a SUM over the per-model RequestCount ids, over the whole time range', () => {
    expect(widget('Total requests')).toMatchObject({
      view: 'singleValue',
      setPeriodToTimeRange: true,
      metrics: [
        gw('RequestCount', SONNET, { id: 'r0', stat: 'Sum', label: 'claude-primary', visible: false }),
        gw('RequestCount', HAIKU, { id: 'r1', stat: 'Sum', label: 'claude-fallback / claude-fast', visible: false }),
        [{ expression: 'SUM([FILL(r0, 0), FILL(r1, 0)])', id: 'requests', label: 'Requests (all models)' }],
      ],
    });
  });

  test('KPIs: input tokens, output tokens and estimated cost summed over models', () => {
    const { metrics } = widget('Input tokens, output tokens, estimated cost (USD)');
    expect(metrics.slice(0, 6).map((m: unknown[]) => [m[1], m[3], (m[4] as Json).id, (m[4] as Json).visible])).toEqual([
      ['InputTokens', SONNET, 'i0', false],
      ['InputTokens', HAIKU, 'i1', false],
      ['OutputTokens', SONNET, 'o0', false],
      ['OutputTokens', HAIKU, 'o1', false],
      ['ResponseCostUSD', SONNET, 'c0', false],
      ['ResponseCostUSD', HAIKU, 'c1', false],
    ]);
    expect(metrics.slice(6)).toEqual([
      [{ expression: 'SUM([FILL(i0, 0), FILL(i1, 0)])', id: 'input', label: 'Input tokens' }],
      [{ expression: 'SUM([FILL(o0, 0), FILL(o1, 0)])', id: 'output', label: 'Output tokens' }],
      [{ expression: 'SUM([FILL(c0, 0), FILL(c1, 0)])', id: 'cost', label: 'Estimated cost (USD)' }],
    ]);
  });

  test('traffic: requests per model, and the error rate as metric math with the alarm threshold drawn', () => {
    expect(widget('Requests by model')).toMatchObject({
      stat: 'Sum',
      metrics: [gw('RequestCount', SONNET, { stat: 'Sum', label: 'claude-primary' }), gw('RequestCount', HAIKU, { stat: 'Sum', label: 'claude-fallback / claude-fast' })],
    });
    const errorRate = widget('Error rate (%)');
    expect(errorRate.metrics.map((m: unknown[]) => (m.length === 1 ? m[0] : [m[1], (m[4] as Json).id]))).toEqual([
      ['RequestCount', 'r0'],
      ['RequestCount', 'r1'],
      ['RequestErrors', 'e0'],
      ['RequestErrors', 'e1'],
      { expression: 'SUM([FILL(r0, 0), FILL(r1, 0)])', id: 'requests', visible: false },
      { expression: 'SUM([FILL(e0, 0), FILL(e1, 0)])', id: 'errors', visible: false },
      { expression: '100 * errors / requests', id: 'error_rate', label: 'Errors / requests (%)' },
    ]);
    expect(errorRate.annotations.horizontal).toEqual([{ label: 'Alarm', value: 5, color: '#d62728' }]);
  });

  test('latency: average per model, and p50/p95/p99 from Logs Insights over the metric lines', () => {
    expect(widget('Average response time by model (ms)').metrics).toEqual([
      gw('ResponseTimeMs', SONNET, { stat: 'Average', label: 'claude-primary' }),
      gw('ResponseTimeMs', HAIKU, { stat: 'Average', label: 'claude-fallback / claude-fast' }),
    ]);
    expect(widget('Response time percentiles p50 / p95 / p99 (ms)')).toEqual({
      query:
        `SOURCE '${GATEWAY.logGroupName}' | filter ispresent(litellm_metric) and ispresent(response_time_ms) | ` +
        'stats pct(response_time_ms, 50) as p50, pct(response_time_ms, 95) as p95, pct(response_time_ms, 99) as p99 by bin(5m)',
      region: 'us-east-1',
      title: 'Response time percentiles p50 / p95 / p99 (ms)',
      view: 'timeSeries',
    });
  });

  test('tokens without TotalTokens (observability.totalTokensMetric false): input + output per model, per request over the InputTokens sample count', () => {
    const leverBody = JSON.parse(resources(synth({ overrides: { observability: { totalTokensMetric: false } } }).json, 'aws_cloudwatch_dashboard').dashboard.dashboard_body);
    const widget = (title: string) => leverBody.widgets.find((w: Json) => w.properties.title === title).properties;
    const label = (i: number) => (i === 0 ? 'claude-primary' : 'claude-fallback / claude-fast');
    const sum = (id: string, i: number, hidden: boolean) => [
      gw('InputTokens', id, { id: `i${i}`, stat: 'Sum', label: label(i), visible: false }),
      gw('OutputTokens', id, { id: `o${i}`, stat: 'Sum', label: label(i), visible: false }),
      [{ expression: `i${i} + o${i}`, id: `t${i}`, label: label(i), ...(hidden ? { visible: false } : {}) }],
    ];
    expect(widget('Tokens per successful request by model').metrics).toEqual(
      [SONNET, HAIKU].flatMap((id, i) => [
        ...sum(id, i, true),
        gw('InputTokens', id, { id: `n${i}`, stat: 'SampleCount', label: label(i), visible: false }),
        [{ expression: `t${i} / n${i}`, id: `tpr${i}`, label: label(i) }],
      ]),
    );
    expect(widget('Total tokens by model (stacked)')).toMatchObject({ stacked: true, stat: 'Sum', metrics: [SONNET, HAIKU].flatMap((id, i) => sum(id, i, false)) });
  });

  test('tokens with TotalTokens (prod): tokens per successful request as Sum / SampleCount per model, and total tokens stacked', () => {
    const prodBody = JSON.parse(resources(synth({ environment: 'prod' }).json, 'aws_cloudwatch_dashboard').dashboard.dashboard_body);
    const widget = (title: string) => prodBody.widgets.find((w: Json) => w.properties.title === title).properties;
    expect(widget('Tokens per successful request by model').metrics).toEqual([
      gw('TotalTokens', SONNET, { id: 't0', stat: 'Sum', label: 'claude-primary', visible: false }),
      gw('TotalTokens', SONNET, { id: 'n0', stat: 'SampleCount', label: 'claude-primary', visible: false }),
      [{ expression: 't0 / n0', id: 'tpr0', label: 'claude-primary' }],
      gw('TotalTokens', HAIKU, { id: 't1', stat: 'Sum', label: 'claude-fallback / claude-fast', visible: false }),
      gw('TotalTokens', HAIKU, { id: 'n1', stat: 'SampleCount', label: 'claude-fallback / claude-fast', visible: false }),
      [{ expression: 't1 / n1', id: 'tpr1', label: 'claude-fallback / claude-fast' }],
    ]);
    expect(widget('Total tokens by model (stacked)')).toMatchObject({
      stacked: true,
      stat: 'Sum',
      metrics: [gw('TotalTokens', SONNET, { stat: 'Sum', label: 'claude-primary' }), gw('TotalTokens', HAIKU, { stat: 'Sum', label: 'claude-fallback / claude-fast' })],
    });
  });

  test('cost: cost per successful request per model, and a Logs Insights table by model and key alias', () => {
    expect(widget('Estimated cost per successful request by model (USD)').metrics.filter((m: unknown[]) => m.length === 1)).toEqual([
      [{ expression: 'c0 / k0', id: 'cpr0', label: 'claude-primary' }],
      [{ expression: 'c1 / k1', id: 'cpr1', label: 'claude-fallback / claude-fast' }],
    ]);
    expect(widget('Estimated cost by model and key alias (USD)')).toMatchObject({
      view: 'table',
      query:
        `SOURCE '${GATEWAY.logGroupName}' | filter ispresent(litellm_metric) and status_code = 200 | ` +
        'stats sum(response_cost) as cost_usd, count(*) as requests, sum(total_tokens) as tokens by model, key_alias | sort cost_usd desc | limit 100',
    });
  });

  test('ECS: AWS/ECS CPU and memory utilization of the service, average and maximum, with alarm lines', () => {
    for (const [title, name, threshold] of [
      ['ECS CPU utilization (% of task CPU)', 'CPUUtilization', 85],
      ['ECS memory utilization (% of task memory)', 'MemoryUtilization', 85],
    ] as const) {
      expect(widget(title)).toMatchObject({
        yAxis: { left: { min: 0, max: 100, showUnits: false } },
        annotations: { horizontal: [{ label: 'Alarm', value: threshold }] },
        metrics: [
          ['AWS/ECS', name, 'ClusterName', ECS.ClusterName, 'ServiceName', ECS.ServiceName, { stat: 'Average', label: 'Average' }],
          ['AWS/ECS', name, 'ClusterName', ECS.ClusterName, 'ServiceName', ECS.ServiceName, { stat: 'Maximum', label: 'Maximum' }],
        ],
      });
    }
  });

  test('ALB: requests with ELB and target 5xx, and target response time average and p99', () => {
    expect(widget('ALB requests and 5xx').metrics).toEqual([
      ['AWS/ApplicationELB', 'RequestCount', 'LoadBalancer', LB.LoadBalancer, { stat: 'Sum', label: 'Requests' }],
      ['AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', 'LoadBalancer', LB.LoadBalancer, { stat: 'Sum', label: 'ALB 5xx', yAxis: 'right' }],
      ['AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', 'LoadBalancer', LB.LoadBalancer, { stat: 'Sum', label: 'Target 5xx', yAxis: 'right' }],
    ]);
    expect(widget('Target response time (s)')).toMatchObject({
      annotations: { horizontal: [{ label: 'p99 alarm', value: 120 }] },
      metrics: [
        ['AWS/ApplicationELB', 'TargetResponseTime', 'LoadBalancer', LB.LoadBalancer, { stat: 'Average', label: 'Average' }],
        ['AWS/ApplicationELB', 'TargetResponseTime', 'LoadBalancer', LB.LoadBalancer, { stat: 'p99', label: 'p99' }],
      ],
    });
  });

  /** Dimensions AWS publishes per namespace, for the metrics this dashboard and the alarms use. */
  const AWS_METRICS: Record<string, { dimensions: string[][]; metrics: string[] }> = {
    'AWS/ApplicationELB': {
      dimensions: [['LoadBalancer'], ['LoadBalancer', 'TargetGroup'], ['TargetGroup', 'LoadBalancer']],
      metrics: ['RequestCount', 'HTTPCode_ELB_5XX_Count', 'HTTPCode_Target_5XX_Count', 'TargetResponseTime', 'UnHealthyHostCount', 'HealthyHostCount'],
    },
    'AWS/ECS': { dimensions: [['ClusterName', 'ServiceName']], metrics: ['CPUUtilization', 'MemoryUtilization'] },
    'ECS/ContainerInsights': { dimensions: [['ClusterName', 'ServiceName']], metrics: ['RunningTaskCount', 'DesiredTaskCount', 'CpuUtilized', 'MemoryUtilized'] },
    // VolumeBytesUsed: a cluster-level metric (Aurora User Guide, "Cluster-level metrics for Amazon Aurora").
    'AWS/RDS': { dimensions: [['DBClusterIdentifier']], metrics: ['ServerlessDatabaseCapacity', 'DatabaseConnections', 'VolumeBytesUsed'] },
    // docs.aws.amazon.com/bedrock/latest/userguide/monitoring-runtime-metrics.html
    'AWS/Bedrock': { dimensions: [['ModelId']], metrics: ['InvocationThrottles', 'Invocations', 'InputTokenCount', 'OutputTokenCount'] },
  };

  /** What the metric filters of this stack publish: name -> dimension keys. */
  const emitted = (synthesized: Json): Map<string, string[]> =>
    new Map(
      Object.values(resources(synthesized, 'aws_cloudwatch_log_metric_filter')).map((f: Json) => [
        `${f.metric_transformation.namespace}|${f.metric_transformation.name}`,
        Object.keys(f.metric_transformation.dimensions ?? {}),
      ]),
    );

  function checkReference(namespace: string, name: string, dims: Record<string, string>, synthesized: Json): void {
    const where = `${namespace} ${name} ${JSON.stringify(dims)}`;
    const aws = AWS_METRICS[namespace];
    if (aws) {
      expect({ where, known: aws.metrics.includes(name) }).toEqual({ where, known: true });
      expect({ where, dims: aws.dimensions.some((d) => JSON.stringify(d) === JSON.stringify(Object.keys(dims))) }).toEqual({ where, dims: true });
      return;
    }
    const ours = emitted(synthesized).get(`${namespace}|${name}`);
    expect({ where, emitted: ours !== undefined }).toEqual({ where, emitted: true });
    expect({ where, dims: Object.keys(dims) }).toEqual({ where, dims: ours });
    if ('Model' in dims) expect(CATALOGUE.modelIds).toContain(dims.Model);
  }

  test('every metric in the dashboard is one the stack emits or AWS publishes, with those dimensions', () => {
    let checked = 0;
    for (const w of widgets.filter((x) => x.type === 'metric')) {
      for (const m of w.properties.metrics as unknown[][]) {
        if (typeof m[0] !== 'string') continue; // an expression
        const end = typeof m[m.length - 1] === 'object' ? m.length - 1 : m.length;
        const pairs = m.slice(2, end) as string[];
        const dims = Object.fromEntries(pairs.flatMap((_, i) => (i % 2 === 0 ? [[pairs[i], pairs[i + 1]]] : [])));
        checkReference(m[0] as string, m[1] as string, dims, json);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  test('every metric an alarm reads is one the stack emits or AWS publishes, with those dimensions', () => {
    for (const alarm of Object.values(alarms) as Json[]) {
      if (alarm.metric_name) checkReference(alarm.namespace, alarm.metric_name, alarm.dimensions ?? {}, json);
      for (const q of alarm.metric_query ?? []) if (q.metric) checkReference(q.metric.namespace, q.metric.metric_name, q.metric.dimensions ?? {}, json);
    }
  });

  test('usage from Logs Insights (the lever): four filters besides the 422 / 429 counts (a lever of their own), and every widget and alarm reads a metric that exists', () => {
    const { json: dev } = synth({ overrides: LOGS_INSIGHTS });
    expect(Object.keys(resources(dev, 'aws_cloudwatch_log_metric_filter')).sort()).toEqual(
      ['filter-application-errors', 'filter-budget-refusals', 'filter-key-reconciler-failures', 'filter-rate-limited-calls', 'filter-request-count', 'filter-request-errors'],
    );
    const devWidgets: Json[] = JSON.parse(resources(dev, 'aws_cloudwatch_dashboard').dashboard.dashboard_body).widgets;
    for (const w of devWidgets.filter((x) => x.type === 'metric')) {
      for (const m of w.properties.metrics as unknown[][]) {
        if (typeof m[0] !== 'string') continue;
        const end = typeof m[m.length - 1] === 'object' ? m.length - 1 : m.length;
        const pairs = m.slice(2, end) as string[];
        checkReference(m[0] as string, m[1] as string, Object.fromEntries(pairs.flatMap((_, i) => (i % 2 === 0 ? [[pairs[i], pairs[i + 1]]] : []))), dev);
      }
    }
    for (const alarm of Object.values(resources(dev, 'aws_cloudwatch_metric_alarm')) as Json[]) {
      if (alarm.metric_name) checkReference(alarm.namespace, alarm.metric_name, alarm.dimensions ?? {}, dev);
      for (const q of alarm.metric_query ?? []) if (q.metric) checkReference(q.metric.namespace, q.metric.metric_name, q.metric.dimensions ?? {}, dev);
    }
    expect(devWidgets.filter((x) => x.type === 'log').length).toBeGreaterThan(devWidgets.filter((x) => x.type === 'metric').length / 2);
  });

  test('per-model series come from the catalogue: one model, one series', () => {
    const single = parseModelCatalogue(catalogueYaml([{ alias: 'claude-fast', model: HAIKU }]));
    const { json: one } = synth({ catalogue: single });
    const oneBody = JSON.parse(resources(one, 'aws_cloudwatch_dashboard').dashboard.dashboard_body);
    const byModel = oneBody.widgets.find((w: Json) => w.properties.title === 'Requests by model');
    expect(byModel.properties.metrics).toEqual([gw('RequestCount', HAIKU, { stat: 'Sum', label: 'claude-fast' })]);
    expect(resources(one, 'aws_cloudwatch_log_metric_filter')['filter-request-count'].pattern).toBe(`{ $.litellm_metric IS TRUE && ($.model = "${HAIKU}") }`);
  });

  test('the project catalogue (gateway-image/config/litellm_config.yaml) synthesizes', () => {
    const real = loadModelCatalogue();
    const { json: synthesized } = synth({ catalogue: real });
    expect(Object.keys(resources(synthesized, 'aws_cloudwatch_log_metric_filter'))).toHaveLength(8 + 2 + 5 + 1); // the seed's eight, the 422 / 429 counts, + per agent, + reconciler
    for (const modelId of real.modelIds) expect(resources(synthesized, 'aws_cloudwatch_dashboard').dashboard.dashboard_body).toContain(modelId);
  });

  test('values from another stack become Terraform interpolations inside a valid JSON body', () => {
    const app = Testing.app();
    const config = loadConfig({ environment: 'dev' });
    const producer = new TerraformStack(app, 'gateway');
    new AwsProvider(producer, 'aws', { region: 'us-east-1' });
    new LocalBackend(producer, { path: 'gateway.tfstate' });
    const group = new CloudwatchLogGroup(producer, 'log-group', { name: '/document-processing/llm-gateway' });
    const consumer = new ObservabilityStack(app, 'observability', {
      config,
      gateway: { ...GATEWAY, logGroupName: group.name, clusterName: group.id },
      database: { clusterIdentifier: group.arn, maxCapacity: Token.asNumber(group.retentionInDays) },
      catalogue: CATALOGUE,
    });
    // Cross-stack references are resolved when the whole app synthesizes.
    app.synth();
    const synthesized = JSON.parse(readFileSync(path.join(app.outdir, 'stacks', consumer.node.id, 'cdk.tf.json'), 'utf8'));
    const dashboardBody: string = synthesized.resource.aws_cloudwatch_dashboard.dashboard.dashboard_body;
    const interpolations = [...new Set(dashboardBody.match(/\$\{[^}]*\}/g))];
    expect(interpolations).toHaveLength(2);
    for (const i of interpolations) expect(i).toMatch(/^\$\{data\.terraform_remote_state\.[\w-]+\.outputs\.[\w-]+\}$/);
    expect(dashboardBody).not.toMatch(/TfToken/);
    const parsed = JSON.parse(dashboardBody.replace(/\$\{[^}]*\}/g, 'VALUE'));
    expect(parsed.widgets).toHaveLength(15 + 7);
    expect(parsed.widgets.find((w: Json) => w.type === 'log').properties.query).toMatch(/^SOURCE 'VALUE' \| /);
    expect(synthesized.resource.aws_cloudwatch_metric_alarm['alarm-db-capacity-max'].threshold).toMatch(/^\$\{data\.terraform_remote_state\./);
  });
});

describe('alarms', () => {
  const TOPIC = '${aws_sns_topic.alarm-topic.arn}';
  const SONNET_ALARM = 'alarm-bedrock-throttles-us-anthropic-claude-sonnet-4-5-20250929-v1-0';
  const HAIKU_ALARM = 'alarm-bedrock-throttles-us-anthropic-claude-haiku-4-5-20251001-v1-0';

  test('one alarm per entry of the alarm table (modules/observability/alarms.ts), each named <app>-<env>-<alarm>, notifying the topic on ALARM and OK', () => {
    expect(Object.keys(alarms).sort()).toEqual(stack.alarmSpecs.map((spec) => `alarm-${spec.key}`).sort());
    expect(Object.keys(alarms)).toEqual(expect.arrayContaining(['alarm-error-rate', SONNET_ALARM, HAIKU_ALARM, 'alarm-running-tasks']));
    for (const [id, alarm] of Object.entries(alarms) as Array<[string, Json]>) {
      expect(alarm).toMatchObject({ alarm_name: `document-processing-dev-${id.replace('alarm-', '')}`, actions_enabled: true, alarm_actions: [TOPIC], ok_actions: [TOPIC] });
      expect(alarm.alarm_description).toMatch(/ Runbook: docs\/runbook\.md#[a-z0-9-]+$/);
    }
  });

  // id, namespace, metric, dimensions, statistic, period, evaluation periods, datapoints, comparison, threshold, missing data
  const single: Array<[string, string, string, Json, Json, number, number, number | undefined, string, number, string]> = [
    ['alarm-alb-5xx', 'AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', LB, { statistic: 'Sum' }, 300, 1, undefined, 'GreaterThanThreshold', 5, 'notBreaching'],
    ['alarm-target-5xx', 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', LB, { statistic: 'Sum' }, 300, 1, undefined, 'GreaterThanThreshold', 5, 'notBreaching'],
    ['alarm-unhealthy-targets', 'AWS/ApplicationELB', 'UnHealthyHostCount', { TargetGroup: GATEWAY.targetGroupArnSuffix, ...LB }, { statistic: 'Maximum' }, 60, 5, 5, 'GreaterThanOrEqualToThreshold', 1, 'breaching'],
    ['alarm-p99-latency', 'AWS/ApplicationELB', 'TargetResponseTime', LB, { extended_statistic: 'p99' }, 300, 3, 3, 'GreaterThanThreshold', 120, 'notBreaching'],
    ['alarm-cpu-high', 'AWS/ECS', 'CPUUtilization', ECS, { statistic: 'Average' }, 300, 3, 3, 'GreaterThanThreshold', 85, 'notBreaching'],
    ['alarm-memory-high', 'AWS/ECS', 'MemoryUtilization', ECS, { statistic: 'Average' }, 300, 3, 3, 'GreaterThanThreshold', 85, 'notBreaching'],
    ['alarm-db-capacity-max', 'AWS/RDS', 'ServerlessDatabaseCapacity', { DBClusterIdentifier: DATABASE.clusterIdentifier }, { statistic: 'Average' }, 300, 3, 3, 'GreaterThanOrEqualToThreshold', DATABASE.maxCapacity, 'notBreaching'],
    // 80 % of 823, the default max_connections of Aurora PostgreSQL Serverless v2 at 4 ACU (modules/capacity).
    ['alarm-db-connections', 'AWS/RDS', 'DatabaseConnections', { DBClusterIdentifier: DATABASE.clusterIdentifier }, { statistic: 'Maximum' }, 300, 2, 2, 'GreaterThanThreshold', 658, 'notBreaching'],
    // 80 % of dev's 20 GiB storage budget, in bytes.
    ['alarm-db-storage', 'AWS/RDS', 'VolumeBytesUsed', { DBClusterIdentifier: DATABASE.clusterIdentifier }, { statistic: 'Maximum' }, 3600, 1, undefined, 'GreaterThanThreshold', Math.floor(20 * 1024 ** 3 * 0.8), 'notBreaching'],
    [SONNET_ALARM, 'AWS/Bedrock', 'InvocationThrottles', { ModelId: SONNET }, { statistic: 'Sum' }, 300, 1, undefined, 'GreaterThanThreshold', 10, 'notBreaching'],
    [HAIKU_ALARM, 'AWS/Bedrock', 'InvocationThrottles', { ModelId: HAIKU }, { statistic: 'Sum' }, 300, 1, undefined, 'GreaterThanThreshold', 10, 'notBreaching'],
    ['alarm-application-errors', NAMESPACE, 'ApplicationErrors', {}, { statistic: 'Sum' }, 300, 1, undefined, 'GreaterThanThreshold', 10, 'notBreaching'],
  ];

  test.each(single)('%s watches %s %s', (id, namespace, metricName, dimensions, stat, period, evaluationPeriods, datapoints, comparison, threshold, missing) => {
    const alarm = alarms[id];
    expect(alarm).toMatchObject({
      namespace,
      metric_name: metricName,
      ...stat,
      period,
      evaluation_periods: evaluationPeriods,
      comparison_operator: comparison,
      threshold,
      treat_missing_data: missing,
    });
    expect(alarm.dimensions ?? {}).toEqual(dimensions);
    expect(alarm.datapoints_to_alarm).toBe(datapoints);
    expect(alarm.metric_query).toBeUndefined();
  });

  test('gateway error rate: metric math over RequestErrors / RequestCount summed over the models, with a volume floor', () => {
    const alarm = alarms['alarm-error-rate'];
    expect(alarm).toMatchObject({ comparison_operator: 'GreaterThanThreshold', threshold: 5, evaluation_periods: 3, datapoints_to_alarm: 2, treat_missing_data: 'notBreaching' });
    expect(alarm.metric_name).toBeUndefined();
    const query = (id: string, name: string, model: string) => ({
      id,
      return_data: false,
      metric: { namespace: NAMESPACE, metric_name: name, dimensions: { Model: model }, stat: 'Sum', period: 300 },
    });
    expect(alarm.metric_query).toEqual([
      query('r0', 'RequestCount', SONNET),
      query('r1', 'RequestCount', HAIKU),
      query('e0', 'RequestErrors', SONNET),
      query('e1', 'RequestErrors', HAIKU),
      { id: 'requests', expression: 'SUM([FILL(r0, 0), FILL(r1, 0)])', label: 'Requests', return_data: false },
      { id: 'errors', expression: 'SUM([FILL(e0, 0), FILL(e1, 0)])', label: 'Errors', return_data: false },
      { id: 'error_rate', expression: 'IF(requests >= 10, 100 * errors / requests, 0)', label: 'Error rate (%)', return_data: true },
    ]);
  });

  test('running tasks without Container Insights (the lever): ALB healthy targets below the task floor for 15 minutes; silence pages', () => {
    const alarm = resources(synth({ overrides: { gateway: { containerInsights: false } } }).json, 'aws_cloudwatch_metric_alarm')['alarm-running-tasks'];
    expect(alarm).toMatchObject({
      namespace: 'AWS/ApplicationELB',
      metric_name: 'HealthyHostCount',
      dimensions: { TargetGroup: GATEWAY.targetGroupArnSuffix, ...LB },
      statistic: 'Minimum',
      period: 300,
      evaluation_periods: 3,
      datapoints_to_alarm: 3,
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      treat_missing_data: 'breaching',
    });
    expect(alarm.metric_query).toBeUndefined();
    const prod = resources(synth({ environment: 'prod', overrides: { gateway: { containerInsights: false } } }).json, 'aws_cloudwatch_metric_alarm');
    expect(prod['alarm-running-tasks']).toMatchObject({ metric_name: 'HealthyHostCount', threshold: 2 });
  });

  test('running tasks with Container Insights (dev and prod by default): desired minus running >= 1 for 15 minutes; silence pages', () => {
    const alarm = resources(synth({ environment: 'prod' }).json, 'aws_cloudwatch_metric_alarm')['alarm-running-tasks'];
    expect(alarm).toMatchObject({ comparison_operator: 'GreaterThanOrEqualToThreshold', threshold: 1, evaluation_periods: 3, datapoints_to_alarm: 3, treat_missing_data: 'breaching' });
    const ci = (id: string, name: string) => ({ id, return_data: false, metric: { namespace: 'ECS/ContainerInsights', metric_name: name, dimensions: ECS, stat: 'Average', period: 300 } });
    expect(alarm.metric_query).toEqual([
      ci('desired', 'DesiredTaskCount'),
      ci('running', 'RunningTaskCount'),
      { id: 'shortfall', expression: 'desired - running', label: 'Desired minus running tasks', return_data: true },
    ]);
  });

  test('thresholds follow the configuration', () => {
    const { json: tuned } = synth({
      overrides: { observability: { alarms: { errorRatePercent: 2, errorRateMinRequests: 50, cpuPercent: 70, bedrockThrottles: 1, unhealthyTargets: 2 } } },
    });
    const a = resources(tuned, 'aws_cloudwatch_metric_alarm');
    expect(a['alarm-error-rate'].threshold).toBe(2);
    expect(a['alarm-error-rate'].metric_query[6].expression).toBe('IF(requests >= 50, 100 * errors / requests, 0)');
    expect(a['alarm-cpu-high'].threshold).toBe(70);
    expect(a[SONNET_ALARM].threshold).toBe(1);
    expect(a['alarm-unhealthy-targets'].threshold).toBe(2);
  });

  test('token drift: one alarm per model wherever the gateway publishes token metrics (the default, dev and prod), none when off', () => {
    const drift = (j: Json) => Object.keys(resources(j, 'aws_cloudwatch_metric_alarm')).filter((k) => k.startsWith('alarm-token-drift-'));
    const expected = [`alarm-token-drift-${slug(SONNET)}`, `alarm-token-drift-${slug(HAIKU)}`];
    expect(drift(synth({ environment: 'prod' }).json).sort()).toEqual(expected.sort());
    expect(drift(synth().json).sort()).toEqual(expected.sort());
    expect(drift(synth({ overrides: LOGS_INSIGHTS }).json)).toEqual([]);
    expect(drift(synth({ environment: 'prod', overrides: { observability: { tokenDriftAlarm: false } } }).json)).toEqual([]);
  });

  test('bedrockMetricsModelId foundation-model: the throttling and drift alarms read ModelId = the foundation model id', () => {
    const a = resources(synth({ environment: 'prod', overrides: { observability: { bedrockMetricsModelId: 'foundation-model' } } }).json, 'aws_cloudwatch_metric_alarm');
    const base = SONNET.replace(/^us\./, '');
    expect(a[SONNET_ALARM].dimensions).toEqual({ ModelId: base });
    const bedrockDims = a[`alarm-token-drift-${slug(SONNET)}`].metric_query.filter((q: Json) => q.metric?.namespace === 'AWS/Bedrock').map((q: Json) => q.metric.dimensions);
    expect(bedrockDims).toEqual([{ ModelId: base }, { ModelId: base }]);
  });

  test('a model the gateway calls in another region gets no throttling alarm here, and a warning says why', () => {
    const mixed = parseModelCatalogue(
      catalogueYaml([
        { alias: 'claude-primary', model: SONNET },
        { alias: 'claude-west', model: 'anthropic.claude-3-haiku-20240307-v1:0', region: 'us-west-2' },
      ]),
    );
    const { stack: s, json: j } = synth({ catalogue: mixed });
    expect(Object.keys(resources(j, 'aws_cloudwatch_metric_alarm')).filter((k) => k.startsWith('alarm-bedrock'))).toEqual([SONNET_ALARM]);
    const warnings = s.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringMatching(/no Bedrock throttling alarm for anthropic\.claude-3-haiku-20240307-v1:0: the gateway calls it in us-west-2, .* alarms live in us-east-1/)]);
  });
});

describe('alarm topic', () => {
  test('encrypted with a rotating customer managed key whose policy admits CloudWatch (alias/aws/sns would not)', () => {
    expect(text).toHaveResourceWithProperties(SnsTopic, { name: 'document-processing-dev-alarms', kms_master_key_id: '${aws_kms_key.alarm-topic-key.arn}' });
    expect(text).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, policy: '${data.aws_iam_policy_document.alarm-topic-key-policy.json}' });
    const statements: Json[] = json.data.aws_iam_policy_document['alarm-topic-key-policy'].statement;
    expect(statements.find((s) => s.sid === 'CloudWatchAlarmsPublish')).toMatchObject({
      principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['${data.aws_caller_identity.caller.account_id}'] }],
    });
    expect(json.resource.aws_kms_alias['alarm-topic-key-alias'].name).toBe('alias/document-processing-dev-alarms');
  });

  test('no e-mail subscription by default; one per configured address', () => {
    expect(resources(json, 'aws_sns_topic_subscription')).toEqual({});
    const { json: withEmails } = synth({ overrides: { observability: { alarmEmails: ['oncall@example.com', 'team.lead@example.com'] } } });
    const subs = resources(withEmails, 'aws_sns_topic_subscription');
    expect(Object.keys(subs).sort()).toEqual(['alarm-email-oncall-example-com', 'alarm-email-team-lead-example-com']);
    expect(subs['alarm-email-oncall-example-com']).toMatchObject({ protocol: 'email', endpoint: 'oncall@example.com', topic_arn: '${aws_sns_topic.alarm-topic.arn}' });
  });
});

describe('stack', () => {
  test('outputs: the console URL of the dashboard and the topic ARN', () => {
    expect(json.output['dashboard_url'].value).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/LlmGateway-document-processing',
    );
    expect(json.output['alarm_topic_arn'].value).toBe('${aws_sns_topic.alarm-topic.arn}');
  });

  test('creates nothing of the gateway: only filters, a dashboard, alarms, their topic and the budgets', () => {
    expect(Object.keys(json.resource).sort()).toEqual([
      'aws_budgets_budget',
      'aws_cloudwatch_dashboard',
      'aws_cloudwatch_log_metric_filter',
      'aws_cloudwatch_metric_alarm',
      'aws_kms_alias',
      'aws_kms_key',
      'aws_sns_topic',
      'aws_sns_topic_policy',
    ]);
    expect(Object.keys(json.data).sort()).toEqual(['aws_caller_identity', 'aws_iam_policy_document', 'aws_partition']);
  });

  test('dev may run with nobody subscribed (allowUnsubscribedAlarms defaults to true there only)', () => {
    expect(loadConfig({ environment: 'dev' }).observability.allowUnsubscribedAlarms).toBe(true);
    expect(loadConfig({ environment: 'prod' }).observability.allowUnsubscribedAlarms).toBe(false);
    expect(() => synth()).not.toThrow();
  });

  test('its state is its own (<app>/<env>/observability.tfstate); prod synthesizes too', () => {
    const app = Testing.app();
    const config = loadConfig({ environment: 'prod', overrides: { observability: { alarmEmails: ['oncall@example.com'] } } });
    const backend = { bucket: 'org-tfstate', region: 'us-east-1', encrypt: true, useLockfile: true };
    const prod = new ObservabilityStack(app, 'observability', { config, backend, gateway: GATEWAY, database: DATABASE, catalogue: CATALOGUE });
    const synthesized = JSON.parse(Testing.synth(prod, true));
    expect(synthesized.terraform.backend.s3).toMatchObject({ bucket: 'org-tfstate', key: 'document-processing/prod/observability.tfstate' });
    expect(synthesized.resource.aws_cloudwatch_metric_alarm['alarm-cpu-high'].alarm_name).toBe('document-processing-prod-cpu-high');
  });

  test('passes the gateway policy pack (encrypted topic, rotating key, no wildcard grants)', () => {
    const report = evaluateStack(stack, { environment: 'dev' });
    expect(report.findings.filter((f) => f.status === 'fail')).toEqual([]);
    const checked = Object.fromEntries(report.rows.map((row) => [row.rule, row.checked]));
    expect(checked).toMatchObject({ 'sns-encrypted': 1, 'kms-key-rotation': 1, 'iam-no-wildcards': 2 });
  });
});

describe('spend backstop: AWS Budgets (modules/observability/budgets.ts)', () => {
  const TOPIC = '${aws_sns_topic.alarm-topic.arn}';
  const ACCOUNT = '${data.aws_caller_identity.caller.account_id}';
  const PARTITION = '${data.aws_partition.partition.partition}';
  const notifications = (thresholds: number[]) => [
    ...thresholds.map((threshold) => ({ comparison_operator: 'GREATER_THAN', notification_type: 'ACTUAL', threshold, threshold_type: 'PERCENTAGE', subscriber_sns_topic_arns: [TOPIC] })),
    { comparison_operator: 'GREATER_THAN', notification_type: 'FORECASTED', threshold: 100, threshold_type: 'PERCENTAGE', subscriber_sns_topic_arns: [TOPIC] },
  ];

  test('dev: a monthly Bedrock budget on the service "Amazon Bedrock", alerts at 80 %, 100 % and forecast 100 % to the alarm topic', () => {
    expect(resources(json, 'aws_budgets_budget')['budget-bedrock']).toEqual(
      expect.objectContaining({
        name: 'document-processing-dev-spend-bedrock',
        account_id: ACCOUNT,
        budget_type: 'COST',
        time_unit: 'MONTHLY',
        limit_amount: '100.00',
        limit_unit: 'USD',
        cost_filter: [{ name: 'Service', values: ['Amazon Bedrock'] }],
        notification: notifications([80, 100]),
      }),
    );
  });

  test("dev: the environment's budget filters on the cost allocation tag user:env$dev", () => {
    expect(resources(json, 'aws_budgets_budget')['budget-total']).toMatchObject({
      name: 'document-processing-dev-spend-total',
      limit_amount: '150.00',
      cost_filter: [{ name: 'TagKeyValue', values: ['user:env$dev'] }],
      notification: notifications([80, 100]),
    });
  });

  test('prod: amounts from its configuration and its own tag value; overrides change amounts, thresholds and services', () => {
    const prod = resources(synth({ environment: 'prod' }).json, 'aws_budgets_budget');
    expect(prod['budget-bedrock']).toMatchObject({ name: 'document-processing-prod-spend-bedrock', limit_amount: '1000.00' });
    expect(prod['budget-total']).toMatchObject({ limit_amount: '400.00', cost_filter: [{ name: 'TagKeyValue', values: ['user:env$prod'] }] });
    const tuned = resources(
      synth({ overrides: { observability: { budgets: { bedrockMonthlyUsd: 42.5, thresholdsPercent: [50, 90, 120], bedrockServices: ['Amazon Bedrock', 'Claude (Amazon Bedrock Edition)'] } } } }).json,
      'aws_budgets_budget',
    );
    expect(tuned['budget-bedrock']).toMatchObject({
      limit_amount: '42.50',
      cost_filter: [{ name: 'Service', values: ['Amazon Bedrock', 'Claude (Amazon Bedrock Edition)'] }],
      notification: notifications([50, 90, 120]),
    });
  });

  test('the topic policy lets Budgets and CloudWatch publish, each only for this account, and keeps the account in control', () => {
    expect(resources(json, 'aws_sns_topic_policy')['alarm-topic-policy']).toEqual({
      arn: TOPIC,
      policy: '${data.aws_iam_policy_document.alarm-topic-policy-document.json}',
    });
    const statements: Json[] = json.data.aws_iam_policy_document['alarm-topic-policy-document'].statement;
    expect(statements.map((s) => s.sid)).toEqual(['AccountManagesTopic', 'CloudWatchAlarmsPublish', 'BudgetsPublish']);
    expect(statements[2]).toEqual({
      sid: 'BudgetsPublish',
      principals: [{ type: 'Service', identifiers: ['budgets.amazonaws.com'] }],
      actions: ['SNS:Publish'],
      resources: [TOPIC],
      condition: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
        { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${PARTITION}:budgets::${ACCOUNT}:*`] },
      ],
    });
    expect(statements[1]).toMatchObject({
      principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
      actions: ['SNS:Publish'],
      condition: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
        { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${PARTITION}:cloudwatch:us-east-1:${ACCOUNT}:alarm:*`] },
      ],
    });
    expect(statements[0].principals).toEqual([{ type: 'AWS', identifiers: [`arn:${PARTITION}:iam::${ACCOUNT}:root`] }]);
  });

  test("the topic's KMS key lets Budgets generate data keys (an encrypted topic needs it), for this account's budgets only", () => {
    const statements: Json[] = json.data.aws_iam_policy_document['alarm-topic-key-policy'].statement;
    expect(statements.find((s) => s.sid === 'BudgetsPublish')).toEqual({
      sid: 'BudgetsPublish',
      principals: [{ type: 'Service', identifiers: ['budgets.amazonaws.com'] }],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      condition: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
        { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${PARTITION}:budgets::${ACCOUNT}:*`] },
      ],
    });
  });

  test('observability.budgets.enabled = false: no budgets, no topic policy, no Budgets grant in the key policy', () => {
    const { json: off } = synth({ overrides: { observability: { budgets: { enabled: false } } } });
    expect(off.resource.aws_budgets_budget).toBeUndefined();
    expect(off.resource.aws_sns_topic_policy).toBeUndefined();
    const sids = off.data.aws_iam_policy_document['alarm-topic-key-policy'].statement.map((s: Json) => s.sid);
    expect(sids).not.toContain('BudgetsPublish');
  });

  describe('the Bedrock hard stop (observability.budgets.hardStop)', () => {
    const prod = synth({ environment: 'prod' });
    const TASK_ROLE_ARN = GATEWAY.taskRoleArn;
    const DENY_ARN = '${aws_iam_policy.bedrock-hard-stop-policy.arn}';

    test('off in dev by default, on in prod: an AWS Budgets action on the Bedrock budget past the ceiling, automatic, notifying the alarm topic', () => {
      expect(json.resource.aws_budgets_budget_action).toBeUndefined();
      expect(resources(prod.json, 'aws_budgets_budget_action')).toEqual({
        'bedrock-hard-stop': expect.objectContaining({
          account_id: ACCOUNT,
          budget_name: '${aws_budgets_budget.budget-bedrock.name}',
          action_type: 'APPLY_IAM_POLICY',
          approval_model: 'AUTOMATIC',
          notification_type: 'ACTUAL',
          action_threshold: { action_threshold_type: 'ABSOLUTE_VALUE', action_threshold_value: 1500 },
          definition: { iam_action_definition: { policy_arn: DENY_ARN, roles: [GATEWAY.taskRoleName] } },
          execution_role_arn: '${aws_iam_role.bedrock-hard-stop-role.arn}',
          subscriber: [{ subscription_type: 'SNS', address: TOPIC }],
        }),
      });
      const dev = resources(synth({ overrides: { observability: { budgets: { hardStop: { enabled: true, bedrockMonthlyUsd: 120 } } } } }).json, 'aws_budgets_budget_action');
      expect(dev['bedrock-hard-stop'].action_threshold.action_threshold_value).toBe(120);
    });

    test('the attached policy denies InvokeModel and InvokeModelWithResponseStream (Converse is authorized as those) on everything', () => {
      const doc = prod.json.data.aws_iam_policy_document['bedrock-hard-stop-policy-document'];
      expect(doc.statement).toEqual([
        { sid: 'BedrockHardStop', effect: 'Deny', actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], resources: ['*'] },
      ]);
      expect(resources(prod.json, 'aws_iam_policy')['bedrock-hard-stop-policy'].policy).toBe('${data.aws_iam_policy_document.bedrock-hard-stop-policy-document.json}');
    });

    test("its execution role: trusted by Budgets for this account's Bedrock budget only; exactly attach/detach of that policy on the task role", () => {
      const docs = prod.json.data.aws_iam_policy_document;
      expect(docs['bedrock-hard-stop-trust'].statement).toEqual([
        {
          principals: [{ type: 'Service', identifiers: ['budgets.amazonaws.com'] }],
          actions: ['sts:AssumeRole'],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
            { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${PARTITION}:budgets::${ACCOUNT}:budget/\${aws_budgets_budget.budget-bedrock.name}*`] },
          ],
        },
      ]);
      expect(docs['bedrock-hard-stop-role-document'].statement).toEqual([
        {
          sid: 'AttachTheDenyPolicyToTheTaskRoleOnly',
          actions: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
          resources: [TASK_ROLE_ARN],
          condition: [{ test: 'ArnEquals', variable: 'iam:PolicyARN', values: [DENY_ARN] }],
        },
      ]);
      expect(resources(prod.json, 'aws_iam_role')['bedrock-hard-stop-role']).toMatchObject({
        name: 'document-processing-prod-bedrock-hard-stop',
        assume_role_policy: '${data.aws_iam_policy_document.bedrock-hard-stop-trust.json}',
      });
      expect(resources(prod.json, 'aws_iam_role_policy')['bedrock-hard-stop-role-policy']).toMatchObject({ role: '${aws_iam_role.bedrock-hard-stop-role.id}' });
    });

    test('refused without the budgets, and below the Bedrock budget (the alerts come first)', () => {
      expect(() => loadConfig({ environment: 'prod', overrides: { observability: { budgets: { enabled: false } } } })).toThrow(
        /observability\.budgets\.hardStop\.enabled: got true; allowed: false, or observability\.budgets\.enabled true/,
      );
      expect(() => loadConfig({ environment: 'prod', overrides: { observability: { budgets: { hardStop: { bedrockMonthlyUsd: 999 } } } } })).toThrow(
        /observability\.budgets\.hardStop\.bedrockMonthlyUsd: got 999; allowed: at least observability\.budgets\.bedrockMonthlyUsd \(1000\)/,
      );
      expect(() => loadConfig({ environment: 'prod', overrides: { observability: { budgets: { hardStop: { bedrockMonthlyUsd: 1000 } } } } })).not.toThrow();
      expect(() => loadConfig({ environment: 'prod', overrides: { observability: { budgets: { enabled: false, hardStop: { enabled: false } } } } })).not.toThrow();
    });

    test('passes the policy pack (no Allow on a wildcard)', () => {
      const report = evaluateStack(prod.stack, { environment: 'prod' });
      expect(report.findings.filter((f) => f.status === 'fail')).toEqual([]);
    });
  });

  test('more than five notifications per budget is refused', () => {
    expect(() => budgetNotifications([10, 20, 30, 40, 50], 'arn:aws:sns:us-east-1:123456789012:t')).toThrow(/6 notifications .* at most 5 per budget/);
  });
});
