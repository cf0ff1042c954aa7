import { ConfigError, loadConfig, type ConfigIssue } from '../../config';
import { parseModelCatalogue } from '../model-catalogue';
import { TWO_MODELS } from '../../test/catalogues';
import { GUARDRAIL_ENV, LITELLM_GUARDRAIL_NAME, guardrailEntryProblems, guardrailEnvironment, guardrailFingerprint, guardrailMasksContent } from './guardrail';

const guardrail = (overrides: unknown = {}) =>
  loadConfig({ environment: 'dev', overrides: { gateway: { guardrail: { enabled: true, ...(overrides as object) } } } }).gateway.guardrail;
const off = loadConfig({ environment: 'dev' }).gateway.guardrail;

function catalogueWith(entry: string): ReturnType<typeof parseModelCatalogue> {
  return parseModelCatalogue(
    [
      'model_list:',
      '  - model_name: claude-fast',
      '    litellm_params: { model: bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0, aws_region_name: us-east-1 }',
      '    tpm: 10',
      '    rpm: 1',
      'litellm_settings: { request_timeout: 600 }',
      entry,
    ].join('\n'),
  );
}
const ENTRY = (mode = '[pre_call, post_call]', defaultOn = 'os.environ/BEDROCK_GUARDRAIL_DEFAULT_ON') =>
  [
    'guardrails:',
    `  - guardrail_name: ${LITELLM_GUARDRAIL_NAME}`,
    '    litellm_params:',
    '      guardrail: bedrock',
    `      mode: ${mode}`,
    '      guardrailIdentifier: os.environ/BEDROCK_GUARDRAIL_ID',
    '      guardrailVersion: os.environ/BEDROCK_GUARDRAIL_VERSION',
    `      default_on: ${defaultOn}`,
    '      mask_request_content: os.environ/BEDROCK_GUARDRAIL_MASK_CONTENT',
  ].join('\n');

// The real YAML's entry is checked the same way in test/catalogue.contract.test.ts.
describe('the design\'s LiteLLM config (test/catalogues.ts TWO_MODELS) and gateway.guardrail agree', () => {
  const catalogue = TWO_MODELS;

  test('the config holds one bedrock entry reading the id, version, default_on and masking from the environment', () => {
    expect(catalogue.guardrails).toEqual([
      {
        name: 'bedrock-guardrail',
        integration: 'bedrock',
        mode: ['pre_call', 'post_call'],
        defaultOn: 'os.environ/BEDROCK_GUARDRAIL_DEFAULT_ON',
        environmentReferences: ['AWS_REGION_NAME', ...Object.values(GUARDRAIL_ENV)].sort(),
      },
    ]);
    expect(catalogue.guardrailEnvironmentReferences).toEqual(['AWS_REGION_NAME', ...Object.values(GUARDRAIL_ENV)].sort());
  });

  test('no problem, on or off', () => {
    expect(guardrailEntryProblems(catalogue, off)).toEqual([]);
    expect(guardrailEntryProblems(catalogue, guardrail())).toEqual([]);
  });
});

/** The problems as ConfigError lists them. */
const render = (issues: readonly ConfigIssue[]): string => new ConfigError('dev', issues).message;

describe('guardrailEntryProblems', () => {
  test('enabled without the entry', () => {
    expect(render(guardrailEntryProblems(catalogueWith(''), guardrail()))).toMatch(
      /gateway\.guardrail\.enabled: the LiteLLM config has no guardrails entry named "bedrock-guardrail"; got true; allowed: true only with that entry/,
    );
  });

  test('mode differing from the baked YAML', () => {
    expect(render(guardrailEntryProblems(catalogueWith(ENTRY('during_call')), guardrail()))).toMatch(
      /gateway\.guardrail\.mode: got \["pre_call","post_call"\]; allowed: the LiteLLM config's mode \["during_call"\] \(the YAML is baked into the image: change both together\)/,
    );
    expect(guardrailEntryProblems(catalogueWith(ENTRY('[post_call, pre_call]')), guardrail())).toEqual([]);
  });

  test('an identifier that is not the environment variable', () => {
    const literal = ENTRY().replace('os.environ/BEDROCK_GUARDRAIL_ID', 'abc123');
    expect(render(guardrailEntryProblems(catalogueWith(literal), guardrail()))).toMatch(/does not reference os\.environ\/BEDROCK_GUARDRAIL_ID/);
  });

  test('off, a literal default_on: true would call a guardrail without an id on every request', () => {
    expect(render(guardrailEntryProblems(catalogueWith(ENTRY(undefined, 'true')), off))).toMatch(
      /guardrails\["bedrock-guardrail"\]\.litellm_params\.default_on: gateway\.guardrail\.enabled is false; got true; allowed: os\.environ\/BEDROCK_GUARDRAIL_DEFAULT_ON/,
    );
    expect(guardrailEntryProblems(catalogueWith(ENTRY(undefined, 'false')), off)).toEqual([]);
  });
});

describe('container environment and version fingerprint', () => {
  const ids = { id: '${aws_bedrock_guardrail.guardrail.guardrail_id}', versionNumber: '${aws_bedrock_guardrail_version.guardrail-version.version}' };

  test('appliesTo all: default_on true; no ANONYMIZE entity: no masking', () => {
    expect(guardrailEnvironment(ids, guardrail())).toEqual([
      { name: 'BEDROCK_GUARDRAIL_ID', value: ids.id },
      { name: 'BEDROCK_GUARDRAIL_VERSION', value: ids.versionNumber },
      { name: 'BEDROCK_GUARDRAIL_DEFAULT_ON', value: 'true' },
      { name: 'BEDROCK_GUARDRAIL_MASK_CONTENT', value: 'false' },
    ]);
  });

  test('on-request: default_on false; an ANONYMIZE entity turns masking on', () => {
    const g = guardrail({ appliesTo: 'on-request', piiEntities: { EMAIL: 'ANONYMIZE' } });
    expect(guardrailMasksContent(g)).toBe(true);
    expect(guardrailEnvironment(ids, g).map((e) => `${e.name}=${e.value}`)).toEqual(
      expect.arrayContaining(['BEDROCK_GUARDRAIL_DEFAULT_ON=false', 'BEDROCK_GUARDRAIL_MASK_CONTENT=true']),
    );
    expect(guardrailMasksContent(guardrail({ piiEntities: { EMAIL: 'BLOCK' } }))).toBe(false);
  });

  test('the fingerprint follows the policy and the messages, not enabled/mode/appliesTo', () => {
    const base = guardrailFingerprint(guardrail());
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    expect(guardrailFingerprint(guardrail({ appliesTo: 'on-request', mode: ['pre_call'] }))).toBe(base);
    expect(guardrailFingerprint(guardrail({ wordFilters: ['x'] }))).not.toBe(base);
    expect(guardrailFingerprint(guardrail({ blockedInputMessage: 'No.' }))).not.toBe(base);
    expect(guardrailFingerprint(guardrail({ contentFilters: { HATE: { input: 'HIGH', output: 'HIGH' } } }))).not.toBe(base);
  });
});
