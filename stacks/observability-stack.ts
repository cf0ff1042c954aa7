import { Construct } from 'constructs';
import { Annotations, TerraformOutput } from 'cdktf';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm, CloudwatchMetricAlarmConfig, CloudwatchMetricAlarmMetricQuery } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { AppConfig, ConfigError, defaultTags, nameOf } from '../config';
import { checkAlarmSubscribers } from '../config/observability';
import {
  MetricStat,
  Statistic,
  Widget,
  dashboardBody,
  layoutRows,
  logsInsightsWidget,
  mathExpression,
  metric,
  metricWidget,
  textWidget,
} from '../modules/dashboard';
import { agentDimensions, agentMetrics, agentWidgetRows, reconcilerFailureMetric } from '../modules/agent-metrics';
import { METRIC_LINE_FIELDS, MetricLineField, metricLineSelector } from '../modules/metric-line';
import { ModelCatalogue } from '../modules/model-catalogue';
import { SpendBudgets, budgetsKeyPolicyStatement, createSpendBudgets } from '../modules/observability/budgets';
import { InvocationLogging, createInvocationLogging } from '../modules/observability/invocation-logging';
import { BaseStack, BaseStackProps } from './base-stack';
import { DatabaseOutputs, GatewayOutputs } from './contracts';

/** Dimension of every per-model metric the filters publish; its value is the metric line's `model`. */
export const MODEL_DIMENSION = 'Model';

/**
 * LiteLLM's JSON log formatter (litellm/_logging.py, JsonFormatter) writes `"level": record.levelname`: upper-case
 * Python level names. ERROR and CRITICAL are the ones that page.
 */
export const LITELLM_LOG_LEVEL_FIELD = 'level';
export const PAGING_LOG_LEVELS: readonly string[] = ['ERROR', 'CRITICAL'];

/** CloudWatch Logs caps a filter pattern at 1024 characters (PutMetricFilter). */
export const MAX_FILTER_PATTERN_LENGTH = 1024;
/** An alarm on metric math may reference at most 10 metrics (CloudWatch alarm limits, a hard limit). */
export const MAX_ALARM_METRICS = 10;

export type MetricUnit = 'Count' | 'None' | 'Milliseconds';

/** One metric a filter publishes from the gateway's log group (seed 8.3). */
export interface GatewayMetric {
  readonly name: string;
  /** Full CloudWatch Logs JSON filter pattern. */
  readonly pattern: string;
  /** `1` (count the line) or a JSON selector of the metric line. */
  readonly value: string;
  readonly unit: MetricUnit;
  /** Published with the Model dimension (the metric line's `model`). */
  readonly perModel: boolean;
  /** Emitted for log lines that do not match; only allowed without dimensions (CloudWatch rule). */
  readonly defaultValue?: string;
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function jsonPattern(clauses: readonly string[]): string {
  return `{ ${clauses.join(' && ')} }`;
}

/**
 * The eight metrics of seed 8.3, their patterns built from the metric line's field names. Per-model patterns only
 * match the catalogue's model ids: the `model` of a failure line can be whatever a caller asked for, and every
 * distinct dimension value is a billed custom metric (CloudWatch Logs disables a filter that mints 1,000 of them in
 * an hour). It also keeps the dashboard's and alarms' sums over the catalogue complete.
 */
export function gatewayMetrics(modelIds: readonly string[]): GatewayMetric[] {
  if (modelIds.length === 0) throw new Error('observability: the model catalogue has no model ids; expected at least one');
  const $ = (field: MetricLineField) => metricLineSelector(field);
  const isMetricLine = `${$('marker')} IS TRUE`;
  const knownModel = `(${modelIds.map((id) => `${$('model')} = ${quote(id)}`).join(' || ')})`;
  const succeeded = `${$('statusCode')} = 200`;
  const failed = `${$('statusCode')} >= 400`;
  const every = jsonPattern([isMetricLine, knownModel]);
  const success = jsonPattern([isMetricLine, knownModel, succeeded]);
  const perModel = (name: string, pattern: string, value: string, unit: MetricUnit): GatewayMetric => ({ name, pattern, value, unit, perModel: true });
  const metrics: GatewayMetric[] = [
    perModel('RequestCount', every, '1', 'Count'),
    perModel('InputTokens', success, $('promptTokens'), 'Count'),
    perModel('OutputTokens', success, $('completionTokens'), 'Count'),
    perModel('TotalTokens', success, $('totalTokens'), 'Count'),
    // Dollars are not a CloudWatch unit.
    perModel('ResponseCostUSD', success, $('responseCost'), 'None'),
    perModel('ResponseTimeMs', every, $('responseTimeMs'), 'Milliseconds'),
    perModel('RequestErrors', jsonPattern([isMetricLine, knownModel, failed]), '1', 'Count'),
    {
      name: 'ApplicationErrors',
      pattern: `{ ${PAGING_LOG_LEVELS.map((level) => `$.${LITELLM_LOG_LEVEL_FIELD} = ${quote(level)}`).join(' || ')} }`,
      value: '1',
      unit: 'Count',
      perModel: false,
      // No dimension, so a 0 for every other line is allowed: the series is continuous while the gateway logs.
      defaultValue: '0',
    },
  ];
  for (const m of metrics) {
    if (m.pattern.length > MAX_FILTER_PATTERN_LENGTH) {
      throw new Error(
        `observability: the ${m.name} filter pattern is ${m.pattern.length} characters for ${modelIds.length} model ids; ` +
          `CloudWatch allows at most ${MAX_FILTER_PATTERN_LENGTH} (fewer or shorter model ids in the catalogue)`,
      );
    }
  }
  return metrics;
}

/** Console host of the region's partition. */
function consoleHost(region: string): string {
  if (region.startsWith('cn-')) return 'console.amazonaws.cn';
  if (region.startsWith('us-gov-')) return 'console.amazonaws-us-gov.com';
  return `${region}.console.aws.amazon.com`;
}

export function dashboardUrl(region: string, dashboardName: string): string {
  return `https://${consoleHost(region)}/cloudwatch/home?region=${region}#dashboards/dashboard/${encodeURIComponent(dashboardName)}`;
}

/** A construct-id-safe, stable slug, e.g. for a model id or an e-mail address. */
export function slug(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

export interface ObservabilityStackProps extends BaseStackProps {
  /** Read only: the stack attaches filters to the log group and watches the gateway, but changes none of it. */
  readonly gateway: GatewayOutputs;
  readonly database: Pick<DatabaseOutputs, 'clusterIdentifier' | 'maxCapacity'>;
  /** Model ids are the Model dimension values and the Bedrock ModelId of the throttling alarms. */
  readonly catalogue: ModelCatalogue;
}

/**
 * Seed 5.6 and 8: metric filters on the gateway's log group, the CloudWatch dashboard, and alarms that notify an
 * encrypted SNS topic. It only reads the gateway's and database's outputs, so it deploys and tears down on its own.
 */
export class ObservabilityStack extends BaseStack {
  readonly metrics: readonly GatewayMetric[];
  readonly metricFilters: Readonly<Record<string, CloudwatchLogMetricFilter>>;
  readonly dashboard: CloudwatchDashboard;
  readonly alarmTopic: SnsTopic;
  readonly alarmTopicKey: KmsKey;
  /** AWS Budgets on Bedrock and on the environment, notifying the alarm topic (observability.budgets). */
  readonly budgets?: SpendBudgets;
  /** By construct id, e.g. `alarm-error-rate`. */
  readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;
  /** Bedrock model invocation logging, when observability.bedrockInvocationLogging.enabled. */
  readonly invocationLogging?: InvocationLogging;

  private readonly props: ObservabilityStackProps;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, 'observability', props);
    const unsubscribed = checkAlarmSubscribers(props.config.observability);
    if (unsubscribed.length > 0) throw new ConfigError(props.config.environment, unsubscribed);
    this.props = props;
    const { config, gateway } = props;
    const obs = config.observability;

    // TotalTokens is input + output: a cost lever may leave it out (observability.totalTokensMetric).
    this.metrics = gatewayMetrics(props.catalogue.modelIds).filter((m) => obs.totalTokensMetric || m.name !== 'TotalTokens');
    const filters: Record<string, CloudwatchLogMetricFilter> = {};
    for (const m of this.metrics) {
      const component = slug(m.name.replace(/([a-z])([A-Z])/g, '$1-$2'));
      filters[m.name] = new CloudwatchLogMetricFilter(this, `filter-${component}`, {
        name: nameOf(config, component),
        logGroupName: gateway.logGroupName,
        pattern: m.pattern,
        metricTransformation: {
          name: m.name,
          namespace: obs.metricNamespace,
          value: m.value,
          unit: m.unit,
          ...(m.perModel ? { dimensions: { [MODEL_DIMENSION]: metricLineSelector('model') } } : {}),
          ...(m.defaultValue !== undefined ? { defaultValue: m.defaultValue } : {}),
        },
      });
    }
    // Spend per agent (modules/agent-metrics): its own filters with an Agent dimension.
    for (const m of agentMetrics(config.agents.map((a) => a.name))) {
      filters[m.name] = new CloudwatchLogMetricFilter(this, `filter-${m.component}`, {
        name: nameOf(config, m.component),
        logGroupName: gateway.logGroupName,
        pattern: m.pattern,
        metricTransformation: { name: m.name, namespace: obs.metricNamespace, value: m.value, unit: m.unit, dimensions: agentDimensions() },
      });
    }
    const failures = reconcilerFailureMetric();
    filters[failures.name] = new CloudwatchLogMetricFilter(this, `filter-${failures.component}`, {
      name: nameOf(config, failures.component),
      logGroupName: gateway.logGroupName,
      pattern: failures.pattern,
      metricTransformation: { name: failures.name, namespace: obs.metricNamespace, value: failures.value, unit: failures.unit },
    });
    this.metricFilters = filters;

    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: obs.dashboardName,
      dashboardBody: dashboardBody({ start: '-PT6H', periodOverride: 'inherit', widgets: layoutRows(this.dashboardRows()) }),
    });

    const { topic, key } = this.createAlarmTopic(config);
    this.alarmTopic = topic;
    this.alarmTopicKey = key;
    this.alarms = this.createAlarms();
    if (obs.budgets.enabled) {
      this.budgets = createSpendBudgets(this, {
        namePrefix: nameOf(config, 'spend'),
        topicArn: topic.arn,
        accountId: this.accountId,
        partition: this.partitionName,
        region: config.region,
        bedrockMonthlyUsd: obs.budgets.bedrockMonthlyUsd,
        bedrockServices: obs.budgets.bedrockServices,
        totalMonthlyUsd: obs.budgets.totalMonthlyUsd,
        environmentTag: { key: obs.budgets.costAllocationTag, value: defaultTags(config)[obs.budgets.costAllocationTag] },
        thresholdsPercent: obs.budgets.thresholdsPercent,
      });
    }

    if (obs.bedrockInvocationLogging.enabled) {
      this.invocationLogging = createInvocationLogging(this, {
        config: obs.bedrockInvocationLogging,
        region: config.region,
        logGroupName: `/${config.appName}/${config.environment}/bedrock-model-invocations`,
        roleName: nameOf(config, 'bedrock-invocation-logging', 64),
        bucketNamePrefix: nameOf(config, 'bedrock-logs', 50),
        keyAlias: `alias/${nameOf(config, 'bedrock-invocation-logs')}`,
        forceDestroy: config.environment === 'dev',
        description: `${config.appName} ${config.environment}`,
      });
      // One setting per account and region: say so at every synth that sets it.
      Annotations.of(this).addInfo(
        `observability.bedrockInvocationLogging: Bedrock model invocation logging is ONE setting per AWS account and region; ` +
          `enable it in only one environment per account and region (${config.region}), or they overwrite each other`,
      );
    }

    new TerraformOutput(this, 'dashboard-url', {
      value: dashboardUrl(config.region, obs.dashboardName),
      description: 'CloudWatch console URL of the gateway dashboard',
    });
    new TerraformOutput(this, 'alarm-topic-arn', {
      value: topic.arn,
      description: 'SNS topic every alarm notifies (subscribe an on-call tool here)',
    });
  }

  // ---------------------------------------------------------------- dashboard

  private get modelIds(): readonly string[] {
    return this.props.catalogue.modelIds;
  }

  /** The aliases callers use for a model id, as its legend label: `claude-fallback / claude-fast`. */
  private modelLabel(modelId: string): string {
    const aliases = this.props.catalogue.models.filter((m) => m.modelId === modelId).map((m) => m.alias);
    return aliases.length > 0 ? aliases.join(' / ') : modelId;
  }

  private gatewayMetric(name: string, modelId: string, stat: Statistic, options: { id?: string; visible?: boolean; label?: string } = {}): MetricStat {
    return metric({
      namespace: this.config.observability.metricNamespace,
      metricName: name,
      dimensions: { [MODEL_DIMENSION]: modelId },
      stat,
      label: options.label ?? this.modelLabel(modelId),
      ...(options.id !== undefined ? { id: options.id } : {}),
      ...(options.visible === false ? { visible: false } : {}),
    });
  }

  /** Hidden per-model metrics `<prefix>0..n` and the ids to sum them. */
  private perModelInputs(name: string, prefix: string, stat: Statistic): { metrics: MetricStat[]; ids: string[] } {
    const ids = this.modelIds.map((_, i) => `${prefix}${i}`);
    return { metrics: this.modelIds.map((modelId, i) => this.gatewayMetric(name, modelId, stat, { id: ids[i], visible: false })), ids };
  }

  private ecsDimensions(): Record<string, string> {
    return { ClusterName: this.props.gateway.clusterName, ServiceName: this.props.gateway.serviceName };
  }

  private dashboardRows(): Widget[][] {
    const { config, gateway } = this.props;
    const region = config.region;
    const alarms = config.observability.alarms;
    const line = METRIC_LINE_FIELDS;

    const requests = this.perModelInputs('RequestCount', 'r', 'Sum');
    const errors = this.perModelInputs('RequestErrors', 'e', 'Sum');
    const input = this.perModelInputs('InputTokens', 'i', 'Sum');
    const output = this.perModelInputs('OutputTokens', 'o', 'Sum');
    const cost = this.perModelInputs('ResponseCostUSD', 'c', 'Sum');

    const header = textWidget({
      markdown:
        `## LLM gateway — ${config.appName} (${config.environment})\n` +
        `Request, token, cost and latency metrics come from the gateway's metric line in \`${gateway.logGroupName}\` ` +
        `(namespace \`${config.observability.metricNamespace}\`, one series per Bedrock model id). ` +
        'Cost is LiteLLM\'s estimate from its price map, not the bill. Runbook: README.md, "Alarms and runbook".',
    });

    const kpis: Widget[] = [
      metricWidget({
        title: 'Total requests',
        region,
        view: 'singleValue',
        setPeriodToTimeRange: true,
        metrics: [...requests.metrics, mathExpression({ id: 'requests', expression: sumOf(requests.ids), label: 'Requests (all models)' })],
      }),
      metricWidget({
        title: 'Input tokens, output tokens, estimated cost (USD)',
        region,
        view: 'singleValue',
        setPeriodToTimeRange: true,
        metrics: [
          ...input.metrics,
          ...output.metrics,
          ...cost.metrics,
          mathExpression({ id: 'input', expression: sumOf(input.ids), label: 'Input tokens' }),
          mathExpression({ id: 'output', expression: sumOf(output.ids), label: 'Output tokens' }),
          mathExpression({ id: 'cost', expression: sumOf(cost.ids), label: 'Estimated cost (USD)' }),
        ],
      }),
    ];

    const traffic: Widget[] = [
      metricWidget({
        title: 'Requests by model',
        region,
        stat: 'Sum',
        metrics: this.modelIds.map((id) => this.gatewayMetric('RequestCount', id, 'Sum')),
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
      metricWidget({
        title: 'Average response time by model (ms)',
        region,
        stat: 'Average',
        metrics: this.modelIds.map((id) => this.gatewayMetric('ResponseTimeMs', id, 'Average')),
      }),
      logsInsightsWidget({
        title: 'Response time percentiles p50 / p95 / p99 (ms)',
        region,
        view: 'timeSeries',
        logGroupNames: [gateway.logGroupName],
        query: [
          `filter ispresent(${line.marker}) and ispresent(${line.responseTimeMs})`,
          `stats pct(${line.responseTimeMs}, 50) as p50, pct(${line.responseTimeMs}, 95) as p95, pct(${line.responseTimeMs}, 99) as p99 by bin(5m)`,
        ],
      }),
    ];

    // Without the TotalTokens metric (observability.totalTokensMetric, a cost lever) total = input + output.
    const totalTokens = this.config.observability.totalTokensMetric;
    const tokenSum = (id: string, i: number, hidden: boolean) =>
      totalTokens
        ? [this.gatewayMetric('TotalTokens', id, 'Sum', { id: `t${i}`, ...(hidden ? { visible: false } : {}) })]
        : [
            this.gatewayMetric('InputTokens', id, 'Sum', { id: `i${i}`, visible: false }),
            this.gatewayMetric('OutputTokens', id, 'Sum', { id: `o${i}`, visible: false }),
            mathExpression({ id: `t${i}`, expression: `i${i} + o${i}`, label: this.modelLabel(id), ...(hidden ? { visible: false } : {}) }),
          ];
    const tokens: Widget[] = [
      metricWidget({
        title: 'Tokens per successful request by model',
        region,
        metrics: this.modelIds.flatMap((id, i) => [
          ...tokenSum(id, i, true),
          this.gatewayMetric(totalTokens ? 'TotalTokens' : 'InputTokens', id, 'SampleCount', { id: `n${i}`, visible: false }),
          mathExpression({ id: `tpr${i}`, expression: `t${i} / n${i}`, label: this.modelLabel(id) }),
        ]),
      }),
      metricWidget({
        title: 'Total tokens by model (stacked)',
        region,
        stacked: true,
        stat: 'Sum',
        metrics: totalTokens ? this.modelIds.map((id) => this.gatewayMetric('TotalTokens', id, 'Sum')) : this.modelIds.flatMap((id, i) => tokenSum(id, i, false)),
      }),
    ];

    const costs: Widget[] = [
      metricWidget({
        title: 'Estimated cost per successful request by model (USD)',
        region,
        metrics: this.modelIds.flatMap((id, i) => [
          this.gatewayMetric('ResponseCostUSD', id, 'Sum', { id: `c${i}`, visible: false }),
          this.gatewayMetric('ResponseCostUSD', id, 'SampleCount', { id: `k${i}`, visible: false }),
          mathExpression({ id: `cpr${i}`, expression: `c${i} / k${i}`, label: this.modelLabel(id) }),
        ]),
      }),
      logsInsightsWidget({
        title: 'Estimated cost by model and key alias (USD)',
        region,
        view: 'table',
        logGroupNames: [gateway.logGroupName],
        query: [
          `filter ispresent(${line.marker}) and ${line.statusCode} = 200`,
          `stats sum(${line.responseCost}) as cost_usd, count(*) as requests, sum(${line.totalTokens}) as tokens by ${line.model}, ${line.keyAlias}`,
          'sort cost_usd desc',
          'limit 100',
        ],
      }),
    ];

    const ecs = (metricName: string, title: string, threshold: number): Widget =>
      metricWidget({
        title,
        region,
        yAxis: { left: { min: 0, max: 100, showUnits: false } },
        horizontalAnnotations: [{ label: 'Alarm', value: threshold, color: '#d62728' }],
        metrics: [
          metric({ namespace: 'AWS/ECS', metricName, dimensions: this.ecsDimensions(), stat: 'Average', label: 'Average' }),
          metric({ namespace: 'AWS/ECS', metricName, dimensions: this.ecsDimensions(), stat: 'Maximum', label: 'Maximum' }),
        ],
      });
    const compute: Widget[] = [
      ecs('CPUUtilization', 'ECS CPU utilization (% of task CPU)', alarms.cpuPercent),
      ecs('MemoryUtilization', 'ECS memory utilization (% of task memory)', alarms.memoryPercent),
    ];

    const lb = { LoadBalancer: gateway.albArnSuffix };
    const elb = (metricName: string, stat: Statistic, label: string, yAxis?: 'right'): MetricStat =>
      metric({ namespace: 'AWS/ApplicationELB', metricName, dimensions: lb, stat, label, ...(yAxis ? { yAxis } : {}) });
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

    const agents = agentWidgetRows({ agents: config.agents.map((a) => a.name), namespace: config.observability.metricNamespace, region });
    const rows = [[header], kpis, traffic, latency, tokens, costs, compute, alb, ...agents];
    return gateway.guardrail ? [...rows, this.guardrailRow(gateway.guardrail)] : rows;
  }

  /**
   * Bedrock Guardrails runtime metrics (namespace AWS/Bedrock/Guardrails, dimensions GuardrailArn + GuardrailVersion;
   * Bedrock User Guide, "Monitor Amazon Bedrock Guardrails using CloudWatch metrics"). Text units are what is billed.
   */
  private guardrailRow(guardrail: { readonly arn: string; readonly version: string }): Widget[] {
    const region = this.props.config.region;
    const g = (metricName: string, label: string, yAxis?: 'right'): MetricStat =>
      metric({ namespace: GUARDRAIL_NAMESPACE, metricName, dimensions: guardrailDimensions(guardrail), stat: 'Sum', label, ...(yAxis ? { yAxis } : {}) });
    return [
      metricWidget({
        title: 'Guardrail: evaluations and interventions',
        region,
        horizontalAnnotations: [{ label: 'Alarm', value: this.props.config.observability.alarms.guardrailInterventions, color: '#d62728' }],
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

  // ---------------------------------------------------------------- alarms

  private accountId!: string;
  private partitionName!: string;

  private createAlarmTopic(config: AppConfig): { topic: SnsTopic; key: KmsKey } {
    const account = new DataAwsCallerIdentity(this, 'account');
    const partition = new DataAwsPartition(this, 'partition');
    this.accountId = account.accountId;
    this.partitionName = partition.partition;
    const root = `arn:${partition.partition}:iam::${account.accountId}:root`;
    // CloudWatch cannot publish to a topic encrypted with the AWS managed key alias/aws/sns: that key's policy is
    // fixed and does not admit cloudwatch.amazonaws.com, so alarms would fire and deliver nothing (SNS developer
    // guide, "compatibility between event sources from AWS services and encrypted topics"). Hence a customer
    // managed key whose policy admits CloudWatch. In a key policy, resource "*" means this key.
    const keyPolicy = new DataAwsIamPolicyDocument(this, 'alarm-topic-key-policy', {
      statement: [
        {
          sid: 'AccountAdministersKey',
          principals: [{ type: 'AWS', identifiers: [root] }],
          actions: [
            'kms:Create*',
            'kms:Describe*',
            'kms:Enable*',
            'kms:List*',
            'kms:Put*',
            'kms:Update*',
            'kms:Revoke*',
            'kms:Disable*',
            'kms:Get*',
            'kms:Delete*',
            'kms:TagResource',
            'kms:UntagResource',
            'kms:ScheduleKeyDeletion',
            'kms:CancelKeyDeletion',
            'kms:RotateKeyOnDemand',
          ],
          resources: ['*'],
        },
        {
          // Lets operators publish a test notification (aws sns publish) with their IAM permissions.
          sid: 'AccountPublishesThroughSns',
          principals: [{ type: 'AWS', identifiers: [root] }],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`sns.${config.region}.amazonaws.com`] }],
        },
        {
          sid: 'CloudWatchAlarmsPublish',
          principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [account.accountId] }],
        },
        ...(config.observability.budgets.enabled ? [budgetsKeyPolicyStatement({ accountId: account.accountId, partition: partition.partition })] : []),
      ],
    });
    const key = new KmsKey(this, 'alarm-topic-key', {
      description: `Encrypts the LLM gateway alarm topic of ${config.appName} ${config.environment}`,
      enableKeyRotation: true,
      deletionWindowInDays: 7,
      policy: keyPolicy.json,
    });
    new KmsAlias(this, 'alarm-topic-key-alias', { name: `alias/${nameOf(config, 'alarms')}`, targetKeyId: key.keyId });
    const topic = new SnsTopic(this, 'alarm-topic', {
      name: nameOf(config, 'alarms', 256),
      displayName: `LLM gateway alarms (${config.environment})`,
      kmsMasterKeyId: key.arn,
    });
    for (const email of config.observability.alarmEmails) {
      // Pending until the recipient confirms the e-mail SNS sends.
      new SnsTopicSubscription(this, `alarm-email-${slug(email)}`, { topicArn: topic.arn, protocol: 'email', endpoint: email });
    }
    return { topic, key };
  }

  private createAlarms(): Record<string, CloudwatchMetricAlarm> {
    const { config, gateway, database } = this.props;
    const thresholds = config.observability.alarms;
    const alarms: Record<string, CloudwatchMetricAlarm> = {};
    const add = (
      key: string,
      description: string,
      settings: Omit<CloudwatchMetricAlarmConfig, 'alarmName' | 'alarmDescription' | 'alarmActions' | 'okActions' | 'actionsEnabled'>,
    ): void => {
      alarms[`alarm-${key}`] = new CloudwatchMetricAlarm(this, `alarm-${key}`, {
        alarmName: nameOf(config, key, 255),
        alarmDescription: `${description} Runbook: README.md, "Alarms and runbook".(${key}).`,
        actionsEnabled: true,
        alarmActions: [this.alarmTopic.arn],
        okActions: [this.alarmTopic.arn],
        ...settings,
      });
    };
    const lb = { LoadBalancer: gateway.albArnSuffix };

    // ---- gateway error rate: metric math over the per-model metrics.
    const modelIds = this.modelIds;
    if (modelIds.length * 2 > MAX_ALARM_METRICS) {
      throw new Error(
        `observability: the error-rate alarm needs RequestCount and RequestErrors per model (${modelIds.length * 2} metrics ` +
          `for ${modelIds.length} model ids); CloudWatch allows at most ${MAX_ALARM_METRICS} per alarm, so at most ` +
          `${MAX_ALARM_METRICS / 2} model ids`,
      );
    }
    const namespace = config.observability.metricNamespace;
    const perModel = (prefix: string, metricName: string): CloudwatchMetricAlarmMetricQuery[] =>
      modelIds.map((modelId, i) => ({
        id: `${prefix}${i}`,
        returnData: false,
        metric: { namespace, metricName, dimensions: { [MODEL_DIMENSION]: modelId }, stat: 'Sum', period: 300 },
      }));
    const min = thresholds.errorRateMinRequests;
    add('error-rate', `Gateway requests failing (status >= 400) above ${thresholds.errorRatePercent} % over 5 minutes, in 2 of 3 windows with at least ${min} requests.`, {
      comparisonOperator: 'GreaterThanThreshold',
      threshold: thresholds.errorRatePercent,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      // FILL(…, 0) keeps the series continuous and quiet windows evaluate to 0: no traffic is not an outage.
      treatMissingData: 'notBreaching',
      metricQuery: [
        ...perModel('r', 'RequestCount'),
        ...perModel('e', 'RequestErrors'),
        { id: 'requests', expression: sumOf(modelIds.map((_, i) => `r${i}`)), label: 'Requests', returnData: false },
        { id: 'errors', expression: sumOf(modelIds.map((_, i) => `e${i}`)), label: 'Errors', returnData: false },
        // Below the minimum volume one failure is a large percentage: judge the rate only with enough requests.
        { id: 'error_rate', expression: `IF(requests >= ${min}, 100 * errors / requests, 0)`, label: 'Error rate (%)', returnData: true },
      ],
    });

    // ---- load balancer
    const elbAlarm = (key: string, description: string, metricName: string, threshold: number): void =>
      add(key, description, {
        namespace: 'AWS/ApplicationELB',
        metricName,
        dimensions: lb,
        statistic: 'Sum',
        period: 300,
        evaluationPeriods: 1,
        comparisonOperator: 'GreaterThanThreshold',
        threshold,
        // The ALB publishes 5xx counts only for minutes that had some: missing means none.
        treatMissingData: 'notBreaching',
      });
    elbAlarm('alb-5xx', `The load balancer itself answered more than ${thresholds.alb5xxCount} 5xx in 5 minutes (no healthy target, timeouts).`, 'HTTPCode_ELB_5XX_Count', thresholds.alb5xxCount);
    elbAlarm('target-5xx', `LiteLLM answered more than ${thresholds.target5xxCount} 5xx in 5 minutes.`, 'HTTPCode_Target_5XX_Count', thresholds.target5xxCount);

    add('unhealthy-targets', `At least ${thresholds.unhealthyTargets} gateway task(s) failing the ALB health check for 5 minutes.`, {
      namespace: 'AWS/ApplicationELB',
      metricName: 'UnHealthyHostCount',
      dimensions: { TargetGroup: gateway.targetGroupArnSuffix, ...lb },
      statistic: 'Maximum',
      period: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: thresholds.unhealthyTargets,
      // Target health is reported every minute while the target group is attached; silence means it is gone.
      treatMissingData: 'breaching',
    });

    add('p99-latency', `p99 target response time above ${thresholds.p99ResponseTimeSeconds} s for 15 minutes.`, {
      namespace: 'AWS/ApplicationELB',
      metricName: 'TargetResponseTime',
      dimensions: lb,
      extendedStatistic: 'p99',
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: thresholds.p99ResponseTimeSeconds,
      // No requests, no latency: not slow.
      treatMissingData: 'notBreaching',
    });

    // ---- ECS service
    const ecsAlarm = (key: string, description: string, metricName: string, threshold: number): void =>
      add(key, description, {
        namespace: 'AWS/ECS',
        metricName,
        dimensions: this.ecsDimensions(),
        statistic: 'Average',
        period: 300,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        comparisonOperator: 'GreaterThanThreshold',
        threshold,
        // A service that reports nothing is the running-tasks alarm's page; one page per cause.
        treatMissingData: 'notBreaching',
      });
    ecsAlarm('cpu-high', `Gateway tasks above ${thresholds.cpuPercent} % of their CPU for 15 minutes (auto scaling not keeping up).`, 'CPUUtilization', thresholds.cpuPercent);
    ecsAlarm('memory-high', `Gateway tasks above ${thresholds.memoryPercent} % of their memory for 15 minutes.`, 'MemoryUtilization', thresholds.memoryPercent);

    if (config.gateway.containerInsights) {
      const containerInsights = (id: string, metricName: string): CloudwatchMetricAlarmMetricQuery => ({
        id,
        returnData: false,
        metric: { namespace: 'ECS/ContainerInsights', metricName, dimensions: this.ecsDimensions(), stat: 'Average', period: 300 },
      });
      add('running-tasks', 'Fewer gateway tasks running than desired, by at least one, for 15 minutes (crash loop, failed deployment, no capacity).', {
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        threshold: 1,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        // Container Insights reports every service each minute; silence means the service (or the reporting) is gone.
        treatMissingData: 'breaching',
        metricQuery: [
          containerInsights('desired', 'DesiredTaskCount'),
          containerInsights('running', 'RunningTaskCount'),
          { id: 'shortfall', expression: 'desired - running', label: 'Desired minus running tasks', returnData: true },
        ],
      });
    } else {
      // Without Container Insights (gateway.containerInsights, a cost lever) there are no task counts: the ALB's
      // healthy targets below the service's floor say the same for a service behind it (crash loop, no Spot
      // capacity, failed deployment), from free AWS/ApplicationELB metrics.
      const floor = Math.max(1, config.gateway.minTasks);
      add('running-tasks', `Fewer than ${floor} healthy gateway task(s) behind the ALB for 15 minutes (crash loop, failed deployment, no capacity).`, {
        namespace: 'AWS/ApplicationELB',
        metricName: 'HealthyHostCount',
        dimensions: { TargetGroup: gateway.targetGroupArnSuffix, ...lb },
        statistic: 'Minimum',
        period: 300,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        comparisonOperator: 'LessThanThreshold',
        threshold: floor,
        // Target health is reported every minute while the target group is attached; silence means it is gone.
        treatMissingData: 'breaching',
      });
    }

    // ---- database
    const rds = { DBClusterIdentifier: database.clusterIdentifier };
    add('db-capacity-max', 'Aurora Serverless v2 at its maximum capacity (ACU) for 15 minutes: queries queue.', {
      namespace: 'AWS/RDS',
      metricName: 'ServerlessDatabaseCapacity',
      dimensions: rds,
      statistic: 'Average',
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: database.maxCapacity,
      // Being at the ceiling is a positive signal; silence (e.g. a paused cluster) is not evidence of it.
      treatMissingData: 'notBreaching',
    });
    add('db-connections', `More than ${thresholds.databaseConnections} database connections on an instance for 10 minutes.`, {
      namespace: 'AWS/RDS',
      metricName: 'DatabaseConnections',
      dimensions: rds,
      statistic: 'Maximum',
      period: 300,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: thresholds.databaseConnections,
      treatMissingData: 'notBreaching',
    });

    // ---- Bedrock throttling, per model id. Bedrock publishes runtime metrics in the region that received the call,
    // with ModelId = the id the caller passed: for a cross-region profile that is `us.anthropic...`, not the base id.
    for (const modelId of modelIds) {
      const regions = [...new Set(this.props.catalogue.models.filter((m) => m.modelId === modelId).map((m) => m.region))];
      if (!regions.includes(config.region)) {
        // An alarm can only read metrics of its own region: one here would stay silent forever.
        Annotations.of(this).addWarning(
          `observability: no Bedrock throttling alarm for ${modelId}: the gateway calls it in ${regions.join(', ')}, ` +
            `where its metrics are published, but alarms live in ${config.region}`,
        );
        continue;
      }
      add(`bedrock-throttles-${slug(modelId)}`, `Bedrock throttled more than ${thresholds.bedrockThrottles} calls to ${modelId} (${this.modelLabel(modelId)}) in 5 minutes.`, {
        namespace: 'AWS/Bedrock',
        metricName: 'InvocationThrottles',
        dimensions: { ModelId: modelId },
        statistic: 'Sum',
        period: 300,
        evaluationPeriods: 1,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: thresholds.bedrockThrottles,
        // Published only while the model is called: no calls, no throttling.
        treatMissingData: 'notBreaching',
      });
    }

    if (gateway.guardrail) {
      add('guardrail-interventions', `The Bedrock guardrail intervened on more than ${thresholds.guardrailInterventions} evaluations in 5 minutes.`, {
        namespace: GUARDRAIL_NAMESPACE,
        metricName: 'InvocationsIntervened',
        dimensions: guardrailDimensions(gateway.guardrail),
        statistic: 'Sum',
        period: 300,
        evaluationPeriods: 1,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: thresholds.guardrailInterventions,
        // Published only while the guardrail is applied: no evaluations, no interventions.
        treatMissingData: 'notBreaching',
      });
    }
    add('key-reconciler', "The gateway task's key reconciler could not put every agent's LiteLLM key in place (log streams key-reconciler/...).", {
      namespace,
      metricName: reconcilerFailureMetric().name,
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      // The metric exists only when a failure line was logged: silence means no failure.
      treatMissingData: 'notBreaching',
    });

    add('application-errors', `More than ${thresholds.applicationErrors} LiteLLM log lines at ${PAGING_LOG_LEVELS.join(' or ')} in 5 minutes.`, {
      namespace,
      metricName: 'ApplicationErrors',
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: thresholds.applicationErrors,
      // The filter's default 0 makes silence mean "the gateway logs nothing", which the task alarms cover.
      treatMissingData: 'notBreaching',
    });
    return alarms;
  }
}

/** Namespace of the Bedrock Guardrails runtime metrics. */
export const GUARDRAIL_NAMESPACE = 'AWS/Bedrock/Guardrails';

export function guardrailDimensions(guardrail: { readonly arn: string; readonly version: string }): Record<string, string> {
  return { GuardrailArn: guardrail.arn, GuardrailVersion: guardrail.version };
}

/** Sum of per-model series where a model without traffic counts as 0 rather than blanking the total. */
export function sumOf(ids: readonly string[]): string {
  return `SUM([${ids.map((id) => `FILL(${id}, 0)`).join(', ')}])`;
}
