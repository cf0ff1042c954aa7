/**
 * The phases of one environment's emulator run, over an injected Runner so that tests drive them with a fake one:
 * create (init, plan -out, apply, state list; no new stack starts after the first failure) → converge (a second plan
 * of every stack must be empty) → an optional step while everything stands (rotation, secret search) → destroy, in
 * reverse dependency order, of every stack that was initialised, also after a failure (destroy is part of the test).
 *
 * Stacks that do not depend on each other (observability and edge both follow the gateway) are created and
 * destroyed side by side, up to `stackConcurrency`: most of an apply is the provider's waiters polling, not CPU.
 */
import { SynthesizedStack } from './overrides';
import { ExecResult } from './process';
import { holdsStateBucket, planDiff, protectedResources } from './inspect';

export const PARALLELISM = '-parallelism=20';

/** Per-command limits: generous against the timings in docs/emulator.md, short enough to end a hang. */
export const TIMEOUTS_MS = { init: 180_000, plan: 600_000, apply: 900_000, state: 120_000, destroy: 900_000, fixtures: 60_000 } as const;

/** What runs the commands of one environment. */
export interface Runner {
  /**
   * Runs terraform in the stack's directory (`step` names its log); a status outside `okStatuses` (default [0])
   * is reported by the runner with the output's tail, and returned, never thrown.
   */
  terraform(stack: string, step: string, args: string[], timeoutMs: number, okStatuses?: number[]): Promise<ExecResult>;
  /** Runs a fixtures.py command against the environment's emulator and returns its JSON answer; throws on failure. */
  fixtures<T>(args: string[]): Promise<T>;
}

export interface StackRow {
  env: string;
  stack: string;
  resources?: number;
  secondPlan: string;
  seconds: { plan?: number; apply?: number; replan?: number; destroy?: number };
  failures: string[];
}

/** One environment's log and per-stack results. */
export class Report {
  readonly rows = new Map<string, StackRow>();
  readonly lines: string[] = [];
  /** What the secret search found, for the summary; undefined when it did not run. */
  secretSearch?: string;
  /** What the rotation check found, for the summary. */
  rotation?: string;
  /** Whether the cluster and the secrets carrying its password agree (after the interrupted create, after rotation). */
  passwordAgreement: string[] = [];
  /** What the edge did when the ALB behind its VPC origin was replaced. */
  originReplacement?: string;
  /** Wall time of each phase that ran (create, converge, checks, destroy), and of the whole environment. */
  readonly phaseSeconds: Record<string, number> = {};

  constructor(
    readonly name: string,
    private readonly print: (line: string) => void = (line) => console.log(line),
  ) {}

  log(message: string): void {
    const line = `[${this.name}] ${message}`;
    this.lines.push(line);
    this.print(line);
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
}

export interface PhaseInput {
  /** Apply order (orderStacks); destroy is its reverse. */
  readonly order: readonly string[];
  /**
   * The stacks each stack must follow (its dependencies, the bootstrap stack for every stack whose state it holds);
   * names outside `order` are ignored. @default each stack follows the one before it in `order`
   */
  readonly after?: ReadonlyMap<string, readonly string[]>;
  /** How many stacks may be created or destroyed at once, dependencies permitting. @default 1 */
  readonly stackConcurrency?: number;
  /** The synthesized stacks: where deletion protection may be on, which one holds the state bucket. */
  readonly stacks: ReadonlyMap<string, SynthesizedStack>;
  /** The state bucket's name (terraform-backend.hcl). */
  readonly stateBucket: string;
  /** How many second plans may run at once. @default 1 */
  readonly replanConcurrency?: number;
  /** Runs when every stack was created and converged, before the destroy. */
  readonly afterConverged?: () => Promise<void>;
  /**
   * Per stack, resource addresses applied alone (`apply -target`) before the stack's full plan and apply: the state
   * an apply leaves when it stops right after those resources were created (a timeout, an expired session, Ctrl-C).
   * The full apply that follows must converge from there. @default none
   */
  readonly interruptedApply?: ReadonlyMap<string, readonly string[]>;
}

/** Runs `fn` over `items` with at most `limit` at a time. */
export async function inPool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), queue.length) }, worker));
}

/**
 * Runs `fn` over `items` with at most `limit` at a time, each only once everything `waitsFor(item)` names (among
 * `items`) has finished; where several are ready, the earliest in `items` starts first, so with `limit` 1 and a
 * topological order it is exactly that order. `fn` answers whether the item succeeded. With `stopOnFailure`, an item
 * starts only after its prerequisites succeeded and nothing new starts after a failure (what runs, finishes).
 */
export async function inGraph(
  items: readonly string[],
  waitsFor: (item: string) => readonly string[],
  limit: number,
  fn: (item: string) => Promise<boolean>,
  stopOnFailure: boolean,
): Promise<void> {
  const known = new Set(items);
  const finished = new Map<string, boolean>();
  const started = new Set<string>();
  let failed = false;
  let running = 0;
  await new Promise<void>((resolve, reject) => {
    const pump = (): void => {
      for (const item of items) {
        if (running >= Math.max(1, limit) || (stopOnFailure && failed)) break;
        if (started.has(item)) continue;
        const ready = waitsFor(item).filter((d) => known.has(d) && d !== item).every((d) => finished.has(d) && (!stopOnFailure || finished.get(d)));
        if (!ready) continue;
        started.add(item);
        running += 1;
        fn(item).then((ok) => {
          finished.set(item, ok);
          if (!ok) failed = true;
          running -= 1;
          pump();
        }, reject);
      }
      if (running === 0) resolve();
    };
    pump();
  });
}

/** `input.after`, or each stack after the one before it in `order`. */
function prerequisites(input: Pick<PhaseInput, 'order' | 'after'>): (stack: string) => readonly string[] {
  if (input.after) return (stack) => input.after?.get(stack) ?? [];
  return (stack) => input.order.slice(Math.max(0, input.order.indexOf(stack) - 1), Math.max(0, input.order.indexOf(stack)));
}

/** Resources in `terraform state list` output, data sources left out. */
export function stateResources(stdout: string): string[] {
  return stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('data.'));
}

/**
 * Creates the stacks, each after its prerequisites, no new one after the first failure; returns every stack that
 * was initialised, in `order`.
 */
export async function createStacks(
  runner: Runner,
  report: Report,
  input: Pick<PhaseInput, 'order' | 'after' | 'stackConcurrency' | 'interruptedApply'>,
): Promise<string[]> {
  const touched = new Set<string>();
  await inGraph(input.order, prerequisites(input), input.stackConcurrency ?? 1, async (stack) => {
    const row = report.row(stack);
    const init = await runner.terraform(stack, 'init', ['init', '-input=false'], TIMEOUTS_MS.init);
    if (init.status !== 0) {
      report.fail(stack, 'terraform init failed');
      return false;
    }
    touched.add(stack);
    const targets = input.interruptedApply?.get(stack) ?? [];
    if (targets.length > 0) {
      const partial = await runner.terraform(stack, 'interrupted-apply', ['apply', '-input=false', PARALLELISM, '-auto-approve', ...targets.map((t) => `-target=${t}`)], TIMEOUTS_MS.apply);
      if (partial.status !== 0) {
        report.fail(stack, `apply -target ${targets.join(' ')} (an apply stopped after them) failed`);
        return false;
      }
      report.log(`${stack}: applied ${targets.join(', ')} alone first, as an apply stopped right after them would (${partial.seconds.toFixed(1)} s)`);
    }
    const plan = await runner.terraform(stack, 'plan', ['plan', '-input=false', PARALLELISM, '-out=tfplan'], TIMEOUTS_MS.plan);
    row.seconds.plan = plan.seconds;
    if (plan.status !== 0) {
      report.fail(stack, 'first plan failed');
      return false;
    }
    const apply = await runner.terraform(stack, 'apply', ['apply', '-input=false', PARALLELISM, '-auto-approve', 'tfplan'], TIMEOUTS_MS.apply);
    row.seconds.apply = apply.seconds;
    // Counted after a failed apply too: what it left behind is what the destroy must remove.
    const state = await runner.terraform(stack, 'state-list', ['state', 'list'], TIMEOUTS_MS.state);
    row.resources = stateResources(state.stdout).length;
    if (apply.status !== 0) {
      report.fail(stack, 'apply failed');
      return false;
    }
    report.log(`${stack}: created ${row.resources} resources (plan ${plan.seconds.toFixed(1)} s, apply ${apply.seconds.toFixed(1)} s)`);
    return true;
  }, true);
  return input.order.filter((s) => touched.has(s));
}

/**
 * A second plan of every stack must be empty. Plans only read, so they may overlap; each one starts a ~400 MB
 * provider that is CPU-bound while loading, so no more at once than `concurrency`.
 */
export async function convergeStacks(runner: Runner, report: Report, order: readonly string[], concurrency = 1): Promise<void> {
  await inPool(order, concurrency, async (stack) => {
    const row = report.row(stack);
    const replan = await runner.terraform(stack, 'replan', ['plan', '-input=false', PARALLELISM, '-detailed-exitcode', '-out=tfplan-replan'], TIMEOUTS_MS.plan, [0, 2]);
    row.seconds.replan = replan.seconds;
    if (replan.status === 0) {
      row.secondPlan = 'no changes';
      report.log(`${stack}: second plan: no changes (${replan.seconds.toFixed(1)} s)`);
    } else if (replan.status === 2) {
      row.secondPlan = 'CHANGES';
      report.fail(stack, `second plan is not empty (perpetual diff):\n${planDiff(replan.stdout)}`);
    } else {
      row.secondPlan = 'error';
      report.fail(stack, 'second plan failed');
    }
  });
}

/**
 * Destroys `touched` (in `order`), each stack after every stack that follows it, each after the runbook's steps
 * done through the API as an operator would: deletion protection found in the state turned off, the (versioned)
 * state bucket emptied. A failed destroy is reported and the stacks it follows are still destroyed.
 */
export async function destroyStacks(
  runner: Runner,
  report: Report,
  touched: readonly string[],
  input: Pick<PhaseInput, 'order' | 'after' | 'stackConcurrency' | 'stacks' | 'stateBucket'>,
): Promise<void> {
  const follows = prerequisites(input);
  const followers = (stack: string) => touched.filter((s) => follows(s).includes(stack));
  await inGraph(touched.slice().reverse(), followers, input.stackConcurrency ?? 1, async (stack) => {
    const row = report.row(stack);
    const original = input.stacks.get(stack);
    // Reading the state starts the provider (seconds): only where the configuration asks for protection.
    const mayBeProtected = /"(enable_)?deletion_protection": ?true/.test(JSON.stringify(original ?? {}));
    const shown = mayBeProtected ? await runner.terraform(stack, 'show', ['show', '-json'], TIMEOUTS_MS.state) : undefined;
    const guarded = shown?.status === 0 ? protectedResources(shown.stdout) : [];
    if (guarded.length > 0) {
      // Deletion protection refuses the destroy, in AWS as in moto: the runbook turns it off first.
      await runner.fixtures(['unprotect', ...guarded.flatMap((g) => [g.flag, g.id])]);
      report.log(`${stack}: deletion protection turned off on ${guarded.map((g) => g.id).join(', ')}`);
    }
    const stateBucket = holdsStateBucket(original, input.stateBucket);
    if (stateBucket) {
      // The state files of the stacks destroyed before are still in it (versioned); an operator empties it.
      const emptied = await runner.fixtures<{ deleted: number }>(['empty-bucket', '--bucket', stateBucket]);
      report.log(`${stack}: emptied state bucket ${stateBucket} (${emptied.deleted} object versions)`);
    }
    const destroy = await runner.terraform(stack, 'destroy', ['destroy', '-input=false', PARALLELISM, '-auto-approve'], TIMEOUTS_MS.destroy);
    row.seconds.destroy = destroy.seconds;
    if (destroy.status !== 0) {
      report.fail(stack, 'destroy failed');
      return false;
    }
    const state = await runner.terraform(stack, 'state-list', ['state', 'list'], TIMEOUTS_MS.state);
    const left = stateResources(state.stdout);
    if (left.length > 0) report.fail(stack, `destroy left ${left.length} resources in state: ${left.join(', ')}`);
    else report.log(`${stack}: destroyed in ${destroy.seconds.toFixed(1)} s`);
    return left.length === 0;
  }, false);
}

/** create → converge → afterConverged → destroy of every initialised stack, in reverse dependency order. */
export async function runPhases(runner: Runner, report: Report, input: PhaseInput): Promise<void> {
  const started = Date.now();
  const timed = async (phase: string, fn: () => Promise<unknown>): Promise<void> => {
    const t0 = Date.now();
    try {
      await fn();
    } finally {
      report.phaseSeconds[phase] = (Date.now() - t0) / 1000;
    }
  };
  let touched: string[] = [];
  await timed('create', async () => (touched = await createStacks(runner, report, input)));
  const created = touched.length === input.order.length && touched.every((s) => report.row(s).failures.length === 0);
  if (created) await timed('converge', () => convergeStacks(runner, report, input.order, input.replanConcurrency));
  const converged = created && input.order.every((s) => report.row(s).secondPlan === 'no changes');
  try {
    if (converged && input.afterConverged) await timed('checks', input.afterConverged);
  } finally {
    await timed('destroy', () => destroyStacks(runner, report, touched, input));
    report.phaseSeconds.total = (Date.now() - started) / 1000;
  }
}

/** ok only when every phase ran: created, converged, destroyed. */
export function result(r: StackRow): 'ok' | 'FAIL' | 'not run' {
  if (r.failures.length > 0) return 'FAIL';
  return r.resources !== undefined && r.secondPlan === 'no changes' && r.seconds.destroy !== undefined ? 'ok' : 'not run';
}

export interface Summary {
  readonly ok: boolean;
  /** Stacks created, converged and destroyed. */
  readonly passed: number;
  /** Stacks (environment-level rows left out). */
  readonly stacks: number;
  readonly failed: readonly StackRow[];
}

/** The run passes when every stack passed, nothing failed (also at environment level) and there was a stack. */
export function summarize(rows: readonly StackRow[]): Summary {
  const failed = rows.filter((r) => r.failures.length > 0);
  const stacks = rows.filter((r) => r.stack !== '(environment)');
  const passed = stacks.filter((r) => result(r) === 'ok').length;
  return { ok: passed === stacks.length && failed.length === 0 && stacks.length > 0, passed, stacks: stacks.length, failed };
}
