import { asString, describeValue, firstBlock, isNonEmptyString, isTrue } from '../terraform';
import { COMPLIANT, NOT_APPLICABLE, isProduction, nonCompliant, type PolicyContext, type PolicyRule, type RuleResult, type TfElement } from '../types';

/**
 * Viewer security policies with TLS 1.2 as the minimum and the 2021 (or newer) cipher set (CloudFront Developer
 * Guide, "Supported protocols and ciphers between viewers and CloudFront"). TLSv1.2_2018/2019 still allow CBC
 * ciphers that 2021 dropped; AWS Config's cloudfront-security-policy-check accepts them, this pack does not.
 */
export const TLS12_VIEWER_POLICIES: readonly string[] = ['TLSv1.2_2021', 'TLSv1.2_2025', 'TLSv1.3_2025'];

/**
 * With a certificate of its own (ACM or IAM), the distribution must ask for TLS 1.2+. With the cloudfront.net
 * certificate CloudFront applies TLSv1 whatever is asked (CloudFront API reference, ViewerCertificate), so only a
 * custom domain gets TLS 1.2+: required in production, not applicable elsewhere.
 */
export function evaluateCloudfrontTlsVersion(element: TfElement, context: PolicyContext): RuleResult {
  const certificate = firstBlock(element.attributes['viewer_certificate']);
  if (certificate === undefined) return nonCompliant('viewer_certificate is not set');
  const custom = isNonEmptyString(certificate['acm_certificate_arn']) || isNonEmptyString(certificate['iam_certificate_id']);
  if (!custom || isTrue(certificate['cloudfront_default_certificate'])) {
    return isProduction(context)
      ? nonCompliant(`the distribution uses the cloudfront.net certificate, on which CloudFront accepts TLS 1.0; ${context.environment} needs a custom domain with a TLS 1.2+ security policy`)
      : NOT_APPLICABLE;
  }
  const policy = asString(certificate['minimum_protocol_version']);
  return policy !== undefined && TLS12_VIEWER_POLICIES.includes(policy)
    ? COMPLIANT
    : nonCompliant(`viewer_certificate.minimum_protocol_version is ${describeValue(certificate['minimum_protocol_version'])}; allowed: ${TLS12_VIEWER_POLICIES.join(', ')}`);
}

export const cloudfrontTlsVersion: PolicyRule = {
  id: 'cloudfront-tls-version',
  title: 'CloudFront viewers need TLS 1.2+ (custom certificate; required in production)',
  appliesTo: ['aws_cloudfront_distribution'],
  fix: 'Set edge.domainName and edge.certificateArn (ACM, us-east-1): the distribution then uses sni-only with minimumProtocolVersion "TLSv1.2_2021".',
  evaluate: evaluateCloudfrontTlsVersion,
};
