import { InvocationLoggingConfig, invocationLoggingSpec } from './invocation-logging';
import { FieldSpec } from './schema';

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

export interface ObservabilityConfig {
  /** @default 'LlmGateway-<appName>' in dev (the seed's), 'LlmGateway-<appName>-<env>' elsewhere */
  readonly dashboardName: string;
  /** Namespace of the metrics the metric filters create. @default 'DocumentProcessing/LlmGateway' */
  readonly metricNamespace: string;
  /** E-mail addresses subscribed to the alarm topic. @default [] */
  readonly alarmEmails: readonly string[];
  readonly alarms: AlarmThresholds;
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

const positive: FieldSpec = { kind: 'number', min: 0 };
const percent: FieldSpec = { kind: 'number', min: 1, max: 100 };

export const observabilitySpec: FieldSpec = {
  kind: 'object',
  fields: {
    dashboardName: { kind: 'string', pattern: /^[A-Za-z0-9_-]{1,255}$/, describe: 'a dashboard name of letters, digits, - and _ (max 255)' },
    metricNamespace: { kind: 'string', pattern: /^(?!AWS\/)[A-Za-z0-9.\-_/#:]{1,255}$/, describe: 'a CloudWatch namespace not starting with AWS/' },
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
    bedrockInvocationLogging: invocationLoggingSpec,
  },
};
