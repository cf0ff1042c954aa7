/**
 * gateway.costAttribution "application-inference-profiles" in the gateway stack: one tagged application inference
 * profile per agent per model it may use, the deployments LiteLLM reads, the keys' aliases, the task role.
 * Fixture catalogue and agents (test/catalogues.ts), so editing the product's data breaks nothing here.
 */
import { Testing } from 'cdktf';
import { loadConfig } from '../config';
import { GatewayStack } from './gateway-stack';
import { DESIGN_AGENTS, HAIKU_ID, SONNET_ID, TWO_MODELS, catalogueFrom, TWO_MODELS_CONFIG } from '../test/catalogues';
import { DATABASE, NETWORK, PREBUILT_URI } from '../test/fixtures';
import { container, containers, policyStatements, resources, synthStack, type Json } from '../test/helpers';
import type { ModelCatalogue } from '../modules/model-catalogue';

const PREBUILT = { gateway: { image: { mode: 'prebuilt', uri: PREBUILT_URI } } };
const ON = { gateway: { costAttribution: 'application-inference-profiles' } };

function synth(config: Json = {}, catalogue: ModelCatalogue = TWO_MODELS, environment = 'dev'): Json {
  const app = Testing.app();
  const loaded = loadConfig({ environment, overrides: { ...DESIGN_AGENTS, ...config, gateway: { ...PREBUILT.gateway, ...(config.gateway ?? {}) } } });
  return synthStack(new GatewayStack(app, 'gateway', { config: loaded, network: NETWORK, database: DATABASE, catalogue })).json;
}

const routing = (json: Json): Json => JSON.parse(container(json).environment.find((e: Json) => e.name === 'LITELLM_AGENT_ROUTING').value);
const declared = (json: Json): Json =>
  JSON.parse(containers(json).find((c) => c.name === 'key-reconciler')!.environment.find((e: Json) => e.name === 'AGENT_KEYS_DECLARED').value);
const PROFILE_ARN = (agent: string, alias: string) => `\${aws_bedrock_inference_profile.profile-${agent}-${alias}.arn}`;

describe('GIVEN gateway.costAttribution application-inference-profiles', () => {
  const json = synth(ON);

  test('THEN one profile per agent per model its key may use (its models and their fallback targets), nothing else', () => {
    // The design fixture: claude-primary falls back to claude-fallback, so its agents also get a claude-fallback profile.
    expect(Object.keys(resources(json, 'aws_bedrock_inference_profile')).sort()).toEqual(
      [
        'profile-chunking-claude-fast',
        'profile-extraction-claude-fallback',
        'profile-extraction-claude-primary',
        'profile-mapping-claude-fallback',
        'profile-mapping-claude-primary',
        'profile-supervisor-claude-fallback',
        'profile-supervisor-claude-primary',
        'profile-validation-claude-fast',
      ].sort(),
    );
  });

  test('THEN each copies the system cross-region profile the catalogue calls, is named <app>-<env>-<agent>-<alias> and tagged with its agent', () => {
    const profile = resources(json, 'aws_bedrock_inference_profile')['profile-supervisor-claude-primary'];
    expect(profile).toMatchObject({
      name: 'document-processing-dev-supervisor-claude-primary',
      model_source: [{ copy_from: `arn:\${data.aws_partition.partition.partition}:bedrock:us-east-1:\${data.aws_caller_identity.caller.account_id}:inference-profile/${SONNET_ID}` }],
      tags: { agent: 'supervisor' },
    });
    expect(resources(json, 'aws_bedrock_inference_profile')['profile-chunking-claude-fast'].model_source[0].copy_from).toMatch(new RegExp(`:inference-profile/${HAIKU_ID.replace(/\./g, '\\.')}$`));
    // The environment and application come from the provider's default_tags, on every resource of the stack.
    expect(json.provider.aws[0].default_tags[0].tags).toMatchObject({ env: 'dev', application: 'document-processing' });
  });

  test('THEN LiteLLM gets one deployment per profile, invoking the profile ARN and priced as the catalogue model', () => {
    const r = routing(json);
    const supervisor = r.model_list.find((m: Json) => m.model_name === 'claude-primary@supervisor');
    expect(supervisor).toEqual({
      model_name: 'claude-primary@supervisor',
      litellm_params: { model: `bedrock/${SONNET_ID}`, model_id: PROFILE_ARN('supervisor', 'claude-primary'), aws_region_name: 'us-east-1' },
      tpm: 80000,
      rpm: 50,
    });
    expect(r.model_list).toHaveLength(8);
    expect(new Set(r.model_list.map((m: Json) => m.litellm_params.model_id)).size).toBe(8);
  });

  test("THEN the router settings are the catalogue's plus each agent's own fallbacks", () => {
    const settings = routing(json).router_settings;
    expect(settings.fallbacks).toEqual([
      { 'claude-primary': ['claude-fallback'] },
      { 'claude-primary@supervisor': ['claude-fallback@supervisor'] },
      { 'claude-primary@extraction': ['claude-fallback@extraction'] },
      { 'claude-primary@mapping': ['claude-fallback@mapping'] },
    ]);
    const { fallbacks: _f, ...rest } = settings;
    const { fallbacks: _g, ...catalogueRest } = TWO_MODELS_CONFIG.router_settings;
    expect(rest).toEqual(catalogueRest);
  });

  test("THEN each key aliases its public model names to its own deployments and may call them", () => {
    const supervisor = declared(json).agents.find((a: Json) => a.name === 'supervisor');
    expect(supervisor.aliases).toEqual({ 'claude-primary': 'claude-primary@supervisor', 'claude-fallback': 'claude-fallback@supervisor' });
    expect(supervisor.models).toEqual(['claude-fallback', 'claude-fallback@supervisor', 'claude-primary', 'claude-primary@supervisor']);
    const chunking = declared(json).agents.find((a: Json) => a.name === 'chunking');
    expect(chunking.aliases).toEqual({ 'claude-fast': 'claude-fast@chunking' });
    // No deployment of one agent is reachable through another's aliases.
    for (const agent of declared(json).agents) for (const group of Object.values(agent.aliases as Record<string, string>)) expect(group.endsWith(`@${agent.name}`)).toBe(true);
  });

  test('THEN the task role invokes exactly the agent profiles, and their foundation models only through them', () => {
    const statements = policyStatements(json, 'task-policy-document').filter((s: Json) => s.actions.some((a: string) => a.startsWith('bedrock:')));
    expect(statements.map((s: Json) => s.sid)).toEqual(['InvokeAgentProfiles', 'InvokeFoundationModelThroughAgentProfiles1', 'InvokeFoundationModelThroughAgentProfiles2']);
    expect(statements[0].resources.sort()).toEqual(Object.keys(resources(json, 'aws_bedrock_inference_profile')).map((id) => `\${aws_bedrock_inference_profile.${id}.arn}`).sort());
    for (const s of statements.slice(1)) {
      expect(s.resources).toHaveLength(1);
      expect(s.resources[0]).toMatch(/:bedrock:\*::foundation-model\//);
      expect(s.condition).toEqual([{ test: 'StringEquals', variable: 'bedrock:InferenceProfileArn', values: expect.any(Array) }]);
    }
    expect(JSON.stringify(statements)).not.toContain(':inference-profile/');
  });
});

describe('GIVEN the default (costAttribution none)', () => {
  const json = synth();
  test('THEN no profile, no routing variable, no key aliases, and the system-profile statements', () => {
    expect(resources(json, 'aws_bedrock_inference_profile')).toEqual({});
    expect(container(json).environment.map((e: Json) => e.name)).not.toContain('LITELLM_AGENT_ROUTING');
    for (const agent of declared(json).agents) expect(agent).not.toHaveProperty('aliases');
    expect(policyStatements(json, 'task-policy-document')[0].sid).toBe('InvokeInferenceProfiles');
  });
});

describe('bad input is refused at synth, naming the field', () => {
  test('an unknown mode', () => {
    expect(() => synth({ gateway: { costAttribution: 'tags' } })).toThrow(/gateway\.costAttribution: got "tags"; allowed: one of "none", "application-inference-profiles"/);
  });

  test('a model alias Bedrock cannot take in a profile name', () => {
    const config = { ...TWO_MODELS_CONFIG, model_list: [...TWO_MODELS_CONFIG.model_list, { ...TWO_MODELS_CONFIG.model_list[2], model_name: 'fast//v2' }] };
    const agents = { agents: [{ name: 'chunking', models: ['fast//v2'] }] };
    expect(() => synth({ ...ON, ...agents }, catalogueFrom(config))).toThrow(/gateway\.costAttribution: the application inference profile name "document-processing-dev-chunking-fast\/\/v2" \(agent chunking, model alias fast\/\/v2\)/);
  });
});
