import { asString, blocks, describeValue, firstBlock } from '../terraform';
import { verdict, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** Viewer protocol policies that never serve a response over plain HTTP (CloudFront API reference, CacheBehavior). */
export const HTTPS_VIEWER_POLICIES: readonly string[] = ['https-only', 'redirect-to-https'];

/** Every cache behavior, the default and the ordered ones, must refuse or redirect plain HTTP. */
export function evaluateCloudfrontHttpsOnly(element: TfElement): RuleResult {
  const behaviors = [
    ...blocks(element.attributes['default_cache_behavior']).map((b) => ({ label: 'default_cache_behavior', block: b })),
    ...blocks(element.attributes['ordered_cache_behavior']).map((b) => ({
      label: `ordered_cache_behavior ${JSON.stringify(asString(b['path_pattern']) ?? '?')}`,
      block: b,
    })),
  ];
  const problems = behaviors
    .filter(({ block }) => !HTTPS_VIEWER_POLICIES.includes(asString(block['viewer_protocol_policy']) ?? ''))
    .map(({ label, block }) => `${label} has viewer_protocol_policy ${describeValue(block['viewer_protocol_policy'])}, which serves plain HTTP`);
  if (firstBlock(element.attributes['default_cache_behavior']) === undefined) problems.push('default_cache_behavior is not set');
  return verdict(problems);
}

export const cloudfrontHttpsOnly: PolicyRule = {
  id: 'cloudfront-https-only',
  title: 'CloudFront distributions serve viewers over HTTPS only',
  appliesTo: ['aws_cloudfront_distribution'],
  fix: 'Set viewerProtocolPolicy "https-only" (API clients: a redirect comes after the key crossed in clear) or "redirect-to-https" on every cache behavior.',
  evaluate: evaluateCloudfrontHttpsOnly,
};
