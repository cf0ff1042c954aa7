import { Testing, TerraformStack } from 'cdktf';
import { alarmDefaults } from '../../config/observability';
import { AlarmTableInput, RUNBOOK, alarmTable, createAlarms, runbookLink, sumOf } from './alarms';
import { slug } from './metrics';

const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const INPUT: AlarmTableInput = {
  thresholds: alarmDefaults,
  namespace: 'NS',
  region: 'us-east-1',
  models: [
    { modelId: SONNET, label: 'claude-primary', regions: ['us-east-1'], bedrockMetricsModelId: SONNET },
    { modelId: HAIKU, label: 'claude-fast', regions: ['us-east-1'], bedrockMetricsModelId: HAIKU },
  ],
  tokenDrift: true,
  albArnSuffix: 'app/alb/1',
  targetGroupArnSuffix: 'targetgroup/tg/2',
  clusterName: 'cluster',
  serviceName: 'service',
  dbClusterIdentifier: 'db',
  dbMaxCapacity: 4,
  dbMaxConnections: 823,
  dbStorageBudgetGiB: 20,
  containerInsights: true,
  minTasks: 2,
};
const keys = (input: AlarmTableInput) => alarmTable(input).alarms.map((a) => a.key);

describe('the alarm table', () => {
  test('keys are unique kebab-case ids; every alarm has a runbook row and a missing-data reason; every row an alarm', () => {
    // Every optional alarm on (the guardrail), so every runbook row can be matched.
    const all = alarmTable({ ...INPUT, guardrail: { arn: 'arn:g', version: '1' } }).alarms;
    const allKeys = all.map((a) => a.key);
    expect(new Set(allKeys).size).toBe(allKeys.length);
    for (const a of all) {
      expect(a.key).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(RUNBOOK[a.runbook]).toBeDefined();
      expect(a.missingData.reason.length).toBeGreaterThan(10);
      expect(a.description).toMatch(/\.$/);
    }
    expect(Object.keys(RUNBOOK).filter((row) => !all.some((a) => a.runbook === row))).toEqual([]);
  });

  test('one Bedrock throttling alarm per model id called in the region, keyed by the id', () => {
    expect(keys(INPUT).filter((k) => k.startsWith('bedrock-throttles-'))).toEqual(INPUT.models.map((m) => `bedrock-throttles-${slug(m.modelId)}`));
    expect(slug(SONNET)).toBe('us-anthropic-claude-sonnet-4-5-20250929-v1-0');
  });

  test('thresholds come from the configuration and appear in the description', () => {
    const t = alarmTable({ ...INPUT, thresholds: { ...alarmDefaults, errorRatePercent: 7, errorRateMinRequests: 3 } }).alarms[0];
    expect(t.threshold).toBe(7);
    expect(t.description).toMatch(/above 7 % .* at least 3 calls/);
    expect('queries' in t.metric && t.metric.queries.at(-1)?.expression).toBe('IF(requests >= 3, 100 * errors / requests, 0)');
  });

  test('the error rate sums two metrics per model, a model without traffic counting as 0', () => {
    expect(sumOf(['r0', 'r1'])).toBe('SUM([FILL(r0, 0), FILL(r1, 0)])');
  });

  test('running-tasks: Container Insights task counts, or without them the healthy ALB targets below max(1, minTasks)', () => {
    const withInsights = alarmTable(INPUT).alarms.find((a) => a.key === 'running-tasks')!;
    expect('queries' in withInsights.metric).toBe(true);
    const without = alarmTable({ ...INPUT, containerInsights: false, minTasks: 0 }).alarms.find((a) => a.key === 'running-tasks')!;
    expect(without.metric).toMatchObject({ namespace: 'AWS/ApplicationELB', metricName: 'HealthyHostCount', statistic: 'Minimum' });
    expect(without).toMatchObject({ comparison: 'LessThanThreshold', threshold: 1, missingData: { treat: 'breaching' } });
  });

  test('a model called in another region gets no throttling alarm, and a warning naming it', () => {
    const table = alarmTable({ ...INPUT, models: [...INPUT.models, { modelId: 'west', label: 'w', regions: ['us-west-2'], bedrockMetricsModelId: 'west' }] });
    expect(table.alarms.some((a) => a.key.includes('west'))).toBe(false);
    expect(table.warnings).toEqual([expect.stringMatching(/no Bedrock throttling alarm for west: the gateway calls it in us-west-2/)]);
  });

  test('an alarm without a runbook row is refused when the table is built', () => {
    const runbook = RUNBOOK as Record<string, (typeof RUNBOOK)[string]>;
    const saved = runbook['cpu-high'];
    delete runbook['cpu-high'];
    try {
      expect(() => alarmTable(INPUT)).toThrow(/alarm cpu-high has no runbook entry cpu-high/);
    } finally {
      runbook['cpu-high'] = saved;
    }
  });

  test('422, 429 and 5xx page apart: budget-exhausted at the first refusal by default, rate-limited over its threshold, error-rate without them', () => {
    const table = alarmTable({ ...INPUT, thresholds: { ...alarmDefaults, rateLimitedCalls: 30 } }).alarms;
    const budget = table.find((a) => a.key === 'budget-exhausted')!;
    expect(budget).toMatchObject({ threshold: 0, comparison: 'GreaterThanThreshold', metric: { metricName: 'BudgetRefusals', statistic: 'Sum', periodSeconds: 300 } });
    expect(budget.description).toMatch(/refused a request with 422 because a budget ran out/);
    const limited = table.find((a) => a.key === 'rate-limited')!;
    expect(limited).toMatchObject({ threshold: 30, evaluationPeriods: 3, datapointsToAlarm: 2, metric: { metricName: 'RateLimitedCalls' } });
    expect(limited.description).toMatch(/More than 30 gateway calls ended in 429 .*\(per call attempt\)/);
    expect(table.find((a) => a.key === 'error-rate')!.description).toMatch(/except 422 budget refusals and 429 rate limits/);
    expect(table.find((a) => a.key === 'target-5xx')!.metric).toMatchObject({ metricName: 'HTTPCode_Target_5XX_Count' });
  });

  describe('token drift', () => {
    const drift = (input: AlarmTableInput = INPUT) => alarmTable(input).alarms.find((a) => a.key === `token-drift-${slug(SONNET)}`);

    test('one alarm per model id called in the region, only with tokenDrift', () => {
      expect(keys(INPUT).filter((k) => k.startsWith('token-drift-'))).toEqual(INPUT.models.map((m) => `token-drift-${slug(m.modelId)}`));
      expect(keys({ ...INPUT, tokenDrift: false }).filter((k) => k.startsWith('token-drift-'))).toEqual([]);
      const west = alarmTable({ ...INPUT, models: [{ modelId: 'west', label: 'w', regions: ['us-west-2'], bedrockMetricsModelId: 'west' }] });
      expect(west.alarms.some((a) => a.key.startsWith('token-drift-'))).toBe(false);
    });

    test("a day's gateway input + output tokens against Bedrock's, as a percentage of Bedrock's, guarded against no data", () => {
      const a = drift()!;
      expect(a).toMatchObject({ threshold: 10, comparison: 'GreaterThanThreshold', evaluationPeriods: 1, missingData: { treat: 'notBreaching' } });
      const queries = (a.metric as { queries: { id: string; expression?: string; returnData?: boolean; metric?: unknown }[] }).queries;
      expect(queries.filter((q) => q.metric).map((q) => q.metric)).toEqual([
        { namespace: 'NS', metricName: 'InputTokens', dimensions: { Model: SONNET }, stat: 'Sum', period: 86_400 },
        { namespace: 'NS', metricName: 'OutputTokens', dimensions: { Model: SONNET }, stat: 'Sum', period: 86_400 },
        { namespace: 'AWS/Bedrock', metricName: 'InputTokenCount', dimensions: { ModelId: SONNET }, stat: 'Sum', period: 86_400 },
        { namespace: 'AWS/Bedrock', metricName: 'OutputTokenCount', dimensions: { ModelId: SONNET }, stat: 'Sum', period: 86_400 },
      ]);
      expect(Object.fromEntries(queries.filter((q) => q.expression).map((q) => [q.id, q.expression]))).toEqual({
        gateway: 'FILL(gin, 0) + FILL(gout, 0)',
        bedrock: 'FILL(bin, 0) + FILL(bout, 0)',
        drift: 'IF(bedrock > 0, 100 * ABS(gateway - bedrock) / bedrock, IF(gateway > 0, 100, 0))',
      });
      expect(queries.filter((q) => q.returnData).map((q) => q.id)).toEqual(['drift']);
    });

    test('the threshold is observability.alarms.tokenDriftPercent; the Bedrock side reads the mapped ModelId', () => {
      const a = drift({
        ...INPUT,
        thresholds: { ...alarmDefaults, tokenDriftPercent: 25 },
        models: [{ ...INPUT.models[0], bedrockMetricsModelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0' }],
      })!;
      expect(a.threshold).toBe(25);
      expect(a.description).toMatch(/more than 25 %\.$/);
      const metrics = (a.metric as { readonly queries: readonly { metric?: { dimensions?: Record<string, string> } }[] }).queries.flatMap((q) => (q.metric ? [q.metric.dimensions] : []));
      expect(metrics).toEqual([{ Model: SONNET }, { Model: SONNET }, { ModelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0' }, { ModelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0' }]);
    });
  });

  test('the guardrail alarm exists only with a guardrail', () => {
    expect(keys(INPUT)).not.toContain('guardrail-interventions');
    expect(keys({ ...INPUT, guardrail: { arn: 'arn:g', version: '1' } })).toContain('guardrail-interventions');
  });
});

describe('createAlarms', () => {
  test('each spec becomes alarm-<key> named by the caller, notifying the topic, with its runbook link; percentiles are extended statistics', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const specs = alarmTable(INPUT).alarms;
    createAlarms(stack, specs, { topicArn: 'arn:topic', alarmName: (k) => `app-dev-${k}` });
    const alarms = JSON.parse(Testing.synth(stack)).resource.aws_cloudwatch_metric_alarm;
    expect(Object.keys(alarms).sort()).toEqual(specs.map((s) => `alarm-${s.key}`).sort());
    expect(alarms['alarm-p99-latency']).toMatchObject({ extended_statistic: 'p99', alarm_name: 'app-dev-p99-latency', period: 300 });
    expect(alarms['alarm-p99-latency'].statistic).toBeUndefined();
    expect(alarms['alarm-cpu-high']).toMatchObject({ statistic: 'Average', alarm_actions: ['arn:topic'], ok_actions: ['arn:topic'], treat_missing_data: 'notBreaching' });
    expect(alarms['alarm-error-rate'].metric_query).toHaveLength(2 * 2 + 3);
    expect(alarms['alarm-bedrock-throttles-us-anthropic-claude-haiku-4-5-20251001-v1-0'].alarm_description).toMatch(/ Runbook: docs\/runbook\.md#bedrock-throttles$/);
    expect(runbookLink(specs[0])).toBe('docs/runbook.md#error-rate');
  });
});

describe('database bookkeeping alarms: connections against the computed max_connections, storage against its budget', () => {
  const spec = (input: AlarmTableInput, key: string) => alarmTable(input).alarms.find((a) => a.key === key)!;

  test.each([
    [823, 80, 658],
    [189, 80, 151],
    [2000, 50, 1000],
  ])('max_connections %p at %p %% -> more than %p connections', (dbMaxConnections, databaseConnectionsPercent, threshold) => {
    const alarm = spec({ ...INPUT, dbMaxConnections, thresholds: { ...alarmDefaults, databaseConnectionsPercent } }, 'db-connections');
    expect(alarm.threshold).toBe(threshold);
    expect(alarm.description).toContain(`max_connections ${dbMaxConnections}`);
  });

  test('storage: VolumeBytesUsed above the configured % of the budget, hourly', () => {
    const alarm = spec({ ...INPUT, dbStorageBudgetGiB: 100, thresholds: { ...alarmDefaults, databaseStoragePercent: 90 } }, 'db-storage');
    expect(alarm).toMatchObject({ threshold: Math.floor(100 * 1024 ** 3 * 0.9), comparison: 'GreaterThanThreshold' });
    expect(alarm.metric).toMatchObject({ namespace: 'AWS/RDS', metricName: 'VolumeBytesUsed', dimensions: { DBClusterIdentifier: 'db' }, periodSeconds: 3600 });
    expect(alarm.description).toMatch(/90 % of its 100 GiB budget/);
  });

  test('near the maximum ACU: ServerlessDatabaseCapacity at database.maxCapacity', () => {
    expect(spec(INPUT, 'db-capacity-max')).toMatchObject({ threshold: 4, comparison: 'GreaterThanOrEqualToThreshold' });
  });
});
