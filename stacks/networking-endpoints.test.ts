import { Testing } from 'cdktf';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { loadConfig } from '../config';
import { NetworkingStack, NetworkingStackProps } from './networking-stack';
import { resources, synthStack, type Json } from '../test/helpers';

function synth(environment: string, overrides?: unknown, props: Partial<NetworkingStackProps> = {}): { stack: NetworkingStack; json: Json; text: string } {
  const app = Testing.app();
  const config = loadConfig({ environment, overrides });
  const stack = new NetworkingStack(app, 'networking', { config, ...props });
  return { stack, ...synthStack(stack) };
}

const ENDPOINTS = { networking: { egress: 'endpoints' } };
const EXISTING_VPC = { vpcId: 'vpc-0123456789abcdef0', privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] };

describe('S3 gateway endpoint (networking.s3GatewayEndpoint, on by default)', () => {
  test.each(['dev', 'prod'])('GIVEN %s defaults THEN one gateway endpoint for S3 sits on every private route table, with no policy (full access)', (environment) => {
    const { json, text } = synth(environment);
    expect(text).toHaveResourceWithProperties(VpcEndpoint, {
      service_name: 'com.amazonaws.us-east-1.s3',
      vpc_endpoint_type: 'Gateway',
      vpc_id: '${aws_vpc.vpc.id}',
      route_table_ids: ['${aws_route_table.private-rt-0.id}', '${aws_route_table.private-rt-1.id}'],
    });
    const endpoints = resources(json, 'aws_vpc_endpoint');
    expect(Object.keys(endpoints)).toEqual(['s3-endpoint']);
    // Agents may share these subnets: a policy limited to ECR's layer bucket would cut them off every other bucket.
    expect(endpoints['s3-endpoint'].policy).toBeUndefined();
    // The NAT stays for everything else in the default mode.
    expect(Object.keys(resources(json, 'aws_nat_gateway')).length).toBeGreaterThan(0);
    expect(resources(json, 'aws_vpc_security_group_egress_rule')['ecs-egress-https'].cidr_ipv4).toBe('0.0.0.0/0');
  });

  test('GIVEN three AZs THEN the endpoint covers the three private route tables', () => {
    const { json } = synth('dev', { networking: { azCount: 3 } });
    expect(resources(json, 'aws_vpc_endpoint')['s3-endpoint'].route_table_ids).toHaveLength(3);
  });

  test('GIVEN s3GatewayEndpoint false THEN no endpoint', () => {
    const { json } = synth('dev', { networking: { s3GatewayEndpoint: false } });
    expect(json.resource.aws_vpc_endpoint).toBeUndefined();
  });

  test('GIVEN an existing VPC THEN no endpoint: its route tables are not ours', () => {
    const { json } = synth('dev', { networking: { existingVpc: EXISTING_VPC } });
    expect(json.resource.aws_vpc_endpoint).toBeUndefined();
  });
});

describe('networking.egress "endpoints": no internet egress', () => {
  test.each([
    ['dev', true, ['bedrock-runtime', 'ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssmmessages']],
    ['prod', false, ['bedrock-runtime', 'ecr.api', 'ecr.dkr', 'logs', 'secretsmanager']],
  ] as const)('GIVEN %s with ECS Exec %s THEN an interface endpoint per AWS API the task calls, in every private subnet, private DNS on, behind endpoints-sg', (environment, ecsExec, services) => {
    const { json } = synth(environment, ENDPOINTS, { ecsExec });
    const endpoints = resources(json, 'aws_vpc_endpoint');
    const interfaces = Object.values(endpoints).filter((e: Json) => e.vpc_endpoint_type === 'Interface');
    expect(interfaces.map((e: Json) => e.service_name).sort()).toEqual(services.map((s) => `com.amazonaws.us-east-1.${s}`));
    for (const e of interfaces) {
      expect(e).toMatchObject({
        vpc_id: '${aws_vpc.vpc.id}',
        subnet_ids: ['${aws_subnet.private-subnet-0.id}', '${aws_subnet.private-subnet-1.id}'],
        security_group_ids: ['${aws_security_group.endpoints-sg.id}'],
        private_dns_enabled: true,
      });
    }
    expect(endpoints['endpoint-ecr-dkr'].service_name).toBe('com.amazonaws.us-east-1.ecr.dkr');
    // ECR's layers come from S3: the gateway endpoint stays.
    expect(endpoints['s3-endpoint'].vpc_endpoint_type).toBe('Gateway');
  });

  test('GIVEN the endpoints mode THEN no NAT gateway, no Elastic IP, no public subnet, no internet gateway and no default route', () => {
    const { json } = synth('prod', ENDPOINTS, { ecsExec: true });
    for (const type of ['aws_nat_gateway', 'aws_eip', 'aws_internet_gateway']) expect(json.resource[type]).toBeUndefined();
    expect(Object.keys(resources(json, 'aws_subnet')).sort()).toEqual(['private-subnet-0', 'private-subnet-1']);
    expect(json.resource.aws_route).toBeUndefined();
    expect(Object.keys(resources(json, 'aws_route_table')).sort()).toEqual(['private-rt-0', 'private-rt-1']);
  });

  test('GIVEN the endpoints mode with the edge THEN the internet gateway stays (CloudFront VPC origins require one), with no route to it', () => {
    const { json } = synth('dev', ENDPOINTS, { ecsExec: true, cloudFrontOriginPort: 80 });
    expect(resources(json, 'aws_internet_gateway')['igw'].vpc_id).toBe('${aws_vpc.vpc.id}');
    expect(json.resource.aws_route).toBeUndefined();
    expect(json.resource.aws_nat_gateway).toBeUndefined();
  });

  test('GIVEN the endpoints mode THEN the tasks send HTTPS only to the endpoints\' group and the S3 prefix list, and the endpoints admit 443 from the tasks only', () => {
    const { json } = synth('dev', ENDPOINTS, { ecsExec: true });
    const egress = resources(json, 'aws_vpc_security_group_egress_rule');
    expect(egress['ecs-egress-https']).toBeUndefined();
    expect(egress['ecs-egress-endpoints']).toMatchObject({
      security_group_id: '${aws_security_group.ecs-sg.id}',
      referenced_security_group_id: '${aws_security_group.endpoints-sg.id}',
      from_port: 443,
      to_port: 443,
      ip_protocol: 'tcp',
    });
    expect(egress['ecs-egress-s3']).toMatchObject({ prefix_list_id: '${aws_vpc_endpoint.s3-endpoint.prefix_list_id}', from_port: 443, to_port: 443 });
    for (const rule of Object.values(egress) as Json[]) expect(rule.cidr_ipv4).toBeUndefined();
    const ingress = resources(json, 'aws_vpc_security_group_ingress_rule');
    expect(ingress['endpoints-ingress-ecs']).toMatchObject({
      security_group_id: '${aws_security_group.endpoints-sg.id}',
      referenced_security_group_id: '${aws_security_group.ecs-sg.id}',
      from_port: 443,
      to_port: 443,
    });
    // endpoints-sg initiates nothing.
    expect(Object.values(egress).filter((r: Json) => r.security_group_id === '${aws_security_group.endpoints-sg.id}')).toEqual([]);
    expect(resources(json, 'aws_security_group')['endpoints-sg'].vpc_id).toBe('${aws_vpc.vpc.id}');
  });

  test('private DNS needs DNS support and hostnames on the VPC: both on', () => {
    const { json } = synth('dev', ENDPOINTS);
    expect(resources(json, 'aws_vpc')['vpc']).toMatchObject({ enable_dns_support: true, enable_dns_hostnames: true });
  });
});

describe('refused at synth, naming the field', () => {
  test('endpoints with an existing VPC', () => {
    expect(() => loadConfig({ environment: 'dev', overrides: { networking: { egress: 'endpoints', existingVpc: EXISTING_VPC } } })).toThrow(
      /networking\.egress: the "endpoints" mode removes the NAT route .*; got "endpoints"; allowed: "nat" with networking\.existingVpc/,
    );
  });

  test('endpoints without the S3 gateway endpoint (ECR layers come from S3)', () => {
    expect(() => loadConfig({ environment: 'prod', overrides: { networking: { egress: 'endpoints', s3GatewayEndpoint: false } } })).toThrow(
      /networking\.s3GatewayEndpoint: without a NAT gateway .* no task could pull its image; got false; allowed: true with networking\.egress "endpoints"/,
    );
  });

  test('an unknown egress mode', () => {
    expect(() => loadConfig({ environment: 'dev', overrides: { networking: { egress: 'none' } } })).toThrow(/networking\.egress: got "none"; allowed: one of "nat", "endpoints"/);
  });

  test('the defaults: nat, with the S3 gateway endpoint, in every environment', () => {
    for (const environment of ['dev', 'prod']) expect(loadConfig({ environment }).networking).toMatchObject({ egress: 'nat', s3GatewayEndpoint: true });
  });
});
