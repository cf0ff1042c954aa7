import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DEFAULT_ASSUMPTIONS, UsageAssumptions } from './assumptions';
import { readStacks } from './cli';
import { estimateEnvironment } from './estimate';
import { NetworkFacts, compareEgress, compareEstimates, egressText } from './network-paths';
import { PRICES } from './prices';
import { toSummary } from './report';
import { loadConfig } from '../../config';
import { buildApp } from '../../main';
import { EXAMPLE_ON_CALL } from '../lib/profiles';
import { TWO_MODELS } from '../../test/catalogues';

const A: UsageAssumptions = { ...DEFAULT_ASSUMPTIONS, requestsPerMonth: 100_000, bedrockKbPerRequest: 50, natBaseGb: 4 };
const H = 730;
const EP_HOUR = PRICES['vpc-interface-endpoint-az-hour'].usd;
const EP_GB = PRICES['vpc-interface-endpoint-gb'].usd;

type Resources = Record<string, Record<string, Record<string, unknown>>>;
const estimate = (resource: Resources, a: UsageAssumptions = A) => estimateEnvironment('test', { 'test-networking': { resource } }, a);

const iface = (service: string, subnets = 2) => ({
  service_name: `com.amazonaws.us-east-1.${service}`,
  vpc_endpoint_type: 'Interface',
  subnet_ids: Array.from({ length: subnets }, (_, i) => `\${aws_subnet.private-subnet-${i}.id}`),
  private_dns_enabled: true,
});

describe('aws_vpc_endpoint is priced (the S3 gateway endpoint is free)', () => {
  test('GIVEN a gateway endpoint for S3 THEN no line and nothing unpriced', () => {
    const e = estimate({ aws_vpc_endpoint: { 's3-endpoint': { service_name: 'com.amazonaws.us-east-1.s3', vpc_endpoint_type: 'Gateway', route_table_ids: ['a', 'b'] } } });
    expect(e.lines).toEqual([]);
    expect(e.unpriced).toEqual([]);
    expect(e.network).toMatchObject({ s3GatewayEndpoint: true, interfaceEndpoints: [], natGateways: 0 });
  });

  test('GIVEN interface endpoints THEN AZ-hours per subnet, the base traffic shared by the others (fixed), Bedrock bytes on bedrock-runtime (traffic)', () => {
    const e = estimate({ aws_vpc_endpoint: { 'endpoint-bedrock-runtime': iface('bedrock-runtime'), 'endpoint-logs': iface('logs', 3), 'endpoint-ecr-api': iface('ecr.api') } });
    const line = (address: string, item: string) => e.lines.find((l) => l.address === address && l.item === item);
    expect(line('aws_vpc_endpoint.endpoint-logs', 'endpoint AZ-hours')).toMatchObject({ quantity: 3 * H, monthlyUsd: 3 * H * EP_HOUR });
    expect(line('aws_vpc_endpoint.endpoint-bedrock-runtime', 'GB processed')).toBeUndefined();
    expect(line('aws_vpc_endpoint.endpoint-ecr-api', 'GB processed')?.quantity).toBeCloseTo(4 / 2, 9);
    const gb = e.lines.filter((l) => l.item === 'GB processed').reduce((s, l) => s + l.quantity, 0);
    expect(gb).toBeCloseTo(4, 9);
    // 100,000 requests of 50 KB through bedrock-runtime: 5 GB a month, priced per million requests.
    const bedrockTraffic = e.traffic.lines.find((l) => l.address === 'aws_vpc_endpoint.endpoint-bedrock-runtime');
    expect(bedrockTraffic?.perMillion).toBeCloseTo((1e6 * 50) / 1e6, 9);
    expect(e.fixed).toBeCloseTo(7 * H * EP_HOUR + 4 * EP_GB, 2);
    expect(e.total).toBeCloseTo(7 * H * EP_HOUR + 9 * EP_GB, 2);
    expect(e.unpriced).toEqual([]);
  });

  test('GIVEN subnets that are not a literal list THEN unpriced, not zero', () => {
    const e = estimate({ aws_vpc_endpoint: { x: { ...iface('logs'), subnet_ids: '${var.subnets}' } } });
    expect(e.unpriced).toEqual([expect.objectContaining({ address: 'aws_vpc_endpoint.x', reason: expect.stringMatching(/AZ count unknown/) })]);
  });
});

describe('the NAT path against the endpoints path, from the price table', () => {
  const facts = (over: Partial<NetworkFacts> = {}): NetworkFacts => ({ azCount: 2, natGateways: 1, interfaceEndpoints: [], s3GatewayEndpoint: true, ecsExec: true, ...over });

  test('GIVEN one NAT gateway, 2 AZs and ECS Exec THEN NAT = hours + GB + its address; endpoints = 6 x 2 AZ-hours + GB', () => {
    const c = compareEgress('dev', facts(), A);
    const gb = 4 + 5;
    const nat = H * PRICES['nat-gateway-hour'].usd + gb * PRICES['nat-gateway-gb'].usd + H * PRICES['public-ipv4-hour'].usd;
    const endpoints = 6 * 2 * H * EP_HOUR + gb * EP_GB;
    expect(c.nat.total).toBeCloseTo(nat, 9);
    expect(c.endpoints.total).toBeCloseTo(endpoints, 9);
    expect(c.difference).toBeCloseTo(endpoints - nat, 9);
    expect(c.endpointServices.map((s) => s.service)).toEqual(['bedrock-runtime', 'ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssmmessages']);
    // Break-even: where the per-GB saving pays for the difference in fixed cost.
    const fixedNat = H * (PRICES['nat-gateway-hour'].usd + PRICES['public-ipv4-hour'].usd);
    expect(c.breakEvenGb).toBeCloseTo((6 * 2 * H * EP_HOUR - fixedNat) / (PRICES['nat-gateway-gb'].usd - EP_GB), 6);
    expect(c.perEndpoint[0]).toMatchObject({ service: 'bedrock-runtime', fixedUsd: 2 * H * EP_HOUR });
  });

  test('GIVEN no ECS Exec THEN no ssmmessages endpoint is priced', () => {
    const c = compareEgress('prod', facts({ ecsExec: false, natGateways: 2 }), A);
    expect(c.endpointServices.map((s) => s.service)).not.toContain('ssmmessages');
    expect(c.endpoints.lines[0].quantity).toBe(5 * 2 * H);
    expect(c.nat.lines[0].quantity).toBe(2 * H);
  });

  test('GIVEN stacks synthesized in the endpoints mode (no NAT) THEN the NAT path is priced with one gateway, and said so', () => {
    const c = compareEgress('dev', facts({ natGateways: 0, interfaceEndpoints: ['logs'] }), A);
    expect(c.natGateways).toBe(1);
    expect(egressText([c])).toMatch(/synthesized endpoints \(logs\)/);
  });

  test('GIVEN the endpoints path is cheaper already THEN no break-even is printed', () => {
    const c = compareEgress('big', facts({ natGateways: 3, ecsExec: false }), A);
    // 3 NAT gateways (+ addresses) cost more per hour than 5 endpoints in 2 AZs.
    expect(c.breakEvenGb).toBeUndefined();
    expect(egressText([c])).toMatch(/costs \$\d+\.\d\d\/month less/);
  });
});

describe('the project (contract test: the default dev and the endpoints mode, synthesized)', () => {
  const synth = (overrides: unknown) => {
    const outdir = mkdtempSync(join(tmpdir(), 'network-paths-'));
    try {
      buildApp({ config: loadConfig({ environment: 'dev', overrides }), catalogue: TWO_MODELS, outdir }).synth();
      return estimateEnvironment('dev', readStacks(join(outdir, 'stacks'), 'dev-'), { ...DEFAULT_ASSUMPTIONS });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  };
  const nat = synth(EXAMPLE_ON_CALL);
  const endpoints = synth({ ...EXAMPLE_ON_CALL, networking: { egress: 'endpoints' } });

  test('dev defaults: NAT with the free S3 gateway endpoint; the comparison prices the six endpoints dev would need', () => {
    expect(nat.network).toEqual({ azCount: 2, natGateways: 1, interfaceEndpoints: [], s3GatewayEndpoint: true, ecsExec: true });
    expect(nat.lines.filter((l) => l.address.startsWith('aws_vpc_endpoint.'))).toEqual([]);
    const [c] = compareEstimates([nat]);
    // The comparison's NAT path is the estimate's own NAT and address lines (fixed) plus the NAT's request bytes (traffic).
    const natLines = nat.lines.filter((l) => l.address.startsWith('aws_nat_gateway.') || l.address.startsWith('aws_eip.'));
    const natTraffic = nat.traffic.lines.filter((l) => l.address.startsWith('aws_nat_gateway.'));
    const requests = nat.traffic.requestsPerMonth / 1e6;
    expect(c.nat.total).toBeCloseTo(natLines.reduce((s, l) => s + l.monthlyUsd, 0) + natTraffic.reduce((s, l) => s + l.perMillionUsd * requests, 0), 6);
    expect(c.endpoints.total).toBeCloseTo(6 * 2 * H * EP_HOUR + (5 + (30_000 * 60) / 1e6) * EP_GB, 6);
  });

  test('endpoints mode: no NAT or address line, the six endpoints priced, nothing unpriced; the estimate moves by the comparison\'s difference', () => {
    expect(endpoints.unpriced).toEqual([]);
    expect(endpoints.lines.filter((l) => l.address.startsWith('aws_nat_gateway.') || l.address.startsWith('aws_eip.'))).toEqual([]);
    const endpointLines = endpoints.lines.filter((l) => l.address.startsWith('aws_vpc_endpoint.'));
    expect(new Set(endpointLines.map((l) => l.address)).size).toBe(6);
    const [c] = compareEstimates([nat]);
    expect(endpoints.total - nat.total).toBeCloseTo(c.difference, 1);
    expect(toSummary([nat, endpoints])).toMatch(/\| VPC interface endpoints \(AZ-hours, GB\) \| - \| \$87\.65 \|/);
  });
});
