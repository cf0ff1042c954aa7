import { loadConfig } from '../../config';
import { existingSecretsOverrides, offlineOverrides, randomSecretsOverrides } from './profiles';

describe('validate profiles', () => {
  test.each(['dev', 'prod'])('GIVEN %s offline THEN only the image is pre-built: the database stack keeps its generated write-only secrets', (environment) => {
    const config = loadConfig({ environment, overrides: offlineOverrides() });
    expect(config.gateway.image.mode).toBe('prebuilt');
    expect(config.database.existingSecrets).toBeUndefined();
    expect(config.secrets.generator).toBe('write-only');
  });

  test('GIVEN the mode profiles THEN each validates and selects its mode', () => {
    expect(loadConfig({ environment: 'prod', overrides: existingSecretsOverrides() }).database.existingSecrets?.saltKeyArn).toMatch(/:secret:llm-gateway\/salt-key-AbCdEf$/);
    expect(loadConfig({ environment: 'prod', overrides: randomSecretsOverrides() }).secrets.generator).toBe('random');
  });
});
