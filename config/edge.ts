import { ACM_CERTIFICATE_ARN, wafCidrProblem } from './aws';
import type { GatewayConfig } from './gateway';
import { ConfigIssue, ObjectSpecOf, cidrSpec, defaultsOf, logRetentionSpec, Mandatory } from './schema';

/**
 * The public HTTPS entry point (docs/edge.md): CloudFront with a VPC origin on the gateway's internal ALB
 * and a CLOUDFRONT-scoped WAF web ACL. Off by default: it makes the gateway reachable from the internet (keys
 * still required).
 */
export interface EdgeConfig {
  /** Create the `<env>-edge` stack and open alb-sg to CloudFront's origin-facing servers. */
  readonly enabled: boolean;
  /**
   * Custom domain (a CloudFront alias) like `llm-gateway.example.com`. Needs `certificateArn`. The DNS record
   * (CNAME or Route 53 alias to the distribution) is yours to create.
   * @default - the distribution's own `dxxxx.cloudfront.net` name
   */
  readonly domainName?: string;
  /** ACM certificate in us-east-1 covering `domainName`; CloudFront only reads certificates from us-east-1. */
  readonly certificateArn?: string;
  /**
   * Client CIDRs allowed through the WAF; anything else is blocked. @default - no allow-list: every address may
   * try (the rate limit and the virtual keys still apply)
   */
  readonly allowedCidrs?: readonly string[];
  /** Requests per client IP per 5 minutes before the WAF blocks it (WAF allows 10 to 2,000,000,000). */
  readonly rateLimitPer5Minutes: number;
  /**
   * Seconds CloudFront waits for the first byte and between bytes from the ALB. CloudFront accepts 1-60, or up to
   * 180 after a Service Quotas increase ("Response timeout per origin").
   */
  readonly originReadTimeoutSeconds: number;
  /** Retention of the CloudFront access log group (us-east-1). */
  readonly logRetentionDays: number;
}

/** WAFv2 RateBasedStatement.Limit: minimum 10 since August 2024 (was 100), maximum 2,000,000,000. */
export const WAF_RATE_LIMIT = { min: 10, max: 2_000_000_000 } as const;
/** Origin response timeout without a quota increase, and the hard ceiling with one. */
export const ORIGIN_READ_TIMEOUT = { defaultMax: 60, quotaMax: 180 } as const;

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
/** CloudFront only uses certificates from ACM in US East (N. Virginia): the ACM format of config/aws.ts, in us-east-1. */
const US_EAST_1_CERTIFICATE = new RegExp(ACM_CERTIFICATE_ARN.source.replace('(-cn|-us-gov)?:acm:[a-z0-9-]+:', ':acm:us-east-1:'));

export const edgeSpec: Mandatory<ObjectSpecOf<EdgeConfig>> = {
  kind: 'object',
  fields: {
    enabled: {
      kind: 'boolean',
      default: false,
      doc: 'Public HTTPS entry through CloudFront + WAF (docs/edge.md); `alb-sg` then admits CloudFront\'s origin-facing prefix list on :80',
    },
    domainName: {
      kind: 'string',
      optional: true,
      pattern: DOMAIN,
      describe: 'a lower-case DNS name like llm-gateway.example.com',
      doc: 'Custom domain (CloudFront alias); needs `certificateArn`. Default: the distribution\'s `dxxxx.cloudfront.net`',
    },
    certificateArn: {
      kind: 'string',
      optional: true,
      pattern: US_EAST_1_CERTIFICATE,
      describe: 'an ACM certificate ARN in us-east-1 (CloudFront reads certificates only there), like arn:aws:acm:us-east-1:<account-id>:certificate/<uuid>',
      doc: 'ACM certificate in us-east-1 covering `domainName`; needs `domainName`',
    },
    allowedCidrs: {
      kind: 'array',
      optional: true,
      minItems: 1,
      maxItems: 10000,
      unique: true,
      items: cidrSpec,
      doc: 'Client IPv4 CIDRs the WAF lets through, /1 to /32 with host bits zero (what a WAF IP set accepts); default no allow-list',
    },
    rateLimitPer5Minutes: {
      kind: 'number',
      integer: true,
      min: WAF_RATE_LIMIT.min,
      max: WAF_RATE_LIMIT.max,
      default: 3000,
      doc: 'Requests per client IP per 5 minutes before the WAF blocks it',
    },
    originReadTimeoutSeconds: {
      kind: 'number',
      integer: true,
      min: 1,
      max: ORIGIN_READ_TIMEOUT.quotaMax,
      default: 60,
      doc: 'CloudFront origin read timeout (above 60 needs a Service Quotas increase)',
    },
    logRetentionDays: { ...logRetentionSpec, default: 30, doc: 'Retention of the CloudFront access log group (us-east-1)' },
  },
};

export const edgeDefaults: EdgeConfig = defaultsOf<EdgeConfig>(edgeSpec);

/** Rules across fields, run after the shape check. */
export function checkEdge(edge: EdgeConfig, gateway: GatewayConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (edge.domainName !== undefined && edge.certificateArn === undefined) {
    issues.push({ path: 'edge.certificateArn', value: undefined, allowed: `an ACM certificate in us-east-1 covering edge.domainName (${edge.domainName}): CloudFront serves an alias only with a certificate for it` });
  }
  if (edge.certificateArn !== undefined && edge.domainName === undefined) {
    issues.push({ path: 'edge.domainName', value: undefined, allowed: 'the domain name edge.certificateArn covers: the distribution\'s own cloudfront.net name always uses CloudFront\'s certificate' });
  }
  edge.allowedCidrs?.forEach((cidr, i) => {
    const problem = wafCidrProblem(cidr);
    if (problem) issues.push({ path: `edge.allowedCidrs[${i}]`, value: cidr, problem, allowed: 'an IPv4 CIDR block from /1 to /32 with its host bits zero (WAFv2 IPSet Addresses)' });
  });
  if (edge.enabled && gateway.certificateArn !== undefined) {
    // CloudFront verifies an HTTPS origin's certificate against public CAs; the ALB's Private CA certificate fails
    // that, and with a certificate the ALB's :80 only redirects. The VPC origin hop stays inside AWS's network.
    issues.push({
      path: 'gateway.certificateArn',
      value: gateway.certificateArn,
      allowed: 'unset while edge.enabled is true: CloudFront reaches the ALB on :80 through the VPC origin and would only get redirects (docs/edge.md)',
    });
  }
  return issues;
}
