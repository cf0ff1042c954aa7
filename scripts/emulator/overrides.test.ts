import { EMULATOR_SERVICES, SynthesizedStack, emulatorOverride } from './overrides';

const ENDPOINT = 'http://127.0.0.1:40000';

const s3Stack: SynthesizedStack = {
  terraform: { backend: { s3: { bucket: 'state', key: 'app/dev/database.tfstate', region: 'us-east-1', use_lockfile: true } } },
  provider: { aws: [{ region: 'us-east-1', default_tags: [{ tags: { env: 'dev' } }] }] },
  data: {
    terraform_remote_state: {
      'cross-stack-reference-input-dev-networking': { backend: 's3', config: { bucket: 'state', key: 'app/dev/networking.tfstate', region: 'us-east-1' } },
    },
  },
};

describe('emulatorOverride', () => {
  test('GIVEN a stack with one aws provider WHEN overridden THEN every service points at the emulator with dummy keys and the account id is still requested', () => {
    const out = emulatorOverride(s3Stack, { endpoint: ENDPOINT }) as { provider: { aws: Record<string, unknown>[] } };
    const provider = out.provider.aws[0];
    expect(provider).toMatchObject({ access_key: 'emulator', secret_key: 'emulator', skip_credentials_validation: true, s3_use_path_style: true });
    // docs/emulator.md: without the account id, group-referencing SG rules drift
    expect(provider).not.toHaveProperty('skip_requesting_account_id');
    // region and default_tags are merged from the product's block, not repeated
    expect(provider).not.toHaveProperty('region');
    expect(provider).not.toHaveProperty('default_tags');
    const endpoints = (provider.endpoints as Record<string, string>[])[0];
    expect(Object.keys(endpoints).sort()).toEqual([...EMULATOR_SERVICES].sort());
    expect(new Set(Object.values(endpoints))).toEqual(new Set([ENDPOINT]));
  });

  test('GIVEN a default and an aliased aws provider (the edge stack) WHEN overridden THEN each is restated with its own alias', () => {
    const stack: SynthesizedStack = { provider: { aws: [{ region: 'eu-west-1' }, { alias: 'us_east_1', region: 'us-east-1' }] } };
    const out = emulatorOverride(stack, { endpoint: ENDPOINT }) as { provider: { aws: Record<string, unknown>[] } };
    expect(out.provider.aws).toHaveLength(2);
    expect(out.provider.aws[0]).not.toHaveProperty('alias');
    expect(out.provider.aws[1]).toMatchObject({ alias: 'us_east_1', access_key: 'emulator', skip_credentials_validation: true });
    expect(out.provider.aws[1]).not.toHaveProperty('region');
    const endpoints = (out.provider.aws[1].endpoints as Record<string, string>[])[0];
    expect(endpoints).toMatchObject({ cloudfront: ENDPOINT, wafv2: ENDPOINT, logs: ENDPOINT });
  });

  test('GIVEN an S3 backend WHEN overridden THEN the whole block is restated (override replaces backends) plus the emulator settings', () => {
    const out = emulatorOverride(s3Stack, { endpoint: ENDPOINT }) as { terraform: { backend: { s3: Record<string, unknown> } } };
    expect(out.terraform.backend.s3).toMatchObject({
      bucket: 'state',
      key: 'app/dev/database.tfstate',
      use_lockfile: true,
      use_path_style: true,
      endpoints: { s3: ENDPOINT, dynamodb: ENDPOINT, sts: ENDPOINT, iam: ENDPOINT },
    });
  });

  test('GIVEN a terraform_remote_state WHEN overridden THEN its config keeps bucket and key and gains the emulator endpoints', () => {
    const out = emulatorOverride(s3Stack, { endpoint: ENDPOINT }) as { data: { terraform_remote_state: Record<string, { config: Record<string, unknown> }> } };
    expect(out.data.terraform_remote_state['cross-stack-reference-input-dev-networking'].config).toMatchObject({
      bucket: 'state',
      key: 'app/dev/networking.tfstate',
      endpoints: { s3: ENDPOINT, dynamodb: ENDPOINT, sts: ENDPOINT, iam: ENDPOINT },
      use_path_style: true,
    });
  });

  test('GIVEN a local backend WHEN overridden THEN the state file moves into the stack directory', () => {
    const out = emulatorOverride({ terraform: { backend: { local: { path: '../../../terraform.bootstrap.tfstate' } } } }, { endpoint: ENDPOINT });
    expect(out).toEqual({ terraform: { backend: { local: { path: 'terraform.tfstate' } } } });
  });

  test.each([
    ['two aws provider blocks without an alias', { provider: { aws: [{}, {}] } }, /one aws provider block per alias, found two without an alias/],
    ['two aws provider blocks with one alias', { provider: { aws: [{}, { alias: 'us' }, { alias: 'us' }] } }, /found two with alias us/],
    ['a remote backend', { terraform: { backend: { remote: {} } } }, /s3 and local backends, found remote/],
    ['a non-S3 remote state', { data: { terraform_remote_state: { x: { backend: 'local', config: {} } } } }, /terraform_remote_state.x: backend local/],
  ])('GIVEN %s WHEN overridden THEN it refuses rather than half-redirect', (_, stack, message) => {
    expect(() => emulatorOverride(stack as SynthesizedStack, { endpoint: ENDPOINT })).toThrow(message);
  });
});
