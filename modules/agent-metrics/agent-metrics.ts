/**
 * Spend per agent: metric filters that publish requests, tokens and cost with an `Agent` dimension (the metric
 * line's `key_alias`, which LiteLLM fills from the caller's virtual key: StandardLoggingPayload
 * `metadata.user_api_key_alias`), and the dashboard rows that show them. Self-contained: the observability stack
 * adds the filters and appends the rows.
 */
import { MetricStat, Widget, logsInsightsWidget, mathExpression, metric, metricWidget, textWidget } from '../dashboard';
import { METRIC_LINE_FIELDS, MetricLineField, metricLineSelector, quote } from '../metric-line';

export const AGENT_DIMENSION = 'Agent';
/** CloudWatch Logs caps a filter pattern at 1024 characters (PutMetricFilter filterPattern). */
export const MAX_AGENT_FILTER_PATTERN_LENGTH = 1024;

export interface AgentMetric {
  readonly name: string;
  readonly pattern: string;
  /** `1` (count the line) or a JSON selector of the metric line. */
  readonly value: string;
  readonly unit: 'Count' | 'None';
  /** Construct id / physical name component, e.g. `agent-request-count`. */
  readonly component: string;
}

/**
 * The filters behind the per-agent widgets. The pattern lists the declared agents: every distinct dimension value is
 * a billed custom metric, and CloudWatch Logs disables a filter that mints 1,000 of them in an hour; a key someone
 * made by hand (or `unknown`, a call without a key alias) is not an agent and is left to the Logs Insights table.
 * One dimension, so these series stay separate from the per-model ones (a metric is identified by all its
 * dimensions: adding Agent to the per-model filters would split every existing series).
 */
export function agentMetrics(agents: readonly string[]): AgentMetric[] {
  if (agents.length === 0) throw new Error('observability: no agents declared; expected at least one (config agents)');
  const $ = (field: MetricLineField) => metricLineSelector(field);
  const declared = `(${agents.map((a) => `${$('keyAlias')} = ${quote(a)}`).join(' || ')})`;
  const every = `{ ${$('marker')} IS TRUE && ${declared} }`;
  const success = `{ ${$('marker')} IS TRUE && ${declared} && ${$('statusCode')} = 200 }`;
  const metrics: AgentMetric[] = [
    { name: 'AgentRequestCount', pattern: every, value: '1', unit: 'Count', component: 'agent-request-count' },
    { name: 'AgentRequestErrors', pattern: `{ ${$('marker')} IS TRUE && ${declared} && ${$('statusCode')} >= 400 }`, value: '1', unit: 'Count', component: 'agent-request-errors' },
    { name: 'AgentInputTokens', pattern: success, value: $('promptTokens'), unit: 'Count', component: 'agent-input-tokens' },
    { name: 'AgentOutputTokens', pattern: success, value: $('completionTokens'), unit: 'Count', component: 'agent-output-tokens' },
    // Dollars are not a CloudWatch unit.
    { name: 'AgentResponseCostUSD', pattern: success, value: $('responseCost'), unit: 'None', component: 'agent-response-cost' },
  ];
  // Patterns longer than MAX_AGENT_FILTER_PATTERN_LENGTH: refused by the checks of modules/catalogue-checks.ts.
  return metrics;
}

/**
 * Lines of the key reconciler (gateway-image/reconciler/reconcile_keys.py, one JSON object per line) that say a key
 * is not in place: `{"key_reconciler": "failed", "message": "reconcile_keys: <agent>: FAILED: ..."}`.
 */
export const RECONCILER_LOG_FIELD = 'key_reconciler';
export const RECONCILER_FAILURE_PATTERN = `{ $.${RECONCILER_LOG_FIELD} = "failed" }`;

export function reconcilerFailureMetric(): AgentMetric {
  return { name: 'KeyReconcilerFailures', pattern: RECONCILER_FAILURE_PATTERN, value: '1', unit: 'Count', component: 'key-reconciler-failures' };
}

/** The metric transformation's dimensions of every agent metric. */
export function agentDimensions(): Record<string, string> {
  return { [AGENT_DIMENSION]: metricLineSelector('keyAlias') };
}

export interface AgentWidgetsProps {
  readonly agents: readonly string[];
  readonly namespace: string;
  readonly region: string;
}

/** Titles of the per-agent widgets, for the README's agent-to-widget map and the tests. */
export const AGENT_WIDGET_TITLES = {
  header: 'Per agent',
  costTotals: 'Estimated cost by agent over the time range (USD)',
  tokenTotals: 'Tokens by agent over the time range (input + output)',
  cost: 'Estimated cost by agent (USD, stacked)',
  tokens: 'Tokens by agent (input + output, stacked)',
  requests: 'Requests by agent',
  errors: 'Errors by agent',
} as const;

/** Titles of the per-agent widgets with observability.usageMetrics "logs-insights": tables instead of metrics. */
export const AGENT_INSIGHTS_TITLES = {
  header: AGENT_WIDGET_TITLES.header,
  usage: 'Requests, tokens and estimated cost by agent (USD)',
  errors: 'Errors by agent and status',
} as const;

/**
 * Three rows: totals over the dashboard's time range (one number per agent), cost and tokens over time (stacked, so
 * the top line is the gateway's total), requests and errors. Metric ids are `<kind><index>` in declared order.
 */
export function agentWidgetRows(props: AgentWidgetsProps): Widget[][] {
  const { agents, namespace, region } = props;
  const m = (metricName: string, agent: string, options: { id?: string; visible?: boolean } = {}): MetricStat =>
    metric({
      namespace,
      metricName,
      dimensions: { [AGENT_DIMENSION]: agent },
      stat: 'Sum',
      label: agent,
      ...(options.id !== undefined ? { id: options.id } : {}),
      ...(options.visible === false ? { visible: false } : {}),
    });
  const tokens = () =>
    agents.flatMap((agent, i) => [
      m('AgentInputTokens', agent, { id: `i${i}`, visible: false }),
      m('AgentOutputTokens', agent, { id: `o${i}`, visible: false }),
      mathExpression({ id: `t${i}`, expression: `FILL(i${i}, 0) + FILL(o${i}, 0)`, label: agent }),
    ]);
  const header = textWidget({
    markdown:
      `## ${AGENT_WIDGET_TITLES.header}\n` +
      `One series per agent (\`${AGENT_DIMENSION}\` = the agent's LiteLLM key alias): ${agents.map((a) => `\`${a}\``).join(', ')}. ` +
      'Calls with another key are not in these series; see the cost table by key alias above. docs/agents.md.',
  });
  return [
    [header],
    [
      metricWidget({ title: AGENT_WIDGET_TITLES.costTotals, region, view: 'bar', setPeriodToTimeRange: true, metrics: agents.map((a) => m('AgentResponseCostUSD', a)) }),
      metricWidget({ title: AGENT_WIDGET_TITLES.tokenTotals, region, view: 'bar', setPeriodToTimeRange: true, metrics: tokens() }),
    ],
    [
      metricWidget({ title: AGENT_WIDGET_TITLES.cost, region, stacked: true, metrics: agents.map((a) => m('AgentResponseCostUSD', a)) }),
      metricWidget({ title: AGENT_WIDGET_TITLES.tokens, region, stacked: true, metrics: tokens() }),
    ],
    [
      metricWidget({ title: AGENT_WIDGET_TITLES.requests, region, stat: 'Sum', metrics: agents.map((a) => m('AgentRequestCount', a)) }),
      metricWidget({ title: AGENT_WIDGET_TITLES.errors, region, stat: 'Sum', metrics: agents.map((a) => m('AgentRequestErrors', a)) }),
    ],
  ];
}

export interface AgentInsightsProps {
  readonly agents: readonly string[];
  readonly logGroupName: string;
  readonly region: string;
}

/**
 * The per-agent rows without agent metrics (observability.usageMetrics "logs-insights"): Logs Insights tables over
 * the same metric lines, restricted to the declared agents like the metric filters are.
 */
export function agentInsightsRows(props: AgentInsightsProps): Widget[][] {
  const { agents, logGroupName, region } = props;
  if (agents.length === 0) throw new Error('observability: no agents declared; expected at least one (config agents)');
  const line = METRIC_LINE_FIELDS;
  // `in` tests set membership of complete strings (CloudWatch Logs User Guide, Logs Insights `filter`).
  const declared = `${line.keyAlias} in [${agents.map(quote).join(', ')}]`;
  const header = textWidget({
    markdown:
      `## ${AGENT_WIDGET_TITLES.header}\n` +
      `The declared agents (\`${line.keyAlias}\` = the agent's LiteLLM key alias): ${agents.map((a) => `\`${a}\``).join(', ')}, from Logs ` +
      'Insights on the metric lines. Calls with another key: the cost table by key alias above. docs/agents.md.',
  });
  return [
    [header],
    [
      logsInsightsWidget({
        title: AGENT_INSIGHTS_TITLES.usage,
        region,
        view: 'table',
        logGroupNames: [logGroupName],
        query: [
          `filter ispresent(${line.marker}) and ${line.statusCode} = 200 and ${declared}`,
          `stats count(*) as requests, sum(${line.promptTokens}) as input_tokens, sum(${line.completionTokens}) as output_tokens, ` +
            `sum(${line.responseCost}) as cost_usd by ${line.keyAlias}`,
          'sort cost_usd desc',
        ],
      }),
      logsInsightsWidget({
        title: AGENT_INSIGHTS_TITLES.errors,
        region,
        view: 'table',
        logGroupNames: [logGroupName],
        query: [`filter ispresent(${line.marker}) and ${line.statusCode} >= 400 and ${declared}`, `stats count(*) as errors by ${line.keyAlias}, ${line.statusCode}`, 'sort errors desc'],
      }),
    ],
  ];
}
