/**
 * docs/configuration.md documents every field of the specs (every leaf path: `agents[].name` for a field of each
 * array item, `a.*.b` for a field of each record value) and nothing else, in Markdown tables that render: each row
 * has the header's number of cells.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { appSpec } from './index';
import { specNodes } from './schema';

const DOC = readFileSync(path.join(__dirname, '..', 'docs', 'configuration.md'), 'utf8');

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

describe('docs/configuration.md', () => {
  const leaves = specNodes(appSpec)
    .filter((n) => n.path !== '' && n.spec.kind !== 'object' && !/(\[\]|\*)$/.test(n.path))
    .map((n) => n.path);

  test('lists every configuration field once, and no field the specs lack', () => {
    const documented = fieldRows(DOC).map((cells) => cells[0].replace(/^`|`$/g, ''));
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual([...leaves].sort());
  });

  test('gives every field a type, a default and a meaning', () => {
    for (const [field, type, def, meaning] of fieldRows(DOC)) {
      expect([field, type.length > 0, def.length > 0, meaning.length > 0]).toEqual([field, true, true, true]);
    }
  });

  test('starts each field table with its header and separator rows, so that it renders as a table', () => {
    const lines = DOC.split('\n');
    lines.forEach((line, i) => {
      if (line.startsWith('| field |')) {
        expect(lines[i - 1]).toBe('');
        expect(lines[i + 1]).toBe('|---|---|---|---|');
      }
    });
  });
});
