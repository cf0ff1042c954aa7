import { Testing } from 'cdktf';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontVpcOrigin } from '@cdktf/provider-aws/lib/cloudfront-vpc-origin';
import { CloudwatchLogDelivery } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery';
import { CloudwatchLogDeliveryDestination } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination';
import { CloudwatchLogDeliverySource } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-source';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Wafv2IpSet } from '@cdktf/provider-aws/lib/wafv2-ip-set';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { loadConfig } from '../config';
import { stackAddresses } from '../scripts/lib/addresses';
import { applyPolicy, evaluateStack } from '../policy/engine';
import { ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID, CACHING_DISABLED_POLICY_ID, EdgeStack } from './edge-stack';
import { synthStack, type Json } from '../test/helpers';


const GATEWAY = {
  albArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/document-processing-dev-alb/0123456789abcdef',
  albDnsName: 'internal-document-processing-dev-alb-123456789.us-east-1.elb.amazonaws.com',
};
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
const CUSTOM_DOMAIN = { domainName: 'llm-gateway.example.com', certificateArn: CERT };

function synth(edge: Record<string, unknown> = {}, environment = 'dev', region?: string): { stack: EdgeStack; json: Json; text: string } {
  const config = loadConfig({ environment, overrides: { ...(region ? { region } : {}), edge: { enabled: true, ...edge } } });
  const stack = new EdgeStack(Testing.app(), 'edge', { config, gateway: GATEWAY });
  return { stack, ...synthStack(stack) };
}

const one = (json: Json, type: string): Json => {
  const all = Object.values(json.resource?.[type] ?? {}) as Json[];
  expect(all).toHaveLength(1);
  return all[0];
};

describe('providers: CloudFront, its WAF scope and its log delivery live in us-east-1', () => {
  test.each([undefined, 'eu-west-1'])('GIVEN the gateway in %s THEN every resource uses the aliased us-east-1 provider', (region) => {
    const { json } = synth({}, 'dev', region);
    expect(json.provider.aws).toEqual([
      expect.objectContaining({ region: region ?? 'us-east-1' }),
      expect.objectContaining({ alias: 'us_east_1', region: 'us-east-1', default_tags: [{ tags: { env: 'dev', application: 'document-processing' } }] }),
    ]);
    for (const [type, byName] of Object.entries(json.resource) as [string, Json][]) {
      // terraform_data is Terraform's own (built in): no provider, nothing in AWS.
      if (type === 'terraform_data') continue;
      for (const resource of Object.values(byName) as Json[]) expect(resource.provider).toBe('aws.us_east_1');
    }
    expect(Object.keys(json.terraform.required_providers)).toEqual(['aws']);
  });
});

describe('VPC origin on the internal ALB', () => {
  const { json, text } = synth();
  const TARGET = { alb_arn: GATEWAY.albArn, http_port: 80, https_port: 443, protocol_policy: 'http-only' };

  test('the ALB from the gateway contract, plain HTTP on :80 inside the VPC', () => {
    expect(text).toHaveResourceWithProperties(CloudfrontVpcOrigin, {
      vpc_origin_endpoint_config: [
        {
          name: `document-processing-dev-gateway-alb-\${substr(sha256(jsonencode(${JSON.stringify(TARGET).replace(/"(\w+)":/g, '"$1" = ').replace(/,"/g, ', "')})), 0, 8)}`,
          arn: GATEWAY.albArn,
          http_port: 80,
          https_port: 443,
          origin_protocol_policy: 'http-only',
          origin_ssl_protocols: [{ items: ['TLSv1.2'], quantity: 1 }],
        },
      ],
    });
  });

  test('a change of the ALB or its ports replaces the origin, new one first, instead of updating it in place (409 while in use)', () => {
    // CloudFront refuses to update or delete a VPC origin a distribution uses (aws/aws-cdk#35765).
    expect(json.resource.terraform_data['vpc-origin-target']).toEqual({ input: TARGET });
    expect(json.resource.aws_cloudfront_vpc_origin['vpc-origin'].lifecycle).toEqual({
      create_before_destroy: true,
      replace_triggered_by: ['terraform_data.vpc-origin-target.output'],
    });
  });

  test('the origin\'s name follows what it points at, so the new origin never shares the old one\'s name', () => {
    const other = synth({}, 'dev');
    const name = (j: Json) => j.resource.aws_cloudfront_vpc_origin['vpc-origin'].vpc_origin_endpoint_config[0].name as string;
    expect(name(other.json)).toBe(name(json));
    expect(name(json)).toContain('sha256(jsonencode(');
    expect(name(json)).toContain(GATEWAY.albArn);
  });
});

describe('the distribution', () => {
  const { json } = synth();
  const distribution = one(json, 'aws_cloudfront_distribution');

  test('its one origin is the ALB through the VPC origin, with the longest timeouts CloudFront allows by default', () => {
    expect(distribution.origin).toEqual([
      {
        origin_id: 'gateway-alb',
        domain_name: GATEWAY.albDnsName,
        vpc_origin_config: { vpc_origin_id: '${aws_cloudfront_vpc_origin.vpc-origin.id}', origin_read_timeout: 60, origin_keepalive_timeout: 60 },
      },
    ]);
  });

  test('viewers: HTTPS only, every method of the OpenAI API, nothing compressed (server-sent events)', () => {
    expect(distribution.default_cache_behavior).toMatchObject({
      target_origin_id: 'gateway-alb',
      viewer_protocol_policy: 'https-only',
      cached_methods: ['GET', 'HEAD'],
      compress: false,
    });
    expect([...distribution.default_cache_behavior.allowed_methods].sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    expect(distribution.ordered_cache_behavior).toBeUndefined();
  });

  test('caching disabled (managed CachingDisabled); every viewer header but Host, Authorization included, to the origin (managed AllViewerExceptHostHeader)', () => {
    // The IDs AWS gives the managed policies (CloudFront Developer Guide, "Use managed cache policies" and "Use
    // managed origin request policies").
    expect(distribution.default_cache_behavior.cache_policy_id).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    expect(distribution.default_cache_behavior.origin_request_policy_id).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
    expect([CACHING_DISABLED_POLICY_ID, ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID]).toEqual([
      distribution.default_cache_behavior.cache_policy_id,
      distribution.default_cache_behavior.origin_request_policy_id,
    ]);
    // No legacy forwarded_values beside the policies, and no cache policy of the stack's own that could key or
    // keep a response.
    expect(distribution.default_cache_behavior.forwarded_values).toBeUndefined();
    expect(json.resource.aws_cloudfront_cache_policy).toBeUndefined();
    expect(json.resource.aws_cloudfront_origin_request_policy).toBeUndefined();
  });

  test('the WAF web ACL is attached by ARN', () => {
    expect(distribution.web_acl_id).toBe('${aws_wafv2_web_acl.web-acl.arn}');
  });

  test('without a custom domain: the cloudfront.net certificate, TLSv1 as CloudFront forces it, no alias', () => {
    expect(distribution.viewer_certificate).toEqual({ cloudfront_default_certificate: true, minimum_protocol_version: 'TLSv1' });
    expect(distribution.aliases).toBeUndefined();
  });

  test('with a custom domain: the alias, its us-east-1 certificate over SNI, TLS 1.2 (2021 ciphers) at least', () => {
    const custom = one(synth(CUSTOM_DOMAIN).json, 'aws_cloudfront_distribution');
    expect(custom.aliases).toEqual(['llm-gateway.example.com']);
    expect(custom.viewer_certificate).toEqual({ acm_certificate_arn: CERT, ssl_support_method: 'sni-only', minimum_protocol_version: 'TLSv1.2_2021' });
  });

  test('a raised origin read timeout (after a quota increase) is taken', () => {
    const raised = one(synth({ originReadTimeoutSeconds: 180 }).json, 'aws_cloudfront_distribution');
    expect(raised.origin[0].vpc_origin_config.origin_read_timeout).toBe(180);
  });
});

describe('WAF web ACL (CLOUDFRONT scope)', () => {
  test('without an allow-list: a per-IP rate-based rule, default allow, no IP set', () => {
    const { json, text } = synth();
    const acl = one(json, 'aws_wafv2_web_acl');
    expect(acl).toMatchObject({ name: 'document-processing-dev-edge', scope: 'CLOUDFRONT', default_action: { allow: {} } });
    expect(acl.rule).toEqual([
      {
        name: 'rate-limit-per-ip',
        priority: 0,
        action: { block: {} },
        statement: { rate_based_statement: { limit: 3000, aggregate_key_type: 'IP', evaluation_window_sec: 300 } },
        visibility_config: { cloudwatch_metrics_enabled: true, sampled_requests_enabled: true, metric_name: 'documentprocessingdevedgeratelimit' },
      },
    ]);
    expect(text).not.toHaveResource(Wafv2IpSet);
  });

  test('with an allow-list: the IP set, an allow rule after the rate limit, default block', () => {
    const { json, text } = synth({ allowedCidrs: ['203.0.113.0/24', '198.51.100.7/32'], rateLimitPer5Minutes: 10 });
    expect(text).toHaveResourceWithProperties(Wafv2IpSet, {
      name: 'document-processing-dev-edge-allowed',
      scope: 'CLOUDFRONT',
      ip_address_version: 'IPV4',
      addresses: ['203.0.113.0/24', '198.51.100.7/32'],
    });
    const acl = one(json, 'aws_wafv2_web_acl');
    expect(acl.default_action).toEqual({ block: {} });
    expect(acl.rule.map((r: Json) => [r.priority, r.name, Object.keys(r.action)[0]])).toEqual([
      [0, 'rate-limit-per-ip', 'block'],
      [1, 'allowed-cidrs', 'allow'],
    ]);
    expect(acl.rule[0].statement.rate_based_statement.limit).toBe(10);
    expect(acl.rule[1].statement).toEqual({ ip_set_reference_statement: { arn: '${aws_wafv2_ip_set.allowed-cidrs.arn}' } });
  });

  test('Wafv2WebAcl is the type checked', () => {
    expect(synth().text).toHaveResourceWithProperties(Wafv2WebAcl, { scope: 'CLOUDFRONT' });
  });
});

describe('access logs: standard logging v2 into a CloudWatch log group', () => {
  const { text } = synth();

  test('a log group with the configured retention', () => {
    expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, { name: '/aws/vendedlogs/cloudfront/document-processing-dev-edge', retention_in_days: 30 });
  });

  test('the distribution is the delivery source of ACCESS_LOGS, delivered to the log group', () => {
    expect(text).toHaveResourceWithProperties(CloudwatchLogDeliverySource, {
      name: 'document-processing-dev-edge-access',
      log_type: 'ACCESS_LOGS',
      resource_arn: '${aws_cloudfront_distribution.distribution.arn}',
    });
    expect(text).toHaveResourceWithProperties(CloudwatchLogDeliveryDestination, {
      delivery_destination_configuration: [{ destination_resource_arn: '${aws_cloudwatch_log_group.access-log-group.arn}' }],
    });
    expect(text).toHaveResourceWithProperties(CloudwatchLogDelivery, {
      delivery_source_name: '${aws_cloudwatch_log_delivery_source.access-log-source.name}',
      delivery_destination_arn: '${aws_cloudwatch_log_delivery_destination.access-log-destination.arn}',
    });
  });
});

describe('outputs: the HTTPS base URL for agents', () => {
  test('without a custom domain: the distribution\'s own name', () => {
    const { json } = synth();
    expect(json.output.base_url.value).toBe('https://${aws_cloudfront_distribution.distribution.domain_name}/v1');
    expect(json.output.distribution_domain_name.value).toBe('${aws_cloudfront_distribution.distribution.domain_name}');
    expect(json.output.web_acl_arn.value).toBe('${aws_wafv2_web_acl.web-acl.arn}');
  });

  test('with a custom domain: that name, and the record to create is named in the output', () => {
    const { json, stack } = synth(CUSTOM_DOMAIN);
    expect(json.output.base_url.value).toBe('https://llm-gateway.example.com/v1');
    expect(stack.baseUrl).toBe('https://llm-gateway.example.com/v1');
    expect(json.output.distribution_domain_name.description).toMatch(/Point llm-gateway\.example\.com here .*yours to create/);
  });
});

describe('policy', () => {
  test('dev without a custom domain passes the pack; the TLS rule does not apply to the cloudfront.net certificate there', () => {
    const report = evaluateStack(synth().stack, { environment: 'dev' });
    expect(report.findings).toEqual([]);
    const row = (rule: string) => report.rows.find((r) => r.rule === rule);
    expect(row('cloudfront-https-only')).toMatchObject({ checked: 1, fail: 0 });
    expect(row('cloudfront-waf-attached')).toMatchObject({ checked: 1, fail: 0 });
    expect(row('logs-retention')).toMatchObject({ checked: 1, fail: 0 });
  });

  test('prod with a custom domain passes every CloudFront rule', () => {
    const report = evaluateStack(synth(CUSTOM_DOMAIN, 'prod').stack, { environment: 'prod' });
    expect(report.findings).toEqual([]);
    expect(report.rows.find((r) => r.rule === 'cloudfront-tls-version')).toMatchObject({ checked: 1, fail: 0 });
  });

  test('prod without a custom domain fails synth: CloudFront accepts TLS 1.0 on its own certificate', () => {
    const config = loadConfig({ environment: 'prod', overrides: { edge: { enabled: true } } });
    const stack = new EdgeStack(Testing.app(), 'edge', { config, gateway: GATEWAY });
    const report = evaluateStack(stack, { environment: 'prod' });
    expect(report.findings.map((f) => f.ruleId)).toEqual(['cloudfront-tls-version']);
    applyPolicy(stack, { environment: 'prod' });
    expect(() => Testing.synth(stack, true)).toThrow(/\[cloudfront-tls-version\] aws_cloudfront_distribution\.distribution/);
  });
});

test('CloudfrontDistribution is the type the matchers see', () => {
  expect(synth().text).toHaveResourceWithProperties(CloudfrontDistribution, { enabled: true, is_ipv6_enabled: true });
});

test('Terraform addresses of the edge stack are pinned (a rename replaces a distribution: minutes of downtime)', () => {
  expect(stackAddresses(synth({ allowedCidrs: ['203.0.113.0/24'] }).json)).toEqual([
    'aws_cloudfront_distribution.distribution',
    'aws_cloudfront_vpc_origin.vpc-origin',
    'aws_cloudwatch_log_delivery.access-log-delivery',
    'aws_cloudwatch_log_delivery_destination.access-log-destination',
    'aws_cloudwatch_log_delivery_source.access-log-source',
    'aws_cloudwatch_log_group.access-log-group',
    'aws_wafv2_ip_set.allowed-cidrs',
    'aws_wafv2_web_acl.web-acl',
    'output.base_url',
    'output.distribution_domain_name',
    'output.distribution_id',
    'output.llm_gateway_infra_version',
    'output.web_acl_arn',
    'terraform_data.vpc-origin-target',
  ]);
});
