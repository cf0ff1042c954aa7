import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Fn } from 'cdktf';
import { SecretFactory, SecretGenerator, derivedVersion } from '.';
import type { Json } from '../../test/helpers';


function synth(generator: SecretGenerator, build: (f: SecretFactory) => void): Json {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  build(new SecretFactory(stack, { generator }));
  return JSON.parse(Testing.synth(stack));
}

const base = { name: 'app-dev-key', description: 'a key', recoveryWindowInDays: 0 };

describe('SecretFactory, write-only mode', () => {
  const json = synth('write-only', (f) => {
    f.secret('master-key', { ...base, value: `sk-${f.alphanumeric('master-key', 48)}`, version: 3 });
  });

  test('draws the value from an ephemeral Secrets Manager random password, letters and digits only', () => {
    expect(json.ephemeral.aws_secretsmanager_random_password['master-key']).toEqual({
      password_length: 48,
      exclude_punctuation: true,
      include_space: false,
    });
  });

  test('writes it only through the write-only argument, with its version', () => {
    const version = json.resource.aws_secretsmanager_secret_version['master-key-value'];
    expect(version.secret_string_wo).toBe('sk-${ephemeral.aws_secretsmanager_random_password.master-key.random_password}');
    expect(version.secret_string_wo_version).toBe(3);
    expect(version.secret_string).toBeUndefined();
  });

  test('an ephemeral value inside a function (jsonencode) stays a reference, not an escaped literal', () => {
    const j = synth('write-only', (f) => {
      f.secret('ui', { ...base, value: Fn.jsonencode({ username: 'admin', password: f.alphanumeric('ui-password', 32) }) });
    });
    const value: string = j.resource.aws_secretsmanager_secret_version['ui-value'].secret_string_wo;
    expect(value).toBe('${jsonencode({"username" = "admin", "password" = ephemeral.aws_secretsmanager_random_password.ui-password.random_password})}');
  });

  test('a version may be a Terraform expression (derivedVersion) that changes with any of its parts', () => {
    const j = synth('write-only', (f) => {
      const other = f.secret('other', { ...base, value: 'x' });
      f.secret('url', { ...base, value: f.alphanumeric('pw', 40), version: derivedVersion([2, other.arn, 'host']) });
    });
    expect(j.resource.aws_secretsmanager_secret_version['url-value'].secret_string_wo_version).toBe(
      '${parseint(substr(sha256(join("/", ["2", aws_secretsmanager_secret.other.arn, "host"])), 0, 12), 16)}',
    );
  });

  test('a kept first value (salt key) is never re-sent, also when moving from the random generator', () => {
    const j = synth('write-only', (f) => {
      f.secret('salt', { ...base, value: f.alphanumeric('salt', 48), keepFirstValue: true });
    });
    expect(j.resource.aws_secretsmanager_secret_version['salt-value']).toMatchObject({
      secret_string_wo_version: 1,
      lifecycle: { ignore_changes: ['secret_string', 'secret_string_wo_version'] },
    });
  });

  test('needs no random provider', () => {
    expect(json.resource.random_password).toBeUndefined();
    expect(json.terraform.required_providers.random).toBeUndefined();
  });
});

describe('SecretFactory, random mode', () => {
  const json = synth('random', (f) => {
    f.secret('salt-key', { ...base, value: f.alphanumeric('salt-key', 48), keepFirstValue: true });
    f.secret('ui', { ...base, value: f.alphanumeric('ui-password', 32, 2), version: 2 });
  });

  test('keeps the existing addresses: random-<id>, alphanumeric, one provider', () => {
    expect(json.resource.random_password['random-salt-key']).toEqual({ length: 48, special: false });
    expect(Object.keys(json.provider.random)).toHaveLength(1);
  });

  test('two factories in one stack share the random provider', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    new SecretFactory(stack, { generator: 'random' }).alphanumeric('a', 32);
    new SecretFactory(stack, { generator: 'random' }).alphanumeric('b', 32);
    const j = JSON.parse(Testing.synth(stack));
    expect(Object.keys(j.resource.random_password).sort()).toEqual(['random-a', 'random-b']);
    expect(Object.keys(j.provider.random)).toHaveLength(1);
  });

  test('a version above 1 regenerates the value through keepers', () => {
    expect(json.resource.random_password['random-ui-password'].keepers).toEqual({ version: '2' });
  });

  test('stores the value as secret_string; a kept first value ignores later changes', () => {
    const salt = json.resource.aws_secretsmanager_secret_version['salt-key-value'];
    expect(salt.secret_string).toBe('${random_password.random-salt-key.result}');
    expect(salt.lifecycle).toEqual({ ignore_changes: ['secret_string'] });
    expect(json.ephemeral).toBeUndefined();
  });
});

describe('SecretFactory versions', () => {
  test.each([
    [{ version: 0 }, /version got 0; allowed: an integer >= 1/],
    [{ version: 2, keepFirstValue: true }, /version got 2; allowed: 1 \(its first value is kept forever\)/],
  ])('refuses %j', (extra, message) => {
    expect(() => synth('write-only', (f) => f.secret('s', { ...base, value: 'x', ...extra }))).toThrow(message);
  });

  test('refuses an expression version for a value kept forever', () => {
    expect(() => synth('write-only', (f) => f.secret('s', { ...base, value: 'x', keepFirstValue: true, version: derivedVersion(['a']) }))).toThrow(
      /secret s: version is an expression; allowed: 1 \(its first value is kept forever\)/,
    );
  });
});

describe('SecretFactory.readBack: a written value read back from Secrets Manager', () => {
  test('write-only: an ephemeral secret version named by the written version id, its secret_string as the token', () => {
    let token = '';
    const json = synth('write-only', (f) => {
      const { value } = f.secretWithValue('db-password', { ...base, value: f.alphanumeric('db-password', 40) });
      token = f.readBack('db-password', value);
      f.secret('database-url', { ...base, value: `postgresql://u:${token}@host/db` });
    });
    expect(json.ephemeral.aws_secretsmanager_secret_version['db-password']).toEqual({
      secret_id: '${aws_secretsmanager_secret_version.db-password-value.secret_id}',
      version_id: '${aws_secretsmanager_secret_version.db-password-value.version_id}',
    });
    expect(json.resource.aws_secretsmanager_secret_version['database-url-value'].secret_string_wo).toBe(
      'postgresql://u:${ephemeral.aws_secretsmanager_secret_version.db-password.secret_string}@host/db',
    );
  });

  test('random mode has nothing to read back (the value is in state): refused', () => {
    expect(() =>
      synth('random', (f) => {
        const { value } = f.secretWithValue('db-password', { ...base, value: f.alphanumeric('db-password', 40) });
        f.readBack('db-password', value);
      }),
    ).toThrow(/secret db-password: readBack is for the write-only generator/);
  });
});
