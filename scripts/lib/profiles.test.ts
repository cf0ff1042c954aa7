import { mkdtempSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfig } from '../../config';
import { buildApp } from '../../main';
import { deepMerge } from '../../config';
import { EXAMPLE_ON_CALL, OFFLINE_ACCOUNT, OFFLINE_EXISTING_VPC, VALIDATE_PROFILES, VARIANT_BASELINES, existingSecretsOverrides, featureOverrides, offlineImageUri, offlineOverrides, offlineSecretArns, privateEndpointsOverrides, randomSecretsOverrides } from './profiles';

describe('validate profiles', () => {
  test.each(['dev', 'prod'])('GIVEN %s offline THEN only the image is pre-built: the database stack keeps its generated write-only secrets', (environment) => {
    const config = loadConfig({ environment, overrides: offlineOverrides() });
    expect(config.gateway.image.mode).toBe('prebuilt');
    expect(config.database.existingSecrets).toBeUndefined();
    expect(config.secrets.generator).toBe('write-only');
  });

  test('GIVEN the mode profiles THEN each validates and selects its mode', () => {
    expect(loadConfig({ environment: 'prod', overrides: existingSecretsOverrides() }).database.existingSecrets?.saltKeyArn).toMatch(/:secret:llm-gateway\/salt-key-AbCdEf$/);
    expect(loadConfig({ environment: 'prod', overrides: randomSecretsOverrides() }).secrets.generator).toBe('random');
  });

  test('GIVEN a region THEN the pre-built image and the secret ARNs are in that region and the offline account', () => {
    expect(offlineImageUri('eu-west-1')).toBe(`${OFFLINE_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/llm-gateway@sha256:${'0'.repeat(64)}`);
    expect(Object.values(offlineSecretArns('eu-west-1')).every((arn) => arn.startsWith(`arn:aws:secretsmanager:eu-west-1:${OFFLINE_ACCOUNT}:secret:`))).toBe(true);
    expect(loadConfig({ environment: 'dev', overrides: offlineOverrides('eu-west-1') }).gateway.image).toMatchObject({ uri: offlineImageUri('eu-west-1') });
  });

  test('GIVEN other secret ARNs (the emulator fixtures) THEN the existing-secrets profile takes them instead of the fictitious ones', () => {
    const arns = { ...offlineSecretArns(), saltKeyArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:fixture-salt-Zz9Zz9' };
    expect(loadConfig({ environment: 'dev', overrides: existingSecretsOverrides('us-east-1', arns) }).database.existingSecrets?.saltKeyArn).toBe(arns.saltKeyArn);
  });

  test('GIVEN the private-endpoints profile THEN egress goes through endpoints in the created VPC, with the S3 gateway endpoint and the edge', () => {
    const config = loadConfig({ environment: 'prod', overrides: deepMerge(EXAMPLE_ON_CALL, privateEndpointsOverrides()) });
    expect(config.networking).toMatchObject({ egress: 'endpoints', s3GatewayEndpoint: true });
    expect(config.networking.existingVpc).toBeUndefined();
    expect(config.edge.enabled).toBe(true);
    expect(VALIDATE_PROFILES['private-endpoints']).toMatchObject({ mode: 's3', kind: 'variant' });
  });

  test('GIVEN the features THEN every opt-in that adds resources is on, the secrets key included', () => {
    const config = loadConfig({ environment: 'prod', overrides: deepMerge(offlineOverrides(), featureOverrides()) });
    expect(config.gateway.guardrail.enabled).toBe(true);
    expect(config.observability.bedrockInvocationLogging).toMatchObject({ enabled: true, s3: { enabled: true } });
    expect(config.database.customerManagedKey).toBe(true);
    expect(config.gateway.schedule.enabled).toBe(true);
    expect(config.database.minCapacity).toBe(0);
  });

  test.each(['s3', 'cloud'] as const)('GIVEN state mode %s THEN validate has a fallback profile of it, an edge profile of it, and a baseline of that mode', (mode) => {
    const load = (name: string) => loadConfig({ environment: 'prod', overrides: deepMerge(EXAMPLE_ON_CALL, VALIDATE_PROFILES[name].overrides('us-east-1')) });
    const ofMode = Object.keys(VALIDATE_PROFILES).filter((name) => VALIDATE_PROFILES[name].mode === mode);
    for (const name of ofMode) expect([name, load(name).state.kind]).toEqual([name, mode]);
    expect(ofMode.some((name) => (VALIDATE_PROFILES[name].kind ?? 'fallback') === 'fallback')).toBe(true);
    // The edge adds a stack (<env>-edge) and changes networking: each mode's output with it is validated.
    expect(ofMode.filter((name) => load(name).edge.enabled).length).toBeGreaterThan(0);
    const baseline = VARIANT_BASELINES[mode];
    expect(VALIDATE_PROFILES[baseline]).toMatchObject({ mode });
    expect(VALIDATE_PROFILES[baseline].kind ?? 'fallback').toBe('fallback');
    // validate synthesizes the profiles in order: the baseline before any variant compared with it.
    const order = Object.keys(VALIDATE_PROFILES);
    for (const name of ofMode.filter((n) => VALIDATE_PROFILES[n].kind === 'variant')) expect(order.indexOf(baseline)).toBeLessThan(order.indexOf(name));
  });

  test.each(Object.keys(VALIDATE_PROFILES))('GIVEN the validate profile %s THEN both environments load (with the example on-call address)', (name) => {
    for (const environment of ['dev', 'prod']) {
      expect(() => loadConfig({ environment, overrides: deepMerge(EXAMPLE_ON_CALL, VALIDATE_PROFILES[name].overrides('us-east-1')) })).not.toThrow();
    }
  });

  describe('the existing-VPC and HTTPS-listener modes are validated', () => {
    // validate checks a variant only on the stacks whose JSON differs from the offline profile's: each mode must
    // change the stacks it is about, or it would be skipped silently.
    let dir: string;
    const synthesized = (profile: string) => {
      const outdir = path.join(dir, profile);
      const config = loadConfig({ environment: 'prod', overrides: deepMerge(EXAMPLE_ON_CALL, VALIDATE_PROFILES[profile].overrides('us-east-1')) });
      buildApp({ config, outdir }).synth();
      return (stack: string) => readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8');
    };
    beforeAll(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'validate-profiles-'))));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    test('GIVEN existing-vpc THEN a variant whose networking stack reads the fictitious VPC instead of creating one', () => {
      expect(VALIDATE_PROFILES['existing-vpc']).toMatchObject({ mode: 's3', kind: 'variant' });
      const offline = synthesized('offline');
      const stack = synthesized('existing-vpc');
      expect(stack('prod-networking')).not.toBe(offline('prod-networking'));
      const json = JSON.parse(stack('prod-networking'));
      expect(json.data.aws_vpc.vpc.id).toBe(OFFLINE_EXISTING_VPC.vpcId);
      expect(json.resource.aws_vpc).toBeUndefined();
      expect(JSON.parse(stack('prod-gateway')).resource.aws_ecs_service.service.network_configuration.subnets).toEqual([...OFFLINE_EXISTING_VPC.privateSubnetIds]);
    });

    test('GIVEN https-listener THEN a variant with the HTTPS listener on a certificate of the ALB region and :443 open', () => {
      expect(VALIDATE_PROFILES['https-listener']).toMatchObject({ mode: 's3', kind: 'variant' });
      // The certificate follows the region it is given: the ALB reads certificates from its own region only (config/aws.ts).
      const config = loadConfig({ environment: 'prod', overrides: deepMerge(EXAMPLE_ON_CALL, { ...(VALIDATE_PROFILES['https-listener'].overrides('eu-west-1') as Record<string, unknown>), region: 'eu-west-1' }) });
      expect(config.gateway.certificateArn).toMatch(/^arn:aws:acm:eu-west-1:123456789012:certificate\//);
      const offline = synthesized('offline');
      const stack = synthesized('https-listener');
      for (const name of ['prod-networking', 'prod-gateway']) expect(stack(name)).not.toBe(offline(name));
      const listeners = Object.values(JSON.parse(stack('prod-gateway')).resource.aws_lb_listener) as { port: number; protocol: string }[];
      expect(listeners.map((l) => [l.port, l.protocol])).toContainEqual([443, 'HTTPS']);
      expect(JSON.parse(stack('prod-networking')).resource.aws_vpc_security_group_ingress_rule['alb-ingress-443']).toMatchObject({ from_port: 443 });
    });

    test('GIVEN cost-attribution THEN a variant whose gateway stack has the agents\' application inference profiles, and only the gateway stack changes', () => {
      expect(VALIDATE_PROFILES['cost-attribution']).toMatchObject({ mode: 's3', kind: 'variant' });
      const offline = synthesized('offline');
      const stack = synthesized('cost-attribution');
      expect(stack('prod-gateway')).not.toBe(offline('prod-gateway'));
      for (const name of ['prod-networking', 'prod-database', 'prod-observability']) expect(stack(name)).toBe(offline(name));
      expect(Object.keys(JSON.parse(stack('prod-gateway')).resource.aws_bedrock_inference_profile).length).toBeGreaterThan(0);
      expect(JSON.parse(offline('prod-gateway')).resource.aws_bedrock_inference_profile).toBeUndefined();
    });
  });
});
