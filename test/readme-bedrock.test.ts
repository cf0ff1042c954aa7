/**
 * The README's "Opt-in Bedrock controls" section (issue 18): it must say which agents the guardrail is on for when
 * enabled, when it runs, what it costs, and that invocation logging is one setting per account and region, off by
 * default. The agents, modes and defaults are read from the configuration, so the text has to follow them. The
 * aliases it names are checked against the real model catalogue in test/catalogue.contract.test.ts.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { loadConfig } from '../config';
import { ENVIRONMENTS } from '../config/environments';
import { LITELLM_GUARDRAIL_NAME } from '../modules/gateway/guardrail';

const README = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const README_BEDROCK_HEADING = '### Opt-in Bedrock controls: guardrail and invocation logging';

/** The section's text, from its heading to the next heading of the same or a higher level. */
function readmeBedrockSection(readme: string = README): string {
  const start = readme.indexOf(`\n${README_BEDROCK_HEADING}\n`);
  if (start < 0) throw new Error(`README.md has no "${README_BEDROCK_HEADING}" section`);
  const rest = readme.slice(start + README_BEDROCK_HEADING.length + 2);
  const end = rest.search(/\n#{2,3} /);
  // Markdown wraps lines: compare with single spaces.
  return (end < 0 ? rest : rest.slice(0, end)).replace(/\s+/g, ' ');
}

const section = readmeBedrockSection();
const environments = Object.keys(ENVIRONMENTS);

describe('README: opt-in Bedrock controls', () => {
  test('both are off in every environment, as the section says', () => {
    expect(section).toContain('Both are off in every environment until you turn them on');
    for (const environment of environments) {
      const config = loadConfig({ environment });
      expect([environment, config.gateway.guardrail.enabled, config.observability.bedrockInvocationLogging.enabled]).toEqual([environment, false, false]);
    }
    expect(section).toContain('[`docs/guardrails.md`](docs/guardrails.md)');
  });

  test('enabled, the guardrail is on for every agent in every environment, as the section says without listing them', () => {
    // No list of agents or aliases to keep in step: the claim is that of appliesTo "all" (the entry binds no model:
    // test/catalogue.contract.test.ts), true of any agent or model added.
    for (const environment of environments) {
      const config = loadConfig({ environment, overrides: { gateway: { guardrail: { enabled: true } } } });
      expect(config.gateway.guardrail.appliesTo).toBe('all');
    }
    expect(section).toContain('every request of every agent, on every alias of the catalogue** (`appliesTo: "all"`');
    expect(section).toContain('"on-request"');
    expect(section).toContain(`"guardrails": ["${LITELLM_GUARDRAIL_NAME}"]`);
  });

  test('it says when the guardrail runs: the default mode', () => {
    const mode = loadConfig({ environment: 'dev', overrides: { gateway: { guardrail: { enabled: true } } } }).gateway.guardrail.mode;
    expect(mode).toEqual(['pre_call', 'post_call']);
    expect(section).toContain('before and after each model call (`pre_call` + `post_call`)');
  });

  test('it says what the guardrail costs: per text unit, per policy type, per evaluation', () => {
    expect(section).toContain('per 1,000 text units (a text unit is up to 1,000 characters)');
    expect(section).toContain('for each policy type evaluated, on every evaluation');
  });

  test('it says invocation logging is one setting per account and region', () => {
    expect(section).toContain('one setting per AWS account and region');
    expect(section).toContain('enable it in one environment per account and region');
  });
});
