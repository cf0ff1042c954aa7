import { loadConfig } from './index';
import { AUTO_PAUSE_MIN_VERSIONS, checkDatabase, databaseDefaults } from './database';
import { SECRETS as EXISTING } from '../test/fixtures';


const load = (database: Record<string, unknown>, environment = 'dev') => loadConfig({ environment, overrides: { database } });

describe('database defaults', () => {
  test('dev: small, disposable, secrets deleted at once', () => {
    const { database } = loadConfig({ environment: 'dev' });
    expect(database).toMatchObject({
      engineVersion: '16.11',
      minCapacity: 0.5,
      maxCapacity: 1,
      readers: 0,
      deletionProtection: false,
      skipFinalSnapshot: true,
      performanceInsights: false,
      secretRecoveryDays: 0,
      customerManagedKey: false,
      secretVersions: { databasePassword: 1, masterKey: 1, uiPassword: 1 },
      logRetentionDays: 30,
    });
    expect(database.existingSecrets).toBeUndefined();
  });

  test('prod: a reader, protection, a final snapshot, 30 days to undo a secret deletion', () => {
    const { database } = loadConfig({ environment: 'prod' });
    expect(database).toMatchObject({
      maxCapacity: 4,
      readers: 1,
      backupRetentionDays: 14,
      deletionProtection: true,
      skipFinalSnapshot: false,
      performanceInsights: true,
      secretRecoveryDays: 30,
    });
  });

  test('the defaults pass their own cross-field rules', () => {
    expect(checkDatabase(databaseDefaults)).toEqual([]);
  });
});

describe('database validation: each rule names the field, the value and what is allowed', () => {
  const invalid: Array<[string, Record<string, unknown>, RegExp]> = [
    // Shape (config/schema.ts specs)
    ['engine version without a minor', { engineVersion: '16' }, /database\.engineVersion: got "16"; allowed: an Aurora PostgreSQL version like 16\.11/],
    ['engine version of an unsupported major', { engineVersion: '12.22' }, /database\.engineVersion: got "12\.22"/],
    ['database name with a hyphen', { databaseName: 'lite-llm' }, /database\.databaseName: got "lite-llm"; allowed: a PostgreSQL identifier/],
    ['master user starting with a digit', { masterUsername: '1admin' }, /database\.masterUsername: got "1admin"; allowed: an RDS master user name/],
    ['master user longer than 16 characters', { masterUsername: 'litellm_gateway_admin' }, /database\.masterUsername: got "litellm_gateway_admin"; allowed: an RDS master user name: lowercase letter, then up to 15 letters or digits/],
    ['master user reserved by RDS', { masterUsername: 'rdsadmin' }, /database\.masterUsername: got "rdsadmin"; allowed: an RDS master user name/],
    ['negative minimum capacity', { minCapacity: -0.5 }, /database\.minCapacity: got -0\.5; allowed: a number from 0 to 256/],
    ['maximum capacity below 1 ACU', { minCapacity: 0.5, maxCapacity: 0.5 }, /database\.maxCapacity: got 0\.5; allowed: a number from 1 to 256/],
    ['maximum capacity above 256 ACU', { maxCapacity: 512 }, /database\.maxCapacity: got 512; allowed: a number from 1 to 256/],
    ['auto-pause below 5 minutes', { secondsUntilAutoPause: 120 }, /database\.secondsUntilAutoPause: got 120; allowed: an integer from 300 to 86400/],
    ['16 readers', { readers: 16 }, /database\.readers: got 16; allowed: an integer from 0 to 15/],
    ['fractional readers', { readers: 1.5 }, /database\.readers: got 1\.5/],
    ['no backups', { backupRetentionDays: 0 }, /database\.backupRetentionDays: got 0; allowed: an integer from 1 to 35/],
    ['backups beyond 35 days', { backupRetentionDays: 36 }, /database\.backupRetentionDays: got 36/],
    ['malformed backup window', { preferredBackupWindow: '3:00-04:00' }, /database\.preferredBackupWindow: got "3:00-04:00"; allowed: a UTC window hh24:mi-hh24:mi/],
    ['backup window with an hour 24', { preferredBackupWindow: '23:00-24:00' }, /database\.preferredBackupWindow: got "23:00-24:00"/],
    ['malformed maintenance window', { preferredMaintenanceWindow: 'sunday:05:00-sunday:06:00' }, /database\.preferredMaintenanceWindow: got "sunday:05:00-sunday:06:00"; allowed: a UTC window ddd:hh24:mi-ddd:hh24:mi/],
    ['a log retention CloudWatch refuses', { logRetentionDays: 10 }, /database\.logRetentionDays: got 10; allowed: one of 1, 3, 5, 7, 14/],
    ['recovery window beyond 30 days', { secretRecoveryDays: 31 }, /database\.secretRecoveryDays: got 31; allowed: an integer from 0 to 30/],
    ['a boolean given as a string', { deletionProtection: 'yes' }, /database\.deletionProtection: got "yes"; allowed: true or false/],
    ['an unknown key', { minCapacityy: 1 }, /database\.minCapacityy: unknown key; got 1; allowed: one of the keys engineVersion/],
    ['existing secret ARN of another service', { existingSecrets: { ...EXISTING, databaseUrlArn: 'arn:aws:kms:us-east-1:123456789012:key/abc' } }, /database\.existingSecrets\.databaseUrlArn: got "arn:aws:kms:us-east-1:123456789012:key\/abc"; allowed: a complete secret ARN including its 6-character suffix/],
    ['existing secret given by name, not ARN', { existingSecrets: { ...EXISTING, masterKeyArn: 'llm-gateway/master-key' } }, /database\.existingSecrets\.masterKeyArn: got "llm-gateway\/master-key"; allowed: a complete secret ARN/],
    ['existing secret ARN with a short account id', { existingSecrets: { ...EXISTING, saltKeyArn: 'arn:aws:secretsmanager:us-east-1:1234:secret:salt' } }, /database\.existingSecrets\.saltKeyArn: got "arn:aws:secretsmanager:us-east-1:1234:secret:salt"/],
    ['existing secrets missing one ARN', { existingSecrets: { databaseUrlArn: EXISTING.databaseUrlArn, masterKeyArn: EXISTING.masterKeyArn, saltKeyArn: EXISTING.saltKeyArn } }, /database\.existingSecrets\.uiCredentialsArn: required field is missing; got undefined; allowed: a complete secret ARN/],
    ['existing secret ARN without its 6-character suffix (IAM would not match the real ARN)', { existingSecrets: { ...EXISTING, masterKeyArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:llm-gateway/master-key' } }, /database\.existingSecrets\.masterKeyArn: got "arn:aws:secretsmanager:us-east-1:123456789012:secret:llm-gateway\/master-key"; allowed: a complete secret ARN including its 6-character suffix/],
    ['existing secrets KMS key that is not a KMS ARN', { existingSecrets: { ...EXISTING, kmsKeyArn: 'alias/secrets' } }, /database\.existingSecrets\.kmsKeyArn: got "alias\/secrets"; allowed: an ARN like arn:aws:kms/],

    // Cross-field rules (checkDatabase)
    ['min > max ACU', { minCapacity: 4, maxCapacity: 2 }, /database\.minCapacity: got 4; allowed: at most database\.maxCapacity \(2\)/],
    ['minimum not a 0.5 step', { minCapacity: 0.75 }, /database\.minCapacity\/maxCapacity: got \[0\.75,1\]; allowed: multiples of 0\.5 ACU/],
    ['maximum not a 0.5 step', { maxCapacity: 2.25 }, /database\.minCapacity\/maxCapacity: got \[0\.5,2\.25\]; allowed: multiples of 0\.5 ACU/],
    ['0 ACU on a version without auto-pause', { minCapacity: 0, engineVersion: '16.2' }, /database\.engineVersion: got "16\.2"; allowed: a version with Serverless v2 auto-pause when minCapacity is 0: 13\.15\+, 14\.12\+, 15\.7\+, 16\.3\+ or 17\.x/],
    ['0 ACU on 13.14', { minCapacity: 0, engineVersion: '13.14' }, /database\.engineVersion: got "13\.14"/],
    ['backup window shorter than 30 minutes', { preferredBackupWindow: '03:00-03:15' }, /database\.preferredBackupWindow: got "03:00-03:15"; allowed: a window of at least 30 minutes/],
    ['empty backup window', { preferredBackupWindow: '03:00-03:00' }, /database\.preferredBackupWindow: got "03:00-03:00"; allowed: a window of at least 30 minutes/],
    ['maintenance window shorter than 30 minutes', { preferredMaintenanceWindow: 'sun:05:00-sun:05:20' }, /database\.preferredMaintenanceWindow: got "sun:05:00-sun:05:20"; allowed: a window of at least 30 minutes/],
    ['backup window overlapping maintenance', { preferredBackupWindow: '05:30-06:30' }, /database\.preferredBackupWindow: got "05:30-06:30"; allowed: a daily window that does not overlap database\.preferredMaintenanceWindow \(sun:05:00-sun:06:00\)/],
    ['backup window containing the maintenance window', { preferredBackupWindow: '04:00-07:00' }, /database\.preferredBackupWindow: got "04:00-07:00"; allowed: a daily window that does not overlap/],
    ['overlap across midnight', { preferredBackupWindow: '23:30-00:30', preferredMaintenanceWindow: 'mon:00:00-mon:01:00' }, /database\.preferredBackupWindow: got "23:30-00:30"; allowed: a daily window that does not overlap database\.preferredMaintenanceWindow \(mon:00:00-mon:01:00\)/],
    ['overlap across the end of the week', { preferredBackupWindow: '00:15-01:00', preferredMaintenanceWindow: 'sun:23:30-mon:00:30' }, /database\.preferredBackupWindow: got "00:15-01:00"; allowed: a daily window that does not overlap/],
    ['CMK with existing secrets', { customerManagedKey: true, existingSecrets: EXISTING }, /database\.customerManagedKey: got true; allowed: false with existingSecrets \(give existingSecrets\.kmsKeyArn for their key instead\)/],
    // Rotation versions of the generated secrets
    ['a secret version of 0', { secretVersions: { databasePassword: 0 } }, /database\.secretVersions\.databasePassword: got 0; allowed: an integer from 1 to 1000000/],
    ['a fractional secret version', { secretVersions: { masterKey: 1.5 } }, /database\.secretVersions\.masterKey: got 1\.5; allowed: an integer from 1 to 1000000/],
    ['a secret version as a string', { secretVersions: { uiPassword: '2' } }, /database\.secretVersions\.uiPassword: got "2"; allowed: an integer/],
    ['a salt key version (the salt key can never change)', { secretVersions: { saltKey: 2 } }, /database\.secretVersions\.saltKey: unknown key; got 2; allowed: one of the keys databasePassword, masterKey, uiPassword/],
    ['a rotation of existing secrets', { existingSecrets: EXISTING, secretVersions: { masterKey: 2 } }, /database\.secretVersions\.masterKey: got 2; allowed: 1 with existingSecrets \(their owner rotates them; nothing is generated here\)/],
  ];

  test.each(invalid)('%s', (_name, database, message) => {
    expect(() => load(database)).toThrow(message);
  });

  test.each([1, 2, 6])('recovery window of %i days (Secrets Manager allows 0 or 7-30)', (days) => {
    expect(() => load({ secretRecoveryDays: days })).toThrow(
      new RegExp(`database\\.secretRecoveryDays: got ${days}; allowed: 0 \\(delete at once\\) or 7 to 30`),
    );
  });

  test('every problem is reported at once', () => {
    expect(() => load({ minCapacity: 0.75, secretRecoveryDays: 3, preferredBackupWindow: '05:30-06:30' })).toThrow(/3 problems/);
  });
});

describe('database values that are accepted', () => {
  const valid: Array<[string, Record<string, unknown>]> = [
    ['recovery window 0 (delete at once)', { secretRecoveryDays: 0 }],
    ['recovery window 7', { secretRecoveryDays: 7 }],
    ['recovery window 30', { secretRecoveryDays: 30 }],
    ['min = max', { minCapacity: 2, maxCapacity: 2 }],
    ['half ACU steps', { minCapacity: 1.5, maxCapacity: 2.5 }],
    ['backup window ending where maintenance starts (same weekday)', { preferredBackupWindow: '04:30-05:00' }],
    ['backup window starting where maintenance ends', { preferredBackupWindow: '06:00-06:30' }],
    ['backup window across midnight, maintenance later', { preferredBackupWindow: '23:30-00:30', preferredMaintenanceWindow: 'mon:01:00-mon:02:00' }],
    ['maintenance window across the end of the week', { preferredBackupWindow: '03:00-04:00', preferredMaintenanceWindow: 'sun:23:00-mon:01:00' }],
    ['0 ACU on 16.3', { minCapacity: 0, engineVersion: '16.3' }],
    ['0 ACU on 15.7', { minCapacity: 0, engineVersion: '15.7' }],
    ['0 ACU on 17.4', { minCapacity: 0, engineVersion: '17.4' }],
    ['0.5 ACU on an old minor (no auto-pause needed)', { minCapacity: 0.5, engineVersion: '16.1' }],
    ['existing secrets with their KMS key', { existingSecrets: { ...EXISTING, kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' } }],
    ['existing secrets in GovCloud', { existingSecrets: { ...EXISTING, databaseUrlArn: 'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:db-AbCdEf' } }],
    ['a customer-managed key for generated secrets', { customerManagedKey: true }],
  ];

  test.each(valid)('%s', (_name, database) => {
    expect(() => load(database)).not.toThrow();
  });

  test('the auto-pause table covers every major the version pattern accepts', () => {
    expect(Object.keys(AUTO_PAUSE_MIN_VERSIONS).map(Number)).toEqual([13, 14, 15, 16, 17]);
  });
});
