import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT, NOT_APPLICABLE } from '../types';
import { albHttpRedirect } from './alb-http-redirect';

const LB = '${aws_lb.alb.arn}';
const https = tfElement('aws_lb_listener.https', {
  load_balancer_arn: LB,
  protocol: 'HTTPS',
  port: 443,
  certificate_arn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
  ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
  default_action: [{ type: 'forward', target_group_arn: '${aws_lb_target_group.tg.arn}' }],
});
const redirect = [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }];
const forward = [{ type: 'forward', target_group_arn: '${aws_lb_target_group.tg.arn}' }];

describe('alb-http-redirect', () => {
  test('an HTTP listener that only redirects to HTTPS is compliant', () => {
    const http = tfElement('aws_lb_listener.http', { load_balancer_arn: LB, port: 80, protocol: 'HTTP', default_action: redirect });
    expect(evaluateIn(albHttpRedirect, http, [https])).toEqual(COMPLIANT);
  });

  test('an HTTP listener forwarding traffic next to an HTTPS listener is non-compliant', () => {
    const http = tfElement('aws_lb_listener.http', { load_balancer_arn: LB, port: 80, protocol: 'HTTP', default_action: forward });
    expect(findingsOf(evaluateIn(albHttpRedirect, http, [https]))).toEqual([
      'default actions are [forward] instead of a single redirect to HTTPS',
    ]);
  });

  test('a forward rule attached to the redirecting HTTP listener is non-compliant', () => {
    const http = tfElement('aws_lb_listener.http', { load_balancer_arn: LB, port: 80, default_action: redirect });
    const bypass = tfElement('aws_lb_listener_rule.bypass', { listener_arn: '${aws_lb_listener.http.arn}', action: forward });
    expect(findingsOf(evaluateIn(albHttpRedirect, http, [https, bypass]))).toEqual([
      'listener rule aws_lb_listener_rule.bypass actions are [forward] instead of a single redirect to HTTPS',
    ]);
  });

  test('an HTTP listener on a balancer without any certificate is not applicable', () => {
    const http = tfElement('aws_lb_listener.http', { load_balancer_arn: LB, port: 80, protocol: 'HTTP', default_action: forward });
    const otherLbHttps = tfElement('aws_lb_listener.other', { ...https.attributes, load_balancer_arn: '${aws_lb.other.arn}' });
    expect(evaluateIn(albHttpRedirect, http, [otherLbHttps])).toEqual(NOT_APPLICABLE);
  });

  test('the HTTPS listener itself is not applicable', () => {
    expect(evaluateIn(albHttpRedirect, https)).toEqual(NOT_APPLICABLE);
  });
});
