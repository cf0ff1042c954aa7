/**
 * The metric line: one JSON object per completion that the gateway's callback
 * (gateway-image/callbacks/metrics_logger.py) prints to stdout, and from which CloudWatch metric filters publish
 * request, token, cost and latency metrics. This is the one TypeScript definition of it; metric-line.test.ts runs
 * the Python callback and fails when the two drift apart.
 */

/** Logical name -> JSON field name written by the callback. */
export const METRIC_LINE_FIELDS = {
  /** Always `true`: what a filter pattern selects on, e.g. `{ $.litellm_metric IS TRUE }`. */
  marker: 'litellm_metric',
  /** Bedrock model id without `bedrock/`, e.g. `us.anthropic.claude-sonnet-4-5-20250929-v1:0` (catalogue `modelId`). */
  model: 'model',
  /** Model the provider's response reports; equals `model` on failures. */
  providerModel: 'provider_model',
  /** Alias the caller asked for, e.g. `claude-primary`. */
  modelGroup: 'model_group',
  /** Alias of the caller's virtual key: per-agent attribution. `unknown` without one. */
  keyAlias: 'key_alias',
  promptTokens: 'prompt_tokens',
  completionTokens: 'completion_tokens',
  totalTokens: 'total_tokens',
  /** USD, as computed by LiteLLM from its bundled price map. */
  responseCost: 'response_cost',
  responseTimeMs: 'response_time_ms',
  /** 200 on success; on failure the provider's HTTP status when known (429 throttling, 400 context window), else 500. */
  statusCode: 'status_code',
  /** ISO-8601 UTC end of the call, e.g. `2026-04-26T23:59:41.929045+00:00`. */
  timestamp: 'timestamp',
  /** Failure lines only: one-line, truncated error summary. */
  error: 'error',
  /** Failure lines only: exception class, e.g. `RateLimitError`. */
  errorClass: 'error_class',
} as const;

export type MetricLineField = keyof typeof METRIC_LINE_FIELDS;

/** Fields present only on failure lines; every other field is on every line. */
export const FAILURE_ONLY_FIELDS: readonly MetricLineField[] = ['error', 'errorClass'];

/**
 * JSON type of each field. Numbers are always JSON numbers (a metric filter cannot publish a value it reads as a
 * string); `integer` fields never carry a fraction.
 */
export const METRIC_LINE_FIELD_TYPES: Readonly<Record<MetricLineField, 'boolean' | 'string' | 'integer' | 'number'>> = {
  marker: 'boolean',
  model: 'string',
  providerModel: 'string',
  modelGroup: 'string',
  keyAlias: 'string',
  promptTokens: 'integer',
  completionTokens: 'integer',
  totalTokens: 'integer',
  responseCost: 'number',
  responseTimeMs: 'integer',
  statusCode: 'integer',
  timestamp: 'string',
  error: 'string',
  errorClass: 'string',
};

/** The JSON selector of a field in a CloudWatch Logs filter pattern or metric value, e.g. `$.prompt_tokens`. */
export function metricLineSelector(field: MetricLineField): string {
  return `$.${METRIC_LINE_FIELDS[field]}`;
}

/**
 * A string literal for a CloudWatch Logs filter pattern or a Logs Insights query: double-quoted, with backslashes and
 * double quotes escaped.
 */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
