import { ConfigIssue, ObjectSpecOf, cidrSpec, defaultsOf, logRetentionSpec, Mandatory } from './schema';

export interface FlowLogsConfig {
  /** Send VPC flow logs to CloudWatch Logs. */
  readonly enabled: boolean;
  /** Rejected traffic is what an investigation needs; ALL costs more. */
  readonly trafficType: 'ACCEPT' | 'REJECT' | 'ALL';
  readonly retentionDays: number;
}

export interface ExistingVpcConfig {
  /** ID of a VPC owned by another project (`vpc-...`). */
  readonly vpcId: string;
  /** Private subnets (one per AZ, at least 2) with NAT egress, for the ALB, the tasks and the database. */
  readonly privateSubnetIds: readonly string[];
}

export interface NetworkingConfig {
  /** CIDR of the VPC this project creates. Ignored with `existingVpc`. */
  readonly vpcCidr: string;
  /** How many AZs to spread subnets over (at least 2: Aurora and the ALB need two). */
  readonly azCount: number;
  /**
   * AZ names. @default - the first `azCount` of `<region>a`, `<region>b`, `<region>c`...; set them when an
   * account lacks one of those letters.
   */
  readonly availabilityZones?: readonly string[];
  /** Bits added to the VPC prefix for each subnet (a /16 with 4 gives /20 subnets). */
  readonly subnetNewBits: number;
  /** One NAT gateway for all AZs (cheaper, loses egress with its AZ) or one per AZ. */
  readonly natGateways: 'single' | 'per-az';
  readonly flowLogs: FlowLogsConfig;
  /**
   * How the tasks reach AWS APIs. `nat`: through the NAT gateways (internet egress). `endpoints`: through interface
   * VPC endpoints and the S3 gateway endpoint only, with no NAT gateway and no route to the internet from the private
   * subnets (docs/architecture.md#network-paths). @default 'nat'
   */
  readonly egress: 'nat' | 'endpoints';
  /**
   * A gateway VPC endpoint for S3 on the private route tables (free: no hourly or per-GB charge), so the image layers
   * ECR serves from S3 skip the NAT. Created VPC only. @default true
   */
  readonly s3GatewayEndpoint: boolean;
  /** Use an existing VPC instead of creating one. @default - a VPC is created */
  readonly existingVpc?: ExistingVpcConfig;
}

/** Private subnets start at this subnet index so that adding an AZ never renumbers an existing subnet. */
export const PRIVATE_SUBNET_OFFSET = 8;
export const MAX_AZ_COUNT = PRIVATE_SUBNET_OFFSET;

export const networkingSpec: Mandatory<ObjectSpecOf<NetworkingConfig>> = {
  kind: 'object',
  fields: {
    vpcCidr: {
      ...cidrSpec,
      default: '10.0.0.0/16',
      doc: 'CIDR of the VPC this project creates, /16 to /24, host bits zero; ignored with `existingVpc`',
    },
    azCount: {
      kind: 'number',
      integer: true,
      min: 2,
      max: MAX_AZ_COUNT,
      default: 2,
      doc: 'AZs to spread subnets over (Aurora and the ALB need two)',
    },
    availabilityZones: {
      kind: 'array',
      optional: true,
      unique: true,
      minItems: 2,
      items: { kind: 'string', pattern: /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, describe: 'an AZ name like us-east-1a' },
      doc: 'AZ names, exactly `azCount` of them, in `region`; default the first `azCount` of `<region>a`, `<region>b`, ...',
    },
    subnetNewBits: {
      kind: 'number',
      integer: true,
      min: 4,
      max: 12,
      default: 4,
      doc: 'Bits added to the VPC prefix per subnet (a /16 with 4 gives /20); subnets must stay /26 or larger. Public subnets are indexes 0..n-1, private 8..8+n-1',
    },
    natGateways: {
      kind: 'string',
      allowed: ['single', 'per-az'],
      default: 'single',
      defaultIn: { prod: 'per-az' },
      doc: 'One NAT gateway for all AZs (cheaper, loses egress with its AZ) or one per AZ',
    },
    flowLogs: {
      kind: 'object',
      fields: {
        enabled: { kind: 'boolean', default: true, doc: 'VPC flow logs to CloudWatch Logs' },
        trafficType: {
          kind: 'string',
          allowed: ['ACCEPT', 'REJECT', 'ALL'],
          default: 'REJECT',
          defaultIn: { prod: 'ALL' },
          doc: 'Which traffic the flow logs record',
        },
        retentionDays: { ...logRetentionSpec, default: 30, defaultIn: { prod: 90 }, doc: 'Retention of the flow log group' },
      },
    },
    egress: {
      kind: 'string',
      allowed: ['nat', 'endpoints'],
      default: 'nat',
      doc: '`nat`: AWS APIs through the NAT gateways; `endpoints`: interface VPC endpoints (Bedrock runtime, ECR, Logs, Secrets Manager, SSM messages with ECS Exec) and the S3 gateway endpoint, no NAT gateway and no internet route from the private subnets (docs/architecture.md#network-paths); needs the created VPC and `s3GatewayEndpoint`',
    },
    s3GatewayEndpoint: {
      kind: 'boolean',
      default: true,
      doc: 'Free S3 gateway endpoint on the private route tables: image layers (ECR serves them from S3) skip the NAT; full-access endpoint policy. Ignored with `existingVpc` (its route tables are not ours)',
    },
    existingVpc: {
      kind: 'object',
      optional: true,
      fields: {
        vpcId: {
          kind: 'string',
          pattern: /^vpc-[0-9a-f]{8,17}$/,
          describe: 'a VPC id like vpc-0123456789abcdef0',
          doc: 'Use this VPC instead of creating one (only the security groups are created); the ALB admits every IPv4 CIDR block associated with it, primary and secondary, read at plan time',
        },
        privateSubnetIds: {
          kind: 'array',
          minItems: 2,
          unique: true,
          items: { kind: 'string', pattern: /^subnet-[0-9a-f]{8,17}$/, describe: 'a subnet id like subnet-0123456789abcdef0' },
          doc: 'Private subnets with NAT egress, one per AZ, at least `azCount`, for the ALB, the tasks and the database',
        },
      },
    },
  },
};

export const networkingDefaults: NetworkingConfig = defaultsOf<NetworkingConfig>(networkingSpec);

/** Resolved AZ names for a configuration (explicit, or derived from the region). */
export function availabilityZones(networking: NetworkingConfig, region: string): string[] {
  if (networking.availabilityZones) return [...networking.availabilityZones];
  return Array.from({ length: networking.azCount }, (_, i) => `${region}${String.fromCharCode(97 + i)}`);
}

export function checkNetworking(n: NetworkingConfig, region: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const prefix = Number(n.vpcCidr.split('/')[1]);
  if (prefix < 16 || prefix > 24) {
    issues.push({ path: 'networking.vpcCidr', value: n.vpcCidr, allowed: 'a prefix length from /16 to /24 (the VPC limits)' });
  } else if (prefix + n.subnetNewBits > 26) {
    issues.push({
      path: 'networking.subnetNewBits',
      value: n.subnetNewBits,
      allowed: `at most ${26 - prefix} for a /${prefix} VPC, so that subnets are /26 or larger`,
    });
  }
  const [network] = n.vpcCidr.split('/');
  if (!Number.isNaN(prefix) && ipToInt(network) % 2 ** (32 - prefix) !== 0) {
    issues.push({ path: 'networking.vpcCidr', value: n.vpcCidr, allowed: `a network address aligned to /${prefix} (host bits zero)` });
  }
  if (n.availabilityZones) {
    if (n.availabilityZones.length !== n.azCount) {
      issues.push({ path: 'networking.availabilityZones', value: n.availabilityZones, allowed: `exactly azCount (${n.azCount}) AZ names` });
    }
    n.availabilityZones.forEach((az, i) => {
      if (!az.startsWith(region)) {
        issues.push({ path: `networking.availabilityZones[${i}]`, value: az, allowed: `an AZ of the region ${region}` });
      }
    });
  }
  if (n.egress === 'endpoints' && n.existingVpc) {
    issues.push({
      path: 'networking.egress',
      value: n.egress,
      allowed: '"nat" with networking.existingVpc',
      problem: 'the "endpoints" mode removes the NAT route and adds endpoints with private DNS, which this project can only do in the VPC it creates: an existing VPC keeps its own route tables, and a second endpoint with private DNS for a service it already has is refused by EC2',
    });
  }
  if (n.egress === 'endpoints' && !n.s3GatewayEndpoint) {
    issues.push({
      path: 'networking.s3GatewayEndpoint',
      value: n.s3GatewayEndpoint,
      allowed: 'true with networking.egress "endpoints"',
      problem: 'without a NAT gateway the tasks reach S3 only through the gateway endpoint, and ECR serves image layers from S3: no task could pull its image',
    });
  }
  if (n.existingVpc && n.existingVpc.privateSubnetIds.length < n.azCount) {
    issues.push({
      path: 'networking.existingVpc.privateSubnetIds',
      value: n.existingVpc.privateSubnetIds,
      allowed: `at least azCount (${n.azCount}) subnets, one per AZ`,
    });
  }
  return issues;
}

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** Terraform's cidrsubnet(), computed at synth so that subnet CIDRs are literal, reviewable values in the plan. */
export function cidrSubnet(cidr: string, newBits: number, index: number): string {
  const [network, len] = cidr.split('/');
  const prefix = Number(len) + newBits;
  if (index < 0 || index >= 2 ** newBits) throw new Error(`cidrSubnet: index ${index} does not fit in ${newBits} bits`);
  return `${intToIp(ipToInt(network) + index * 2 ** (32 - prefix))}/${prefix}`;
}
