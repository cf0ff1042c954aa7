/**
 * README sections that issues promise a newcomer (secrets and rotation; where an agent's spend shows), kept in step
 * with the code they describe: a new generator, rotation field or per-agent widget fails here until the README says so.
 * The agent table's granted models are checked against the real catalogue in test/catalogue.contract.test.ts.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { SECRET_GENERATORS, loadConfig } from '../config';
import { AGENT_INSIGHTS_TITLES, AGENT_WIDGET_TITLES } from '../modules/agent-metrics';
import { markdownSection } from './helpers';

const README = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

/** Whitespace collapsed: README prose wraps at 120 columns, inside quoted titles too. */
const readmeSection = (heading: string): string => markdownSection(README, heading).replace(/[ \n]+/g, ' ');

describe('README: Secrets and Terraform state', () => {
  const section = readmeSection('Secrets and Terraform state');

  test('describes every generator, and the default first', () => {
    for (const generator of SECRET_GENERATORS) expect(section).toContain(`**\`${generator}\`**`);
    expect(section.indexOf('**`write-only`** (default')).toBeGreaterThanOrEqual(0);
    expect(section).toMatch(/not even the assembled `DATABASE_URL`, is in the state or in a saved plan/);
  });

  test('names every rotation field, how running tasks pick a new value up, and the salt key that never rotates', () => {
    for (const field of Object.keys(loadConfig({ environment: 'dev' }).database.secretVersions)) expect(section).toContain(`.${field}\``);
    expect(section).toContain('`keyVersion`');
    expect(section).toContain('--force-new-deployment');
    expect(section).toMatch(/running tasks keep the old value until they are replaced/);
    expect(section).toMatch(/never rotate `LITELLM_SALT_KEY`/);
  });
});

describe('README: Agents and their keys', () => {
  const section = readmeSection('Agents and their keys');

  test('maps the agents to every per-agent widget, in both usage modes, by its real title', () => {
    const titles = [...Object.values(AGENT_WIDGET_TITLES), ...Object.values(AGENT_INSIGHTS_TITLES)];
    for (const title of new Set(titles)) expect([title, section.includes(`"${title}"`)]).toEqual([title, true]);
  });

  test('has a row for every default agent', () => {
    for (const agent of loadConfig({ environment: 'dev' }).agents) expect(section).toMatch(new RegExp(`\\| ${agent.name} \\|`));
  });
});
