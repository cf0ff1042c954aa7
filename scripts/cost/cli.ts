/**
 * `npm run cost`: synthesizes dev and prod (and the environment GATEWAY_ENV with GATEWAY_CONFIG_FILE, when one is
 * given), reads every `<env>-*` stack's cdk.tf.json and prints a monthly estimate per environment.
 *
 *   npm run cost                                   # tables for dev and prod
 *   npm run cost -- --json                         # {"environments": {"dev": {"total": ..., "lines": [...], "unpriced": [...]}}}
 *   npm run cost -- --env prod --sources           # one environment, with the price source of every unit price
 *   npm run cost -- --summary                      # Markdown: environments side by side, by resource (README.md)
 *   npm run cost -- --assume requestsPerMonth=100000 --assume prod.natBaseGb=20
 *   npm run cost -- --assumptions usage.json       # {"requestsPerMonth": 1e5, "environments": {"prod": {...}}}
 *   npm run cost -- --stacks cdktf.out/stacks      # price stacks synthesized elsewhere, grouped by <env>- prefix
 *   GATEWAY_ENV=dev-lean GATEWAY_CONFIG_FILE=examples/dev-lean.json npm run cost   # adds an example environment
 *
 * Per environment it prints the fixed cost (at zero requests), the marginal cost per million requests by the
 * resource that bills it (scripts/cost/traffic.ts), the total at the assumed requests, Bedrock's tokens per model on
 * their own lines, and every assumption (each one can be overridden with --assume).
 *
 * The bootstrap stack (state bucket, lock table) is shared by all environments and is not priced.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { basename, join } from 'path';
import { CONFIG_FILE_ENV_VAR, ENV_VAR, loadConfig, loadConfigFromEnv } from '../../config';
import { buildApp } from '../../main';
import { EXAMPLE_ON_CALL } from '../lib/profiles';
import { AssumptionOverrides, assumptionsFor, parseAssume } from './assumptions';
import { EnvironmentEstimate, estimateEnvironment } from './estimate';
import { toJson, toSummary, toText } from './report';
import { capacityText } from '../capacity';
import { compareEstimates, egressText } from './network-paths';

export interface CliOptions {
  readonly json: boolean;
  readonly sources: boolean;
  /** A Markdown table of the environments side by side, by category. */
  readonly summary?: boolean;
  readonly environments: readonly string[];
  readonly stacksDir?: string;
  readonly overrides: AssumptionOverrides;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  let json = false;
  let sources = false;
  let summary = false;
  let stacksDir: string | undefined;
  const environments: string[] = [];
  const into = { all: {} as Record<string, unknown>, environments: {} as Record<string, Record<string, unknown>> };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => {
      const value = argv[++i];
      if (value === undefined) throw new Error(`cost: ${arg} needs a value`);
      return value;
    };
    if (arg === '--json') json = true;
    else if (arg === '--sources') sources = true;
    else if (arg === '--summary') summary = true;
    else if (arg === '--env') environments.push(next());
    else if (arg === '--stacks') stacksDir = next();
    else if (arg === '--assume') parseAssume(next(), into);
    else if (arg === '--assumptions') {
      const file = next();
      const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      const { environments: perEnv, ...all } = doc;
      Object.assign(into.all, all);
      for (const [env, values] of Object.entries((perEnv ?? {}) as Record<string, Record<string, unknown>>)) into.environments[env] = { ...(into.environments[env] ?? {}), ...values };
    } else throw new Error(`cost: unknown argument ${JSON.stringify(arg)}; allowed: --json, --sources, --summary, --env <name>, --stacks <dir>, --assume key=value, --assumptions <file>`);
  }
  return { json, sources, summary, environments, stacksDir, overrides: into };
}

/** The environment of a stack name `<env>-<stack>` (an environment name may hold hyphens: `dev-lean-gateway`). */
export function environmentOfStack(name: string): string {
  return name.includes('-') ? name.slice(0, name.lastIndexOf('-')) : name;
}

/** Every `<prefix><stack>` stack's cdk.tf.json under a synth output's `stacks/` directory (`dev-` takes dev's, not dev-lean's). */
export function readStacks(stacksDir: string, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of readdirSync(stacksDir).sort()) {
    if (!name.startsWith(prefix) || `${environmentOfStack(name)}-` !== prefix) continue;
    out[name] = JSON.parse(readFileSync(join(stacksDir, name, 'cdk.tf.json'), 'utf8'));
  }
  return out;
}

function synthesize(label: string, config: ReturnType<typeof loadConfig>): Record<string, unknown> {
  const outdir = mkdtempSync(join(tmpdir(), 'llm-gateway-cost-'));
  try {
    buildApp({ config, outdir }).synth();
    return readStacks(join(outdir, 'stacks'), `${config.environment}-`);
  } catch (e) {
    throw new Error(`cost: synthesizing ${label} failed: ${(e as Error).message}`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export function run(options: CliOptions, env: NodeJS.ProcessEnv = process.env): EnvironmentEstimate[] {
  const estimates: EnvironmentEstimate[] = [];
  if (options.stacksDir) {
    const names = readdirSync(options.stacksDir).filter((n) => n !== 'bootstrap');
    const found = [...new Set(names.map(environmentOfStack))].sort();
    for (const environment of options.environments.length > 0 ? options.environments : found) {
      estimates.push(estimateEnvironment(environment, readStacks(options.stacksDir, `${environment}-`), assumptionsFor(environment, options.overrides)));
    }
    return estimates;
  }
  const environments = options.environments.length > 0 ? options.environments : ['dev', 'prod'];
  for (const environment of environments) {
    estimates.push(estimateEnvironment(environment, synthesize(environment, loadConfig({ environment, overrides: EXAMPLE_ON_CALL })), assumptionsFor(environment, options.overrides)));
  }
  const file = env[CONFIG_FILE_ENV_VAR];
  if (file) {
    const config = loadConfigFromEnv(env);
    const label = `${config.environment}+${basename(file)}`;
    estimates.push(estimateEnvironment(label, synthesize(`${env[ENV_VAR] ?? 'dev'} with ${file}`, config), assumptionsFor(config.environment, options.overrides, config.baseEnvironment)));
  }
  return estimates;
}

if (require.main === module) {
  try {
    const options = parseArgs(process.argv.slice(2));
    const estimates = run(options);
    // The NAT gateway against interface endpoints per environment (scripts/cost/network-paths.ts), after the tables.
    const egress = compareEstimates(estimates);
    const text = options.summary ? toSummary(estimates) : `${toText(estimates, { sources: options.sources })}\n${egressText(egress)}`;
    // The capacity contract the priced fleet must hold (scripts/capacity.ts), after the plain-text estimate.
    const capacity = options.stacksDir ? '' : `\n${capacityText(options.environments.length > 0 ? options.environments : ['dev', 'prod'])}`;
    process.stdout.write(options.json ? `${JSON.stringify({ ...toJson(estimates), egress }, null, 2)}\n` : options.summary ? text : text + capacity);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}
