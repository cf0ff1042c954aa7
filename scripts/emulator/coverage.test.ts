import { readFileSync } from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from '../lib/terraform-env';
import { NOT_APPLIED, configurableTypes, emulatorTypes, stackTypes } from './coverage';
import { parseOptions } from './options';

// The default run's environments, with examples/dev-lean.json's when the file is there.
const { environments: ENVIRONMENTS, examples: EXAMPLES } = parseOptions({});

/** The first column of the table under docs/emulator.md's "What the emulator run does not apply" heading. */
function documentedTypes(): string[] {
  const doc = readFileSync(path.join(PROJECT_ROOT, 'docs', 'emulator.md'), 'utf8');
  const start = doc.indexOf('## What the emulator run does not apply');
  expect(start).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf('\n## ', start + 1);
  return doc
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .map((line) => /^\| `([^`]+)` \|/.exec(line)?.[1])
    .filter((t): t is string => t !== undefined);
}

describe('emulator coverage', () => {
  // Every validate profile and extra mode, in both environments: about 40 syntheses.
  jest.setTimeout(120_000);
  let configurable: Set<string>;
  let applied: Set<string>;
  beforeAll(() => {
    configurable = configurableTypes(ENVIRONMENTS, 'us-east-1', EXAMPLES);
    applied = emulatorTypes(ENVIRONMENTS, 'us-east-1', EXAMPLES);
  });

  test('GIVEN every profile a configuration can synthesize THEN the types the default emulator run does not apply are exactly NOT_APPLIED', () => {
    const missing = [...configurable].filter((t) => !applied.has(t)).sort();
    expect(missing).toEqual(Object.keys(NOT_APPLIED).sort());
  });

  test('GIVEN the emulator profile THEN it synthesizes nothing that no other profile does (the emulator tests the product, not itself)', () => {
    expect([...applied].filter((t) => !configurable.has(t))).toEqual([]);
  });

  test('GIVEN the claim made true THEN the e-mail subscription and the secrets key are applied', () => {
    for (const t of ['aws_sns_topic_subscription', 'aws_kms_key', 'aws_kms_alias', 'aws_secretsmanager_secret']) expect(applied.has(t)).toBe(true);
  });

  test('GIVEN docs/emulator.md THEN its table of types not applied lists exactly NOT_APPLIED', () => {
    expect(documentedTypes().sort()).toEqual(Object.keys(NOT_APPLIED).sort());
  });

  test('stackTypes names data sources and ephemeral resources apart from resources', () => {
    expect(stackTypes({ resource: { aws_vpc: {} }, data: { aws_vpc: {} }, ephemeral: { random_password: {} } })).toEqual(['aws_vpc', 'data.aws_vpc', 'ephemeral.random_password']);
  });
});
