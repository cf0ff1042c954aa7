import { readFileSync } from 'fs';
import { RUNBOOK } from '../modules/observability/alarms';
import { RUNBOOK_BEGIN, RUNBOOK_END, renderRunbookTable, replaceRunbookTable } from '../modules/observability/runbook';
import { RUNBOOK_PATH, renderedRunbook, runbookVariants } from '../scripts/runbook';

const document = readFileSync(RUNBOOK_PATH, 'utf8');
const variants = runbookVariants();

describe('docs/runbook.md and the alarm table (modules/observability/alarms.ts)', () => {
  test('the document is what the alarm table renders (npm run runbook -- --write)', () => {
    expect(document).toBe(renderedRunbook(document));
  });

  test('every alarm of dev and prod (with a guardrail) links a row of the runbook that exists', () => {
    const anchors = new Set([...document.matchAll(/<a id="([a-z0-9-]+)"><\/a>/g)].map((m) => m[1]));
    const alarms = variants.flatMap((v) => v.alarms);
    expect(alarms.length).toBeGreaterThan(20);
    for (const a of alarms) expect(anchors).toContain(a.runbook);
    expect(alarms.map((a) => a.key)).toContain('guardrail-interventions');
  });

  test('a changed threshold, reason or runbook text changes the rendered table (so a stale document fails above)', () => {
    const table = renderRunbookTable(variants);
    const changed = variants.map((v) => ({ ...v, alarms: v.alarms.map((a) => (a.key === 'cpu-high' ? { ...a, description: a.description.replace('85', '90') } : a)) }));
    expect(renderRunbookTable(changed)).not.toBe(table);
    const reason = variants.map((v) => ({ ...v, alarms: v.alarms.map((a) => (a.key === 'alb-5xx' ? { ...a, missingData: { ...a.missingData, treat: 'breaching' as const } } : a)) }));
    expect(renderRunbookTable(reason)).not.toBe(table);
  });

  test('every runbook entry is used by some alarm, and a table cell never breaks the Markdown row', () => {
    const used = new Set(variants.flatMap((v) => v.alarms.map((a) => a.runbook)));
    expect(Object.keys(RUNBOOK).filter((k) => !used.has(k))).toEqual([]);
    const rows = renderRunbookTable(variants).split('\n');
    // Unescaped pipes would add columns: every row has exactly the header's 5 cells.
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(5);
  });

  test('replacing needs both markers', () => {
    expect(() => replaceRunbookTable('no markers here', 'x')).toThrow(/no <!-- runbook:begin/);
    expect(replaceRunbookTable(`a\n${RUNBOOK_BEGIN}\nold\n${RUNBOOK_END}\nb`, 'new')).toBe(`a\n${RUNBOOK_BEGIN}\nnew\n${RUNBOOK_END}\nb`);
  });
});
