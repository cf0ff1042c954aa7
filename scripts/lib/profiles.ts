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
