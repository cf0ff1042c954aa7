/**
 * The project version: semantic, recorded in CHANGELOG.md, and carried by every synthesized stack as an output so
 * that a plan or a state traces to a release (docs/contributing.md#versions-and-releases).
 */
import { mkdtempSync, readFileSync, readdirSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfig } from '../config';
import { buildApp } from '../main';
import { VERSION_OUTPUT, projectVersion } from '../stacks/base-stack';

const ROOT = path.join(__dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { version: string; packages: Record<string, { version?: string }> };
const backend = { bucket: 'state-bucket', region: 'us-east-1', encrypt: true, dynamodbTable: 'lock', useLockfile: true };

describe('the project version', () => {
  test('is a semantic version, the same in package.json and package-lock.json', () => {
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    expect(projectVersion()).toBe(pkg.version);
    expect([lock.version, lock.packages[''].version]).toEqual([pkg.version, pkg.version]);
  });

  test('CHANGELOG.md has a dated section for it, below [Unreleased], newest first', () => {
    const changelog = readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
    const sections = [...changelog.matchAll(/^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$/gm)].map((m) => [m[1], m[2]]);
    expect(sections[0]).toEqual(['Unreleased', undefined]);
    expect(sections[1]).toEqual([pkg.version, expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)]);
    const dates = sections.slice(1).map((s) => s[1]!);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  test.each([
    ['dev', {}],
    ['prod', { observability: { alarmEmails: ['oncall@example.com'] } }],
    ['dev', { edge: { enabled: true } }],
    ['dev', { state: { kind: 'cloud', organization: 'acme' }, gateway: { image: { mode: 'prebuilt', uri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/x@sha256:' + 'a'.repeat(64) } } }],
  ])('every stack of %s %j outputs it (not a tag: no resource changes at a release)', (environment, overrides) => {
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'version-'));
    buildApp({ config: loadConfig({ environment, overrides }), backend, outdir }).synth();
    const stacks = readdirSync(path.join(outdir, 'stacks'));
    expect(stacks.length).toBeGreaterThanOrEqual(4);
    for (const stack of stacks) {
      const text = readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8');
      const json = JSON.parse(text);
      expect([stack, json.output?.[VERSION_OUTPUT]?.value]).toEqual([stack, pkg.version]);
      // Only the output carries it: no tag, name or argument of a resource does.
      expect([stack, text.split(`"${pkg.version}"`).length - 1]).toEqual([stack, 1]);
    }
  });
});
