/** gateway.guardrail in the gateway stack: nothing when off; guardrail, pinned version, environment and IAM when on. */
import { Testing } from 'cdktf';
import { loadConfig } from '../config';
import { parseModelCatalogue } from '../modules/model-catalogue';
import { evaluateStack, formatViolation } from '../policy';
import { GatewayStack } from './gateway-stack';
import { TWO_MODELS } from '../test/catalogues';
import { DATABASE, NETWORK, PREBUILT_URI } from '../test/fixtures';
import { container, policyStatements, resources, synthStack, type Json } from '../test/helpers';

const GUARDRAIL_ON = {
  enabled: true,
  piiEntities: { US_SOCIAL_SECURITY_NUMBER: 'BLOCK', EMAIL: 'ANONYMIZE' },
  deniedTopics: [{ name: 'Investment advice', definition: 'Recommendations to buy or sell securities.', examples: ['Should I buy this stock?'] }],
  wordFilters: ['project-codename'],
  managedWordLists: ['PROFANITY'],
};

function synth(guardrail?: unknown, catalogue = TWO_MODELS): { stack: GatewayStack; json: Json } {
  const app = Testing.app();
  const config = loadConfig({
    environment: 'dev',
    overrides: {
      gateway: { image: { mode: 'prebuilt', uri: PREBUILT_URI }, ...(guardrail ? { guardrail } : {}) },
      // A fixture catalogue may lack the default agents' aliases: give each agent the first alias it has.
      agents: loadConfig({ environment: 'dev' }).agents.map((a) => ({ name: a.name, models: [catalogue.models[0].alias] })),
    },
  });
  const stack = new GatewayStack(app, 'gateway', { config, network: NETWORK, database: DATABASE, catalogue });
  return { stack, json: synthStack(stack).json };
}
const taskStatements = (json: Json): Json[] => policyStatements(json, 'task-policy-document');

describe('guardrail off (the default)', () => {
  const { stack, json } = synth();

  test('no guardrail, no version, no guardrail variable, no ApplyGuardrail, no guardrail output', () => {
    expect(resources(json, 'aws_bedrock_guardrail')).toEqual({});
    expect(resources(json, 'aws_bedrock_guardrail_version')).toEqual({});
    expect(container(json).environment.map((e: Json) => e.name).filter((n: string) => n.includes('GUARDRAIL'))).toEqual([]);
    expect(taskStatements(json).flatMap((s) => s.actions)).not.toContain('bedrock:ApplyGuardrail');
    expect(Object.keys(json.output)).not.toContain('guardrail_arn');
    expect(stack.outputs.guardrail).toBeUndefined();
  });

  test('the YAML entry still synthesizes: its references are unset by design while off', () => {
    expect(() => synth()).not.toThrow();
  });
});

describe('guardrail on', () => {
  const { stack, json } = synth(GUARDRAIL_ON);
  const guardrail = resources(json, 'aws_bedrock_guardrail').guardrail;
  const version = resources(json, 'aws_bedrock_guardrail_version')['guardrail-version'];

  test('the guardrail carries every configured policy and the messages', () => {
    expect(guardrail).toMatchObject({
      name: 'document-processing-dev-guardrail',
      blocked_input_messaging: 'This request was blocked by the gateway guardrail.',
      blocked_outputs_messaging: 'The model response was blocked by the gateway guardrail.',
    });
    expect(guardrail.content_policy_config[0].filters_config).toEqual([
      { type: 'SEXUAL', input_strength: 'MEDIUM', output_strength: 'MEDIUM' },
      { type: 'VIOLENCE', input_strength: 'MEDIUM', output_strength: 'MEDIUM' },
      { type: 'HATE', input_strength: 'MEDIUM', output_strength: 'MEDIUM' },
      { type: 'INSULTS', input_strength: 'MEDIUM', output_strength: 'MEDIUM' },
      { type: 'MISCONDUCT', input_strength: 'MEDIUM', output_strength: 'MEDIUM' },
      { type: 'PROMPT_ATTACK', input_strength: 'HIGH', output_strength: 'NONE' },
    ]);
    expect(guardrail.sensitive_information_policy_config[0].pii_entities_config).toEqual([
      { type: 'EMAIL', action: 'ANONYMIZE' },
      { type: 'US_SOCIAL_SECURITY_NUMBER', action: 'BLOCK' },
    ]);
    expect(guardrail.topic_policy_config[0].topics_config).toEqual([
      { name: 'Investment advice', definition: 'Recommendations to buy or sell securities.', examples: ['Should I buy this stock?'], type: 'DENY' },
    ]);
    expect(guardrail.word_policy_config[0]).toEqual({ words_config: [{ text: 'project-codename' }], managed_word_lists_config: [{ type: 'PROFANITY' }] });
  });

  test('a filter set to NONE/NONE is left out, and policies without entries are not emitted', () => {
    const j = synth({ enabled: true, contentFilters: { HATE: { input: 'NONE', output: 'NONE' } } }).json;
    const g = resources(j, 'aws_bedrock_guardrail').guardrail;
    expect(g.content_policy_config[0].filters_config.map((f: Json) => f.type)).not.toContain('HATE');
    expect(g.sensitive_information_policy_config).toBeUndefined();
    expect(g.topic_policy_config).toBeUndefined();
    expect(g.word_policy_config).toBeUndefined();
  });

  test('a pinned version of it, replaced (new one first) whenever the policy changes, the old one left for the old tasks', () => {
    expect(version.guardrail_arn).toBe('${aws_bedrock_guardrail.guardrail.guardrail_arn}');
    expect(version.lifecycle).toEqual({ create_before_destroy: true });
    // Deleting the replaced version while the old tasks still apply it would let their requests through unchecked.
    expect(version.skip_destroy).toBe(true);
    expect(version.description).toMatch(/^Pinned by Terraform; policy [0-9a-f]{16}$/);
    const changed = resources(synth({ ...GUARDRAIL_ON, wordFilters: ['other'] }).json, 'aws_bedrock_guardrail_version')['guardrail-version'];
    expect(changed.description).not.toBe(version.description);
  });

  test('the task gets the id, the pinned version (never DRAFT), default_on and masking as plain variables', () => {
    const env = Object.fromEntries(container(json).environment.map((e: Json) => [e.name, e.value]));
    expect(env).toMatchObject({
      BEDROCK_GUARDRAIL_ID: '${aws_bedrock_guardrail.guardrail.guardrail_id}',
      BEDROCK_GUARDRAIL_VERSION: '${aws_bedrock_guardrail_version.guardrail-version.version}',
      BEDROCK_GUARDRAIL_DEFAULT_ON: 'true',
      BEDROCK_GUARDRAIL_MASK_CONTENT: 'true',
      AWS_REGION_NAME: 'us-east-1',
    });
    const onRequest = Object.fromEntries(container(synth({ ...GUARDRAIL_ON, appliesTo: 'on-request' }).json).environment.map((e: Json) => [e.name, e.value]));
    expect(onRequest.BEDROCK_GUARDRAIL_DEFAULT_ON).toBe('false');
  });

  test('the task role may ApplyGuardrail on this guardrail only', () => {
    const statement = taskStatements(json).find((s) => s.sid === 'ApplyGatewayGuardrail');
    expect(statement).toEqual({ sid: 'ApplyGatewayGuardrail', effect: 'Allow', actions: ['bedrock:ApplyGuardrail'], resources: ['${aws_bedrock_guardrail.guardrail.guardrail_arn}'] });
    expect(taskStatements(json).filter((s) => s.actions.includes('bedrock:ApplyGuardrail'))).toHaveLength(1);
  });

  test('outputs: the ARN and version for the dashboard (GatewayOutputs) and for operators', () => {
    expect(Object.keys(stack.outputs.guardrail ?? {}).sort()).toEqual(['arn', 'version']);
    expect(json.output.guardrail_arn.value).toBe('${aws_bedrock_guardrail.guardrail.guardrail_arn}');
    expect(json.output.guardrail_version.value).toBe('${aws_bedrock_guardrail_version.guardrail-version.version}');
  });

  test('passes the policy pack', () => {
    const report = evaluateStack(stack, { environment: 'dev' });
    expect(report.findings.map(formatViolation)).toEqual([]);
    expect(report.rows.find((r) => r.rule === 'iam-no-wildcards')?.fail).toBe(0);
  });

  // Refusals (a mode differing from the YAML, no entry while on) are the catalogue checks': modules/catalogue-checks.test.ts.
  test('a YAML without the entry synthesizes while the guardrail is off', () => {
    const bare = parseModelCatalogue(
      'model_list:\n  - model_name: claude-fast\n    litellm_params: { model: bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0, aws_region_name: us-east-1 }\n    tpm: 10\n    rpm: 1\n' +
        'general_settings: { master_key: os.environ/LITELLM_MASTER_KEY, database_url: os.environ/DATABASE_URL }\nlitellm_settings: { request_timeout: 600 }\n',
    );
    expect(() => synth(undefined, bare)).not.toThrow();
  });
});
