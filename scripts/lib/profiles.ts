/**
 * Configuration overrides that keep a synthesized stack inside what an offline machine can check: a pre-built
 * image (no docker provider) and existing secrets (no random provider). The values are well-formed but fictitious:
 * `terraform validate` never calls AWS.
 */
export const OFFLINE_ACCOUNT = '123456789012';

export function offlineOverrides(region = 'us-east-1'): Record<string, unknown> {
  const secret = (name: string) => `arn:aws:secretsmanager:${region}:${OFFLINE_ACCOUNT}:secret:${name}-AbCdEf`;
  return {
    gateway: {
      image: {
        mode: 'prebuilt',
        uri: `${OFFLINE_ACCOUNT}.dkr.ecr.${region}.amazonaws.com/llm-gateway@sha256:${'0'.repeat(64)}`,
      },
    },
    database: {
      existingSecrets: {
        databaseUrlArn: secret('llm-gateway/database-url'),
        masterKeyArn: secret('llm-gateway/master-key'),
        saltKeyArn: secret('llm-gateway/salt-key'),
        uiCredentialsArn: secret('llm-gateway/ui-credentials'),
      },
    },
  };
}

/**
 * A subscriber for the alarm topic: prod refuses a topic nobody is subscribed to (config/observability.ts). The
 * scripts that synthesize every environment (validate, policy, bench) add this fictitious address.
 */
export const EXAMPLE_ON_CALL = { observability: { alarmEmails: ['oncall@example.com'] } } as const;
