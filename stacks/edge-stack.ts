import { Construct } from 'constructs';
import { DataResource, Fn, TerraformOutput } from 'cdktf';
import { CloudfrontDistribution, CloudfrontDistributionViewerCertificate } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontVpcOrigin } from '@cdktf/provider-aws/lib/cloudfront-vpc-origin';
import { CloudwatchLogDelivery } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery';
import { CloudwatchLogDeliveryDestination } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination';
import { CloudwatchLogDeliverySource } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-source';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Wafv2IpSet } from '@cdktf/provider-aws/lib/wafv2-ip-set';
import { Wafv2WebAcl, Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { AppConfig, defaultTags, nameOf } from '../config';
import { BaseStack, BaseStackProps, StackConfig } from './base-stack';
import type { GatewayOutputs } from './contracts';

/** The ALB listener CloudFront's VPC origin talks to (plain HTTP inside the VPC; viewers only ever get HTTPS). */
export const EDGE_ORIGIN_HTTP_PORT = 80;
/** Required by the VPC origin API even with http-only. */
export const EDGE_ORIGIN_HTTPS_PORT = 443;
export const EDGE_ORIGIN_PROTOCOL_POLICY = 'http-only';

/**
 * Everything LiteLLM's OpenAI-compatible API uses: GET (models, key info), POST (completions, embeddings, key
 * management), PUT/PATCH/DELETE (admin API), OPTIONS (CORS preflight), HEAD. CloudFront accepts only this set of
 * seven, or GET+HEAD(+OPTIONS) (CloudFront API reference, AllowedMethods).
 */
export const EDGE_ALLOWED_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'] as const;

/**
 * Managed cache policy CachingDisabled: TTLs 0, nothing in the cache key, so CloudFront caches no response
 * (CloudFront Developer Guide, "Use managed cache policies"). The ID is fixed by AWS.
 */
export const CACHING_DISABLED_POLICY_ID = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

/**
 * Managed origin request policy AllViewerExceptHostHeader: every viewer header, cookie and query string except
 * Host, which CloudFront sets to the origin's name (CloudFront Developer Guide, "Use managed origin request
 * policies"). Forwarding all viewer headers includes `Authorization`, which no origin request policy may name on
 * its own (Developer Guide, "HTTP 401 status code"; AWS knowledge center "cloudfront-authorization-header": with
 * caching turned off, AllViewer and AllViewerExceptHostHeader forward it). The ID is fixed by AWS.
 */
export const ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

/**
 * Keep-alive between CloudFront and the origin: 60 s is the most CloudFront allows without a quota increase
 * (default 5 s; CloudFront Developer Guide, "Keep-alive timeout (custom and VPC origins only)").
 */
export const EDGE_ORIGIN_KEEPALIVE_SECONDS = 60;

/** CloudFront with a certificate of its own: TLS 1.2+ with the 2021 cipher set (CloudFront security policies). */
export const EDGE_MINIMUM_PROTOCOL_VERSION = 'TLSv1.2_2021';

/** Terraform alias of the us-east-1 provider: WAF for CloudFront, CloudFront's log delivery source. */
export const US_EAST_1_ALIAS = 'us_east_1';

export interface EdgeStackProps extends BaseStackProps {
  readonly config: StackConfig & Pick<AppConfig, 'edge'>;
  /** The gateway's internal ALB. */
  readonly gateway: Pick<GatewayOutputs, 'albArn' | 'albDnsName'>;
}

/**
 * Issue 17 (docs/edge.md): a public HTTPS entry for agents outside the VPC. CloudFront reaches the internal ALB
 * through a VPC origin (the ALB stays in private subnets without a public address), a CLOUDFRONT-scoped WAF web ACL
 * rate-limits per client IP and optionally allow-lists CIDRs, and access logs go to CloudWatch Logs (standard
 * logging v2). CloudFront, its WAF scope and its log delivery live in us-east-1, whatever the gateway's region.
 */
export class EdgeStack extends BaseStack {
  readonly usEast1: AwsProvider;
  readonly vpcOrigin: CloudfrontVpcOrigin;
  readonly webAcl: Wafv2WebAcl;
  readonly ipSet?: Wafv2IpSet;
  readonly distribution: CloudfrontDistribution;
  readonly accessLogGroup: CloudwatchLogGroup;
  /** `https://<domain or dxxxx.cloudfront.net>/v1`: OPENAI_BASE_URL for agents outside the VPC. */
  readonly baseUrl: string;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, 'edge', props);
    const { config, gateway } = props;
    const edge = config.edge;
    const name = (component: string) => nameOf(config, component);
    const metric = (component: string) => name(component).replace(/[^A-Za-z0-9]/g, '');

    // CLOUDFRONT-scoped WAF resources must be created in us-east-1 (WAF Developer Guide, "Amazon CloudFront").
    this.usEast1 = new AwsProvider(this, 'aws-us-east-1', {
      alias: US_EAST_1_ALIAS,
      region: 'us-east-1',
      defaultTags: [{ tags: defaultTags(config) }],
    });
    const provider = this.usEast1;

    // CloudFront refuses to update or delete a VPC origin that a distribution uses (409; the provider has no detach
    // logic: aws/aws-cdk#35765, hashicorp/terraform-provider-aws#40905), and the provider would update it in place
    // when the ALB or a port changes. So any change of what it points at replaces it instead, new one first: the
    // distribution moves to the new origin, then the old one, no longer used, is deleted. terraform_data carries
    // what the origin points at (replace_triggered_by on one of its attributes fires on any change of it, also on
    // its creation), and the name is derived from it so that the new origin never shares the old one's name.
    const target = { alb_arn: gateway.albArn, http_port: EDGE_ORIGIN_HTTP_PORT, https_port: EDGE_ORIGIN_HTTPS_PORT, protocol_policy: EDGE_ORIGIN_PROTOCOL_POLICY };
    const originTarget = new DataResource(this, 'vpc-origin-target', { input: target });
    this.vpcOrigin = new CloudfrontVpcOrigin(this, 'vpc-origin', {
      provider,
      vpcOriginEndpointConfig: [
        {
          name: `${name('gateway-alb')}-${Fn.substr(Fn.sha256(Fn.jsonencode(target)), 0, 8)}`,
          arn: gateway.albArn,
          httpPort: EDGE_ORIGIN_HTTP_PORT,
          // Unused with http-only, but the API requires both.
          httpsPort: EDGE_ORIGIN_HTTPS_PORT,
          // The ALB's certificate (if any) comes from a Private CA, which CloudFront does not trust; the hop from
          // CloudFront's ENI to the ALB never leaves the VPC (checkEdge refuses gateway.certificateArn with edge).
          originProtocolPolicy: EDGE_ORIGIN_PROTOCOL_POLICY,
          originSslProtocols: [{ items: ['TLSv1.2'], quantity: 1 }],
        },
      ],
      lifecycle: { createBeforeDestroy: true, replaceTriggeredBy: [`${DataResource.tfResourceType}.${originTarget.friendlyUniqueId}.output`] },
    });

    const rules: Wafv2WebAclRule[] = [
      {
        // First, so an allow-listed address is still rate limited (an Allow ends evaluation).
        name: 'rate-limit-per-ip',
        priority: 0,
        action: { block: {} },
        statement: { rate_based_statement: { limit: edge.rateLimitPer5Minutes, aggregate_key_type: 'IP', evaluation_window_sec: 300 } },
        visibilityConfig: { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: metric('edge-rate-limit') },
      },
    ];
    if (edge.allowedCidrs !== undefined) {
      this.ipSet = new Wafv2IpSet(this, 'allowed-cidrs', {
        provider,
        name: name('edge-allowed'),
        description: 'Client CIDRs allowed to reach the LLM gateway through CloudFront',
        scope: 'CLOUDFRONT',
        ipAddressVersion: 'IPV4',
        addresses: [...edge.allowedCidrs],
      });
      rules.push({
        name: 'allowed-cidrs',
        priority: 1,
        action: { allow: {} },
        statement: { ip_set_reference_statement: { arn: this.ipSet.arn } },
        visibilityConfig: { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: metric('edge-allowed') },
      });
    }
    this.webAcl = new Wafv2WebAcl(this, 'web-acl', {
      provider,
      name: name('edge'),
      description: edge.allowedCidrs ? 'LLM gateway edge: per-IP rate limit, allow-list, block the rest' : 'LLM gateway edge: per-IP rate limit',
      scope: 'CLOUDFRONT',
      // With an allow-list, whatever it does not allow is blocked.
      defaultAction: edge.allowedCidrs ? { block: {} } : { allow: {} },
      rule: rules,
      visibilityConfig: { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: metric('edge') },
    });

    const viewerCertificate: CloudfrontDistributionViewerCertificate = edge.certificateArn
      ? { acmCertificateArn: edge.certificateArn, sslSupportMethod: 'sni-only', minimumProtocolVersion: EDGE_MINIMUM_PROTOCOL_VERSION }
      : // With the cloudfront.net certificate CloudFront applies TLSv1 whatever is asked, and any other value is a
        // perpetual diff (CloudFront API reference, ViewerCertificate): TLS 1.2+ needs edge.domainName.
        { cloudfrontDefaultCertificate: true, minimumProtocolVersion: 'TLSv1' };

    const originId = 'gateway-alb';
    this.distribution = new CloudfrontDistribution(this, 'distribution', {
      provider,
      enabled: true,
      comment: `LLM gateway ${config.environment}: HTTPS entry for agents outside the VPC`,
      aliases: edge.domainName ? [edge.domainName] : undefined,
      isIpv6Enabled: true,
      httpVersion: 'http2',
      webAclId: this.webAcl.arn,
      origin: [
        {
          originId,
          domainName: gateway.albDnsName,
          vpcOriginConfig: {
            vpcOriginId: this.vpcOrigin.id,
            // Per gap between bytes, not per request: a streamed completion keeps it alive chunk by chunk.
            originReadTimeout: edge.originReadTimeoutSeconds,
            originKeepaliveTimeout: EDGE_ORIGIN_KEEPALIVE_SECONDS,
          },
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: originId,
        // https-only, not redirect-to-https: a redirect would come after the key had crossed the internet in clear.
        viewerProtocolPolicy: 'https-only',
        allowedMethods: [...EDGE_ALLOWED_METHODS],
        cachedMethods: ['GET', 'HEAD'],
        // Nothing cached; the agents' virtual keys (Authorization) and the bodies reach the ALB through the origin
        // request policy, which forwards every viewer header but Host.
        cachePolicyId: CACHING_DISABLED_POLICY_ID,
        originRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID,
        // Compression would buffer server-sent events of streamed completions.
        compress: false,
      },
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate,
    });

    // Standard logging v2 to CloudWatch Logs: retention and Logs Insights like every other log here, no S3 bucket
    // with ACLs (legacy logging needs them). CloudFront's delivery source exists only in us-east-1 (CloudFront
    // Developer Guide, "Standard logging (v2)").
    this.accessLogGroup = new CloudwatchLogGroup(this, 'access-log-group', {
      provider,
      name: `/aws/vendedlogs/cloudfront/${name('edge')}`,
      retentionInDays: edge.logRetentionDays,
    });
    const source = new CloudwatchLogDeliverySource(this, 'access-log-source', {
      provider,
      name: name('edge-access'),
      logType: 'ACCESS_LOGS',
      resourceArn: this.distribution.arn,
    });
    const destination = new CloudwatchLogDeliveryDestination(this, 'access-log-destination', {
      provider,
      name: name('edge-access'),
      deliveryDestinationConfiguration: [{ destinationResourceArn: this.accessLogGroup.arn }],
    });
    new CloudwatchLogDelivery(this, 'access-log-delivery', {
      provider,
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.arn,
    });

    const host = edge.domainName ?? this.distribution.domainName;
    this.baseUrl = `https://${host}/v1`;
    new TerraformOutput(this, 'base_url', { value: this.baseUrl, description: 'OPENAI_BASE_URL for agents outside the VPC (HTTPS through CloudFront)' });
    new TerraformOutput(this, 'distribution_domain_name', {
      value: this.distribution.domainName,
      description: edge.domainName ? `Point ${edge.domainName} here (CNAME, or a Route 53 alias): the record is yours to create` : 'The distribution\'s own name',
    });
    new TerraformOutput(this, 'distribution_id', { value: this.distribution.id, description: 'CloudFront distribution id' });
    new TerraformOutput(this, 'web_acl_arn', { value: this.webAcl.arn, description: 'WAF web ACL (CLOUDFRONT scope) attached to the distribution' });
  }
}
