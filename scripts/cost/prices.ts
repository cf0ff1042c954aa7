/**
 * us-east-1 on-demand list prices the cost estimate uses (`npm run cost`), each with the AWS pricing page it comes
 * from and the date it was read. `checkedWith` says what was actually read when the AWS page itself was not
 * reachable from the machine that wrote this table (a page quoting it), so a reader knows how much to trust a figure.
 * Where no fixed list price exists (Fargate Spot), the entry says so and the estimate uses a stated assumption.
 * Update a price: change `usd`, `read` and, if needed, `checkedWith`; the tests pin the rules, not the figures.
 */

export interface Price {
  /** USD per `unit`. */
  readonly usd: number;
  readonly unit: string;
  /** The AWS pricing page, or a sentence saying why there is none. */
  readonly source: string;
  /** Date the figure was read, YYYY-MM-DD. */
  readonly read: string;
  /** What was read to confirm the figure, when it was not the AWS page itself. */
  readonly checkedWith?: string;
}

export const PRICE_REGION = 'us-east-1';
const READ = '2026-12-01';

const FARGATE = 'https://aws.amazon.com/fargate/pricing/';
const VPC = 'https://aws.amazon.com/vpc/pricing/';
const ELB = 'https://aws.amazon.com/elasticloadbalancing/pricing/';
const AURORA = 'https://aws.amazon.com/rds/aurora/pricing/';
const CLOUDWATCH = 'https://aws.amazon.com/cloudwatch/pricing/';
const SECRETS = 'https://aws.amazon.com/secrets-manager/pricing/';
const KMS = 'https://aws.amazon.com/kms/pricing/';
const ROUTE53 = 'https://aws.amazon.com/route53/pricing/';
const ECR = 'https://aws.amazon.com/ecr/pricing/';
const ELASTICACHE = 'https://aws.amazon.com/elasticache/pricing/';
const CLOUDFRONT = 'https://aws.amazon.com/cloudfront/pricing/';
const WAF = 'https://aws.amazon.com/waf/pricing/';
const BEDROCK = 'https://aws.amazon.com/bedrock/pricing/';
const PRIVATELINK = 'https://aws.amazon.com/privatelink/pricing/';

export const PRICES = {
  'fargate-arm64-vcpu-hour': {
    usd: 0.03238,
    unit: 'vCPU-hour',
    source: `${FARGATE} (Linux/ARM)`,
    read: READ,
    checkedWith: 'vantage.sh/blog/fargate-pricing and fortem.dev/fargate-spot ("verified June 2026 from aws.amazon.com/fargate/pricing")',
  },
  'fargate-arm64-gb-hour': { usd: 0.00356, unit: 'GB-hour', source: `${FARGATE} (Linux/ARM)`, read: READ, checkedWith: 'vantage.sh/blog/fargate-pricing, fortem.dev/fargate-spot' },
  'fargate-x86-vcpu-hour': { usd: 0.04048, unit: 'vCPU-hour', source: `${FARGATE} (Linux/x86)`, read: READ, checkedWith: 'vantage.sh/blog/fargate-pricing, wring.co Fargate guide (2026)' },
  'fargate-x86-gb-hour': { usd: 0.004445, unit: 'GB-hour', source: `${FARGATE} (Linux/x86)`, read: READ, checkedWith: 'vantage.sh/blog/fargate-pricing, wring.co Fargate guide (2026)' },
  'nat-gateway-hour': { usd: 0.045, unit: 'NAT gateway-hour', source: VPC, read: READ, checkedWith: 'cloudburn.io, basavytix.com NAT gateway pricing (2026)' },
  'nat-gateway-gb': { usd: 0.045, unit: 'GB processed', source: VPC, read: READ, checkedWith: 'cloudburn.io, basavytix.com NAT gateway pricing (2026)' },
  'public-ipv4-hour': { usd: 0.005, unit: 'public IPv4 address-hour', source: `${VPC} (Public IPv4 addresses)`, read: READ, checkedWith: 'cloudburn.io NAT gateway pricing (2026)' },
  // Interface endpoints are billed per endpoint per AZ per hour and per GB processed (tiered by the Region's total:
  // first 1 PB $0.01). Gateway endpoints (S3, DynamoDB) have no charge: the page prices only interface and Gateway Load
  // Balancer endpoints.
  'vpc-interface-endpoint-az-hour': {
    usd: 0.01,
    unit: 'endpoint-AZ-hour',
    source: `${PRIVATELINK} (Interface endpoint pricing, US East (N. Virginia))`,
    read: '2026-12-08',
    checkedWith: 'a stored copy of the AWS page (billing per endpoint per AZ-hour) and awsnegotiations.com "AWS PrivateLink Cost Analysis" (May 2026: $0.01/hour per AZ)',
  },
  'vpc-interface-endpoint-gb': {
    usd: 0.01,
    unit: 'GB processed (first 1 PB a month in the Region)',
    source: `${PRIVATELINK} (Interface endpoint pricing, US East (N. Virginia))`,
    read: '2026-12-08',
    checkedWith: 'a stored copy of the AWS page: first 1 PB $0.01, next 4 PB $0.006, over 5 PB $0.004 per GB',
  },
  'alb-hour': { usd: 0.0225, unit: 'ALB-hour', source: ELB, read: READ, checkedWith: 'cloud-horizons.com "ALB: the line item nobody watches" (2026)' },
  'alb-lcu-hour': { usd: 0.008, unit: 'LCU-hour', source: ELB, read: READ, checkedWith: 'cloud-horizons.com (2026), handbook.vantage.sh/aws/services/elb-pricing (LCU dimensions)' },
  'aurora-serverless-v2-acu-hour': { usd: 0.12, unit: 'ACU-hour', source: `${AURORA} (Aurora Standard, PostgreSQL-Compatible)`, read: READ, checkedWith: 'c3x.dev and awsnegotiations.com Aurora Serverless v2 cost (2026)' },
  'aurora-storage-gb-month': { usd: 0.1, unit: 'GB-month', source: `${AURORA} (Aurora Standard storage)`, read: READ, checkedWith: 'awsnegotiations.com Aurora Serverless v2 pricing (2026)' },
  'aurora-io-million': { usd: 0.2, unit: 'million I/O requests', source: `${AURORA} (Aurora Standard I/O)`, read: READ, checkedWith: 'not re-read here: the long-standing Aurora Standard rate' },
  'elasticache-valkey-cache.t4g.micro-hour': {
    usd: 0.0128,
    unit: 'node-hour',
    source: `${ELASTICACHE} (Valkey, node-based)`,
    read: READ,
    checkedWith: 'not read here: Redis OSS cache.t4g.micro $0.016/h less the 20 % AWS announced for Valkey node-based clusters (Oct 2024)',
  },
  'secret-month': { usd: 0.4, unit: 'secret-month', source: SECRETS, read: READ, checkedWith: 'not re-read here: the long-standing Secrets Manager rate' },
  'kms-key-month': { usd: 1, unit: 'key-month', source: KMS, read: READ },
  'route53-hosted-zone-month': { usd: 0.5, unit: 'hosted zone-month (first 25)', source: ROUTE53, read: READ, checkedWith: 'not re-read here: the long-standing Route 53 rate' },
  'ecr-storage-gb-month': { usd: 0.1, unit: 'GB-month', source: ECR, read: READ, checkedWith: 'not re-read here: the long-standing ECR rate' },
  'cloudwatch-custom-metric-month': { usd: 0.3, unit: 'metric-month (first 10,000)', source: CLOUDWATCH, read: READ, checkedWith: 'signoz.io/guides/cloudwatch-pricing (Feb 2026)' },
  'cloudwatch-alarm-metric-month': { usd: 0.1, unit: 'standard-resolution alarm metric-month', source: CLOUDWATCH, read: READ, checkedWith: 'moderntechnologist.com, factualminds.com CloudWatch pricing (2026)' },
  'cloudwatch-alarm-metric-high-res-month': { usd: 0.3, unit: 'high-resolution alarm metric-month', source: CLOUDWATCH, read: READ, checkedWith: 'not re-read here: the long-standing CloudWatch rate' },
  'cloudwatch-dashboard-month': { usd: 3, unit: 'dashboard-month', source: CLOUDWATCH, read: READ, checkedWith: 'factualminds.com CloudWatch pricing (June 2026)' },
  'cloudwatch-logs-ingest-gb': { usd: 0.5, unit: 'GB ingested (Standard class)', source: CLOUDWATCH, read: READ, checkedWith: 'factualminds.com CloudWatch pricing (June 2026)' },
  'cloudwatch-logs-vended-ingest-gb': { usd: 0.5, unit: 'GB ingested, vended logs (first 10 TB)', source: `${CLOUDWATCH} (Vended logs: VPC flow logs)`, read: READ, checkedWith: 'not re-read here' },
  'cloudwatch-logs-storage-gb-month': { usd: 0.03, unit: 'GB-month archived (compressed)', source: CLOUDWATCH, read: READ, checkedWith: 'not re-read here: the long-standing CloudWatch rate' },
  'cloudfront-https-request-million': {
    usd: 1.0,
    unit: 'million HTTPS requests',
    source: `${CLOUDFRONT} (pay-as-you-go, United States: $0.0100 per 10,000 HTTPS requests)`,
    read: READ,
    checkedWith: 'not re-read here: the long-standing CloudFront rate; the always-free tier (10 million requests a month per account) is not subtracted',
  },
  'cloudfront-data-transfer-out-gb': {
    usd: 0.085,
    unit: 'GB to the internet (first 10 TB, United States)',
    source: `${CLOUDFRONT} (regional data transfer out to internet)`,
    read: READ,
    checkedWith: 'not re-read here: the long-standing CloudFront rate; the always-free tier (1 TB a month per account) is not subtracted',
  },
  'cloudfront-data-transfer-origin-gb': {
    usd: 0.02,
    unit: 'GB to the origin (United States)',
    source: `${CLOUDFRONT} (regional data transfer out to origin)`,
    read: READ,
    checkedWith: 'not re-read here: the long-standing CloudFront rate',
  },
  'waf-web-acl-month': { usd: 5, unit: 'web ACL-month', source: WAF, read: READ, checkedWith: 'not re-read here: the long-standing AWS WAF rate' },
  'waf-rule-month': { usd: 1, unit: 'rule-month', source: WAF, read: READ, checkedWith: 'not re-read here: the long-standing AWS WAF rate' },
  'waf-request-million': { usd: 0.6, unit: 'million requests inspected', source: WAF, read: READ, checkedWith: 'not re-read here: the long-standing AWS WAF rate' },
} as const satisfies Readonly<Record<string, Price>>;

/**
 * Bedrock on-demand token prices per model id of the catalogue (the `us.` inference profile), per million tokens.
 * A model id missing here is listed as unpriced in the Bedrock part of the estimate, never counted as zero.
 */
export interface TokenPrice {
  readonly input: Price;
  readonly output: Price;
}

// Anthropic's list price for the 4.5 models ($3/$15 Sonnet, $1/$5 Haiku per million tokens) is the global
// cross-Region price; AWS prices the geographic (`us.`) profiles about 10 % above it: "Global cross-Region
// inference for Anthropic's Claude Sonnet 4.5 offers approximately 10% savings on both input and output token
// pricing compared to geographic cross-Region inference" (Bedrock user guide, global-cross-region-inference.html).
const GEO_CHECK =
  'not read here: Anthropic\'s list price (global profile) plus the ~10 % AWS states for geographic profiles, ' +
  'https://docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html';
const tokens = (usd: number, kind: string): Price => ({ usd, unit: `million ${kind} tokens`, source: `${BEDROCK} (on-demand, geographic cross-Region profile)`, read: '2026-12-08', checkedWith: GEO_CHECK });

export const BEDROCK_TOKEN_PRICES: Readonly<Record<string, TokenPrice>> = {
  'us.anthropic.claude-sonnet-4-5-20250929-v1:0': { input: tokens(3.3, 'input'), output: tokens(16.5, 'output') },
  'us.anthropic.claude-haiku-4-5-20251001-v1:0': { input: tokens(1.1, 'input'), output: tokens(5.5, 'output') },
};

export type PriceId = keyof typeof PRICES;

/**
 * Fargate Spot has no fixed list price: the Fargate pricing page shows a "current Spot price" that AWS moves with
 * supply and demand ("up to 70 %" off on-demand). The estimate prices Spot as on-demand times (1 - spotDiscount).
 */
export const SPOT_PRICE_SOURCE =
  `no fixed list price: ${FARGATE} shows a current Spot price that changes; priced as on-demand x (1 - assumption spotDiscount)`;

/** Free tiers and free items the estimate knows about, stated in the output rather than silently applied. */
export const FREE_TIER_NOTES: readonly string[] = [
  'CloudWatch: the first 3 custom dashboards (up to 50 metrics each), 10 custom metrics and 10 alarm metrics per account are free; ' +
    'the estimate does not subtract them (they are per account, shared by every environment); assumption freeDashboards does, if you choose.',
  'KMS: a key with automatic rotation costs $1/month more per rotation kept, for the first two rotations (first year: $1).',
  'Aurora: backup storage up to the cluster volume size and Performance Insights with 7 days of history are free.',
  'AWS Budgets: budgets without actions are free (Price List offer AWSBudgets: $0.00 per budget-day).',
];
