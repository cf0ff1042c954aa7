/**
 * `observability.bedrockInvocationLogging`: Amazon Bedrock's own model invocation logging, an audit trail of every
 * model call in the account and region that does not depend on LiteLLM (modules/observability/invocation-logging.ts).
 *
 * It is ONE setting per AWS account and region (PutModelInvocationLoggingConfiguration has no name or id): two
 * environments that enable it in the same account and region overwrite each other's setting, and destroying one
 * turns logging off for both. Enable it in one environment per account and region. Default off.
 */
import { ConfigIssue, ObjectSpecOf, defaultsOf, logRetentionSpec, Mandatory } from './schema';

export interface InvocationLoggingCloudWatch {
  readonly enabled: boolean;
  /** Log group retention. */
  readonly retentionDays: number;
}

export interface InvocationLoggingS3 {
  readonly enabled: boolean;
  /** Objects (and their old versions) expire after this many days. */
  readonly expirationDays: number;
  /** Prefix of the objects Bedrock writes (`<prefix>/AWSLogs/<account>/BedrockModelInvocationLogs/...`). */
  readonly keyPrefix: string;
}

export interface InvocationLoggingConfig {
  readonly enabled: boolean;
  /** Prompts and completions as text (what an audit needs; it holds whatever the documents hold). */
  readonly textData: boolean;
  readonly imageData: boolean;
  readonly embeddingData: boolean;
  readonly videoData: boolean;
  readonly cloudwatch: InvocationLoggingCloudWatch;
  readonly s3: InvocationLoggingS3;
}

export const invocationLoggingSpec: Mandatory<ObjectSpecOf<InvocationLoggingConfig>> = {
  kind: 'object',
  fields: {
    enabled: {
      kind: 'boolean',
      default: false,
      doc: 'Bedrock model invocation logging. **One setting per account and region**: enable it in one environment per account and region (config/invocation-logging.ts)',
    },
    textData: { kind: 'boolean', default: true, doc: 'Log prompts and completions as text; at least one `*Data` flag must be on' },
    imageData: { kind: 'boolean', default: false, doc: 'Log image data' },
    embeddingData: { kind: 'boolean', default: false, doc: 'Log embedding data' },
    videoData: { kind: 'boolean', default: false, doc: 'Log video data' },
    cloudwatch: { kind: 'object', fields: { enabled: {
      kind: 'boolean',
      default: true,
      doc: 'Deliver to a CloudWatch log group; this or `s3.enabled` must be on',
    }, retentionDays: {
      ...logRetentionSpec,
      default: 90,
      doc: 'Retention of that log group',
    } } },
    s3: {
      kind: 'object',
      fields: {
        enabled: { kind: 'boolean', default: false, doc: 'Deliver to an S3 bucket created here' },
        expirationDays: {
          kind: 'number',
          integer: true,
          min: 1,
          max: 3650,
          default: 365,
          doc: 'Objects and old versions expire after this many days',
        },
        keyPrefix: {
          kind: 'string',
          pattern: /^[a-z0-9][a-z0-9._-]{0,62}$/,
          describe: 'a key prefix of 1 to 63 lower-case letters, digits and ._- without slashes',
          default: 'bedrock',
          doc: 'Prefix of the objects Bedrock writes',
        },
      },
    },
  },
};

export const invocationLoggingDefaults: InvocationLoggingConfig = defaultsOf<InvocationLoggingConfig>(invocationLoggingSpec);

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
