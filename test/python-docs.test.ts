/**
 * What the README and docs/contributing.md say about the Python tests: the number of tests of each run (counted
 * here from the test files) and the prerequisites of the migration-lock tests; terraform-backend.hcl's own comment.
 */
import { readFileSync, readdirSync } from 'fs';
import * as path from 'path';
import { markdownSection } from './helpers';

const ROOT = path.join(__dirname, '..');
const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');

/** `def test_...` methods of the test_*.py files of a directory: what `unittest discover` runs there. */
function countTests(dir: string): number {
  return readdirSync(path.join(ROOT, dir))
    .filter((f) => /^test_.*\.py$/.test(f))
    .reduce((n, f) => n + (read(path.join(dir, f)).match(/^\s+def test_\w+\(/gm) ?? []).length, 0);
}

const gatewayTests = countTests('gateway-image/tests');
const emulatorTests = countTests('scripts/emulator');

describe('Python test counts in the docs', () => {
  test('the README\'s test output shows the two runs with today\'s counts', () => {
    const ran = [...read('README.md').matchAll(/^Ran (\d+) tests in/gm)].map((m) => Number(m[1]));
    expect(ran).toEqual([gatewayTests, emulatorTests]);
  });

  test('docs/contributing.md states the same counts', () => {
    const step = /3\. `npm run test:python`[\s\S]*?\n4\./.exec(read('docs/contributing.md'))![0];
    expect([...step.matchAll(/\((?:[^()]*?; )?(\d+) tests/g)].map((m) => Number(m[1]))).toEqual([gatewayTests, emulatorTests]);
  });
});

describe('the migration-lock tests\' prerequisites', () => {
  const source = read('gateway-image/tests/test_migration_lock.py');

  test('the test file still needs the PostgreSQL server binaries and openssl', () => {
    expect(source).toMatch(/"initdb", "postgres"/);
    expect(source).toMatch(/shutil\.which\("openssl"\)/);
  });

  test('the README\'s prerequisites and docs/contributing.md name them', () => {
    const prerequisites = markdownSection(read('README.md'), 'Prerequisites');
    for (const needle of ['`initdb`', '`postgres`', '`openssl`', 'test_migration_lock.py', 'CI=true']) expect([needle, prerequisites.includes(needle)]).toEqual([needle, true]);
    const contributing = read('docs/contributing.md').replace(/\s+/g, ' ');
    expect(contributing).toMatch(/`initdb`, `postgres`\) and `openssl`/);
  });
});

describe('terraform-backend.hcl', () => {
  test('its comment does not tell plain Terraform users to pass it as -backend-config (the values are in each stack\'s JSON)', () => {
    const comments = read('terraform-backend.hcl').split('\n').filter((l) => l.startsWith('#')).join('\n');
    expect(comments).not.toMatch(/init -backend-config=/);
    expect(comments).toMatch(/needs no -backend-config/);
    // The README heading it points at exists.
    expect(comments).toContain('"First deploy: the state bucket"');
    expect(read('README.md')).toContain('\n### First deploy: the state bucket\n');
  });
});
