import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT, NOT_APPLICABLE, type JsonObject } from '../types';
import { bedrockServicePrincipalScoped } from './bedrock-service-principal-scoped';

const BEDROCK = [{ type: 'Service', identifiers: ['bedrock.amazonaws.com'] }];
const ACCOUNT = { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['123456789012'] };
const ARN = { test: 'ArnLike', variable: 'aws:SourceArn', values: ['arn:aws:bedrock:us-east-1:123456789012:*'] };
const doc = (...statement: JsonObject[]) => tfElement('data.aws_iam_policy_document.d', { statement });

describe('bedrock-service-principal-scoped', () => {
  test('a trust statement with both conditions is compliant', () => {
    expect(evaluateIn(bedrockServicePrincipalScoped, doc({ actions: ['sts:AssumeRole'], principals: BEDROCK, condition: [ACCOUNT, ARN] }))).toEqual(COMPLIANT);
  });

  test('documents without a Bedrock principal, and Deny statements, are not its business', () => {
    expect(evaluateIn(bedrockServicePrincipalScoped, doc({ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ecs-tasks.amazonaws.com'] }] }))).toEqual(NOT_APPLICABLE);
    expect(evaluateIn(bedrockServicePrincipalScoped, doc({ effect: 'Deny', actions: ['s3:*'], principals: BEDROCK }))).toEqual(NOT_APPLICABLE);
    expect(evaluateIn(bedrockServicePrincipalScoped, tfElement('aws_iam_role.r', {}))).toEqual(NOT_APPLICABLE);
  });

  test.each([
    ['no condition', [], ['statement "W" has no StringEquals aws:SourceAccount condition', 'statement "W" has no aws:SourceArn condition (ArnLike/ArnEquals)']],
    ['account only', [ACCOUNT], ['statement "W" has no aws:SourceArn condition (ArnLike/ArnEquals)']],
    ['source ARN "*"', [ACCOUNT, { ...ARN, values: ['*'] }], ['statement "W" has no aws:SourceArn condition (ArnLike/ArnEquals)']],
  ])('%s is non-compliant', (_, condition, findings) => {
    const element = doc({ sid: 'W', actions: ['s3:PutObject'], resources: ['arn:aws:s3:::b/*'], principals: BEDROCK, condition });
    expect(findingsOf(evaluateIn(bedrockServicePrincipalScoped, element))).toEqual(findings);
  });
});
