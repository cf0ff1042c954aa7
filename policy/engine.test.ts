import { App, TerraformStack, Testing } from 'cdktf';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { elementsOf } from './context';
import { applyPolicy, evaluateElements, evaluateStack, policyOptionsOf } from './engine';
import { vpcFlowLogs } from './rules/vpc-flow-logs';
import { suppress } from './suppressions';
import { tfElement } from './testing';
import { nonCompliant, type JsonValue, type PolicyPack } from './types';

function stackIn(app: App, id = 'network'): TerraformStack {
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  return stack;
}

/** A VPC with its default security group closed but no flow log: exactly one violation (vpc-flow-logs). */
function vpcWithoutFlowLogs(stack: TerraformStack): Vpc {
  const vpc = new Vpc(stack, 'vpc', { cidrBlock: '10.0.0.0/16' });
  new DefaultSecurityGroup(stack, 'default-sg', { vpcId: vpc.id });
  return vpc;
}

describe('reading the synthesized stack', () => {
  test('references come out resolved as ${type.name.attr} strings, addresses as Terraform addresses', () => {
    const stack = stackIn(Testing.app());
    const vpc = vpcWithoutFlowLogs(stack);
    new FlowLog(stack, 'flow-log', { vpcId: vpc.id, trafficType: 'ALL', logDestination: 'arn:aws:logs:x' });
    new DataAwsIamPolicyDocument(stack, 'doc', { statement: [{ actions: ['s3:GetObject'], resources: [`${vpc.arn}/x`] }] });

    const elements = elementsOf(stack.toTerraform() as JsonValue);

    expect(elements.map((element) => element.address)).toEqual([
      'aws_vpc.vpc',
      'aws_default_security_group.default-sg',
      'aws_flow_log.flow-log',
      'data.aws_iam_policy_document.doc',
    ]);
    const flowLog = elements.find((element) => element.type === 'aws_flow_log');
    expect(flowLog?.attributes['vpc_id']).toBe('${aws_vpc.vpc.id}');
    expect(flowLog?.attributes['//']).toBeUndefined();
    expect(flowLog?.constructPath).toBe('network/flow-log');
  });
});

describe('applyPolicy', () => {
  test('GIVEN a violation WHEN synthesizing with validations THEN synth throws naming rule, address and fix', () => {
    const stack = stackIn(Testing.app());
    vpcWithoutFlowLogs(stack);
    applyPolicy(stack, { environment: 'dev' });

    expect(() => Testing.synth(stack, true)).toThrow(
      /\[vpc-flow-logs\] aws_vpc\.vpc \(network\/vpc\): no aws_flow_log .*\. Fix: Add a FlowLog/,
    );
  });

  test('GIVEN a violation WHEN the app synthesizes THEN app.synth() throws', () => {
    const app = Testing.app();
    vpcWithoutFlowLogs(stackIn(app));
    app.node.findAll().filter(TerraformStack.isStack).forEach((stack) => applyPolicy(stack, { environment: 'dev' }));

    expect(() => app.synth()).toThrow(/vpc-flow-logs/);
  });

  test('a compliant stack synthesizes', () => {
    const stack = stackIn(Testing.app());
    const vpc = vpcWithoutFlowLogs(stack);
    new FlowLog(stack, 'flow-log', { vpcId: vpc.id, trafficType: 'ALL', logDestination: 'arn:aws:logs:x' });
    applyPolicy(stack, { environment: 'dev' });

    expect(() => Testing.synth(stack, true)).not.toThrow();
  });

  test('cross-stack references still evaluate after app.synth() prepares the stacks', () => {
    const app = Testing.app();
    const network = stackIn(app, 'network');
    const vpc = vpcWithoutFlowLogs(network);
    new FlowLog(network, 'flow-log', { vpcId: vpc.id, trafficType: 'ALL', logDestination: 'arn:aws:logs:x' });
    const service = stackIn(app, 'service');
    new SecurityGroup(service, 'sg', { vpcId: vpc.id, description: 'Service tasks' });
    applyPolicy(network, { environment: 'dev' });
    applyPolicy(service, { environment: 'dev' });

    expect(() => app.synth()).not.toThrow();
    const sg = elementsOf(service.toTerraform() as JsonValue).find((element) => element.type === 'aws_security_group');
    expect(sg?.attributes['vpc_id']).toMatch(/^\$\{data\.terraform_remote_state\./);
  });

  test('the environment decides production-only rules', () => {
    const build = (environment: string) => {
      const stack = stackIn(Testing.app());
      new RdsCluster(stack, 'db', {
        engine: 'aurora-postgresql', storageEncrypted: true, iamDatabaseAuthenticationEnabled: true,
        enabledCloudwatchLogsExports: ['postgresql'],
      });
      return evaluateStack(stack, { environment }).findings.map((finding) => finding.ruleId);
    };
    expect(build('dev')).toEqual([]);
    expect(build('prod')).toEqual(['rds-backup-retention', 'rds-deletion-protection']);
  });

  test('a custom pack runs only its own rules', () => {
    const stack = stackIn(Testing.app());
    new Vpc(stack, 'vpc', { cidrBlock: '10.0.0.0/16' });
    const pack: PolicyPack = { name: 'flow-logs-only', rules: [vpcFlowLogs] };

    const report = evaluateStack(stack, { environment: 'dev', pack });

    expect(report.rows.map((row) => row.rule)).toEqual(['vpc-flow-logs']);
    expect(report.findings.map((finding) => finding.ruleId)).toEqual(['vpc-flow-logs']);
  });

  test.each([
    ['twice on one stack', (stack: TerraformStack) => { applyPolicy(stack, { environment: 'dev' }); applyPolicy(stack, { environment: 'dev' }); }, /already applied/],
    ['with an empty environment', (stack: TerraformStack) => applyPolicy(stack, { environment: ' ' }), /environment must be a non-empty/],
    ['with a pack listing a rule twice', (stack: TerraformStack) => applyPolicy(stack, { environment: 'dev', pack: { name: 'dup', rules: [vpcFlowLogs, vpcFlowLogs] } }), /lists rule "vpc-flow-logs" twice/],
  ])('throws when called %s', (_, call, message) => {
    expect(() => call(stackIn(Testing.app()))).toThrow(message);
  });

  test('records its options for evaluateStack and the report script', () => {
    const stack = stackIn(Testing.app());
    expect(policyOptionsOf(stack)).toBeUndefined();
    expect(() => evaluateStack(stack)).toThrow(/applyPolicy\(\) was never called/);
    applyPolicy(stack, { environment: 'prod' });
    expect(policyOptionsOf(stack)?.environment).toBe('prod');
    expect(evaluateStack(stack).environment).toBe('prod');
  });
});

describe('suppressed findings', () => {
  test('GIVEN a suppression WHEN synthesizing THEN synth passes and the report keeps the finding with its reason', () => {
    const stack = stackIn(Testing.app());
    const vpc = vpcWithoutFlowLogs(stack);
    suppress(vpc, 'vpc-flow-logs', 'Flow logs are collected centrally by the network account');
    applyPolicy(stack, { environment: 'dev' });

    expect(() => Testing.synth(stack, true)).not.toThrow();
    const report = evaluateStack(stack);
    expect(report.rows.find((row) => row.rule === 'vpc-flow-logs')).toEqual({
      rule: 'vpc-flow-logs', title: vpcFlowLogs.title, checked: 1, pass: 0, fail: 0, suppressed: 1,
    });
    expect(report.findings).toEqual([
      expect.objectContaining({
        ruleId: 'vpc-flow-logs', address: 'aws_vpc.vpc', status: 'suppressed',
        reason: 'Flow logs are collected centrally by the network account',
      }),
    ]);
    expect(report.unusedSuppressions).toEqual([]);
  });

  test('a suppression with nothing left to suppress is reported as unused', () => {
    const stack = stackIn(Testing.app());
    const vpc = vpcWithoutFlowLogs(stack);
    new FlowLog(stack, 'flow-log', { vpcId: vpc.id, trafficType: 'ALL', logDestination: 'arn:aws:logs:x' });
    suppress(vpc, 'vpc-flow-logs', 'Temporary until the flow log lands');

    expect(evaluateStack(stack, { environment: 'dev' }).unusedSuppressions).toEqual([
      { address: 'aws_vpc.vpc', ruleId: 'vpc-flow-logs', reason: 'Temporary until the flow log lands' },
    ]);
  });

  test('a suppression on a data source applies to its data.* address', () => {
    const stack = stackIn(Testing.app());
    const doc = new DataAwsIamPolicyDocument(stack, 'admin', { statement: [{ actions: ['*'], resources: ['*'] }] });
    suppress(doc, 'iam-no-wildcards', 'Break-glass role reviewed by security (ticket SEC-42)');

    const findings = evaluateStack(stack, { environment: 'dev' }).findings;

    expect(findings).toEqual([
      expect.objectContaining({ address: 'data.aws_iam_policy_document.admin', status: 'suppressed' }),
    ]);
  });
});

describe('evaluateElements (pure core)', () => {
  test('counts checked, pass and fail per rule and ignores other types', () => {
    const report = evaluateElements({
      stackName: 's',
      environment: 'dev',
      pack: { name: 'p', rules: [vpcFlowLogs] },
      elements: [
        tfElement('aws_vpc.a'),
        tfElement('aws_vpc.b'),
        tfElement('aws_flow_log.a', { vpc_id: '${aws_vpc.a.id}' }),
        tfElement('data.aws_vpc.a'),
      ],
    });
    expect(report.rows).toEqual([{ rule: 'vpc-flow-logs', title: vpcFlowLogs.title, checked: 2, pass: 1, fail: 1, suppressed: 0 }]);
    expect(report.findings.map((finding) => finding.address)).toEqual(['aws_vpc.b']);
  });

  test('a rule that throws becomes a failing finding instead of a silent pass', () => {
    const broken = { ...vpcFlowLogs, id: 'broken', evaluate: () => { throw new Error('boom'); } };
    const report = evaluateElements({
      stackName: 's', environment: 'dev', pack: { name: 'p', rules: [broken] }, elements: [tfElement('aws_vpc.a')],
    });
    expect(report.findings).toEqual([expect.objectContaining({ status: 'fail', details: ['the rule itself failed: boom'] })]);
  });

  test('non-compliant results without details still carry a message', () => {
    expect(nonCompliant()).toEqual({ status: 'non-compliant', findings: ['non-compliant'] });
  });
});
