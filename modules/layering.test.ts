import { readFileSync, readdirSync, statSync } from 'fs';
import * as path from 'path';

/** Every .ts file under modules/, tests included: a test importing stacks/ would hide the same coupling. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

const MODULES = __dirname;
const STACKS = path.resolve(MODULES, '..', 'stacks');

/** Module specifiers of static imports, re-exports, dynamic imports and require calls. */
export function importSpecifiers(source: string): string[] {
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s+['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g];
  return patterns.flatMap((p) => [...source.matchAll(p)].map((m) => m[1]));
}

describe('layering: modules/ imports nothing from stacks/', () => {
  test('the scanner sees imports, re-exports, dynamic imports and require', () => {
    const specs = importSpecifiers(`import { a } from '../stacks/x';\nexport * from "../../stacks/y";\nconst z = require('../stacks/z');\nimport('../stacks/w');`);
    expect(specs).toEqual(['../stacks/x', '../../stacks/y', '../stacks/w', '../stacks/z']);
  });

  test.each(tsFiles(MODULES).filter((f) => f !== __filename).map((f) => [path.relative(MODULES, f), f]))('%s', (_name, file) => {
    const offending = importSpecifiers(readFileSync(file, 'utf8'))
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => path.resolve(path.dirname(file), spec))
      .filter((target) => target === STACKS || target.startsWith(STACKS + path.sep));
    expect(offending).toEqual([]);
  });
});
