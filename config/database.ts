import { ConfigIssue, Mandatory, NumberSpec, ObjectSpecOf, StringSpec, arnSpec, defaultsOf, logRetentionSpec } from './schema';

/** ARNs of secrets managed outside this project (e.g. by a central security team). */
export interface ExistingSecretsConfig {
  /**
   * Secret whose string is the full `postgresql://user:password@host:5432/litellm?sslmode=require` URL. The cluster
   * then keeps its master password in an RDS-managed secret, so this URL names a login role created by its owner.
   */
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

/**
 * Rotation of the generated secrets (docs/secrets.md): bump a number and apply the database stack, then start new
 * gateway tasks. In the `write-only` generator each number is the `_version` of the write-only arguments its value
 * goes through (Terraform sends a new value only when it changes); in `random` it is a keeper of the random_password.
 * There is no salt key version: LiteLLM's salt key can never change.
 */
export interface SecretVersionsConfig {
  /**
   * The Aurora master password and every secret that carries it (DATABASE_URL, the master credentials): one number,
   * so the cluster and the URL can never disagree.
   */
  readonly databasePassword: number;
  /** LITELLM_MASTER_KEY, the `sk-` admin key. */
  readonly masterKey: number;
  /** The admin UI password. */
  readonly uiPassword: number;
}

export interface DatabaseConfig {
  /**
   * Aurora PostgreSQL engine version at creation, pinned so that a new cluster is reproducible. Later minor versions
   * arrive through auto minor version upgrade (the stack ignores the drift they cause); a major upgrade is a
   * deliberate operation. The default must be a minor Aurora still offers for new Serverless v2 clusters (old minors
   * stop being offered for creation, as 16.6, the former default, is for RDS for PostgreSQL since May 2026); why
   * 16.11 and how to check a version in an account: docs/first-contact.md.
   */
  readonly engineVersion: string;
  readonly databaseName: string;
  readonly masterUsername: string;
  /** Serverless v2 capacity in ACU, in 0.5 steps (0 enables auto-pause, docs/design.md#auto-pause). */
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /**
   * What the cluster volume may grow to, in GiB: the storage alarm fires at observability.alarms.databaseStoragePercent
   * of it. Aurora grows the volume by itself (up to 128 TiB) and bills it per GB-month, so the budget is a choice.
   */
  readonly storageBudgetGiB: number;
  /**
   * Days of LiteLLM_SpendLogs rows kept (one row per request): `general_settings.maximum_spend_logs_retention_period`
   * through LITELLM_SPEND_LOGS_RETENTION; LiteLLM's cleanup job deletes older rows daily.
   */
  readonly spendLogsRetentionDays: number;
  /** Seconds of idleness before an auto-pause; only used when minCapacity is 0. */
  readonly secondsUntilAutoPause: number;
  /** Reader instances besides the writer; each goes to the next AZ of a VPC this project creates. */
  readonly readers: number;
  readonly backupRetentionDays: number;
  /** Daily, UTC, at least 30 minutes, must not overlap the maintenance window. */
  readonly preferredBackupWindow: string;
  /** Weekly, UTC, at least 30 minutes. */
  readonly preferredMaintenanceWindow: string;
  readonly deletionProtection: boolean;
  /** Skip the final snapshot on destroy. */
  readonly skipFinalSnapshot: boolean;
  /** Performance Insights on every instance (7 days of history, the free tier). */
  readonly performanceInsights: boolean;
  /** Retention of the exported PostgreSQL log (RDS would otherwise create the group and keep it forever). */
  readonly logRetentionDays: number;
  /** Days Secrets Manager keeps a deleted secret (0 = delete at once, else 7-30). */
  readonly secretRecoveryDays: number;
  /** Encrypt the secrets with a customer-managed KMS key created here. */
  readonly customerManagedKey: boolean;
  /** Versions of the generated secrets; bump one to rotate it. Only with generated secrets. */
  readonly secretVersions: SecretVersionsConfig;
  /** Use these secrets instead of generating them (nothing generated in the output). @default - generated */
  readonly existingSecrets?: ExistingSecretsConfig;
}

const identifier = { kind: 'string', pattern: /^[a-z][a-z0-9_]{0,62}$/, describe: 'a PostgreSQL identifier: lowercase letter, then letters, digits or _ (max 63)' } as const;

const HHMM = '([01]\\d|2[0-3]):[0-5]\\d';
const DAY = '(mon|tue|wed|thu|fri|sat|sun)';
const BACKUP_WINDOW = new RegExp(`^${HHMM}-${HHMM}$`);
const MAINTENANCE_WINDOW = new RegExp(`^${DAY}:${HHMM}-${DAY}:${HHMM}$`);

/**
 * A complete secret ARN, with the 6-character suffix Secrets Manager appends: the execution role is granted exactly
 * these ARNs, and IAM does not match a partial one (the suffix would need `-??????`).
 */
const secretArnSpec: Mandatory<StringSpec> = {
  kind: 'string',
  pattern: /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/,
  describe: 'a complete secret ARN including its 6-character suffix, like arn:aws:secretsmanager:us-east-1:123456789012:secret:name-AbC123',
};

/** A rotation counter: small integers, exact in every number type between here and the provider. */
const secretVersionSpec: Mandatory<NumberSpec> = { kind: 'number', integer: true, min: 1, max: 1_000_000 };

export const databaseSpec: Mandatory<ObjectSpecOf<DatabaseConfig>> = {
  kind: 'object',
  fields: {
    engineVersion: {
      kind: 'string',
      pattern: /^1[3-7]\.\d+$/,
      describe: 'an Aurora PostgreSQL version like 16.11',
      default: '16.11',
      doc: 'Aurora PostgreSQL version at creation; minors then arrive by auto minor version upgrade (docs/first-contact.md)',
    },
    databaseName: { ...identifier, default: 'litellm', doc: 'Database LiteLLM uses' },
    // CreateDBCluster: 1 to 16 letters or digits, starting with a letter; rdsadmin is RDS's own role.
    masterUsername: {
      kind: 'string',
      pattern: /^(?!rdsadmin$)[a-z][a-z0-9]{0,15}$/,
      describe: 'an RDS master user name: lowercase letter, then up to 15 letters or digits (not rdsadmin)',
      default: 'litellm',
      doc: 'Aurora master user',
    },
    minCapacity: {
      kind: 'number',
      min: 0,
      max: 256,
      default: 0.5,
      doc: 'Serverless v2 minimum ACU, in 0.5 steps, at most `maxCapacity`; 0 enables auto-pause (needs 13.15+, 14.12+, 15.7+, 16.3+ or 17.x)',
    },
    maxCapacity: { kind: 'number', min: 1, max: 256, default: 1, defaultIn: { prod: 4 }, doc: 'Serverless v2 maximum ACU, in 0.5 steps' },
    storageBudgetGiB: {
      kind: 'number',
      integer: true,
      min: 1,
      max: 131072,
      default: 20,
      defaultIn: { prod: 100 },
      doc: 'Cluster volume budget; the storage alarm fires at `observability.alarms.databaseStoragePercent` of it',
    },
    spendLogsRetentionDays: {
      kind: 'number',
      integer: true,
      min: 1,
      max: 3650,
      default: 30,
      defaultIn: { prod: 90 },
      doc: "Days of LiteLLM_SpendLogs kept (LiteLLM's `maximum_spend_logs_retention_period`; its cleanup job deletes older rows daily)",
    },
    secondsUntilAutoPause: {
      kind: 'number',
      integer: true,
      min: 300,
      max: 86400,
      default: 300,
      doc: 'Idle seconds before an auto-pause (only with `minCapacity` 0)',
    },
    readers: { kind: 'number', integer: true, min: 0, max: 15, default: 0, defaultIn: { prod: 1 }, doc: 'Reader instances besides the writer' },
    backupRetentionDays: { kind: 'number', integer: true, min: 1, max: 35, default: 7, defaultIn: { prod: 14 }, doc: 'Automated backup retention' },
    preferredBackupWindow: {
      kind: 'string',
      pattern: BACKUP_WINDOW,
      describe: 'a UTC window hh24:mi-hh24:mi',
      default: '03:00-04:00',
      doc: 'Daily backup window, UTC, at least 30 minutes, not overlapping the maintenance window',
    },
    preferredMaintenanceWindow: {
      kind: 'string',
      pattern: MAINTENANCE_WINDOW,
      describe: 'a UTC window ddd:hh24:mi-ddd:hh24:mi',
      default: 'sun:05:00-sun:06:00',
      doc: 'Weekly maintenance window, UTC, at least 30 minutes',
    },
    deletionProtection: { kind: 'boolean', default: false, defaultIn: { prod: true }, doc: 'Aurora deletion protection' },
    skipFinalSnapshot: {
      kind: 'boolean',
      default: true,
      defaultIn: { prod: false },
      doc: 'Skip the final snapshot on destroy (prod takes `<app>-prod-db-final-<creation time>`)',
    },
    performanceInsights: {
      kind: 'boolean',
      default: false,
      defaultIn: { prod: true },
      doc: 'Performance Insights on every instance (7 days, free tier)',
    },
    logRetentionDays: { ...logRetentionSpec, default: 30, doc: 'Retention of the exported PostgreSQL log group' },
    secretRecoveryDays: {
      kind: 'number',
      integer: true,
      min: 0,
      max: 30,
      default: 0,
      defaultIn: { prod: 30 },
      doc: 'Days Secrets Manager keeps a deleted secret: 0 (at once) or 7 to 30',
    },
    customerManagedKey: {
      kind: 'boolean',
      default: false,
      doc: 'Encrypt the generated secrets with a KMS key created here; not with `existingSecrets`',
    },
    secretVersions: {
      kind: 'object',
      fields: {
        databasePassword: {
          ...secretVersionSpec,
          default: 1,
          doc: 'Bump to rotate the Aurora master password and every secret carrying it (docs/secrets.md); must stay 1 with `existingSecrets`',
        },
        masterKey: { ...secretVersionSpec, default: 1, doc: 'Bump to rotate LITELLM_MASTER_KEY; must stay 1 with `existingSecrets`' },
        uiPassword: { ...secretVersionSpec, default: 1, doc: 'Bump to rotate the admin UI password; must stay 1 with `existingSecrets`' },
      },
    },
    existingSecrets: {
      kind: 'object',
      optional: true,
      fields: {
        databaseUrlArn: { ...secretArnSpec, doc: 'Secret holding the full `postgresql://...` URL (with `existingSecrets`, nothing is generated)' },
        masterKeyArn: { ...secretArnSpec, doc: 'Secret holding the LiteLLM admin key `sk-...`' },
        saltKeyArn: { ...secretArnSpec, doc: 'Secret holding the LiteLLM salt key (never rotate it)' },
        uiCredentialsArn: { ...secretArnSpec, doc: 'JSON secret `{"username", "password"}` of the admin UI' },
        kmsKeyArn: { ...arnSpec('kms', true), doc: 'KMS key of those secrets, if customer-managed (the execution role gets kms:Decrypt)' },
      },
    },
  },
};

export const databaseDefaults: DatabaseConfig = defaultsOf<DatabaseConfig>(databaseSpec);

/**
 * First version of each Aurora PostgreSQL major that accepts a minimum of 0 ACU (auto-pause, AWS announcement of
 * 2024-11-20: 16.3, 15.7, 14.12, 13.15, AWS Database Blog "Introducing scaling to 0 capacity with Amazon Aurora
 * Serverless v2", https://aws.amazon.com/blogs/database/introducing-scaling-to-0-capacity-with-amazon-aurora-serverless-v2/);
 * every 17.x does. Older minors refuse min_capacity 0 at apply time, so say it at synth time (docs/off-hours.md).
 */
export const AUTO_PAUSE_MIN_VERSIONS: Readonly<Record<number, number>> = { 13: 15, 14: 12, 15: 7, 16: 3, 17: 0 };

const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function minuteOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Length of a window in minutes; windows may wrap past midnight (or past Sunday). */
function span(start: number, end: number, period: number): number {
  return (((end - start) % period) + period) % period;
}

/** Minutes of the week (Monday 00:00 = 0) covered by the weekly maintenance window `ddd:hh:mi-ddd:hh:mi`. */
function maintenanceMinutes(window: string): { start: number; length: number } {
  const [startDay, startH, startM, endDay, endH, endM] = window.split(/[:-]/);
  const start = DAYS.indexOf(startDay) * MINUTES_PER_DAY + minuteOfDay(`${startH}:${startM}`);
  const end = DAYS.indexOf(endDay) * MINUTES_PER_DAY + minuteOfDay(`${endH}:${endM}`);
  return { start, length: span(start, end, MINUTES_PER_WEEK) };
}

/** Whether the daily backup window meets the weekly maintenance window on any day of the week. */
function windowsOverlap(backup: { start: number; length: number }, maintenance: { start: number; length: number }): boolean {
  for (let day = 0; day < 7; day++) {
    const b = day * MINUTES_PER_DAY + backup.start;
    // Two intervals on a circle meet when either one's start lies inside the other.
    const inside = (point: number, from: number, length: number) => span(from, point, MINUTES_PER_WEEK) < length;
    if (inside(b, maintenance.start, maintenance.length) || inside(maintenance.start, b, backup.length)) return true;
  }
  return false;
}

export function checkDatabase(d: DatabaseConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (d.minCapacity > d.maxCapacity) {
    issues.push({ path: 'database.minCapacity', value: d.minCapacity, allowed: `at most database.maxCapacity (${d.maxCapacity})` });
  }
  if (d.minCapacity % 0.5 !== 0 || d.maxCapacity % 0.5 !== 0) {
    issues.push({ path: 'database.minCapacity/maxCapacity', value: [d.minCapacity, d.maxCapacity], allowed: 'multiples of 0.5 ACU' });
  }
  if (d.minCapacity === 0) {
    const [major, minor] = d.engineVersion.split('.').map(Number);
    const first = AUTO_PAUSE_MIN_VERSIONS[major];
    if (first === undefined || minor < first) {
      issues.push({
        path: 'database.engineVersion',
        value: d.engineVersion,
        allowed: `a version with Serverless v2 auto-pause when minCapacity is 0: 13.15+, 14.12+, 15.7+, 16.3+ or 17.x (or minCapacity >= 0.5)`,
      });
    }
  }

  const backupStart = minuteOfDay(d.preferredBackupWindow.slice(0, 5));
  const backup = { start: backupStart, length: span(backupStart, minuteOfDay(d.preferredBackupWindow.slice(6)), MINUTES_PER_DAY) };
  const maintenance = maintenanceMinutes(d.preferredMaintenanceWindow);
  if (backup.length < 30) {
    issues.push({ path: 'database.preferredBackupWindow', value: d.preferredBackupWindow, allowed: 'a window of at least 30 minutes (RDS minimum)' });
  }
  if (maintenance.length < 30) {
    issues.push({ path: 'database.preferredMaintenanceWindow', value: d.preferredMaintenanceWindow, allowed: 'a window of at least 30 minutes (RDS minimum)' });
  }
  if (backup.length >= 30 && maintenance.length >= 30 && windowsOverlap(backup, maintenance)) {
    issues.push({
      path: 'database.preferredBackupWindow',
      value: d.preferredBackupWindow,
      allowed: `a daily window that does not overlap database.preferredMaintenanceWindow (${d.preferredMaintenanceWindow})`,
    });
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
  if (d.existingSecrets) {
    for (const [name, version] of Object.entries(d.secretVersions)) {
      if (version !== 1) {
        issues.push({
          path: `database.secretVersions.${name}`,
          value: version,
          allowed: '1 with existingSecrets (their owner rotates them; nothing is generated here)',
        });
      }
    }
  }
  return issues;
}
