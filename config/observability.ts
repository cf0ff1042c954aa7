import { InvocationLoggingConfig, invocationLoggingSpec } from './invocation-logging';
import { ConfigIssue, DerivedDefaults, Mandatory, NumberSpec, ObjectSpecOf, defaultsOf } from './schema';

export interface AlarmThresholds {
  /** Gateway request errors as % of requests over 5 minutes. */
  readonly errorRatePercent: number;
  /** ALB-generated 5xx per 5 minutes. */
  readonly alb5xxCount: number;
  /** Target (LiteLLM) 5xx per 5 minutes. */
  readonly target5xxCount: number;
  /** p99 target response time in seconds; completions are slow, so this is high. */
  readonly p99ResponseTimeSeconds: number;
  readonly cpuPercent: number;
  readonly memoryPercent: number;
  /** Aurora connections as % of the writer's default max_connections at database.maxCapacity (modules/capacity). */
  readonly databaseConnectionsPercent: number;
  /** % of `database.storageBudgetGiB` the cluster volume (VolumeBytesUsed) may reach before the storage alarm. */
  readonly databaseStoragePercent: number;
  /** Bedrock throttles per model per 5 minutes. */
  readonly bedrockThrottles: number;
  /** Application log lines at ERROR or CRITICAL per 5 minutes. */
  readonly applicationErrors: number;
  /** Requests LiteLLM refused with 422 (a budget ran out) per 5 minutes; 0 pages at the first. */
  readonly budgetRefusals: number;
  /** Calls that ended in 429 (a rate limit: LiteLLM's own or Bedrock's) per 5 minutes, counted per attempt. */
  readonly rateLimitedCalls: number;
  /** Requests the Bedrock guardrail intervened on per 5 minutes (only with gateway.guardrail.enabled). */
  readonly guardrailInterventions: number;
  /**
   * Requests per 5 minutes below which the error rate is not judged: at 2 requests, 1 failure is 50 %.
   */
  readonly errorRateMinRequests: number;
  /** Unhealthy ALB targets (Maximum over a minute) that page when they last 5 minutes. */
  readonly unhealthyTargets: number;
  /**
   * Per model and day, how far (in % of Bedrock's own count) the tokens the gateway counted may differ from the
   * tokens Bedrock reports (`AWS/Bedrock` InputTokenCount + OutputTokenCount) before the drift alarm fires.
   */
  readonly tokenDriftPercent: number;
}

/**
 * AWS Budgets as a second line of defence on spend (LiteLLM's own budgets can fail open): alerts to the alarm
 * topic. Budgets without actions are free (AWS Price List, AWSBudgets). modules/observability/budgets.ts, docs/cost.md.
 */
export interface BudgetsConfig {
  readonly enabled: boolean;
  /** Monthly Bedrock spend (USD) of the account, filtered on the Bedrock service names below. */
  readonly bedrockMonthlyUsd: number;
  /**
   * Monthly spend (USD) of the resources tagged with this environment (`user:<costAllocationTag>$<environment>`).
   * Bedrock invocations carry no resource tag, so this is the infrastructure's budget.
   */
  readonly totalMonthlyUsd: number;
  /** ACTUAL spend notifications at these percentages of each budget, plus a FORECASTED one at 100 %. */
  readonly thresholdsPercent: readonly number[];
  /**
   * Cost Explorer SERVICE values the Bedrock budget sums. Anthropic models bought through AWS Marketplace can be
   * billed under their own service names: add them as they appear in Cost Explorer.
   */
  readonly bedrockServices: readonly string[];
  /**
   * Tag key (one of the default tags) the total budget filters on. A user-defined tag reaches Budgets only after it is
   * activated as a cost allocation tag in the Billing console.
   */
  readonly costAllocationTag: string;
  readonly hardStop: BedrockHardStopConfig;
}

/**
 * A backstop that does not trust the gateway: an AWS Budgets action on the Bedrock budget that, once the month's
 * actual Bedrock spend (the bill's number, refreshed by AWS a few times a day) passes `bedrockMonthlyUsd`, attaches
 * a policy denying Bedrock invocation to the gateway's task role. modules/observability/budgets.ts, docs/cost.md.
 */
export interface BedrockHardStopConfig {
  readonly enabled: boolean;
  /** The ceiling (USD of the month's actual Bedrock spend) past which the deny policy is attached. */
  readonly bedrockMonthlyUsd: number;
}

export const USAGE_METRICS = ['metric-filters', 'logs-insights'] as const;
export type UsageMetrics = (typeof USAGE_METRICS)[number];

/**
 * Which `ModelId` dimension value Bedrock's runtime metrics carry for calls through a cross-region inference profile:
 * the profile id the caller passed (`us.anthropic.…`) or the foundation model's id (`anthropic.…`). AWS's metric
 * documentation does not say (docs/observability.md#bedrocks-modelid-dimension); one setting for every alarm that
 * reads `AWS/Bedrock`, so a wrong guess is corrected in one place.
 */
export const BEDROCK_METRICS_MODEL_IDS = ['inference-profile', 'foundation-model'] as const;
export type BedrockMetricsModelId = (typeof BEDROCK_METRICS_MODEL_IDS)[number];

export interface ObservabilityConfig {
  /** @default - 'LlmGateway-<appName>' in dev, 'LlmGateway-<appName>-<env>' elsewhere (observabilityDerivedDefaults) */
  readonly dashboardName: string;
  /** Namespace of the metrics the metric filters create. */
  readonly metricNamespace: string;
  /** E-mail addresses subscribed to the alarm topic. */
  readonly alarmEmails: readonly string[];
  /**
   * Accept an alarm topic nobody is subscribed to (no `alarmEmails`), e.g. because an on-call tool subscribes to the
   * `alarm_topic_arn` output outside this project. Otherwise such a configuration is refused: the alarms would
   * page nobody.
   */
  readonly allowUnsubscribedAlarms: boolean;
  readonly alarms: AlarmThresholds;
  /**
   * Publish TotalTokens per model. It equals InputTokens + OutputTokens, which the dashboard computes when it is off:
   * one custom metric per model id less ($0.30 each per month).
   */
  readonly totalTokensMetric: boolean;
  /**
   * Publish BudgetRefusals (422) and RateLimitedCalls (429) and alarm on them (budget-exhausted, rate-limited): two
   * custom metrics and two alarms, a cost lever off in dev.
   */
  readonly statusAlarms: boolean;
  /**
   * Where the dashboard's usage numbers (tokens, cost, response time per model; everything per agent) come from:
   * `metric-filters` publishes them as custom metrics (history for 15 months, $0.30 per metric per month: 7 per model
   * plus 5 per agent); `logs-insights` publishes only the metrics alarms read (requests and errors per model,
   * application errors, key reconciler failures) and computes the rest with Logs Insights queries on the gateway's
   * log group when the dashboard is viewed ($0.005 per GB scanned, history as long as the log retention).
   * docs/cost.md.
   */
  readonly usageMetrics: UsageMetrics;
  /**
   * The daily drift alarm per model between the gateway's token counts and Bedrock's (alarms.tokenDriftPercent). It
   * reads the InputTokens/OutputTokens metrics, which only `usageMetrics` `metric-filters` publishes.
   */
  readonly tokenDriftAlarm: boolean;
  readonly bedrockMetricsModelId: BedrockMetricsModelId;
  readonly budgets: BudgetsConfig;
  /** Bedrock model invocation logging (one setting per account and region): config/invocation-logging.ts. */
  readonly bedrockInvocationLogging: InvocationLoggingConfig;
}

/** dev keeps its original dashboard name (no environment in it); other environments add theirs, so one account can hold both dashboards. */
export const observabilityDerivedDefaults = {
  dashboardName: ({ appName, environment }) => `LlmGateway-${appName}${environment === 'dev' ? '' : `-${environment}`}`,
} as const satisfies DerivedDefaults<ObservabilityConfig>;

const positive: Mandatory<NumberSpec> = { kind: 'number', min: 0 };
const percent: Mandatory<NumberSpec> = { kind: 'number', min: 1, max: 100 };

export const observabilitySpec: Mandatory<ObjectSpecOf<ObservabilityConfig>> = {
  kind: 'object',
  fields: {
    dashboardName: {
      kind: 'string',
      pattern: /^[A-Za-z0-9_-]{1,255}$/,
      describe: 'a dashboard name of letters, digits, - and _ (max 255)',
      doc: 'CloudWatch dashboard name',
    },
    metricNamespace: {
      kind: 'string',
      pattern: /^(?!AWS\/)[A-Za-z0-9.\-_/#:]{1,255}$/,
      describe: 'a CloudWatch namespace not starting with AWS/',
      default: 'DocumentProcessing/LlmGateway',
      doc: 'Namespace of the metrics the metric filters create; its default is the seed\'s and does not follow `appName`',
    },
    allowUnsubscribedAlarms: {
      kind: 'boolean',
      default: false,
      defaultIn: { dev: true },
      doc: 'Accept an alarm topic without `alarmEmails` (e.g. an on-call tool subscribes to the `alarm_topic_arn` output); otherwise synth refuses it',
    },
    alarmEmails: {
      kind: 'array',
      unique: true,
      items: { kind: 'string', pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/, describe: 'an e-mail address' },
      default: [],
      doc: 'E-mail subscriptions of the alarm topic',
    },
    alarms: {
      kind: 'object',
      fields: {
        errorRatePercent: { ...percent, default: 5, doc: 'Gateway request errors as % of requests over 5 minutes' },
        alb5xxCount: { ...positive, default: 5, doc: 'ALB-generated 5xx per 5 minutes' },
        target5xxCount: { ...positive, default: 5, doc: 'Target (LiteLLM) 5xx per 5 minutes' },
        p99ResponseTimeSeconds: { ...positive, default: 120, doc: 'p99 target response time' },
        cpuPercent: { ...percent, default: 85, doc: 'Service CPU utilisation' },
        memoryPercent: { ...percent, default: 85, doc: 'Service memory utilisation' },
        databaseConnectionsPercent: {
          ...percent,
          default: 80,
          doc: "Aurora connections as % of the writer's max_connections at `database.maxCapacity` (AWS's Serverless v2 table, modules/capacity)",
        },
        databaseStoragePercent: { ...percent, default: 80, doc: 'Aurora volume (VolumeBytesUsed) as % of `database.storageBudgetGiB`' },
        bedrockThrottles: { ...positive, default: 10, doc: 'Bedrock throttles per model per 5 minutes' },
        applicationErrors: { ...positive, default: 10, doc: 'Log lines at ERROR or CRITICAL per 5 minutes' },
        budgetRefusals: { ...positive, default: 0, doc: 'Requests refused with 422 (budget exhausted) per 5 minutes; 0 pages at the first' },
        rateLimitedCalls: { ...positive, default: 50, doc: 'Calls ending in 429 (rate limited) per 5 minutes, per attempt' },
        guardrailInterventions: { ...positive, default: 20, doc: 'Guardrail interventions per 5 minutes (only with the guardrail)' },
        errorRateMinRequests: {
          kind: 'number',
          integer: true,
          min: 1,
          default: 10,
          doc: 'Requests per 5 minutes below which the error rate is not judged',
        },
        unhealthyTargets: { kind: 'number', integer: true, min: 1, default: 1, doc: 'Unhealthy ALB targets that page when they last 5 minutes' },
        tokenDriftPercent: {
          ...percent,
          default: 10,
          doc: "Per model and day, % by which the gateway's token count may differ from Bedrock's own (the drift alarm)",
        },
      },
    },
    statusAlarms: {
      kind: 'boolean',
      default: true,
      doc: 'Publish BudgetRefusals (422) and RateLimitedCalls (429) and alarm on them (`budget-exhausted`, `rate-limited`): two custom metrics and two alarms (docs/observability.md)',
    },
    totalTokensMetric: {
      kind: 'boolean',
      default: true,
      doc: 'Publish TotalTokens per model (off: the dashboard adds input and output); must be `false` with `usageMetrics` `logs-insights`',
    },
    usageMetrics: {
      kind: 'string',
      allowed: USAGE_METRICS,
      default: 'metric-filters',
      doc: 'Source of the dashboard\'s usage numbers: `metric-filters` publishes them as custom metrics (15 months of history, billed per metric); `logs-insights` publishes only what the alarms read and queries the gateway log group when the dashboard is viewed (docs/cost.md)',
    },
    tokenDriftAlarm: {
      kind: 'boolean',
      default: true,
      doc: "Alarm per model when the gateway's daily token count and Bedrock's (`AWS/Bedrock`) differ by more than `alarms.tokenDriftPercent`; needs `usageMetrics` `metric-filters` (docs/observability.md)",
    },
    bedrockMetricsModelId: {
      kind: 'string',
      allowed: BEDROCK_METRICS_MODEL_IDS,
      default: 'inference-profile',
      doc: "`ModelId` Bedrock's metrics carry for a call through a cross-region profile: the profile id or the foundation model's id (AWS does not document it; docs/observability.md)",
    },
    budgets: {
      kind: 'object',
      fields: {
        enabled: { kind: 'boolean', default: true, doc: 'AWS Budgets alerts to the alarm topic (docs/cost.md)' },
        bedrockMonthlyUsd: {
          kind: 'number',
          min: 1,
          max: 10_000_000,
          default: 100,
          defaultIn: { prod: 1000 },
          doc: 'Monthly Bedrock budget of the account',
        },
        totalMonthlyUsd: {
          kind: 'number',
          min: 1,
          max: 10_000_000,
          default: 150,
          defaultIn: { prod: 400 },
          doc: 'Monthly budget of the resources tagged with this environment',
        },
        thresholdsPercent: {
          kind: 'array',
          minItems: 1,
          maxItems: 4,
          unique: true,
          items: { kind: 'number', min: 1, max: 1000 },
          default: [80, 100],
          doc: 'ACTUAL notifications at these % of each budget, plus a FORECASTED one at 100 %',
        },
        bedrockServices: {
          kind: 'array',
          minItems: 1,
          unique: true,
          items: { kind: 'string', pattern: /^[\w .()\-/:]{1,128}$/, describe: 'a Cost Explorer service name like "Amazon Bedrock"' },
          default: ['Amazon Bedrock'],
          doc: 'Cost Explorer SERVICE values the Bedrock budget sums',
        },
        costAllocationTag: {
          kind: 'string',
          pattern: /^(?!aws:)[\w .:/=+\-@]{1,128}$/,
          describe: 'a tag key of the default tags, like env',
          default: 'env',
          doc: 'Tag the total budget filters on: one of `env`, `application` or a key of `tags`, activated as a cost allocation tag',
        },
        hardStop: {
          kind: 'object',
          fields: {
            enabled: {
              kind: 'boolean',
              default: false,
              defaultIn: { prod: true },
              doc: "AWS Budgets action that denies Bedrock invocation to the gateway's task role past the ceiling below (docs/cost.md#the-hard-stop); needs `budgets.enabled`",
            },
            bedrockMonthlyUsd: {
              kind: 'number',
              min: 1,
              max: 10_000_000,
              default: 150,
              defaultIn: { prod: 1500 },
              doc: 'Ceiling of the month\'s actual Bedrock spend (USD, the bill\'s number) past which the hard stop acts; at least `bedrockMonthlyUsd`',
            },
          },
        },
      },
    },
    bedrockInvocationLogging: invocationLoggingSpec,
  },
};

export const observabilityDefaults = defaultsOf<ObservabilityConfig, keyof typeof observabilityDerivedDefaults>(observabilitySpec);
export const alarmDefaults: AlarmThresholds = observabilityDefaults.alarms;
export const budgetsDefaults: BudgetsConfig = observabilityDefaults.budgets;

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
  if (o.usageMetrics === 'logs-insights' && o.tokenDriftAlarm) {
    issues.push({
      path: 'observability.tokenDriftAlarm',
      value: o.tokenDriftAlarm,
      allowed: 'false with observability.usageMetrics "logs-insights" (the alarm reads the InputTokens/OutputTokens metrics only "metric-filters" publishes), or usageMetrics "metric-filters"',
    });
  }
  if (o.budgets.hardStop.enabled && !o.budgets.enabled) {
    issues.push({
      path: 'observability.budgets.hardStop.enabled',
      value: true,
      allowed: 'false, or observability.budgets.enabled true (the hard stop is an action of the Bedrock budget)',
    });
  }
  if (o.budgets.hardStop.enabled && o.budgets.hardStop.bedrockMonthlyUsd < o.budgets.bedrockMonthlyUsd) {
    issues.push({
      path: 'observability.budgets.hardStop.bedrockMonthlyUsd',
      value: o.budgets.hardStop.bedrockMonthlyUsd,
      allowed: `at least observability.budgets.bedrockMonthlyUsd (${o.budgets.bedrockMonthlyUsd}): the alerts come before the stop`,
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
