import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { GatewayLoadBalancer, GatewayLoadBalancerProps, createGatewayLoadBalancer, targetGroupName } from './load-balancer';
import { CERT } from '../../test/fixtures';
import { synthScope, type Json } from '../../test/helpers';

const BASE: GatewayLoadBalancerProps = {
  albName: 'app-dev-alb',
  targetGroupName: 'app-dev-tg',
  vpcId: 'vpc-123',
  subnetIds: ['subnet-a', 'subnet-b'],
  securityGroupId: 'sg-alb',
  idleTimeoutSeconds: 660,
  deregistrationDelaySeconds: 660,
  dns: { zoneName: 'document-processing.internal', recordName: 'llm-gateway' },
};

function synth(props: Partial<GatewayLoadBalancerProps> = {}): { json: Json; text: string; lb: GatewayLoadBalancer } {
  let lb: GatewayLoadBalancer | undefined;
  const { json, text } = synthScope((scope) => {
    lb = createGatewayLoadBalancer(scope, { ...BASE, ...props });
  });
  return { json, text, lb: lb! };
}

describe('ALB and target group', () => {
  const { text } = synth();

  test('internal, in the private subnets, behind alb-sg, idle timeout as configured, invalid headers dropped', () => {
    expect(text).toHaveResourceWithProperties(Lb, {
      name: 'app-dev-alb',
      internal: true,
      load_balancer_type: 'application',
      subnets: ['subnet-a', 'subnet-b'],
      security_groups: ['sg-alb'],
      idle_timeout: 660,
      drop_invalid_header_fields: true,
    });
  });

  test('ip targets on :4000 over HTTP, health checked on the traffic port, deregistration delay as configured', () => {
    expect(text).toHaveResourceWithProperties(LbTargetGroup, {
      name: 'app-dev-tg',
      port: 4000,
      protocol: 'HTTP',
      target_type: 'ip',
      vpc_id: 'vpc-123',
      deregistration_delay: '660',
      health_check: expect.objectContaining({ port: 'traffic-port', path: '/health/liveliness', matcher: '200', protocol: 'HTTP' }),
    });
    expect(text).not.toContain('8001');
  });

  test('a replacement of the target group is created before the old one is destroyed (no "in use by a listener")', () => {
    const { json } = synth();
    expect(json.resource.aws_lb_target_group['target-group'].lifecycle).toEqual({ create_before_destroy: true });
  });

  test('the name follows what forces a replacement, so the new group can exist beside the old one', () => {
    // The original targets keep the name groups were created with.
    expect(targetGroupName('app-dev-tg')).toBe('app-dev-tg');
    const other = targetGroupName('app-dev-tg', { port: 8080, protocol: 'HTTP', targetType: 'ip' });
    expect(other).toMatch(/^app-dev-tg-[0-9a-f]{6}$/);
    expect(targetGroupName('app-dev-tg', { port: 4000, protocol: 'HTTPS', targetType: 'ip' })).not.toBe(other);
    const long = targetGroupName('a-very-long-application-name-prod-tg', { port: 8080, protocol: 'HTTP', targetType: 'ip' });
    expect(long.length).toBeLessThanOrEqual(32);
  });

  test('the deregistration delay follows the prop', () => {
    const { json } = synth({ deregistrationDelaySeconds: 900 });
    expect(json.resource.aws_lb_target_group['target-group'].deregistration_delay).toBe('900');
  });
});

describe('deletion protection', () => {
  test('off unless asked for; on when deletionProtection is true', () => {
    expect(synth().text).toHaveResourceWithProperties(Lb, { enable_deletion_protection: false });
    expect(synth({ deletionProtection: true }).text).toHaveResourceWithProperties(Lb, { enable_deletion_protection: true });
  });
});

describe('listeners', () => {
  test('HTTP only: :80 forwards to the target group; the URL is http', () => {
    const { json, lb } = synth();
    expect(Object.keys(json.resource.aws_lb_listener)).toEqual(['http-listener']);
    expect(json.resource.aws_lb_listener['http-listener']).toEqual({
      load_balancer_arn: '${aws_lb.alb.arn}',
      port: 80,
      protocol: 'HTTP',
      default_action: [{ type: 'forward', target_group_arn: '${aws_lb_target_group.target-group.arn}' }],
    });
    expect(lb.serviceUrl).toBe('http://llm-gateway.document-processing.internal/v1');
    expect(lb.listeners).toHaveLength(1);
  });

  test('HTTPS: :443 with the certificate and TLS policy forwards; :80 only redirects (301); the URL is https', () => {
    const { json, lb } = synth({ https: { certificateArn: CERT, sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' } });
    const listeners = json.resource.aws_lb_listener;
    expect(listeners['https-listener']).toEqual({
      load_balancer_arn: '${aws_lb.alb.arn}',
      port: 443,
      protocol: 'HTTPS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificate_arn: CERT,
      default_action: [{ type: 'forward', target_group_arn: '${aws_lb_target_group.target-group.arn}' }],
    });
    expect(listeners['http-listener'].default_action).toEqual([{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }]);
    expect(lb.serviceUrl).toBe('https://llm-gateway.document-processing.internal/v1');
    expect(lb.listeners).toHaveLength(2);
  });
});

describe('private DNS', () => {
  test('a private zone on the VPC and an alias A record to the ALB that follows its health', () => {
    const { text } = synth();
    expect(text).toHaveResourceWithProperties(Route53Zone, { name: 'document-processing.internal', vpc: [{ vpc_id: 'vpc-123' }] });
    expect(text).toHaveResourceWithProperties(Route53Record, {
      zone_id: '${aws_route53_zone.private-zone.zone_id}',
      name: 'llm-gateway.document-processing.internal',
      type: 'A',
      alias: { name: '${aws_lb.alb.dns_name}', zone_id: '${aws_lb.alb.zone_id}', evaluate_target_health: true },
    });
  });

  test('an existing zone is used, not created', () => {
    const { json, text, lb } = synth({ dns: { zoneName: 'corp.internal', recordName: 'llm', existingZoneId: 'Z0123456789ABCDEFGHIJ' } });
    expect(json.resource.aws_route53_zone).toBeUndefined();
    expect(text).toHaveResourceWithProperties(Route53Record, { zone_id: 'Z0123456789ABCDEFGHIJ', name: 'llm.corp.internal' });
    expect(lb.serviceUrl).toBe('http://llm.corp.internal/v1');
  });
});
