/**
 * Child processes of the emulator tier: every one has a timeout, runs in its own process group (so a timeout or
 * an interrupt ends terraform together with its provider plugins), and is ended when this process exits for any
 * reason, including Ctrl-C and an uncaught exception. Only processes started here are ever signalled, by PID.
 */
import { ChildProcess, spawn } from 'child_process';

const live = new Set<ChildProcess>();
const cleanups = new Set<() => void>();
let handlersInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // the group this child leads (spawned detached)
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Ends every child still running and runs the registered cleanups; synchronous, so safe in an 'exit' handler. */
export function cleanupNow(): void {
  for (const fn of [...cleanups]) {
    cleanups.delete(fn);
    try {
      fn();
    } catch {
      // best effort: the remaining cleanups still run
    }
  }
  for (const child of live) killGroup(child, 'SIGKILL');
}

/** Registers a synchronous cleanup (e.g. stopping the emulator by PID); returns its deregistration. */
export function onCleanup(fn: () => void): () => void {
  installHandlers();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', cleanupNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      process.stderr.write(`\nemulator: ${signal}: stopping child processes\n`);
      for (const child of live) killGroup(child, 'SIGTERM');
      cleanupNow();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  process.on('uncaughtException', (e) => {
    process.stderr.write(`emulator: uncaught exception: ${e.stack ?? e}\n`);
    cleanupNow();
    process.exit(1);
  });
  process.on('unhandledRejection', (e) => {
    process.stderr.write(`emulator: unhandled rejection: ${(e as Error)?.stack ?? e}\n`);
    cleanupNow();
    process.exit(1);
  });
}

export interface ExecOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Hard limit; the process group gets SIGTERM, then SIGKILL 10 s later. */
  readonly timeoutMs: number;
}

export interface ExecResult {
  /** Exit code; null when ended by a signal. */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
  readonly timedOut: boolean;
}

export function exec(command: string, args: readonly string[], options: ExecOptions): Promise<ExecResult> {
  installHandlers();
  const start = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
    }, options.timeoutMs);
    const finish = (status: number | null, extra = '') => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      live.delete(child);
      resolve({
        status,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8') + extra + (timedOut ? `\n(timed out after ${options.timeoutMs / 1000} s)` : ''),
        seconds: Number(process.hrtime.bigint() - start) / 1e9,
        timedOut,
      });
    };
    child.on('error', (e) => finish(null, `\n${e.message}`));
    child.on('close', (code) => finish(timedOut ? null : code));
  });
}

/**
 * A long-running child whose stdin stays open: the child can treat EOF as "the parent is gone" (moto_launcher.py
 * does). The caller must stop it with `stop()`; it is also killed by PID at exit.
 */
export interface Service {
  readonly child: ChildProcess;
  readonly pid: number;
  stop(graceMs?: number): Promise<void>;
}

export function startService(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }): Service {
  installHandlers();
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  live.add(child);
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  child.on('close', () => live.delete(child));
  const deregister = onCleanup(() => killGroup(child, 'SIGKILL'));
  return {
    child,
    pid,
    async stop(graceMs = 5_000) {
      deregister();
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(child, 'SIGTERM');
      child.stdin?.end();
      const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
      if ((await Promise.race([exited.then(() => 'exited' as const), timer])) === 'timeout') {
        killGroup(child, 'SIGKILL');
        await exited;
      }
    },
  };
}
