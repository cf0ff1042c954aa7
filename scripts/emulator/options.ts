/**
 * Every setting of the emulator tier, read from the environment in this one place and checked before anything
 * runs: a wrong value stops the run with the variable, the value and what is allowed, instead of a NaN timeout or
 * a mode that silently falls back. terraform-env.ts reads TERRAFORM_BINARY and TF_PROVIDER_MIRROR itself, because
 * `npm run test:validate` shares them.
 */
import * as os from 'os';
import * as path from 'path';
import { ENVIRONMENTS } from '../../config/environments';
import { ExampleEnvironment, exampleEnvironments } from '../lib/examples';
import { PROJECT_ROOT } from '../lib/terraform-env';

export type SecretsMode = 'generated' | 'existing';

export interface EmulatorOptions {
  /**
   * EMULATOR_ENVIRONMENTS: environments to run, in order: built-in ones, and ones an example file defines
   * (examples/*.json with an `environment` section, applied as that file configures them, like GATEWAY_CONFIG_FILE).
   * @default ['dev', 'prod'], plus each of DEFAULT_EXAMPLE_ENVIRONMENTS that an example file defines
   */
  readonly environments: readonly string[];
  /** The example files of the selected environments that one defines (the others are built in). */
  readonly examples: readonly ExampleEnvironment[];
  /** EMULATOR_PARALLEL (`1` or `0`): environments run side by side, each with its own moto. @default true */
  readonly parallel: boolean;
  /** EMULATOR_TIMEOUT_SECONDS: bound on the whole run. @default 1800 */
  readonly timeoutSeconds: number;
  /** EMULATOR_PYTHON: the interpreter with moto[server]. @default 'python3' */
  readonly python: string;
  /** EMULATOR_SECRETS: the stacks generate their secrets, or use fixture secrets created first. @default 'generated' */
  readonly secrets: SecretsMode;
  /** EMULATOR_SKIP_PATCHES: moto_launcher.py patches to leave out (it refuses an unknown name). @default [] */
  readonly skipPatches: readonly string[];
  /** EMULATOR_WORK_DIR, absolute: wiped at the start of every run. @default <tmp>/llm-gateway-emulator */
  readonly workDir: string;
  /** CI=true: a missing tool fails the run instead of skipping it loudly. @default false */
  readonly ci: boolean;
}

export class EmulatorOptionsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid emulator tier settings (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EmulatorOptionsError';
  }
}

/**
 * Example environments the default run applies too, when a file in examples/ defines them: dev-lean (a dev with the
 * cost levers and Spot tasks) applies the levers' resources, which neither dev nor prod has. Without the file the
 * default run is dev and prod, as before.
 */
export const DEFAULT_EXAMPLE_ENVIRONMENTS: readonly string[] = ['dev-lean'];

const DEFAULTS = {
  environments: ['dev', 'prod'],
  timeoutSeconds: 1800,
  python: 'python3',
  secrets: 'generated' as SecretsMode,
};

/** Comma-separated list, blanks dropped; undefined when the variable is unset or blank. */
function list(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return value.split(',').map((v) => v.trim()).filter(Boolean);
}

/**
 * Directories the run must never wipe (it removes the work dir recursively first): the filesystem root, the home
 * directory, the repository or anything that contains it. Inside the repository is refused too: `npm run synth`
 * wipes cdktf.out, and git would see the rest.
 */
function unsafeWorkDir(dir: string, env: NodeJS.ProcessEnv): string | undefined {
  const inside = (parent: string, child: string) => {
    const rel = path.relative(parent, child);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  if (dir === path.parse(dir).root) return 'the filesystem root';
  const home = env.HOME ? path.resolve(env.HOME) : undefined;
  if (home && dir === home) return 'the home directory';
  if (inside(dir, PROJECT_ROOT)) return 'the repository or a directory that contains it';
  if (inside(PROJECT_ROOT, dir)) return 'a directory inside the repository';
  return undefined;
}

/**
 * Reads and checks the emulator tier's settings; throws EmulatorOptionsError listing every problem at once.
 * @param loadExamples the example environments (examples/*.json), injectable for tests
 */
export function parseOptions(env: NodeJS.ProcessEnv = process.env, loadExamples: () => readonly ExampleEnvironment[] = exampleEnvironments): EmulatorOptions {
  const problems: string[] = [];
  const bad = (name: string, value: string | undefined, allowed: string) => problems.push(`${name}: got ${JSON.stringify(value)}; allowed: ${allowed}`);

  let available: readonly ExampleEnvironment[] = [];
  try {
    available = loadExamples();
  } catch (e) {
    problems.push(`examples/*.json: ${(e as Error).message}; allowed: JSON files, each one object of configuration fields`);
  }
  const known = [...Object.keys(ENVIRONMENTS), ...available.map((x) => x.name).filter((n) => !(n in ENVIRONMENTS))];
  const defaults = [...DEFAULTS.environments, ...DEFAULT_EXAMPLE_ENVIRONMENTS.filter((n) => available.some((x) => x.name === n))];
  const environments = list(env.EMULATOR_ENVIRONMENTS) ?? defaults;
  const unknown = environments.filter((e) => !known.includes(e));
  const repeated = environments.filter((e, i) => environments.indexOf(e) !== i);
  if (unknown.length > 0 || repeated.length > 0) {
    bad('EMULATOR_ENVIRONMENTS', env.EMULATOR_ENVIRONMENTS, `a comma-separated list of distinct environments among ${known.join(', ')} (the ones after dev and prod are defined by examples/*.json)`);
  }
  // A built-in name in an example file (examples/organisation.json has no section at all) stays the built-in one.
  const examples = environments.flatMap((e) => (e in ENVIRONMENTS ? [] : available.filter((x) => x.name === e)));

  const parallelRaw = env.EMULATOR_PARALLEL?.trim() || '1';
  if (parallelRaw !== '0' && parallelRaw !== '1') bad('EMULATOR_PARALLEL', env.EMULATOR_PARALLEL, '1 (environments side by side) or 0 (one after the other)');

  const timeoutRaw = env.EMULATOR_TIMEOUT_SECONDS?.trim() || String(DEFAULTS.timeoutSeconds);
  const timeoutSeconds = /^[0-9]+$/.test(timeoutRaw) ? Number(timeoutRaw) : NaN;
  if (!(timeoutSeconds >= 1 && timeoutSeconds <= 86_400)) bad('EMULATOR_TIMEOUT_SECONDS', env.EMULATOR_TIMEOUT_SECONDS, 'a whole number of seconds from 1 to 86400');

  const python = env.EMULATOR_PYTHON?.trim() || DEFAULTS.python;

  const secretsRaw = env.EMULATOR_SECRETS?.trim() || DEFAULTS.secrets;
  if (secretsRaw !== 'generated' && secretsRaw !== 'existing') bad('EMULATOR_SECRETS', env.EMULATOR_SECRETS, 'generated (the stacks generate their secrets) or existing (fixture secrets)');

  const skipPatches = list(env.EMULATOR_SKIP_PATCHES) ?? [];
  const badPatch = skipPatches.filter((p) => !/^[a-z0-9][a-z0-9-]*$/.test(p));
  if (badPatch.length > 0) bad('EMULATOR_SKIP_PATCHES', env.EMULATOR_SKIP_PATCHES, 'comma-separated patch names in lower-case kebab-case (moto_launcher.py --list-patches)');

  const workDir = path.resolve(env.EMULATOR_WORK_DIR?.trim() || path.join(os.tmpdir(), 'llm-gateway-emulator'));
  const unsafe = unsafeWorkDir(workDir, env);
  if (unsafe) bad('EMULATOR_WORK_DIR', env.EMULATOR_WORK_DIR, `a directory the run may wipe, not ${unsafe} (${workDir})`);

  if (problems.length > 0) throw new EmulatorOptionsError(problems);
  return {
    environments,
    examples,
    parallel: parallelRaw === '1',
    timeoutSeconds,
    python,
    secrets: secretsRaw as SecretsMode,
    skipPatches,
    workDir,
    ci: env.CI === 'true',
  };
}
