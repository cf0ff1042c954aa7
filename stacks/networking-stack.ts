import { Construct } from 'constructs';
import { ListTerraformIterator, TerraformIterator, TerraformLocal, TerraformOutput } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsEc2ManagedPrefixList } from '@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { AppConfig, PRIVATE_SUBNET_OFFSET, availabilityZones, cidrSubnet, nameOf } from '../config';
import { CONTAINER_PORTS } from '../modules/gateway/container-definition';
import { S3_SERVICE, interfaceEndpointServices } from '../modules/network-paths';
import type { NetworkOutputs } from '../modules/contracts';
import { suppress } from '../policy/suppressions';
import { BaseStack, BaseStackProps, StackConfig } from './base-stack';

export type { NetworkOutputs } from '../modules/contracts';

/** Ports the gateway listens on: one definition, shared with the container definition. */
export const GATEWAY_PORTS = CONTAINER_PORTS;
export const POSTGRES_PORT = 5432;
/**
 * AWS-managed prefix list of CloudFront's origin-facing servers (CloudFront Developer Guide, "Use the CloudFront
 * managed prefix list"; "Restrict access with VPC origins"). VPC-origin traffic reaches the ALB from these
 * addresses, not from the VPC CIDR.
 */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = 'com.amazonaws.global.cloudfront.origin-facing';


export interface NetworkingStackProps extends BaseStackProps {
  readonly config: StackConfig & Pick<AppConfig, 'networking'>;
  /** Open :443 on the ALB (an HTTPS listener is configured). @default false */
  readonly httpsEnabled?: boolean;
  /**
   * Admit CloudFront's VPC-origin traffic to the ALB on this port (the edge stack's origin port), from CloudFront's
   * origin-facing prefix list only. @default - no CloudFront ingress
   */
  readonly cloudFrontOriginPort?: number;
  /**
   * ECS Exec is on (gateway.ecsExec.enabled): with `networking.egress: "endpoints"` the tasks then need the
   * ssmmessages endpoint. @default false
   */
  readonly ecsExec?: boolean;
}

/**
 * The networking stack of the design (docs/design.md#overview): a VPC over two (or more) AZs with public subnets for
 * NAT only and private subnets for everything else, and the three security groups of the gateway chained ALB → ECS →
 * DB. With `networking.existingVpc`, only the security groups are created, in that VPC. The private route tables
 * carry a free S3 gateway endpoint; with `networking.egress: "endpoints"` the tasks reach AWS APIs through interface
 * endpoints instead of NAT gateways (docs/architecture.md#network-paths).
 */
export class NetworkingStack extends BaseStack {
  declare readonly config: NetworkingStackProps['config'];
  readonly outputs: NetworkOutputs;
  /** Created VPC; undefined with an existing VPC. */
  readonly vpc?: Vpc;
  readonly publicSubnets: Subnet[] = [];
  readonly privateSubnets: Subnet[] = [];
  readonly natGateways: NatGateway[] = [];
  /** The S3 gateway endpoint (networking.s3GatewayEndpoint, created VPC only). */
  s3Endpoint?: VpcEndpoint;
  /** Interface endpoints (networking.egress "endpoints"), by service. */
  readonly interfaceEndpoints: Record<string, VpcEndpoint> = {};
  /** Security group of the interface endpoints: 443 from ecs-sg. */
  endpointSecurityGroup?: SecurityGroup;
  readonly albSecurityGroup: SecurityGroup;
  readonly ecsSecurityGroup: SecurityGroup;
  readonly dbSecurityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkingStackProps) {
    super(scope, id, 'networking', props);
    const { config } = props;
    const net = config.networking;
    const name = (component: string) => nameOf(config, component);

    let vpcId: string;
    let vpcCidr: string;
    let privateSubnetIds: string[];
    // An existing VPC may have secondary IPv4 CIDR blocks (VPC User Guide, "Add or remove a CIDR block from your
    // VPC"); agents there are inside the VPC too, so the ALB admits every associated block, not only the primary one.
    let secondaryCidrs: ListTerraformIterator | undefined;
    if (net.existingVpc) {
      // Read, not owned: the CIDRs are only needed for the ALB's ingress rules.
      const existing = new DataAwsVpc(this, 'vpc', { id: net.existingVpc.vpcId });
      vpcId = net.existingVpc.vpcId;
      vpcCidr = existing.cidrBlock;
      privateSubnetIds = [...net.existingVpc.privateSubnetIds];
      // cidr_block_associations lists every IPv4 block with its state (EC2 API, VpcCidrBlockAssociation); the primary
      // one keeps its own rule (its address is unchanged for deployments made before), the others get one each.
      const vpc = `data.aws_vpc.${existing.friendlyUniqueId}`;
      const secondary = new TerraformLocal(
        this,
        'vpc-secondary-cidrs',
        `\${[for a in ${vpc}.cidr_block_associations : a.cidr_block if a.state == "associated" && a.cidr_block != ${vpc}.cidr_block]}`,
      );
      secondaryCidrs = TerraformIterator.fromList(secondary.asList);
    } else {
      const vpc = this.createVpc(name, props.cloudFrontOriginPort !== undefined);
      this.vpc = vpc;
      vpcId = vpc.id;
      vpcCidr = vpc.cidrBlock;
      privateSubnetIds = this.privateSubnets.map((s) => s.id);
    }

    this.albSecurityGroup = new SecurityGroup(this, 'alb-sg', {
      name: name('alb'),
      description: 'Internal ALB of the LLM gateway: HTTP(S) from inside the VPC only',
      vpcId,
      tags: { Name: name('alb') },
    });
    this.ecsSecurityGroup = new SecurityGroup(this, 'ecs-sg', {
      name: name('ecs'),
      // Kept as first released although the health port is gone: EC2 cannot change a group's description, so a new
      // text would replace the group that every running task and the db-sg rule reference.
      description: 'LiteLLM tasks: proxy and health ports from the ALB only',
      vpcId,
      tags: { Name: name('ecs') },
    });
    this.dbSecurityGroup = new SecurityGroup(this, 'db-sg', {
      name: name('db'),
      description: 'Aurora PostgreSQL: port 5432 from the LiteLLM tasks only',
      vpcId,
      tags: { Name: name('db') },
    });

    const listenerPorts = props.httpsEnabled ? [80, 443] : [80];
    for (const port of listenerPorts) {
      new VpcSecurityGroupIngressRule(this, `alb-ingress-${port}`, {
        securityGroupId: this.albSecurityGroup.id,
        description: `${port === 443 ? 'HTTPS' : 'HTTP'} from the VPC CIDR (agents inside the VPC)`,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        cidrIpv4: vpcCidr,
      });
      if (secondaryCidrs) {
        new VpcSecurityGroupIngressRule(this, `alb-ingress-${port}-secondary-cidrs`, {
          forEach: secondaryCidrs,
          securityGroupId: this.albSecurityGroup.id,
          description: `${port === 443 ? 'HTTPS' : 'HTTP'} from a secondary CIDR of the VPC (agents inside the VPC)`,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          cidrIpv4: secondaryCidrs.value,
        });
      }
    }
    if (props.cloudFrontOriginPort !== undefined) {
      // The prefix list exists before any VPC origin does; the service-managed CloudFront-VPCOrigins-Service-SG
      // appears only once the edge stack has created the VPC origin, after this stack (docs/edge.md). The list
      // counts as ~55 rules against the 60 inbound rules of alb-sg (VPC user guide, "prefix list weight").
      const cloudFront = new DataAwsEc2ManagedPrefixList(this, 'cloudfront-origin-facing', { name: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST });
      new VpcSecurityGroupIngressRule(this, 'alb-ingress-cloudfront', {
        securityGroupId: this.albSecurityGroup.id,
        description: `HTTP from CloudFront's VPC origin (origin-facing servers only), port ${props.cloudFrontOriginPort}`,
        ipProtocol: 'tcp',
        fromPort: props.cloudFrontOriginPort,
        toPort: props.cloudFrontOriginPort,
        prefixListId: cloudFront.id,
      });
    }
    for (const [purpose, port] of Object.entries(GATEWAY_PORTS)) {
      new VpcSecurityGroupEgressRule(this, `alb-egress-${port}`, {
        securityGroupId: this.albSecurityGroup.id,
        description: `To the LiteLLM tasks, ${purpose} port`,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        referencedSecurityGroupId: this.ecsSecurityGroup.id,
      });
      new VpcSecurityGroupIngressRule(this, `ecs-ingress-${port}`, {
        securityGroupId: this.ecsSecurityGroup.id,
        description: `From the ALB, ${purpose} port`,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        referencedSecurityGroupId: this.albSecurityGroup.id,
      });
    }
    if (net.egress === 'endpoints' && this.vpc && this.s3Endpoint) {
      this.createInterfaceEndpoints(this.vpc, this.s3Endpoint, name, props.ecsExec ?? false);
    } else {
      // HTTPS out through NAT: Bedrock, ECR, Secrets Manager, CloudWatch Logs, SSM (ECS Exec), at their public
      // addresses; S3 (image layers) through the gateway endpoint where there is one (its route is more specific).
      new VpcSecurityGroupEgressRule(this, 'ecs-egress-https', {
        securityGroupId: this.ecsSecurityGroup.id,
        description: 'HTTPS to AWS APIs (Bedrock, ECR, Secrets Manager, Logs, SSM) through NAT',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: '0.0.0.0/0',
      });
    }
    new VpcSecurityGroupEgressRule(this, 'ecs-egress-db', {
      securityGroupId: this.ecsSecurityGroup.id,
      description: 'To Aurora PostgreSQL',
      ipProtocol: 'tcp',
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      referencedSecurityGroupId: this.dbSecurityGroup.id,
    });
    new VpcSecurityGroupIngressRule(this, 'db-ingress-ecs', {
      securityGroupId: this.dbSecurityGroup.id,
      description: 'PostgreSQL from the LiteLLM tasks',
      ipProtocol: 'tcp',
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      referencedSecurityGroupId: this.ecsSecurityGroup.id,
    });
    // db-sg has no egress rule: Terraform removes the default allow-all egress and Aurora initiates nothing.

    this.outputs = {
      vpcId,
      vpcCidr,
      privateSubnetIds,
      albSecurityGroupId: this.albSecurityGroup.id,
      ecsSecurityGroupId: this.ecsSecurityGroup.id,
      dbSecurityGroupId: this.dbSecurityGroup.id,
    };
    new TerraformOutput(this, 'vpc_id', { value: vpcId, description: 'VPC of the gateway' });
    new TerraformOutput(this, 'private_subnet_ids', { value: privateSubnetIds, description: 'Private subnets, one per AZ' });
    new TerraformOutput(this, 'security_group_ids', {
      value: { alb: this.albSecurityGroup.id, ecs: this.ecsSecurityGroup.id, db: this.dbSecurityGroup.id },
      description: 'Security groups of the ALB, the ECS tasks and the database',
    });
  }

  private createVpc(name: (component: string) => string, edge: boolean): Vpc {
    const net = this.config.networking;
    const azs = availabilityZones(net, this.config.region);
    const vpc = new Vpc(this, 'vpc', {
      cidrBlock: net.vpcCidr,
      // Both are needed for the Route 53 private hosted zone that names the ALB.
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: name('vpc') },
    });
    // Adopt the default security group and strip its rules, so nothing can fall back on an allow-all group.
    new DefaultSecurityGroup(this, 'default-sg', { vpcId: vpc.id, tags: { Name: name('default-closed') } });

    const nat = net.egress === 'nat';
    // CloudFront VPC origins require an internet gateway attached to the VPC although their traffic does not use it
    // (docs/edge.md): in the endpoints mode it stays for the edge only, with no route to it from any subnet.
    const igw = nat || edge ? new InternetGateway(this, 'igw', { vpcId: vpc.id, tags: { Name: name('igw') } }) : undefined;
    if (nat && igw) {
      const publicRouteTable = new RouteTable(this, 'public-rt', { vpcId: vpc.id, tags: { Name: name('public') } });
      new Route(this, 'public-default-route', { routeTableId: publicRouteTable.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });

      azs.forEach((az, i) => {
        const subnet = new Subnet(this, `public-subnet-${i}`, {
          vpcId: vpc.id,
          availabilityZone: az,
          cidrBlock: cidrSubnet(net.vpcCidr, net.subnetNewBits, i),
          // Only NAT gateways live here and they get Elastic IPs: nothing needs an automatic public address.
          mapPublicIpOnLaunch: false,
          tags: { Name: name(`public-${az}`), Tier: 'public' },
        });
        new RouteTableAssociation(this, `public-rta-${i}`, { subnetId: subnet.id, routeTableId: publicRouteTable.id });
        this.publicSubnets.push(subnet);
      });

      const natCount = net.natGateways === 'per-az' ? azs.length : 1;
      for (let i = 0; i < natCount; i++) {
        const eip = new Eip(this, `nat-eip-${i}`, { domain: 'vpc', tags: { Name: name(`nat-${azs[i]}`) }, dependsOn: [igw] });
        this.natGateways.push(
          new NatGateway(this, `nat-${i}`, {
            allocationId: eip.id,
            subnetId: this.publicSubnets[i].id,
            tags: { Name: name(`nat-${azs[i]}`) },
            dependsOn: [igw],
          }),
        );
      }
    }

    const privateRouteTables: RouteTable[] = [];
    azs.forEach((az, i) => {
      const subnet = new Subnet(this, `private-subnet-${i}`, {
        vpcId: vpc.id,
        availabilityZone: az,
        cidrBlock: cidrSubnet(net.vpcCidr, net.subnetNewBits, PRIVATE_SUBNET_OFFSET + i),
        mapPublicIpOnLaunch: false,
        tags: { Name: name(`private-${az}`), Tier: 'private' },
      });
      const routeTable = new RouteTable(this, `private-rt-${i}`, { vpcId: vpc.id, tags: { Name: name(`private-${az}`) } });
      if (this.natGateways.length > 0) {
        new Route(this, `private-default-route-${i}`, {
          routeTableId: routeTable.id,
          destinationCidrBlock: '0.0.0.0/0',
          natGatewayId: this.natGateways[Math.min(i, this.natGateways.length - 1)].id,
        });
      }
      new RouteTableAssociation(this, `private-rta-${i}`, { subnetId: subnet.id, routeTableId: routeTable.id });
      this.privateSubnets.push(subnet);
      privateRouteTables.push(routeTable);
    });

    if (net.s3GatewayEndpoint) {
      // Free (no hourly or per-GB charge: https://aws.amazon.com/privatelink/pricing/, gateway endpoints are not billed)
      // and it keeps function: its route (the S3 prefix list) is more specific than the NAT's 0.0.0.0/0, so S3 traffic
      // of these subnets in this Region goes through it, everything else still through the NAT. ECR keeps image
      // layers in S3 (prod-<region>-starport-layer-bucket): "Amazon ECR interface VPC endpoints (AWS PrivateLink)",
      // section "Create the Amazon S3 gateway endpoint", https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html.
      // No endpoint policy (AWS's default: full access): agents may run in these private subnets, and a policy naming
      // only ECR's layer bucket would cut them off every other bucket in the Region (docs/architecture.md#network-paths).
      this.s3Endpoint = new VpcEndpoint(this, 's3-endpoint', {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${this.config.region}.${S3_SERVICE}`,
        vpcEndpointType: 'Gateway',
        routeTableIds: privateRouteTables.map((rt) => rt.id),
        tags: { Name: name('s3') },
      });
    }

    if (net.flowLogs.enabled) {
      this.createFlowLogs(vpc, name);
    } else {
      // A documented switch must synthesize: the rule is waived where the configuration turns flow logs off, and the
      // waiver says so in every policy report.
      suppress(vpc, 'vpc-flow-logs', 'networking.flowLogs.enabled is false: VPC flow logs are turned off by configuration (docs/configuration.md, networking.flowLogs)');
    }
    return vpc;
  }

  /**
   * The endpoints mode (networking.egress "endpoints"): one interface endpoint per AWS API the tasks call
   * (modules/network-paths), in every private subnet, with private DNS so the SDKs' default names resolve to it, behind
   * their own group that admits 443 from the tasks only; the tasks' HTTPS egress goes to that group and to the S3
   * prefix list (the gateway endpoint), nowhere else.
   */
  private createInterfaceEndpoints(vpc: Vpc, s3: VpcEndpoint, name: (component: string) => string, ecsExec: boolean): void {
    const group = new SecurityGroup(this, 'endpoints-sg', {
      name: name('endpoints'),
      description: 'Interface VPC endpoints of the AWS APIs: HTTPS from the LiteLLM tasks only',
      vpcId: vpc.id,
      tags: { Name: name('endpoints') },
    });
    this.endpointSecurityGroup = group;
    new VpcSecurityGroupIngressRule(this, 'endpoints-ingress-ecs', {
      securityGroupId: group.id,
      description: 'HTTPS from the LiteLLM tasks',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      referencedSecurityGroupId: this.ecsSecurityGroup.id,
    });
    // endpoints-sg has no egress rule: an interface endpoint answers, it initiates nothing.
    for (const { service, id } of interfaceEndpointServices({ ecsExec })) {
      this.interfaceEndpoints[service] = new VpcEndpoint(this, `endpoint-${id}`, {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${this.config.region}.${service}`,
        vpcEndpointType: 'Interface',
        subnetIds: this.privateSubnets.map((s) => s.id),
        securityGroupIds: [group.id],
        // Needs enableDnsSupport and enableDnsHostnames on the VPC (set in createVpc).
        privateDnsEnabled: true,
        tags: { Name: name(`endpoint-${id}`) },
      });
    }
    new VpcSecurityGroupEgressRule(this, 'ecs-egress-endpoints', {
      securityGroupId: this.ecsSecurityGroup.id,
      description: 'HTTPS to the interface VPC endpoints (Bedrock, ECR, Secrets Manager, Logs, SSM)',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      referencedSecurityGroupId: group.id,
    });
    new VpcSecurityGroupEgressRule(this, 'ecs-egress-s3', {
      securityGroupId: this.ecsSecurityGroup.id,
      description: 'HTTPS to S3 through the gateway endpoint (ECR image layers)',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      prefixListId: s3.prefixListId,
    });
  }

  private createFlowLogs(vpc: Vpc, name: (component: string) => string): void {
    const { flowLogs } = this.config.networking;
    const logGroup = new CloudwatchLogGroup(this, 'flow-log-group', {
      name: `/${this.config.appName}/${this.config.environment}/vpc-flow-logs`,
      retentionInDays: flowLogs.retentionDays,
    });
    const { accountId: account, partition } = this.account;
    const region = this.config.region;
    // Amazon VPC User Guide, "IAM role for publishing flow logs to CloudWatch Logs": the flow logs service assumes
    // the role; aws:SourceAccount and aws:SourceArn guard against the confused deputy. The flow log's id is not
    // known before the role exists, so its ARN ends in a wildcard, as the guide allows.
    const trust = new DataAwsIamPolicyDocument(this, 'flow-log-trust', {
      statement: [
        {
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['vpc-flow-logs.amazonaws.com'] }],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: [account] },
            { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${partition}:ec2:${region}:${account}:vpc-flow-log/*`] },
          ],
        },
      ],
    });
    const role = new IamRole(this, 'flow-log-role', {
      name: name('vpc-flow-logs'),
      description: 'Lets VPC Flow Logs write to its CloudWatch log group',
      assumeRolePolicy: trust.json,
    });
    // The guide's five actions, each on a resource type the Service Authorization Reference gives it
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html): the log
    // group for CreateLogGroup and DescribeLogStreams, its streams (`<group arn>:log-stream:*`) for CreateLogStream and
    // PutLogEvents; DescribeLogGroups has no resource type, so `*`, as the guide's own example grants it.
    const write = new DataAwsIamPolicyDocument(this, 'flow-log-write', {
      statement: [
        {
          sid: 'WriteFlowLogGroup',
          effect: 'Allow',
          actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [logGroup.arn, `${logGroup.arn}:log-stream:*`],
        },
        {
          sid: 'DescribeLogGroups',
          effect: 'Allow',
          actions: ['logs:DescribeLogGroups'],
          resources: ['*'],
        },
      ],
    });
    new IamRolePolicy(this, 'flow-log-role-policy', { name: 'write-flow-logs', role: role.id, policy: write.json });
    new FlowLog(this, 'flow-log', {
      vpcId: vpc.id,
      trafficType: flowLogs.trafficType,
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 600,
      tags: { Name: name('vpc') },
    });
  }
}
