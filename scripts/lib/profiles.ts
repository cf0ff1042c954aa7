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
 * The opt-in features that add resources (a Bedrock guardrail with every policy type, invocation logging to both
 * destinations), so that their enabled form is validated and applied too. Values are fictitious but valid.
 */
export function featureOverrides(): Record<string, unknown> {
  return {
    gateway: {
      guardrail: {
        enabled: true,
        piiEntities: { US_SOCIAL_SECURITY_NUMBER: 'BLOCK', EMAIL: 'ANONYMIZE' },
        deniedTopics: [{ name: 'Investment advice', definition: 'Recommendations to buy or sell securities.', examples: ['Should I buy this stock?'] }],
        wordFilters: ['project-codename'],
        managedWordLists: ['PROFANITY'],
      },
    },
    observability: { bedrockInvocationLogging: { enabled: true, s3: { enabled: true } } },
  };
}
