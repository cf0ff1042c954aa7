/**
 * `observability.bedrockInvocationLogging`: Amazon Bedrock's own model invocation logging, an audit trail of every
 * model call in the account and region that does not depend on LiteLLM (modules/observability/invocation-logging.ts).
 *
 * It is ONE setting per AWS account and region (PutModelInvocationLoggingConfiguration has no name or id): two
 * environments that enable it in the same account and region overwrite each other's setting, and destroying one
 * turns logging off for both. Enable it in one environment per account and region. Default off.
 */
import { ConfigIssue, ObjectSpecOf, logRetentionSpec, Mandatory } from './schema';

export interface InvocationLoggingCloudWatch {
  /** @default true */
  readonly enabled: boolean;
  /** Log group retention. @default 90 */
  readonly retentionDays: number;
}

export interface InvocationLoggingS3 {
  /** @default false */
  readonly enabled: boolean;
  /** Objects (and their old versions) expire after this many days. @default 365 */
  readonly expirationDays: number;
  /** Prefix of the objects Bedrock writes (`<prefix>/AWSLogs/<account>/BedrockModelInvocationLogs/...`). @default 'bedrock' */
  readonly keyPrefix: string;
}

export interface InvocationLoggingConfig {
  /** @default false */
  readonly enabled: boolean;
  /** Prompts and completions as text (what an audit needs; it holds whatever the documents hold). @default true */
  readonly textData: boolean;
  /** @default false */
  readonly imageData: boolean;
  /** @default false */
  readonly embeddingData: boolean;
  /** @default false */
  readonly videoData: boolean;
  readonly cloudwatch: InvocationLoggingCloudWatch;
  readonly s3: InvocationLoggingS3;
}

export const invocationLoggingDefaults: InvocationLoggingConfig = {
  enabled: false,
  textData: true,
  imageData: false,
  embeddingData: false,
  videoData: false,
  cloudwatch: { enabled: true, retentionDays: 90 },
  s3: { enabled: false, expirationDays: 365, keyPrefix: 'bedrock' },
};

export const invocationLoggingSpec: Mandatory<ObjectSpecOf<InvocationLoggingConfig>> = {
  kind: 'object',
  fields: {
    enabled: { kind: 'boolean' },
    textData: { kind: 'boolean' },
    imageData: { kind: 'boolean' },
    embeddingData: { kind: 'boolean' },
    videoData: { kind: 'boolean' },
    cloudwatch: { kind: 'object', fields: { enabled: { kind: 'boolean' }, retentionDays: logRetentionSpec } },
    s3: {
      kind: 'object',
      fields: {
        enabled: { kind: 'boolean' },
        expirationDays: { kind: 'number', integer: true, min: 1, max: 3650 },
        keyPrefix: { kind: 'string', pattern: /^[a-z0-9][a-z0-9._-]{0,62}$/, describe: 'a key prefix of 1 to 63 lower-case letters, digits and ._- without slashes' },
      },
    },
  },
};

export function checkInvocationLogging(c: InvocationLoggingConfig, path = 'observability.bedrockInvocationLogging'): ConfigIssue[] {
  if (!c.enabled) return [];
  const issues: ConfigIssue[] = [];
  if (!c.cloudwatch.enabled && !c.s3.enabled) {
    issues.push({ path: `${path}.cloudwatch.enabled`, value: false, allowed: 'true, or s3.enabled true: logging needs at least one destination' });
  }
  if (!c.textData && !c.imageData && !c.embeddingData && !c.videoData) {
    issues.push({ path: `${path}.textData`, value: false, allowed: 'true, or another *Data flag true: with every data type off Bedrock logs nothing' });
  }
  return issues;
}
