import { SynthesizedStack } from './overrides';
import { ExecResult } from './process';
import { Report, Runner, TIMEOUTS_MS, result, runPhases, summarize } from './phases';

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
