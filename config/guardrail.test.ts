import { ConfigError, loadConfig } from './index';
import { CONTENT_FILTER_TYPES, PII_ENTITY_TYPES, guardrailDefaults } from './guardrail';

const on = (guardrail: unknown) => ({ gateway: { guardrail: { enabled: true, ...(guardrail as object) } } });

describe('gateway.guardrail defaults', () => {
  test.each(['dev', 'prod'])('%s: off, with the content filters and messages ready for when it is turned on', (environment) => {
    const g = loadConfig({ environment }).gateway.guardrail;
    expect(g).toEqual(guardrailDefaults);
    expect(g.enabled).toBe(false);
    expect(g.mode).toEqual(['pre_call', 'post_call']);
    expect(g.appliesTo).toBe('all');
    expect(g.contentFilters.PROMPT_ATTACK).toEqual({ input: 'HIGH', output: 'NONE' });
    expect(g.piiEntities).toEqual({});
  });

  test('overrides merge: one filter changed, PII entities added, the other filters kept', () => {
    const g = loadConfig({ environment: 'dev', overrides: on({ contentFilters: { HATE: { input: 'HIGH', output: 'HIGH' } }, piiEntities: { EMAIL: 'ANONYMIZE' } }) }).gateway.guardrail;
    expect(g.enabled).toBe(true);
    expect(g.contentFilters.HATE).toEqual({ input: 'HIGH', output: 'HIGH' });
    expect(g.contentFilters.SEXUAL).toEqual({ input: 'MEDIUM', output: 'MEDIUM' });
    expect(g.piiEntities).toEqual({ EMAIL: 'ANONYMIZE' });
  });

  test('the closed sets are the Bedrock API ones: 6 content filter types, 31 PII entity types', () => {
    expect(CONTENT_FILTER_TYPES).toEqual(['SEXUAL', 'VIOLENCE', 'HATE', 'INSULTS', 'MISCONDUCT', 'PROMPT_ATTACK']);
    expect(PII_ENTITY_TYPES).toHaveLength(31);
    expect(PII_ENTITY_TYPES).toContain('US_SOCIAL_SECURITY_NUMBER');
  });

  test('every field at its limit is accepted', () => {
    const g = loadConfig({
      environment: 'dev',
      overrides: on({
        deniedTopics: [{ name: 'a'.repeat(100), definition: 'd'.repeat(200), examples: Array.from({ length: 5 }, () => 'e'.repeat(100)) }],
        wordFilters: ['w'.repeat(100)],
        blockedInputMessage: 'm'.repeat(500),
        mode: ['during_call'],
        appliesTo: 'on-request',
      }),
    }).gateway.guardrail;
    expect(g.deniedTopics).toHaveLength(1);
  });
});

describe('gateway.guardrail validation names the field, the value and what is allowed', () => {
  const invalid: Array<[string, unknown, RegExp]> = [
    ['unknown content filter type', { contentFilters: { TOXICITY: { input: 'LOW', output: 'LOW' } } }, /gateway\.guardrail\.contentFilters\.TOXICITY: invalid key; got "TOXICITY"; allowed: content filter types \(SEXUAL, VIOLENCE/],
    ['unknown strength', { contentFilters: { HATE: { input: 'MAX', output: 'LOW' } } }, /gateway\.guardrail\.contentFilters\.HATE\.input: got "MAX"; allowed: one of "NONE", "LOW", "MEDIUM", "HIGH"/],
    ['PROMPT_ATTACK on output', { contentFilters: { PROMPT_ATTACK: { input: 'HIGH', output: 'LOW' } } }, /gateway\.guardrail\.contentFilters\.PROMPT_ATTACK\.output: got "LOW"; allowed: "NONE": Bedrock evaluates prompt attacks on input only/],
    ['unknown PII entity type', { piiEntities: { SSN: 'BLOCK' } }, /gateway\.guardrail\.piiEntities\.SSN: invalid key; got "SSN"; allowed: Bedrock PII entity types/],
    ['unknown PII action', { piiEntities: { EMAIL: 'MASK' } }, /gateway\.guardrail\.piiEntities\.EMAIL: got "MASK"; allowed: one of "BLOCK", "ANONYMIZE"/],
    ['topic name with a slash', { deniedTopics: [{ name: 'a/b', definition: 'd' }] }, /gateway\.guardrail\.deniedTopics\[0\]\.name: got "a\/b"; allowed: a topic name of 1 to 100 letters/],
    ['topic definition over 200 characters', { deniedTopics: [{ name: 'a', definition: 'd'.repeat(201) }] }, /gateway\.guardrail\.deniedTopics\[0\]\.definition: got "d+(\.\.\.)?"?; allowed: a definition of 1 to 200 characters/],
    ['six topic examples', { deniedTopics: [{ name: 'a', definition: 'd', examples: ['1', '2', '3', '4', '5', '6'] }] }, /gateway\.guardrail\.deniedTopics\[0\]\.examples: got \[.*\]; allowed: an array/],
    ['example over 100 characters', { deniedTopics: [{ name: 'a', definition: 'd', examples: ['e'.repeat(101)] }] }, /gateway\.guardrail\.deniedTopics\[0\]\.examples\[0\]: got "e+(\.\.\.)?"; allowed: an example phrase of 1 to 100 characters/],
    ['duplicate topic names', { deniedTopics: [{ name: 'Tax', definition: 'd' }, { name: 'tax', definition: 'e' }] }, /gateway\.guardrail\.deniedTopics\[1\]\.name: got "tax"; allowed: a name not used by another denied topic/],
    ['word over 100 characters', { wordFilters: ['w'.repeat(101)] }, /gateway\.guardrail\.wordFilters\[0\]: got "w+(\.\.\.)?"; allowed: a word or phrase of 1 to 100 characters/],
    ['empty word', { wordFilters: [''] }, /gateway\.guardrail\.wordFilters\[0\]: got ""; allowed: a word or phrase of 1 to 100 characters/],
    ['unknown managed list', { managedWordLists: ['SLURS'] }, /gateway\.guardrail\.managedWordLists\[0\]: got "SLURS"; allowed: one of "PROFANITY"/],
    ['empty blocked message', { blockedInputMessage: '' }, /gateway\.guardrail\.blockedInputMessage: got ""; allowed: a message of 1 to 500 characters/],
    ['blocked message over 500 characters', { blockedOutputMessage: 'm'.repeat(501) }, /gateway\.guardrail\.blockedOutputMessage: got "m+(\.\.\.)?"?; allowed: a message of 1 to 500 characters/],
    ['unknown mode', { mode: ['pre_call', 'logging_only'] }, /gateway\.guardrail\.mode\[1\]: got "logging_only"; allowed: one of "pre_call", "post_call", "during_call"/],
    ['no mode', { mode: [] }, /gateway\.guardrail\.mode: got \[\]; allowed: an array with at least 1 item/],
    ['unknown appliesTo', { appliesTo: 'claude-fast' }, /gateway\.guardrail\.appliesTo: got "claude-fast"; allowed: one of "all", "on-request"/],
    [
      'enabled without any active policy',
      { contentFilters: Object.fromEntries(CONTENT_FILTER_TYPES.map((t) => [t, { input: 'NONE', output: 'NONE' }])) },
      /gateway\.guardrail\.contentFilters: got .*; allowed: at least one active policy/,
    ],
    ['unknown key', { enable: true }, /gateway\.guardrail\.enable: unknown key; got true; allowed: one of the keys enabled, contentFilters/],
  ];

  test.each(invalid)('%s', (_, guardrail, message) => {
    expect(() => loadConfig({ environment: 'dev', overrides: on(guardrail) })).toThrow(ConfigError);
    expect(() => loadConfig({ environment: 'dev', overrides: on(guardrail) })).toThrow(message);
  });

  test('the PROMPT_ATTACK rule holds even while the guardrail is off (the value would fail at the first enable)', () => {
    expect(() => loadConfig({ environment: 'dev', overrides: { gateway: { guardrail: { contentFilters: { PROMPT_ATTACK: { input: 'HIGH', output: 'HIGH' } } } } } })).toThrow(
      /PROMPT_ATTACK\.output: got "HIGH"/,
    );
  });
});
