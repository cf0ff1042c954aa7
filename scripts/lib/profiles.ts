/**
 * Configuration overrides that keep a synthesized stack inside what an offline machine can check. The values are
 * well-formed but fictitious: `terraform validate` never calls AWS.
 *
 * - `offlineOverrides`: a pre-built image (no docker provider). Generated secrets need nothing more: the default
 *   `write-only` generator uses the AWS provider only.
 * - `existingSecretsOverrides`: the same plus `database.existingSecrets` (the existing-secrets mode).
 * - `randomSecretsOverrides`: the same plus `secrets.generator: 'random'` (needs the hashicorp/random provider).
 */
export const OFFLINE_ACCOUNT = '123456789012';

export function offlineOverrides(region = 'us-east-1'): Record<string, unknown> {
  return {
    gateway: {
      image: {
        mode: 'prebuilt',
        uri: `${OFFLINE_ACCOUNT}.dkr.ecr.${region}.amazonaws.com/llm-gateway@sha256:${'0'.repeat(64)}`,
      },
    },
  };
}

export function existingSecretsOverrides(region = 'us-east-1'): Record<string, unknown> {
  const secret = (name: string) => `arn:aws:secretsmanager:${region}:${OFFLINE_ACCOUNT}:secret:${name}-AbCdEf`;
  return {
    ...offlineOverrides(region),
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

export function randomSecretsOverrides(region = 'us-east-1'): Record<string, unknown> {
  return { ...offlineOverrides(region), secrets: { generator: 'random' } };
}

/** A us-east-1 ACM certificate ARN that is well-formed and fictitious, like the rest of the offline profile. */
export const OFFLINE_EDGE_CERTIFICATE = `arn:aws:acm:us-east-1:${OFFLINE_ACCOUNT}:certificate/00000000-0000-4000-8000-000000000000`;

/**
 * The offline profile with the edge on in its fullest form (custom domain, certificate, allow-list), so that every
 * edge resource, and the CloudFront ingress rule of the networking stack, is checked by `terraform validate`.
 */
export function edgeOverrides(region = 'us-east-1'): Record<string, unknown> {
  return {
    ...offlineOverrides(region),
    edge: { enabled: true, domainName: 'llm-gateway.example.com', certificateArn: OFFLINE_EDGE_CERTIFICATE, allowedCidrs: ['203.0.113.0/24'] },
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
