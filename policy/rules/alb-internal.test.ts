import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { albInternal } from './alb-internal';

describe('alb-internal', () => {
  test('an internal load balancer is compliant', () => {
    expect(evaluateIn(albInternal, tfElement('aws_lb.alb', { internal: true }))).toEqual(COMPLIANT);
  });

  test.each([
    ['omitted (AWS default: internet-facing)', {}],
    ['false', { internal: false }],
    ['unknown until apply', { internal: '${var.internal}' }],
  ])('internal %s is non-compliant', (_, attributes) => {
    const result = evaluateIn(albInternal, tfElement('aws_lb.alb', attributes));
    expect(result.status).toBe('non-compliant');
    expect(findingsOf(result)).toEqual([expect.stringMatching(/internet-facing/)]);
  });
});
