import { Construct } from 'constructs';
import { Annotations, TerraformOutput } from 'cdktf';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { AppConfig, DatabaseConfig, GatewayConfig, defaultTags, nameOf } from '../config';
import { auroraMaxConnections } from '../modules/capacity';
import { dashboardBody, layoutRows } from '../modules/dashboard';
import { ModelCatalogue } from '../modules/model-catalogue';
import { createAlarmTopic } from '../modules/observability/alarm-topic';
import { AlarmSpec, alarmTable, createAlarms } from '../modules/observability/alarms';
import { BedrockHardStop, SpendBudgets, budgetsKeyPolicyStatement, createBedrockHardStop, createSpendBudgets } from '../modules/observability/budgets';
import { DashboardModel, dashboardRows } from '../modules/observability/dashboard-rows';
import { OFF_HOURS_GATED_ALARMS, OffHoursGate } from '../modules/observability/off-hours';
import { describeSchedule, judgedUtcWindows, startMarginMinutes } from '../config/schedule';
import { InvocationLogging, createInvocationLogging } from '../modules/observability/invocation-logging';
import { GatewayMetric, MetricSelection, createMetricFilters, selectGatewayMetrics } from '../modules/observability/metrics';
import { BaseStack, BaseStackProps, StackConfig } from './base-stack';
import { DatabaseOutputs, GatewayOutputs } from './contracts';

/** Console host of the region's partition. */
function consoleHost(region: string): string {
  if (region.startsWith('cn-')) return 'console.amazonaws.cn';
  if (region.startsWith('us-gov-')) return 'console.amazonaws-us-gov.com';
  return `${region}.console.aws.amazon.com`;
}

export function dashboardUrl(region: string, dashboardName: string): string {
  return `https://${consoleHost(region)}/cloudwatch/home?region=${region}#dashboards/dashboard/${encodeURIComponent(dashboardName)}`;
}

export interface ObservabilityStackProps extends BaseStackProps {
  /** Its own section, the agents (per-agent metrics), and the gateway's task floor and Container Insights (which running-tasks alarm). */
  readonly config: StackConfig &
    Pick<AppConfig, 'observability' | 'agents'> & {
      readonly gateway: Pick<GatewayConfig, 'containerInsights' | 'minTasks' | 'schedule' | 'healthCheckGracePeriodSeconds'>;
      /** The capacity range (the connections alarm's max_connections) and the storage budget. */
      readonly database: Pick<DatabaseConfig, 'minCapacity' | 'storageBudgetGiB'>;
    };
  /** Read only: the stack attaches filters to the log group and watches the gateway, but changes none of it. */
  readonly gateway: GatewayOutputs;
  readonly database: Pick<DatabaseOutputs, 'clusterIdentifier' | 'maxCapacity'>;
  /** Model ids are the Model dimension values and the Bedrock ModelId of the throttling alarms. */
  readonly catalogue: ModelCatalogue;
}

/**
 * Metric filters on the gateway's log group, the CloudWatch dashboard, and alarms that notify an encrypted SNS
 * topic (modules/observability: metrics, dashboard rows, alarm table, alarm topic). It only reads the gateway's and
 * database's outputs, so it deploys and tears down on its own.
 */
export class ObservabilityStack extends BaseStack {
  readonly metrics: readonly GatewayMetric[];
  readonly metricFilters: Readonly<Record<string, CloudwatchLogMetricFilter>>;
  readonly dashboard: CloudwatchDashboard;
  readonly alarmTopic: SnsTopic;
  readonly alarmTopicKey: KmsKey;
  /** AWS Budgets on Bedrock and on the environment, notifying the alarm topic (observability.budgets). */
  readonly budgets?: SpendBudgets;
  /** The AWS Budgets action denying Bedrock to the gateway's task role past a ceiling (observability.budgets.hardStop). */
  readonly hardStop?: BedrockHardStop;
  /** The alarm table the alarms were made from (and docs/runbook.md is rendered from). */
  readonly alarmSpecs: readonly AlarmSpec[];
  /** By construct id, e.g. `alarm-error-rate`. */
  readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;
  /** Bedrock model invocation logging, when observability.bedrockInvocationLogging.enabled. */
  readonly invocationLogging?: InvocationLogging;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, 'observability', props);
    const { config, gateway, database, catalogue } = props;
    const obs = config.observability;
    const { accountId, partition } = this.account;

    const selection: MetricSelection = { usage: obs.usageMetrics, totalTokens: obs.totalTokensMetric, statusMetrics: obs.statusAlarms };
    this.metrics = selectGatewayMetrics(catalogue.modelIds, selection);
    this.metricFilters = createMetricFilters(this, {
      logGroupName: gateway.logGroupName,
      namespace: obs.metricNamespace,
      modelIds: catalogue.modelIds,
      agents: config.agents.map((a) => a.name),
      selection,
      filterName: (component) => nameOf(config, component),
    });

    // A model id's legend label: the aliases callers use for it, `claude-fallback / claude-fast`.
    const models: DashboardModel[] = catalogue.modelIds.map((modelId) => {
      const aliases = catalogue.models.filter((m) => m.modelId === modelId).map((m) => m.alias);
      return { modelId, label: aliases.length > 0 ? aliases.join(' / ') : modelId };
    });
    // gateway.schedule: the task alarms judge the service inside the active hours only, from the grace period after
    // each start (modules/observability/off-hours.ts); the dashboard says so.
    const schedule = config.gateway.schedule;
    const offHours: OffHoursGate | undefined = schedule.enabled
      ? { judgedWindows: judgedUtcWindows(schedule, startMarginMinutes(config.gateway.healthCheckGracePeriodSeconds)), description: describeSchedule(schedule) }
      : undefined;
    const rows = dashboardRows({
      appName: config.appName,
      environment: config.environment,
      region: config.region,
      namespace: obs.metricNamespace,
      logGroupName: gateway.logGroupName,
      models,
      thresholds: obs.alarms,
      clusterName: gateway.clusterName,
      serviceName: gateway.serviceName,
      albArnSuffix: gateway.albArnSuffix,
      agents: config.agents.map((a) => a.name),
      ...(gateway.guardrail ? { guardrail: gateway.guardrail } : {}),
      selection,
      ...(offHours ? { offHours: { ...offHours, alarms: OFF_HOURS_GATED_ALARMS } } : {}),
    });
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: obs.dashboardName,
      dashboardBody: dashboardBody({ start: '-PT6H', periodOverride: 'inherit', widgets: layoutRows(rows) }),
    });

    const alarmTopic = createAlarmTopic(this, {
      name: nameOf(config, 'alarms', 256),
      displayName: `LLM gateway alarms (${config.environment})`,
      keyDescription: `Encrypts the LLM gateway alarm topic of ${config.appName} ${config.environment}`,
      region: config.region,
      accountId,
      partition,
      emails: obs.alarmEmails,
      extraKeyStatements: obs.budgets.enabled ? [budgetsKeyPolicyStatement({ accountId, partition })] : [],
    });
    this.alarmTopic = alarmTopic.topic;
    this.alarmTopicKey = alarmTopic.key;

    const table = alarmTable({
      thresholds: obs.alarms,
      namespace: obs.metricNamespace,
      region: config.region,
      models: models.map((m) => {
        const entries = catalogue.models.filter((c) => c.modelId === m.modelId);
        return {
          ...m,
          regions: [...new Set(entries.map((c) => c.region))],
          bedrockMetricsModelId: obs.bedrockMetricsModelId === 'foundation-model' ? (entries[0]?.foundationModelId ?? m.modelId) : m.modelId,
        };
      }),
      tokenDrift: obs.tokenDriftAlarm,
      albArnSuffix: gateway.albArnSuffix,
      targetGroupArnSuffix: gateway.targetGroupArnSuffix,
      clusterName: gateway.clusterName,
      serviceName: gateway.serviceName,
      dbClusterIdentifier: database.clusterIdentifier,
      dbMaxCapacity: database.maxCapacity,
      dbMaxConnections: auroraMaxConnections(config.database.minCapacity, database.maxCapacity),
      dbStorageBudgetGiB: config.database.storageBudgetGiB,
      containerInsights: config.gateway.containerInsights,
      minTasks: config.gateway.minTasks,
      statusAlarms: obs.statusAlarms,
      ...(gateway.guardrail ? { guardrail: gateway.guardrail } : {}),
      ...(offHours ? { offHours } : {}),
    });
    for (const warning of table.warnings) Annotations.of(this).addWarning(warning);
    this.alarmSpecs = table.alarms;
    this.alarms = createAlarms(this, table.alarms, { topicArn: this.alarmTopic.arn, alarmName: (key) => nameOf(config, key, 255) });

    if (obs.budgets.enabled) {
      this.budgets = createSpendBudgets(this, {
        namePrefix: nameOf(config, 'spend'),
        topicArn: this.alarmTopic.arn,
        accountId,
        partition,
        region: config.region,
        bedrockMonthlyUsd: obs.budgets.bedrockMonthlyUsd,
        bedrockServices: obs.budgets.bedrockServices,
        totalMonthlyUsd: obs.budgets.totalMonthlyUsd,
        environmentTag: { key: obs.budgets.costAllocationTag, value: defaultTags(config)[obs.budgets.costAllocationTag] },
        thresholdsPercent: obs.budgets.thresholdsPercent,
      });
      if (obs.budgets.hardStop.enabled) {
        this.hardStop = createBedrockHardStop(this, {
          budget: this.budgets.bedrock,
          ceilingUsd: obs.budgets.hardStop.bedrockMonthlyUsd,
          taskRoleName: gateway.taskRoleName,
          taskRoleArn: gateway.taskRoleArn,
          topicArn: this.alarmTopic.arn,
          accountId,
          partition,
          policyName: nameOf(config, 'bedrock-hard-stop', 128),
          roleName: nameOf(config, 'bedrock-hard-stop', 64),
        });
      }
    }

    if (obs.bedrockInvocationLogging.enabled) {
      this.invocationLogging = createInvocationLogging(this, {
        config: obs.bedrockInvocationLogging,
        region: config.region,
        accountId,
        partition,
        logGroupName: `/${config.appName}/${config.environment}/bedrock-model-invocations`,
        roleName: nameOf(config, 'bedrock-invocation-logging', 64),
        bucketNamePrefix: nameOf(config, 'bedrock-logs', 50),
        keyAlias: `alias/${nameOf(config, 'bedrock-invocation-logs')}`,
        forceDestroy: config.baseEnvironment === 'dev',
        description: `${config.appName} ${config.environment}`,
      });
      // One setting per account and region: say so at every synth that sets it.
      Annotations.of(this).addInfo(
        `observability.bedrockInvocationLogging: Bedrock model invocation logging is ONE setting per AWS account and region; ` +
          `enable it in only one environment per account and region (${config.region}), or they overwrite each other`,
      );
    }

    new TerraformOutput(this, 'dashboard_url', {
      value: dashboardUrl(config.region, obs.dashboardName),
      description: 'CloudWatch console URL of the gateway dashboard',
    });
    new TerraformOutput(this, 'alarm_topic_arn', {
      value: this.alarmTopic.arn,
      description: 'SNS topic every alarm notifies (subscribe an on-call tool here)',
    });
  }
}
