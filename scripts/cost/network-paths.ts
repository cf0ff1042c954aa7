/**
 * Network paths, priced: the interface endpoints' own cost rule (aws_vpc_endpoint) and, per environment, the NAT
 * gateway path against the interface-endpoint path (networking.egress "nat" | "endpoints") for the AWS APIs the
 * task calls (modules/network-paths), at the assumed traffic. Self-contained: estimate.ts calls networkFacts() and
 * vpcEndpointRule; nothing here imports estimate.ts at run time (type imports only), so either file may load first.
 * docs/cost.md#nat-gateway-or-interface-endpoints.
 */
import type { JsonObject, JsonValue } from '../../policy/types';
import { interfaceEndpointServices, EndpointService } from '../../modules/network-paths';
import type { UsageAssumptions } from './assumptions';
import type { Context, CostLine, EnvironmentEstimate, Rule, RuleOutput, TfResource } from './estimate';
import { PRICES, Price } from './prices';

export const isInterface = (r: TfResource) => r.type === 'aws_vpc_endpoint' && r.attributes['vpc_endpoint_type'] === 'Interface';
const isGateway = (r: TfResource) => r.type === 'aws_vpc_endpoint' && (r.attributes['vpc_endpoint_type'] ?? 'Gateway') === 'Gateway';
export const serviceOf = (r: TfResource) => String(r.attributes['service_name'] ?? '').split('.').slice(3).join('.');

function listLength(value: JsonValue | undefined): number | undefined {
  return Array.isArray(value) ? value.length : undefined;
}

function costLine(r: TfResource, item: string, quantity: number, price: Price, basis: string): CostLine {
  return { stack: r.stack, address: r.address, item, quantity, unit: price.unit, unitUsd: price.usd, monthlyUsd: quantity * price.usd, source: price.source, basis };
}

/** Interface traffic of the month, split as the NAT's is: Bedrock bytes per request, the rest a base. */
export function trafficGb(a: UsageAssumptions): { readonly baseGb: number; readonly bedrockGb: number } {
  return { baseGb: a.natBaseGb, bedrockGb: (a.requestsPerMonth * a.bedrockKbPerRequest) / 1e6 };
}

/**
 * aws_vpc_endpoint: a gateway endpoint (S3) has no charge and no line; an interface endpoint is billed per AZ (one
 * network interface per subnet) per hour, and per GB processed: the base traffic (assumption natBaseGb) shared by
 * the endpoints other than bedrock-runtime, whose bytes come with requests (traffic).
 */
export const vpcEndpointRule: Rule = (endpoints: readonly TfResource[], ctx: Context): RuleOutput => {
  const out: RuleOutput = { lines: [], unpriced: [] };
  const interfaces = endpoints.filter(isInterface);
  const { baseGb } = trafficGb(ctx.a);
  const others = interfaces.filter((r) => serviceOf(r) !== 'bedrock-runtime');
  for (const endpoint of endpoints) {
    if (isGateway(endpoint)) continue;
    if (!isInterface(endpoint)) {
      out.unpriced.push({ stack: endpoint.stack, address: endpoint.address, type: endpoint.type, reason: `endpoint type ${JSON.stringify(endpoint.attributes['vpc_endpoint_type'])}: only Gateway and Interface are priced` });
      continue;
    }
    const azs = listLength(endpoint.attributes['subnet_ids']);
    if (azs === undefined) {
      out.unpriced.push({ stack: endpoint.stack, address: endpoint.address, type: endpoint.type, reason: 'subnet_ids is not a literal list: AZ count unknown' });
      continue;
    }
    const h = ctx.a.hoursPerMonth;
    out.lines.push(costLine(endpoint, 'endpoint AZ-hours', azs * h, PRICES['vpc-interface-endpoint-az-hour'], `${azs} subnet(s) (one AZ each) x ${h} h`));
    // Bedrock's bytes grow with requests: they are traffic (scripts/cost/traffic.ts, vpcEndpointTrafficRule), not
    // the fixed cost, as the NAT's are.
    if (serviceOf(endpoint) === 'bedrock-runtime') continue;
    const gb = baseGb / Math.max(1, others.length);
    out.lines.push(costLine(endpoint, 'GB processed', gb, PRICES['vpc-interface-endpoint-gb'], `assumption natBaseGb ${baseGb} / ${Math.max(1, others.length)} endpoint(s)`));
  }
  return out;
};

/** What the comparison reads from the synthesized stacks. */
export interface NetworkFacts {
  /** Private subnets (one per AZ): the AZs an interface endpoint spans. */
  readonly azCount: number;
  readonly natGateways: number;
  /** Services of the interface endpoints synthesized (the endpoints mode). */
  readonly interfaceEndpoints: readonly string[];
  readonly s3GatewayEndpoint: boolean;
  readonly ecsExec: boolean;
}

export function networkFacts(all: readonly TfResource[]): NetworkFacts {
  const tier = (r: TfResource) => ((r.attributes['tags'] as JsonObject | undefined)?.['Tier'] as string | undefined);
  const privateSubnets = all.filter((r) => r.type === 'aws_subnet' && tier(r) === 'private').length;
  const interfaces = all.filter(isInterface);
  const endpointAzs = interfaces.map((r) => listLength(r.attributes['subnet_ids']) ?? 0);
  return {
    // An existing VPC's subnets are not resources: take the endpoints' subnets, else the two AZs the app requires.
    azCount: privateSubnets > 0 ? privateSubnets : Math.max(2, ...endpointAzs),
    natGateways: all.filter((r) => r.type === 'aws_nat_gateway').length,
    interfaceEndpoints: interfaces.map(serviceOf).sort(),
    s3GatewayEndpoint: all.some((r) => isGateway(r) && serviceOf(r) === 's3'),
    ecsExec: all.some((r) => r.type === 'aws_ecs_service' && r.attributes['enable_execute_command'] === true),
  };
}

export interface PathLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitUsd: number;
  readonly monthlyUsd: number;
}

export interface EgressComparison {
  readonly environment: string;
  readonly facts: NetworkFacts;
  readonly baseGb: number;
  readonly bedrockGb: number;
  /** NAT gateways priced for the NAT path: the synthesized ones, or 1 ("single") when the stacks have none. */
  readonly natGateways: number;
  readonly nat: { readonly lines: readonly PathLine[]; readonly total: number };
  readonly endpointServices: readonly EndpointService[];
  readonly endpoints: { readonly lines: readonly PathLine[]; readonly total: number };
  /** endpoints - nat, USD per month. */
  readonly difference: number;
  /** GB a month of AWS API traffic above which the endpoints path is the cheaper one (undefined: it already is). */
  readonly breakEvenGb?: number;
  /** Each endpoint kept beside the NAT: its fixed cost, and the GB of its own traffic that would pay for it. */
  readonly perEndpoint: readonly { readonly service: string; readonly fixedUsd: number; readonly breakEvenGb: number }[];
}

function pathLine(item: string, quantity: number, price: Price): PathLine {
  return { item, quantity, unit: price.unit, unitUsd: price.usd, monthlyUsd: quantity * price.usd };
}

const sum = (lines: readonly PathLine[]) => lines.reduce((s, l) => s + l.monthlyUsd, 0);

/** The two paths for one environment at its assumptions, from the facts its stacks carry. */
export function compareEgress(environment: string, facts: NetworkFacts, a: UsageAssumptions): EgressComparison {
  const { baseGb, bedrockGb } = trafficGb(a);
  const gb = baseGb + bedrockGb;
  const h = a.hoursPerMonth;
  const natGateways = facts.natGateways > 0 ? facts.natGateways : 1;
  const nat = [
    pathLine(`NAT gateway-hours (${natGateways} gateway(s))`, natGateways * h, PRICES['nat-gateway-hour']),
    pathLine('NAT GB processed', gb, PRICES['nat-gateway-gb']),
    pathLine(`public IPv4 address-hours (${natGateways} address(es))`, natGateways * h, PRICES['public-ipv4-hour']),
  ];
  const services = interfaceEndpointServices({ ecsExec: facts.ecsExec });
  const endpoints = [
    pathLine(`endpoint AZ-hours (${services.length} endpoints x ${facts.azCount} AZs)`, services.length * facts.azCount * h, PRICES['vpc-interface-endpoint-az-hour']),
    pathLine('endpoint GB processed', gb, PRICES['vpc-interface-endpoint-gb']),
  ];
  const natTotal = sum(nat);
  const endpointsTotal = sum(endpoints);
  const perGbSaving = PRICES['nat-gateway-gb'].usd - PRICES['vpc-interface-endpoint-gb'].usd;
  const fixedNat = natGateways * h * (PRICES['nat-gateway-hour'].usd + PRICES['public-ipv4-hour'].usd);
  const fixedEndpoints = services.length * facts.azCount * h * PRICES['vpc-interface-endpoint-az-hour'].usd;
  const fixedOne = facts.azCount * h * PRICES['vpc-interface-endpoint-az-hour'].usd;
  return {
    environment,
    facts,
    baseGb,
    bedrockGb,
    natGateways,
    nat: { lines: nat, total: natTotal },
    endpointServices: services,
    endpoints: { lines: endpoints, total: endpointsTotal },
    difference: endpointsTotal - natTotal,
    breakEvenGb: fixedEndpoints > fixedNat ? (fixedEndpoints - fixedNat) / perGbSaving : undefined,
    perEndpoint: services.map((s) => ({ service: s.service, fixedUsd: fixedOne, breakEvenGb: fixedOne / perGbSaving })),
  };
}

/** The comparison of each estimate that carries network facts. */
export function compareEstimates(estimates: readonly EnvironmentEstimate[]): EgressComparison[] {
  return estimates.flatMap((e) => (e.network ? [compareEgress(e.environment, e.network, e.assumptions)] : []));
}

const money = (n: number) => `$${n.toFixed(2)}`;
const gbText = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(2));

/** The text section `npm run cost` prints after the estimate. */
export function egressText(comparisons: readonly EgressComparison[]): string {
  const out: string[] = ['== NAT gateway or interface endpoints (networking.egress), at the assumed traffic; docs/cost.md#nat-gateway-or-interface-endpoints'];
  for (const c of comparisons) {
    const mode = c.facts.natGateways > 0 ? `nat, ${c.facts.natGateways} NAT gateway(s)` : `endpoints (${c.facts.interfaceEndpoints.join(', ')})`;
    out.push(
      `-- ${c.environment}: synthesized ${mode}; S3 gateway endpoint ${c.facts.s3GatewayEndpoint ? 'yes (free)' : 'no'}; ${c.facts.azCount} AZs; ` +
        `AWS API traffic ${gbText(c.baseGb + c.bedrockGb)} GB/month (base ${gbText(c.baseGb)} + Bedrock ${gbText(c.bedrockGb)})`,
    );
    for (const [name, path] of [['NAT path', c.nat], ['endpoints path', c.endpoints]] as const) {
      out.push(`  ${name}: ${money(path.total)}/month`);
      for (const l of path.lines) out.push(`    ${l.item}: ${gbText(l.quantity)} x $${l.unitUsd} = ${money(l.monthlyUsd)}`);
    }
    out.push(`    endpoints: ${c.endpointServices.map((s) => s.service).join(', ')} (+ the S3 gateway endpoint, free)`);
    out.push(
      `  difference: the endpoints path costs ${money(Math.abs(c.difference))}/month ${c.difference >= 0 ? 'more' : 'less'}` +
        (c.breakEvenGb !== undefined ? `; it becomes the cheaper one above ${gbText(c.breakEvenGb)} GB/month of AWS API traffic` : ''),
    );
    const one = c.perEndpoint[0];
    if (one) {
      out.push(`  one endpoint beside the NAT (e.g. bedrock-runtime): ${money(one.fixedUsd)}/month fixed; pays for itself above ${gbText(one.breakEvenGb)} GB/month of its own traffic`);
    }
  }
  return `${out.join('\n')}\n`;
}
