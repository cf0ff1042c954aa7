/**
 * Emulator tier (`npm run test:emulator`): every stack of each environment is created, re-planned and destroyed
 * against moto on 127.0.0.1, with the real hashicorp/aws provider and the S3 backend, so that what `terraform
 * validate` cannot show is checked: creation order, cross-stack references through remote state, and convergence
 * (a second plan with no changes). docs/emulator.md explains it; moto_launcher.py lists the emulator gaps patched.
 *
 * Per environment (in parallel, each with its own moto server): start moto → synthesize the app in the emulator
 * profile (generated secrets; with EMULATOR_SECRETS=existing, fixture secrets created first) → write
 * emulator_override.tf.json beside each stack → init/plan -out/apply each stack in dependency order → plan
 * -detailed-exitcode -out each stack (exit 2 = a perpetual diff = failure) → side by side, the checks this environment
 * runs (profile.ts sharedChecks: the rotation; the ALB replaced behind the edge) and the rendering of the final plans
 * → search every state file and saved plan for every secret value the stacks generated (none may appear) → destroy
 * in reverse order → stop moto (always, by PID).
 *
 * Settings (EMULATOR_*, CI): options.ts, which checks them all before anything runs. The create → re-plan →
 * destroy phases: phases.ts, over the Runner this file implements with terraform and fixtures.py. Run as a
 * program (`npm run test:emulator`); importing this file runs nothing.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AppConfig, ConfigFile, deepMerge, loadConfig } from '../../config';
import { ExampleEnvironment } from '../lib/examples';
import { buildApp } from '../../main';
import { loadBackendConfig } from '../../modules/remote-state';
import { TerraformBinary, findTerraform, writeCliConfig } from '../lib/terraform-env';
import { MotoServer, checkMoto, pythonDir, startMoto } from './moto';
import { EMULATOR_CREDENTIALS, OVERRIDE_FILE, SynthesizedStack, emulatorOverride } from './overrides';
import { EmulatorOptions, EmulatorOptionsError, parseOptions } from './options';
import { exec, ExecResult } from './process';
import { ClusterPasswordDigests, LeakReport, SecretDigests, leakVerdict, passwordAgreementVerdict, planDiff, rotationVerdict } from './inspect';
import { PARALLELISM, Report, Runner, StackRow, TIMEOUTS_MS, inPool, result, runPhases, summarize } from './phases';
import { FixtureSecrets, Manifest, emulatorOverrides, orderStacks, sharedChecks, stackPrerequisites } from './profile';

/**
 * Stacks of one environment created or destroyed at once, where they do not depend on each other: an apply is
 * mostly the provider's waiters polling (ALB, RDS, CloudFront), so two overlap well even on 2 vCPUs.
 */
const STACK_CONCURRENCY = 2;

/** Terraform's environment: the generated CLI config, and AWS settings that can only ever reach the emulator. */
function terraformEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (!k.startsWith('AWS_')) env[k] = v;
  return {
    ...env,
    // Go's collector runs less often (https://go.dev/doc/gc-guide#GOGC): every command starts the ~400 MB provider,
    // whose start is mostly building its schema, and measured here a `terraform plan` of the bootstrap stack takes
    // 5.5 instead of 7.6 CPU seconds (a validate 2.8 instead of 3.9), for ~100 MB more per process. The run is
    // CPU-bound on 2 cores whenever several environments start commands at once.
    GOGC: base.GOGC ?? '400',
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

/** What the whole run shares: its settings, its deadline, terraform and its environment. */
interface RunContext {
  readonly options: EmulatorOptions;
  readonly deadline: number;
  readonly tf: TerraformBinary;
  readonly tfEnv: NodeJS.ProcessEnv;
  readonly replanConcurrency: number;
}

function remainingMs(ctx: RunContext, limitMs: number): number {
  const left = ctx.deadline - Date.now();
  if (left <= 0) throw new Error(`EMULATOR_TIMEOUT_SECONDS=${ctx.options.timeoutSeconds} reached`);
  return Math.min(limitMs, left);
}

/** The real Runner: terraform in the synthesized stack directories, fixtures.py against this environment's moto. */
class ProcessRunner implements Runner {
  private step = 0;

  constructor(
    private readonly ctx: RunContext,
    private readonly report: Report,
    private readonly logsDir: string,
    private readonly dirOf: (stack: string) => string,
    private readonly endpoint: string,
    private readonly region: string,
  ) {}

  /** Runs terraform, keeps its full output in logs/, and shows the tail when it fails. */
  async terraform(stack: string, step: string, args: string[], timeoutMs: number, okStatuses = [0]): Promise<ExecResult> {
    // `show` takes the plan file as its last argument; every other command here accepts flags at the end.
    const full = args[0] === 'show' ? [args[0], '-no-color', ...args.slice(1)] : [...args, '-no-color'];
    const run = () => exec(this.ctx.tf.path, full, { cwd: this.dirOf(stack), env: this.ctx.tfEnv, timeoutMs: remainingMs(this.ctx, timeoutMs) });
    const result = step === 'init' ? await serialized(run) : await run();
    this.step += 1;
    const logFile = path.join(this.logsDir, `${String(this.step).padStart(2, '0')}-${stack}-${step}.log`);
    writeFileSync(logFile, `$ terraform ${args.join(' ')}\n(exit ${result.status}, ${result.seconds.toFixed(1)} s)\n\n${result.stdout}\n--- stderr ---\n${result.stderr}`);
    if (result.status === null || !okStatuses.includes(result.status)) {
      const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-40).join('\n');
      this.report.log(`terraform ${step} in ${stack} exited ${result.status ?? 'by signal'} after ${result.seconds.toFixed(1)} s; full log ${logFile}\n${tail}`);
    }
    return result;
  }

  fixtures<T>(args: string[]): Promise<T> {
    return runFixtures<T>(this.ctx, this.endpoint, this.region, args);
  }
}

/** Runs a fixtures.py command against the emulator and returns its JSON answer. */
async function runFixtures<T>(ctx: RunContext, endpoint: string, region: string, args: string[]): Promise<T> {
  const res = await exec(ctx.options.python, [path.join(pythonDir(), 'fixtures.py'), '--endpoint', endpoint, '--region', region, ...args], {
    env: terraformEnv(process.env),
    timeoutMs: remainingMs(ctx, TIMEOUTS_MS.fixtures),
  });
  if (res.status !== 0) throw new Error(`fixtures.py ${args[0]} failed (exit ${res.status}):\n${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').pop() ?? '') as T;
}

class Environment {
  readonly dir: string;
  readonly report: Report;

  constructor(
    readonly name: string,
    private readonly ctx: RunContext,
    /** The example file that defines this environment (examples/dev-lean.json); undefined for dev and prod. */
    private readonly example?: ExampleEnvironment,
  ) {
    this.dir = path.join(ctx.options.workDir, name);
    this.report = new Report(name);
  }

  /** The environment's configuration: its example file as GATEWAY_CONFIG_FILE would give it, then `overrides`. */
  config(overrides: unknown = {}): AppConfig {
    return loadConfig({ environment: this.name, overrides: deepMerge(this.example?.overrides ?? {}, overrides) as ConfigFile });
  }

  /** Synthesizes the app into `outdir` and writes the emulator override beside every stack. */
  synth(outdir: string, overrides: unknown, endpoint: string): { manifest: Manifest; stacks: Map<string, SynthesizedStack> } {
    rmSync(outdir, { recursive: true, force: true });
    mkdirSync(outdir, { recursive: true });
    const config = this.config(overrides);
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
    const { options } = this.ctx;
    let moto: MotoServer | undefined;
    try {
      rmSync(this.dir, { recursive: true, force: true });
      mkdirSync(path.join(this.dir, 'logs'), { recursive: true });
      const { region, appName } = this.config();
      if (this.example) this.report.log(`configuration: ${path.relative(process.cwd(), this.example.file) || this.example.file}, as GATEWAY_CONFIG_FILE would give it`);
      moto = await startMoto({ python: options.python, logFile: path.join(this.dir, 'logs', 'moto.log'), maxSeconds: options.timeoutSeconds + 120, skipPatches: options.skipPatches });
      this.report.log(`moto pid ${moto.pid} on ${moto.endpoint}; patches: ${moto.patches.join(', ')}`);
      await this.lifecycle(moto, region, appName);
    } catch (e) {
      this.report.fail('(environment)', (e as Error).message);
    } finally {
      if (moto) {
        await moto.stop();
        this.report.log(`moto pid ${moto.pid} stopped; environment took ${((Date.now() - started) / 1000).toFixed(0)} s`);
      }
    }
  }

  private async lifecycle(moto: MotoServer, region: string, appName: string): Promise<void> {
    const fixturePrefix = `${appName}-${this.name}/emulator-fixtures`;
    const secrets = this.ctx.options.secrets === 'existing'
      ? await runFixtures<FixtureSecrets>(this.ctx, moto.endpoint, region, ['secrets', '--prefix', fixturePrefix])
      : undefined;
    const profile = emulatorOverrides(region, secrets, this.name);
    const generator = this.config(profile).secrets.generator;
    this.report.log(`secrets: ${secrets ? 'existing (fixtures)' : `generated (${generator})`}`);
    const outdir = path.join(this.dir, 'out');
    const { manifest, stacks } = this.synth(outdir, profile, moto.endpoint);
    const isLocal = (s: string) => 'local' in (stacks.get(s)?.terraform?.backend ?? {});
    const order = orderStacks(manifest, isLocal);
    const after = stackPrerequisites(manifest, isLocal);
    const dirOf = (s: string) => path.join(outdir, manifest.stacks[s].workingDirectory);
    this.report.log(`stacks in order: ${order.join(' → ')}`);
    const runner = new ProcessRunner(this.ctx, this.report, path.join(this.dir, 'logs'), dirOf, moto.endpoint, region);
    const writeOnly = !secrets && generator === 'write-only';
    const database = order.find((s) => s.endsWith('-database'));
    const gateway = order.find((s) => s.endsWith('-gateway'));
    const edge = order.find((s) => s.endsWith('-edge'));
    const checks = sharedChecks(this.name, this.ctx.options.environments);
    const interrupted = writeOnly && database !== undefined && checks.interruptedApply;
    const rotation = writeOnly && database !== undefined && checks.rotation;
    this.report.log(`checks here: ${[interrupted && 'interrupted apply', rotation && 'rotation', gateway && edge && 'ALB replaced behind the edge', writeOnly && 'secrets in state and plans'].filter(Boolean).join(', ') || 'none beyond create, converge, destroy'}`);

    await runPhases(runner, this.report, {
      order,
      after,
      stackConcurrency: STACK_CONCURRENCY,
      stacks,
      stateBucket: loadBackendConfig().bucket,
      replanConcurrency: this.ctx.replanConcurrency,
      // Generated password: the database stack is first applied as far as the cluster only, as an apply stopped
      // right after creating it would leave it; the full apply must then write the cluster's password into the
      // secrets (checked after convergence), not a new one.
      interruptedApply: interrupted && database ? new Map([[database, ['aws_rds_cluster.cluster']]]) : undefined,
      // The checks below change different stacks (rotation: the database; the ALB: the gateway and the edge; no stack
      // is planned again after them) and mostly wait on the provider's waiters (the cluster's modify, the ALB's and
      // the distribution's deploy), so they run side by side; the saved plans that are final by now are rendered for
      // the secret search meanwhile. Only then are the plans they save rendered and everything searched. Every one
      // of them ends before an error goes on (allSettled): the destroy must not start under a running apply.
      afterConverged: async () => {
        const renders: Rendered = { plans: [], rendered: [] };
        const early = writeOnly ? this.renderPlans(runner, order, dirOf, ['tfplan', 'tfplan-replan'], renders) : Promise.resolve();
        const settled = await Promise.allSettled([
          (async () => {
            if (!writeOnly || !database) return;
            // The cluster and the secrets agree after the create (stopped once the cluster existed, where that
            // check runs); a rotation rewrites exactly the secrets that carry the database password, and they still
            // agree; afterwards no value (old or new) may be in any state file or saved plan.
            const declared = secretNames(stacks.get(database)!);
            await this.passwordAgreement(runner, interrupted ? 'after an apply stopped once the cluster existed' : 'after the create', stacks.get(database)!, declared, fixturePrefix);
            if (!rotation) return;
            await this.rotate(runner, database, dirOf(database), profile, declared, moto.endpoint, fixturePrefix);
            await this.passwordAgreement(runner, 'after the rotation', stacks.get(database)!, declared, fixturePrefix);
          })(),
          gateway && edge ? this.replaceAlbBehindEdge(runner, gateway, edge) : Promise.resolve(),
          early,
        ]);
        for (const s of settled) if (s.status === 'rejected') throw s.reason;
        if (writeOnly) {
          await this.renderPlans(runner, order, dirOf, ['tfplan-rotate', 'tfplan-alb'], renders);
          await this.searchSecrets(runner, renders, fixturePrefix);
        }
      },
    });
  }

  /** The cluster's master password (as moto holds it) against every secret that carries it, by digest. */
  private async passwordAgreement(runner: Runner, when: string, database: SynthesizedStack, names: Record<string, string>, fixturePrefix: string): Promise<void> {
    const clusterId = String((database as { resource?: { aws_rds_cluster?: Record<string, { cluster_identifier?: string }> } }).resource?.aws_rds_cluster?.cluster?.cluster_identifier);
    const verdict = passwordAgreementVerdict(
      await runner.fixtures<ClusterPasswordDigests>(['cluster-password-digests']),
      await runner.fixtures<SecretDigests>(['secret-digests', '--exclude-prefix', fixturePrefix]),
      { cluster: clusterId, carriers: ['db-password', 'database-url', 'db-master-credentials'].map((id) => names[id]).filter((n) => n !== undefined) },
    );
    this.report.passwordAgreement.push(`${when}: ${verdict.message}`);
    if (verdict.ok) this.report.log(`password ${when}: ${verdict.message}`);
    else this.report.fail('(environment)', `password ${when}: ${verdict.message}`);
  }

  /**
   * A changed ALB behind the edge: the gateway stack's ALB is replaced (`apply -replace=aws_lb.alb`: a new ARN and
   * DNS name), then the edge stack is planned and applied, and must converge. The emulator, like CloudFront, refuses
   * to update or delete a VPC origin a distribution uses (moto_launcher.py), so an origin updated in place fails here.
   */
  private async replaceAlbBehindEdge(runner: Runner, gateway: string, edge: string): Promise<void> {
    const replaced = await runner.terraform(gateway, 'alb-replace', ['apply', '-input=false', PARALLELISM, '-auto-approve', '-replace=aws_lb.alb'], TIMEOUTS_MS.apply);
    const plan = replaced.status === 0 ? await runner.terraform(edge, 'alb-plan', ['plan', '-input=false', PARALLELISM, '-out=tfplan-alb'], TIMEOUTS_MS.plan) : replaced;
    const apply = plan.status === 0 && replaced.status === 0 ? await runner.terraform(edge, 'alb-apply', ['apply', '-input=false', PARALLELISM, '-auto-approve', 'tfplan-alb'], TIMEOUTS_MS.apply) : plan;
    const replan = apply.status === 0 ? await runner.terraform(edge, 'alb-replan', ['plan', '-input=false', PARALLELISM, '-detailed-exitcode'], TIMEOUTS_MS.plan, [0, 2]) : apply;
    // "must be replaced" for a ForceNew change, "will be replaced due to changes in replace_triggered_by" here.
    const originReplaced = /# aws_cloudfront_vpc_origin\.vpc-origin (must|will) be replaced/.test(plan.stdout);
    const changed = /^Plan: .*$/m.exec(plan.stdout)?.[0] ?? '';
    if (replaced.status !== 0 || replan.status !== 0 || !originReplaced) {
      const step =
        replaced.status !== 0 ? 'gateway apply -replace=aws_lb.alb'
        : plan.status !== 0 ? 'edge plan'
        : apply.status !== 0 ? 'edge apply (a 409 here: an origin in use was updated or deleted)'
        : replan.status !== 0 ? `edge second plan (${replan.status === 2 ? 'changes' : 'error'})`
        : 'the edge plan did not replace the VPC origin';
      this.report.originReplacement = `FAILED: ${step}`;
      this.report.fail('(environment)', `ALB replaced behind the edge: ${this.report.originReplacement}${replan.status === 2 ? `\n${planDiff(replan.stdout)}` : ''}`);
      return;
    }
    this.report.originReplacement = `ALB replaced; edge VPC origin replaced, new one first (${changed}), applied without a 409; second plan: no changes`;
    this.report.log(`edge: ${this.report.originReplacement}`);
  }

  /**
   * Rotation of the database password as an operator does it: `database.secretVersions.databasePassword` 1 → 2, the
   * database stack re-synthesized (into a side directory, then its cdk.tf.json copied over) and applied, a second
   * plan with no changes, and the secrets compared by digest before and after (rotationVerdict).
   */
  private async rotate(runner: Runner, stack: string, dir: string, profile: Record<string, unknown>, names: Record<string, string>, endpoint: string, fixturePrefix: string): Promise<void> {
    const digests = () => runner.fixtures<SecretDigests>(['secret-digests', '--exclude-prefix', fixturePrefix]);
    const before = await digests();
    const rotated = { ...profile, database: { ...((profile.database as object | undefined) ?? {}), secretVersions: { databasePassword: 2 } } };
    const side = path.join(this.dir, 'out-rotated');
    const { manifest } = this.synth(side, rotated, endpoint);
    const sideDir = path.join(side, manifest.stacks[stack].workingDirectory);
    for (const file of ['cdk.tf.json', OVERRIDE_FILE]) copyFileSync(path.join(sideDir, file), path.join(dir, file));
    const plan = await runner.terraform(stack, 'rotate-plan', ['plan', '-input=false', PARALLELISM, '-out=tfplan-rotate'], TIMEOUTS_MS.plan);
    const apply = plan.status === 0 ? await runner.terraform(stack, 'rotate-apply', ['apply', '-input=false', PARALLELISM, '-auto-approve', 'tfplan-rotate'], TIMEOUTS_MS.apply) : plan;
    const replan = apply.status === 0 ? await runner.terraform(stack, 'rotate-replan', ['plan', '-input=false', PARALLELISM, '-detailed-exitcode'], TIMEOUTS_MS.plan, [0, 2]) : apply;
    if (replan.status !== 0) {
      this.report.rotation = `FAILED: ${plan.status !== 0 ? 'plan' : apply.status !== 0 ? 'apply' : `second plan (${replan.status === 2 ? 'changes' : 'error'})`}`;
      this.report.fail('(environment)', `rotation: ${this.report.rotation}${replan.status === 2 ? `\n${planDiff(replan.stdout)}` : ''}`);
      return;
    }
    const changed = /^Plan: .*$/m.exec(plan.stdout)?.[0] ?? '';
    const verdict = rotationVerdict(before, await digests(), {
      databaseUrl: names['database-url'],
      masterCredentials: names['db-master-credentials'],
      ...(names['db-password'] ? { passwordSource: names['db-password'] } : {}),
      unchanged: ['master-key', 'salt-key', 'ui-credentials'].map((id) => names[id]),
    });
    this.report.rotation = `${verdict.message} (${changed}; second plan: no changes)`;
    if (verdict.ok) this.report.log(`rotation: ${this.report.rotation}`);
    else this.report.fail('(environment)', `rotation: ${verdict.message}`);
  }

  /** Renders the saved plans named `names` (where they exist) with `terraform show -json`, into `into`. */
  private async renderPlans(runner: Runner, order: string[], dirOf: (s: string) => string, names: readonly string[], into: Rendered): Promise<void> {
    const plansDir = path.join(this.dir, 'plans');
    mkdirSync(plansDir, { recursive: true });
    const jobs = order.flatMap((stack) => names.filter((plan) => existsSync(path.join(dirOf(stack), plan))).map((plan) => ({ stack, plan })));
    await inPool(jobs, this.ctx.replanConcurrency, async ({ stack, plan }) => {
      into.plans.push(path.join(dirOf(stack), plan));
      const shown = await runner.terraform(stack, `show-${plan}`, ['show', '-json', plan], TIMEOUTS_MS.state);
      if (shown.status !== 0) {
        this.report.fail(stack, `terraform show -json ${plan} failed`);
        return;
      }
      const out = path.join(plansDir, `${stack}-${plan}.json`);
      writeFileSync(out, shown.stdout);
      into.rendered.push(out);
    });
  }

  /**
   * Has fixtures.py read every secret value from the emulator and search for it in the state bucket's object
   * versions, the local state files, every saved plan and its `terraform show -json` rendering (renderPlans).
   */
  private async searchSecrets(runner: Runner, renders: Rendered, fixturePrefix: string): Promise<void> {
    const { plans, rendered } = renders;
    const stateFiles = localStateFiles(this.dir);
    const report = await runner.fixtures<LeakReport>([
      'leak-check',
      '--bucket', loadBackendConfig().bucket,
      '--exclude-prefix', fixturePrefix,
      ...stateFiles.flatMap((f) => ['--state-file', f]),
      ...[...plans, ...rendered].flatMap((f) => ['--plan-file', f]),
    ]);
    const verdict = leakVerdict(report, { plans: plans.length, rendered: rendered.length });
    this.report.secretSearch = verdict.message;
    if (verdict.ok) this.report.log(`secrets: ${verdict.message}`);
    else this.report.fail('(environment)', `secrets: ${verdict.message}`);
  }
}

/** Saved plans and their renderings, gathered for the secret search. */
interface Rendered {
  readonly plans: string[];
  readonly rendered: string[];
}

/** Physical names of a stack's Secrets Manager secrets, by construct id. */
function secretNames(stack: SynthesizedStack): Record<string, string> {
  const declared = (stack as { resource?: { aws_secretsmanager_secret?: Record<string, { name?: string }> } }).resource?.aws_secretsmanager_secret ?? {};
  return Object.fromEntries(Object.entries(declared).map(([id, r]) => [id, String(r.name)]));
}

/** Local files named like Terraform state (the bootstrap stack's, the backend metadata in each .terraform/). */
function localStateFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) {
        // Provider binaries and command logs are not state.
        if (entry.name !== 'providers' && entry.name !== 'logs') walk(p);
      } else if (/\.tfstate(\.backup)?$/.test(entry.name)) {
        found.push(p);
      }
    }
  };
  walk(dir);
  return found.sort();
}

/** Seconds per phase of one environment, the wall time the tier's length is made of (docs/emulator.md#timings). */
function phaseLine(report: Report): string {
  const parts = Object.entries(report.phaseSeconds).map(([phase, seconds]) => `${phase} ${seconds.toFixed(0)} s`);
  return parts.length > 0 ? parts.join(', ') : 'not run';
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
function unavailable(options: EmulatorOptions, what: string): number {
  if (options.ci) {
    console.error(`FAIL: ${what} Under CI=true this is a failure, not a skip.`);
    return 1;
  }
  console.error(`SKIPPED (not a pass): ${what}`);
  return 0;
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let options: EmulatorOptions;
  try {
    options = parseOptions(env);
  } catch (e) {
    if (!(e instanceof EmulatorOptionsError)) throw e;
    console.error(`emulator tier: ${e.message}`);
    return 1;
  }
  const tf = findTerraform();
  if (!tf) return unavailable(options, 'terraform was not found on PATH (or TERRAFORM_BINARY): the emulator tier cannot run.');
  const cli = writeCliConfig();
  if (!cli.mirror?.providers.some((p) => p.source === 'registry.terraform.io/hashicorp/aws')) {
    return unavailable(options, 'no offline mirror of hashicorp/aws was found (TF_PROVIDER_MIRROR, /opt/tf-plugins, ...): the emulator tier cannot run.');
  }
  const moto = checkMoto(options.python);
  if (!moto.ok) return unavailable(options, `the AWS emulator is not usable: ${moto.detail}.`);
  const { environments, parallel, workDir } = options;
  console.log(`emulator tier: terraform ${tf.version}, ${moto.detail}, provider mirror ${cli.mirror.path}; environments ${environments.join(', ')}` +
    `${parallel && environments.length > 1 ? ' (in parallel)' : ''}; work dir ${workDir}`);

  if (cli.removedLogging.length > 0) console.log(`not passed to terraform: ${cli.removedLogging.join(', ')} (debug logs print write-only values: docs/secrets.md)`);
  rmSync(workDir, { recursive: true, force: true });
  const ctx: RunContext = {
    options,
    deadline: Date.now() + options.timeoutSeconds * 1000,
    tf,
    // A CLI config (and plugin cache) of its own: a concurrent `npm run test:validate` rewrites the project's one.
    tfEnv: terraformEnv(writeCliConfig(workDir).env),
    replanConcurrency: Math.max(1, Math.floor(os.cpus().length / (parallel ? environments.length : 1))),
  };
  const envs = environments.map((name) => new Environment(name, ctx, options.examples.find((x) => x.name === name)));
  if (parallel) await Promise.all(envs.map((e) => e.run()));
  else for (const e of envs) await e.run();

  const rows = envs.flatMap((e) => [...e.report.rows.values()]);
  printTable(rows);
  console.log('');
  for (const e of envs) {
    console.log(`secrets in state and plans, ${e.name}: ${e.report.secretSearch ?? 'not searched (existing secrets, random generator, or an earlier failure)'}`);
    if (e.report.rotation) console.log(`password rotation, ${e.name}: ${e.report.rotation}`);
    for (const line of e.report.passwordAgreement) console.log(`cluster and secrets, ${e.name}, ${line}`);
    if (e.report.originReplacement) console.log(`edge origin, ${e.name}: ${e.report.originReplacement}`);
  }
  for (const e of envs) console.log(`phases, ${e.name}: ${phaseLine(e.report)}`);
  const summary = summarize(rows);
  for (const r of summary.failed) console.error(`\nFAIL ${r.env}/${r.stack}:\n  ${r.failures.join('\n  ')}`);
  console.log(`\nemulator tier: ${summary.passed}/${summary.stacks} stacks created, converged and destroyed in ${environments.join(', ')}` +
    `${summary.ok ? '' : ' — FAILED'}; logs in ${workDir}`);
  return summary.ok ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(`emulator tier: ${(e as Error).stack ?? e}`);
      process.exitCode = 1;
    },
  );
}
