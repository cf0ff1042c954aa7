/**
 * Every constraint of every field spec has a case here: a value only that constraint refuses. Each case is checked
 * twice: the whole configuration with that value is refused at that field, and the same value passes the field's
 * spec with just that constraint removed (so the case tests this rule and no other). A constraint added without a
 * case, or removed while its case stays, fails the coverage test at the end.
 *
 * The values are written out rather than derived from the specs: a case computed from a spec would vanish with the
 * constraint it was meant to guard.
 */
import { appSpec, loadConfig } from './index';
import { ConfigIssue, FieldSpec, checkShape, specNodes } from './schema';

const CONSTRAINTS = ['allowed', 'pattern', 'min', 'max', 'integer', 'minItems', 'maxItems', 'unique', 'keyPattern', 'required'] as const;
type Constraint = (typeof CONSTRAINTS)[number];

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:litellm-AbC123';
const UNSUFFIXED_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:litellm';
const range = (n: number, f: (i: number) => unknown) => Array.from({ length: n }, (_, i) => f(i));

/** Generic field path (`agents[].name`, `tags.*`) -> constraint -> a value only that constraint refuses. */
const CASES: Record<string, Partial<Record<Constraint, unknown>>> = {
  appName: { pattern: 'Docs' },
  region: { pattern: 'US-EAST-1' },
  tags: { keyPattern: { 'aws:team': 'platform' } },
  'tags.*': { pattern: 'a,b' },
  'networking.vpcCidr': { pattern: '10.0.0.0/33' },
  'networking.azCount': { min: 1, max: 9, integer: 2.5 },
  'networking.availabilityZones': { minItems: ['us-east-1a'], unique: ['us-east-1a', 'us-east-1a'] },
  'networking.availabilityZones[]': { pattern: 'US-EAST-1A' },
  'networking.subnetNewBits': { min: 3, max: 13, integer: 4.5 },
  'networking.natGateways': { allowed: 'none' },
  'networking.flowLogs.trafficType': { allowed: 'SOME' },
  'networking.flowLogs.retentionDays': { allowed: 10 },
  'networking.existingVpc.vpcId': { pattern: 'vpc-1', required: undefined },
  'networking.existingVpc.privateSubnetIds': {
    minItems: ['subnet-0123456789abcdef0'],
    unique: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef0'],
    required: undefined,
  },
  'networking.existingVpc.privateSubnetIds[]': { pattern: 'subnet-xyz' },
  'database.engineVersion': { pattern: '12.1' },
  'database.databaseName': { pattern: 'Litellm' },
  'database.masterUsername': { pattern: 'rdsadmin' },
  'database.minCapacity': { min: -0.5, max: 256.5 },
  'database.maxCapacity': { min: 0.5, max: 257 },
  'database.secondsUntilAutoPause': { min: 299, max: 86401, integer: 300.5 },
  'database.readers': { min: -1, max: 16, integer: 0.5 },
  'database.backupRetentionDays': { min: 0, max: 36, integer: 1.5 },
  'database.preferredBackupWindow': { pattern: '3:00-4:00' },
  'database.preferredMaintenanceWindow': { pattern: 'sunday:05:00-sun:06:00' },
  'database.logRetentionDays': { allowed: 10 },
  'database.secretRecoveryDays': { min: -1, max: 31, integer: 7.5 },
  'database.secretVersions.databasePassword': { min: 0, max: 1_000_001, integer: 1.5 },
  'database.secretVersions.masterKey': { min: 0, max: 1_000_001, integer: 1.5 },
  'database.secretVersions.uiPassword': { min: 0, max: 1_000_001, integer: 1.5 },
  'database.existingSecrets.databaseUrlArn': { pattern: UNSUFFIXED_SECRET_ARN, required: undefined },
  'database.existingSecrets.masterKeyArn': { pattern: UNSUFFIXED_SECRET_ARN, required: undefined },
  'database.existingSecrets.saltKeyArn': { pattern: UNSUFFIXED_SECRET_ARN, required: undefined },
  'database.existingSecrets.uiCredentialsArn': { pattern: UNSUFFIXED_SECRET_ARN, required: undefined },
  'database.existingSecrets.kmsKeyArn': { pattern: 'arn:aws:kms:us-east-1:123:key/x' },
  'gateway.image.mode': { allowed: 'docker' },
  'gateway.image.platform': { allowed: 'linux/386' },
  'gateway.image.uri': { pattern: 'Not An Image' },
  'gateway.capacity.mode': { allowed: 'reserved' },
  'gateway.capacity.onDemandBase': { min: -1, max: 100_001, integer: 0.5 },
  'gateway.capacity.onDemandWeight': { min: -1, max: 1001, integer: 0.5 },
  'gateway.capacity.spotWeight': { min: -1, max: 1001, integer: 0.5 },
  'gateway.ecrKeepImages': { min: 0, max: 1001, integer: 1.5 },
  'gateway.cpu': { allowed: 300 },
  'gateway.memoryMiB': { min: 511, max: 122_881, integer: 2048.5 },
  'gateway.desiredCount': { min: -1, max: 101, integer: 1.5 },
  'gateway.minTasks': { min: -1, max: 101, integer: 1.5 },
  'gateway.maxTasks': { min: 0, max: 101, integer: 1.5 },
  'gateway.cpuTargetPercent': { min: 9, max: 96 },
  'gateway.scaleOutCooldownSeconds': { min: -1, max: 3601, integer: 0.5 },
  'gateway.scaleInCooldownSeconds': { min: -1, max: 3601, integer: 0.5 },
  'gateway.requestsPerTargetTarget': { min: -1, max: 100_001, integer: 0.5 },
  'gateway.numWorkers': { min: 0, max: 17, integer: 1.5 },
  'gateway.maxRequestsBeforeRestart': { min: 99, max: 1_000_001, integer: 100.5 },
  'gateway.logLevel': { allowed: 'TRACE' },
  'gateway.logGroupName': { pattern: 'a log group' },
  'gateway.logRetentionDays': { allowed: 10 },
  'gateway.masterKeyEnvName': { pattern: 'litellm_master_key' },
  'gateway.albIdleTimeoutSeconds': { min: 0, max: 4001, integer: 1.5 },
  'gateway.keepAliveTimeoutSeconds': { min: 0, max: 4101, integer: 1.5 },
  'gateway.healthCheckStartPeriodSeconds': { min: -1, max: 301, integer: 0.5 },
  'gateway.healthCheckGracePeriodSeconds': { min: -1, max: 2_147_483_648, integer: 0.5 },
  'gateway.deregistrationDelaySeconds': { min: -1, max: 3601, integer: 0.5 },
  'gateway.stopTimeoutSeconds': { min: 1, max: 121, integer: 2.5 },
  'gateway.ecsExec.logging': { allowed: 'DEFAULT' },
  'gateway.ecsExec.logRetentionDays': { allowed: 8 },
  'gateway.certificateArn': { pattern: 'arn:aws:iam::123456789012:server-certificate/gateway' },
  'gateway.sslPolicy': { allowed: 'ELBSecurityPolicy-2016-08' },
  'gateway.dns.zoneName': { pattern: 'Internal' },
  'gateway.dns.recordName': { pattern: 'llm.gateway' },
  'gateway.dns.existingZoneId': { pattern: 'z123' },
  'gateway.redis.nodeType': { pattern: 't4g.micro' },
  'gateway.redis.engineVersion': { allowed: '6.2' },
  'gateway.redis.numCacheClusters': { min: 0, max: 7, integer: 1.5 },
  'gateway.guardrail.contentFilters': { keyPattern: { SELF_HARM: { input: 'LOW', output: 'LOW' } } },
  'gateway.guardrail.contentFilters.*.input': { allowed: 'MAX', required: undefined },
  'gateway.guardrail.contentFilters.*.output': { allowed: 'MAX', required: undefined },
  'gateway.guardrail.piiEntities': { keyPattern: { SSN: 'BLOCK' } },
  'gateway.guardrail.piiEntities.*': { allowed: 'MASK' },
  'gateway.guardrail.deniedTopics': { maxItems: range(31, (i) => ({ name: `Topic ${i}`, definition: 'A topic.' })) },
  'gateway.guardrail.deniedTopics[].name': { pattern: 'legal/advice', required: undefined },
  'gateway.guardrail.deniedTopics[].definition': { pattern: '', required: undefined },
  'gateway.guardrail.deniedTopics[].examples': { maxItems: range(6, (i) => `example ${i}`) },
  'gateway.guardrail.deniedTopics[].examples[]': { pattern: 'x'.repeat(101) },
  'gateway.guardrail.wordFilters': { maxItems: range(10_001, (i) => `word${i}`), unique: ['secret', 'secret'] },
  'gateway.guardrail.wordFilters[]': { pattern: ' leading space' },
  'gateway.guardrail.managedWordLists': { unique: ['PROFANITY', 'PROFANITY'] },
  'gateway.guardrail.managedWordLists[]': { allowed: 'SLANG' },
  'gateway.guardrail.blockedInputMessage': { pattern: 'x'.repeat(501) },
  'gateway.guardrail.blockedOutputMessage': { pattern: '' },
  'gateway.guardrail.mode': { minItems: [], unique: ['pre_call', 'pre_call'] },
  'gateway.guardrail.mode[]': { allowed: 'on_call' },
  'gateway.guardrail.appliesTo': { allowed: 'some' },
  'observability.dashboardName': { pattern: 'My dashboard' },
  'observability.metricNamespace': { pattern: 'AWS/LlmGateway' },
  'observability.usageMetrics': { allowed: 'prometheus' },
  'observability.alarmEmails': { unique: ['ops@example.com', 'ops@example.com'] },
  'observability.alarmEmails[]': { pattern: 'ops' },
  'observability.alarms.errorRatePercent': { min: 0.5, max: 101 },
  'observability.alarms.alb5xxCount': { min: -1 },
  'observability.alarms.target5xxCount': { min: -1 },
  'observability.alarms.p99ResponseTimeSeconds': { min: -1 },
  'observability.alarms.cpuPercent': { min: 0.5, max: 101 },
  'observability.alarms.memoryPercent': { min: 0.5, max: 101 },
  'observability.alarms.databaseConnectionsPercent': { min: 0, max: 101 },
  'observability.alarms.databaseStoragePercent': { min: 0, max: 101 },
  'database.storageBudgetGiB': { min: 0, max: 131_073, integer: 1.5 },
  'database.spendLogsRetentionDays': { min: 0, max: 3651, integer: 1.5 },
  'observability.alarms.bedrockThrottles': { min: -1 },
  'observability.alarms.applicationErrors': { min: -1 },
  'observability.alarms.guardrailInterventions': { min: -1 },
  'observability.alarms.errorRateMinRequests': { min: 0, integer: 1.5 },
  'observability.alarms.unhealthyTargets': { min: 0, integer: 1.5 },
  'observability.budgets.bedrockMonthlyUsd': { min: 0.5, max: 10_000_001 },
  'observability.budgets.totalMonthlyUsd': { min: 0.5, max: 10_000_001 },
  'observability.budgets.thresholdsPercent': { minItems: [], maxItems: [10, 20, 30, 40, 50], unique: [80, 80] },
  'observability.budgets.thresholdsPercent[]': { min: 0.5, max: 1001 },
  'observability.budgets.bedrockServices': { minItems: [], unique: ['Amazon Bedrock', 'Amazon Bedrock'] },
  'observability.budgets.bedrockServices[]': { pattern: 'Amazon Bedrock!' },
  'observability.budgets.costAllocationTag': { pattern: 'aws:env' },
  'observability.bedrockInvocationLogging.cloudwatch.retentionDays': { allowed: 10 },
  'observability.bedrockInvocationLogging.s3.expirationDays': { min: 0, max: 3651, integer: 1.5 },
  'observability.bedrockInvocationLogging.s3.keyPrefix': { pattern: 'Bedrock/' },
  'secrets.generator': { allowed: 'vault' },
  agents: { minItems: [] },
  'agents[].name': { pattern: 'Reviewer', required: undefined },
  'agents[].models': { minItems: [], unique: ['claude-fast', 'claude-fast'], required: undefined },
  'agents[].models[]': { pattern: 'claude fast' },
  'agents[].maxBudgetUsd': { min: 0, max: 1_000_001 },
  'agents[].budgetDuration': { pattern: '30days' },
  'agents[].rpmLimit': { min: 0, integer: 1.5 },
  'agents[].tpmLimit': { min: 0, integer: 1.5 },
  'agents[].keyVersion': { min: 0, integer: 1.5 },
  'state.kind': { allowed: 'local' },
  'state.organization': { pattern: 'acme corp' },
  'state.project': { pattern: ' platform' },
  'state.hostname': { pattern: 'https://app.terraform.io' },
  'state.workspacePrefix': { pattern: 'llm/gateway-' },
  'edge.domainName': { pattern: 'LLM.example.com' },
  'edge.certificateArn': { pattern: 'arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012' },
  'edge.allowedCidrs': {
    minItems: [],
    maxItems: range(10_001, (i) => `10.${Math.floor(i / 256)}.${i % 256}.0/24`),
    unique: ['10.0.0.0/8', '10.0.0.0/8'],
  },
  'edge.allowedCidrs[]': { pattern: '10.0.0.0/33' },
  'edge.rateLimitPer5Minutes': { min: 9, max: 2_000_000_001, integer: 10.5 },
  'edge.originReadTimeoutSeconds': { min: 0, max: 181, integer: 1.5 },
  'edge.logRetentionDays': { allowed: 10 },
};

/** Valid values for what the dev configuration leaves unset, so that a case can reach inside it. */
const SEEDS: Record<string, unknown> = {
  tags: { team: 'platform' },
  'networking.availabilityZones': ['us-east-1a', 'us-east-1b'],
  'networking.existingVpc': { vpcId: 'vpc-0123456789abcdef0', privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] },
  'database.existingSecrets': { databaseUrlArn: SECRET_ARN, masterKeyArn: SECRET_ARN, saltKeyArn: SECRET_ARN, uiCredentialsArn: SECRET_ARN },
  'gateway.guardrail.piiEntities': { NAME: 'ANONYMIZE' },
  'gateway.guardrail.deniedTopics': [{ name: 'Legal advice', definition: 'Advice on legal matters.' }],
  'gateway.guardrail.deniedTopics[].examples': ['Can I sue my landlord?'],
  'gateway.guardrail.wordFilters': ['forbidden'],
  'gateway.guardrail.managedWordLists': ['PROFANITY'],
  'observability.alarmEmails': ['ops@example.com'],
  'edge.allowedCidrs': ['10.0.0.0/8'],
};
/** The record key a `.*` case writes to. */
const RECORD_KEYS: Record<string, string> = { tags: 'team', 'gateway.guardrail.contentFilters': 'SEXUAL', 'gateway.guardrail.piiEntities': 'NAME' };

/**
 * The constraints a node has. `required` counts only for fields of an optional object, an array item or a record
 * value: elsewhere the defaults always supply the field, and JSON cannot hold an undefined array item or record value.
 */
function constraintsOf(path: string, spec: FieldSpec): Constraint[] {
  const present = CONSTRAINTS.filter((c) => c !== 'required' && (spec as unknown as Record<string, unknown>)[c] !== undefined && (spec as unknown as Record<string, unknown>)[c] !== false);
  const reachable = /\[\]\.|\*\.|existingVpc\.|existingSecrets\./.test(path);
  const container = /(\[\]|\*)$/.test(path);
  return path !== '' && !spec.optional && reachable && !container ? [...present, 'required'] : present;
}

const NODES = new Map(specNodes(appSpec).map((n) => [n.path, n.spec]));

/** The dev configuration with `value` written at the generic `path`; returns it and the concrete path. */
function configWith(path: string, value: unknown): { config: Record<string, unknown>; at: string } {
  const config = structuredClone(loadConfig({ environment: 'dev' })) as unknown as Record<string, unknown>;
  delete config.environment;
  let node: Record<string, unknown> = config;
  let generic = '';
  let at = '';
  const segments = path.split('.').flatMap((s) => (s.endsWith('[]') ? [s.slice(0, -2), '[]'] : [s]));
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    const key = segment === '[]' ? '0' : segment === '*' ? RECORD_KEYS[generic] : segment;
    generic = segment === '[]' ? `${generic}[]` : generic ? `${generic}.${segment}` : segment;
    at = segment === '[]' ? `${at}[0]` : at ? `${at}.${key}` : key;
    if (last) {
      node[key] = value;
      return;
    }
    if (node[key] === undefined || (Array.isArray(node[key]) && (node[key] as unknown[]).length === 0)) {
      node[key] = structuredClone(SEEDS[generic]);
    }
    node = node[key] as Record<string, unknown>;
  });
  return { config, at };
}

const cases = Object.entries(CASES).flatMap(([path, byConstraint]) =>
  Object.keys(byConstraint).map((c) => [path, c as Constraint, byConstraint[c as Constraint]] as const),
);

describe('every spec constraint refuses a value of its own', () => {
  test.each(cases.map(([path, c, value]) => [`${path}: ${c}`, path, c, value] as const))('%s', (_name, path, constraint, value) => {
    const spec = NODES.get(path);
    expect(spec).toBeDefined();
    // Refused in the whole configuration, at that field and nowhere else.
    const { config, at } = configWith(path, value);
    const issues: ConfigIssue[] = [];
    checkShape(config, appSpec, '', issues);
    expect(issues.map((i) => i.path)).toHaveLength(1);
    expect(issues[0].path.startsWith(at)).toBe(true);
    // Accepted by the field's spec without that one constraint: the case tests this rule.
    const without = constraint === 'required' ? { ...spec!, optional: true } : { ...spec!, [constraint]: undefined };
    const unconstrained: ConfigIssue[] = [];
    checkShape(value, without as FieldSpec, at, unconstrained);
    expect(unconstrained).toEqual([]);
  });

  test('the loader reports such a value with the field, the value and what is allowed', () => {
    expect(() => loadConfig({ environment: 'dev', overrides: { gateway: { redis: { engineVersion: '6.2' } } } })).toThrow(
      /gateway\.redis\.engineVersion: got "6\.2"; allowed: one of "7\.2", "8\.0", "8\.1"/,
    );
  });

  test('every constraint of the specs has a case, and every case a constraint', () => {
    const expected = [...NODES].flatMap(([path, spec]) => constraintsOf(path, spec).map((c) => `${path}: ${c}`)).sort();
    const covered = cases.map(([path, c]) => `${path}: ${c}`).sort();
    expect(covered).toEqual(expected);
  });
});
