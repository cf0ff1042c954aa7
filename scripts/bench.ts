/**
 * Synth speed and memory of the app itself (not the cdktf CLI): runs `node dist/main.js` several times per
 * environment in a scratch directory and prints wall time and peak RSS. Budget: < 1 s and < 200 MB on 2 cores.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_ON_CALL } from './lib/profiles';
import { PROJECT_ROOT } from './lib/terraform-env';

const RUNS = Number(process.env.BENCH_RUNS || 5);
const BUDGET = { seconds: 1, megabytes: 200 };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

let failed = false;
for (const environment of ['dev', 'prod']) {
  const times: number[] = [];
  const rss: number[] = [];
  let stacks = 0;
  for (let i = 0; i < RUNS; i++) {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'bench-'));
    // Prod refuses an alarm topic nobody is subscribed to (config/observability.ts).
    writeFileSync(path.join(cwd, 'on-call.json'), JSON.stringify(EXAMPLE_ON_CALL));
    const start = process.hrtime.bigint();
    const res = spawnSync(process.execPath, ['-r', path.join(PROJECT_ROOT, 'scripts/lib/rss-on-exit.js'), path.join(PROJECT_ROOT, 'dist/main.js')], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, GATEWAY_ENV: environment, GATEWAY_CONFIG_FILE: path.join(cwd, 'on-call.json'), CHECKPOINT_DISABLE: '1' },
    });
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (res.status !== 0) {
      console.error(res.stderr);
      process.exit(1);
    }
    rss.push(Number(/BENCH_MAX_RSS_KB=(\d+)/.exec(res.stderr)?.[1] ?? NaN) / 1024);
    stacks = readdirSync(path.join(cwd, 'cdktf.out', 'stacks')).length;
    rmSync(cwd, { recursive: true, force: true });
  }
  const t = median(times);
  const m = Math.max(...rss);
  const ok = t < BUDGET.seconds && m < BUDGET.megabytes;
  failed ||= !ok;
  console.log(
    `${environment}: ${stacks} stacks, synth wall time median ${t.toFixed(3)} s (min ${Math.min(...times).toFixed(3)}, max ${Math.max(...times).toFixed(3)}, ${RUNS} runs), ` +
      `peak RSS ${m.toFixed(0)} MB — ${ok ? 'within' : 'OVER'} budget (${BUDGET.seconds} s, ${BUDGET.megabytes} MB)`,
  );
}
process.exitCode = failed ? 1 : 0;
