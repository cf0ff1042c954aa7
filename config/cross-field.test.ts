import { loadConfig } from './index';

/**
 * Cross-field rules that no other test failed without (found by removing each rule in turn and running the config
 * tests): one refused and one accepted neighbour each, so the case fails if the rule goes or over-reaches.
 */
describe('cross-field rules', () => {
  const URI = '123456789012.dkr.ecr.us-east-1.amazonaws.com/llm-gateway@sha256:' + '0'.repeat(64);

  test('gateway.image.uri is refused with mode "build" (the uri would be ignored)', () => {
    expect(() => loadConfig({ environment: 'dev', overrides: { gateway: { image: { mode: 'build', uri: URI } } } })).toThrow(
      /gateway\.image\.uri: got "123456789012\.dkr\.ecr[^;]*; allowed: no uri when image\.mode is "build"/,
    );
    expect(loadConfig({ environment: 'dev', overrides: { gateway: { image: { mode: 'prebuilt', uri: URI } } } }).gateway.image.uri).toBe(URI);
  });

  test('networking.existingVpc needs a private subnet per AZ (azCount of them)', () => {
    const existingVpc = { vpcId: 'vpc-0123456789abcdef0', privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] };
    expect(() => loadConfig({ environment: 'dev', overrides: { networking: { azCount: 3, existingVpc } } })).toThrow(
      /networking\.existingVpc\.privateSubnetIds: got \["subnet-0123456789abcdef0","subnet-0123456789abcdef1"\]; allowed: at least azCount \(3\) subnets, one per AZ/,
    );
    expect(loadConfig({ environment: 'dev', overrides: { networking: { azCount: 2, existingVpc } } }).networking.existingVpc).toEqual(existingVpc);
  });
});
