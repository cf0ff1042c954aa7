import { ConfigIssue, FieldSpec, arnSpec } from './schema';

/** ARNs of secrets managed outside this project (e.g. by a central security team). */
export interface ExistingSecretsConfig {
  /** Secret whose string is the full `postgresql://user:password@host:5432/litellm` URL. */
  readonly databaseUrlArn: string;
  /** Secret whose string is the LiteLLM admin (master) key, `sk-...`. */
  readonly masterKeyArn: string;
  /** Secret whose string is the LiteLLM salt key. Never rotate it: it encrypts stored credentials. */
  readonly saltKeyArn: string;
  /** JSON secret `{"username": "...", "password": "..."}` for the admin UI. */
  readonly uiCredentialsArn: string;
  /** Customer-managed KMS key the secrets are encrypted with, if any (the execution role then gets kms:Decrypt). */
  readonly kmsKeyArn?: string;
}

export interface DatabaseConfig {
  /** Aurora PostgreSQL engine version, pinned so that plans do not drift. @default '16.6' */
  readonly engineVersion: string;
  /** @default 'litellm' */
  readonly databaseName: string;
  /** @default 'litellm' */
  readonly masterUsername: string;
  /** Serverless v2 capacity in ACU (0 enables auto-pause, facts C9). @default 0.5 */
  readonly minCapacity: number;
  /** @default 1 */
  readonly maxCapacity: number;
  /** Seconds of idleness before an auto-pause; only used when minCapacity is 0. @default 300 */
  readonly secondsUntilAutoPause: number;
  /** Reader instances, each in the next AZ. @default 0 */
  readonly readers: number;
  /** @default 7 */
  readonly backupRetentionDays: number;
  /** UTC, must not overlap the maintenance window. @default '03:00-04:00' */
  readonly preferredBackupWindow: string;
  /** @default 'sun:05:00-sun:06:00' */
  readonly preferredMaintenanceWindow: string;
  /** @default false in dev, true in prod */
  readonly deletionProtection: boolean;
  /** Skip the final snapshot on destroy. @default true in dev, false in prod */
  readonly skipFinalSnapshot: boolean;
  /** @default false */
  readonly performanceInsights: boolean;
  /** Days Secrets Manager keeps a deleted secret (0 = delete at once, else 7-30). @default 0 in dev, 30 in prod */
  readonly secretRecoveryDays: number;
  /** Encrypt the secrets with a customer-managed KMS key created here. @default false */
  readonly customerManagedKey: boolean;
  /** Use these secrets instead of generating them (no random provider in the output). @default - generated */
  readonly existingSecrets?: ExistingSecretsConfig;
}

export const databaseDefaults: DatabaseConfig = {
  engineVersion: '16.6',
  databaseName: 'litellm',
  masterUsername: 'litellm',
  minCapacity: 0.5,
  maxCapacity: 1,
  secondsUntilAutoPause: 300,
  readers: 0,
  backupRetentionDays: 7,
  preferredBackupWindow: '03:00-04:00',
  preferredMaintenanceWindow: 'sun:05:00-sun:06:00',
  deletionProtection: false,
  skipFinalSnapshot: true,
  performanceInsights: false,
  secretRecoveryDays: 0,
  customerManagedKey: false,
};

const identifier = { kind: 'string', pattern: /^[a-z][a-z0-9_]{0,62}$/, describe: 'a PostgreSQL identifier: lowercase letter, then letters, digits or _ (max 63)' } as const;

export const databaseSpec: FieldSpec = {
  kind: 'object',
  fields: {
    engineVersion: { kind: 'string', pattern: /^1[3-7]\.\d+$/, describe: 'an Aurora PostgreSQL version like 16.6' },
    databaseName: identifier,
    masterUsername: identifier,
    minCapacity: { kind: 'number', min: 0, max: 256 },
    maxCapacity: { kind: 'number', min: 1, max: 256 },
    secondsUntilAutoPause: { kind: 'number', integer: true, min: 300, max: 86400 },
    readers: { kind: 'number', integer: true, min: 0, max: 15 },
    backupRetentionDays: { kind: 'number', integer: true, min: 1, max: 35 },
    preferredBackupWindow: { kind: 'string', pattern: /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, describe: 'a UTC window hh24:mi-hh24:mi' },
    preferredMaintenanceWindow: {
      kind: 'string',
      pattern: /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/,
      describe: 'a UTC window ddd:hh24:mi-ddd:hh24:mi',
    },
    deletionProtection: { kind: 'boolean' },
    skipFinalSnapshot: { kind: 'boolean' },
    performanceInsights: { kind: 'boolean' },
    secretRecoveryDays: { kind: 'number', integer: true, min: 0, max: 30 },
    customerManagedKey: { kind: 'boolean' },
    existingSecrets: {
      kind: 'object',
      optional: true,
      fields: {
        databaseUrlArn: arnSpec('secretsmanager'),
        masterKeyArn: arnSpec('secretsmanager'),
        saltKeyArn: arnSpec('secretsmanager'),
        uiCredentialsArn: arnSpec('secretsmanager'),
        kmsKeyArn: arnSpec('kms', true),
      },
    },
  },
};

export function checkDatabase(d: DatabaseConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (d.minCapacity > d.maxCapacity) {
    issues.push({ path: 'database.minCapacity', value: d.minCapacity, allowed: `at most database.maxCapacity (${d.maxCapacity})` });
  }
  if (d.minCapacity % 0.5 !== 0 || d.maxCapacity % 0.5 !== 0) {
    issues.push({ path: 'database.minCapacity/maxCapacity', value: [d.minCapacity, d.maxCapacity], allowed: 'multiples of 0.5 ACU' });
  }
  if (d.secretRecoveryDays > 0 && d.secretRecoveryDays < 7) {
    issues.push({ path: 'database.secretRecoveryDays', value: d.secretRecoveryDays, allowed: '0 (delete at once) or 7 to 30' });
  }
  if (d.customerManagedKey && d.existingSecrets) {
    issues.push({
      path: 'database.customerManagedKey',
      value: true,
      allowed: 'false with existingSecrets (give existingSecrets.kmsKeyArn for their key instead)',
    });
  }
  return issues;
}
