/**
 * The metrics the metric filters publish from the gateway's log group: the metric line's requests, tokens, cost and
 * latency per model (modules/metric-line.ts), LiteLLM's application errors, and (modules/agent-metrics) spend per
 * agent and the key reconciler's failures. A pure table plus one construct that turns it into filters.
 */
import { Construct } from 'constructs';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { agentDimensions, agentMetrics, reconcilerFailureMetric } from '../agent-metrics';
import { MetricLineField, metricLineSelector, quote } from '../metric-line';

/** Dimension of every per-model metric the filters publish; its value is the metric line's `model`. */
export const MODEL_DIMENSION = 'Model';

/**
 * LiteLLM's JSON log formatter (litellm/_logging.py, JsonFormatter) writes `"level": record.levelname`: upper-case
 * Python level names. ERROR and CRITICAL are the ones that page.
 */
export const LITELLM_LOG_LEVEL_FIELD = 'level';
export const PAGING_LOG_LEVELS: readonly string[] = ['ERROR', 'CRITICAL'];

/**
 * The start of the line LiteLLM logs at ERROR (verbose_logger.exception) when the proxy's start-up schema check finds
 * the database differs from its Prisma schema: with DISABLE_SCHEMA_UPDATE=true, proxy_cli.py runs
 * check_prisma_schema_diff (litellm/proxy/db/check_migration.py), which only logs it. The migrate container owns the
 * schema; a difference it left (indexes the shipped migrations do not build) is logged once per task start and is not
 * an outage, so it does not page: ApplicationErrors excludes it (docs/gateway-runtime.md#start-up-schema-check).
 */
export const SCHEMA_DIFF_MESSAGE_PREFIX = '🚨🚨🚨 prisma schema out of sync';

/**
 * LiteLLM's status for a request refused because a budget ran out (error type budget_exceeded, before any provider
 * call; `litellm_settings.budget_exceeded_status_code` changes it): docs.litellm.ai/docs/proxy/budget_exceeded_errors.
 */
export const BUDGET_REFUSAL_STATUS = 422;
/** A rate limit: the router's own pre-call check (enforce_model_rate_limits), a key's rpm/tpm, or a Bedrock throttle. */
export const RATE_LIMITED_STATUS = 429;

/** CloudWatch Logs caps a filter pattern at 1024 characters (PutMetricFilter). */
export const MAX_FILTER_PATTERN_LENGTH = 1024;

export type MetricUnit = 'Count' | 'None' | 'Milliseconds';

/** Where the dashboard's usage numbers come from (config observability.usageMetrics). */
export type UsageSource = 'metric-filters' | 'logs-insights';

/** One metric a filter publishes from the gateway's log group (docs/design.md#metrics). */
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
  /**
   * An alarm reads it, so it is published whatever the usage source; the others only feed the dashboard and are
   * left to Logs Insights with `logs-insights`.
   */
  readonly alarmed: boolean;
}

function jsonPattern(clauses: readonly string[]): string {
  return `{ ${clauses.join(' && ')} }`;
}

/**
 * The gateway's metrics, their patterns built from the metric line's field names. Per-model patterns only match the
 * catalogue's model ids: the `model` of a failure line can be whatever a caller asked for, and every distinct
 * dimension value is a billed custom metric (CloudWatch Logs disables a filter that mints 1,000 of them in an hour).
 * It also keeps the dashboard's and alarms' sums over the catalogue complete.
 */
export function gatewayMetrics(modelIds: readonly string[]): GatewayMetric[] {
  if (modelIds.length === 0) throw new Error('observability: the model catalogue has no model ids; expected at least one');
  const $ = (field: MetricLineField) => metricLineSelector(field);
  const isMetricLine = `${$('marker')} IS TRUE`;
  const knownModel = `(${modelIds.map((id) => `${$('model')} = ${quote(id)}`).join(' || ')})`;
  const succeeded = `${$('statusCode')} = 200`;
  // 422 (a budget ran out) and 429 (a rate limit) are counted on their own (BudgetRefusals, RateLimitedCalls): a
  // budget refusal is the agent's limit working, and a throttle is usually absorbed by the fallback, whose own call
  // then succeeds. LiteLLM's callbacks see every failed call attempt (a retry, a throttled primary before its
  // fallback), not every request: docs/observability.md#statuses-422-429-and-5xx-told-apart.
  const failed = `${$('statusCode')} >= 400 && ${$('statusCode')} != ${BUDGET_REFUSAL_STATUS} && ${$('statusCode')} != ${RATE_LIMITED_STATUS}`;
  const every = jsonPattern([isMetricLine, knownModel]);
  const success = jsonPattern([isMetricLine, knownModel, succeeded]);
  const perModel = (name: string, pattern: string, value: string, unit: MetricUnit, alarmed = false): GatewayMetric => ({
    name,
    pattern,
    value,
    unit,
    perModel: true,
    alarmed,
  });
  const metrics: GatewayMetric[] = [
    perModel('RequestCount', every, '1', 'Count', true),
    perModel('InputTokens', success, $('promptTokens'), 'Count'),
    perModel('OutputTokens', success, $('completionTokens'), 'Count'),
    perModel('TotalTokens', success, $('totalTokens'), 'Count'),
    // Dollars are not a CloudWatch unit.
    perModel('ResponseCostUSD', success, $('responseCost'), 'None'),
    perModel('ResponseTimeMs', every, $('responseTimeMs'), 'Milliseconds'),
    perModel('RequestErrors', jsonPattern([isMetricLine, knownModel, failed]), '1', 'Count', true),
    // Any model: a budget refusal names the alias the caller asked for (LiteLLM logs it before routing), not a model id
    // of the catalogue; without a dimension these are two metrics whatever the catalogue holds.
    {
      name: 'BudgetRefusals',
      pattern: jsonPattern([isMetricLine, `${$('statusCode')} = ${BUDGET_REFUSAL_STATUS}`]),
      value: '1',
      unit: 'Count',
      perModel: false,
      defaultValue: '0',
      alarmed: true,
    },
    {
      name: 'RateLimitedCalls',
      pattern: jsonPattern([isMetricLine, `${$('statusCode')} = ${RATE_LIMITED_STATUS}`]),
      value: '1',
      unit: 'Count',
      perModel: false,
      defaultValue: '0',
      alarmed: true,
    },
    {
      name: 'ApplicationErrors',
      pattern:
        `{ (${PAGING_LOG_LEVELS.map((level) => `$.${LITELLM_LOG_LEVEL_FIELD} = ${quote(level)}`).join(' || ')}) && ` +
        `$.message != ${quote(`${SCHEMA_DIFF_MESSAGE_PREFIX}*`)} }`,
      value: '1',
      unit: 'Count',
      perModel: false,
      // No dimension, so a 0 for every other line is allowed: the series is continuous while the gateway logs.
      defaultValue: '0',
      alarmed: true,
    },
  ];
  // Patterns longer than MAX_FILTER_PATTERN_LENGTH: refused by the catalogue checks (modules/catalogue-checks.ts).
  return metrics;
}

export interface MetricSelection {
  readonly usage: UsageSource;
  /** TotalTokens equals input + output; a cost lever may leave it out (observability.totalTokensMetric). */
  readonly totalTokens: boolean;
  /** BudgetRefusals and RateLimitedCalls (observability.statusAlarms, a cost lever). @default true */
  readonly statusMetrics?: boolean;
}

/** The metrics only observability.statusAlarms publishes. */
export const STATUS_METRICS: readonly string[] = ['BudgetRefusals', 'RateLimitedCalls'];

/** The gateway metrics an environment publishes. */
export function selectGatewayMetrics(modelIds: readonly string[], selection: MetricSelection): GatewayMetric[] {
  return gatewayMetrics(modelIds).filter(
    (m) =>
      (selection.usage === 'metric-filters' || m.alarmed) &&
      (selection.totalTokens || m.name !== 'TotalTokens') &&
      (selection.statusMetrics !== false || !STATUS_METRICS.includes(m.name)),
  );
}

/** A construct-id-safe, stable slug, e.g. for a model id or an e-mail address. */
export function slug(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

export interface MetricFiltersProps {
  readonly logGroupName: string;
  readonly namespace: string;
  readonly modelIds: readonly string[];
  /** Declared agents: the values of the Agent dimension. */
  readonly agents: readonly string[];
  readonly selection: MetricSelection;
  /** Physical name of a filter from its component, e.g. `request-count` -> `<app>-<env>-request-count`. */
  readonly filterName: (component: string) => string;
}

/**
 * The metric filters on the gateway's log group, by metric name, created in `scope` itself so their addresses stay
 * `aws_cloudwatch_log_metric_filter.filter-*` (a construct of their own would prefix every address). Construct ids are
 * `filter-<kebab metric name>` for the gateway metrics and `filter-<component>` for the agent and reconciler metrics.
 */
export function createMetricFilters(scope: Construct, props: MetricFiltersProps): Record<string, CloudwatchLogMetricFilter> {
  const { logGroupName, namespace } = props;
  const filters: Record<string, CloudwatchLogMetricFilter> = {};
  for (const m of selectGatewayMetrics(props.modelIds, props.selection)) {
    const component = slug(m.name.replace(/([a-z])([A-Z])/g, '$1-$2'));
    filters[m.name] = new CloudwatchLogMetricFilter(scope, `filter-${component}`, {
      name: props.filterName(component),
      logGroupName,
      pattern: m.pattern,
      metricTransformation: {
        name: m.name,
        namespace,
        value: m.value,
        unit: m.unit,
        ...(m.perModel ? { dimensions: { [MODEL_DIMENSION]: metricLineSelector('model') } } : {}),
        ...(m.defaultValue !== undefined ? { defaultValue: m.defaultValue } : {}),
      },
    });
  }
  // Spend per agent: its own filters with an Agent dimension; with logs-insights the dashboard queries the log group.
  if (props.selection.usage === 'metric-filters') {
    for (const m of agentMetrics(props.agents)) {
      filters[m.name] = new CloudwatchLogMetricFilter(scope, `filter-${m.component}`, {
        name: props.filterName(m.component),
        logGroupName,
        pattern: m.pattern,
        metricTransformation: { name: m.name, namespace, value: m.value, unit: m.unit, dimensions: agentDimensions() },
      });
    }
  }
  // An alarm reads it: published whatever the usage source.
  const failures = reconcilerFailureMetric();
  filters[failures.name] = new CloudwatchLogMetricFilter(scope, `filter-${failures.component}`, {
    name: props.filterName(failures.component),
    logGroupName,
    pattern: failures.pattern,
    metricTransformation: { name: failures.name, namespace, value: failures.value, unit: failures.unit },
  });
  return filters;
}
