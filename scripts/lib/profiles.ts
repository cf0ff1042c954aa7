/**
 * Configuration overrides that keep a synthesized stack inside what an offline machine can check. The values are
 * well-formed but fictitious: `terraform validate` never calls AWS. This file is the one source of the offline
 * profile; the emulator profile (scripts/emulator/profile.ts) builds on it.
 *
 * - `offlineOverrides`: a pre-built image (no docker provider). Generated secrets need nothing more: the default
 *   `write-only` generator uses the AWS provider only.
 * - `existingSecretsOverrides`: the same plus `database.existingSecrets` (the existing-secrets mode).
 * - `randomSecretsOverrides`: the same plus `secrets.generator: 'random'` (needs the hashicorp/random provider).
 */
import { deepMerge } from '../../config';
import type { ExistingSecretsConfig } from '../../config/database';

/**
 * Account id of every fictitious ARN and image URI. It is also moto's default account (what the emulator's STS
 * answers, and the account of the ARNs it returns), so the emulator can take the offline profile as it is.
 */
export const OFFLINE_ACCOUNT = '123456789012';

/** A pre-built image reference: well-formed and pinned by digest; nothing ever pulls it. */
export function offlineImageUri(region = 'us-east-1'): string {
  return `${OFFLINE_ACCOUNT}.dkr.ecr.${region}.amazonaws.com/llm-gateway@sha256:${'0'.repeat(64)}`;
}

export function offlineOverrides(region = 'us-east-1'): Record<string, unknown> {
  return { gateway: { image: { mode: 'prebuilt', uri: offlineImageUri(region) } } };
}

/** The ARNs `database.existingSecrets` takes (the emulator passes the ones its fixtures created). */
export type ExistingSecretArns = Pick<ExistingSecretsConfig, 'databaseUrlArn' | 'masterKeyArn' | 'saltKeyArn' | 'uiCredentialsArn'>;

/** Fictitious secret ARNs in the offline account. */
export function offlineSecretArns(region = 'us-east-1'): ExistingSecretArns {
  const secret = (name: string) => `arn:aws:secretsmanager:${region}:${OFFLINE_ACCOUNT}:secret:${name}-AbCdEf`;
  return {
    databaseUrlArn: secret('llm-gateway/database-url'),
    masterKeyArn: secret('llm-gateway/master-key'),
    saltKeyArn: secret('llm-gateway/salt-key'),
    uiCredentialsArn: secret('llm-gateway/ui-credentials'),
  };
}

export function existingSecretsOverrides(region = 'us-east-1', secrets: ExistingSecretArns = offlineSecretArns(region)): Record<string, unknown> {
  return { ...offlineOverrides(region), database: { existingSecrets: { ...secrets } } };
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

/** The edge's allow-list in every profile that turns the edge on: exercises the IP set and the block-by-default web ACL. */
export const EDGE_ALLOWED_CIDRS: readonly string[] = ['203.0.113.0/24'];

/**
 * The offline profile with the edge on in its fullest form (custom domain, certificate, allow-list), so that every
 * edge resource, and the CloudFront ingress rule of the networking stack, is checked by `terraform validate`.
 */
export function edgeOverrides(region = 'us-east-1'): Record<string, unknown> {
  return {
    ...offlineOverrides(region),
    edge: { enabled: true, domainName: 'llm-gateway.example.com', certificateArn: OFFLINE_EDGE_CERTIFICATE, allowedCidrs: [...EDGE_ALLOWED_CIDRS] },
  };
}

/**
 * Off-hours (gateway.schedule) with the database allowed to pause (minCapacity 0, its auto-pause delay): the
 * scheduled actions, the ignored min/max of the scalable target, the gated alarms and Aurora's pause settings.
 */
export const SCHEDULE_FEATURE = {
  gateway: { schedule: { enabled: true, timezone: 'Europe/Paris', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], start: '08:00', stop: '19:00' } },
  database: { minCapacity: 0, secondsUntilAutoPause: 900 },
} as const;

/**
 * The opt-in features that add resources (a Bedrock guardrail with every policy type, invocation logging to both
 * destinations, a customer-managed key for the generated secrets, the off-hours schedule), so that their enabled form
 * is validated and applied too. Values are fictitious but valid. The key is for generated secrets only: with existing
 * secrets the configuration refuses it, so `existingSecrets: true` leaves it out.
 */
export function featureOverrides(options: { existingSecrets?: boolean } = {}): Record<string, unknown> {
  return {
    database: { ...SCHEDULE_FEATURE.database, ...(options.existingSecrets ? {} : { customerManagedKey: true }) },
    gateway: {
      schedule: { ...SCHEDULE_FEATURE.gateway.schedule, days: [...SCHEDULE_FEATURE.gateway.schedule.days] },
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

/** A fictitious existing VPC with two private subnets (networking.existingVpc): validate reads nothing from AWS. */
export const OFFLINE_EXISTING_VPC = {
  vpcId: 'vpc-0123456789abcdef0',
  privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
} as const;

/** The offline profile in an existing VPC: the networking stack reads the VPC and its CIDR blocks instead of creating them. */
export function existingVpcOverrides(region = 'us-east-1'): Record<string, unknown> {
  return { ...offlineOverrides(region), networking: { existingVpc: { ...OFFLINE_EXISTING_VPC, privateSubnetIds: [...OFFLINE_EXISTING_VPC.privateSubnetIds] } } };
}

/**
 * The offline profile without internet egress (networking.egress "endpoints"): interface endpoints, their group and
 * the tasks' egress to them instead of NAT gateways, with the edge on so that the internet gateway CloudFront's VPC
 * origins require is kept and checked too.
 */
export function privateEndpointsOverrides(region = 'us-east-1'): Record<string, unknown> {
  return deepMerge(edgeOverrides(region), { networking: { egress: 'endpoints' } }) as Record<string, unknown>;
}

/** An ACM certificate ARN in the ALB's region, well-formed and fictitious (gateway.certificateArn). */
export function offlineListenerCertificate(region = 'us-east-1'): string {
  return `arn:aws:acm:${region}:${OFFLINE_ACCOUNT}:certificate/11111111-1111-4111-8111-111111111111`;
}

/** The offline profile with the ALB's HTTPS listener (and :443 open in alb-sg): changes the networking and gateway stacks. */
export function httpsListenerOverrides(region = 'us-east-1'): Record<string, unknown> {
  return deepMerge(offlineOverrides(region), { gateway: { certificateArn: offlineListenerCertificate(region) } }) as Record<string, unknown>;
}

/**
 * gateway.costAttribution on: an application inference profile per agent and model, the task role on exactly those,
 * and the agents' routing in the proxy's environment (modules/gateway/cost-attribution.ts). Changes the gateway stack.
 */
export const COST_ATTRIBUTION_OVERRIDES = { gateway: { costAttribution: 'application-inference-profiles' } } as const;

export function costAttributionOverrides(region = 'us-east-1'): Record<string, unknown> {
  return deepMerge(offlineOverrides(region), COST_ATTRIBUTION_OVERRIDES) as Record<string, unknown>;
}

/** A named profile of `npm run test:validate` (scripts/validate.ts). */
export interface ValidateProfile {
  readonly mode: 's3' | 'cloud';
  readonly overrides: (region: string) => unknown;
  /** `fallback` (default): validates what an earlier profile of its mode could not. `variant`: every stack it changes. */
  readonly kind?: 'fallback' | 'variant';
}

// Fictitious but well-formed: validate never contacts HCP Terraform.
const CLOUD_STATE = { kind: 'cloud', organization: 'example-org', project: 'llm-gateway' };

/**
 * The profiles `terraform validate` runs, in order (fallbacks first). The emulator coverage test
 * (scripts/emulator/coverage.test.ts) also reads them, as the list of what a configuration can synthesize.
 */
export const VALIDATE_PROFILES: Readonly<Record<string, ValidateProfile>> = {
  default: { mode: 's3', overrides: () => undefined },
  offline: { mode: 's3', overrides: (region) => offlineOverrides(region) },
  'existing-secrets': { mode: 's3', overrides: (region) => existingSecretsOverrides(region), kind: 'variant' },
  random: { mode: 's3', overrides: (region) => randomSecretsOverrides(region), kind: 'variant' },
  edge: { mode: 's3', overrides: (region) => edgeOverrides(region), kind: 'variant' },
  // networking.existingVpc: the data source and the ingress rules over its CIDR blocks.
  'existing-vpc': { mode: 's3', overrides: (region) => existingVpcOverrides(region), kind: 'variant' },
  // networking.egress "endpoints": interface endpoints instead of NAT gateways (docs/architecture.md#network-paths).
  'private-endpoints': { mode: 's3', overrides: (region) => privateEndpointsOverrides(region), kind: 'variant' },
  // gateway.certificateArn: the HTTPS listener, the HTTP redirect and :443 in alb-sg.
  'https-listener': { mode: 's3', overrides: (region) => httpsListenerOverrides(region), kind: 'variant' },
  // The opt-in features that add resources (guardrail, invocation logging, the secrets' key), in their enabled form.
  features: { mode: 's3', overrides: (region) => deepMerge(offlineOverrides(region), featureOverrides()), kind: 'variant' },
  // gateway.costAttribution: the agents' application inference profiles, their IAM and routing.
  'cost-attribution': { mode: 's3', overrides: (region) => costAttributionOverrides(region), kind: 'variant' },
  // Cloud mode refuses the docker build mode, so even its own profile takes the pre-built image.
  cloud: { mode: 'cloud', overrides: (region) => ({ state: CLOUD_STATE, gateway: (offlineOverrides(region) as { gateway: unknown }).gateway }) },
  'cloud-offline': { mode: 'cloud', overrides: (region) => ({ ...offlineOverrides(region), state: CLOUD_STATE }) },
  // With the edge on, <env>-edge is a cloud-mode stack too: its cloud block and its remote read of the gateway.
  'cloud-edge': { mode: 'cloud', overrides: (region) => ({ ...edgeOverrides(region), state: CLOUD_STATE }), kind: 'variant' },
};

/**
 * The profile a variant is compared with to find the stacks it changes: the offline fallback of its own state
 * mode (a cloud-mode variant compared with an S3 output would differ in every stack).
 */
export const VARIANT_BASELINES: Readonly<Record<ValidateProfile['mode'], string>> = { s3: 'offline', cloud: 'cloud-offline' };
