import { Testing, Token } from 'cdktf';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { loadConfig } from '../config';
import { NetworkingStack } from './networking-stack';
import { resources, synthStack, type Json } from '../test/helpers';


function synth(environment: string, overrides?: unknown, httpsEnabled = false): { stack: NetworkingStack; json: Json; text: string } {
  const app = Testing.app();
  const config = loadConfig({ environment, overrides });
  const stack = new NetworkingStack(app, 'networking', { config, httpsEnabled });
  return { stack, ...synthStack(stack) };
}

describe('VPC and subnets', () => {
  const { json, text } = synth('dev');

  test('a VPC with the configured CIDR and DNS on (needed by the private hosted zone)', () => {
    expect(text).toHaveResourceWithProperties(Vpc, { cidr_block: '10.0.0.0/16', enable_dns_support: true, enable_dns_hostnames: true });
  });

  test('two public and two private subnets spread over two AZs with fixed, literal CIDRs', () => {
    const subnets = resources(json, 'aws_subnet');
    expect(Object.keys(subnets).sort()).toEqual(['private-subnet-0', 'private-subnet-1', 'public-subnet-0', 'public-subnet-1']);
    expect(subnets['public-subnet-0']).toMatchObject({ availability_zone: 'us-east-1a', cidr_block: '10.0.0.0/20', tags: { Tier: 'public' } });
    expect(subnets['public-subnet-1']).toMatchObject({ availability_zone: 'us-east-1b', cidr_block: '10.0.16.0/20' });
    expect(subnets['private-subnet-0']).toMatchObject({ availability_zone: 'us-east-1a', cidr_block: '10.0.128.0/20', tags: { Tier: 'private' } });
    expect(subnets['private-subnet-1']).toMatchObject({ availability_zone: 'us-east-1b', cidr_block: '10.0.144.0/20' });
  });

  test('no subnet assigns public IPs automatically', () => {
    for (const subnet of Object.values(resources(json, 'aws_subnet'))) expect(subnet.map_public_ip_on_launch).toBe(false);
  });

  test('public subnets route to the internet gateway, private ones to a NAT gateway', () => {
    const routes = resources(json, 'aws_route');
    expect(routes['public-default-route']).toMatchObject({ destination_cidr_block: '0.0.0.0/0', gateway_id: '${aws_internet_gateway.igw.id}' });
    expect(routes['private-default-route-0']).toMatchObject({ destination_cidr_block: '0.0.0.0/0', nat_gateway_id: '${aws_nat_gateway.nat-0.id}' });
    const rta = resources(json, 'aws_route_table_association');
    expect(rta['private-rta-1']).toEqual(expect.objectContaining({ subnet_id: '${aws_subnet.private-subnet-1.id}', route_table_id: '${aws_route_table.private-rt-1.id}' }));
    expect(rta['public-rta-1'].route_table_id).toBe('${aws_route_table.public-rt.id}');
  });

  test('three AZs give three subnets of each tier without renumbering the first two', () => {
    const three = synth('dev', { networking: { azCount: 3 } }).json;
    const subnets = resources(three, 'aws_subnet');
    expect(Object.keys(subnets)).toHaveLength(6);
    expect(subnets['private-subnet-0'].cidr_block).toBe('10.0.128.0/20');
    expect(subnets['private-subnet-2']).toMatchObject({ availability_zone: 'us-east-1c', cidr_block: '10.0.160.0/20' });
  });
});

describe('NAT gateways per environment', () => {
  test('dev: one NAT gateway serves both private route tables', () => {
    const { json } = synth('dev');
    expect(Object.keys(resources(json, 'aws_nat_gateway'))).toEqual(['nat-0']);
    expect(Object.keys(resources(json, 'aws_eip'))).toEqual(['nat-eip-0']);
    expect(resources(json, 'aws_route')['private-default-route-1'].nat_gateway_id).toBe('${aws_nat_gateway.nat-0.id}');
  });

  test('prod: one NAT gateway per AZ, each private route table uses its own', () => {
    const { json } = synth('prod');
    const nats = resources(json, 'aws_nat_gateway');
    expect(Object.keys(nats).sort()).toEqual(['nat-0', 'nat-1']);
    expect(nats['nat-1'].subnet_id).toBe('${aws_subnet.public-subnet-1.id}');
    expect(resources(json, 'aws_route')['private-default-route-1'].nat_gateway_id).toBe('${aws_nat_gateway.nat-1.id}');
  });
});

describe('security groups', () => {
  const { json } = synth('dev');
  const ingress = resources(json, 'aws_vpc_security_group_ingress_rule');
  const egress = resources(json, 'aws_vpc_security_group_egress_rule');

  test('three described groups in the VPC', () => {
    const groups = resources(json, 'aws_security_group');
    expect(Object.keys(groups).sort()).toEqual(['alb-sg', 'db-sg', 'ecs-sg']);
    for (const group of Object.values(groups)) {
      expect(group.vpc_id).toBe('${aws_vpc.vpc.id}');
      expect(group.description.length).toBeGreaterThan(10);
      expect(group.ingress).toBeUndefined();
      expect(group.egress).toBeUndefined();
    }
  });

  test('alb-sg <- VPC CIDR :80 only (no :443 without HTTPS)', () => {
    expect(Object.keys(ingress).filter((k) => k.startsWith('alb-'))).toEqual(['alb-ingress-80']);
    expect(ingress['alb-ingress-80']).toMatchObject({
      security_group_id: '${aws_security_group.alb-sg.id}',
      cidr_ipv4: '${aws_vpc.vpc.cidr_block}',
      ip_protocol: 'tcp',
      from_port: 80,
      to_port: 80,
    });
  });

  test('alb-sg also opens :443 when HTTPS is on', () => {
    const https = resources(synth('dev', undefined, true).json, 'aws_vpc_security_group_ingress_rule');
    expect(https['alb-ingress-443']).toMatchObject({ from_port: 443, to_port: 443, cidr_ipv4: '${aws_vpc.vpc.cidr_block}' });
  });

  test('without the edge: no CloudFront ingress and no prefix list lookup', () => {
    expect(ingress['alb-ingress-cloudfront']).toBeUndefined();
    expect(json.data?.aws_ec2_managed_prefix_list).toBeUndefined();
  });

  test('with the edge: alb-sg <- CloudFront origin-facing prefix list on the origin port, nothing from the internet', () => {
    const app = Testing.app();
    const stack = new NetworkingStack(app, 'networking', { config: loadConfig({ environment: 'dev' }), cloudFrontOriginPort: 80 });
    const edged = JSON.parse(Testing.synth(stack, true)) as Json;
    expect(edged.data.aws_ec2_managed_prefix_list['cloudfront-origin-facing']).toMatchObject({ name: 'com.amazonaws.global.cloudfront.origin-facing' });
    const rules = resources(edged, 'aws_vpc_security_group_ingress_rule');
    expect(rules['alb-ingress-cloudfront']).toEqual(
      expect.objectContaining({
        security_group_id: '${aws_security_group.alb-sg.id}',
        prefix_list_id: '${data.aws_ec2_managed_prefix_list.cloudfront-origin-facing.id}',
        ip_protocol: 'tcp',
        from_port: 80,
        to_port: 80,
      }),
    );
    expect(rules['alb-ingress-cloudfront'].cidr_ipv4).toBeUndefined();
    expect(Object.keys(rules).filter((k) => k.startsWith('alb-')).sort()).toEqual(['alb-ingress-80', 'alb-ingress-cloudfront']);
    for (const rule of Object.values(rules)) expect(rule.cidr_ipv4).not.toBe('0.0.0.0/0');
  });

  test('ecs-sg <- alb-sg :4000 only (the proxy; no health port)', () => {
    const ecsIngress = Object.values(ingress).filter((r) => r.security_group_id === '${aws_security_group.ecs-sg.id}');
    expect(ecsIngress.map((r) => [r.from_port, r.to_port, r.referenced_security_group_id])).toEqual([
      [4000, 4000, '${aws_security_group.alb-sg.id}'],
    ]);
  });

  test('db-sg <- ecs-sg :5432 only, and no egress at all', () => {
    const dbIngress = Object.values(ingress).filter((r) => r.security_group_id === '${aws_security_group.db-sg.id}');
    expect(dbIngress).toEqual([expect.objectContaining({ from_port: 5432, to_port: 5432, referenced_security_group_id: '${aws_security_group.ecs-sg.id}' })]);
    expect(Object.values(egress).filter((r) => r.security_group_id === '${aws_security_group.db-sg.id}')).toEqual([]);
  });

  test('egress is explicit and minimal: ALB to tasks; tasks to HTTPS and the database', () => {
    const summary = Object.values(egress)
      .map((r) => `${r.security_group_id} ${r.from_port} ${r.referenced_security_group_id ?? r.cidr_ipv4}`)
      .sort();
    expect(summary).toEqual([
      '${aws_security_group.alb-sg.id} 4000 ${aws_security_group.ecs-sg.id}',
      '${aws_security_group.ecs-sg.id} 443 0.0.0.0/0',
      '${aws_security_group.ecs-sg.id} 5432 ${aws_security_group.db-sg.id}',
    ]);
  });

  test('every rule is described and none accepts traffic from anywhere', () => {
    for (const rule of [...Object.values(ingress), ...Object.values(egress)]) expect(rule.description.length).toBeGreaterThan(10);
    for (const rule of Object.values(ingress)) expect(rule.cidr_ipv4).not.toBe('0.0.0.0/0');
  });

  test('the default security group is adopted with no rules', () => {
    const { text } = synth('dev');
    expect(text).toHaveResourceWithProperties(DefaultSecurityGroup, { vpc_id: '${aws_vpc.vpc.id}' });
    const dsg = resources(json, 'aws_default_security_group')['default-sg'];
    expect(dsg.ingress).toBeUndefined();
    expect(dsg.egress).toBeUndefined();
  });
});

describe('flow logs', () => {
  test('on by default: REJECT traffic to a log group with retention, through a role scoped to that group', () => {
    const { json, text } = synth('dev');
    expect(text).toHaveResourceWithProperties(FlowLog, {
      vpc_id: '${aws_vpc.vpc.id}',
      traffic_type: 'REJECT',
      log_destination_type: 'cloud-watch-logs',
      log_destination: '${aws_cloudwatch_log_group.flow-log-group.arn}',
      iam_role_arn: '${aws_iam_role.flow-log-role.arn}',
    });
    expect(resources(json, 'aws_cloudwatch_log_group')['flow-log-group']).toMatchObject({
      name: '/document-processing/dev/vpc-flow-logs',
      retention_in_days: 30,
    });
    const trust = json.data.aws_iam_policy_document['flow-log-trust'].statement[0];
    expect(trust.principals).toEqual([{ type: 'Service', identifiers: ['vpc-flow-logs.amazonaws.com'] }]);
  });

  test('prod logs ALL traffic for 90 days', () => {
    const { json } = synth('prod');
    expect(resources(json, 'aws_flow_log')['flow-log'].traffic_type).toBe('ALL');
    expect(resources(json, 'aws_cloudwatch_log_group')['flow-log-group'].retention_in_days).toBe(90);
  });

  test('can be switched off', () => {
    const { json } = synth('dev', { networking: { flowLogs: { enabled: false } } });
    expect(json.resource.aws_flow_log).toBeUndefined();
    expect(json.resource.aws_iam_role).toBeUndefined();
  });
});

describe('bring your own VPC', () => {
  const overrides = {
    networking: { existingVpc: { vpcId: 'vpc-0123456789abcdef0', privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] } },
  };
  const { stack, json } = synth('dev', overrides);

  test('creates no VPC, subnet, NAT or flow log; reads the VPC for its CIDR', () => {
    for (const type of ['aws_vpc', 'aws_subnet', 'aws_nat_gateway', 'aws_internet_gateway', 'aws_flow_log', 'aws_default_security_group']) {
      expect(json.resource[type]).toBeUndefined();
    }
    expect(json.data.aws_vpc.vpc.id).toBe('vpc-0123456789abcdef0');
    expect(json.resource.aws_vpc_security_group_ingress_rule['alb-ingress-80'].cidr_ipv4).toBe('${data.aws_vpc.vpc.cidr_block}');
  });

  test.each([[false, [80]], [true, [80, 443]]])('GIVEN https %s THEN each listener port admits every associated secondary CIDR of the VPC too, one rule per block', (https, ports) => {
    const { json } = synth('dev', overrides, https);
    // The set is read at plan time from the data source: all associated IPv4 blocks except the primary one.
    expect(json.locals['vpc-secondary-cidrs']).toBe(
      '${[for a in data.aws_vpc.vpc.cidr_block_associations : a.cidr_block if a.state == "associated" && a.cidr_block != data.aws_vpc.vpc.cidr_block]}',
    );
    const rules = json.resource.aws_vpc_security_group_ingress_rule;
    for (const port of ports) {
      expect(rules[`alb-ingress-${port}-secondary-cidrs`]).toMatchObject({
        for_each: '${toset(local.vpc-secondary-cidrs)}',
        cidr_ipv4: '${each.value}',
        from_port: port,
        to_port: port,
        security_group_id: '${aws_security_group.alb-sg.id}',
      });
    }
    expect(Object.keys(rules).filter((k) => k.endsWith('-secondary-cidrs'))).toHaveLength(ports.length);
  });

  test('a VPC this stack creates has one CIDR: no secondary rules', () => {
    const { json } = synth('dev');
    expect(Object.keys(json.resource.aws_vpc_security_group_ingress_rule).filter((k) => k.endsWith('-secondary-cidrs'))).toEqual([]);
    expect(json.locals).toBeUndefined();
  });

  test('creates the security groups in that VPC and exposes the given subnets', () => {
    for (const group of Object.values(json.resource.aws_security_group) as Json[]) expect(group.vpc_id).toBe('vpc-0123456789abcdef0');
    expect(stack.outputs.vpcId).toBe('vpc-0123456789abcdef0');
    expect(stack.outputs.privateSubnetIds).toEqual(['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1']);
  });
});

describe('outputs and provider', () => {
  test('narrow typed outputs reference the created resources', () => {
    const { stack, json } = synth('dev');
    expect(stack.outputs.privateSubnetIds).toHaveLength(2);
    expect(Token.isUnresolved(stack.outputs.ecsSecurityGroupId)).toBe(true);
    expect(json.output.vpc_id.value).toBe('${aws_vpc.vpc.id}');
    expect(json.output.private_subnet_ids.value).toEqual(['${aws_subnet.private-subnet-0.id}', '${aws_subnet.private-subnet-1.id}']);
    expect(json.output.security_group_ids.value).toEqual({
      alb: '${aws_security_group.alb-sg.id}',
      ecs: '${aws_security_group.ecs-sg.id}',
      db: '${aws_security_group.db-sg.id}',
    });
  });

  test('the provider sets the region and the seed tags once, as default_tags', () => {
    const { json } = synth('prod');
    expect(json.provider.aws[0]).toEqual({ region: 'us-east-1', default_tags: [{ tags: { env: 'prod', application: 'document-processing' } }] });
  });
});

describe('flow-log role (Amazon VPC User Guide, "IAM role for publishing flow logs to CloudWatch Logs")', () => {
  const app = Testing.app();
  const stack = new NetworkingStack(app, 'dev-networking', { config: loadConfig({ environment: 'dev' }) });
  const json = JSON.parse(Testing.synth(stack));
  const ACCOUNT = '${data.aws_caller_identity.caller.account_id}';
  const PARTITION = '${data.aws_partition.partition.partition}';
  const GROUP = '${aws_cloudwatch_log_group.flow-log-group.arn}';

  test('trust: only the flow logs service, only for flow logs of this account (confused-deputy guard)', () => {
    expect(json.data.aws_iam_policy_document['flow-log-trust'].statement).toEqual([
      {
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['vpc-flow-logs.amazonaws.com'] }],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
          { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${PARTITION}:ec2:us-east-1:${ACCOUNT}:vpc-flow-log/*`] },
        ],
      },
    ]);
  });

  test('permissions: the five documented actions, each on its resource type; DescribeLogGroups, which has none, on * as the guide grants it', () => {
    expect(json.data.aws_iam_policy_document['flow-log-write'].statement).toEqual([
      {
        sid: 'WriteFlowLogGroup',
        effect: 'Allow',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [GROUP, `${GROUP}:log-stream:*`],
      },
      { sid: 'DescribeLogGroups', effect: 'Allow', actions: ['logs:DescribeLogGroups'], resources: ['*'] },
    ]);
  });

  test('no caller identity or partition lookup without flow logs', () => {
    const app2 = Testing.app();
    const off = new NetworkingStack(app2, 'dev-networking', { config: loadConfig({ environment: 'dev', overrides: { networking: { flowLogs: { enabled: false } } } }) });
    const offJson = JSON.parse(Testing.synth(off));
    expect(offJson.data?.aws_caller_identity).toBeUndefined();
  });
});
