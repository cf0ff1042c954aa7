import { deepMerge, loadConfig } from '../../config';
import { COST_ATTRIBUTION_OVERRIDES, EXAMPLE_ON_CALL, existingSecretsOverrides, featureOverrides, offlineImageUri, offlineOverrides } from '../lib/profiles';
import { CHECK_ENVIRONMENTS, EDGE_EMULATOR_ENVIRONMENTS, SharedCheck, emulatorOverrides, orderStacks, sharedChecks, stackPrerequisites } from './profile';

const secrets = {
  databaseUrlArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:a-AbCdEf',
  masterKeyArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:b-AbCdEf',
  saltKeyArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:c-AbCdEf',
  uiCredentialsArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:d-AbCdEf',
};

describe('emulatorOverrides', () => {
  test.each(['dev', 'prod'])('GIVEN %s WHEN the emulator profile is loaded THEN the configuration validates with a pre-built arm64 image and the fixture secrets', (environment) => {
    const config = loadConfig({ environment, overrides: emulatorOverrides('us-east-1', secrets) });
    expect(config.gateway.image).toEqual({ mode: 'prebuilt', uri: offlineImageUri('us-east-1'), platform: 'linux/arm64' });
    expect(config.database.existingSecrets).toMatchObject(secrets);
  });

  test.each(['dev', 'prod'])('GIVEN %s and no fixture secrets THEN the stacks generate theirs with the default write-only generator', (environment) => {
    const config = loadConfig({ environment, overrides: emulatorOverrides('us-east-1') });
    expect(config.database.existingSecrets).toBeUndefined();
    expect(config.secrets.generator).toBe('write-only');
    expect(config.gateway.image.mode).toBe('prebuilt');
  });

  test('GIVEN prod (no opt-ins in the emulator) THEN its emulator profile is exactly the offline profile with its alarm subscriber', () => {
    expect(emulatorOverrides('eu-west-1', undefined, 'prod')).toEqual(deepMerge(offlineOverrides('eu-west-1'), EXAMPLE_ON_CALL));
    expect(emulatorOverrides('eu-west-1', secrets, 'prod')).toEqual(deepMerge(existingSecretsOverrides('eu-west-1', secrets), EXAMPLE_ON_CALL));
  });

  test('GIVEN dev THEN its emulator profile keeps every offline setting and adds only the edge, the features and cost attribution', () => {
    const dev = emulatorOverrides('eu-west-1', undefined, 'dev');
    expect(dev).toMatchObject(deepMerge(offlineOverrides('eu-west-1'), EXAMPLE_ON_CALL) as object);
    const { edge, ...rest } = dev;
    expect(edge).toEqual({ enabled: true, allowedCidrs: ['203.0.113.0/24'] });
    expect(rest).toEqual(deepMerge(deepMerge(deepMerge(offlineOverrides('eu-west-1'), EXAMPLE_ON_CALL), featureOverrides()), COST_ATTRIBUTION_OVERRIDES));
    expect(emulatorOverrides('eu-west-1', undefined, 'prod')).not.toHaveProperty('gateway.costAttribution');
  });

  test('GIVEN the emulator profile THEN prod has an e-mail subscriber, so its topic is not refused and the subscription is applied', () => {
    const prod = loadConfig({ environment: 'prod', overrides: emulatorOverrides('us-east-1', undefined, 'prod') });
    expect(prod.observability.alarmEmails).toEqual(['oncall@example.com']);
    expect(prod.observability.allowUnsubscribedAlarms).toBe(false);
  });

  test('GIVEN dev WHEN loaded THEN the generated secrets have the customer-managed key; with fixture secrets it is left out (the configuration refuses both)', () => {
    expect(loadConfig({ environment: 'dev', overrides: emulatorOverrides('us-east-1', undefined, 'dev') }).database.customerManagedKey).toBe(true);
    const existing = loadConfig({ environment: 'dev', overrides: emulatorOverrides('us-east-1', secrets, 'dev') });
    expect(existing.database.customerManagedKey).toBe(false);
    expect(existing.database.existingSecrets).toMatchObject(secrets);
    expect(featureOverrides({ existingSecrets: true })).not.toHaveProperty('database.customerManagedKey');
  });

  test('GIVEN dev WHEN loaded THEN the off-hours schedule and the pausing database are applied (scheduled actions, pause settings); prod keeps them off', () => {
    for (const fixtures of [undefined, secrets]) {
      const dev = loadConfig({ environment: 'dev', overrides: emulatorOverrides('us-east-1', fixtures, 'dev') });
      expect(dev.gateway.schedule).toMatchObject({ enabled: true, timezone: 'Europe/Paris' });
      expect(dev.database).toMatchObject({ minCapacity: 0, secondsUntilAutoPause: 900 });
    }
    expect(loadConfig({ environment: 'prod', overrides: emulatorOverrides('us-east-1', secrets, 'prod') }).gateway.schedule.enabled).toBe(false);
  });

  test('GIVEN dev WHEN the emulator profile is loaded THEN the edge is on (with an allow-list); prod keeps it off, keeping CI within its budget', () => {
    const dev = loadConfig({ environment: 'dev', overrides: emulatorOverrides('us-east-1', secrets, 'dev') });
    const prod = loadConfig({ environment: 'prod', overrides: emulatorOverrides('us-east-1', secrets, 'prod') });
    expect(dev.edge).toMatchObject({ enabled: true, allowedCidrs: ['203.0.113.0/24'] });
    expect(prod.edge.enabled).toBe(false);
  });

  test('GIVEN dev WHEN loaded THEN the guardrail and invocation logging are on; prod keeps its defaults (off)', () => {
    const dev = loadConfig({ environment: 'dev', overrides: emulatorOverrides('us-east-1', secrets, 'dev') });
    expect(dev.gateway.guardrail.enabled).toBe(true);
    expect(dev.observability.bedrockInvocationLogging).toMatchObject({ enabled: true, cloudwatch: { enabled: true }, s3: { enabled: true } });
    const prod = loadConfig({ environment: 'prod', overrides: emulatorOverrides('us-east-1', secrets, 'prod') });
    expect(prod.gateway.guardrail.enabled).toBe(false);
    expect(prod.observability.bedrockInvocationLogging.enabled).toBe(false);
  });
});

describe('orderStacks', () => {
  const stack = (dependencies: string[] = []) => ({ dependencies, workingDirectory: 'x' });

  test('GIVEN the product stacks in any order WHEN ordered THEN bootstrap (local state) comes first and dependencies precede dependants', () => {
    const manifest = {
      stacks: {
        'dev-observability': stack(['dev-gateway', 'dev-database']),
        'dev-gateway': stack(['dev-networking', 'dev-database']),
        'dev-database': stack(['dev-networking']),
        'dev-networking': stack(),
        bootstrap: stack(),
      },
    };
    expect(orderStacks(manifest, (s) => s === 'bootstrap')).toEqual(['bootstrap', 'dev-networking', 'dev-database', 'dev-gateway', 'dev-observability']);
  });

  test('GIVEN a subset without recorded dependencies WHEN ordered THEN the usual order breaks ties', () => {
    const manifest = { stacks: { 'prod-observability': stack(), 'prod-networking': stack(), bootstrap: stack() } };
    expect(orderStacks(manifest, (s) => s === 'bootstrap')).toEqual(['bootstrap', 'prod-networking', 'prod-observability']);
  });

  test('GIVEN a dependency cycle WHEN ordered THEN it says which stacks', () => {
    const manifest = { stacks: { a: stack(['b']), b: stack(['a']) } };
    expect(() => orderStacks(manifest, () => false)).toThrow(/cycle among a, b/);
  });
});

describe('stackPrerequisites', () => {
  const stack = (dependencies: string[] = []) => ({ dependencies, workingDirectory: 'x' });

  test('GIVEN the product stacks WHEN their prerequisites are read THEN each follows its cdktf dependencies and every S3-state stack follows bootstrap', () => {
    const manifest = {
      stacks: {
        'dev-edge': stack(['dev-gateway', 'dev-networking']),
        'dev-observability': stack(['dev-gateway', 'dev-database']),
        'dev-gateway': stack(['dev-networking', 'dev-database']),
        'dev-database': stack(['dev-networking']),
        'dev-networking': stack(),
        bootstrap: stack(),
      },
    };
    const after = stackPrerequisites(manifest, (s) => s === 'bootstrap');
    expect(Object.fromEntries(after)).toEqual({
      bootstrap: [],
      'dev-networking': ['bootstrap'],
      'dev-database': ['bootstrap', 'dev-networking'],
      'dev-gateway': ['bootstrap', 'dev-database', 'dev-networking'],
      // Neither follows the other: the emulator creates and destroys them side by side.
      'dev-observability': ['bootstrap', 'dev-database', 'dev-gateway'],
      'dev-edge': ['bootstrap', 'dev-gateway', 'dev-networking'],
    });
  });

  test('GIVEN a dependency on a stack that is not synthesized THEN it is left out', () => {
    const after = stackPrerequisites({ stacks: { a: stack(['gone']), bootstrap: stack() } }, (s) => s === 'bootstrap');
    expect(after.get('a')).toEqual(['bootstrap']);
  });
});

describe('sharedChecks', () => {
  const runIn = (selected: string[]) => Object.fromEntries(
    (Object.keys(CHECK_ENVIRONMENTS) as SharedCheck[]).map((check) => [check, selected.filter((e) => sharedChecks(e, selected)[check])]),
  );

  test.each([
    [['dev', 'prod'], { interruptedApply: ['prod'], rotation: ['prod'] }],
    [['dev', 'prod', 'dev-lean'], { interruptedApply: ['prod', 'dev-lean'], rotation: ['prod', 'dev-lean'] }],
    [['dev'], { interruptedApply: ['dev'], rotation: ['dev'] }],
    [['dev-lean', 'dev'], { interruptedApply: ['dev-lean'], rotation: ['dev-lean'] }],
    [['staging'], { interruptedApply: ['staging'], rotation: ['staging'] }],
  ])('GIVEN the run %j THEN every shared check runs in at least one environment: %j', (selected, expected) => {
    expect(runIn(selected)).toEqual(expected);
  });

  test('GIVEN the default runs (with and without examples/dev-lean.json) THEN dev, the longest, runs neither shared check, and the edge is applied', () => {
    for (const selected of [['dev', 'prod'], ['dev', 'prod', 'dev-lean']]) {
      expect(sharedChecks('dev', selected)).toEqual({ interruptedApply: false, rotation: false });
      expect(selected.filter((e) => EDGE_EMULATOR_ENVIRONMENTS.includes(e))).toEqual(['dev']);
    }
  });

  test('GIVEN the environments that run the shared checks THEN they generate write-only secrets, which the checks need', () => {
    for (const environment of ['prod']) {
      expect(loadConfig({ environment, overrides: emulatorOverrides('us-east-1', undefined, environment) }).secrets.generator).toBe('write-only');
    }
  });
});

