import { asString, isNonEmptyString } from '../terraform';
import { COMPLIANT, nonCompliant, type PolicyRule, type RuleResult, type TfElement } from '../types';

/**
 * A public distribution without a web ACL has no rate limit or allow-list in front of the origin. WAFv2 takes the
 * web ACL's ARN in web_acl_id (WAF Classic took an id); an id that is not a WAFv2 ARN is reported.
 */
export function evaluateCloudfrontWafAttached(element: TfElement): RuleResult {
  const acl = element.attributes['web_acl_id'];
  if (!isNonEmptyString(acl)) return nonCompliant('web_acl_id is not set: no WAF web ACL protects the distribution');
  const value = asString(acl) ?? '';
  if (value.startsWith('${') || /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\//.test(value)) return COMPLIANT;
  return nonCompliant(`web_acl_id ${JSON.stringify(value)} is not a CLOUDFRONT-scoped WAFv2 web ACL ARN (arn:aws:wafv2:us-east-1:<account>:global/webacl/...)`);
}

export const cloudfrontWafAttached: PolicyRule = {
  id: 'cloudfront-waf-attached',
  title: 'CloudFront distributions have a WAF web ACL attached',
  appliesTo: ['aws_cloudfront_distribution'],
  fix: 'Create a Wafv2WebAcl with scope "CLOUDFRONT" through a us-east-1 provider and set webAclId to its arn.',
  evaluate: evaluateCloudfrontWafAttached,
};
