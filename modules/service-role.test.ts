import { synthScope, type Json } from '../test/helpers';
import { createServiceRole } from './service-role';

/** GIVEN a role for a fixture service, with ids of its own. */
function synth(): Json {
  return synthScope((scope) =>
    createServiceRole(scope, {
      ids: { trust: 'x-trust', role: 'x-role', document: 'x-doc', policy: 'x-policy' },
      name: 'app-dev-x',
      description: 'Fixture service role',
      trust: [{ effect: 'Allow', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['x.amazonaws.com'] }] }],
      statements: [{ sid: 'DoIt', effect: 'Allow', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }],
      policyName: 'do-it',
    }),
  ).json;
}

describe('createServiceRole: trust, role, permissions and inline policy under the ids the caller gives', () => {
  test('the construct ids are the addresses given, nothing else is created', () => {
    const json = synth();
    expect(Object.keys(json.data.aws_iam_policy_document).sort()).toEqual(['x-doc', 'x-trust']);
    expect(Object.keys(json.resource)).toEqual(['aws_iam_role', 'aws_iam_role_policy']);
    expect(Object.keys(json.resource.aws_iam_role)).toEqual(['x-role']);
    expect(Object.keys(json.resource.aws_iam_role_policy)).toEqual(['x-policy']);
  });

  test('the role trusts only the given service; the inline policy holds the statements, on that role', () => {
    const json = synth();
    expect(json.data.aws_iam_policy_document['x-trust'].statement).toEqual([
      { effect: 'Allow', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['x.amazonaws.com'] }] },
    ]);
    expect(json.resource.aws_iam_role['x-role']).toEqual({
      name: 'app-dev-x',
      description: 'Fixture service role',
      assume_role_policy: '${data.aws_iam_policy_document.x-trust.json}',
    });
    expect(json.resource.aws_iam_role_policy['x-policy']).toEqual({
      name: 'do-it',
      role: '${aws_iam_role.x-role.id}',
      policy: '${data.aws_iam_policy_document.x-doc.json}',
    });
  });
});
