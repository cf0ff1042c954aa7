import type { EnvironmentEstimate } from './estimate';
import { round } from './estimate';
import { FREE_TIER_NOTES, PRICE_REGION } from './prices';

export const BEDROCK_NOTE =
  'Bedrock tokens are not in the total: they depend on traffic. Estimate them from the dashboard (README.md, "What it costs").';

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
  out.push(BEDROCK_NOTE, ...FREE_TIER_NOTES.map((n) => `Note: ${n}`));
  return `${out.join('\n')}\n`;
}
