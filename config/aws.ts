/**
 * Closed lists and formats AWS itself checks, so that synth refuses what an API call would refuse later.
 */

/**
 * The regions of the commercial, GovCloud and China partitions, from the endpoint data AWS's SDKs ship
 * (botocore 1.43.11, `botocore/data/partitions.json`: https://github.com/boto/botocore/blob/develop/botocore/data/partitions.json;
 * the list is https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html). A region AWS adds
 * later is added here; the AWS provider refuses an unknown name too ("Invalid AWS Region") unless told to skip.
 */
export const AWS_REGIONS = {
  aws: [
    'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
    'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
    'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2',
    'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1',
    'us-west-2',
  ],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
} as const;

export type Partition = keyof typeof AWS_REGIONS;

export const REGIONS: readonly string[] = Object.values(AWS_REGIONS).flat();

/** The partition a region belongs to, or undefined for a name that is no region. */
export function partitionOf(region: string): Partition | undefined {
  return (Object.keys(AWS_REGIONS) as Partition[]).find((p) => (AWS_REGIONS[p] as readonly string[]).includes(region));
}

/** `arn:partition:service:region:account-id:resource` (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

export function parseArn(arn: string): Arn | undefined {
  const m = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(arn);
  return m ? { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] } : undefined;
}

/** An ACM certificate ARN (`arn:<partition>:acm:<region>:<account-id>:certificate/<uuid>`), in any region. */
export const ACM_CERTIFICATE_ARN = /^arn:aws(-cn|-us-gov)?:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Where an ACM certificate must live for the service that uses it: an ALB's certificate in the ALB's region ("Certificates
 * in ACM are regional resources. To use a certificate with Elastic Load Balancing for the same fully qualified domain
 * name (FQDN) or set of FQDNs in more than one AWS region, you must request or import a certificate for each region":
 * https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html), CloudFront's in us-east-1 (same page). Undefined when it does.
 */
export function certificateRegionProblem(arn: string, region: string, user: string): string | undefined {
  const parsed = parseArn(arn);
  if (parsed === undefined) return undefined; // the shape check reports it
  const partition = partitionOf(region);
  if (parsed.region !== region || (partition !== undefined && parsed.partition !== partition)) {
    return `a certificate in ${parsed.region} (${parsed.partition}); ${user} reads certificates only from its own region, ${region}`;
  }
  return undefined;
}

/**
 * What a WAFv2 IP set refuses in `Addresses`: "AWS WAF supports all IPv4 and IPv6 CIDR ranges except for /0"
 * (https://docs.aws.amazon.com/waf/latest/APIReference/API_IPSet.html), and a block whose host bits are set
 * (`WAFInvalidParameterException ... field: IP_ADDRESS, parameter: 195.178.188.66/29`: aws/aws-cdk#20003).
 * The input is an IPv4 CIDR the shape check accepted. Undefined when WAF accepts it.
 */
export function wafCidrProblem(cidr: string): string | undefined {
  const [address, length] = cidr.split('/');
  const prefix = Number(length);
  if (prefix === 0) return 'WAF refuses /0 in an IP set (to admit every address, leave edge.allowedCidrs unset)';
  const value = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - prefix);
  if (value % size !== 0) {
    const network = Math.floor(value / size) * size;
    const ip = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.');
    return `WAF refuses a block with host bits set; the /${prefix} network holding it is ${ip}/${prefix}`;
  }
  return undefined;
}
