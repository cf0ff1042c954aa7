/**
 * `npm run cdktn-check`: does CDK Terrain (npm `cdktn`, the maintained fork of the archived cdktf) synthesize this
 * app to the same Terraform? It copies the repository's tracked files to a scratch directory, points the `cdktf`
 * dependency at `cdktn` through an npm alias (`"cdktf": "npm:cdktn@<version>"`, so no import changes) while keeping
 * `@cdktf/provider-aws` 20.1.0 (hashicorp/aws 5.100.0: CDK Terrain's own `@cdktn/provider-aws` starts at AWS 6.x),
 * installs from the npm registry, synthesizes dev and prod with both, and compares every stack's JSON
 * (scripts/lib/synth-compare.ts). Needs the npm registry; writes nothing in the repository.
 *
 * Result on 2026-12-07 (cdktn 0.24.0, constructs 10.6.0, Node 20.20.2): every stack of dev and prod identical except
 * the `//.metadata.version` each library writes. docs/runners.md#where-cdktf-stands.
 */
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_ON_CALL } from './lib/profiles';
import { compareSynth, writerVersions } from './lib/synth-compare';
import { PROJECT_ROOT } from './lib/terraform-env';

/** The versions tried; CDK Terrain's core peers on constructs >=10.6.0 <10.8.0. */
export const CDKTN_VERSION = '0.24.0';
export const CDKTN_CONSTRUCTS = '10.6.0';

/** package.json of the scratch copy: the cdktf core (and CLI) replaced by CDK Terrain's under the same names. */
export function cdktnPackageJson(pkg: { dependencies: Record<string, string>; devDependencies: Record<string, string> }): typeof pkg {
  return {
    ...pkg,
    dependencies: { ...pkg.dependencies, cdktf: `npm:cdktn@${CDKTN_VERSION}`, constructs: CDKTN_CONSTRUCTS },
    devDependencies: { ...pkg.devDependencies, 'cdktf-cli': `npm:cdktn-cli@${CDKTN_VERSION}` },
  };
}

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const res = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${(res.stderr || res.stdout || res.error?.message || '').trim().slice(-2000)}`);
  return res.stdout;
}

function main(): number {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'cdktn-check-'));
  const copy = path.join(scratch, 'app');
  mkdirSync(copy);
  // The tracked files of HEAD plus the working tree's changes to them: what a clone would hold.
  const files = sh('git', ['ls-files', '-z'], PROJECT_ROOT).split('\0').filter((f) => f && f !== 'node_modules');
  sh('tar', ['-cf', path.join(scratch, 'app.tar'), ...files], PROJECT_ROOT);
  sh('tar', ['-xf', path.join(scratch, 'app.tar'), '-C', copy], scratch);
  const pkgFile = path.join(copy, 'package.json');
  writeFileSync(pkgFile, JSON.stringify(cdktnPackageJson(JSON.parse(readFileSync(pkgFile, 'utf8'))), null, 2));
  console.log(`scratch copy ${copy}: cdktf -> npm:cdktn@${CDKTN_VERSION}, constructs ${CDKTN_CONSTRUCTS}; installing from the npm registry`);
  // @cdktf/provider-aws 20.1.0 declares a peer `cdktf ^0.21.0`; the alias satisfies the name, not the range.
  sh('npm', ['install', '--no-audit', '--no-fund', '--legacy-peer-deps', '--ignore-scripts'], copy);
  sh(path.join(copy, 'node_modules', '.bin', 'tsc'), [], copy);
  const configFile = path.join(scratch, 'on-call.json');
  writeFileSync(configFile, JSON.stringify(EXAMPLE_ON_CALL));

  let failures = 0;
  for (const env of ['dev', 'prod']) {
    const outs = { cdktf: path.join(scratch, `cdktf-${env}`), cdktn: path.join(scratch, `cdktn-${env}`) };
    for (const [lib, root] of [['cdktf', PROJECT_ROOT], ['cdktn', copy]] as const) {
      sh(process.execPath, [path.join(root, 'dist', 'main.js')], root, {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CHECKPOINT_DISABLE: '1',
        GATEWAY_ENV: env,
        GATEWAY_CONFIG_FILE: configFile,
        CDKTF_OUTDIR: outs[lib],
      });
    }
    const diff = compareSynth(outs.cdktf, outs.cdktn);
    const versions = [...new Set(Object.values(writerVersions(outs.cdktn)))].join(', ');
    if (diff.length === 0) console.log(`${env}: every stack identical to cdktf 0.21's (apart from //.metadata.version: ${versions})`);
    for (const d of diff) console.log(`${env}: ${d.stack} DIFFERS in ${d.keys.join(', ')}`);
    failures += diff.length;
  }
  return failures === 0 ? 0 : 1;
}

if (require.main === module) {
  try {
    process.exit(main());
  } catch (e) {
    process.stderr.write(`cdktn-check: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
