/**
 * README "When to use Bedrock directly instead": the boundary a team reads before adopting the gateway. It cites
 * AWS's pages for what Bedrock does alone, names the four things the gateway adds, and the configuration field it
 * points at exists.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { loadConfig } from '../config';
import { markdownSection } from './helpers';

const README = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const section = markdownSection(README, 'When to use Bedrock directly instead').replace(/\s+/g, ' ');

describe('README: when to use Bedrock directly', () => {
  test('what Bedrock does alone, each with its AWS source', () => {
    for (const [claim, source] of [
      ['OpenAI-compatible APIs', 'https://docs.aws.amazon.com/bedrock/latest/userguide/inference-chat-completions.html'],
      ['Cost per caller', 'https://docs.aws.amazon.com/bedrock/latest/userguide/cost-mgmt-iam-principal-tracking.html'],
      ['Per-user rate limits', 'https://aws.amazon.com/blogs/machine-learning/configure-rate-limits-for-ai-traffic-on-agentcore-gateway/'],
    ]) {
      expect([claim, section.includes(claim), section.includes(source)]).toEqual([claim, true, true]);
    }
  });

  test('what the gateway adds: budgets per key in real time, a key per agent without IAM users, aliases and fallback, spend visible now', () => {
    for (const point of ['Dollar budgets per key, enforced in real time', 'One key per agent without IAM users', 'Aliases and fallback', 'Spend visible now']) {
      expect([point, section.includes(`**${point}**`)]).toEqual([point, true]);
    }
  });

  test('the budget field it names is the configuration\'s', () => {
    expect(section).toContain('`agents[].maxBudgetUsd`');
    const agent = loadConfig({ environment: 'dev', overrides: { agents: [{ name: 'agent-one', models: ['claude-fast'], maxBudgetUsd: 5 }] } }).agents[0];
    expect(agent.maxBudgetUsd).toBe(5);
  });
});
