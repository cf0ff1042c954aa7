/**
 * The internal ALB in front of the LiteLLM tasks, its target group and listeners, and the private DNS name agents
 * use (docs/design.md#overview, request path).
 */
import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener, LbListenerDefaultAction } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import type { DnsConfig } from '../../config/gateway';
import { CONTAINER_PORTS, LIVENESS_PATH } from './container-definition';

/**
 * What the target group forwards to. Each of these forces a new target group (AWS provider, aws_lb_target_group:
 * port, protocol and target_type are ForceNew, as is vpc_id).
 */
export const TARGET_GROUP_TARGETS = { port: CONTAINER_PORTS.proxy, protocol: 'HTTP', targetType: 'ip' } as const;

export type TargetGroupTargets = { readonly port: number; readonly protocol: string; readonly targetType: string };

/**
 * The target group's name, derived from what it forwards to, so that a change that replaces it also renames it: the
 * replacement is then created before the old group is destroyed (create_before_destroy), the listeners move to it,
 * and the old one is deleted once no listener uses it. With a fixed name the new group cannot be created beside the
 * old one (names are unique per region), and without create-before-destroy ELB refuses to delete a group a listener
 * still forwards to ("ResourceInUse: Target group ... is currently in use by a listener or a rule").
 * The original targets (4000, HTTP, ip) keep the plain `base` name, so that groups created before this rule are not
 * replaced by it; any other set gets `-<6 hex of its SHA-256>` (within ELB's 32 characters).
 */
export function targetGroupName(base: string, targets: TargetGroupTargets = TARGET_GROUP_TARGETS): string {
  const original = TARGET_GROUP_TARGETS;
  if (targets.port === original.port && targets.protocol === original.protocol && targets.targetType === original.targetType) return base;
  const digest = createHash('sha256').update(`${targets.port}/${targets.protocol}/${targets.targetType}`).digest('hex').slice(0, 6);
  return `${base.slice(0, 32 - 7).replace(/-+$/, '')}-${digest}`;
}

export interface HttpsSettings {
  /** ACM certificate valid for `<recordName>.<zoneName>`. */
  readonly certificateArn: string;
  readonly sslPolicy: string;
}

export interface GatewayLoadBalancerProps {
  /** Physical names (at most 32 characters each). */
  readonly albName: string;
  /** Base of the target group's name (targetGroupName() derives the name from it). */
  readonly targetGroupName: string;
  readonly vpcId: string;
  /** Private subnets, one per AZ. */
  readonly subnetIds: readonly string[];
  /** alb-sg of the networking stack. */
  readonly securityGroupId: string;
  /** At least the LiteLLM request timeout, or long completions end in a 504 (docs/design.md#alb-idle-timeout). */
  readonly idleTimeoutSeconds: number;
  /**
   * How long a deregistering task keeps serving its in-flight requests before the ALB cuts them: at least the
   * LiteLLM request timeout (the gateway stack checks it against the catalogue). It costs nothing for a target
   * without in-flight requests: ELB then completes the deregistration at once.
   */
  readonly deregistrationDelaySeconds: number;
  /** @default - HTTP only on :80 */
  readonly https?: HttpsSettings;
  /** Refuse to delete the ALB until this is turned off. @default false */
  readonly deletionProtection?: boolean;
  readonly dns: DnsConfig;
}

export interface GatewayLoadBalancer {
  readonly alb: Lb;
  readonly targetGroup: LbTargetGroup;
  /** :80, and :443 with HTTPS. The service depends on them: a target group must be attached before use. */
  readonly listeners: readonly LbListener[];
  /** `<recordName>.<zoneName>`. */
  readonly hostName: string;
  /** What agents set as OPENAI_BASE_URL. */
  readonly serviceUrl: string;
}

export function createGatewayLoadBalancer(scope: Construct, props: GatewayLoadBalancerProps): GatewayLoadBalancer {
  const alb = new Lb(scope, 'alb', {
    name: props.albName,
    internal: true,
    loadBalancerType: 'application',
    subnets: [...props.subnetIds],
    securityGroups: [props.securityGroupId],
    idleTimeout: props.idleTimeoutSeconds,
    // Malformed header names are a request-smuggling vector; the proxy never needs them.
    dropInvalidHeaderFields: true,
    enableDeletionProtection: props.deletionProtection ?? false,
    tags: { Name: props.albName },
  });

  const tgName = targetGroupName(props.targetGroupName);
  const targetGroup = new LbTargetGroup(scope, 'target-group', {
    name: tgName,
    port: TARGET_GROUP_TARGETS.port,
    protocol: TARGET_GROUP_TARGETS.protocol,
    targetType: TARGET_GROUP_TARGETS.targetType,
    vpcId: props.vpcId,
    // ECS deregisters a task before stopping it and sends SIGTERM only once the target has drained (ECS developer
    // guide, "Optimize load balancer connection draining parameters"): this delay, not the container's stopTimeout,
    // is what lets a long completion finish during a deploy or scale-in. docs/gateway-runtime.md.
    deregistrationDelay: String(props.deregistrationDelaySeconds),
    healthCheck: {
      enabled: true,
      protocol: 'HTTP',
      // The port traffic goes to (4000): healthy means the proxy itself answers, not a side process.
      port: 'traffic-port',
      path: LIVENESS_PATH,
      matcher: '200',
      interval: 15,
      timeout: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 3,
    },
    tags: { Name: tgName },
    // See targetGroupName(): a replacement is created first, the listeners and the service move to it, then the old
    // group is deleted. The ECS service's load_balancer is updated in place (ECS UpdateService takes new load
    // balancers since 2022; the provider followed in hashicorp/terraform-provider-aws#23596): a rolling deployment
    // registers the tasks in the new group. docs/gateway-runtime.md#replacements.
    lifecycle: { createBeforeDestroy: true },
  });

  const forward: LbListenerDefaultAction = { type: 'forward', targetGroupArn: targetGroup.arn };
  const listeners: LbListener[] = [];
  if (props.https) {
    listeners.push(
      new LbListener(scope, 'https-listener', {
        loadBalancerArn: alb.arn,
        port: 443,
        protocol: 'HTTPS',
        sslPolicy: props.https.sslPolicy,
        certificateArn: props.https.certificateArn,
        defaultAction: [forward],
      }),
    );
  }
  listeners.unshift(
    new LbListener(scope, 'http-listener', {
      loadBalancerArn: alb.arn,
      port: 80,
      protocol: 'HTTP',
      // With a certificate, keys must not travel in clear: plain HTTP only redirects.
      defaultAction: [
        props.https ? { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } } : forward,
      ],
    }),
  );

  const zoneId =
    props.dns.existingZoneId ??
    new Route53Zone(scope, 'private-zone', {
      name: props.dns.zoneName,
      comment: `Private names of the LLM gateway (${props.dns.zoneName})`,
      // A VPC association makes the zone private: resolvable only inside the VPC.
      vpc: [{ vpcId: props.vpcId }],
    }).zoneId;
  const hostName = `${props.dns.recordName}.${props.dns.zoneName}`;
  new Route53Record(scope, 'dns-record', {
    zoneId,
    name: hostName,
    type: 'A',
    alias: { name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true },
  });

  return { alb, targetGroup, listeners, hostName, serviceUrl: `${props.https ? 'https' : 'http'}://${hostName}/v1` };
}
