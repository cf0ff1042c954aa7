import { evaluateIn, tfElement } from '../testing';
import { COMPLIANT, NOT_APPLICABLE } from '../types';
import { albDropInvalidHeaders } from './alb-drop-invalid-headers';

describe('alb-drop-invalid-headers', () => {
  test('an ALB dropping invalid header fields is compliant', () => {
    const alb = tfElement('aws_lb.alb', { load_balancer_type: 'application', drop_invalid_header_fields: true });
    expect(evaluateIn(albDropInvalidHeaders, alb)).toEqual(COMPLIANT);
  });

  test('an ALB with the provider default (false) is non-compliant', () => {
    expect(evaluateIn(albDropInvalidHeaders, tfElement('aws_lb.alb', { internal: true }))).toEqual({
      status: 'non-compliant',
      findings: ['drop_invalid_header_fields is not true'],
    });
  });

  test('a network load balancer has no such setting and is not applicable', () => {
    expect(evaluateIn(albDropInvalidHeaders, tfElement('aws_lb.nlb', { load_balancer_type: 'network' }))).toEqual(
      NOT_APPLICABLE,
    );
  });
});
