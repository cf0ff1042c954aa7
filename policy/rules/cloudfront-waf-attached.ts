import { asString, isNonEmptyString } from '../terraform';
import { COMPLIANT, nonCompliant, type PolicyContext, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** `${aws_wafv2_web_acl.<name>.<attribute>}`: the whole value is one attribute of a web ACL of the stack. */
const WEB_ACL_REFERENCE = /^\$\{aws_wafv2_web_acl\.([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_]*)\}$/;

/**
 * A public distribution without a web ACL has no rate limit or allow-list in front of the origin. WAFv2 takes the
 * web ACL's ARN in web_acl_id (WAF Classic took an id), and only a CLOUDFRONT-scoped web ACL can be associated with
 * a distribution. A literal must be such an ARN; a reference to a web ACL of the same stack must be to its `arn`,
 * and that web ACL must have scope CLOUDFRONT. Other references (a variable, a remote state output) are taken as
 * they are: their value is not known at synth.
 */
export function evaluateCloudfrontWafAttached(element: TfElement, context: PolicyContext): RuleResult {
  const acl = element.attributes['web_acl_id'];
  if (!isNonEmptyString(acl)) return nonCompliant('web_acl_id is not set: no WAF web ACL protects the distribution');
  const value = asString(acl) ?? '';
  const reference = WEB_ACL_REFERENCE.exec(value);
  if (reference) {
    const [, name, attribute] = reference;
    if (attribute !== 'arn') {
      return nonCompliant(`web_acl_id ${JSON.stringify(value)} is the web ACL's ${attribute}; WAFv2 takes its arn (an id is read as a WAF Classic web ACL)`);
    }
    const target = context.ofType('aws_wafv2_web_acl').find((e) => e.name === name);
    const scope = target === undefined ? undefined : asString(target.attributes['scope']);
    if (target !== undefined && scope !== 'CLOUDFRONT') {
      return nonCompliant(`web_acl_id refers to aws_wafv2_web_acl.${name}, whose scope is ${JSON.stringify(scope ?? null)}; a distribution takes only a CLOUDFRONT-scoped web ACL (created in us-east-1)`);
    }
    return COMPLIANT;
  }
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
