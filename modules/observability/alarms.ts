/**
 * Every alarm of the gateway as one typed table: key, description, threshold, metric, the missing-data choice with
 * its reason, and the runbook text. The table is pure data; `createAlarms` turns it into CloudWatch alarms and
 * `renderRunbook` (runbook.ts) into docs/runbook.md, so an alarm is an entry here plus its RUNBOOK row; the few other
 * places (a configurable threshold, a test by its key) are counted in docs/contributing.md#adding-an-alarm.
 */
import { Construct } from 'constructs';
import { CloudwatchMetricAlarm, CloudwatchMetricAlarmMetricQuery } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { AlarmThresholds } from '../../config/observability';
import { reconcilerFailureMetric } from '../agent-metrics';
import { MODEL_DIMENSION, PAGING_LOG_LEVELS, slug } from './metrics';
import { OFF_HOURS_GATED_ALARMS, OffHoursGate, gateToWindows } from './off-hours';

/** An alarm on metric math may reference at most 10 metrics (CloudWatch alarm limits, a hard limit). */
export const MAX_ALARM_METRICS = 10;

/** Namespace of the Bedrock Guardrails runtime metrics. */
export const GUARDRAIL_NAMESPACE = 'AWS/Bedrock/Guardrails';

export function guardrailDimensions(guardrail: { readonly arn: string; readonly version: string }): Record<string, string> {
  return { GuardrailArn: guardrail.arn, GuardrailVersion: guardrail.version };
}

/** Sum of per-model series where a model without traffic counts as 0 rather than blanking the total. */
export function sumOf(ids: readonly string[]): string {
  return `SUM([${ids.map((id) => `FILL(${id}, 0)`).join(', ')}])`;
}

export type TreatMissingData = 'breaching' | 'notBreaching' | 'ignore' | 'missing';
export type ComparisonOperator = 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';

/** One metric, read with a statistic over a period. */
export interface SingleMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions?: Readonly<Record<string, string>>;
  /** `Sum`, `Average`, ... or a percentile such as `p99` (an extended statistic). */
  readonly statistic: string;
  readonly periodSeconds: number;
}

/** Metric math: the query with `returnData: true` is judged. */
export interface MathMetric {
  readonly queries: readonly CloudwatchMetricAlarmMetricQuery[];
}

export interface AlarmSpec {
  /** Construct id `alarm-<key>`, physical name `<app>-<env>-<key>`. */
  readonly key: string;
  /** The runbook row (and anchor) this alarm is documented under; a family such as `bedrock-throttles` shares one. */
  readonly runbook: string;
  /** One sentence with the thresholds in force: the alarm's description, and the runbook's "fires when". */
  readonly description: string;
  /** The runbook's "fires when" where one row documents a family of alarms (one per model). @default description */
  readonly runbookDescription?: string;
  readonly threshold: number;
  readonly comparison: ComparisonOperator;
  readonly evaluationPeriods: number;
  /** @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  readonly metric: SingleMetric | MathMetric;
  readonly missingData: { readonly treat: TreatMissingData; readonly reason: string };
}

/** The runbook text of a row: what an alarm means and what to do, shared by every alarm of the row. */
export interface RunbookEntry {
  /** How the row is titled in the runbook, e.g. `bedrock-throttles-<model id>`. */
  readonly title: string;
  /** When the row exists, if not always, e.g. "only with gateway.guardrail". */
  readonly onlyWhen?: string;
  readonly meaning: string;
  readonly actions: string;
}

export interface AlarmTableInput {
  readonly thresholds: AlarmThresholds;
  /** Namespace of the gateway's own metrics (observability.metricNamespace). */
  readonly namespace: string;
  readonly region: string;
  /**
   * Bedrock model ids in catalogue order, with the aliases and regions that call them, and the `ModelId` dimension
   * value Bedrock's `AWS/Bedrock` metrics carry for them (observability.bedrockMetricsModelId).
   */
  readonly models: readonly {
    readonly modelId: string;
    readonly label: string;
    readonly regions: readonly string[];
    readonly bedrockMetricsModelId: string;
  }[];
  /**
   * The daily token drift alarm per model (observability.tokenDriftAlarm): only where the gateway publishes its
   * InputTokens/OutputTokens metrics.
   */
  readonly tokenDrift: boolean;
  readonly albArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly dbClusterIdentifier: string;
  readonly dbMaxCapacity: number;
  /**
   * The writer's default max_connections at the configured capacity range (auroraMaxConnections, modules/capacity):
   * the connections alarm fires at thresholds.databaseConnectionsPercent of it.
   */
  readonly dbMaxConnections: number;
  /** database.storageBudgetGiB: the storage alarm fires at thresholds.databaseStoragePercent of it. */
  readonly dbStorageBudgetGiB: number;
  /** Container Insights on the cluster: running and desired task counts. */
  readonly containerInsights: boolean;
  readonly minTasks: number;
  /** budget-exhausted and rate-limited (observability.statusAlarms). @default true */
  readonly statusAlarms?: boolean;
  readonly guardrail?: { readonly arn: string; readonly version: string };
  /** gateway.schedule: the alarms a planned 0-task gap breaches are judged inside the active hours only (off-hours.ts). */
  readonly offHours?: OffHoursGate;
}

export interface AlarmTable {
  readonly alarms: readonly AlarmSpec[];
  /** Alarms the table left out, with the reason (synth prints them as warnings). */
  readonly warnings: readonly string[];
}

/** The runbook, by row. Its order is the runbook's. */
export const RUNBOOK: Readonly<Record<string, RunbookEntry>> = {
  'error-rate': {
    title: 'error-rate',
    meaning:
      'Many gateway calls end with a failure other than a budget refusal (422) or a rate limit (429): Bedrock or IAM errors (5xx), ' +
      'bad requests from one agent (400), auth (401/403). Counted per call attempt (docs/observability.md)',
    actions:
      'Dashboard "Error rate" and "Requests by model": one model or all? Logs Insights on the log group: ' +
      '`filter litellm_metric and status_code >= 400 | stats count(*) by model, status_code, error_class, key_alias`. 422 and 429: ' +
      'see `budget-exhausted` and `rate-limited`. 400 from one `key_alias`: that agent\'s requests. 5xx across models: Bedrock or IAM; check the task ' +
      'role and the Bedrock service health.',
  },
  'alb-5xx': {
    title: 'alb-5xx',
    meaning: 'The ALB itself answered 5xx: no healthy target (503), target reset or timeout (502/504)',
    actions:
      'Check `unhealthy-targets` and `running-tasks`. 504 at 60 s means an idle timeout shorter than the request ' +
      '(docs/design.md#alb-idle-timeout); 502s after idle periods mean keep-alive below the ALB idle timeout.',
  },
  'target-5xx': {
    title: 'target-5xx',
    meaning: 'The proxy failed requests (provider errors, DB errors, crashes)',
    actions: 'Log group: `filter level = "ERROR"`; compare with `error-rate` per model; check Aurora alarms (LiteLLM needs its DB for key checks).',
  },
  'unhealthy-targets': {
    title: 'unhealthy-targets',
    meaning: 'A task fails `/health/liveliness` on the proxy port (4000)',
    actions:
      'ECS console → service → events and stopped tasks; container logs of the task (`litellm/…` and `migrate/…` streams). A ' +
      'failed migration stops the task before the proxy starts: read the `migrate` stream. A first migration of an empty ' +
      'database can take minutes: check `gateway.healthCheckGracePeriodSeconds`.',
  },
  'p99-latency': {
    title: 'p99-latency',
    meaning: 'Slow completions, or queuing in the proxy',
    actions: 'Dashboard latency row: one model (Bedrock slowness, long outputs) or all (CPU, DB)? Check `cpu-high` and `db-capacity-max`.',
  },
  'cpu-high': {
    title: 'cpu-high',
    meaning: 'Auto scaling is not keeping up, or is at `maxTasks`',
    actions: 'Desired vs running tasks; raise `gateway.maxTasks` or `gateway.cpu`; look for a runaway client in the cost table.',
  },
  'memory-high': {
    title: 'memory-high',
    meaning: 'Tasks close to their memory limit; OOM kills follow',
    actions: 'Stopped-task reasons (OutOfMemory); raise `gateway.memoryMiB`; fewer workers per task.',
  },
  'running-tasks': {
    title: 'running-tasks',
    meaning: 'Tasks crash-loop, a deployment is stuck, or Fargate cannot place tasks (no Spot capacity)',
    actions:
      'ECS service events; stopped-task reasons; image pull (ECR) and secret retrieval errors; subnets\' free IPs. Roll back ' +
      'to the previous task definition if a deploy caused it.',
  },
  'db-capacity-max': {
    title: 'db-capacity-max',
    meaning: 'The database is pinned at its ceiling: queries queue, gateway latency grows',
    actions: 'Raise `database.maxCapacity`; check connections (`db-connections`) and spend-log write volume.',
  },
  'db-connections': {
    title: 'db-connections',
    meaning: "Connections near the writer's max_connections: new tasks, migrations and people may be refused a connection",
    actions:
      '`npm run capacity` (what the fleet may open at its peak); `pg_stat_activity` by application; lower `gateway.maxTasks`, ' +
      '`gateway.numWorkers` or the pool limit, or raise `database.maxCapacity` (and `database.minCapacity` above 0.5 beyond 2,000).',
  },
  'db-storage': {
    title: 'db-storage',
    meaning: 'The cluster volume nears its storage budget: LiteLLM_SpendLogs (one row per request) is the usual growth',
    actions:
      'Row counts per table; lower `database.spendLogsRetentionDays` (LiteLLM deletes older spend logs daily; the volume ' +
      'shrinks as Aurora reclaims the freed space) or raise `database.storageBudgetGiB` if the growth is expected.',
  },
  'bedrock-throttles': {
    title: 'bedrock-throttles-<model id>',
    meaning: 'Bedrock quota (RPM/TPM) for that model is exhausted; LiteLLM retries and falls back',
    actions:
      'Which agents (`key_alias` in the cost table)? Lower their rate limits, move traffic to the fallback alias, or request ' +
      'a quota increase (Service Quotas, Bedrock, cross-region model inference).',
  },
  'token-drift': {
    title: 'token-drift-<model id>',
    onlyWhen: 'only with `observability.tokenDriftAlarm` (on by default; needs `usageMetrics` `metric-filters`)',
    meaning:
      "Over a day, the tokens the gateway counted for a model (its metric lines) and the tokens Bedrock itself reports " +
      "(`AWS/Bedrock` InputTokenCount + OutputTokenCount) disagree: calls made with the gateway's task role outside " +
      "LiteLLM's bookkeeping, lost or wrong metric lines, or a `ModelId` mapping that does not match what Bedrock publishes",
    actions:
      'CloudWatch, same day, per model: the gateway namespace\'s `InputTokens` + `OutputTokens` (dimension `Model`) against ' +
      '`AWS/Bedrock` `InputTokenCount` + `OutputTokenCount` (dimension `ModelId`). Bedrock near 0 while the gateway counts: ' +
      'the `ModelId` value differs; switch `observability.bedrockMetricsModelId`. Bedrock higher: CloudTrail `InvokeModel` / ' +
      '`Converse` events by the gateway task role that the gateway log group has no line for (someone using the role), or ' +
      'prompt-cache tokens Bedrock reports apart (`CacheReadInputTokenCount`, `CacheWriteInputTokenCount`). Gateway higher: ' +
      'Bedrock calls in another region or account, or LiteLLM counting tokens it did not send. The bill follows Bedrock\'s ' +
      'count (docs/cost.md).',
  },
  'guardrail-interventions': {
    title: 'guardrail-interventions',
    onlyWhen: 'only with `gateway.guardrail`',
    meaning:
      'Many prompts or completions blocked or masked: an agent feeding unusual documents, a prompt-injection attempt, or a ' +
      'filter too strict for the traffic',
    actions:
      'Which agent: Logs Insights on the gateway log group, `filter @message like /Violated guardrail policy/`, and the 400s ' +
      'by `key_alias` (`filter litellm_metric and status_code = 400 | stats count(*) by key_alias`). Which policy: the ' +
      "dashboard's guardrail row, or the intervention's assessments (CloudWatch metric `InvocationsIntervened` by " +
      '`GuardrailPolicyType`). Legitimate traffic blocked: lower that filter\'s strength or narrow the topic in ' +
      '`gateway.guardrail` and redeploy (a new pinned version). ApplyGuardrail failures are logged at ERROR and pass ' +
      'unchecked: see `application-errors`.',
  },
  'key-reconciler': {
    title: 'key-reconciler',
    meaning: "A gateway task could not put every agent's key in place: agents get 401",
    actions:
      'Log group, streams `key-reconciler/...`: `filter @logStream like /key-reconciler/ | sort @timestamp desc`. A ' +
      'hand-made key holding an agent\'s alias: delete it or mark it managed; `HTTP 401`: the master key secret; no answer: ' +
      'the proxy or its database. Force a new deployment to retry (`docs/agents.md`).',
  },
  'budget-exhausted': {
    title: 'budget-exhausted',
    onlyWhen: 'only with `observability.statusAlarms` (on by default)',
    meaning:
      "An agent's key (or its team) spent its max_budget: LiteLLM answers 422 (error type budget_exceeded) before calling " +
      'Bedrock, so nothing is billed, and retrying does not help until the budget_duration resets. Not a gateway fault: ' +
      'not in `error-rate`',
    actions:
      'Which agent: Logs Insights, `filter litellm_metric and status_code = 422 | stats count(*) by key_alias, model`. ' +
      'Expected spend: wait for the reset. Otherwise raise `agents.<name>.maxBudget` and redeploy (the key reconciler updates ' +
      'the key, docs/agents.md), or find the runaway client in the cost table.',
  },
  'rate-limited': {
    title: 'rate-limited',
    onlyWhen: 'only with `observability.statusAlarms` (on by default)',
    meaning:
      'Many calls end in 429: the router refusing over an alias\'s rpm/tpm (`enforce_model_rate_limits`), a key\'s rpm/tpm, ' +
      'or Bedrock throttling. Counted per call attempt: a throttled `claude-primary` whose fallback then succeeded counts ' +
      'here once and not in `error-rate`',
    actions:
      'Logs Insights: `filter litellm_metric and status_code = 429 | stats count(*) by model_group, key_alias, error_class`. ' +
      'Bedrock throttles: see `bedrock-throttles-*`. The router\'s own limit: raise the alias\'s `tpm`/`rpm` in the LiteLLM ' +
      'config (TPM is per process) or lower the agent\'s limits; requests that the fallback could not serve reach the agent as 429.',
  },
  'application-errors': {
    title: 'application-errors',
    meaning: 'The proxy logs errors: DB, callback, config or provider problems',
    actions: 'Logs Insights: `filter level in ["ERROR", "CRITICAL"] | stats count(*) by message | sort count desc`.',
  },
};

/** The gateway's alarms for one environment. */
export function alarmTable(input: AlarmTableInput): AlarmTable {
  const t = input.thresholds;
  const alarms: AlarmSpec[] = [];
  const warnings: string[] = [];
  const add = (spec: Omit<AlarmSpec, 'runbook'> & { runbook?: string }): void => {
    alarms.push({ ...spec, runbook: spec.runbook ?? spec.key });
  };
  const lb = { LoadBalancer: input.albArnSuffix };
  const ecs = { ClusterName: input.clusterName, ServiceName: input.serviceName };
  const targets = { TargetGroup: input.targetGroupArnSuffix, ...lb };
  const modelIds = input.models.map((m) => m.modelId);

  // ---- gateway error rate: metric math over the per-model metrics (at most MAX_ALARM_METRICS / 2 model ids: the
  // catalogue checks, modules/catalogue-checks.ts, refuse more before any stack exists).
  const perModel = (prefix: string, metricName: string): CloudwatchMetricAlarmMetricQuery[] =>
    modelIds.map((modelId, i) => ({
      id: `${prefix}${i}`,
      returnData: false,
      metric: { namespace: input.namespace, metricName, dimensions: { [MODEL_DIMENSION]: modelId }, stat: 'Sum', period: 300 },
    }));
  const min = t.errorRateMinRequests;
  add({
    key: 'error-rate',
    description: `Gateway calls failing (status >= 400 except 422 budget refusals and 429 rate limits, which have their own alarms) above ${t.errorRatePercent} % over 5 minutes, in 2 of 3 windows with at least ${min} calls.`,
    comparison: 'GreaterThanThreshold',
    threshold: t.errorRatePercent,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    metric: {
      queries: [
        ...perModel('r', 'RequestCount'),
        ...perModel('e', 'RequestErrors'),
        { id: 'requests', expression: sumOf(modelIds.map((_, i) => `r${i}`)), label: 'Requests', returnData: false },
        { id: 'errors', expression: sumOf(modelIds.map((_, i) => `e${i}`)), label: 'Errors', returnData: false },
        // Below the minimum volume one failure is a large percentage: judge the rate only with enough requests.
        { id: 'error_rate', expression: `IF(requests >= ${min}, 100 * errors / requests, 0)`, label: 'Error rate (%)', returnData: true },
      ],
    },
    missingData: { treat: 'notBreaching', reason: 'FILL(…, 0) keeps the series continuous and quiet windows evaluate to 0: no traffic is not an outage' },
  });

  // ---- load balancer
  const elb5xx = (key: string, description: string, metricName: string, threshold: number): void =>
    add({
      key,
      description,
      metric: { namespace: 'AWS/ApplicationELB', metricName, dimensions: lb, statistic: 'Sum', periodSeconds: 300 },
      evaluationPeriods: 1,
      comparison: 'GreaterThanThreshold',
      threshold,
      missingData: { treat: 'notBreaching', reason: 'the ALB publishes 5xx counts only for minutes that had some: missing means none' },
    });
  elb5xx('alb-5xx', `The load balancer itself answered more than ${t.alb5xxCount} 5xx in 5 minutes (no healthy target, timeouts).`, 'HTTPCode_ELB_5XX_Count', t.alb5xxCount);
  elb5xx('target-5xx', `LiteLLM answered more than ${t.target5xxCount} 5xx in 5 minutes.`, 'HTTPCode_Target_5XX_Count', t.target5xxCount);

  const healthSilence = 'target health is reported every minute while the target group is attached; silence means it is gone';
  add({
    key: 'unhealthy-targets',
    description: `At least ${t.unhealthyTargets} gateway task(s) failing the ALB health check for 5 minutes.`,
    metric: { namespace: 'AWS/ApplicationELB', metricName: 'UnHealthyHostCount', dimensions: targets, statistic: 'Maximum', periodSeconds: 60 },
    evaluationPeriods: 5,
    datapointsToAlarm: 5,
    comparison: 'GreaterThanOrEqualToThreshold',
    threshold: t.unhealthyTargets,
    missingData: { treat: 'breaching', reason: healthSilence },
  });
  add({
    key: 'p99-latency',
    description: `p99 target response time above ${t.p99ResponseTimeSeconds} s for 15 minutes.`,
    metric: { namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', dimensions: lb, statistic: 'p99', periodSeconds: 300 },
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    comparison: 'GreaterThanThreshold',
    threshold: t.p99ResponseTimeSeconds,
    missingData: { treat: 'notBreaching', reason: 'no requests, no latency: not slow' },
  });

  // ---- ECS service
  const ecsAlarm = (key: string, description: string, metricName: string, threshold: number): void =>
    add({
      key,
      description,
      metric: { namespace: 'AWS/ECS', metricName, dimensions: ecs, statistic: 'Average', periodSeconds: 300 },
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparison: 'GreaterThanThreshold',
      threshold,
      missingData: { treat: 'notBreaching', reason: "a service that reports nothing is the running-tasks alarm's page; one page per cause" },
    });
  ecsAlarm('cpu-high', `Gateway tasks above ${t.cpuPercent} % of their CPU for 15 minutes (auto scaling not keeping up).`, 'CPUUtilization', t.cpuPercent);
  ecsAlarm('memory-high', `Gateway tasks above ${t.memoryPercent} % of their memory for 15 minutes.`, 'MemoryUtilization', t.memoryPercent);

  if (input.containerInsights) {
    const insight = (id: string, metricName: string): CloudwatchMetricAlarmMetricQuery => ({
      id,
      returnData: false,
      metric: { namespace: 'ECS/ContainerInsights', metricName, dimensions: ecs, stat: 'Average', period: 300 },
    });
    add({
      key: 'running-tasks',
      description: 'Fewer gateway tasks running than desired, by at least one, for 15 minutes (crash loop, failed deployment, no capacity).',
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      metric: {
        queries: [
          insight('desired', 'DesiredTaskCount'),
          insight('running', 'RunningTaskCount'),
          { id: 'shortfall', expression: 'desired - running', label: 'Desired minus running tasks', returnData: true },
        ],
      },
      missingData: { treat: 'breaching', reason: 'Container Insights reports every service each minute; silence means the service (or the reporting) is gone' },
    });
  } else {
    // Without Container Insights (gateway.containerInsights, a cost lever) there are no task counts: the ALB's healthy
    // targets below the service's floor say the same for a service behind it, from free AWS/ApplicationELB metrics.
    const floor = Math.max(1, input.minTasks);
    add({
      key: 'running-tasks',
      description: `Fewer than ${floor} healthy gateway task(s) behind the ALB for 15 minutes (crash loop, failed deployment, no capacity).`,
      metric: { namespace: 'AWS/ApplicationELB', metricName: 'HealthyHostCount', dimensions: targets, statistic: 'Minimum', periodSeconds: 300 },
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparison: 'LessThanThreshold',
      threshold: floor,
      missingData: { treat: 'breaching', reason: healthSilence },
    });
  }

  // ---- database
  const rds = { DBClusterIdentifier: input.dbClusterIdentifier };
  add({
    key: 'db-capacity-max',
    description: 'Aurora Serverless v2 at its maximum capacity (ACU) for 15 minutes: queries queue.',
    metric: { namespace: 'AWS/RDS', metricName: 'ServerlessDatabaseCapacity', dimensions: rds, statistic: 'Average', periodSeconds: 300 },
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    comparison: 'GreaterThanOrEqualToThreshold',
    threshold: input.dbMaxCapacity,
    missingData: { treat: 'notBreaching', reason: 'being at the ceiling is a positive signal; silence (e.g. a paused cluster) is not evidence of it' },
  });
  const connections = Math.floor((input.dbMaxConnections * t.databaseConnectionsPercent) / 100);
  add({
    key: 'db-connections',
    description:
      `More than ${connections} database connections on an instance for 10 minutes (${t.databaseConnectionsPercent} % of the ` +
      `writer's max_connections ${input.dbMaxConnections} at the configured maximum ACU).`,
    metric: { namespace: 'AWS/RDS', metricName: 'DatabaseConnections', dimensions: rds, statistic: 'Maximum', periodSeconds: 300 },
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    comparison: 'GreaterThanThreshold',
    threshold: connections,
    missingData: { treat: 'notBreaching', reason: 'no connections reported is not too many connections' },
  });
  // VolumeBytesUsed: the cluster volume, billed per GB-month (AWS/RDS, per DBClusterIdentifier; Aurora User Guide,
  // "Cluster-level metrics for Amazon Aurora").
  const storageBytes = Math.floor((input.dbStorageBudgetGiB * 1024 ** 3 * t.databaseStoragePercent) / 100);
  add({
    key: 'db-storage',
    description: `Aurora cluster volume above ${t.databaseStoragePercent} % of its ${input.dbStorageBudgetGiB} GiB budget (${storageBytes} bytes) for an hour.`,
    metric: { namespace: 'AWS/RDS', metricName: 'VolumeBytesUsed', dimensions: rds, statistic: 'Maximum', periodSeconds: 3600 },
    evaluationPeriods: 1,
    comparison: 'GreaterThanThreshold',
    threshold: storageBytes,
    missingData: { treat: 'notBreaching', reason: 'Aurora reports the volume size hourly or less often; silence is not growth' },
  });

  // ---- Bedrock throttling, per model id. Bedrock publishes runtime metrics in the region that received the call,
  // with ModelId = the id the caller passed: for a cross-region profile that is `us.anthropic...`, not the base id.
  for (const model of input.models) {
    if (!model.regions.includes(input.region)) {
      // An alarm can only read metrics of its own region: one here would stay silent forever.
      warnings.push(
        `observability: no Bedrock throttling alarm for ${model.modelId}: the gateway calls it in ${model.regions.join(', ')}, ` +
          `where its metrics are published, but alarms live in ${input.region}`,
      );
      continue;
    }
    add({
      key: `bedrock-throttles-${slug(model.modelId)}`,
      runbook: 'bedrock-throttles',
      description: `Bedrock throttled more than ${t.bedrockThrottles} calls to ${model.modelId} (${model.label}) in 5 minutes.`,
      runbookDescription: `Bedrock throttled more than ${t.bedrockThrottles} calls to the model in 5 minutes (one alarm per model id of the catalogue called in the stack's region; ModelId = the inference profile id).`,
      metric: {
        namespace: 'AWS/Bedrock',
        metricName: 'InvocationThrottles',
        dimensions: { ModelId: model.bedrockMetricsModelId },
        statistic: 'Sum',
        periodSeconds: 300,
      },
      evaluationPeriods: 1,
      comparison: 'GreaterThanThreshold',
      threshold: t.bedrockThrottles,
      missingData: { treat: 'notBreaching', reason: 'published only while the model is called: no calls, no throttling' },
    });
  }

  // ---- token drift, per model and day: the gateway's own count against Bedrock's. Bedrock publishes in the region
  // that received the call, like the throttles above; `regions` is the same filter.
  if (input.tokenDrift) {
    for (const model of input.models.filter((m) => m.regions.includes(input.region))) alarms.push(tokenDriftAlarm(input, model));
  }

  if (input.guardrail) {
    add({
      key: 'guardrail-interventions',
      description: `The Bedrock guardrail intervened on more than ${t.guardrailInterventions} evaluations in 5 minutes.`,
      metric: { namespace: GUARDRAIL_NAMESPACE, metricName: 'InvocationsIntervened', dimensions: guardrailDimensions(input.guardrail), statistic: 'Sum', periodSeconds: 300 },
      evaluationPeriods: 1,
      comparison: 'GreaterThanThreshold',
      threshold: t.guardrailInterventions,
      missingData: { treat: 'notBreaching', reason: 'published only while the guardrail is applied: no evaluations, no interventions' },
    });
  }
  add({
    key: 'key-reconciler',
    description: "The gateway task's key reconciler could not put every agent's LiteLLM key in place (log streams key-reconciler/...).",
    metric: { namespace: input.namespace, metricName: reconcilerFailureMetric().name, statistic: 'Sum', periodSeconds: 300 },
    evaluationPeriods: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    threshold: 1,
    missingData: { treat: 'notBreaching', reason: 'the metric exists only when a failure line was logged: silence means no failure' },
  });
  // ---- statuses told apart: 422 and 429 from the metric lines, any model (the 5xx: target-5xx, per request).
  const defaultZero = 'the filter\'s default 0 keeps the series continuous while the gateway logs: silence means none';
  if (input.statusAlarms !== false) {
    add({
      key: 'budget-exhausted',
      description:
        t.budgetRefusals === 0
          ? 'LiteLLM refused a request with 422 because a budget ran out (budget_exceeded), in the last 5 minutes.'
          : `LiteLLM refused more than ${t.budgetRefusals} requests with 422 because a budget ran out (budget_exceeded) in 5 minutes.`,
      metric: { namespace: input.namespace, metricName: 'BudgetRefusals', statistic: 'Sum', periodSeconds: 300 },
      evaluationPeriods: 1,
      comparison: 'GreaterThanThreshold',
      threshold: t.budgetRefusals,
      missingData: { treat: 'notBreaching', reason: defaultZero },
    });
    add({
      key: 'rate-limited',
      description: `More than ${t.rateLimitedCalls} gateway calls ended in 429 (rate limited) in 5 minutes, in 2 of 3 windows (per call attempt).`,
      metric: { namespace: input.namespace, metricName: 'RateLimitedCalls', statistic: 'Sum', periodSeconds: 300 },
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparison: 'GreaterThanThreshold',
      threshold: t.rateLimitedCalls,
      missingData: { treat: 'notBreaching', reason: defaultZero },
    });
  }
  add({
    key: 'application-errors',
    description: `More than ${t.applicationErrors} LiteLLM log lines at ${PAGING_LOG_LEVELS.join(' or ')} in 5 minutes.`,
    metric: { namespace: input.namespace, metricName: 'ApplicationErrors', statistic: 'Sum', periodSeconds: 300 },
    evaluationPeriods: 1,
    comparison: 'GreaterThanThreshold',
    threshold: t.applicationErrors,
    missingData: { treat: 'notBreaching', reason: 'the filter\'s default 0 makes silence mean "the gateway logs nothing", which the task alarms cover' },
  });

  for (const a of alarms) {
    if (!(a.runbook in RUNBOOK)) throw new Error(`observability: alarm ${a.key} has no runbook entry ${a.runbook} (modules/observability/alarms.ts RUNBOOK)`);
  }
  const gate = input.offHours;
  if (gate === undefined) return { alarms, warnings };
  const gated: readonly string[] = OFF_HOURS_GATED_ALARMS;
  return { alarms: alarms.map((a) => (gated.includes(a.key) ? gateToWindows(a, gate) : a)), warnings };
}

/** A day: the drift alarm's period. CloudWatch's `AWS/Bedrock` and custom metrics both keep daily sums for 15 months. */
export const TOKEN_DRIFT_PERIOD_SECONDS = 86_400;

/**
 * One model's drift alarm: `100 * |gateway - bedrock| / bedrock` over a day, where each side is input + output tokens
 * with a missing series counted as 0. Bedrock's count is the reference (the bill follows it); a day where Bedrock
 * reports nothing but the gateway counted tokens is a 100 % drift (the `ModelId` mapping or the region is wrong), and
 * a day with no tokens on either side is 0, so the IF never divides by zero.
 */
export function tokenDriftAlarm(input: Pick<AlarmTableInput, 'namespace' | 'thresholds'>, model: AlarmTableInput['models'][number]): AlarmSpec {
  const t = input.thresholds;
  const period = TOKEN_DRIFT_PERIOD_SECONDS;
  const query = (id: string, namespace: string, metricName: string, dimensions: Record<string, string>): CloudwatchMetricAlarmMetricQuery => ({
    id,
    returnData: false,
    metric: { namespace, metricName, dimensions, stat: 'Sum', period },
  });
  const gateway = { [MODEL_DIMENSION]: model.modelId };
  const bedrock = { ModelId: model.bedrockMetricsModelId };
  return {
    key: `token-drift-${slug(model.modelId)}`,
    runbook: 'token-drift',
    description:
      `The tokens the gateway counted for ${model.modelId} (${model.label}) over a day differ from Bedrock's own count ` +
      `(ModelId ${model.bedrockMetricsModelId}) by more than ${t.tokenDriftPercent} %.`,
    runbookDescription:
      `The tokens the gateway counted for the model over a day differ from Bedrock's own count by more than ${t.tokenDriftPercent} % ` +
      "of Bedrock's (one alarm per model id of the catalogue called in the stack's region).",
    comparison: 'GreaterThanThreshold',
    threshold: t.tokenDriftPercent,
    evaluationPeriods: 1,
    metric: {
      queries: [
        query('gin', input.namespace, 'InputTokens', gateway),
        query('gout', input.namespace, 'OutputTokens', gateway),
        query('bin', 'AWS/Bedrock', 'InputTokenCount', bedrock),
        query('bout', 'AWS/Bedrock', 'OutputTokenCount', bedrock),
        { id: 'gateway', expression: 'FILL(gin, 0) + FILL(gout, 0)', label: 'Gateway tokens', returnData: false },
        { id: 'bedrock', expression: 'FILL(bin, 0) + FILL(bout, 0)', label: 'Bedrock tokens', returnData: false },
        {
          id: 'drift',
          expression: 'IF(bedrock > 0, 100 * ABS(gateway - bedrock) / bedrock, IF(gateway > 0, 100, 0))',
          label: 'Token drift (% of Bedrock)',
          returnData: true,
        },
      ],
    },
    missingData: {
      treat: 'notBreaching',
      reason: 'neither side publishes on a day without calls: no tokens on either side is no drift',
    },
  };
}

/** Where an alarm's runbook row is, from the alarm's description (and the console). */
export function runbookLink(spec: AlarmSpec): string {
  return `docs/runbook.md#${spec.runbook}`;
}

export interface CreateAlarmsProps {
  readonly topicArn: string;
  /** Physical name of an alarm from its key: `<app>-<env>-<key>`. */
  readonly alarmName: (key: string) => string;
}

/** One CloudWatch alarm per spec, created in `scope` (addresses `aws_cloudwatch_metric_alarm.alarm-<key>`), by construct id. */
export function createAlarms(scope: Construct, specs: readonly AlarmSpec[], props: CreateAlarmsProps): Record<string, CloudwatchMetricAlarm> {
  const alarms: Record<string, CloudwatchMetricAlarm> = {};
  for (const spec of specs) {
    const id = `alarm-${spec.key}`;
    const m = spec.metric;
    const metric =
      'queries' in m
        ? { metricQuery: [...m.queries] }
        : {
            namespace: m.namespace,
            metricName: m.metricName,
            ...(m.dimensions ? { dimensions: { ...m.dimensions } } : {}),
            ...(/^p\d/.test(m.statistic) ? { extendedStatistic: m.statistic } : { statistic: m.statistic }),
            period: m.periodSeconds,
          };
    alarms[id] = new CloudwatchMetricAlarm(scope, id, {
      alarmName: props.alarmName(spec.key),
      alarmDescription: `${spec.description} Runbook: ${runbookLink(spec)}`,
      actionsEnabled: true,
      alarmActions: [props.topicArn],
      okActions: [props.topicArn],
      ...metric,
      evaluationPeriods: spec.evaluationPeriods,
      ...(spec.datapointsToAlarm !== undefined ? { datapointsToAlarm: spec.datapointsToAlarm } : {}),
      comparisonOperator: spec.comparison,
      threshold: spec.threshold,
      treatMissingData: spec.missingData.treat,
    });
  }
  return alarms;
}
