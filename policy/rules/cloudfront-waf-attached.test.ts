import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { cloudfrontWafAttached } from './cloudfront-waf-attached';

const distribution = (webAclId?: string) => tfElement('aws_cloudfront_distribution.edge', webAclId === undefined ? {} : { web_acl_id: webAclId });

describe('cloudfront-waf-attached', () => {
  test.each([
    ['a reference to a web ACL', '${aws_wafv2_web_acl.web-acl.arn}'],
    ['a CLOUDFRONT-scoped WAFv2 ARN', 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b'],
  ])('%s is compliant', (_, acl) => {
    expect(evaluateIn(cloudfrontWafAttached, distribution(acl))).toEqual(COMPLIANT);
  });

  test('no web ACL is non-compliant', () => {
    expect(findingsOf(evaluateIn(cloudfrontWafAttached, distribution()))).toEqual([expect.stringMatching(/web_acl_id is not set/)]);
  });

  test('a reference to a CLOUDFRONT-scoped web ACL of the stack is compliant', () => {
    const acl = tfElement('aws_wafv2_web_acl.web-acl', { scope: 'CLOUDFRONT' });
    expect(evaluateIn(cloudfrontWafAttached, distribution('${aws_wafv2_web_acl.web-acl.arn}'), [acl])).toEqual(COMPLIANT);
  });

  test('a reference to a REGIONAL web ACL of the stack is non-compliant', () => {
    const acl = tfElement('aws_wafv2_web_acl.web-acl', { scope: 'REGIONAL' });
    expect(findingsOf(evaluateIn(cloudfrontWafAttached, distribution('${aws_wafv2_web_acl.web-acl.arn}'), [acl]))).toEqual([
      expect.stringMatching(/refers to aws_wafv2_web_acl\.web-acl, whose scope is "REGIONAL"; a distribution takes only a CLOUDFRONT-scoped web ACL/),
    ]);
  });

  test("a reference to a web ACL's id (WAF Classic's form) is non-compliant", () => {
    const acl = tfElement('aws_wafv2_web_acl.web-acl', { scope: 'CLOUDFRONT' });
    expect(findingsOf(evaluateIn(cloudfrontWafAttached, distribution('${aws_wafv2_web_acl.web-acl.id}'), [acl]))).toEqual([
      expect.stringMatching(/is the web ACL's id; WAFv2 takes its arn/),
    ]);
  });

  test('a regional web ACL (wrong scope) is non-compliant', () => {
    const regional = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/edge/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
    expect(findingsOf(evaluateIn(cloudfrontWafAttached, distribution(regional)))).toEqual([expect.stringMatching(/is not a CLOUDFRONT-scoped WAFv2 web ACL ARN/)]);
  });
});
