import { readFileSync } from 'fs';
import * as path from 'path';
import { CONFIG_FILE_ENV_VAR, ENV_VAR, checkDeployable, loadConfigFromEnv } from './index';

const EXAMPLE = path.join(__dirname, '..', 'examples', 'organisation.json');

describe('examples/organisation.json', () => {
  test.each(['dev', 'prod'])('loads for %s through GATEWAY_CONFIG_FILE, as npm run synth reads it, and is deployable', (environment) => {
    const config = loadConfigFromEnv({ [ENV_VAR]: environment, [CONFIG_FILE_ENV_VAR]: EXAMPLE });
    expect(config.environment).toBe(environment);
    expect(config.networking.existingVpc?.vpcId).toBe('vpc-0123456789abcdef0');
    expect(config.gateway.image.mode).toBe('prebuilt');
    expect(() => checkDeployable(config)).not.toThrow();
  });

  test('is the example docs/configuration.md shows', () => {
    const doc = readFileSync(path.join(__dirname, '..', 'docs', 'configuration.md'), 'utf8');
    const block = /## Example[\s\S]*?```json\n([\s\S]*?)```/.exec(doc);
    expect(block?.[1].trim()).toBe(readFileSync(EXAMPLE, 'utf8').trim());
  });
});

describe('examples/staging.json', () => {
  const STAGING = path.join(__dirname, '..', 'examples', 'staging.json');

  test('defines staging on top of prod, loaded through GATEWAY_CONFIG_FILE, and is deployable', () => {
    const config = loadConfigFromEnv({ [ENV_VAR]: 'staging', [CONFIG_FILE_ENV_VAR]: STAGING });
    expect([config.environment, config.baseEnvironment]).toEqual(['staging', 'prod']);
    expect(() => checkDeployable(config)).not.toThrow();
  });

  test('is refused for another environment: the file says which one it is for', () => {
    expect(() => loadConfigFromEnv({ [ENV_VAR]: 'prod', [CONFIG_FILE_ENV_VAR]: STAGING })).toThrow(/environment\.name: the file is for environment "staging" but GATEWAY_ENV is "prod"/);
  });
});
