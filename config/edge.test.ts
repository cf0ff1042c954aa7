import { ConfigError, loadConfig } from './index';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
const load = (edge: Record<string, unknown>, gateway?: Record<string, unknown>) => () => loadConfig({ environment: 'dev', overrides: { edge, ...(gateway ? { gateway } : {}) } });

describe('edge configuration', () => {
  test('GIVEN no overrides THEN the edge is off in every environment, with a 3000/5 min rate limit and CloudFront\'s default maximum read timeout', () => {
    for (const environment of ['dev', 'prod']) {
      expect(loadConfig({ environment }).edge).toMatchObject({ enabled: false, rateLimitPer5Minutes: 3000, originReadTimeoutSeconds: 60 });
    }
  });

  test('GIVEN a full edge configuration THEN it is taken', () => {
    const edge = loadConfig({
      environment: 'prod',
      overrides: { edge: { enabled: true, domainName: 'llm-gateway.example.com', certificateArn: CERT, allowedCidrs: ['203.0.113.0/24'], rateLimitPer5Minutes: 10, originReadTimeoutSeconds: 180 } },
    }).edge;
    expect(edge).toMatchObject({ enabled: true, domainName: 'llm-gateway.example.com', certificateArn: CERT, allowedCidrs: ['203.0.113.0/24'], rateLimitPer5Minutes: 10, originReadTimeoutSeconds: 180 });
  });

  test.each([
    ['a certificate outside us-east-1', { enabled: true, domainName: 'a.example.com', certificateArn: CERT.replace('us-east-1', 'eu-west-1') }, /edge\.certificateArn: got "arn:aws:acm:eu-west-1:.*"; allowed: an ACM certificate ARN in us-east-1/],
    ['an ARN that is not ACM', { enabled: true, domainName: 'a.example.com', certificateArn: 'arn:aws:iam::123456789012:server-certificate/x' }, /edge\.certificateArn: got "arn:aws:iam::123456789012:server-certificate\/x"; allowed: an ACM certificate ARN in us-east-1/],
    ['a domain without certificate', { enabled: true, domainName: 'a.example.com' }, /edge\.certificateArn: got undefined; allowed: an ACM certificate in us-east-1 covering edge\.domainName \(a\.example\.com\)/],
    ['a certificate without domain', { enabled: true, certificateArn: CERT }, /edge\.domainName: got undefined; allowed: the domain name edge\.certificateArn covers/],
    ['an upper-case domain', { domainName: 'LLM.Example.com', certificateArn: CERT }, /edge\.domainName: got "LLM\.Example\.com"; allowed: a lower-case DNS name/],
    ['an invalid CIDR', { allowedCidrs: ['203.0.113.0/33'] }, /edge\.allowedCidrs\[0\]: got "203\.0\.113\.0\/33"; allowed: an IPv4 CIDR block/],
    ['an empty allow-list', { allowedCidrs: [] }, /edge\.allowedCidrs: got \[\]; allowed: an array with 1 to 10000 items/],
    ['a duplicate CIDR', { allowedCidrs: ['203.0.113.0/24', '203.0.113.0/24'] }, /edge\.allowedCidrs: duplicate items/],
    ['a rate limit under WAF\'s minimum of 10', { rateLimitPer5Minutes: 9 }, /edge\.rateLimitPer5Minutes: got 9; allowed: an integer from 10 to 2000000000/],
    ['a rate limit over WAF\'s maximum', { rateLimitPer5Minutes: 2_000_000_001 }, /edge\.rateLimitPer5Minutes: got 2000000001; allowed: an integer from 10 to 2000000000/],
    ['a read timeout over CloudFront\'s hard maximum', { originReadTimeoutSeconds: 181 }, /edge\.originReadTimeoutSeconds: got 181; allowed: an integer from 1 to 180/],
    ['a retention CloudWatch does not offer', { logRetentionDays: 31 }, /edge\.logRetentionDays: got 31; allowed: one of 1, 3/],
    ['enabled not a boolean', { enabled: 'yes' }, /edge\.enabled: got "yes"; allowed: true or false/],
    ['an unknown key', { enabeld: true }, /edge\.enabeld: unknown key; got true; allowed: one of the keys enabled, domainName/],
  ])('%s is refused with the field, the value and what is allowed', (_, edge, message) => {
    expect(load(edge)).toThrow(ConfigError);
    expect(load(edge)).toThrow(message);
  });

  test('the edge with an ALB certificate is refused: CloudFront would get redirects on :80', () => {
    const gatewayCert = 'arn:aws:acm:us-east-1:123456789012:certificate/abcdefab-1234-1234-1234-123456789012';
    expect(load({ enabled: true }, { certificateArn: gatewayCert })).toThrow(/gateway\.certificateArn: got "arn:aws:acm:us-east-1:.*"; allowed: unset while edge\.enabled is true/);
    expect(load({ enabled: false }, { certificateArn: gatewayCert })).not.toThrow();
  });
});
