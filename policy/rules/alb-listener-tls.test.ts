import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT, NOT_APPLICABLE } from '../types';
import { albListenerTls, isTls12Policy } from './alb-listener-tls';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';

describe('alb-listener-tls', () => {
  test.each([
    'ELBSecurityPolicy-TLS13-1-2-2021-06',
    'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
    'ELBSecurityPolicy-TLS13-1-3-2021-06',
    'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
    'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
    'ELBSecurityPolicy-TLS-1-2-2017-01',
    'ELBSecurityPolicy-TLS-1-2-Ext-2018-06',
    'ELBSecurityPolicy-FS-1-2-Res-2020-10',
  ])('%s is a TLS 1.2+ policy', (policy) => {
    expect(isTls12Policy(policy)).toBe(true);
  });

  test.each([
    'ELBSecurityPolicy-2016-08',
    'ELBSecurityPolicy-2015-05',
    'ELBSecurityPolicy-FS-2018-06',
    'ELBSecurityPolicy-TLS-1-1-2017-01',
    'ELBSecurityPolicy-FS-1-1-2019-08',
    'ELBSecurityPolicy-TLS13-1-0-2021-06',
    'ELBSecurityPolicy-TLS13-1-1-2021-06',
    'ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04',
  ])('%s still accepts TLS < 1.2', (policy) => {
    expect(isTls12Policy(policy)).toBe(false);
  });

  test('an HTTPS listener with a certificate and a TLS 1.3/1.2 policy is compliant', () => {
    const listener = tfElement('aws_lb_listener.https', {
      protocol: 'HTTPS',
      port: 443,
      certificate_arn: CERT,
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    });
    expect(evaluateIn(albListenerTls, listener)).toEqual(COMPLIANT);
  });

  test('an HTTPS listener with the legacy 2016-08 policy is non-compliant', () => {
    const listener = tfElement('aws_lb_listener.https', {
      protocol: 'HTTPS',
      certificate_arn: CERT,
      ssl_policy: 'ELBSecurityPolicy-2016-08',
    });
    expect(findingsOf(evaluateIn(albListenerTls, listener))).toEqual([
      'ssl_policy "ELBSecurityPolicy-2016-08" allows protocols older than TLS 1.2',
    ]);
  });

  test('an HTTPS listener without ssl_policy is non-compliant (the API default is 2016-08)', () => {
    const listener = tfElement('aws_lb_listener.https', { protocol: 'HTTPS', certificate_arn: CERT });
    expect(findingsOf(evaluateIn(albListenerTls, listener))).toEqual([expect.stringMatching(/ssl_policy is not set/)]);
  });

  test('a certificate on a plain HTTP listener is non-compliant', () => {
    const listener = tfElement('aws_lb_listener.odd', {
      protocol: 'HTTP',
      certificate_arn: CERT,
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    });
    expect(findingsOf(evaluateIn(albListenerTls, listener))).toEqual([expect.stringMatching(/protocol is "HTTP"/)]);
  });

  test('a plain HTTP listener without certificate is not applicable', () => {
    expect(evaluateIn(albListenerTls, tfElement('aws_lb_listener.http', { protocol: 'HTTP', port: 80 }))).toEqual(
      NOT_APPLICABLE,
    );
  });
});
