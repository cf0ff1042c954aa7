/** The observability stack's opt-in Bedrock parts: invocation logging, and the guardrail's dashboard row and alarm. */
import { Testing } from 'cdktf';
import { deepMerge, loadConfig } from '../config';
import { INVOCATION_LOG_STREAM } from '../modules/observability/invocation-logging';
import { evaluateStack, formatViolation } from '../policy';
import type { GatewayOutputs } from './contracts';
import { ObservabilityStack } from './observability-stack';
import { GUARDRAIL_NAMESPACE } from '../modules/observability/alarms';
import { ONE_MODEL as CATALOGUE } from '../test/catalogues';
import { GATEWAY } from '../test/fixtures';
import { policyStatements as doc, resources, synthStack, type Json } from '../test/helpers';

const GUARDRAIL = { arn: 'arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123def456', version: '3' };
const LOGGING_ON = { observability: { bedrockInvocationLogging: { enabled: true, s3: { enabled: true } } } };

function synth(overrides?: unknown, gateway: GatewayOutputs = GATEWAY, environment = 'dev') {
  const app = Testing.app();
  // prod refuses an alarm topic nobody is subscribed to.
  const onCall = environment === 'dev' ? {} : { observability: { alarmEmails: ['oncall@example.com'] } };
  const config = loadConfig({ environment, overrides: deepMerge(onCall, overrides) });
  const stack = new ObservabilityStack(app, 'observability', { config, gateway, database: { clusterIdentifier: 'db', maxCapacity: 4 }, catalogue: CATALOGUE });
  return { stack, json: synthStack(stack).json };
}
const ACCOUNT = '${data.aws_caller_identity.caller.account_id}';
const PARTITION = '${data.aws_partition.partition.partition}';

describe('defaults: no invocation logging, no guardrail widgets or alarm', () => {
  const { stack, json } = synth();
  test('nothing Bedrock-logging-related is created', () => {
    expect(resources(json, 'aws_bedrock_model_invocation_logging_configuration')).toEqual({});
    expect(resources(json, 'aws_s3_bucket')).toEqual({});
    expect(Object.keys(resources(json, 'aws_cloudwatch_log_group'))).toEqual([]);
    expect(Object.keys(resources(json, 'aws_kms_key'))).toEqual(['alarm-topic-key']);
    expect(stack.invocationLogging).toBeUndefined();
  });
  test('no guardrail metric on the dashboard, no guardrail alarm', () => {
    expect(resources(json, 'aws_cloudwatch_dashboard').dashboard.dashboard_body).not.toContain(GUARDRAIL_NAMESPACE);
    expect(resources(json, 'aws_cloudwatch_metric_alarm')['alarm-guardrail-interventions']).toBeUndefined();
  });
});

describe('invocation logging on, both destinations', () => {
  const { stack, json } = synth(LOGGING_ON);
  const logGroup = resources(json, 'aws_cloudwatch_log_group')['invocation-log-group'];

  test('one account-and-region setting: text only, to the log group with its role, and to the bucket', () => {
    const c = resources(json, 'aws_bedrock_model_invocation_logging_configuration')['invocation-logging'];
    expect(c.logging_config).toEqual({
      text_data_delivery_enabled: true,
      image_data_delivery_enabled: false,
      embedding_data_delivery_enabled: false,
      video_data_delivery_enabled: false,
      cloudwatch_config: { log_group_name: '${aws_cloudwatch_log_group.invocation-log-group.name}', role_arn: '${aws_iam_role.invocation-log-role.arn}' },
      s3_config: { bucket_name: '${aws_s3_bucket.invocation-log-bucket.bucket}', key_prefix: 'bedrock' },
    });
    // Bedrock validates the destinations when the setting is written.
    expect(c.depends_on).toEqual(['aws_iam_role_policy.invocation-log-role-policy', 'aws_s3_bucket_policy.invocation-log-bucket-policy']);
  });

  test('log group: retention and a customer-managed key that admits only CloudWatch Logs for this group', () => {
    expect(logGroup).toMatchObject({ name: '/document-processing/dev/bedrock-model-invocations', retention_in_days: 90, kms_key_id: '${aws_kms_key.invocation-log-key.arn}' });
    expect(resources(json, 'aws_kms_key')['invocation-log-key']).toMatchObject({ enable_key_rotation: true });
    const logs = doc(json, 'invocation-log-key-policy').find((s) => s.sid === 'CloudWatchLogsEncryptsThisGroup')!;
    expect(logs.principals).toEqual([{ type: 'Service', identifiers: ['logs.us-east-1.amazonaws.com'] }]);
    expect(logs.condition).toEqual([
      {
        test: 'ArnEquals',
        variable: 'kms:EncryptionContext:aws:logs:arn',
        values: [`arn:${PARTITION}:logs:us-east-1:${ACCOUNT}:log-group:/document-processing/dev/bedrock-model-invocations`],
      },
    ]);
  });

  test('service role: Bedrock of this account and region only, writing the one log stream', () => {
    const trust = doc(json, 'invocation-log-role-trust')[0];
    expect(trust.principals).toEqual([{ type: 'Service', identifiers: ['bedrock.amazonaws.com'] }]);
    expect(trust.condition).toEqual([
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
      { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${PARTITION}:bedrock:us-east-1:${ACCOUNT}:*`] },
    ]);
    expect(doc(json, 'invocation-log-role-permissions')).toEqual([
      {
        sid: 'DeliverInvocationLogs',
        effect: 'Allow',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`\${aws_cloudwatch_log_group.invocation-log-group.arn}:log-stream:${INVOCATION_LOG_STREAM}`],
      },
    ]);
  });

  test('bucket: account-suffixed name, versioned, encrypted, private, TLS-only, Bedrock writes its prefix only, expiring', () => {
    expect(resources(json, 'aws_s3_bucket')['invocation-log-bucket']).toEqual(
      expect.objectContaining({ bucket: `document-processing-dev-bedrock-logs-${ACCOUNT}`, force_destroy: true }),
    );
    const statements = doc(json, 'invocation-log-bucket-policy-document');
    expect(statements.find((s) => s.sid === 'DenyInsecureTransport')).toMatchObject({ effect: 'Deny', actions: ['s3:*'] });
    expect(statements.find((s) => s.sid === 'AmazonBedrockLogsWrite')).toEqual({
      sid: 'AmazonBedrockLogsWrite',
      effect: 'Allow',
      actions: ['s3:PutObject'],
      resources: [`\${aws_s3_bucket.invocation-log-bucket.arn}/bedrock/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/*`],
      principals: [{ type: 'Service', identifiers: ['bedrock.amazonaws.com'] }],
      condition: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
        { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${PARTITION}:bedrock:us-east-1:${ACCOUNT}:*`] },
      ],
    });
    const rule = resources(json, 'aws_s3_bucket_lifecycle_configuration')['invocation-log-bucket-lifecycle'].rule[0];
    expect(rule).toMatchObject({ status: 'Enabled', expiration: [{ days: 365 }], noncurrent_version_expiration: [{ noncurrent_days: 365 }] });
    expect(resources(json, 'aws_s3_bucket_public_access_block')['invocation-log-bucket-public-access']).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test('prod keeps its logs on destroy', () => {
    const prod = synth(LOGGING_ON, GATEWAY, 'prod').json;
    expect(resources(prod, 'aws_s3_bucket')['invocation-log-bucket'].force_destroy).toBe(false);
  });

  test('CloudWatch only: no bucket at all', () => {
    const j = synth({ observability: { bedrockInvocationLogging: { enabled: true } } }).json;
    expect(resources(j, 'aws_s3_bucket')).toEqual({});
    expect(resources(j, 'aws_bedrock_model_invocation_logging_configuration')['invocation-logging'].logging_config.s3_config).toBeUndefined();
  });

  test('S3 only: no log group, key or role', () => {
    const j = synth({ observability: { bedrockInvocationLogging: { enabled: true, cloudwatch: { enabled: false }, s3: { enabled: true } } } }).json;
    expect(resources(j, 'aws_cloudwatch_log_group')).toEqual({});
    expect(resources(j, 'aws_iam_role')).toEqual({});
    expect(resources(j, 'aws_bedrock_model_invocation_logging_configuration')['invocation-logging'].depends_on).toEqual(['aws_s3_bucket_policy.invocation-log-bucket-policy']);
  });

  test('the synth says it is one setting per account and region', () => {
    const info = Testing.synth(stack).length > 0 && stack.node.metadata.map((m) => String(m.data)).join('\n');
    expect(info).toMatch(/ONE setting per AWS account and region/);
  });

  test('passes the policy pack, including the new bucket, log group and key', () => {
    const report = evaluateStack(stack, { environment: 'dev' });
    expect(report.findings.map(formatViolation)).toEqual([]);
    expect(report.rows.find((r) => r.rule === 's3-tls-only')?.pass).toBe(1);
    expect(report.rows.find((r) => r.rule === 'logs-retention')?.pass).toBe(1);
    expect(report.rows.find((r) => r.rule === 'kms-key-rotation')?.pass).toBe(2);
    // The role trust and the bucket policy both let Bedrock act, both pinned to this account and region.
    expect(report.rows.find((r) => r.rule === 'bedrock-service-principal-scoped')?.pass).toBe(2);
  });
});

describe('guardrail dashboard row and interventions alarm (GatewayOutputs.guardrail set)', () => {
  const { json } = synth(undefined, { ...GATEWAY, guardrail: GUARDRAIL });
  const widgets: Json[] = JSON.parse(resources(json, 'aws_cloudwatch_dashboard').dashboard.dashboard_body).widgets;
  const dims = ['GuardrailArn', GUARDRAIL.arn, 'GuardrailVersion', GUARDRAIL.version];

  test('a last row: evaluations and interventions, text units and errors, by GuardrailArn + GuardrailVersion', () => {
    const row = widgets.filter((w) => JSON.stringify(w.properties.metrics ?? []).includes(GUARDRAIL_NAMESPACE));
    expect(row.map((w) => w.properties.title)).toEqual(['Guardrail: evaluations and interventions', 'Guardrail: text units (billed) and errors']);
    const maxY = Math.max(...widgets.map((w) => w.y));
    expect(row.every((w) => w.y === maxY)).toBe(true);
    const names = row.flatMap((w) => w.properties.metrics.map((m: unknown[]) => m[1]));
    expect(names).toEqual(['Invocations', 'InvocationsIntervened', 'TextUnitCount', 'InvocationClientErrors', 'InvocationServerErrors', 'InvocationThrottles']);
    for (const w of row) for (const m of w.properties.metrics) expect(m.slice(2, 6)).toEqual(dims);
  });

  test('the alarm: more than 20 interventions in 5 minutes, silence is fine', () => {
    expect(resources(json, 'aws_cloudwatch_metric_alarm')['alarm-guardrail-interventions']).toMatchObject({
      alarm_name: 'document-processing-dev-guardrail-interventions',
      namespace: 'AWS/Bedrock/Guardrails',
      metric_name: 'InvocationsIntervened',
      dimensions: { GuardrailArn: GUARDRAIL.arn, GuardrailVersion: GUARDRAIL.version },
      statistic: 'Sum',
      period: 300,
      threshold: 20,
      comparison_operator: 'GreaterThanThreshold',
      treat_missing_data: 'notBreaching',
    });
    const custom = synth({ observability: { alarms: { guardrailInterventions: 5 } } }, { ...GATEWAY, guardrail: GUARDRAIL }).json;
    expect(resources(custom, 'aws_cloudwatch_metric_alarm')['alarm-guardrail-interventions'].threshold).toBe(5);
  });
});
