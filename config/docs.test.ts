/**
 * docs/configuration.md's field tables are what the field specs render (config/reference.ts): every field once, with
 * its type, its default in each environment and its one-line doc, in tables that render.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { appSpec } from './index';
import { FIELDS_BEGIN, FIELDS_END, documentedNodes, renderFieldTables, replaceFieldTables } from './reference';
import { FieldSpec, StringSpec } from './schema';

const DOC = readFileSync(path.join(__dirname, '..', 'docs', 'configuration.md'), 'utf8');
const TABLES = renderFieldTables();

/** Rows of the field tables: the tables whose header starts with `| field |`. */
function fieldRows(markdown: string): string[][] {
  const rows: string[][] = [];
  let columns = 0;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      columns = 0;
      continue;
    }
    const cells = line.replace(/\\\|/g, '\u0000').split('|').slice(1, -1).map((c) => c.trim());
    if (cells[0] === 'field') {
      columns = cells.length;
      continue;
    }
    if (columns === 0 || /^-+$/.test(cells[0])) continue;
    expect([line, cells.length]).toEqual([line, columns]);
    rows.push(cells);
  }
  return rows;
}

/** appSpec with one field's spec replaced. */
function withField(section: 'networking' | 'gateway', key: string, change: (spec: FieldSpec) => FieldSpec): FieldSpec {
  const sectionSpec = appSpec.fields[section];
  const fields = sectionSpec.fields as Record<string, FieldSpec>;
  return { ...appSpec, fields: { ...appSpec.fields, [section]: { ...sectionSpec, fields: { ...fields, [key]: change(fields[key]) } } } };
}

describe('docs/configuration.md', () => {
  test('its field tables are what the specs render (npm run docs -- --write)', () => {
    expect(DOC).toBe(replaceFieldTables(DOC, TABLES));
  });

  test('lists every configuration field once, with a type, a default and a meaning, in rows that render', () => {
    const rows = fieldRows(TABLES);
    const documented = rows.map((cells) => cells[0].replace(/^`|`$/g, ''));
    expect(documented).toEqual(documentedNodes().map((n) => n.path));
    expect(new Set(documented).size).toBe(documented.length);
    for (const [field, type, def, meaning] of rows) expect([field, type.length > 0, def.length > 0, meaning.length > 0]).toEqual([field, true, true, true]);
    const lines = TABLES.split('\n');
    lines.forEach((line, i) => {
      if (line.startsWith('| field |')) expect([lines[i - 1], lines[i + 1]]).toEqual(['', '|---|---|---|---|']);
    });
  });

  test('shows the defaults of each environment, apart where they differ, including derived ones', () => {
    const row = (field: string) => fieldRows(TABLES).find((cells) => cells[0] === `\`${field}\``)!;
    expect(row('networking.natGateways')[2]).toBe('dev `"single"`, prod `"per-az"`');
    expect(row('networking.azCount')[2]).toBe('`2`');
    expect(row('gateway.logGroupName')[2]).toBe('dev `"/document-processing/llm-gateway"`, prod `"/document-processing/prod/llm-gateway"`');
    expect(row('networking.existingVpc.vpcId')[2]).toBe('—');
  });

  // Defaults are read from loadConfig (the specs' defaults as applied, derived ones included), so a changed default
  // shows through the real specs only: the mutations recorded in docs/contributing.md#adding-a-configuration-field.
  test('a changed bound, allowed value or doc changes the rendering (so a stale document fails above)', () => {
    expect(renderFieldTables(withField('networking', 'azCount', (s) => ({ ...s, max: 9 })))).not.toBe(TABLES);
    expect(renderFieldTables(withField('networking', 'natGateways', (s) => ({ ...(s as StringSpec), allowed: ['single'] })))).not.toBe(TABLES);
    expect(renderFieldTables(withField('gateway', 'cpu', (s) => ({ ...s, doc: 'CPU' })))).not.toBe(TABLES);
  });

  test('a field without a doc cannot be rendered, and replacing needs both markers', () => {
    expect(() => renderFieldTables(withField('gateway', 'cpu', (s) => ({ ...s, doc: undefined })))).toThrow(/gateway\.cpu has no doc/);
    expect(() => replaceFieldTables('no markers', 'x')).toThrow(/config-fields:begin/);
    expect(replaceFieldTables(`a\n${FIELDS_BEGIN}\nold\n${FIELDS_END}\nb`, 'new')).toBe(`a\n${FIELDS_BEGIN}\n\nnew\n\n${FIELDS_END}\nb`);
  });
});
