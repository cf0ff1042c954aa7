/**
 * Starts moto's server through the project's launcher (moto_launcher.py: gap patches, a free loopback port) and
 * waits until it answers. The caller stops it with `stop()` in a finally block; process.ts also kills it by PID at
 * exit, and the launcher stops itself when its stdin closes or its --max-seconds run out.
 */
import { spawnSync } from 'child_process';
import { createWriteStream } from 'fs';
import * as http from 'http';
import * as path from 'path';
import { PROJECT_ROOT } from '../lib/terraform-env';
import { startService } from './process';


export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  readonly patches: readonly string[];
  stop(): Promise<void>;
}

export interface MotoCheck {
  readonly ok: boolean;
  /** moto version, or why it is not usable. */
  readonly detail: string;
}

/** Whether `python` can import moto (with its server extras) and boto3. */
export function checkMoto(python: string): MotoCheck {
  const res = spawnSync(python, ['-c', 'import moto, boto3, werkzeug, flask; from moto.moto_server import werkzeug_app; print(moto.__version__)'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (res.error) return { ok: false, detail: `${python} cannot run: ${res.error.message}` };
  if (res.status !== 0) return { ok: false, detail: `${python} cannot import moto's server (pip install 'moto[server]'): ${res.stderr.trim().split('\n').pop()}` };
  return { ok: true, detail: `moto ${res.stdout.trim()}` };
}

/** The directory of the Python helpers: the source tree, also when this file runs compiled from dist/. */
export function pythonDir(): string {
  return path.join(PROJECT_ROOT, 'scripts', 'emulator');
}

function probe(endpoint: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${endpoint}/moto-api/data.json`, { timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

export interface StartOptions {
  readonly python: string;
  /** The launcher's stderr (moto's request log) goes here. */
  readonly logFile: string;
  /** @default 60_000 */
  readonly readyTimeoutMs?: number;
  /** The launcher stops itself after this long whatever happens. @default 3600 */
  readonly maxSeconds?: number;
  /** Patches to leave out (moto_launcher.py --skip), to see whether a moto upgrade made one unnecessary. @default [] */
  readonly skipPatches?: readonly string[];
}

export async function startMoto(options: StartOptions): Promise<MotoServer> {
  const skip = (options.skipPatches ?? []).flatMap((name) => ['--skip', name]);
  const args = [path.join(pythonDir(), 'moto_launcher.py'), '--host', '127.0.0.1', '--port', '0', '--max-seconds', String(options.maxSeconds ?? 3600), ...skip];
  const service = startService(options.python, args, {
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  const log = createWriteStream(options.logFile);
  service.child.stderr?.pipe(log);
  try {
    const listening = await new Promise<{ port: number; pid: number; patches: string[] }>((resolve, reject) => {
      let buffer = '';
      const timer = setTimeout(() => reject(new Error(`moto did not start within ${(options.readyTimeoutMs ?? 60_000) / 1000} s; see ${options.logFile}`)), options.readyTimeoutMs ?? 60_000);
      service.child.on('close', (code) => {
        clearTimeout(timer);
        reject(new Error(`moto launcher exited (code ${code}) before listening; see ${options.logFile}`));
      });
      service.child.stdout?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const line = buffer.split('\n').find((l) => l.startsWith('{'));
        if (!line) return;
        clearTimeout(timer);
        try {
          const event = JSON.parse(line) as { event: string; port: number; pid: number; patches: string[] };
          if (event.event === 'listening') resolve(event);
          else reject(new Error(`unexpected launcher output: ${line}`));
        } catch (e) {
          reject(new Error(`unparsable launcher output: ${line} (${(e as Error).message})`));
        }
      });
    });
    const endpoint = `http://127.0.0.1:${listening.port}`;
    const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
    while (!(await probe(endpoint))) {
      if (Date.now() > deadline) throw new Error(`moto on ${endpoint} did not answer; see ${options.logFile}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return {
      endpoint,
      port: listening.port,
      pid: service.pid,
      patches: listening.patches,
      stop: async () => {
        await service.stop();
        log.end();
      },
    };
  } catch (e) {
    await service.stop();
    log.end();
    throw e;
  }
}
