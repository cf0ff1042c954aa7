import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { cloudfrontHttpsOnly } from './cloudfront-https-only';

const distribution = (defaultPolicy: string, ordered: { path_pattern: string; viewer_protocol_policy: string }[] = []) =>
  tfElement('aws_cloudfront_distribution.edge', {
    default_cache_behavior: { target_origin_id: 'o', viewer_protocol_policy: defaultPolicy },
    ordered_cache_behavior: ordered,
  });

describe('cloudfront-https-only', () => {
  test.each(['https-only', 'redirect-to-https'])('a distribution whose behaviors use %s is compliant', (policy) => {
    expect(evaluateIn(cloudfrontHttpsOnly, distribution(policy, [{ path_pattern: '/v1/*', viewer_protocol_policy: policy }]))).toEqual(COMPLIANT);
  });

  test('allow-all on the default behavior is non-compliant', () => {
    expect(findingsOf(evaluateIn(cloudfrontHttpsOnly, distribution('allow-all')))).toEqual([
      'default_cache_behavior has viewer_protocol_policy "allow-all", which serves plain HTTP',
    ]);
  });

  test('allow-all on one ordered behavior is non-compliant and named by its path', () => {
    const found = findingsOf(evaluateIn(cloudfrontHttpsOnly, distribution('https-only', [{ path_pattern: '/health', viewer_protocol_policy: 'allow-all' }])));
    expect(found).toEqual([expect.stringMatching(/^ordered_cache_behavior "\/health" has viewer_protocol_policy "allow-all"/)]);
  });
});
