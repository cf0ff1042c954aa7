import type { CostLine, EnvironmentEstimate } from './estimate';
import { round } from './estimate';
import { FREE_TIER_NOTES, PRICE_REGION } from './prices';
import type { TrafficLine } from './traffic';

export const BEDROCK_NOTE =
  'Bedrock tokens are not in the total: they are priced per model on their own lines, at the assumed tokens per request; ' +
  'measure yours on the dashboard (docs/cost.md, "Bedrock tokens").';

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
          fixed: e.fixed,
          perMillionRequests: round(e.traffic.perMillionUsd),
          lines: e.lines.map((l) => ({ ...l, quantity: round(l.quantity, 4), unitUsd: round(l.unitUsd, 6), monthlyUsd: round(l.monthlyUsd, 4) })),
          traffic: {
            requestsPerMonth: e.traffic.requestsPerMonth,
            perMillionUsd: round(e.traffic.perMillionUsd, 4),
            monthlyUsd: round(e.traffic.monthlyUsd, 4),
            lines: e.traffic.lines.map((l) => ({
              ...l,
              perMillion: round(l.perMillion, 4),
              unitUsd: round(l.unitUsd, 6),
              perMillionUsd: round(l.perMillionUsd, 4),
              includedRequests: Math.round(l.includedRequests),
              monthlyUsd: round(l.monthlyUsd, 4),
            })),
            bedrock: {
              lines: e.traffic.bedrock.lines.map((l) => ({ ...l, perMillionUsd: round(l.perMillionUsd, 2), monthlyUsd: round(l.monthlyUsd, 2) })),
              unpriced: e.traffic.bedrock.unpriced,
            },
            notes: e.traffic.notes,
          },
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

/** Bedrock's figures run to thousands: with separators. */
function bigMoney(n: number): string {
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function millions(n: number): string {
  const m = n / 1e6;
  return m >= 10 ? m.toFixed(0) : m >= 0.1 ? m.toFixed(1) : m.toFixed(2);
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
    rows.push(['', 'fixed (0 requests)', '', '', '', '', money(e.fixed)]);
    out.push(table(rows, new Set([3, 5, 6])));
    out.push('', ...trafficText(e), '');
    out.push(`assumptions: ${assumptionsText(e)}`);
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

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Every assumption as key=value, the way --assume takes it. */
export function assumptionsText(e: EnvironmentEstimate): string {
  return Object.entries(e.assumptions)
    .map(([k, v]) => (typeof v === 'object' ? Object.entries(v as object).map(([sub, x]) => `${k}.${sub}=${x}`).join(' ') : `${k}=${v}`))
    .join(' ');
}

/** The traffic table (per million requests, and at the assumed requests), its totals, and Bedrock per model. */
function trafficText(e: EnvironmentEstimate): string[] {
  const t = e.traffic;
  const rows = [['stack', 'resource', 'item', 'per 1M requests', 'unit', 'unit price', 'per 1M', 'above (requests/month)', `at ${count(t.requestsPerMonth)}`]];
  for (const l of t.lines) {
    rows.push([l.stack, l.address, l.item, quantity(l.perMillion), l.unit, `$${round(l.unitUsd, 6)}`, money(l.perMillionUsd), l.includedRequests > 0 ? count(l.includedRequests) : '0', money(l.monthlyUsd)]);
  }
  rows.push(['', 'traffic', '', '', '', '', money(t.perMillionUsd), '', money(t.monthlyUsd)]);
  const out = [`-- traffic: what requests add (per million requests a month, and at the assumed ${count(t.requestsPerMonth)})`, table(rows, new Set([3, 5, 6, 7, 8]))];
  out.push(`fixed ${money(e.fixed)} + traffic ${money(t.monthlyUsd)} = total ${money(e.total)} a month at ${count(t.requestsPerMonth)} requests; each further million requests ${money(t.perMillionUsd)} (above the floors)`);
  out.push(...t.notes.map((n) => `Note: ${n}`));
  out.push(`-- Bedrock tokens (not in the total), per million requests all to one model, at ${e.assumptions.bedrockInputTokensPerRequest} input + ${e.assumptions.bedrockOutputTokensPerRequest} output tokens a request:`);
  for (const b of t.bedrock.lines) {
    out.push(`  ${b.model}: $${b.inputUsdPerMillionTokens} / $${b.outputUsdPerMillionTokens} per million input / output tokens -> ${bigMoney(b.perMillionUsd)} per million requests (${bigMoney(b.monthlyUsd)} at ${count(t.requestsPerMonth)})`);
  }
  for (const m of t.bedrock.unpriced) out.push(`  ${m}: no token price in scripts/cost/prices.ts (BEDROCK_TOKEN_PRICES): unpriced`);
  return out;
}

/** Groups of traffic lines for the summary, by the resource type that bills them. */
const TRAFFIC_CATEGORIES: ReadonlyArray<[string, (l: TrafficLine) => boolean]> = [
  ['ECS Fargate tasks added above the floor', (l) => l.address.startsWith('aws_ecs_service.')],
  ['Aurora (spend-log rows: storage, I/O)', (l) => l.address.startsWith('aws_rds_cluster.')],
  ['ALB (LCU-hours above the floor)', (l) => l.address.startsWith('aws_lb.')],
  ['NAT gateways (GB processed)', (l) => l.address.startsWith('aws_nat_gateway.')],
  ['CloudWatch Logs (ingestion, storage)', (l) => l.address.startsWith('aws_cloudwatch_log_group.')],
  ['WAF (requests)', (l) => l.address.startsWith('aws_wafv2_web_acl.')],
  ['CloudFront (requests, bytes)', (l) => l.address.startsWith('aws_cloudfront_distribution.')],
];

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
  ['WAF (web ACL, rules)', (l) => l.address.startsWith('aws_wafv2_web_acl.')],
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
  rows.push(`| **fixed (0 requests)** | ${estimates.map((e) => `**${money(e.fixed)}**`).join(' | ')} |`);
  rows.push(`| *per million requests a month:* | ${estimates.map(() => '').join(' | ')} |`);
  const placedTraffic = new Set<TrafficLine>();
  for (const [name, match] of TRAFFIC_CATEGORIES) {
    const cells = estimates.map((e) => {
      const lines = e.traffic.lines.filter((l) => match(l) && !placedTraffic.has(l));
      lines.forEach((l) => placedTraffic.add(l));
      if (lines.length === 0) return '-';
      const above = Math.max(...lines.map((l) => l.includedRequests));
      return money(lines.reduce((s, l) => s + l.perMillionUsd, 0)) + (above > 0 ? ` (above ${millions(above)} M)` : '');
    });
    if (cells.some((v) => v !== '-')) rows.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  const otherTraffic = estimates.map((e) => e.traffic.lines.filter((l) => !placedTraffic.has(l)));
  if (otherTraffic.some((o) => o.length > 0)) rows.push(`| other traffic | ${otherTraffic.map((o) => money(o.reduce((s, l) => s + l.perMillionUsd, 0))).join(' | ')} |`);
  rows.push(`| **per million requests** | ${estimates.map((e) => `**${money(e.traffic.perMillionUsd)}**`).join(' | ')} |`);
  rows.push(`| requests a month assumed | ${estimates.map((e) => count(e.traffic.requestsPerMonth)).join(' | ')} |`);
  rows.push(`| **total** (fixed + traffic at the requests assumed) | ${estimates.map((e) => `**${money(e.total)}**`).join(' | ')} |`);
  rows.push(`| unpriced (not in the total) | ${estimates.map((e) => String(e.unpriced.length)).join(' | ')} |`);
  const models = [...new Set(estimates.flatMap((e) => e.traffic.bedrock.lines.map((b) => b.model)))].sort();
  if (models.length > 0) {
    const a = estimates[0].assumptions;
    rows.push(`| *Bedrock, not in the total: per million requests to one model (${count(a.bedrockInputTokensPerRequest)} input + ${count(a.bedrockOutputTokensPerRequest)} output tokens each):* | ${estimates.map(() => '').join(' | ')} |`);
    for (const model of models) {
      rows.push(`| ${model} | ${estimates.map((e) => {
        const b = e.traffic.bedrock.lines.find((x) => x.model === model);
        return b ? bigMoney(b.perMillionUsd) : '-';
      }).join(' | ')} |`);
    }
  }
  return `${[header, rule, ...rows].join('\n')}\n`;
}
