import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ExampleEnvironment, exampleEnvironments } from '../lib/examples';
import { PROJECT_ROOT } from '../lib/terraform-env';
import { DEFAULT_EXAMPLE_ENVIRONMENTS, EmulatorOptionsError, parseOptions } from './options';

/** No example file defines an environment (examples/ as on a branch without dev-lean.json). */
const NONE = (): ExampleEnvironment[] => [];

const problemsOf = (env: NodeJS.ProcessEnv, examples: () => readonly ExampleEnvironment[] = NONE): readonly string[] => {
  try {
    parseOptions(env, examples);
  } catch (e) {
    if (e instanceof EmulatorOptionsError) return e.problems;
    throw e;
  }
  throw new Error('parseOptions accepted the settings');
};

describe('parseOptions', () => {
  test('GIVEN no settings and no example environment THEN every default applies', () => {
    expect(parseOptions({}, NONE)).toEqual({
      environments: ['dev', 'prod'],
      examples: [],
      parallel: true,
      timeoutSeconds: 1800,
      python: 'python3',
      secrets: 'generated',
      skipPatches: [],
      workDir: path.join(os.tmpdir(), 'llm-gateway-emulator'),
      ci: false,
    });
  });

  test('GIVEN blank values THEN they count as unset (the defaults apply)', () => {
    expect(parseOptions({ EMULATOR_ENVIRONMENTS: ' ', EMULATOR_TIMEOUT_SECONDS: '', EMULATOR_SECRETS: '', EMULATOR_PARALLEL: '' }, NONE)).toMatchObject({
      environments: ['dev', 'prod'],
      timeoutSeconds: 1800,
      secrets: 'generated',
      parallel: true,
    });
  });

  test.each([
    ['EMULATOR_ENVIRONMENTS', ' prod , dev ', { environments: ['prod', 'dev'] }],
    ['EMULATOR_ENVIRONMENTS', 'prod', { environments: ['prod'] }],
    ['EMULATOR_PARALLEL', '0', { parallel: false }],
    ['EMULATOR_PARALLEL', '1', { parallel: true }],
    ['EMULATOR_TIMEOUT_SECONDS', '900', { timeoutSeconds: 900 }],
    ['EMULATOR_PYTHON', '/opt/venv/bin/python', { python: '/opt/venv/bin/python' }],
    ['EMULATOR_SECRETS', 'existing', { secrets: 'existing' }],
    ['EMULATOR_SKIP_PATCHES', 'bedrock-guardrails, cloudfront-cache-policies', { skipPatches: ['bedrock-guardrails', 'cloudfront-cache-policies'] }],
    ['EMULATOR_WORK_DIR', '/tmp/emu-x', { workDir: '/tmp/emu-x' }],
    ['CI', 'true', { ci: true }],
    ['CI', 'false', { ci: false }],
  ])('GIVEN %s=%j THEN it is taken', (name, value, expected) => {
    expect(parseOptions({ [name]: value }, NONE)).toMatchObject(expected);
  });

  test('GIVEN a relative work dir THEN it is made absolute', () => {
    const cwd = process.cwd();
    try {
      process.chdir(os.tmpdir());
      expect(parseOptions({ EMULATOR_WORK_DIR: 'emu-rel' }).workDir).toBe(path.resolve(os.tmpdir(), 'emu-rel'));
    } finally {
      process.chdir(cwd);
    }
  });

  test.each([
    ['EMULATOR_ENVIRONMENTS', 'dev,staging', /EMULATOR_ENVIRONMENTS: got "dev,staging"; allowed: a comma-separated list of distinct environments among dev, prod \(/],
    ['EMULATOR_ENVIRONMENTS', 'dev,dev', /EMULATOR_ENVIRONMENTS: got "dev,dev"; allowed: .*distinct/],
    ['EMULATOR_PARALLEL', 'yes', /EMULATOR_PARALLEL: got "yes"; allowed: 1 \(environments side by side\) or 0 \(one after the other\)/],
    ['EMULATOR_TIMEOUT_SECONDS', 'abc', /EMULATOR_TIMEOUT_SECONDS: got "abc"; allowed: a whole number of seconds from 1 to 86400/],
    ['EMULATOR_TIMEOUT_SECONDS', '0', /EMULATOR_TIMEOUT_SECONDS: got "0"/],
    ['EMULATOR_TIMEOUT_SECONDS', '1.5', /EMULATOR_TIMEOUT_SECONDS: got "1.5"/],
    ['EMULATOR_TIMEOUT_SECONDS', '-5', /EMULATOR_TIMEOUT_SECONDS: got "-5"/],
    ['EMULATOR_TIMEOUT_SECONDS', '1e3', /EMULATOR_TIMEOUT_SECONDS: got "1e3"/],
    ['EMULATOR_SECRETS', 'random', /EMULATOR_SECRETS: got "random"; allowed: generated \(the stacks generate their secrets\) or existing \(fixture secrets\)/],
    ['EMULATOR_SKIP_PATCHES', 'bedrock guardrails', /EMULATOR_SKIP_PATCHES: got "bedrock guardrails"; allowed: comma-separated patch names in lower-case kebab-case/],
    ['EMULATOR_WORK_DIR', '/', /EMULATOR_WORK_DIR: got "\/"; allowed: a directory the run may wipe, not the filesystem root/],
    ['EMULATOR_WORK_DIR', PROJECT_ROOT, /EMULATOR_WORK_DIR: got ".*"; allowed: a directory the run may wipe, not the repository or a directory that contains it/],
    ['EMULATOR_WORK_DIR', path.dirname(PROJECT_ROOT), /not the repository or a directory that contains it/],
  ])('GIVEN %s=%j THEN it is refused with the variable, the value and what is allowed', (name, value, message) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  test('GIVEN the home directory as work dir THEN it is refused', () => {
    expect(problemsOf({ HOME: '/home/someone', EMULATOR_WORK_DIR: '/home/someone/' })[0]).toMatch(/not the home directory/);
  });

  test('GIVEN a work dir inside the repository THEN it is refused too (git would see it, and synth wipes cdktf.out)', () => {
    expect(problemsOf({ EMULATOR_WORK_DIR: path.join(PROJECT_ROOT, 'cdktf.out', 'emu') })[0]).toMatch(/not a directory inside the repository/);
  });

  test('GIVEN several bad values THEN every problem is reported at once', () => {
    const problems = problemsOf({ EMULATOR_TIMEOUT_SECONDS: 'soon', EMULATOR_SECRETS: 'none', EMULATOR_PARALLEL: '2' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['EMULATOR_PARALLEL', 'EMULATOR_SECRETS', 'EMULATOR_TIMEOUT_SECONDS']);
    expect(() => parseOptions({ EMULATOR_TIMEOUT_SECONDS: 'soon' })).toThrow(/Invalid emulator tier settings \(1 problem\):\n  - EMULATOR_TIMEOUT_SECONDS/);
  });
});

describe('parseOptions: environments an example file defines', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'emulator-examples-'));
    // An example without an environment section (examples/organisation.json) defines none.
    writeFileSync(path.join(dir, 'organisation.json'), JSON.stringify({ tags: { 'cost-center': '1234' } }));
    writeFileSync(path.join(dir, 'staging.json'), JSON.stringify({ environment: { name: 'staging', base: 'prod' } }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const examples = () => exampleEnvironments(dir);
  const addDevLean = () => writeFileSync(path.join(dir, 'dev-lean.json'), JSON.stringify({ environment: { name: 'dev-lean', base: 'dev' }, gateway: { capacity: { mode: 'spot' } } }));

  test('GIVEN examples/dev-lean.json THEN the default run applies it after dev and prod, with its file', () => {
    addDevLean();
    const options = parseOptions({}, examples);
    expect(DEFAULT_EXAMPLE_ENVIRONMENTS).toEqual(['dev-lean']);
    expect(options.environments).toEqual(['dev', 'prod', 'dev-lean']);
    expect(options.examples).toEqual([{ name: 'dev-lean', file: path.join(dir, 'dev-lean.json'), overrides: { environment: { name: 'dev-lean', base: 'dev' }, gateway: { capacity: { mode: 'spot' } } } }]);
  });

  test('GIVEN no examples/dev-lean.json THEN the default run is dev and prod, and dev-lean is refused with what is allowed', () => {
    expect(parseOptions({}, examples)).toMatchObject({ environments: ['dev', 'prod'], examples: [] });
    expect(problemsOf({ EMULATOR_ENVIRONMENTS: 'dev-lean' }, examples)).toEqual([
      'EMULATOR_ENVIRONMENTS: got "dev-lean"; allowed: a comma-separated list of distinct environments among dev, prod, staging (the ones after dev and prod are defined by examples/*.json)',
    ]);
  });

  test('GIVEN EMULATOR_ENVIRONMENTS naming an example environment THEN only the named ones run, each with its file', () => {
    addDevLean();
    const options = parseOptions({ EMULATOR_ENVIRONMENTS: 'staging,dev' }, examples);
    expect(options.environments).toEqual(['staging', 'dev']);
    expect(options.examples.map((x) => [x.name, path.basename(x.file)])).toEqual([['staging', 'staging.json']]);
  });

  test('GIVEN an example file that is not JSON THEN the settings are refused, naming the problem', () => {
    writeFileSync(path.join(dir, 'broken.json'), '{');
    expect(problemsOf({}, examples)[0]).toMatch(/^examples\/\*\.json: .*JSON.*; allowed: JSON files/);
  });

  test('GIVEN the repository\'s examples/ THEN whatever it holds, dev and prod run by default and staging may be selected', () => {
    expect(parseOptions({}).environments.slice(0, 2)).toEqual(['dev', 'prod']);
    expect(parseOptions({ EMULATOR_ENVIRONMENTS: 'staging' }).examples.map((x) => x.name)).toEqual(['staging']);
  });
});
