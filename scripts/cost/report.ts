import type { CostLine, EnvironmentEstimate } from './estimate';
import { round } from './estimate';
import { FREE_TIER_NOTES, PRICE_REGION } from './prices';

export const BEDROCK_NOTE =
  'Bedrock tokens are not in the total: they depend on traffic. Estimate them from the dashboard (README.md, "What it costs").';

/**
 * The two Bedrock spend numbers an operator sees, and how they meet (docs/cost.md#two-numbers-the-estimate-now-the-bill-tomorrow).
 */
export const SPEND_NOTES: readonly string[] = [
  "Bedrock spend has two numbers. (1) LiteLLM's estimate per agent, now: its price map x the tokens it counted " +
    '(response_cost of the metric line; dashboard "Cost by model and key_alias", LiteLLM /spend/logs); it is what LiteLLM budgets enforce.',
  '(2) The bill, tomorrow: Cost Explorer / AWS Budgets, service "Amazon Bedrock", a day late; one line for the gateway ' +
    "(one task role), so per agent = the bill x the agent's share of (1) for the same day.",
  "Reconcile per day: bill / sum of (1) near 1 is healthy; tokens that disagree page as token-drift-<model>; tokens " +
    'that agree with dollars that do not mean prices (price map, prompt caching). docs/cost.md#two-numbers-the-estimate-now-the-bill-tomorrow',
];

/** The `--json` document: `{ environments: { <env>: { total, lines, unpriced, ... } } }`. */
export function toJson(estimates: readonly EnvironmentEstimate[]): Record<string, unknown> {
  return {
    region: PRICE_REGION,
    currency: 'USD',
    period: 'month',
    environments: Object.fromEntries(
      estimates.map((e) => [
        e.environment,
        {
          total: e.total,
          lines: e.lines.map((l) => ({ ...l, quantity: round(l.quantity, 4), unitUsd: round(l.unitUsd, 6), monthlyUsd: round(l.monthlyUsd, 4) })),
          unpriced: e.unpriced,
          free: e.free,
          assumptions: e.assumptions,
        },
      ]),
    ),
    excluded: BEDROCK_NOTE,
    spend: SPEND_NOTES,
    notes: FREE_TIER_NOTES,
  };
}

function money(n: number): string {
  return `$${n.toFixed(2)}`;
}

function quantity(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return n >= 100 ? n.toFixed(1) : n.toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
}

function table(rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

/** One table per environment (resource, item, quantity, unit price, monthly), the total, then what is not in it. */
export function toText(estimates: readonly EnvironmentEstimate[], options: { sources?: boolean } = {}): string {
  const out: string[] = [];
  for (const e of estimates) {
    out.push(`== ${e.environment} (${PRICE_REGION}, USD per month, ${e.assumptions.hoursPerMonth} h, ${e.assumptions.requestsPerMonth} requests)`);
    const rows = [['stack', 'resource', 'item', 'quantity', 'unit', 'unit price', 'monthly']];
    for (const l of e.lines) {
      rows.push([l.stack, l.address, l.item, quantity(l.quantity), l.unit, `$${round(l.unitUsd, 6)}`, money(l.monthlyUsd)]);
    }
    rows.push(['', 'total', '', '', '', '', money(e.total)]);
    out.push(table(rows, new Set([3, 5, 6])));
    if (e.unpriced.length > 0) {
      out.push(`unpriced (NOT in the total): ${e.unpriced.length}`);
      for (const u of e.unpriced) out.push(`  - ${u.stack} ${u.address}: ${u.reason}`);
    } else {
      out.push('unpriced: none');
    }
    out.push(`free: ${e.free.map((f) => `${f.type} x${f.count}`).join(', ')}`);
    out.push('');
  }
  if (options.sources) {
    const sources = new Map<string, string>();
    for (const e of estimates) for (const l of e.lines) sources.set(`${l.unit} ${l.source}`, `${l.item}: $${round(l.unitUsd, 6)} per ${l.unit}; ${l.source}`);
    out.push('price sources:', ...[...sources.values()].sort().map((s) => `  - ${s}`), '');
  }
  out.push(BEDROCK_NOTE, ...SPEND_NOTES, ...FREE_TIER_NOTES.map((n) => `Note: ${n}`));
  return `${out.join('\n')}\n`;
}

/** Groups of lines for the summary, by the resource type that bills them. */
const CATEGORIES: ReadonlyArray<[string, (l: CostLine) => boolean]> = [
  ['ECS Fargate tasks', (l) => l.address.startsWith('aws_ecs_service.')],
  ['Aurora Serverless v2 (ACU, storage, I/O)', (l) => l.address.startsWith('aws_rds_cluster') && l.item !== 'RDS-managed master secret'],
  ['ALB (hours, LCU)', (l) => l.address.startsWith('aws_lb.')],
  ['NAT gateways (hours, GB)', (l) => l.address.startsWith('aws_nat_gateway.')],
  ['Public IPv4 (NAT addresses)', (l) => l.address.startsWith('aws_eip.')],
  ['VPC interface endpoints (AZ-hours, GB)', (l) => l.address.startsWith('aws_vpc_endpoint.')],
  ['ElastiCache (Valkey)', (l) => l.address.startsWith('aws_elasticache_')],
  ['CloudWatch Logs (ingestion, storage)', (l) => l.address.startsWith('aws_cloudwatch_log_group.')],
  ['CloudWatch custom metrics (metric filters)', (l) => l.address.startsWith('aws_cloudwatch_log_metric_filter.')],
  ['CloudWatch alarms', (l) => l.address.startsWith('aws_cloudwatch_metric_alarm.')],
  ['CloudWatch dashboard', (l) => l.address.startsWith('aws_cloudwatch_dashboard.')],
  ['Container Insights', (l) => l.address.startsWith('aws_ecs_cluster.')],
  ['Secrets Manager', (l) => l.address.startsWith('aws_secretsmanager_secret.') || l.item === 'RDS-managed master secret'],
  ['KMS keys', (l) => l.address.startsWith('aws_kms_key.')],
  ['Route 53 private zone', (l) => l.address.startsWith('aws_route53_zone.')],
  ['ECR storage', (l) => l.address.startsWith('aws_ecr_repository.')],
];

/** A Markdown table of the environments side by side, by category (`--summary`): what the README shows. */
export function toSummary(estimates: readonly EnvironmentEstimate[]): string {
  const header = `| resource | ${estimates.map((e) => e.environment).join(' | ')} |`;
  const rule = `|---|${estimates.map(() => '---:').join('|')}|`;
  const rows: string[] = [];
  const placed = new Set<CostLine>();
  for (const [name, match] of CATEGORIES) {
    const sums = estimates.map((e) => {
      const lines = e.lines.filter((l) => match(l) && !placed.has(l));
      lines.forEach((l) => placed.add(l));
      return lines.length > 0 ? money(lines.reduce((s, l) => s + l.monthlyUsd, 0)) : '-';
    });
    if (sums.some((v) => v !== '-')) rows.push(`| ${name} | ${sums.join(' | ')} |`);
  }
  const other = estimates.map((e) => e.lines.filter((l) => !placed.has(l)));
  if (other.some((o) => o.length > 0)) rows.push(`| other | ${other.map((o) => money(o.reduce((s, l) => s + l.monthlyUsd, 0))).join(' | ')} |`);
  rows.push(`| **total** | ${estimates.map((e) => `**${money(e.total)}**`).join(' | ')} |`);
  rows.push(`| unpriced (not in the total) | ${estimates.map((e) => String(e.unpriced.length)).join(' | ')} |`);
  return `${[header, rule, ...rows].join('\n')}\n`;
}
