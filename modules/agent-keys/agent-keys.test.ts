import { agentKeyEnvName, grantedModels } from './agent-keys';
import { reconcilerContainerDefinition } from '../gateway/key-reconciler';

describe('grantedModels', () => {
  const catalogue = {
    fallbacks: { 'claude-primary': ['claude-fallback'], 'claude-fallback': ['claude-last'] },
    contextWindowFallbacks: { 'claude-fast': ['claude-long'] },
  };

  test.each([
    [['claude-primary'], ['claude-fallback', 'claude-last', 'claude-primary']],
    [['claude-fast'], ['claude-fast', 'claude-long']],
    [['claude-last'], ['claude-last']],
    [['claude-fast', 'claude-primary'], ['claude-fallback', 'claude-fast', 'claude-last', 'claude-long', 'claude-primary']],
  ])('%j is granted %j (its aliases and their fallback targets, transitively)', (models, expected) => {
    expect(grantedModels(models, catalogue)).toEqual(expected);
  });

  test('a fallback cycle terminates', () => {
    expect(grantedModels(['a'], { fallbacks: { a: ['b'], b: ['a'] }, contextWindowFallbacks: {} })).toEqual(['a', 'b']);
  });
});

describe('agent key variables', () => {
  test('AGENT_KEY_<NAME>, hyphens as underscores', () => {
    expect(agentKeyEnvName('supervisor')).toBe('AGENT_KEY_SUPERVISOR');
    expect(agentKeyEnvName('doc-mapper-2')).toBe('AGENT_KEY_DOC_MAPPER_2');
  });

  test('the reconciler container refuses a variable set twice', () => {
    const props = { image: 'img', proxyContainerName: 'litellm', proxyPort: 4000, declaredJson: '{}', masterKeyArn: 'arn:m', logGroupName: 'g', region: 'us-east-1' };
    expect(() => reconcilerContainerDefinition({ ...props, agentKeys: [{ envName: 'AGENT_KEY_A', secretArn: 'a' }, { envName: 'AGENT_KEY_A', secretArn: 'b' }] })).toThrow(
      /the variable AGENT_KEY_A would be set twice/,
    );
    expect(() => reconcilerContainerDefinition({ ...props, agentKeys: [{ envName: 'LITELLM_MASTER_KEY', secretArn: 'a' }] })).toThrow(/LITELLM_MASTER_KEY would be set twice/);
  });
});
