import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { withoutTerraformLogging, writeCliConfig } from './terraform-env';

// At debug/trace level the AWS provider logs request and response bodies, write-only values included
// (docs/secrets.md#debug-logs-print-secrets): the validate step and the emulator tier never pass the switches on.
const LOGGING = {
  TF_LOG: 'DEBUG',
  TF_LOG_CORE: 'TRACE',
  TF_LOG_PROVIDER: 'trace',
  TF_LOG_PROVIDER_AWS: 'debug',
  TF_LOG_SDK_PROTO: 'trace',
  TF_LOG_PATH: '/tmp/terraform.log',
};

describe('terraform environment', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'tf-env-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('GIVEN a shell with every Terraform log switch WHEN the CLI config is written THEN terraform gets none of them, and the caller is told which', () => {
    const cli = writeCliConfig(dir, { PATH: process.env.PATH, HOME: os.homedir(), ...LOGGING });
    expect(Object.keys(cli.env).filter((k) => k.startsWith('TF_LOG'))).toEqual([]);
    expect(cli.removedLogging).toEqual(Object.keys(LOGGING).sort());
    // What terraform needs is still there.
    expect(cli.env).toMatchObject({ PATH: process.env.PATH, TF_CLI_CONFIG_FILE: cli.file, TF_IN_AUTOMATION: '1' });
  });

  test('GIVEN no log switch THEN nothing is reported removed', () => {
    expect(writeCliConfig(dir, { PATH: process.env.PATH }).removedLogging).toEqual([]);
  });

  test('only the TF_LOG family is removed (TF_LOGS_KEEP or TF_VAR_log are not log switches)', () => {
    const { env, removed } = withoutTerraformLogging({ TF_LOG: 'debug', TF_LOGS_KEEP: 'x', TF_VAR_log: 'y', TF_IN_AUTOMATION: '1' });
    expect(removed).toEqual(['TF_LOG']);
    expect(env).toEqual({ TF_LOGS_KEEP: 'x', TF_VAR_log: 'y', TF_IN_AUTOMATION: '1' });
  });
});

test('no CI entry point or npm script turns Terraform debug logging on', () => {
  const { readFileSync } = jest.requireActual<typeof import('fs')>('fs');
  const { PROJECT_ROOT } = jest.requireActual<typeof import('./terraform-env')>('./terraform-env');
  const scripts = Object.values((JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
  for (const text of [readFileSync(path.join(PROJECT_ROOT, '.ci', 'run'), 'utf8'), ...scripts]) expect(text).not.toMatch(/TF_LOG/);
});
