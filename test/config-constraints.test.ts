/**
 * Every field's constraints and defaults, as the specs declare them, pinned in test/config-constraints.json (as
 * test/addresses.json pins the Terraform addresses): loosening a bound, dropping a pattern, an allowed value or a
 * `required`, or changing a default is a reviewed one-line diff of that file (`npm run docs -- --write`), never a
 * silent change. The engine that enforces each kind of constraint is tested in config/schema.test.ts, and the rules
 * across fields in the config/*.test.ts files.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { renderConstraints } from '../config/reference';

const PIN = path.join(__dirname, 'config-constraints.json');

describe('configuration constraints (test/config-constraints.json)', () => {
  const rendered = renderConstraints();

  test('every field keeps the constraints and defaults pinned', () => {
    const pinned = readFileSync(PIN, 'utf8');
    if (pinned !== rendered) {
      const was = new Set(pinned.split('\n'));
      const now = new Set(rendered.split('\n'));
      const diff = [...[...was].filter((l) => !now.has(l)).map((l) => `- ${l}`), ...[...now].filter((l) => !was.has(l)).map((l) => `+ ${l}`)];
      throw new Error(`${diff.join('\n')}\nThe field specs changed a constraint or a default: if that is deliberate, record it with \`npm run docs -- --write\`.`);
    }
  });

  test('the pin is JSON with one line per field, each holding its path, kind and (where set) its defaults per environment', () => {
    const table = JSON.parse(rendered) as Record<string, { kind: string; default?: Record<string, unknown> }>;
    expect(table['networking.azCount']).toEqual({ kind: 'number', integer: true, min: 2, max: 8, default: { dev: 2, prod: 2 } });
    expect(table['networking.natGateways'].default).toEqual({ dev: 'single', prod: 'per-az' });
    expect(table['agents[].name']).toMatchObject({ kind: 'string', pattern: expect.any(String) });
    expect(rendered.split('\n').length).toBe(Object.keys(table).length + 3);
  });
});
