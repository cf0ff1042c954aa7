/**
 * Finds the terraform binary and an offline provider mirror, and writes the Terraform CLI configuration that points
 * at it. Shared by the validate step and the emulator tier; the generated file lives in `.tf-cli/` (git-ignored),
 * so nobody edits ~/.terraformrc by hand.
 */
import { spawn, spawnSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

export const PROJECT_ROOT = findProjectRoot(__dirname);

function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

export interface TerraformBinary {
  readonly path: string;
  readonly version: string;
}

/** The terraform on PATH (or TERRAFORM_BINARY), or undefined when there is none. */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): TerraformBinary | undefined {
  const bin = env.TERRAFORM_BINARY || 'terraform';
  const res = spawnSync(bin, ['version', '-json'], { encoding: 'utf8', env: { ...env, CHECKPOINT_DISABLE: '1' } });
  if (res.error || res.status !== 0) return undefined;
  try {
    return { path: bin, version: (JSON.parse(res.stdout) as { terraform_version: string }).terraform_version };
  } catch {
    return undefined;
  }
}

/** A provider found in a mirror: `registry.terraform.io/hashicorp/aws` 5.100.0 for linux_amd64. */
export interface MirroredProvider {
  readonly source: string;
  readonly version: string;
  readonly platform: string;
  readonly dir: string;
}

export interface ProviderMirror {
  readonly path: string;
  readonly providers: readonly MirroredProvider[];
}

/** Where offline mirrors are usually laid out; TF_PROVIDER_MIRROR names another. */
export function mirrorCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = os.homedir();
  return [
    env.TF_PROVIDER_MIRROR,
    '/opt/tf-plugins',
    path.join(home, '.terraform.d', 'plugins'),
    path.join(home, '.local', 'share', 'terraform', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
  ].filter((p): p is string => !!p);
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => statSync(path.join(dir, name)).isDirectory());
  } catch {
    return [];
  }
}

/** The first candidate holding at least one provider in the unpacked layout HOST/NAMESPACE/TYPE/VERSION/OS_ARCH. */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): ProviderMirror | undefined {
  const platform = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
  for (const root of mirrorCandidates(env)) {
    const providers: MirroredProvider[] = [];
    for (const host of listDirs(root)) {
      for (const ns of listDirs(path.join(root, host))) {
        for (const type of listDirs(path.join(root, host, ns))) {
          for (const version of listDirs(path.join(root, host, ns, type))) {
            const dir = path.join(root, host, ns, type, version, platform);
            if (existsSync(dir)) providers.push({ source: `${host}/${ns}/${type}`, version, platform, dir });
          }
        }
      }
    }
    if (providers.length > 0) return { path: root, providers };
  }
  return undefined;
}

export interface CliConfig {
  /** The generated file; pass it as TF_CLI_CONFIG_FILE. */
  readonly file: string;
  readonly mirror?: ProviderMirror;
  /** Environment for terraform child processes: never with debug logging (withoutTerraformLogging). */
  readonly env: NodeJS.ProcessEnv;
  /** The logging variables taken out of `env`, to say so. */
  readonly removedLogging: readonly string[];
}

/**
 * Terraform's and the providers' log switches: TF_LOG, TF_LOG_CORE, TF_LOG_PROVIDER, TF_LOG_PROVIDER_<NAME>,
 * TF_LOG_PATH, and the plugin SDK's TF_LOG_SDK* (Terraform docs, "Debugging Terraform"; terraform-plugin-log).
 */
const TERRAFORM_LOG_VARIABLE = /^TF_LOG(_|$)/;

/**
 * The environment without Terraform's logging variables. At debug or trace level the AWS provider logs every API
 * request and response body, write-only values included (docs/secrets.md#debug-logs-print-secrets): the checks never
 * run terraform with them, whatever the caller's shell has.
 */
export function withoutTerraformLogging(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; removed: string[] } {
  const out: NodeJS.ProcessEnv = {};
  const removed: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (TERRAFORM_LOG_VARIABLE.test(k)) removed.push(k);
    else out[k] = v;
  }
  return { env: out, removed: removed.sort() };
}

/**
 * Writes `.tf-cli/terraformrc`: the mirror's providers come from the mirror, everything else from the registry
 * (which fails offline, loudly). The plugin cache links to the mirror instead of copying its 700 MB binaries into
 * every stack's .terraform directory.
 */
export function writeCliConfig(root = PROJECT_ROOT, env: NodeJS.ProcessEnv = process.env): CliConfig {
  const dir = path.join(root, '.tf-cli');
  const cache = path.join(dir, 'plugin-cache');
  mkdirSync(cache, { recursive: true });
  const mirror = findProviderMirror(env);
  const lines: string[] = ['# Generated by scripts/lib/terraform-env.ts; do not edit.'];
  if (mirror) {
    const sources = [...new Set(mirror.providers.map((p) => p.source))].sort();
    for (const p of mirror.providers) {
      const link = path.join(cache, p.source, p.version, p.platform);
      mkdirSync(path.dirname(link), { recursive: true });
      rmSync(link, { recursive: true, force: true });
      symlinkSync(p.dir, link);
    }
    lines.push(
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(mirror.path)}`,
      `    include = ${JSON.stringify(sources)}`,
      '  }',
      '  direct {',
      `    exclude = ${JSON.stringify(sources)}`,
      '  }',
      '}',
    );
  }
  // Since Terraform 1.4 a cache entry without a checksum in the stack's lock file is ignored and the provider is
  // re-installed into the cache on every init; the checks run many inits at once, and two re-installs of the same
  // entry race (`mkdir ...: file exists`). The cache here holds only links to the local mirror, so it is trusted.
  lines.push(
    `plugin_cache_dir = ${JSON.stringify(cache)}`,
    'plugin_cache_may_break_dependency_lock_file = true',
    'disable_checkpoint = true',
    '',
  );
  const file = path.join(dir, 'terraformrc');
  writeFileSync(file, lines.join('\n'));
  const quiet = withoutTerraformLogging(env);
  return {
    file,
    mirror,
    env: { ...quiet.env, TF_CLI_CONFIG_FILE: file, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' },
    removedLogging: quiet.removed,
  };
}

export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

export function runTerraform(tf: TerraformBinary, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 15 * 60_000): RunResult {
  const start = process.hrtime.bigint();
  const res = spawnSync(tf.path, [...args, '-no-color'], { cwd, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return {
    status: res.status ?? 1,
    stdout: res.stdout ?? '',
    stderr: (res.stderr ?? '') + (res.error ? `\n${res.error.message}` : ''),
    seconds: Number(process.hrtime.bigint() - start) / 1e9,
  };
}

/** The same as runTerraform, without blocking: lets independent stacks be checked side by side. */
export function runTerraformAsync(tf: TerraformBinary, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 15 * 60_000): Promise<RunResult> {
  const start = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(tf.path, [...args, '-no-color'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      stderr += `\nterraform ${args[0]} timed out after ${timeoutMs / 1000} s`;
      child.kill('SIGTERM');
    }, timeoutMs);
    const done = (status: number) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, seconds: Number(process.hrtime.bigint() - start) / 1e9 });
    };
    child.on('error', (e) => {
      stderr += `\n${e.message}`;
      done(1);
    });
    child.on('close', (code) => done(code ?? 1));
  });
}

/** Runs `task` over `items` with at most `limit` in flight, keeping the input order in the results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
