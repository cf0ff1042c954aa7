/**
 * Every Resource of every synthesized policy (identity, trust, key, topic and bucket policies; every configuration
 * that adds IAM) is of a resource type its actions take, per AWS's Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html;
 * CloudWatch Logs: .../list_amazoncloudwatchlogs.html), and an action without a resource type is granted on "*".
 */
import { deepMerge } from '../config';
import { VALIDATE_PROFILES, featureOverrides, offlineOverrides } from '../scripts/lib/profiles';
import { fitsResourceType, globsIntersect, resourceTypeFindings } from './iam/resource-types';
import { synthesizeApp } from './iam/synthesized-policies';

jest.setTimeout(180_000);

describe('the matching rules', () => {
  test.each([
    ['log-group:/a:*', 'log-group:*:log-stream:*', true],
    ['log-group:/a', 'log-group:*:log-stream:*', false],
    ['log-group:/a:log-stream:*', 'log-group:*:log-stream:*', true],
    ['abc', 'a?c', true],
    ['abc', 'abd', false],
  ])('globsIntersect(%j, %j) is %s', (a, b, expected) => expect(globsIntersect(a, b)).toBe(expected));

  const LOG_STREAM = 'arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}';
  test('a bare log-group ARN is not a log stream; the group with `:log-stream:*` is', () => {
    expect(fitsResourceType('arn:aws:logs:us-east-1:123456789012:log-group:/app', LOG_STREAM)).toBe(false);
    expect(fitsResourceType('arn:aws:logs:us-east-1:123456789012:log-group:/app:log-stream:*', LOG_STREAM)).toBe(true);
  });

  test('GIVEN the mistakes the check exists for THEN it reports each', async () => {
    const group = 'arn:aws:logs:us-east-1:123456789012:log-group:/app';
    const findings = await resourceTypeFindings({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'BareGroup', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [group] },
        { Sid: 'ListOnPattern', Effect: 'Allow', Action: ['logs:DescribeLogGroups'], Resource: ['arn:aws:logs:us-east-1:123456789012:log-group:*'] },
        { Sid: 'Fine', Effect: 'Allow', Action: ['logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: [group, `${group}:log-stream:*`] },
      ],
    });
    expect(findings).toEqual([
      `statement BareGroup: ${group} is not of a resource type of logs:CreateLogStream, logs:PutLogEvents`,
      expect.stringMatching(/^statement BareGroup: logs:CreateLogStream takes .*:log-stream:/),
      expect.stringMatching(/^statement BareGroup: logs:PutLogEvents takes .*:log-stream:/),
      'statement ListOnPattern: arn:aws:logs:us-east-1:123456789012:log-group:* is not of a resource type of logs:DescribeLogGroups',
      'statement ListOnPattern: logs:DescribeLogGroups has no resource type (Resource "*" only), got arn:aws:logs:us-east-1:123456789012:log-group:*',
    ]);
  });
});

describe('every synthesized policy', () => {
  // The default of each environment, and the profiles that add IAM: every opt-in feature, existing secrets.
  const configurations: [string, string, unknown][] = [
    ['dev', 'default', {}],
    ['prod', 'default', {}],
    ['dev', 'features', deepMerge(offlineOverrides(), featureOverrides())],
    ['prod', 'existing-secrets', VALIDATE_PROFILES['existing-secrets'].overrides('us-east-1')],
  ];

  test.each(configurations)('%s (%s): each Resource is of a resource type of its actions', async (environment, _profile, overrides) => {
    const app = synthesizeApp(environment, overrides);
    const policies = app.allPolicies();
    expect(policies.length).toBeGreaterThan(5);
    const findings: string[] = [];
    for (const p of policies) for (const f of await resourceTypeFindings(p.policy)) findings.push(`${p.where}: ${f}`);
    expect(findings).toEqual([]);
  });
});
