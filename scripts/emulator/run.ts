/**
 * Emulator tier (`npm run test:emulator`): every stack of each environment is created, re-planned and destroyed
 * against moto on 127.0.0.1, with the real hashicorp/aws provider and the S3 backend, so that what `terraform
 * validate` cannot show is checked: creation order, cross-stack references through remote state, and convergence
 * (a second plan with no changes). docs/emulator.md explains it; moto_launcher.py lists the emulator gaps patched.
 *
 * Per environment (in parallel, each with its own moto server): start moto → create fixture secrets → synthesize
 * the app in the emulator profile → write emulator_override.tf.json beside each stack → init/plan/apply each stack
 * in dependency order → plan -detailed-exitcode each stack (exit 2 = a perpetual diff = failure) → destroy in
 * reverse order → stop moto (always, by PID).
 *
 * Environment: EMULATOR_ENVIRONMENTS (default dev,prod), EMULATOR_PARALLEL (default 1: environments run
 * concurrently), EMULATOR_TIMEOUT_SECONDS (default 1800, the whole run), EMULATOR_PYTHON (default python3),
 * EMULATOR_SKIP_PATCHES (comma-separated moto_launcher.py patch names to leave out, to re-check them after a moto upgrade),
 * EMULATOR_WORK_DIR (default <tmp>/llm-gateway-emulator: synthesized stacks, state of the bootstrap stack and a log
 * of every command, per environment), TERRAFORM_BINARY, TF_PROVIDER_MIRROR.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfig } from '../../config';
import { buildApp } from '../../main';
import { loadBackendConfig } from '../../modules/remote-state';
import { TerraformBinary, findTerraform, writeCliConfig } from '../lib/terraform-env';
import { MotoServer, checkMoto, pythonDir, startMoto } from './moto';
import { EMULATOR_CREDENTIALS, OVERRIDE_FILE, SynthesizedStack, emulatorOverride } from './overrides';
import { exec, ExecResult } from './process';
import { holdsStateBucket, planDiff, protectedResources } from './inspect';
import { FixtureSecrets, Manifest, emulatorOverrides, orderStacks } from './profile';

const ENVIRONMENTS = (process.env.EMULATOR_ENVIRONMENTS || 'dev,prod').split(',').map((e) => e.trim()).filter(Boolean);
const PARALLEL = (process.env.EMULATOR_PARALLEL ?? '1') !== '0';
const TOTAL_SECONDS = Number(process.env.EMULATOR_TIMEOUT_SECONDS || 1800);
const PYTHON = process.env.EMULATOR_PYTHON || 'python3';
const SKIP_PATCHES = (process.env.EMULATOR_SKIP_PATCHES || '').split(',').map((p) => p.trim()).filter(Boolean);
// Outside cdktf.out, which any `npm run synth` wipes, and outside the repository (nothing to ignore or commit).
const WORK = process.env.EMULATOR_WORK_DIR || path.join(os.tmpdir(), 'llm-gateway-emulator');
const PARALLELISM = '-parallelism=20';

/** Per-command limits: generous against the timings in docs/emulator.md, short enough to end a hang. */
const TIMEOUTS_MS = { init: 180_000, plan: 600_000, apply: 900_000, state: 120_000, destroy: 900_000, fixtures: 60_000 };

interface StackRow {
  env: string;
  stack: string;
  resources?: number;
  secondPlan: string;
  seconds: { plan?: number; apply?: number; replan?: number; destroy?: number };
  failures: string[];
}

const deadline = Date.now() + TOTAL_SECONDS * 1000;
const REPLAN_CONCURRENCY = Math.max(1, Math.floor(os.cpus().length / (PARALLEL ? ENVIRONMENTS.length : 1)));

/** Runs `fn` over `items` with at most `limit` at a time. */
async function inPool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, worker));
}

function remainingMs(limitMs: number): number {
  const left = deadline - Date.now();
  if (left <= 0) throw new Error(`EMULATOR_TIMEOUT_SECONDS=${TOTAL_SECONDS} reached`);
  return Math.min(limitMs, left);
}

/** Terraform's environment: the generated CLI config, and AWS settings that can only ever reach the emulator. */
function terraformEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (!k.startsWith('AWS_')) env[k] = v;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKey,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretKey,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

// `terraform init` of parallel environments share the plugin cache; one at a time avoids cache races.
let initQueue: Promise<unknown> = Promise.resolve();
function serialized<T>(fn: () => Promise<T>): Promise<T> {
  const next = initQueue.then(fn, fn);
  initQueue = next.catch(() => undefined);
  return next;
}

class Environment {
  readonly dir: string;
  readonly rows = new Map<string, StackRow>();
  private step = 0;
  private readonly lines: string[] = [];

  constructor(
    readonly name: string,
    private readonly tf: TerraformBinary,
    private readonly tfEnv: NodeJS.ProcessEnv,
  ) {
    this.dir = path.join(WORK, name);
  }

  log(message: string): void {
    const line = `[${this.name}] ${message}`;
    this.lines.push(line);
    console.log(line);
  }

  fail(stack: string, message: string): void {
    this.row(stack).failures.push(message);
    this.log(`FAIL ${stack}: ${message}`);
  }

  row(stack: string): StackRow {
    let row = this.rows.get(stack);
    if (!row) {
      row = { env: this.name, stack, secondPlan: '-', seconds: {}, failures: [] };
      this.rows.set(stack, row);
    }
    return row;
  }

  /** Runs terraform, keeps its full output in logs/, and shows the tail when it fails. */
  async terraform(stack: string, stackDir: string, step: string, args: string[], timeoutMs: number, okStatuses = [0]): Promise<ExecResult> {
    const run = () => exec(this.tf.path, [...args, '-no-color'], { cwd: stackDir, env: this.tfEnv, timeoutMs: remainingMs(timeoutMs) });
    const result = step === 'init' ? await serialized(run) : await run();
    this.step += 1;
    const logFile = path.join(this.dir, 'logs', `${String(this.step).padStart(2, '0')}-${stack}-${step}.log`);
    writeFileSync(logFile, `$ terraform ${args.join(' ')}\n(exit ${result.status}, ${result.seconds.toFixed(1)} s)\n\n${result.stdout}\n--- stderr ---\n${result.stderr}`);
    if (result.status === null || !okStatuses.includes(result.status)) {
      const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-40).join('\n');
      this.log(`terraform ${step} in ${stack} exited ${result.status ?? 'by signal'} after ${result.seconds.toFixed(1)} s; full log ${logFile}\n${tail}`);
    }
    return result;
  }

  /** Runs a fixtures.py command against the emulator and returns its JSON answer. */
  async fixtures<T>(endpoint: string, region: string, args: string[]): Promise<T> {
    const res = await exec(PYTHON, [path.join(pythonDir(), 'fixtures.py'), '--endpoint', endpoint, '--region', region, ...args], {
      env: terraformEnv(process.env),
      timeoutMs: remainingMs(TIMEOUTS_MS.fixtures),
    });
    if (res.status !== 0) throw new Error(`fixtures.py ${args[0]} failed (exit ${res.status}):\n${res.stderr}`);
    return JSON.parse(res.stdout.trim().split('\n').pop() ?? '') as T;
  }

  /** Synthesizes the app into `outdir` and writes the emulator override beside every stack. */
  synth(outdir: string, overrides: unknown, endpoint: string): { manifest: Manifest; stacks: Map<string, SynthesizedStack> } {
    rmSync(outdir, { recursive: true, force: true });
    mkdirSync(outdir, { recursive: true });
    const config = loadConfig({ environment: this.name, overrides });
    buildApp({ config, backend: loadBackendConfig(), outdir }).synth();
    const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as Manifest;
    const stacks = new Map<string, SynthesizedStack>();
    for (const [name, entry] of Object.entries(manifest.stacks)) {
      const dir = path.join(outdir, entry.workingDirectory);
      const json = JSON.parse(readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')) as SynthesizedStack;
      stacks.set(name, json);
      writeFileSync(path.join(dir, OVERRIDE_FILE), `${JSON.stringify(emulatorOverride(json, { endpoint }), null, 2)}\n`);
    }
    return { manifest, stacks };
  }

  async run(): Promise<void> {
    const started = Date.now();
    let moto: MotoServer | undefined;
    try {
      rmSync(this.dir, { recursive: true, force: true });
      mkdirSync(path.join(this.dir, 'logs'), { recursive: true });
      const { region, appName } = loadConfig({ environment: this.name });
      moto = await startMoto({ python: PYTHON, logFile: path.join(this.dir, 'logs', 'moto.log'), maxSeconds: TOTAL_SECONDS + 120, skipPatches: SKIP_PATCHES });
      this.log(`moto pid ${moto.pid} on ${moto.endpoint}; patches: ${moto.patches.join(', ')}`);
      await this.lifecycle(moto, region, appName);
    } catch (e) {
      this.fail('(environment)', (e as Error).message);
    } finally {
      if (moto) {
        await moto.stop();
        this.log(`moto pid ${moto.pid} stopped; environment took ${((Date.now() - started) / 1000).toFixed(0)} s`);
      }
    }
  }

  private async lifecycle(moto: MotoServer, region: string, appName: string): Promise<void> {
    const secrets = await this.fixtures<FixtureSecrets>(moto.endpoint, region, ['secrets', '--prefix', `${appName}-${this.name}/emulator-fixtures`]);
    const profile = emulatorOverrides(region, secrets);
    const outdir = path.join(this.dir, 'out');
    const { manifest, stacks } = this.synth(outdir, profile, moto.endpoint);
    const isLocal = (s: string) => 'local' in (stacks.get(s)?.terraform?.backend ?? {});
    const order = orderStacks(manifest, isLocal);
    const dirOf = (s: string) => path.join(outdir, manifest.stacks[s].workingDirectory);
    this.log(`stacks in order: ${order.join(' → ')}`);

    // Create.
    const touched: string[] = [];
    for (const stack of order) {
      const row = this.row(stack);
      const dir = dirOf(stack);
      const init = await this.terraform(stack, dir, 'init', ['init', '-input=false'], TIMEOUTS_MS.init);
      if (init.status !== 0) {
        this.fail(stack, 'terraform init failed');
        break;
      }
      touched.push(stack);
      const plan = await this.terraform(stack, dir, 'plan', ['plan', '-input=false', PARALLELISM, '-out=tfplan'], TIMEOUTS_MS.plan);
      row.seconds.plan = plan.seconds;
      if (plan.status !== 0) {
        this.fail(stack, 'first plan failed');
        break;
      }
      const apply = await this.terraform(stack, dir, 'apply', ['apply', '-input=false', PARALLELISM, '-auto-approve', 'tfplan'], TIMEOUTS_MS.apply);
      row.seconds.apply = apply.seconds;
      const state = await this.terraform(stack, dir, 'state-list', ['state', 'list'], TIMEOUTS_MS.state);
      row.resources = state.stdout.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('data.')).length;
      if (apply.status !== 0) {
        this.fail(stack, 'apply failed');
        break;
      }
      this.log(`${stack}: created ${row.resources} resources (plan ${plan.seconds.toFixed(1)} s, apply ${apply.seconds.toFixed(1)} s)`);
    }
    const created = touched.every((s) => this.row(s).failures.length === 0) && touched.length === order.length;

    // Converge: a second plan of every stack must be empty. Plans only read, so they may overlap; each one starts
    // a ~400 MB provider that is CPU-bound while loading, so no more at once than the CPUs allow.
    if (created) {
      await inPool(
        order,
        REPLAN_CONCURRENCY,
        async (stack) => {
          const row = this.row(stack);
          const replan = await this.terraform(stack, dirOf(stack), 'replan', ['plan', '-input=false', PARALLELISM, '-detailed-exitcode'], TIMEOUTS_MS.plan, [0, 2]);
          row.seconds.replan = replan.seconds;
          if (replan.status === 0) {
            row.secondPlan = 'no changes';
            this.log(`${stack}: second plan: no changes (${replan.seconds.toFixed(1)} s)`);
          } else if (replan.status === 2) {
            row.secondPlan = 'CHANGES';
            this.fail(stack, `second plan is not empty (perpetual diff):\n${planDiff(replan.stdout)}`);
          } else {
            row.secondPlan = 'error';
            this.fail(stack, 'second plan failed');
          }
        },
      );
    }

    // Write-only secrets: the agents' key values (read back from the emulator's Secrets Manager) must be in no state.
    if (created) await this.checkStateLeaks(order, dirOf, moto.endpoint, region, appName);

    // Destroy, in reverse, whatever was initialised (also after a failure: destroy is part of the test).
    await this.destroy(touched.slice().reverse(), dirOf, moto.endpoint, region, stacks);
  }

  private async checkStateLeaks(order: string[], dirOf: (s: string) => string, endpoint: string, region: string, appName: string): Promise<void> {
    const prefix = `${appName}-${this.name}-agent-key-`;
    const localStates = order.map((s) => path.join(dirOf(s), 'terraform.tfstate'));
    const args = ['state-leaks', '--secret-prefix', prefix, '--bucket', loadBackendConfig().bucket, ...localStates.flatMap((f) => ['--state-file', f])];
    const result = await this.fixtures<{ checked: number; files: number; leaks: { secret: string; file: string }[] }>(endpoint, region, args);
    if (result.checked === 0) {
      this.fail('(state)', `no secret named ${prefix}* to check: the agents' key secrets were not created`);
    } else if (result.leaks.length > 0) {
      this.fail('(state)', `agent key values found in Terraform state: ${result.leaks.map((l) => `${l.secret} in ${l.file}`).join('; ')}`);
    } else {
      this.log(`state check: the values of ${result.checked} agent key secrets are in none of ${result.files} state files`);
    }
  }

  private async destroy(reversed: string[], dirOf: (s: string) => string, endpoint: string, region: string, original: Map<string, SynthesizedStack>): Promise<void> {
    for (const stack of reversed) {
      const row = this.row(stack);
      const dir = dirOf(stack);
      // Reading the state starts the provider (seconds): only where the configuration asks for protection.
      const mayBeProtected = /"(enable_)?deletion_protection": ?true/.test(JSON.stringify(original.get(stack) ?? {}));
      const shown = mayBeProtected ? await this.terraform(stack, dir, 'show', ['show', '-json'], TIMEOUTS_MS.state) : undefined;
      const guarded = shown?.status === 0 ? protectedResources(shown.stdout) : [];
      if (guarded.length > 0) {
        // Deletion protection refuses the destroy, in AWS as in moto: the runbook turns it off first.
        await this.fixtures(endpoint, region, ['unprotect', ...guarded.flatMap((g) => [g.flag, g.id])]);
        this.log(`${stack}: deletion protection turned off on ${guarded.map((g) => g.id).join(', ')}`);
      }
      const stateBucket = holdsStateBucket(original.get(stack), loadBackendConfig().bucket);
      if (stateBucket) {
        // The state files of the stacks destroyed before are still in it (versioned); an operator empties it.
        const emptied = await this.fixtures<{ deleted: number }>(endpoint, region, ['empty-bucket', '--bucket', stateBucket]);
        this.log(`${stack}: emptied state bucket ${stateBucket} (${emptied.deleted} object versions)`);
      }
      const destroy = await this.terraform(stack, dir, 'destroy', ['destroy', '-input=false', PARALLELISM, '-auto-approve'], TIMEOUTS_MS.destroy);
      row.seconds.destroy = destroy.seconds;
      if (destroy.status !== 0) {
        this.fail(stack, 'destroy failed');
        continue;
      }
      const state = await this.terraform(stack, dir, 'state-list', ['state', 'list'], TIMEOUTS_MS.state);
      const left = state.stdout.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('data.'));
      if (left.length > 0) this.fail(stack, `destroy left ${left.length} resources in state: ${left.join(', ')}`);
      else this.log(`${stack}: destroyed in ${destroy.seconds.toFixed(1)} s`);
    }
  }
}

/** ok only when every phase ran: created, converged, destroyed. */
function result(r: StackRow): 'ok' | 'FAIL' | 'not run' {
  if (r.failures.length > 0) return 'FAIL';
  return r.resources !== undefined && r.secondPlan === 'no changes' && r.seconds.destroy !== undefined ? 'ok' : 'not run';
}

function printTable(rows: StackRow[]): void {
  const s = (n?: number) => (n === undefined ? '-' : n.toFixed(1));
  const header = ['environment', 'stack', 'resources', 'second plan', 'plan s', 'apply s', 're-plan s', 'destroy s', 'result'];
  const table = [
    header,
    ...rows.map((r) => [
      r.env,
      r.stack,
      r.resources === undefined ? '-' : String(r.resources),
      r.secondPlan,
      s(r.seconds.plan),
      s(r.seconds.apply),
      s(r.seconds.replan),
      s(r.seconds.destroy),
      result(r),
    ]),
  ];
  const widths = header.map((_, i) => Math.max(...table.map((r) => r[i].length)));
  console.log('');
  for (const r of table) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
}

/** Missing tools are a failure under CI=true and a loud skip elsewhere, never a silent pass. */
function unavailable(what: string): number {
  if (process.env.CI === 'true') {
    console.error(`FAIL: ${what} Under CI=true this is a failure, not a skip.`);
    return 1;
  }
  console.error(`SKIPPED (not a pass): ${what}`);
  return 0;
}

async function main(): Promise<number> {
  const tf = findTerraform();
  if (!tf) return unavailable('terraform was not found on PATH (or TERRAFORM_BINARY): the emulator tier cannot run.');
  const cli = writeCliConfig();
  if (!cli.mirror?.providers.some((p) => p.source === 'registry.terraform.io/hashicorp/aws')) {
    return unavailable('no offline mirror of hashicorp/aws was found (TF_PROVIDER_MIRROR, /opt/tf-plugins, ...): the emulator tier cannot run.');
  }
  const moto = checkMoto(PYTHON);
  if (!moto.ok) return unavailable(`the AWS emulator is not usable: ${moto.detail}.`);
  console.log(`emulator tier: terraform ${tf.version}, ${moto.detail}, provider mirror ${cli.mirror.path}; environments ${ENVIRONMENTS.join(', ')}` +
    `${PARALLEL && ENVIRONMENTS.length > 1 ? ' (in parallel)' : ''}; work dir ${WORK}`);

  rmSync(WORK, { recursive: true, force: true });
  // A CLI config (and plugin cache) of its own: a concurrent `npm run test:validate` rewrites the project's one.
  const tfEnv = terraformEnv(writeCliConfig(WORK).env);
  const envs = ENVIRONMENTS.map((name) => new Environment(name, tf, tfEnv));
  if (PARALLEL) await Promise.all(envs.map((e) => e.run()));
  else for (const e of envs) await e.run();

  const rows = envs.flatMap((e) => [...e.rows.values()]);
  printTable(rows);
  const failed = rows.filter((r) => r.failures.length > 0);
  for (const r of failed) console.error(`\nFAIL ${r.env}/${r.stack}:\n  ${r.failures.join('\n  ')}`);
  const stacks = rows.filter((r) => r.stack !== '(environment)');
  const passed = stacks.filter((r) => result(r) === 'ok').length;
  const ok = passed === stacks.length && failed.length === 0 && stacks.length > 0;
  console.log(`\nemulator tier: ${passed}/${stacks.length} stacks created, converged and destroyed in ${ENVIRONMENTS.join(', ')}` +
    `${ok ? '' : ' — FAILED'}; logs in ${WORK}`);
  return ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`emulator tier: ${(e as Error).stack ?? e}`);
    process.exitCode = 1;
  },
);
