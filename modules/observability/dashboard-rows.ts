/**
 * The rows of the gateway's dashboard, as a pure function of what it shows: no construct, no Terraform resource, so
 * a test reads the rows directly. Values known only at apply time (log group, cluster, ALB) may be tokens.
 */
import type { AlarmThresholds } from '../../config/observability';
import { agentInsightsRows, agentWidgetRows } from '../agent-metrics';
import { MetricStat, Statistic, Widget, logsInsightsWidget, mathExpression, metric, metricWidget, textWidget } from '../dashboard';
import { METRIC_LINE_FIELDS } from '../metric-line';
import { GUARDRAIL_NAMESPACE, guardrailDimensions, sumOf } from './alarms';
import { MODEL_DIMENSION, MetricSelection } from './metrics';

export interface DashboardModel {
  readonly modelId: string;
  /** Legend label: the aliases callers use for it, e.g. `claude-fallback / claude-fast`. */
  readonly label: string;
}

export interface DashboardInput {
  readonly appName: string;
  readonly environment: string;
  readonly region: string;
  /** Namespace of the gateway's metrics (observability.metricNamespace). */
  readonly namespace: string;
  readonly logGroupName: string;
  /** Distinct Bedrock model ids in catalogue order. */
  readonly models: readonly DashboardModel[];
  /** Alarm thresholds, drawn as annotations. */
  readonly thresholds: AlarmThresholds;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly albArnSuffix: string;
  /** Declared agents, in order. */
  readonly agents: readonly string[];
  readonly guardrail?: { readonly arn: string; readonly version: string };
  /** Which metrics exist (metrics.ts selectGatewayMetrics): widgets read only those, the rest is Logs Insights. */
  readonly selection: MetricSelection;
  /** gateway.schedule: the active hours, and the alarms judged inside them only (a text row under the header). */
  readonly offHours?: { readonly description: string; readonly alarms: readonly string[] };
}

/** Where every widget links for what an alarm means. */
export const RUNBOOK_DOC = 'docs/runbook.md';

export function dashboardRows(input: DashboardInput): Widget[][] {
  const { region, thresholds: alarms, logGroupName } = input;
  const line = METRIC_LINE_FIELDS;
  const fromLogs = input.selection.usage === 'logs-insights';
  const modelIds = input.models.map((m) => m.modelId);
  const label = (modelId: string): string => input.models.find((m) => m.modelId === modelId)?.label ?? modelId;

  const gatewayMetric = (name: string, modelId: string, stat: Statistic, options: { id?: string; visible?: boolean; label?: string } = {}): MetricStat =>
    metric({
      namespace: input.namespace,
      metricName: name,
      dimensions: { [MODEL_DIMENSION]: modelId },
      stat,
      label: options.label ?? label(modelId),
      ...(options.id !== undefined ? { id: options.id } : {}),
      ...(options.visible === false ? { visible: false } : {}),
    });
  /** Hidden per-model metrics `<prefix>0..n` and the ids to sum them. */
  const perModelInputs = (name: string, prefix: string, stat: Statistic): { metrics: MetricStat[]; ids: string[] } => {
    const ids = modelIds.map((_, i) => `${prefix}${i}`);
    return { metrics: modelIds.map((modelId, i) => gatewayMetric(name, modelId, stat, { id: ids[i], visible: false })), ids };
  };
  const insights = (title: string, query: readonly string[], view: 'table' | 'timeSeries' | 'bar' = 'table') =>
    logsInsightsWidget({ title, region, view, logGroupNames: [logGroupName], query });
  const metricLines = `filter ispresent(${line.marker})`;
  const successLines = `filter ispresent(${line.marker}) and ${line.statusCode} = 200`;

  const requests = perModelInputs('RequestCount', 'r', 'Sum');
  const errors = perModelInputs('RequestErrors', 'e', 'Sum');

  const header = textWidget({
    markdown:
      `## LLM gateway — ${input.appName} (${input.environment})\n` +
      (fromLogs
        ? `Requests and errors are metrics from the gateway's metric line in \`${logGroupName}\` (namespace \`${input.namespace}\`, ` +
          'one series per Bedrock model id); tokens, cost and latency are Logs Insights queries on the same lines ' +
          '(observability.usageMetrics "logs-insights": history as long as the log retention). '
        : `Request, token, cost and latency metrics come from the gateway's metric line in \`${logGroupName}\` ` +
          `(namespace \`${input.namespace}\`, one series per Bedrock model id). `) +
      `Cost is LiteLLM's estimate from its price map, not the bill. Runbook: ${RUNBOOK_DOC}.`,
  });

  const totalRequests = metricWidget({
    title: 'Total requests',
    region,
    view: 'singleValue',
    setPeriodToTimeRange: true,
    metrics: [...requests.metrics, mathExpression({ id: 'requests', expression: sumOf(requests.ids), label: 'Requests (all models)' })],
  });
  const usageTotals = (): Widget => {
    if (fromLogs) {
      return insights('Input tokens, output tokens, estimated cost (USD)', [
        successLines,
        `stats sum(${line.promptTokens}) as input_tokens, sum(${line.completionTokens}) as output_tokens, sum(${line.responseCost}) as cost_usd`,
      ]);
    }
    const input_ = perModelInputs('InputTokens', 'i', 'Sum');
    const output = perModelInputs('OutputTokens', 'o', 'Sum');
    const cost = perModelInputs('ResponseCostUSD', 'c', 'Sum');
    return metricWidget({
      title: 'Input tokens, output tokens, estimated cost (USD)',
      region,
      view: 'singleValue',
      setPeriodToTimeRange: true,
      metrics: [
        ...input_.metrics,
        ...output.metrics,
        ...cost.metrics,
        mathExpression({ id: 'input', expression: sumOf(input_.ids), label: 'Input tokens' }),
        mathExpression({ id: 'output', expression: sumOf(output.ids), label: 'Output tokens' }),
        mathExpression({ id: 'cost', expression: sumOf(cost.ids), label: 'Estimated cost (USD)' }),
      ],
    });
  };
  const kpis: Widget[] = [totalRequests, usageTotals()];

  const traffic: Widget[] = [
    metricWidget({
      title: 'Requests by model',
      region,
      stat: 'Sum',
      metrics: modelIds.map((id) => gatewayMetric('RequestCount', id, 'Sum')),
    }),
    metricWidget({
      title: 'Error rate (%)',
      region,
      yAxis: { left: { min: 0, showUnits: false } },
      horizontalAnnotations: [{ label: 'Alarm', value: alarms.errorRatePercent, color: '#d62728' }],
      metrics: [
        ...requests.metrics,
        ...errors.metrics,
        mathExpression({ id: 'requests', expression: sumOf(requests.ids), visible: false }),
        mathExpression({ id: 'errors', expression: sumOf(errors.ids), visible: false }),
        mathExpression({ id: 'error_rate', expression: '100 * errors / requests', label: 'Errors / requests (%)' }),
      ],
    }),
  ];

  const latency: Widget[] = [
    fromLogs
      ? insights(
          'Average response time by model (ms)',
          [metricLines, `stats avg(${line.responseTimeMs}) as average_ms, count(*) as requests by ${line.model}`, 'sort average_ms desc'],
          'bar',
        )
      : metricWidget({
          title: 'Average response time by model (ms)',
          region,
          stat: 'Average',
          metrics: modelIds.map((id) => gatewayMetric('ResponseTimeMs', id, 'Average')),
        }),
    logsInsightsWidget({
      title: 'Response time percentiles p50 / p95 / p99 (ms)',
      region,
      view: 'timeSeries',
      logGroupNames: [logGroupName],
      query: [
        `filter ispresent(${line.marker}) and ispresent(${line.responseTimeMs})`,
        `stats pct(${line.responseTimeMs}, 50) as p50, pct(${line.responseTimeMs}, 95) as p95, pct(${line.responseTimeMs}, 99) as p99 by bin(5m)`,
      ],
    }),
  ];

  const tokens = fromLogs ? tokenRowFromLogs() : tokenRowFromMetrics();
  function tokenRowFromLogs(): Widget[] {
    return [
      insights('Tokens per successful request by model', [
        successLines,
        `stats avg(${line.totalTokens}) as tokens_per_request, sum(${line.promptTokens}) as input_tokens, ` +
          `sum(${line.completionTokens}) as output_tokens by ${line.model}`,
        'sort tokens_per_request desc',
      ]),
      // Logs Insights draws a line per aggregate when grouped by bin() alone (CloudWatch Logs User Guide, "stats").
      insights(
        'Input and output tokens over time',
        [successLines, `stats sum(${line.promptTokens}) as input_tokens, sum(${line.completionTokens}) as output_tokens by bin(5m)`],
        'timeSeries',
      ),
    ];
  }
  function tokenRowFromMetrics(): Widget[] {
    // Without the TotalTokens metric (observability.totalTokensMetric, a cost lever) total = input + output.
    const totalTokens = input.selection.totalTokens;
    const tokenSum = (id: string, i: number, hidden: boolean) =>
      totalTokens
        ? [gatewayMetric('TotalTokens', id, 'Sum', { id: `t${i}`, ...(hidden ? { visible: false } : {}) })]
        : [
            gatewayMetric('InputTokens', id, 'Sum', { id: `i${i}`, visible: false }),
            gatewayMetric('OutputTokens', id, 'Sum', { id: `o${i}`, visible: false }),
            mathExpression({ id: `t${i}`, expression: `i${i} + o${i}`, label: label(id), ...(hidden ? { visible: false } : {}) }),
          ];
    return [
      metricWidget({
        title: 'Tokens per successful request by model',
        region,
        metrics: modelIds.flatMap((id, i) => [
          ...tokenSum(id, i, true),
          gatewayMetric(totalTokens ? 'TotalTokens' : 'InputTokens', id, 'SampleCount', { id: `n${i}`, visible: false }),
          mathExpression({ id: `tpr${i}`, expression: `t${i} / n${i}`, label: label(id) }),
        ]),
      }),
      metricWidget({
        title: 'Total tokens by model (stacked)',
        region,
        stacked: true,
        stat: 'Sum',
        metrics: totalTokens ? modelIds.map((id) => gatewayMetric('TotalTokens', id, 'Sum')) : modelIds.flatMap((id, i) => tokenSum(id, i, false)),
      }),
    ];
  }

  const costs: Widget[] = [
    fromLogs
      ? insights('Estimated cost per successful request by model (USD)', [
          successLines,
          `stats avg(${line.responseCost}) as cost_per_request_usd, sum(${line.responseCost}) as cost_usd, count(*) as requests by ${line.model}`,
          'sort cost_usd desc',
        ])
      : metricWidget({
          title: 'Estimated cost per successful request by model (USD)',
          region,
          metrics: modelIds.flatMap((id, i) => [
            gatewayMetric('ResponseCostUSD', id, 'Sum', { id: `c${i}`, visible: false }),
            gatewayMetric('ResponseCostUSD', id, 'SampleCount', { id: `k${i}`, visible: false }),
            mathExpression({ id: `cpr${i}`, expression: `c${i} / k${i}`, label: label(id) }),
          ]),
        }),
    logsInsightsWidget({
      title: 'Estimated cost by model and key alias (USD)',
      region,
      view: 'table',
      logGroupNames: [logGroupName],
      query: [
        successLines,
        `stats sum(${line.responseCost}) as cost_usd, count(*) as requests, sum(${line.totalTokens}) as tokens by ${line.model}, ${line.keyAlias}`,
        'sort cost_usd desc',
        'limit 100',
      ],
    }),
  ];

  const ecsDimensions = { ClusterName: input.clusterName, ServiceName: input.serviceName };
  const ecs = (metricName: string, title: string, threshold: number): Widget =>
    metricWidget({
      title,
      region,
      yAxis: { left: { min: 0, max: 100, showUnits: false } },
      horizontalAnnotations: [{ label: 'Alarm', value: threshold, color: '#d62728' }],
      metrics: [
        metric({ namespace: 'AWS/ECS', metricName, dimensions: ecsDimensions, stat: 'Average', label: 'Average' }),
        metric({ namespace: 'AWS/ECS', metricName, dimensions: ecsDimensions, stat: 'Maximum', label: 'Maximum' }),
      ],
    });
  const compute: Widget[] = [
    ecs('CPUUtilization', 'ECS CPU utilization (% of task CPU)', alarms.cpuPercent),
    ecs('MemoryUtilization', 'ECS memory utilization (% of task memory)', alarms.memoryPercent),
  ];

  const lb = { LoadBalancer: input.albArnSuffix };
  const elb = (metricName: string, stat: Statistic, legend: string, yAxis?: 'right'): MetricStat =>
    metric({ namespace: 'AWS/ApplicationELB', metricName, dimensions: lb, stat, label: legend, ...(yAxis ? { yAxis } : {}) });
  const alb: Widget[] = [
    metricWidget({
      title: 'ALB requests and 5xx',
      region,
      metrics: [
        elb('RequestCount', 'Sum', 'Requests'),
        elb('HTTPCode_ELB_5XX_Count', 'Sum', 'ALB 5xx', 'right'),
        elb('HTTPCode_Target_5XX_Count', 'Sum', 'Target 5xx', 'right'),
      ],
    }),
    metricWidget({
      title: 'Target response time (s)',
      region,
      horizontalAnnotations: [{ label: 'p99 alarm', value: alarms.p99ResponseTimeSeconds, color: '#d62728' }],
      metrics: [elb('TargetResponseTime', 'Average', 'Average'), elb('TargetResponseTime', 'p99', 'p99')],
    }),
  ];

  const agents = fromLogs
    ? agentInsightsRows({ agents: input.agents, logGroupName, region })
    : agentWidgetRows({ agents: input.agents, namespace: input.namespace, region });
  const offHours = input.offHours
    ? [
        textWidget({
          markdown:
            `**Off-hours schedule** (gateway.schedule): the gateway runs ${input.offHours.description}; outside those hours it has 0 tasks ` +
            '(empty graphs, 503 from the ALB) and the database may be paused. Alarms judged inside the hours only: ' +
            `${input.offHours.alarms.map((a) => `\`${a}\``).join(', ')}. See docs/off-hours.md.`,
        }),
      ]
    : undefined;
  const rows = [[header], ...(offHours ? [offHours] : []), kpis, traffic, latency, tokens, costs, compute, alb, ...agents];
  return input.guardrail ? [...rows, guardrailRow(region, input.guardrail, alarms.guardrailInterventions)] : rows;
}

/**
 * Bedrock Guardrails runtime metrics (namespace AWS/Bedrock/Guardrails, dimensions GuardrailArn + GuardrailVersion;
 * Bedrock User Guide, "Monitor Amazon Bedrock Guardrails using CloudWatch metrics"). Text units are what is billed.
 */
function guardrailRow(region: string, guardrail: { readonly arn: string; readonly version: string }, alarmAt: number): Widget[] {
  const g = (metricName: string, legend: string, yAxis?: 'right'): MetricStat =>
    metric({ namespace: GUARDRAIL_NAMESPACE, metricName, dimensions: guardrailDimensions(guardrail), stat: 'Sum', label: legend, ...(yAxis ? { yAxis } : {}) });
  return [
    metricWidget({
      title: 'Guardrail: evaluations and interventions',
      region,
      horizontalAnnotations: [{ label: 'Alarm', value: alarmAt, color: '#d62728' }],
      metrics: [g('Invocations', 'Evaluations (ApplyGuardrail)'), g('InvocationsIntervened', 'Interventions (blocked or masked)')],
    }),
    metricWidget({
      title: 'Guardrail: text units (billed) and errors',
      region,
      metrics: [
        g('TextUnitCount', 'Text units'),
        g('InvocationClientErrors', 'Client errors', 'right'),
        g('InvocationServerErrors', 'Server errors', 'right'),
        g('InvocationThrottles', 'Throttles', 'right'),
      ],
    }),
  ];
}
