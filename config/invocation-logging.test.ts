import { ConfigError, loadConfig } from './index';
import { invocationLoggingDefaults } from './invocation-logging';

const on = (logging: unknown) => ({ observability: { bedrockInvocationLogging: { enabled: true, ...(logging as object) } } });

describe('observability.bedrockInvocationLogging', () => {
  test.each(['dev', 'prod'])('%s: off by default (one setting per account and region)', (environment) => {
    const c = loadConfig({ environment }).observability.bedrockInvocationLogging;
    expect(c).toEqual(invocationLoggingDefaults);
    expect(c.enabled).toBe(false);
    expect(c).toMatchObject({ textData: true, imageData: false, embeddingData: false, cloudwatch: { enabled: true, retentionDays: 90 }, s3: { enabled: false } });
  });

  test('enabled with S3 only is fine', () => {
    const c = loadConfig({ environment: 'prod', overrides: on({ cloudwatch: { enabled: false }, s3: { enabled: true, expirationDays: 30 } }) }).observability.bedrockInvocationLogging;
    expect(c).toMatchObject({ enabled: true, cloudwatch: { enabled: false }, s3: { enabled: true, expirationDays: 30, keyPrefix: 'bedrock' } });
  });

  test.each([
    ['no destination', { cloudwatch: { enabled: false } }, /observability\.bedrockInvocationLogging\.cloudwatch\.enabled: got false; allowed: true, or s3\.enabled true: logging needs at least one destination/],
    ['no data type', { textData: false }, /observability\.bedrockInvocationLogging\.textData: got false; allowed: true, or another \*Data flag true/],
    ['retention CloudWatch does not offer', { cloudwatch: { retentionDays: 10 } }, /observability\.bedrockInvocationLogging\.cloudwatch\.retentionDays: got 10; allowed: one of 1, 3, 5/],
    ['expiration of 0 days', { s3: { expirationDays: 0 } }, /observability\.bedrockInvocationLogging\.s3\.expirationDays: got 0; allowed: an integer from 1 to 3650/],
    ['key prefix with a slash', { s3: { keyPrefix: 'a/b' } }, /observability\.bedrockInvocationLogging\.s3\.keyPrefix: got "a\/b"; allowed: a key prefix of 1 to 63/],
    ['unknown key', { videoLogging: true }, /observability\.bedrockInvocationLogging\.videoLogging: unknown key/],
  ])('%s is refused', (_, logging, message) => {
    expect(() => loadConfig({ environment: 'dev', overrides: on(logging) })).toThrow(ConfigError);
    expect(() => loadConfig({ environment: 'dev', overrides: on(logging) })).toThrow(message);
  });

  test('a destination-less setting is only refused when enabled', () => {
    expect(() => loadConfig({ environment: 'dev', overrides: { observability: { bedrockInvocationLogging: { cloudwatch: { enabled: false } } } } })).not.toThrow();
  });
});
