import { loadConfig } from './index';
import { LITELLM_DURATION, agentsDefaults } from './agents';

const agents = (list: unknown[]) => ({ agents: list });

describe('agents configuration', () => {
  test('defaults to the agents the spec declares, the same in dev and prod', () => {
    // The list itself is data a user is invited to change (README "Agents and their keys"): its value is pinned in
    // test/config-constraints.json (`npm run docs -- --write`), its aliases checked against the catalogue by
    // test/catalogue.contract.test.ts.
    expect(loadConfig({ environment: 'dev' }).agents).toEqual(agentsDefaults);
    expect(loadConfig({ environment: 'prod' }).agents).toEqual(agentsDefaults);
    expect(agentsDefaults.length).toBeGreaterThan(0);
  });

  test('an override replaces the list, with budgets and limits', () => {
    const config = loadConfig({
      environment: 'dev',
      overrides: agents([{ name: 'triage', models: ['claude-fast'], maxBudgetUsd: 50, budgetDuration: '30d', rpmLimit: 60, tpmLimit: 100000, keyVersion: 2 }]),
    });
    expect(config.agents).toEqual([{ name: 'triage', models: ['claude-fast'], maxBudgetUsd: 50, budgetDuration: '30d', rpmLimit: 60, tpmLimit: 100000, keyVersion: 2 }]);
  });

  test.each([
    [{ name: 'supervisor', models: ['claude-primary'], maxBudgetUsd: -5 }, /agents\[0\]\.maxBudgetUsd: got -5; allowed: a number from 0.01 to 1000000/],
    [{ name: 'supervisor', models: ['claude-primary'], maxBudgetUsd: 5, budgetDuration: '30days' }, /agents\[0\]\.budgetDuration: got "30days"; allowed: a LiteLLM duration/],
    [{ name: 'supervisor', models: ['claude-primary'], budgetDuration: '30d' }, /agents\[0\]\.budgetDuration: got "30d"; allowed: only together with maxBudgetUsd/],
    [{ name: 'supervisor', models: ['claude-primary'], rpmLimit: 1.5 }, /agents\[0\]\.rpmLimit: got 1.5; allowed: an integer >= 1/],
    [{ name: 'supervisor', models: ['claude-primary'], tpmLimit: 0 }, /agents\[0\]\.tpmLimit: got 0; allowed: an integer >= 1/],
    [{ name: 'supervisor', models: ['claude-primary'], keyVersion: 0 }, /agents\[0\]\.keyVersion: got 0; allowed: an integer >= 1/],
    [{ name: 'Supervisor', models: ['claude-primary'] }, /agents\[0\]\.name: got "Supervisor"; allowed: a lower-case name/],
    [{ name: 'supervisor', models: [] }, /agents\[0\]\.models: got \[\]; allowed: an array with at least 1 item/],
    [{ name: 'supervisor', models: ['claude-primary', 'claude-primary'] }, /agents\[0\]\.models: duplicate items/],
    [{ name: 'supervisor', model: ['claude-primary'] }, /agents\[0\]\.model: unknown key/],
  ])('rejects %j', (agent, message) => {
    expect(() => loadConfig({ environment: 'dev', overrides: agents([agent]) })).toThrow(message);
  });

  test('duplicate agents are rejected with both positions', () => {
    expect(() =>
      loadConfig({ environment: 'dev', overrides: agents([{ name: 'mapping', models: ['claude-primary'] }, { name: 'mapping', models: ['claude-fast'] }]) }),
    ).toThrow(/agents\[1\]\.name: duplicate agent; got "mapping"; allowed: a name not already used \(agents\[0\] is "mapping"\)/);
  });

  test.each([
    ['30d', true], ['1h', true], ['1mo', true], ['2w', true], ['45s', true], ['10m', true],
    ['30', false], ['0d', false], ['30days', false], ['1y', false], ['d', false], [' 1d', false],
  ])('duration %s is %s', (value, ok) => {
    expect(LITELLM_DURATION.test(value)).toBe(ok);
  });
});
