import { HAIKU_ID, TWO_MODELS, catalogueFrom, catalogueYaml } from '../../test/catalogues';
import { parseModelCatalogue } from '../model-catalogue';
import { agentModelGroup, agentRouting, attributedModels, attributionInvokeStatements, attributionNameProblems, copySourceArn, keyAliases, profileConstructId } from './cost-attribution';

const ARNS = { partition: 'aws', account: '123456789012' };
const AGENTS = [
  { name: 'supervisor', models: ['claude-primary'] },
  { name: 'chunking', models: ['claude-fast'] },
];

describe('attributedModels', () => {
  test('GIVEN an agent on an alias with a fallback THEN it uses the alias and its fallback target, each once', () => {
    expect(attributedModels(AGENTS, TWO_MODELS).map((p) => [p.agent, p.alias])).toEqual([
      ['supervisor', 'claude-fallback'],
      ['supervisor', 'claude-primary'],
      ['chunking', 'claude-fast'],
    ]);
  });

  test('GIVEN an alias the catalogue lacks THEN it throws naming the agent and the alias', () => {
    expect(() => attributedModels([{ name: 'x1', models: ['nope'] }], TWO_MODELS)).toThrow(/agent x1: model alias "nope" is not in the model catalogue/);
  });
});

describe('copySourceArn', () => {
  test('GIVEN a cross-region model THEN the system profile in its region and account; GIVEN an in-region model THEN its foundation model', () => {
    const [profiled] = TWO_MODELS.models;
    expect(copySourceArn(profiled, ARNS)).toBe(`arn:aws:bedrock:us-east-1:123456789012:inference-profile/${profiled.modelId}`);
    const direct = parseModelCatalogue(catalogueYaml([{ alias: 'local', model: HAIKU_ID.replace(/^us\./, ''), region: 'us-west-2' }]), 'test').models[0];
    expect(copySourceArn(direct, ARNS)).toBe('arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0');
  });
});

describe('names', () => {
  const name = (agent: string, alias: string) => `gw-dev-${agent}-${alias}`;

  test.each([
    ['claude-fast', true],
    ['claude.fast:v2', true],
    ['fast//v2', false],
    ['fast--v2', false],
    ['x'.repeat(60), false],
  ])('GIVEN alias %s THEN the Bedrock name is accepted: %s', (alias, ok) => {
    const problems = attributionNameProblems([{ agent: 'a1', alias, model: TWO_MODELS.models[0] }], name);
    expect(problems.length === 0).toBe(ok);
    if (!ok) expect(problems[0]).toMatch(new RegExp(`gateway\\.costAttribution: .*\\(agent a1, model alias ${alias.replace(/[.*/]/g, '\\$&')}\\)`));
  });

  test('GIVEN two aliases of one agent that give one Terraform address THEN refused', () => {
    expect(profileConstructId('a1', 'claude.fast')).toBe('profile-a1-claude_fast');
    const pairs = ['claude.fast', 'claude:fast'].map((alias) => ({ agent: 'a1', alias, model: TWO_MODELS.models[0] }));
    expect(attributionNameProblems(pairs, name)).toEqual([expect.stringMatching(/"claude\.fast" and "claude:fast" of agent a1 both give the Terraform address profile-a1-claude_fast/)]);
  });
});

describe('agentRouting and keyAliases', () => {
  const pairs = attributedModels(AGENTS, TWO_MODELS).map((p) => ({ ...p, profileArn: `arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/${p.agent}${p.alias}` }));

  test('GIVEN the pairs THEN each deployment is <alias>@<agent> on its profile, with the catalogue model, region and limits', () => {
    const routing = agentRouting(pairs, TWO_MODELS);
    expect(routing.model_list.map((m) => m.model_name)).toEqual(['claude-fallback@supervisor', 'claude-primary@supervisor', 'claude-fast@chunking']);
    const primary = TWO_MODELS.models.find((m) => m.alias === 'claude-primary')!;
    expect(routing.model_list[1]).toEqual({
      model_name: 'claude-primary@supervisor',
      litellm_params: { model: primary.litellmModel, model_id: pairs[1].profileArn, aws_region_name: 'us-east-1' },
      tpm: primary.tpm,
      rpm: primary.rpm,
    });
  });

  test('GIVEN context-window fallbacks THEN they are repeated per agent like the fallbacks', () => {
    const catalogue = catalogueFrom({
      model_list: [
        { model_name: 'small', litellm_params: { model: `bedrock/${HAIKU_ID}`, aws_region_name: 'us-east-1' }, tpm: 1, rpm: 1, model_info: { max_input_tokens: 100 } },
        { model_name: 'big', litellm_params: { model: `bedrock/${HAIKU_ID}`, aws_region_name: 'us-east-1' }, tpm: 1, rpm: 1, model_info: { max_input_tokens: 200 } },
      ],
      router_settings: { context_window_fallbacks: [{ small: ['big'] }] },
      litellm_settings: { request_timeout: 600 },
    });
    const agentPairs = attributedModels([{ name: 'a1', models: ['small'] }], catalogue).map((p) => ({ ...p, profileArn: 'arn' }));
    expect(agentRouting(agentPairs, catalogue).router_settings.context_window_fallbacks).toEqual([{ small: ['big'] }, { 'small@a1': ['big@a1'] }]);
    expect(agentRouting(agentPairs, catalogue).router_settings).not.toHaveProperty('fallbacks');
  });

  test('GIVEN the pairs THEN each agent aliases exactly its own aliases to its own groups', () => {
    expect(keyAliases(pairs)).toEqual({
      supervisor: { 'claude-fallback': agentModelGroup('claude-fallback', 'supervisor'), 'claude-primary': 'claude-primary@supervisor' },
      chunking: { 'claude-fast': 'claude-fast@chunking' },
    });
  });

  test('GIVEN profiles of two models THEN one statement on the profiles and one per foundation model, conditioned on its profiles', () => {
    const statements = attributionInvokeStatements(pairs, ARNS);
    expect(statements[0]).toMatchObject({ sid: 'InvokeAgentProfiles', resources: pairs.map((p) => p.profileArn) });
    expect(statements.slice(1).map((s) => [s.resources, (s.condition as { values: string[] }[])[0].values])).toEqual([
      [['arn:aws:bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0'], [pairs[0].profileArn, pairs[2].profileArn]],
      [['arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0'], [pairs[1].profileArn]],
    ]);
    expect(attributionInvokeStatements([], ARNS)).toEqual([]);
  });
});
