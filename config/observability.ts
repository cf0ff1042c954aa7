import { InvocationLoggingConfig, invocationLoggingDefaults, invocationLoggingSpec } from './invocation-logging';
import { ConfigIssue, DerivedDefaults, Mandatory, NumberSpec, ObjectSpecOf } from './schema';

export interface AlarmThresholds {
  /** Gateway request errors as % of requests over 5 minutes. @default 5 */
  readonly errorRatePercent: number;
  /** ALB-generated 5xx per 5 minutes. @default 5 */
  readonly alb5xxCount: number;
  /** Target (LiteLLM) 5xx per 5 minutes. @default 5 */
  readonly target5xxCount: number;
  /** p99 target response time in seconds; completions are slow, so this is high. @default 120 */
  readonly p99ResponseTimeSeconds: number;
  /** @default 85 */
  readonly cpuPercent: number;
  /** @default 85 */
  readonly memoryPercent: number;
  /** Aurora connections; LiteLLM opens 10 per worker. @default 80 */
  readonly databaseConnections: number;
  /** Bedrock throttles per model per 5 minutes. @default 10 */
  readonly bedrockThrottles: number;
  /** Application log lines at ERROR or CRITICAL per 5 minutes. @default 10 */
  readonly applicationErrors: number;
  /** Requests the Bedrock guardrail intervened on per 5 minutes (only with gateway.guardrail.enabled). @default 20 */
  readonly guardrailInterventions: number;
  /**
   * Requests per 5 minutes below which the error rate is not judged: at 2 requests, 1 failure is 50 %.
   * @default 10
   */
  readonly errorRateMinRequests: number;
  /** Unhealthy ALB targets (Maximum over a minute) that page when they last 5 minutes. @default 1 */
  readonly unhealthyTargets: number;
}

/**
 * AWS Budgets as a second line of defence on spend (LiteLLM's own budgets can fail open): alerts to the alarm
 * topic. Budgets without actions are free (AWS Price List, AWSBudgets). modules/observability/budgets.ts, docs/cost.md.
 */
export interface BudgetsConfig {
  /** @default true */
  readonly enabled: boolean;
  /** Monthly Bedrock spend (USD) of the account, filtered on the Bedrock service names below. @default 100 in dev, 1000 in prod */
  readonly bedrockMonthlyUsd: number;
  /**
   * Monthly spend (USD) of the resources tagged with this environment (`user:<costAllocationTag>$<environment>`).
   * Bedrock invocations carry no resource tag, so this is the infrastructure's budget. @default 150 in dev, 400 in prod
   */
  readonly totalMonthlyUsd: number;
  /** ACTUAL spend notifications at these percentages of each budget, plus a FORECASTED one at 100 %. @default [80, 100] */
  readonly thresholdsPercent: readonly number[];
  /**
   * Cost Explorer SERVICE values the Bedrock budget sums. Anthropic models bought through AWS Marketplace can be
   * billed under their own service names: add them as they appear in Cost Explorer. @default ['Amazon Bedrock']
   */
  readonly bedrockServices: readonly string[];
  /**
   * Tag key (one of the default tags) the total budget filters on. A user-defined tag reaches Budgets only after it is
   * activated as a cost allocation tag in the Billing console. @default 'env'
   */
  readonly costAllocationTag: string;
}

export const budgetsDefaults: BudgetsConfig = {
  enabled: true,
  bedrockMonthlyUsd: 100,
  totalMonthlyUsd: 150,
  thresholdsPercent: [80, 100],
  bedrockServices: ['Amazon Bedrock'],
  costAllocationTag: 'env',
};

export const USAGE_METRICS = ['metric-filters', 'logs-insights'] as const;
export type UsageMetrics = (typeof USAGE_METRICS)[number];

export interface ObservabilityConfig {
  /** @default 'LlmGateway-<appName>' in dev (the seed's), 'LlmGateway-<appName>-<env>' elsewhere */
  readonly dashboardName: string;
  /** Namespace of the metrics the metric filters create. @default 'DocumentProcessing/LlmGateway' */
  readonly metricNamespace: string;
  /** E-mail addresses subscribed to the alarm topic. @default [] */
  readonly alarmEmails: readonly string[];
  /**
   * Accept an alarm topic nobody is subscribed to (no `alarmEmails`), e.g. because an on-call tool subscribes to the
   * `alarm_topic_arn` output outside this project. Otherwise such a configuration is refused: the alarms would
   * page nobody. @default true in dev, false elsewhere
   */
  readonly allowUnsubscribedAlarms: boolean;
  readonly alarms: AlarmThresholds;
  /**
   * Publish TotalTokens per model. It equals InputTokens + OutputTokens, which the dashboard computes when it is off:
   * one custom metric per model id less ($0.30 each per month). @default false in dev, true in prod
   */
  readonly totalTokensMetric: boolean;
  /**
   * Where the dashboard's usage numbers (tokens, cost, response time per model; everything per agent) come from:
   * `metric-filters` publishes them as custom metrics (history for 15 months, $0.30 per metric per month: 7 per model
   * plus 5 per agent); `logs-insights` publishes only the metrics alarms read (requests and errors per model,
   * application errors, key reconciler failures) and computes the rest with Logs Insights queries on the gateway's
   * log group when the dashboard is viewed ($0.005 per GB scanned, history as long as the log retention).
   * docs/cost.md. @default 'logs-insights' in dev, 'metric-filters' elsewhere
   */
  readonly usageMetrics: UsageMetrics;
  readonly budgets: BudgetsConfig;
  /** Bedrock model invocation logging (one setting per account and region): config/invocation-logging.ts. @default off */
  readonly bedrockInvocationLogging: InvocationLoggingConfig;
}

export const alarmDefaults: AlarmThresholds = {
  errorRatePercent: 5,
  alb5xxCount: 5,
  target5xxCount: 5,
  p99ResponseTimeSeconds: 120,
  cpuPercent: 85,
  memoryPercent: 85,
  databaseConnections: 80,
  bedrockThrottles: 10,
  applicationErrors: 10,
  guardrailInterventions: 20,
  errorRateMinRequests: 10,
  unhealthyTargets: 1,
};

export const observabilityDefaults: Omit<ObservabilityConfig, keyof typeof observabilityDerivedDefaults> = {
  metricNamespace: 'DocumentProcessing/LlmGateway',
  alarmEmails: [],
  allowUnsubscribedAlarms: false,
  alarms: alarmDefaults,
  totalTokensMetric: true,
  usageMetrics: 'metric-filters',
  budgets: budgetsDefaults,
  bedrockInvocationLogging: invocationLoggingDefaults,
};

/** dev keeps the seed's dashboard name; other environments add theirs, so one account can hold both dashboards. */
export const observabilityDerivedDefaults = {
  dashboardName: ({ appName, environment }) => `LlmGateway-${appName}${environment === 'dev' ? '' : `-${environment}`}`,
} as const satisfies DerivedDefaults<ObservabilityConfig>;

const positive: Mandatory<NumberSpec> = { kind: 'number', min: 0 };
const percent: Mandatory<NumberSpec> = { kind: 'number', min: 1, max: 100 };

export const observabilitySpec: Mandatory<ObjectSpecOf<ObservabilityConfig>> = {
  kind: 'object',
  fields: {
    dashboardName: { kind: 'string', pattern: /^[A-Za-z0-9_-]{1,255}$/, describe: 'a dashboard name of letters, digits, - and _ (max 255)' },
    metricNamespace: { kind: 'string', pattern: /^(?!AWS\/)[A-Za-z0-9.\-_/#:]{1,255}$/, describe: 'a CloudWatch namespace not starting with AWS/' },
    allowUnsubscribedAlarms: { kind: 'boolean' },
    alarmEmails: {
      kind: 'array',
      unique: true,
      items: { kind: 'string', pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/, describe: 'an e-mail address' },
    },
    alarms: {
      kind: 'object',
      fields: {
        errorRatePercent: percent,
        alb5xxCount: positive,
        target5xxCount: positive,
        p99ResponseTimeSeconds: positive,
        cpuPercent: percent,
        memoryPercent: percent,
        databaseConnections: positive,
        bedrockThrottles: positive,
        applicationErrors: positive,
        guardrailInterventions: positive,
        errorRateMinRequests: { kind: 'number', integer: true, min: 1 },
        unhealthyTargets: { kind: 'number', integer: true, min: 1 },
      },
    },
    totalTokensMetric: { kind: 'boolean' },
    usageMetrics: { kind: 'string', allowed: USAGE_METRICS },
    budgets: {
      kind: 'object',
      fields: {
        enabled: { kind: 'boolean' },
        bedrockMonthlyUsd: { kind: 'number', min: 1, max: 10_000_000 },
        totalMonthlyUsd: { kind: 'number', min: 1, max: 10_000_000 },
        thresholdsPercent: { kind: 'array', minItems: 1, maxItems: 4, unique: true, items: { kind: 'number', min: 1, max: 1000 } },
        bedrockServices: {
          kind: 'array',
          minItems: 1,
          unique: true,
          items: { kind: 'string', pattern: /^[\w .()\-/:]{1,128}$/, describe: 'a Cost Explorer service name like "Amazon Bedrock"' },
        },
        costAllocationTag: { kind: 'string', pattern: /^(?!aws:)[\w .:/=+\-@]{1,128}$/, describe: 'a tag key of the default tags, like env' },
      },
    },
    bedrockInvocationLogging: invocationLoggingSpec,
  },
};

/**
 * Budgets allows five notifications per budget (AWS Budgets quotas): the ACTUAL thresholds plus one FORECASTED.
 * The total budget filters on a tag, which must be one the provider's default_tags put on every resource.
 */
export function checkObservability(o: ObservabilityConfig, tagKeys: readonly string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (o.usageMetrics === 'logs-insights' && o.totalTokensMetric) {
    issues.push({
      path: 'observability.totalTokensMetric',
      value: o.totalTokensMetric,
      allowed: 'false with observability.usageMetrics "logs-insights" (no token metrics are published), or usageMetrics "metric-filters"',
    });
  }
  if (o.budgets.enabled && !tagKeys.includes(o.budgets.costAllocationTag)) {
    issues.push({
      path: 'observability.budgets.costAllocationTag',
      value: o.budgets.costAllocationTag,
      allowed: `one of the tag keys every resource carries: ${tagKeys.join(', ')}`,
    });
  }
  return issues;
}

/**
 * An alarm topic with no subscriber notifies nobody: refused unless `allowUnsubscribedAlarms` says it is intended.
 * Checked by buildApp (checkDeployable) before any construct exists.
 */
export function checkAlarmSubscribers(o: ObservabilityConfig): ConfigIssue[] {
  if (o.alarmEmails.length > 0 || o.allowUnsubscribedAlarms) return [];
  return [
    {
      path: 'observability.alarmEmails',
      value: o.alarmEmails,
      allowed:
        'at least one e-mail address, or observability.allowUnsubscribedAlarms: true when something else subscribes to the ' +
        'alarm topic (output alarm_topic_arn); without a subscriber every alarm pages nobody',
    },
  ];
}
