import { ConfigError, checkDeployable, loadConfig, loadConfigFromEnv } from './index';

const ON_CALL = { observability: { alarmEmails: ['oncall@example.com'] } };
const staging = (extra: object = {}) => ({ environment: { name: 'staging', base: 'prod' }, ...ON_CALL, ...extra });

/** The issues of a refused configuration, as `path: value` pairs and messages. */
function refusal(load: () => unknown): { paths: string[]; message: string } {
  try {
    load();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { paths: e.issues.map((i) => `${i.path}=${JSON.stringify(i.value)}`), message: e.message };
  }
  throw new Error('the configuration was accepted');
}

describe('environments defined by a configuration file', () => {
  test('GIVEN a staging on prod WHEN loaded THEN it has its own name and prod\'s defaults and base', () => {
    const config = loadConfig({ environment: 'staging', overrides: staging() });
    const prod = loadConfig({ environment: 'prod', overrides: ON_CALL });
    expect([config.environment, config.baseEnvironment]).toEqual(['staging', 'prod']);
    // Defaults of the base, not of dev: every section equal to prod's but the names derived from the environment.
    expect(config.gateway.capacity).toEqual(prod.gateway.capacity);
    expect(config.database).toEqual(prod.database);
    expect(config.gateway.logGroupName).toBe('/document-processing/staging/llm-gateway');
    expect(config.observability.dashboardName).toBe('LlmGateway-document-processing-staging');
    expect(config).not.toHaveProperty('environment.name');
  });

  test('a base of dev gives dev\'s defaults', () => {
    const qa = loadConfig({ environment: 'qa', overrides: { environment: { name: 'qa', base: 'dev' } } });
    expect(qa.baseEnvironment).toBe('dev');
    expect(qa.gateway.capacity).toEqual(loadConfig({ environment: 'dev' }).gateway.capacity);
  });

  test('file values apply over the base, and are validated like the rest', () => {
    expect(loadConfig({ environment: 'staging', overrides: staging({ region: 'eu-west-1' }) }).region).toBe('eu-west-1');
    expect(refusal(() => loadConfig({ environment: 'staging', overrides: staging({ region: 'nowhere' }) })).paths).toEqual(['region="nowhere"']);
    // prod's own default (someone must be paged) holds for an environment based on prod, and dev's for one on dev.
    const unwatched = loadConfig({ environment: 'staging', overrides: { environment: { name: 'staging', base: 'prod' } } });
    expect(refusal(() => checkDeployable(unwatched)).paths).toEqual(['observability.alarmEmails=[]']);
    expect(() => checkDeployable(loadConfig({ environment: 'qa', overrides: { environment: { name: 'qa', base: 'dev' } } }))).not.toThrow();
  });

  test('GATEWAY_ENV=staging without a file defining it is refused, saying what to add', () => {
    const { paths, message } = refusal(() => loadConfigFromEnv({ GATEWAY_ENV: 'staging' }));
    expect(paths).toEqual(['GATEWAY_ENV="staging"']);
    expect(message).toContain('unknown environment');
    expect(message).toContain('{"environment": {"name": "staging", "base": "prod"}}');
    expect(message).toContain('GATEWAY_CONFIG_FILE');
  });

  test.each([
    ['a name with upper case', { name: 'Staging', base: 'prod' }, 'Staging', 'environment.name="Staging"'],
    ['a name with a double hyphen', { name: 'eu--prod', base: 'prod' }, 'eu--prod', 'environment.name="eu--prod"'],
    ['a name ending with a hyphen', { name: 'qa-', base: 'dev' }, 'qa-', 'environment.name="qa-"'],
    ['a name over 16 characters', { name: 'a-very-long-stage1', base: 'dev' }, 'a-very-long-stage1', 'environment.name="a-very-long-stage1"'],
    ['an unknown base', { name: 'staging', base: 'production' }, 'staging', 'environment.base="production"'],
    ['no base', { name: 'staging' }, 'staging', 'environment.base=undefined'],
    ['no name', { base: 'prod' }, 'staging', 'environment.name=undefined'],
    ['an unknown key', { name: 'staging', base: 'prod', extends: 'prod' }, 'staging', 'environment.extends="prod"'],
    ['a file for another environment', { name: 'staging', base: 'prod' }, 'qa', 'environment.name="staging"'],
    ['dev redefined on prod', { name: 'dev', base: 'prod' }, 'dev', 'environment.base="prod"'],
  ])('refuses %s, naming the field, the value and what is allowed', (_, section, requested, expected) => {
    const { paths, message } = refusal(() => loadConfig({ environment: requested, overrides: { ...ON_CALL, environment: section } }));
    expect(paths).toEqual([expected]);
    expect(message).toMatch(/allowed: \S/);
  });

  test('the message for an unknown base lists the built-in environments', () => {
    expect(refusal(() => loadConfig({ environment: 'staging', overrides: staging({ environment: { name: 'staging', base: 'production' } }) })).message).toContain('"dev", "prod"');
  });

  test('a file may name a built-in environment, with or without its own base', () => {
    expect(loadConfig({ environment: 'prod', overrides: { ...ON_CALL, environment: { name: 'prod' } } }).baseEnvironment).toBe('prod');
    expect(loadConfig({ environment: 'dev', overrides: { environment: { name: 'dev', base: 'dev' } } }).environment).toBe('dev');
  });
});
