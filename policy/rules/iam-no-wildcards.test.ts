import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT, NOT_APPLICABLE, type JsonObject } from '../types';
import { STAR_ONLY_ACTIONS, iamNoWildcards } from './iam-no-wildcards';

const documentWith = (...statement: readonly JsonObject[]) => tfElement('data.aws_iam_policy_document.task', { statement });

describe('iam-no-wildcards', () => {
  test('exact actions on exact resources are compliant', () => {
    const document = documentWith({
      effect: 'Allow',
      actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      resources: ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0'],
    });
    expect(evaluateIn(iamNoWildcards, document)).toEqual(COMPLIANT);
  });

  test('star-only actions in a statement of their own may use "*"', () => {
    const document = documentWith({ actions: [...STAR_ONLY_ACTIONS.keys()], resources: ['*'] });
    expect(evaluateIn(iamNoWildcards, document)).toEqual(COMPLIANT);
  });

  test('Deny statements may use wildcards', () => {
    const document = documentWith({ effect: 'Deny', actions: ['s3:*'], resources: ['*'] });
    expect(evaluateIn(iamNoWildcards, document)).toEqual(COMPLIANT);
  });

  test('a trust policy (no resources) is compliant', () => {
    const trust = documentWith({ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ecs-tasks.amazonaws.com'] }] });
    expect(evaluateIn(iamNoWildcards, trust)).toEqual(COMPLIANT);
  });

  test('a document used only as a KMS key policy may say Resource "*" (it means the key)', () => {
    const keyPolicy = tfElement('data.aws_iam_policy_document.key', {
      statement: [{ sid: 'Logs', actions: ['kms:Encrypt', 'kms:Decrypt'], resources: ['*'], principals: [{ type: 'Service', identifiers: ['logs.amazonaws.com'] }] }],
    });
    const key = tfElement('aws_kms_key.logs', { policy: '${data.aws_iam_policy_document.key.json}' });
    expect(evaluateIn(iamNoWildcards, keyPolicy, [key])).toEqual(COMPLIANT);
  });

  test.each([
    ['a "*" action', { actions: ['*'], resources: ['arn:aws:s3:::b'] }, 'an Allow statement allows wildcard action(s) *'],
    ['a service-wide action', { actions: ['s3:*'], resources: ['arn:aws:s3:::b'] }, 'an Allow statement allows wildcard action(s) s3:*'],
    ['a "*" resource', { actions: ['secretsmanager:GetSecretValue'], resources: ['*'] }, 'an Allow statement allows secretsmanager:GetSecretValue on resource "*"'],
    ['not_actions', { not_actions: ['iam:*'], resources: ['arn:aws:s3:::b'] }, 'an Allow statement uses not_actions, which allows every other action'],
  ])('%s is non-compliant', (_, statement, finding) => {
    expect(findingsOf(evaluateIn(iamNoWildcards, documentWith(statement)))).toEqual([finding]);
  });

  test('mixing a star-only action with a scoped one on "*" names only the scoped one', () => {
    const document = documentWith({ sid: 'Pull', actions: ['ecr:GetAuthorizationToken', 'ecr:BatchGetImage'], resources: ['*'] });
    expect(findingsOf(evaluateIn(iamNoWildcards, document))).toEqual(['statement "Pull" allows ecr:BatchGetImage on resource "*"']);
  });

  test('a document used both as a key policy and as a role policy gets no exemption', () => {
    const shared = documentWith({ actions: ['kms:Decrypt'], resources: ['*'] });
    const key = tfElement('aws_kms_key.k', { policy: '${data.aws_iam_policy_document.task.json}' });
    const rolePolicy = tfElement('aws_iam_role_policy.p', { policy: '${data.aws_iam_policy_document.task.json}' });
    expect(findingsOf(evaluateIn(iamNoWildcards, shared, [key, rolePolicy]))).toEqual([
      'an Allow statement allows kms:Decrypt on resource "*"',
    ]);
  });

  test('a plain JSON policy on aws_iam_policy is checked', () => {
    const policy = tfElement('aws_iam_policy.p', {
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] }),
    });
    expect(findingsOf(evaluateIn(iamNoWildcards, policy))).toEqual(['policy: an Allow statement allows wildcard action(s) logs:*']);
  });

  test('an inline role policy in JSON is checked; a compliant one passes', () => {
    const good = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: ['arn:aws:logs:us-east-1:1:log-group:x:*'] }] });
    const bad = JSON.stringify({ Statement: { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' } });
    expect(evaluateIn(iamNoWildcards, tfElement('aws_iam_role.r', { inline_policy: [{ name: 'ok', policy: good }] }))).toEqual(COMPLIANT);
    expect(findingsOf(evaluateIn(iamNoWildcards, tfElement('aws_iam_role.r', { inline_policy: [{ name: 'x', policy: bad }] })))).toEqual([
      'inline_policy[0]: an Allow statement allows sqs:SendMessage on resource "*"',
    ]);
  });

  test('a policy referencing a document is left to the document element', () => {
    const policy = tfElement('aws_iam_role_policy.p', { policy: '${data.aws_iam_policy_document.task.json}' });
    expect(evaluateIn(iamNoWildcards, policy)).toEqual(NOT_APPLICABLE);
  });

  test('an unreadable policy expression is non-compliant', () => {
    const policy = tfElement('aws_iam_policy.p', { policy: '${jsonencode({Statement = []})}' });
    expect(findingsOf(evaluateIn(iamNoWildcards, policy))).toEqual([expect.stringMatching(/^policy: the policy cannot be read/)]);
  });
});
