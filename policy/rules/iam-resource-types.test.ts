import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT, NOT_APPLICABLE, type JsonObject } from '../types';
import { iamResourceTypes, resourceTypeProblems } from './iam-resource-types';
import { statementsFromDocument } from '../iam';

const documentWith = (...statement: readonly JsonObject[]) => tfElement('data.aws_iam_policy_document.role', { statement });
const GROUP = '${aws_cloudwatch_log_group.flow-log-group.arn}';

describe('iam-resource-types', () => {
  test('the flow-log role: group-level actions on the group, stream actions on its streams, DescribeLogGroups on *', () => {
    const document = documentWith(
      { effect: 'Allow', actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], resources: [GROUP, `${GROUP}:log-stream:*`] },
      { effect: 'Allow', actions: ['logs:DescribeLogGroups'], resources: ['*'] },
    );
    expect(evaluateIn(iamResourceTypes, document)).toEqual(COMPLIANT);
  });

  test('DescribeLogGroups has no resource type: the log-group:* pattern is reported (AWS example grants it on *)', () => {
    const pattern = 'arn:${data.aws_partition.partition.partition}:logs:us-east-1:${data.aws_caller_identity.caller.account_id}:log-group:*';
    const findings = findingsOf(evaluateIn(iamResourceTypes, documentWith({ sid: 'List', actions: ['logs:DescribeLogGroups'], resources: [pattern] })));
    expect(findings[0]).toMatch(/statement "List": logs:DescribeLogGroups has no resource of a type it supports \(only "\*"\)/);
  });

  test('CreateLogStream on the bare group is reported: it takes log streams', () => {
    const findings = findingsOf(evaluateIn(iamResourceTypes, documentWith({ sid: 'Create', actions: ['logs:CreateLogStream'], resources: [GROUP] })));
    expect(findings[0]).toMatch(/statement "Create": logs:CreateLogStream has no resource of a type it supports/);
  });

  test('Bedrock: profiles and foundation models in any region; ECR login and ECS Exec on *', () => {
    const document = documentWith(
      { actions: ['bedrock:InvokeModel'], resources: ['arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.x', 'arn:aws:bedrock:*::foundation-model/anthropic.x'] },
      { actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
      { actions: ['ssmmessages:CreateControlChannel', 'ssmmessages:OpenDataChannel'], resources: ['*'] },
    );
    expect(evaluateIn(iamResourceTypes, document)).toEqual(COMPLIANT);
  });

  test('PutLogEvents on the group alone has no log-stream resource', () => {
    const findings = findingsOf(evaluateIn(iamResourceTypes, documentWith({ sid: 'Logs', actions: ['logs:PutLogEvents'], resources: [GROUP] })));
    expect(findings).toEqual([
      expect.stringMatching(/statement "Logs": logs:PutLogEvents has no resource of a type it supports/),
      expect.stringMatching(/resource \$\{aws_cloudwatch_log_group\.flow-log-group\.arn\} is of no type that logs:PutLogEvents act on/),
    ]);
  });

  test('a resource no action acts on is reported', () => {
    const findings = findingsOf(
      evaluateIn(iamResourceTypes, documentWith({ actions: ['secretsmanager:GetSecretValue'], resources: ['${aws_secretsmanager_secret.s.arn}', '${aws_kms_key.k.arn}'] })),
    );
    expect(findings).toEqual([expect.stringMatching(/resource \$\{aws_kms_key\.k\.arn\} is of no type that secretsmanager:GetSecretValue act on/)]);
  });

  test('an action without a resource type given a specific ARN is reported', () => {
    const findings = findingsOf(evaluateIn(iamResourceTypes, documentWith({ actions: ['ecr:GetAuthorizationToken'], resources: ['arn:aws:ecr:us-east-1:1:repository/r'] })));
    expect(findings[0]).toMatch(/ecr:GetAuthorizationToken has no resource of a type it supports \(only "\*"\)/);
  });

  test('references it cannot know (another stack\'s outputs) and actions it does not list are not judged', () => {
    const statements = statementsFromDocument({
      statement: [
        { effect: 'Allow', actions: ['secretsmanager:GetSecretValue'], resources: ['${data.terraform_remote_state.db.outputs.secret}'] },
        { effect: 'Allow', actions: ['sqs:SendMessage'], resources: ['arn:aws:logs:us-east-1:1:log-group:x'] },
      ],
    });
    expect(statements.flatMap(resourceTypeProblems)).toEqual([]);
  });

  test('resource policies and trust policies are not applicable; other elements neither', () => {
    const keyPolicy = tfElement('data.aws_iam_policy_document.key', { statement: [{ actions: ['kms:Decrypt'], resources: ['*'] }] });
    const key = tfElement('aws_kms_key.k', { policy: '${data.aws_iam_policy_document.key.json}' });
    expect(evaluateIn(iamResourceTypes, keyPolicy, [key])).toEqual(NOT_APPLICABLE);
    expect(evaluateIn(iamResourceTypes, tfElement('aws_lb.alb', {}))).toEqual(NOT_APPLICABLE);
  });
});
