import { SynthesizedStack } from './overrides';
import { ExecResult } from './process';
import { Report, Runner, TIMEOUTS_MS, inGraph, result, runPhases, summarize } from './phases';

const ORDER = ['bootstrap', 'dev-networking', 'dev-database', 'dev-gateway'];
const BUCKET = 'state-bucket';

/**
 * Plays terraform: each stack holds two resources once applied and none once destroyed; `script` overrides the
 * status of one `<stack> <step>` call (e.g. `dev-networking apply`), and `calls` records every call in order.
 */
class FakeRunner implements Runner {
  readonly calls: string[] = [];
  readonly fixtureCalls: string[][] = [];
  private readonly applied = new Set<string>();

  constructor(
    private readonly script: Record<string, Partial<ExecResult>> = {},
    private readonly shown: Record<string, string> = {},
  ) {}

  async terraform(stack: string, step: string, _args: string[], timeoutMs: number): Promise<ExecResult> {
    expect(timeoutMs).toBeGreaterThan(0);
    this.calls.push(`${stack} ${step}`);
    const scripted = this.script[`${stack} ${step}`];
    const status = scripted?.status === undefined ? 0 : scripted.status;
    if (step === 'apply') this.applied.add(stack); // a failed apply may still have created some
    if (step === 'destroy' && status === 0) this.applied.delete(stack);
    const stdout =
      scripted?.stdout ??
      (step === 'state-list' ? (this.applied.has(stack) ? `data.aws_region.current\naws_a.${stack}\naws_b.${stack}\n` : '') : step === 'show' ? (this.shown[stack] ?? '{}') : '');
    return { status, stdout, stderr: '', seconds: 1, timedOut: false };
  }

  async fixtures<T>(args: string[]): Promise<T> {
    this.fixtureCalls.push(args);
    return (args[0] === 'empty-bucket' ? { deleted: 3 } : {}) as T;
  }

  /** The steps of one phase, in order. */
  steps(step: string): string[] {
    return this.calls.filter((c) => c.endsWith(` ${step}`)).map((c) => c.split(' ')[0]);
  }
}

const STACKS = new Map<string, SynthesizedStack>(
  ORDER.map((s) => [s, (s === 'bootstrap' ? { resource: { aws_s3_bucket: { state: { bucket: BUCKET } } } } : {}) as SynthesizedStack]),
);

async function run(runner: FakeRunner, afterConverged?: () => Promise<void>, stacks = STACKS): Promise<Report> {
  const report = new Report('dev', () => undefined);
  await runPhases(runner, report, { order: ORDER, stacks, stateBucket: BUCKET, replanConcurrency: 2, afterConverged });
  return report;
}

describe('runPhases', () => {
  test('GIVEN every command succeeds THEN each stack is created in order, re-planned, destroyed in reverse, and the run passes', async () => {
    const runner = new FakeRunner();
    const after = jest.fn(async () => undefined);
    const report = await run(runner, after);
    expect(runner.steps('apply')).toEqual(ORDER);
    expect(runner.steps('replan').sort()).toEqual([...ORDER].sort());
    expect(runner.steps('destroy')).toEqual([...ORDER].reverse());
    // Every apply before any re-plan, every re-plan before any destroy.
    const last = (step: string) => Math.max(...runner.calls.map((c, i) => (c.endsWith(` ${step}`) ? i : -1)));
    const first = (step: string) => runner.calls.findIndex((c) => c.endsWith(` ${step}`));
    expect(last('apply')).toBeLessThan(first('replan'));
    expect(last('replan')).toBeLessThan(first('destroy'));
    expect(after).toHaveBeenCalledTimes(1);
    const rows = [...report.rows.values()];
    expect(rows.map(result)).toEqual(['ok', 'ok', 'ok', 'ok']);
    // Data sources are not counted as resources.
    expect(rows.map((r) => r.resources)).toEqual([2, 2, 2, 2]);
    expect(rows.every((r) => r.secondPlan === 'no changes')).toBe(true);
    expect(summarize(rows)).toMatchObject({ ok: true, passed: 4, stacks: 4 });
    // The state bucket is emptied just before the stack that holds it is destroyed.
    expect(runner.fixtureCalls).toEqual([['empty-bucket', '--bucket', BUCKET]]);
  });

  test('GIVEN the apply of stack 2 fails THEN stacks 3 and 4 are never touched, 2 and 1 are destroyed in that order, and the failure is reported', async () => {
    const runner = new FakeRunner({ 'dev-networking apply': { status: 1 } });
    const after = jest.fn(async () => undefined);
    const report = await run(runner, after);
    expect(runner.steps('init')).toEqual(['bootstrap', 'dev-networking']);
    expect(runner.steps('replan')).toEqual([]);
    expect(after).not.toHaveBeenCalled();
    expect(runner.steps('destroy')).toEqual(['dev-networking', 'bootstrap']);
    expect(report.row('dev-networking').failures).toEqual(['apply failed']);
    // What the failed apply left behind is counted (and then destroyed).
    expect(report.row('dev-networking').resources).toBe(2);
    const summary = summarize([...report.rows.values()]);
    expect(summary.ok).toBe(false);
    expect(summary.failed.map((r) => r.stack)).toEqual(['dev-networking']);
    expect(result(report.row('bootstrap'))).toBe('not run');
    expect(report.lines).toContain('[dev] FAIL dev-networking: apply failed');
  });

  test('GIVEN the init of stack 2 fails THEN only stack 1 was touched, so only stack 1 is destroyed', async () => {
    const runner = new FakeRunner({ 'dev-networking init': { status: 1 } });
    const report = await run(runner);
    expect(runner.steps('plan')).toEqual(['bootstrap']);
    expect(runner.steps('destroy')).toEqual(['bootstrap']);
    expect(report.row('dev-networking').failures).toEqual(['terraform init failed']);
  });

  test('GIVEN a first plan fails THEN nothing is applied in that stack and the stacks before it are destroyed', async () => {
    const runner = new FakeRunner({ 'dev-database plan': { status: 1 } });
    const report = await run(runner);
    expect(runner.steps('apply')).toEqual(['bootstrap', 'dev-networking']);
    expect(runner.steps('destroy')).toEqual(['dev-database', 'dev-networking', 'bootstrap']);
    expect(report.row('dev-database').failures).toEqual(['first plan failed']);
  });

  test('GIVEN a second plan with changes THEN that stack fails with the diff, the others converge, and everything is still destroyed', async () => {
    const diff = 'Terraform will perform the following actions:\n  # aws_a.x will be updated in-place\nPlan: 0 to add, 1 to change, 0 to destroy.\n';
    const runner = new FakeRunner({ 'dev-gateway replan': { status: 2, stdout: diff } });
    const after = jest.fn(async () => undefined);
    const report = await run(runner, after);
    expect(report.row('dev-gateway').secondPlan).toBe('CHANGES');
    expect(report.row('dev-gateway').failures).toHaveLength(1);
    expect(report.row('dev-gateway').failures[0]).toMatch(/second plan is not empty \(perpetual diff\):\nTerraform will perform the following actions:[\s\S]*Plan: 0 to add, 1 to change/);
    expect(result(report.row('dev-gateway'))).toBe('FAIL');
    expect(result(report.row('dev-database'))).toBe('ok');
    // No rotation or secret search on a stack set that does not converge.
    expect(after).not.toHaveBeenCalled();
    expect(runner.steps('destroy')).toEqual([...ORDER].reverse());
    expect(summarize([...report.rows.values()])).toMatchObject({ ok: false, passed: 3, stacks: 4 });
  });

  test('GIVEN a second plan that errors THEN the stack fails as an error, not as changes', async () => {
    const report = await run(new FakeRunner({ 'dev-database replan': { status: 1 } }));
    expect(report.row('dev-database').secondPlan).toBe('error');
    expect(report.row('dev-database').failures).toEqual(['second plan failed']);
  });

  test('GIVEN a failed destroy THEN it is reported and the stacks after it in the destroy order are still destroyed', async () => {
    const runner = new FakeRunner({ 'dev-database destroy': { status: 1 } });
    const report = await run(runner);
    expect(runner.steps('destroy')).toEqual([...ORDER].reverse());
    expect(report.row('dev-database').failures).toEqual(['destroy failed']);
    expect(result(report.row('dev-database'))).toBe('FAIL');
    expect(summarize([...report.rows.values()])).toMatchObject({ ok: false, passed: 3 });
  });

  test('GIVEN a destroy that exits 0 but leaves resources in state THEN the stack fails and names them', async () => {
    const runner = new FakeRunner({ 'dev-gateway state-list': { stdout: 'aws_lb.alb\n' } });
    const report = await run(runner);
    expect(report.row('dev-gateway').failures).toEqual(['destroy left 1 resources in state: aws_lb.alb']);
  });

  test('GIVEN deletion protection in the configuration and the state THEN it is turned off through the API before that destroy only', async () => {
    const protectedStack = { resource: { aws_rds_cluster: { cluster: { deletion_protection: true } } } } as unknown as SynthesizedStack;
    const stacks = new Map(STACKS).set('dev-database', protectedStack);
    const state = JSON.stringify({ values: { root_module: { resources: [{ type: 'aws_rds_cluster', values: { deletion_protection: true, cluster_identifier: 'db-1' } }] } } });
    const runner = new FakeRunner({}, { 'dev-database': state });
    await run(runner, undefined, stacks);
    expect(runner.steps('show')).toEqual(['dev-database']);
    expect(runner.fixtureCalls[0]).toEqual(['unprotect', '--rds-cluster', 'db-1']);
    const unprotectAt = runner.calls.indexOf('dev-database show');
    expect(unprotectAt).toBeLessThan(runner.calls.indexOf('dev-database destroy'));
  });

  test('GIVEN the step after convergence throws THEN the stacks are destroyed anyway and the error reaches the caller', async () => {
    const runner = new FakeRunner();
    const report = new Report('dev', () => undefined);
    await expect(runPhases(runner, report, { order: ORDER, stacks: STACKS, stateBucket: BUCKET, afterConverged: async () => Promise.reject(new Error('fixtures.py leak-check failed')) })).rejects.toThrow('leak-check failed');
    expect(runner.steps('destroy')).toEqual([...ORDER].reverse());
  });
});

describe('runPhases: time per phase', () => {
  test('GIVEN a run THEN the seconds of create, converge, the checks and destroy are recorded, and the total covers them', async () => {
    const report = await run(new FakeRunner(), () => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(Object.keys(report.phaseSeconds)).toEqual(['create', 'converge', 'checks', 'destroy', 'total']);
    expect(report.phaseSeconds.checks).toBeGreaterThanOrEqual(0.04);
    const { total, ...phases } = report.phaseSeconds;
    expect(total).toBeGreaterThanOrEqual(Object.values(phases).reduce((a, b) => a + b, 0) - 0.01);
  });

  test('GIVEN a failed create THEN only create and destroy are timed', async () => {
    const report = await run(new FakeRunner({ 'dev-networking apply': { status: 1 } }));
    expect(Object.keys(report.phaseSeconds)).toEqual(['create', 'destroy', 'total']);
  });
});

describe('runPhases with an interrupted apply (interruptedApply)', () => {
  const interrupted = new Map([['dev-database', ['aws_rds_cluster.cluster']]]);

  test('GIVEN targets for a stack THEN they are applied alone after init, then the stack is planned and applied in full', async () => {
    const runner = new FakeRunner();
    const report = new Report('dev', () => undefined);
    await runPhases(runner, report, { order: ORDER, stacks: STACKS, stateBucket: BUCKET, interruptedApply: interrupted });
    const database = runner.calls.filter((c) => c.startsWith('dev-database ')).map((c) => c.split(' ')[1]);
    expect(database.slice(0, 4)).toEqual(['init', 'interrupted-apply', 'plan', 'apply']);
    expect(runner.calls.filter((c) => c.endsWith(' interrupted-apply'))).toEqual(['dev-database interrupted-apply']);
    expect(summarize([...report.rows.values()]).ok).toBe(true);
  });

  test('GIVEN the partial apply fails THEN the stack fails and nothing after it is created', async () => {
    const runner = new FakeRunner({ 'dev-database interrupted-apply': { status: 1 } });
    const report = new Report('dev', () => undefined);
    await runPhases(runner, report, { order: ORDER, stacks: STACKS, stateBucket: BUCKET, interruptedApply: interrupted });
    expect(report.row('dev-database').failures).toEqual(['apply -target aws_rds_cluster.cluster (an apply stopped after them) failed']);
    expect(runner.steps('plan')).not.toContain('dev-gateway');
  });
});

describe('runPhases over a dependency graph', () => {
  // The product's shape: observability and edge both follow the gateway, not each other.
  const GRAPH_ORDER = ['bootstrap', 'dev-networking', 'dev-gateway', 'dev-observability', 'dev-edge'];
  const AFTER = new Map<string, string[]>([
    ['bootstrap', []],
    ['dev-networking', ['bootstrap']],
    ['dev-gateway', ['bootstrap', 'dev-networking']],
    ['dev-observability', ['bootstrap', 'dev-gateway']],
    ['dev-edge', ['bootstrap', 'dev-gateway', 'dev-networking']],
  ]);
  const GRAPH_STACKS = new Map<string, SynthesizedStack>(
    GRAPH_ORDER.map((s) => [s, (s === 'bootstrap' ? { resource: { aws_s3_bucket: { state: { bucket: BUCKET } } } } : {}) as SynthesizedStack]),
  );
  const runGraph = async (runner: FakeRunner, stackConcurrency: number): Promise<Report> => {
    const report = new Report('dev', () => undefined);
    await runPhases(runner, report, { order: GRAPH_ORDER, after: AFTER, stackConcurrency, stacks: GRAPH_STACKS, stateBucket: BUCKET, replanConcurrency: 2 });
    return report;
  };
  const span = (runner: FakeRunner, stack: string, from: string, to: string): [number, number] => [
    runner.calls.indexOf(`${stack} ${from}`),
    runner.calls.indexOf(`${stack} ${to}`),
  ];
  const overlap = (a: [number, number], b: [number, number]) => a[0] < b[1] && b[0] < a[1];

  test('GIVEN two stacks that follow the gateway and concurrency 2 THEN they are created side by side and destroyed side by side, each after what it follows and before what follows it', async () => {
    const runner = new FakeRunner();
    const report = await runGraph(runner, 2);
    expect(summarize([...report.rows.values()])).toMatchObject({ ok: true, passed: 5 });
    expect(overlap(span(runner, 'dev-observability', 'init', 'state-list'), span(runner, 'dev-edge', 'init', 'state-list'))).toBe(true);
    // Each is created only once the gateway's apply (and state list) finished.
    const gatewayCreated = runner.calls.indexOf('dev-gateway state-list');
    expect(runner.calls.indexOf('dev-observability init')).toBeGreaterThan(gatewayCreated);
    expect(runner.calls.indexOf('dev-edge init')).toBeGreaterThan(gatewayCreated);
    const destroyed = runner.steps('destroy');
    expect(destroyed.slice(0, 2).sort()).toEqual(['dev-edge', 'dev-observability']);
    expect(destroyed.slice(2)).toEqual(['dev-gateway', 'dev-networking', 'bootstrap']);
    // The gateway is destroyed only after both followers finished theirs.
    const gatewayDestroy = runner.calls.indexOf('dev-gateway destroy');
    expect(runner.calls.lastIndexOf('dev-edge state-list')).toBeLessThan(gatewayDestroy);
    expect(runner.calls.lastIndexOf('dev-observability state-list')).toBeLessThan(gatewayDestroy);
  });

  test('GIVEN concurrency 1 THEN the run is the plain order, one stack at a time', async () => {
    const runner = new FakeRunner();
    await runGraph(runner, 1);
    expect(runner.steps('init')).toEqual(GRAPH_ORDER);
    expect(runner.steps('destroy')).toEqual([...GRAPH_ORDER].reverse());
    expect(overlap(span(runner, 'dev-observability', 'init', 'state-list'), span(runner, 'dev-edge', 'init', 'state-list'))).toBe(false);
  });

  test('GIVEN the observability apply fails while the edge is being created THEN the edge finishes, nothing new starts, and every touched stack is destroyed after its followers', async () => {
    const runner = new FakeRunner({ 'dev-observability apply': { status: 1 } });
    const report = await runGraph(runner, 2);
    expect(runner.steps('apply')).toEqual(['bootstrap', 'dev-networking', 'dev-gateway', 'dev-observability', 'dev-edge']);
    expect(runner.steps('replan')).toEqual([]);
    expect(report.row('dev-observability').failures).toEqual(['apply failed']);
    expect(report.row('dev-edge')).toMatchObject({ resources: 2, failures: [] });
    expect(runner.steps('destroy').slice(2)).toEqual(['dev-gateway', 'dev-networking', 'bootstrap']);
  });

  test('GIVEN the gateway apply fails THEN neither follower is ever initialised', async () => {
    const runner = new FakeRunner({ 'dev-gateway apply': { status: 1 } });
    await runGraph(runner, 2);
    expect(runner.steps('init')).toEqual(['bootstrap', 'dev-networking', 'dev-gateway']);
    expect(runner.steps('destroy')).toEqual(['dev-gateway', 'dev-networking', 'bootstrap']);
  });
});

describe('inGraph', () => {
  test('GIVEN a limit of 2 and four independent items THEN never more than 2 run at once and all run', async () => {
    let running = 0;
    let peak = 0;
    const ran: string[] = [];
    await inGraph(['a', 'b', 'c', 'd'], () => [], 2, async (item) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      ran.push(item);
      running -= 1;
      return true;
    }, true);
    expect(peak).toBe(2);
    expect(ran.sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  test('GIVEN stopOnFailure off THEN an item still runs after what it waits for failed', async () => {
    const ran: string[] = [];
    await inGraph(['a', 'b'], (i) => (i === 'b' ? ['a'] : []), 2, async (item) => {
      ran.push(item);
      return item !== 'a';
    }, false);
    expect(ran).toEqual(['a', 'b']);
  });

  test('GIVEN fn throws THEN the error reaches the caller', async () => {
    await expect(inGraph(['a'], () => [], 1, async () => Promise.reject(new Error('boom')), true)).rejects.toThrow('boom');
  });
});

describe('summarize', () => {
  test('GIVEN an environment-level failure and every stack ok THEN the run fails', () => {
    const ok = { env: 'dev', stack: 'a', resources: 1, secondPlan: 'no changes', seconds: { destroy: 1 }, failures: [] };
    const env = { env: 'dev', stack: '(environment)', secondPlan: '-', seconds: {}, failures: ['secrets: FOUND ...'] };
    expect(summarize([ok, env])).toMatchObject({ ok: false, passed: 1, stacks: 1 });
    expect(summarize([ok])).toMatchObject({ ok: true });
    expect(summarize([])).toMatchObject({ ok: false, stacks: 0 });
  });

  test('the per-command limits are the documented ones', () => {
    expect(TIMEOUTS_MS).toMatchObject({ init: 180_000, plan: 600_000, apply: 900_000, destroy: 900_000 });
  });
});
