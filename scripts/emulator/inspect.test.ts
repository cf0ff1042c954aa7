import type { SynthesizedStack } from './overrides';
import { LeakReport, SecretDigests, holdsStateBucket, leakVerdict, passwordAgreementVerdict, planDiff, protectedResources, rotationVerdict } from './inspect';

describe('planDiff', () => {
  test('GIVEN a plan with changes WHEN extracted THEN only the actions and the summary remain', () => {
    const stdout = [
      'aws_rds_cluster.cluster: Refreshing state... [id=x]',
      '',
      'Terraform used the selected providers to generate the following execution',
      'Terraform will perform the following actions:',
      '  # aws_rds_cluster_instance.writer will be updated in-place',
      '      ~ performance_insights_enabled = false -> true',
      '',
      'Plan: 0 to add, 1 to change, 0 to destroy.',
      '',
      'Warning: Deprecated Parameter',
    ].join('\n');
    expect(planDiff(stdout)).toBe(
      [
        'Terraform will perform the following actions:',
        '  # aws_rds_cluster_instance.writer will be updated in-place',
        '      ~ performance_insights_enabled = false -> true',
        'Plan: 0 to add, 1 to change, 0 to destroy.',
      ].join('\n'),
    );
  });
});

describe('protectedResources', () => {
  test('GIVEN state with protected and unprotected resources WHEN inspected THEN only the protected ones are listed, by the id the API needs', () => {
    const show = JSON.stringify({
      values: {
        root_module: {
          resources: [
            { type: 'aws_rds_cluster', values: { cluster_identifier: 'app-prod-db', deletion_protection: true } },
            { type: 'aws_rds_cluster', values: { cluster_identifier: 'app-dev-db', deletion_protection: false } },
            { type: 'aws_lb', values: { arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1', enable_deletion_protection: true } },
            { type: 'aws_db_instance', values: { identifier: 'legacy', deletion_protection: true } },
          ],
        },
      },
    });
    expect(protectedResources(show)).toEqual([
      { flag: '--rds-cluster', id: 'app-prod-db' },
      { flag: '--load-balancer', id: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1' },
      { flag: '--rds-instance', id: 'legacy' },
    ]);
  });

  test('GIVEN an empty state WHEN inspected THEN nothing is listed', () => {
    expect(protectedResources('{"format_version":"1.0"}')).toEqual([]);
  });
});

describe('holdsStateBucket', () => {
  test.each<[string, unknown, string | undefined]>([
    ['the bootstrap stack', { resource: { aws_s3_bucket: { 'state-bucket': { bucket: 'tfstate' } } } }, 'tfstate'],
    ['another bucket', { resource: { aws_s3_bucket: { logs: { bucket: 'logs' } } } }, undefined],
    ['no bucket', {}, undefined],
  ])('GIVEN %s WHEN inspected THEN the state bucket is %s', (_, stack, expected) => {
    expect(holdsStateBucket(stack as SynthesizedStack, 'tfstate')).toBe(expected);
  });
});

describe('leakVerdict', () => {
  const clean: LeakReport = { secrets: 5, values: 9, stateFiles: 12, plans: 20, found: {}, controls: { 'db.cluster-x.rds.amazonaws.com': 3 } };
  const counts = { plans: 10, rendered: 10 };

  test('GIVEN values searched, the control found and no hit THEN ok, with the counts', () => {
    expect(leakVerdict(clean, counts)).toEqual({
      ok: true,
      message: 'searched 9 secret values (from 5 secrets) in 12 state files and 10 plans (+ 10 show -json renderings): none found (control: the database host found in 3 state files)',
    });
  });

  test('GIVEN a value found THEN a failure that says where, not what', () => {
    const v = leakVerdict({ ...clean, found: { 'value #2 (40 characters)': ['s3://b/k?versionId=1'] } }, counts);
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(/FOUND value #2 \(40 characters\) in s3:\/\/b\/k\?versionId=1$/);
  });

  test.each([
    ['no value read', { values: 0 }, /no generated value was read from the emulator/],
    ['a control not found', { controls: { host: 0 } }, /control value \(database host\) was not found in any state file \(host\)/],
    ['no control read', { controls: {} }, /control value \(database host\) was not read/],
  ])('GIVEN %s THEN the search proves nothing and fails', (_what, change, message) => {
    const v = leakVerdict({ ...clean, ...change }, counts);
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(message);
  });
});

describe('rotationVerdict', () => {
  const names = { databaseUrl: 'url', masterCredentials: 'creds', unchanged: ['salt', 'key'] };
  const d = (versions: number, current: string, password = current) => ({ versions, current, password });
  const before: SecretDigests = { url: d(1, 'u1', 'p1'), creds: d(1, 'c1', 'p1'), salt: d(1, 's'), key: d(1, 'k') };
  const good: SecretDigests = { ...before, url: d(2, 'u2', 'p2'), creds: d(2, 'c2', 'p2') };

  test('GIVEN both password secrets rewritten with one new password and the rest untouched THEN ok', () => {
    expect(rotationVerdict(before, good, names)).toEqual({ ok: true, message: 'databasePassword 1 → 2: url, creds rewritten with one new password; salt, key untouched' });
  });

  test.each([
    ['the URL not rewritten', { url: d(1, 'u1', 'p1') }, /url: 1 → 1 versions, expected one more; url: the password did not change; url and creds carry different passwords/],
    ['the two carrying different passwords', { creds: d(2, 'c2', 'p3') }, /url and creds carry different passwords/],
    ['the salt key re-sent', { salt: d(2, 's2') }, /salt changed/],
    ['a secret gone', { key: undefined }, /key is missing/],
  ])('GIVEN %s THEN a failure naming it', (_what, change, message) => {
    const after = { ...good, ...change } as SecretDigests;
    const v = rotationVerdict(before, after, names);
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(message);
  });

  test('GIVEN the password source secret THEN it must be rewritten with the same new password too', () => {
    const withSource = { ...names, passwordSource: 'src' };
    const beforeSrc: SecretDigests = { ...before, src: d(1, 'p1') };
    expect(rotationVerdict(beforeSrc, { ...good, src: d(2, 'p2') }, withSource).ok).toBe(true);
    expect(rotationVerdict(beforeSrc, { ...good, src: d(2, 'p9') }, withSource).message).toMatch(/url and src carry different passwords/);
    expect(rotationVerdict(beforeSrc, { ...good, src: d(1, 'p1') }, withSource).message).toMatch(/src: 1 → 1 versions/);
  });
});

describe('passwordAgreementVerdict', () => {
  const d = (password: string) => ({ versions: 1, current: `c-${password}`, password });
  const names = { cluster: 'app-dev-db', carriers: ['src', 'url', 'creds'] };

  test('GIVEN the cluster and every carrier with one password THEN ok', () => {
    expect(passwordAgreementVerdict({ 'app-dev-db': 'p1' }, { src: d('p1'), url: d('p1'), creds: d('p1') }, names)).toEqual({ ok: true, message: 'cluster app-dev-db and src, url, creds hold one password' });
  });

  test.each([
    // What an apply stopped after the cluster was created left behind before the password had one source.
    ['the secrets written with a later draw than the cluster', { 'app-dev-db': 'p1' }, { src: d('p2'), url: d('p2'), creds: d('p2') }, /cluster app-dev-db and src, url, creds hold different passwords/],
    ['no password recorded for the cluster', {}, { src: d('p1'), url: d('p1'), creds: d('p1') }, /no master password recorded/],
    ['a carrier missing', { 'app-dev-db': 'p1' }, { src: d('p1'), url: d('p1') }, /missing secrets: creds/],
  ])('GIVEN %s THEN a failure naming it', (_what, clusters, secrets, message) => {
    const v = passwordAgreementVerdict(clusters, secrets as SecretDigests, names);
    expect(v.ok).toBe(false);
    expect(v.message).toMatch(message);
  });
});
