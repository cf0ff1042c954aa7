import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfig } from '../config';
import { buildApp, runByCdktfCli, synthesize } from '../main';

const ROOT = path.join(__dirname, '..');
const backend = { bucket: 'state-bucket', region: 'us-east-1', encrypt: true, dynamodbTable: 'lock', useLockfile: true };
const ON_CALL = { observability: { alarmEmails: ['oncall@example.com'] } };

describe('runByCdktfCli: the marker the cdktf CLI passes to the app', () => {
  test.each([
    ['the CLI context', { CDKTF_CONTEXT_JSON: '{"cdktfRelativeModules":[]}' }, true],
    ['no context (npm run synth)', {}, false],
    ['a context without the CLI key', { CDKTF_CONTEXT_JSON: '{"a":1}' }, false],
    ['an unreadable context', { CDKTF_CONTEXT_JSON: '{' }, false],
    ['only CDKTF_OUTDIR (a user sets it too)', { CDKTF_OUTDIR: '/tmp/x' }, false],
  ])('%s -> %s', (_label, env, expected) => {
    expect(runByCdktfCli(env)).toBe(expected);
  });

  test('under the CLI the app leaves other stacks\' folders for the CLI to remove', () => {
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'cli-marker-'));
    synthesize(buildApp({ config: loadConfig({ environment: 'prod', overrides: ON_CALL }), backend, outdir }), () => undefined, {});
    synthesize(buildApp({ config: loadConfig({ environment: 'dev' }), backend, outdir }), () => undefined, {
      CDKTF_CONTEXT_JSON: '{"cdktfRelativeModules":[]}',
    });
    expect(readdirSync(path.join(outdir, 'stacks'))).toEqual(expect.arrayContaining(['prod-database', 'dev-database']));
  });
});

describe('the cdktf CLI after another environment was synthesized', () => {
  // Slow (the CLI starts a second Node process with its own bundle): one test.
  test('prod by `npm run synth`, then `cdktf synth` of dev: succeeds and leaves exactly dev', () => {
    const entry = path.join(ROOT, 'dist', 'main.js');
    if (!existsSync(entry)) throw new Error('dist/main.js is missing: run `npm run build` (npm test does) first');
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'cli-after-prod-'));
    const configFile = path.join(outdir, 'prod.json');
    writeFileSync(configFile, JSON.stringify(ON_CALL));
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, CHECKPOINT_DISABLE: '1', CI: '1' };
    // GIVEN prod synthesized the way the README says (npm run synth = node dist/main.js)
    const prod = spawnSync(process.execPath, [entry], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...env, GATEWAY_ENV: 'prod', GATEWAY_CONFIG_FILE: configFile, CDKTF_OUTDIR: outdir },
    });
    expect(prod.stderr).toBe('');
    expect(readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(['bootstrap', 'prod-database', 'prod-gateway', 'prod-networking', 'prod-observability']);
    // WHEN the CLI synthesizes dev into the same directory (the app command without its tsc step: dist is built)
    const cli = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'cdktf'), ['synth', '--app', `node ${entry}`, '--output', outdir], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...env, GATEWAY_ENV: 'dev' },
      timeout: 240_000,
    });
    // THEN it succeeds (before: "ENOENT: no such file or directory, lstat '.../stacks/prod-database'")
    expect(`${cli.stdout}${cli.stderr}`).not.toContain('ENOENT');
    expect(cli.status).toBe(0);
    expect(readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(['bootstrap', 'dev-database', 'dev-gateway', 'dev-networking', 'dev-observability']);
    const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks).sort()).toEqual(['bootstrap', 'dev-database', 'dev-gateway', 'dev-networking', 'dev-observability']);
  }, 300_000);
});
