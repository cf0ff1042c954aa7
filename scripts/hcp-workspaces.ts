/**
 * `npm run hcp-workspaces` (tsc && node dist/scripts/hcp-workspaces.js): for the configuration selected by
 * GATEWAY_ENV / GATEWAY_CONFIG_FILE (state.kind "cloud"), synthesizes the app into a temporary directory and prints
 * the HCP Terraform workspaces to create: name, working directory, the workspaces each one must share its state
 * with, and its run triggers. Everything is derived from the synthesized output (modules/runners/hcp-workspaces.ts).
 *
 *   --outdir <dir>   where the synthesized output is committed, relative to the repository root
 *                    (default: CDKTF_OUTDIR, else cdktf.out); the working directories are <dir>/stacks/<stack>
 *   --json           print the plan as JSON instead of text
 *   --write <file>   also write the plan as JSON to <file>
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AppConfig, loadConfigFromEnv } from '../config';
import { buildApp } from '../main';
import { HcpWorkspacePlan, hcpWorkspacePlan, readSynthesizedStacks, renderHcpWorkspacePlan } from '../modules/runners';

export function workspacePlanFor(config: AppConfig, outdirFromRoot: string): HcpWorkspacePlan {
  if (config.state.kind !== 'cloud') {
    throw new Error(
      `state.kind is ${JSON.stringify(config.state.kind)} for environment ${JSON.stringify(config.environment)}; allowed here: "cloud" ` +
        '(set state.kind "cloud" and state.organization in the GATEWAY_CONFIG_FILE; S3 mode needs no workspaces)',
    );
  }
  if (path.isAbsolute(outdirFromRoot) || outdirFromRoot.split(/[\\/]/).includes('..')) {
    throw new Error(`--outdir ${JSON.stringify(outdirFromRoot)}; allowed: a directory inside the repository, relative to its root`);
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'hcp-workspaces-'));
  try {
    buildApp({ config, outdir: tmp }).synth();
    return hcpWorkspacePlan(readSynthesizedStacks(tmp), { outdirFromRoot });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}

function main(args: string[]): number {
  const known = new Set(['--outdir', '--json', '--write']);
  args.forEach((a, i) => {
    if (a.startsWith('--') && !known.has(a)) throw new Error(`unknown option ${a}; allowed: ${[...known].join(', ')}`);
    if (!a.startsWith('--') && !['--outdir', '--write'].includes(args[i - 1] ?? '')) throw new Error(`unexpected argument ${JSON.stringify(a)}`);
  });
  const outdir = argValue(args, '--outdir') ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const plan = workspacePlanFor(loadConfigFromEnv(), outdir);
  const json = `${JSON.stringify(plan, null, 2)}\n`;
  const file = argValue(args, '--write');
  if (file) writeFileSync(file, json);
  process.stdout.write(args.includes('--json') ? json : renderHcpWorkspacePlan(plan));
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
