import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { MIN_REASON_LENGTH, suppress, suppressionsOf, terraformAddressOf } from './suppressions';

function setup() {
  const stack = new TerraformStack(Testing.app(), 'stack');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const vpc = new Vpc(stack, 'vpc', { cidrBlock: '10.0.0.0/16' });
  const doc = new DataAwsIamPolicyDocument(stack, 'doc', { statement: [{ actions: ['s3:GetObject'], resources: ['*'] }] });
  return { stack, vpc, doc };
}

describe('suppress', () => {
  test('records the rule and the trimmed reason on the construct', () => {
    const { vpc } = setup();
    suppress(vpc, 'vpc-flow-logs', '  Flow logs are collected centrally  ');
    expect(suppressionsOf(vpc)).toEqual([{ ruleId: 'vpc-flow-logs', reason: 'Flow logs are collected centrally' }]);
  });

  test('names resources and data sources by their Terraform address', () => {
    const { vpc, doc } = setup();
    expect(terraformAddressOf(vpc)).toBe('aws_vpc.vpc');
    expect(terraformAddressOf(doc)).toBe('data.aws_iam_policy_document.doc');
  });

  test.each(['', 'ok', 'too short', ' '.repeat(20)])('rejects the too-short reason %p', (reason) => {
    const { vpc } = setup();
    expect(() => suppress(vpc, 'vpc-flow-logs', reason)).toThrow(
      new RegExp(`must be at least ${MIN_REASON_LENGTH} characters`),
    );
  });

  test('rejects an unknown rule id and lists the known ones', () => {
    const { vpc } = setup();
    expect(() => suppress(vpc, 'vpc-flowlogs', 'A perfectly good reason')).toThrow(/unknown policy rule "vpc-flowlogs".*vpc-flow-logs/);
  });

  test('rejects a rule that never applies to the resource type', () => {
    const { vpc } = setup();
    expect(() => suppress(vpc, 'alb-internal', 'A perfectly good reason')).toThrow(/never applies to aws_vpc/);
  });

  test('rejects a scope that is not a resource or data source', () => {
    const { stack } = setup();
    expect(() => suppress(new Construct(stack, 'group'), 'vpc-flow-logs', 'A perfectly good reason')).toThrow(
      /is not a Terraform resource or data source/,
    );
  });

  test('rejects suppressing the same rule twice on one resource', () => {
    const { doc } = setup();
    suppress(doc, 'iam-no-wildcards', 'Read-only access to every bucket is intended');
    expect(() => suppress(doc, 'iam-no-wildcards', 'Read-only access to every bucket is intended')).toThrow(/already suppressed/);
  });
});
