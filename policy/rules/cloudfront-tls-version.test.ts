import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT, NOT_APPLICABLE } from '../types';
import { cloudfrontTlsVersion } from './cloudfront-tls-version';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
const custom = (minimum: string) =>
  tfElement('aws_cloudfront_distribution.edge', { viewer_certificate: { acm_certificate_arn: CERT, ssl_support_method: 'sni-only', minimum_protocol_version: minimum } });
const defaultCertificate = tfElement('aws_cloudfront_distribution.edge', { viewer_certificate: { cloudfront_default_certificate: true, minimum_protocol_version: 'TLSv1' } });

describe('cloudfront-tls-version', () => {
  test.each(['TLSv1.2_2021', 'TLSv1.2_2025', 'TLSv1.3_2025'])('a custom certificate with %s is compliant', (minimum) => {
    expect(evaluateIn(cloudfrontTlsVersion, custom(minimum), [], 'prod')).toEqual(COMPLIANT);
  });

  test.each(['TLSv1', 'TLSv1_2016', 'TLSv1.1_2016', 'TLSv1.2_2019'])('a custom certificate with %s is non-compliant', (minimum) => {
    expect(findingsOf(evaluateIn(cloudfrontTlsVersion, custom(minimum)))).toEqual([
      `viewer_certificate.minimum_protocol_version is "${minimum}"; allowed: TLSv1.2_2021, TLSv1.2_2025, TLSv1.3_2025`,
    ]);
  });

  test('the cloudfront.net certificate is non-compliant in prod (CloudFront accepts TLS 1.0 on it)', () => {
    expect(findingsOf(evaluateIn(cloudfrontTlsVersion, defaultCertificate, [], 'prod'))).toEqual([expect.stringMatching(/cloudfront\.net certificate.*prod needs a custom domain/)]);
  });

  test('the cloudfront.net certificate is not applicable in dev', () => {
    expect(evaluateIn(cloudfrontTlsVersion, defaultCertificate)).toEqual(NOT_APPLICABLE);
  });

  test('no viewer_certificate is non-compliant', () => {
    expect(findingsOf(evaluateIn(cloudfrontTlsVersion, tfElement('aws_cloudfront_distribution.edge', {})))).toEqual(['viewer_certificate is not set']);
  });
});
