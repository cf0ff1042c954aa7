import { readFileSync } from 'fs';
import * as path from 'path';
import { TerraformOutput, Testing } from 'cdktf';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { Password } from '@cdktf/provider-random/lib/password';
import { loadConfig } from '../config';
import { DatabaseStack, SECRET_LENGTHS, UI_USERNAME } from './database-stack';
import { UI_CREDENTIAL_KEYS } from './contracts';
import { NetworkingStack } from './networking-stack';
import { SECRETS as EXISTING, KMS as KMS_ARN, NETWORK } from '../test/fixtures';
import type { Json } from '../test/helpers';


function build(environment: 'dev' | 'prod', overrides?: Record<string, unknown>) {
  const app = Testing.app();
  const config = loadConfig({ environment, overrides });
  const stack = new DatabaseStack(app, 'test', { config, network: NETWORK });
  // The typed outputs, resolved the way a consumer stack would see them (read back from `output.typed`).
  new TerraformOutput(stack, 'typed', { value: stack.outputs });
  const synth = Testing.synth(stack, true);
  const json = JSON.parse(synth) as Json;
  const typed = json.output.typed.value;
  delete json.output.typed;
  return { stack, synth, json, typed };
}

// Each environment and mode is synthesized once; the tests below read these.
const dev = build('dev');
const prod = build('prod');
const random = build('dev', { secrets: { generator: 'random' } });
const existing = build('prod', { database: { existingSecrets: { ...EXISTING, kmsKeyArn: KMS_ARN } } });

const cluster = (json: Json) => json.resource.aws_rds_cluster.cluster;
const instances = (json: Json): Record<string, Json> => json.resource.aws_rds_cluster_instance;
const secrets = (json: Json): Record<string, Json> => json.resource.aws_secretsmanager_secret ?? {};
const versions = (json: Json): Record<string, Json> => json.resource.aws_secretsmanager_secret_version ?? {};
const passwords = (json: Json): Record<string, Json> => json.resource.random_password ?? {};
const ephemerals = (json: Json): Record<string, Json> => json.ephemeral?.aws_secretsmanager_random_password ?? {};
/** `${ephemeral.aws_secretsmanager_random_password.<id>.random_password}` as written inside a string. */
const EPHEMERAL = (id: string) => `ephemeral.aws_secretsmanager_random_password.${id}.random_password`;
/** The database password as read back from its source secret (write-only mode). */
const SOURCE = 'ephemeral.aws_secretsmanager_secret_version.db-password.secret_string';
/** `${random_password.<id>.result}` → the random_password block it names. */
const passwordOf = (json: Json, expression: string) => passwords(json)[/random_password\.([\w-]+)\.result/.exec(expression)![1]];

describe('Aurora Serverless v2 cluster', () => {
  test('GIVEN dev THEN a PostgreSQL Serverless v2 cluster in the private subnets behind db-sg', () => {
    expect(dev.synth).toHaveResourceWithProperties(RdsCluster, {
      engine: 'aurora-postgresql',
      engine_mode: 'provisioned',
      engine_version: '16.11',
      database_name: 'litellm',
      master_username: 'litellm',
      port: 5432,
      storage_encrypted: true,
      vpc_security_group_ids: ['sg-db'],
      enabled_cloudwatch_logs_exports: ['postgresql'],
      iam_database_authentication_enabled: true,
      copy_tags_to_snapshot: true,
    });
    expect(dev.json.resource.aws_db_subnet_group['subnet-group'].subnet_ids).toEqual(NETWORK.privateSubnetIds);
    expect(cluster(dev.json).db_subnet_group_name).toBe('${aws_db_subnet_group.subnet-group.name}');
    expect(cluster(dev.json).cluster_identifier).toBe('document-processing-dev-db');
  });

  test.each([
    ['dev', dev.json, { min_capacity: 0.5, max_capacity: 1 }, 7, false, true],
    ['prod', prod.json, { min_capacity: 0.5, max_capacity: 4 }, 14, true, false],
  ])('GIVEN %s THEN capacity, backups and protection follow the environment', (_env, json, scaling, retention, protection, skipSnapshot) => {
    const c = cluster(json);
    expect(c.serverlessv2_scaling_configuration).toEqual(scaling);
    expect(c.backup_retention_period).toBe(retention);
    expect(c.preferred_backup_window).toBe('03:00-04:00');
    expect(c.preferred_maintenance_window).toBe('sun:05:00-sun:06:00');
    expect(c.deletion_protection).toBe(protection);
    expect(c.skip_final_snapshot).toBe(skipSnapshot);
  });

  test('GIVEN prod THEN destroy leaves a final snapshot named after the cluster\'s creation time; dev may be destroyed without one', () => {
    // A re-created prod cluster gets a new name, so its destroy never collides with its predecessor's snapshot.
    expect(cluster(prod.json).final_snapshot_identifier).toBe('document-processing-prod-db-final-${formatdate("YYYYMMDDhhmmss", timestamp())}');
    expect(cluster(dev.json).final_snapshot_identifier).toBeUndefined();
  });

  test('GIVEN prod THEN the snapshot name is fixed at creation: later plans ignore it (timestamp() changes every run)', () => {
    expect(cluster(prod.json).lifecycle.ignore_changes).toContain('final_snapshot_identifier');
  });

  test('GIVEN a minimum of 0 ACU THEN auto-pause is configured; otherwise it is absent (docs/design.md#auto-pause)', () => {
    const paused = build('dev', { database: { minCapacity: 0, secondsUntilAutoPause: 900 } });
    expect(cluster(paused.json).serverlessv2_scaling_configuration).toEqual({ min_capacity: 0, max_capacity: 1, seconds_until_auto_pause: 900 });
    expect(cluster(dev.json).serverlessv2_scaling_configuration).not.toHaveProperty('seconds_until_auto_pause');
  });

  test('THEN TLS is enforced by a cluster parameter group of the engine family', () => {
    const group = dev.json.resource.aws_rds_cluster_parameter_group['parameter-group'];
    expect(group.family).toBe('aurora-postgresql16');
    expect(group.parameter).toEqual([{ name: 'rds.force_ssl', value: '1', apply_method: 'pending-reboot' }]);
    expect(group.lifecycle).toEqual({ create_before_destroy: true });
    expect(cluster(dev.json).db_cluster_parameter_group_name).toBe('${aws_rds_cluster_parameter_group.parameter-group.name}');
  });

  test('THEN automatic minor upgrades do not turn into downgrade plans', () => {
    expect(cluster(dev.json).lifecycle.ignore_changes).toContain('engine_version');
    expect(cluster(dev.json).engine_version).toBe('16.11');
  });

  test('THEN the exported PostgreSQL log has a retention and exists before the cluster', () => {
    expect(dev.json.resource.aws_cloudwatch_log_group['postgresql-log-group']).toEqual({
      name: '/aws/rds/cluster/document-processing-dev-db/postgresql',
      retention_in_days: 30,
    });
    expect(cluster(dev.json).depends_on).toEqual(['aws_cloudwatch_log_group.postgresql-log-group']);
  });
});

describe('cluster instances', () => {
  test('GIVEN dev THEN one private db.serverless writer', () => {
    expect(Object.keys(instances(dev.json))).toEqual(['writer']);
    expect(dev.synth).toHaveResourceWithProperties(RdsClusterInstance, {
      identifier: 'document-processing-dev-db-writer',
      cluster_identifier: '${aws_rds_cluster.cluster.id}',
      engine: 'aurora-postgresql',
      instance_class: 'db.serverless',
      publicly_accessible: false,
      auto_minor_version_upgrade: true,
      promotion_tier: 0,
      performance_insights_enabled: false,
    });
  });

  test('GIVEN prod THEN a writer and a reader in another AZ, the reader a warm failover target', () => {
    const all = instances(prod.json);
    expect(Object.keys(all).sort()).toEqual(['reader-0', 'writer']);
    expect(all.writer).toMatchObject({ promotion_tier: 0, availability_zone: 'us-east-1a' });
    expect(all['reader-0']).toMatchObject({
      identifier: 'document-processing-prod-db-reader-0',
      instance_class: 'db.serverless',
      promotion_tier: 1,
      availability_zone: 'us-east-1b',
      publicly_accessible: false,
      auto_minor_version_upgrade: true,
    });
  });

  test('GIVEN prod THEN Performance Insights is on every instance, with the free 7-day retention', () => {
    for (const instance of Object.values(instances(prod.json))) {
      expect(instance).toMatchObject({ performance_insights_enabled: true, performance_insights_retention_period: 7 });
    }
    expect(instances(dev.json).writer).not.toHaveProperty('performance_insights_retention_period');
  });

  test('GIVEN 3 readers THEN they rotate through the AZs and only the first tracks the writer', () => {
    const { json } = build('prod', { database: { readers: 3 } });
    const all = instances(json);
    expect([0, 1, 2].map((i) => [all[`reader-${i}`].promotion_tier, all[`reader-${i}`].availability_zone])).toEqual([
      [1, 'us-east-1b'],
      [2, 'us-east-1a'],
      [2, 'us-east-1b'],
    ]);
  });

  test('GIVEN an existing VPC THEN RDS places the instances (their AZs are not known here)', () => {
    const { json } = build('prod', {
      networking: { existingVpc: { vpcId: 'vpc-0123456789abcdef0', privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] } },
    });
    for (const instance of Object.values(instances(json))) expect(instance).not.toHaveProperty('availability_zone');
  });
});

const NAMES = {
  'database-url': 'document-processing-dev-database-url',
  'master-key': 'document-processing-dev-master-key',
  'salt-key': 'document-processing-dev-salt-key',
  'ui-credentials': 'document-processing-dev-ui-credentials',
  'db-master-credentials': 'document-processing-dev-db-master-credentials',
  'db-password': 'document-processing-dev-db-password',
};

describe('generated secrets, default write-only generator', () => {
  const json = dev.json;
  const url = (j: Json): string => versions(j)['database-url-value'].secret_string_wo;

  test('THEN every value comes from an ephemeral Secrets Manager random password of letters and digits', () => {
    expect(ephemerals(json)).toEqual({
      'db-password': { password_length: SECRET_LENGTHS.dbPassword, exclude_punctuation: true, include_space: false },
      'master-key': { password_length: SECRET_LENGTHS.adminKey, exclude_punctuation: true, include_space: false },
      'salt-key': { password_length: SECRET_LENGTHS.saltKey, exclude_punctuation: true, include_space: false },
      'ui-password': { password_length: SECRET_LENGTHS.uiPassword, exclude_punctuation: true, include_space: false },
    });
    expect(SECRET_LENGTHS.dbPassword).toBeLessThanOrEqual(41); // RDS master password limit
  });

  test('THEN nothing generated can reach state or plan: no random provider, no secret_string, no master_password', () => {
    expect(Object.keys(json.terraform.required_providers)).toEqual(['aws']);
    expect(json.resource.random_password).toBeUndefined();
    expect(dev.synth).not.toHaveResource(Password);
    for (const version of Object.values(versions(json))) {
      expect(version).not.toHaveProperty('secret_string');
      expect(version).toHaveProperty('secret_string_wo');
      expect(version).toHaveProperty('secret_string_wo_version');
    }
    expect(cluster(json)).not.toHaveProperty('master_password');
    expect(cluster(json)).not.toHaveProperty('manage_master_user_password');
    // Every ephemeral value is used only inside write-only arguments.
    const outside = JSON.stringify({ ...json, ephemeral: undefined, resource: { ...json.resource, aws_secretsmanager_secret_version: undefined, aws_rds_cluster: undefined } });
    expect(outside).not.toMatch(/ephemeral\./);
    const { master_password_wo: _wo, ...rest } = cluster(json);
    expect(JSON.stringify(rest)).not.toMatch(/ephemeral\./);
  });

  test('THEN a new password is applied at once, in the same apply as the secrets that carry it', () => {
    expect(cluster(json).apply_immediately).toBe(true);
    expect(cluster(random.json).apply_immediately).toBe(true);
    expect(cluster(existing.json)).not.toHaveProperty('apply_immediately');
  });

  test('THEN the stack declares Terraform >= 1.11 (write-only arguments)', () => {
    expect(json.terraform.required_version).toBe('>= 1.11.0');
    expect(dev.stack.terraformFloor()).toBe('1.11.0');
  });

  test('THEN the drawn password is written once, into its own secret, versioned by databasePassword', () => {
    expect(versions(json)['db-password-value']).toEqual({
      secret_id: '${aws_secretsmanager_secret.db-password.id}',
      secret_string_wo: `\${${EPHEMERAL('db-password')}}`,
      secret_string_wo_version: 1,
    });
    // Read back by version id: after that version is written, and that version even once another is AWSCURRENT.
    expect(json.ephemeral.aws_secretsmanager_secret_version).toEqual({
      'db-password': {
        secret_id: '${aws_secretsmanager_secret_version.db-password-value.secret_id}',
        version_id: '${aws_secretsmanager_secret_version.db-password-value.version_id}',
      },
    });
  });

  test('THEN the cluster and every secret carrying the password read it back from that secret, never a fresh draw', () => {
    // A fresh draw is new at every run: an apply stopped after the cluster was created would write another password
    // into DATABASE_URL on the next run. Read back from the secret, every run gets the cluster's password.
    expect(cluster(json).master_password_wo).toBe(`\${${SOURCE}}`);
    expect(url(json)).toBe(`postgresql://litellm:\${${SOURCE}}@\${aws_rds_cluster.cluster.endpoint}:5432/litellm?sslmode=require`);
    expect(versions(json)['db-master-credentials-value'].secret_string_wo).toContain(`"password" = ${SOURCE}`);
    const drawnIn = Object.entries(versions(json)).filter(([, v]) => JSON.stringify(v).includes(EPHEMERAL('db-password'))).map(([id]) => id);
    expect(drawnIn).toEqual(['db-password-value']);
    expect(JSON.stringify(cluster(json))).not.toContain('aws_secretsmanager_random_password');
  });

  test('THEN DATABASE_URL parses as intended once Terraform fills it in (letters and digits never break the URL)', () => {
    const filled = url(json).replace(/\$\{ephemeral[^}]+\}/, 'Ab3'.repeat(13) + 'x').replace(/\$\{aws_rds_cluster[^}]+\}/, 'db.cluster-abc.us-east-1.rds.amazonaws.com');
    const parsed = new URL(filled);
    expect([parsed.protocol, parsed.username, parsed.password.length, parsed.hostname, parsed.port, parsed.pathname, parsed.searchParams.get('sslmode')]).toEqual([
      'postgresql:', 'litellm', 40, 'db.cluster-abc.us-east-1.rds.amazonaws.com', '5432', '/litellm', 'require',
    ]);
  });

  test('THEN the admin key is sk- and a generated value; the UI credentials are JSON with the keys the gateway reads', () => {
    expect(versions(json)['master-key-value'].secret_string_wo).toBe(`sk-\${${EPHEMERAL('master-key')}}`);
    const ui: string = versions(json)['ui-credentials-value'].secret_string_wo;
    expect(ui).toMatch(/^\$\{jsonencode\(\{.*\}\)\}$/);
    expect(ui).toContain(`"${UI_CREDENTIAL_KEYS.username}" = "${UI_USERNAME}"`);
    // A reference inside jsonencode, not an escaped literal "$${...}" that would store the text of the expression.
    expect(ui).toContain(`"${UI_CREDENTIAL_KEYS.password}" = ${EPHEMERAL('ui-password')}`);
    expect(ui).not.toContain('$${');
  });

  test('THEN the salt key is written once: version 1, never re-sent', () => {
    expect(versions(json)['salt-key-value']).toEqual({
      secret_id: '${aws_secretsmanager_secret.salt-key.id}',
      secret_string_wo: `\${${EPHEMERAL('salt-key')}}`,
      secret_string_wo_version: 1,
      lifecycle: { ignore_changes: ['secret_string', 'secret_string_wo_version'] },
    });
    expect(secrets(json)['salt-key'].description).toMatch(/NEVER rotate/);
  });

  test('THEN the admin key and UI password versions are their database.secretVersions', () => {
    const { json: bumped } = build('dev', { database: { secretVersions: { masterKey: 3, uiPassword: 2 } } });
    expect(versions(json)['master-key-value'].secret_string_wo_version).toBe(1);
    expect(versions(json)['ui-credentials-value'].secret_string_wo_version).toBe(1);
    expect(versions(bumped)['master-key-value'].secret_string_wo_version).toBe(3);
    expect(versions(bumped)['ui-credentials-value'].secret_string_wo_version).toBe(2);
    expect(versions(bumped)['salt-key-value'].secret_string_wo_version).toBe(1);
    // The database password is untouched by those bumps.
    expect(cluster(bumped).master_password_wo_version).toBe(cluster(json).master_password_wo_version);
  });

  test('THEN the cluster re-receives the password exactly when the source secret gets a new version', () => {
    expect(cluster(json).master_password_wo_version).toBe(
      '${parseint(substr(sha256(join("/", ["db-password", aws_secretsmanager_secret_version.db-password-value.version_id])), 0, 12), 16)}',
    );
    // A bump replaces the source's version resource (secret_string_wo_version is ForceNew): a new version id.
    const { json: bumped } = build('dev', { database: { secretVersions: { databasePassword: 2 } } });
    expect(versions(bumped)['db-password-value'].secret_string_wo_version).toBe(2);
  });

  test('THEN DATABASE_URL and the master credentials follow the cluster: its version, its identity and its endpoint', () => {
    const follows = '${parseint(substr(sha256(join("/", [aws_rds_cluster.cluster.master_password_wo_version, aws_rds_cluster.cluster.cluster_resource_id, aws_rds_cluster.cluster.endpoint])), 0, 12), 16)}';
    // A replaced cluster (new resource id, maybe a new endpoint) is created with this run's password: the secrets are
    // re-sent in the same apply, so the URL never names a stale host or password.
    expect(versions(json)['database-url-value'].secret_string_wo_version).toBe(follows);
    expect(versions(json)['db-master-credentials-value'].secret_string_wo_version).toBe(follows);
  });

  test('GIVEN a databasePassword bump THEN only the source secret\'s version changes in the output: the cluster and the secrets follow it by construction', () => {
    const { json: bumped } = build('dev', { database: { secretVersions: { databasePassword: 7 } } });
    const versionsOf = (j: Json) => Object.fromEntries(Object.entries(versions(j)).map(([id, v]) => [id, v.secret_string_wo_version]));
    expect(versionsOf(bumped)).toEqual({ ...versionsOf(json), 'db-password-value': 7 });
    expect(cluster(bumped)).toEqual(cluster(json));
  });

  test('THEN no output carries a generated value', () => {
    expect(JSON.stringify(json.output)).not.toMatch(/ephemeral|random_password|secret_string|master_password/);
    expect(Object.fromEntries(Object.entries(secrets(json)).map(([id, s]) => [id, s.name]))).toEqual(NAMES);
  });
});

describe('generated secrets, random generator (compatibility mode)', () => {
  const dev = random;
  test('THEN the stack needs no Terraform 1.11 and keeps the random provider addresses', () => {
    // Only the floors every stack has (cdktf output, the S3 backend's lockfile), not write-only's 1.11.
    expect(dev.json.terraform.required_version).toMatch(/^>= 1\.(2|10)\.0$/);
    expect(Object.keys(passwords(dev.json)).sort()).toEqual(['random-db-password', 'random-master-key', 'random-salt-key', 'random-ui-password']);
    expect(dev.json.ephemeral).toBeUndefined();
    expect(JSON.stringify(dev.json)).not.toMatch(/_wo/);
  });

  test('GIVEN a databasePassword bump THEN the random password is regenerated (keepers), and the cluster and the URL follow it', () => {
    const { json } = build('dev', { secrets: { generator: 'random' }, database: { secretVersions: { databasePassword: 2 } } });
    expect(passwords(json)['random-db-password'].keepers).toEqual({ version: '2' });
    expect(cluster(json).master_password).toBe('${random_password.random-db-password.result}');
    expect(versions(json)['database-url-value'].secret_string).toContain('${random_password.random-db-password.result}');
  });


  test('THEN each secret has a physical name, a description and a value', () => {
    // No source secret: the random_password in state is the same at every run already.
    const { 'db-password': _source, ...randomNames } = NAMES;
    expect(Object.fromEntries(Object.entries(secrets(dev.json)).map(([id, s]) => [id, s.name]))).toEqual(randomNames);
    for (const [id, secret] of Object.entries(secrets(dev.json))) {
      expect(secret.description).toEqual(expect.any(String));
      expect(versions(dev.json)[`${id}-value`].secret_id).toBe(`\${aws_secretsmanager_secret.${id}.id}`);
    }
  });

  test('THEN the random provider generates letters and digits only, so no value can break a URL', () => {
    expect(dev.json.terraform.required_providers.random).toEqual({ source: 'hashicorp/random', version: '3.7.2' });
    expect(Object.keys(passwords(dev.json)).length).toBe(4);
    for (const password of Object.values(passwords(dev.json))) {
      expect(password.special).toBe(false);
      expect(password).not.toHaveProperty('override_special');
    }
  });

  test('THEN DATABASE_URL is assembled from the generated password and the writer endpoint, port 5432, db litellm, TLS', () => {
    const url: string = versions(dev.json)['database-url-value'].secret_string;
    expect(url).toBe(
      'postgresql://litellm:${random_password.random-db-password.result}@${aws_rds_cluster.cluster.endpoint}:5432/litellm?sslmode=require',
    );
    // The cluster's master password is the same generated value.
    expect(cluster(dev.json).master_password).toBe('${random_password.random-db-password.result}');
    const password = passwordOf(dev.json, url);
    expect(password.length).toBe(SECRET_LENGTHS.dbPassword);
    expect(password.length).toBeLessThanOrEqual(41); // RDS master password limit

    // What Terraform will store, with a value of the generated alphabet: a URL Prisma and LiteLLM parse as intended.
    const parsed = new URL(url.replace(/\$\{random_password[^}]+\}/, 'Ab3'.repeat(13) + 'x').replace(/\$\{aws_rds_cluster[^}]+\}/, 'db.cluster-abc.us-east-1.rds.amazonaws.com'));
    expect([parsed.protocol, parsed.username, parsed.password.length, parsed.hostname, parsed.port, parsed.pathname, parsed.searchParams.get('sslmode')]).toEqual([
      'postgresql:',
      'litellm',
      40,
      'db.cluster-abc.us-east-1.rds.amazonaws.com',
      '5432',
      '/litellm',
      'require',
    ]);
  });

  test('THEN the admin key is sk- followed by at least 32 random characters', () => {
    const value: string = versions(dev.json)['master-key-value'].secret_string;
    expect(value).toMatch(/^sk-\$\{random_password\.[\w-]+\.result\}$/);
    expect(passwordOf(dev.json, value).length).toBeGreaterThanOrEqual(32);
  });

  test('THEN the salt key is at least 32 characters and a new random value never replaces the stored one', () => {
    const version = versions(dev.json)['salt-key-value'];
    expect(version.secret_string).toMatch(/^\$\{random_password\.[\w-]+\.result\}$/);
    expect(passwordOf(dev.json, version.secret_string).length).toBeGreaterThanOrEqual(32);
    expect(version.lifecycle).toEqual({ ignore_changes: ['secret_string'] });
    expect(secrets(dev.json)['salt-key'].description).toMatch(/NEVER rotate/);
  });

  test('THEN the UI credentials are JSON with the keys the gateway reads (UI_CREDENTIAL_KEYS)', () => {
    const value: string = versions(dev.json)['ui-credentials-value'].secret_string;
    expect(value).toMatch(/^\$\{jsonencode\(\{.*\}\)\}$/);
    expect(value).toContain(`"${UI_CREDENTIAL_KEYS.username}" = "${UI_USERNAME}"`);
    expect(value).toMatch(new RegExp(`"${UI_CREDENTIAL_KEYS.password}" = random_password\\.[\\w-]+\\.result`));
    expect(passwordOf(dev.json, value).length).toBeGreaterThanOrEqual(32);
  });

  test('THEN the master credentials secret carries username, password, host, port and dbname', () => {
    const value: string = versions(dev.json)['db-master-credentials-value'].secret_string;
    for (const pair of [
      '"username" = "litellm"',
      '"password" = random_password.random-db-password.result',
      '"host" = aws_rds_cluster.cluster.endpoint',
      '"port" = 5432',
      '"dbname" = "litellm"',
    ]) {
      expect(value).toContain(pair);
    }
  });

  test.each([
    ['dev', 0, dev.json],
    ['prod', 30, prod.json],
  ])('GIVEN %s THEN every secret has a recovery window of %i days', (_env, days, json) => {
    for (const secret of Object.values(secrets(json))) expect(secret.recovery_window_in_days).toBe(days);
  });

  test('THEN no output carries a generated value, and the stack outputs the ARNs', () => {
    const outputs = JSON.stringify(dev.json.output);
    expect(outputs).not.toMatch(/random_password|secret_string|master_password/);
    expect(dev.json.output.secret_arns.value).toEqual({
      database_url: '${aws_secretsmanager_secret.database-url.arn}',
      master_key: '${aws_secretsmanager_secret.master-key.arn}',
      salt_key: '${aws_secretsmanager_secret.salt-key.arn}',
      ui_credentials: '${aws_secretsmanager_secret.ui-credentials.arn}',
      master_user: '${aws_secretsmanager_secret.db-master-credentials.arn}',
    });
    expect(dev.json.output.cluster_endpoint.value).toBe('${aws_rds_cluster.cluster.endpoint}');
  });

  test('THEN the typed outputs point at the secrets, the cluster and the configured maximum', () => {
    expect(dev.typed).toEqual({
      secrets: {
        databaseUrlArn: '${aws_secretsmanager_secret.database-url.arn}',
        masterKeyArn: '${aws_secretsmanager_secret.master-key.arn}',
        saltKeyArn: '${aws_secretsmanager_secret.salt-key.arn}',
        uiCredentialsArn: '${aws_secretsmanager_secret.ui-credentials.arn}',
      },
      clusterEndpoint: '${aws_rds_cluster.cluster.endpoint}',
      clusterIdentifier: '${aws_rds_cluster.cluster.cluster_identifier}',
      maxCapacity: 1,
    });
    expect(prod.stack.outputs.maxCapacity).toBe(4);
  });
});

describe('customer-managed key switch', () => {
  test('GIVEN the default THEN the secrets use the AWS-managed key', () => {
    expect(dev.json.resource.aws_kms_key).toBeUndefined();
    for (const secret of Object.values(secrets(dev.json))) expect(secret).not.toHaveProperty('kms_key_id');
    expect(dev.stack.outputs.secrets.kmsKeyArn).toBeUndefined();
  });

  test('GIVEN customerManagedKey THEN a rotating key with an alias encrypts every secret and is handed to the gateway', () => {
    const { synth, json, typed } = build('prod', { database: { customerManagedKey: true } });
    expect(synth).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(json.resource.aws_kms_alias['secrets-key-alias']).toEqual({
      name: 'alias/document-processing-prod-secrets',
      target_key_id: '${aws_kms_key.secrets-key.key_id}',
    });
    for (const secret of Object.values(secrets(json))) expect(secret.kms_key_id).toBe('${aws_kms_key.secrets-key.arn}');
    expect(typed.secrets.kmsKeyArn).toBe('${aws_kms_key.secrets-key.arn}');
  });
});

describe('existing-secrets mode', () => {
  test('THEN nothing is generated in the stack: no random provider, no ephemeral password, no 1.11 floor', () => {
    expect(existing.json.ephemeral).toBeUndefined();
    expect(existing.json.terraform.required_version).toMatch(/^>= 1\.(2|10)\.0$/);
    expect(Object.keys(existing.json.terraform.required_providers)).toEqual(['aws']);
    expect(existing.json.provider.random).toBeUndefined();
    expect(existing.json.resource.random_password).toBeUndefined();
    expect(existing.synth).not.toHaveResource(Password);
    expect(existing.synth).not.toMatch(/random/);
  });

  test('THEN RDS manages the master password and no secret is created here', () => {
    expect(cluster(existing.json).manage_master_user_password).toBe(true);
    expect(cluster(existing.json)).not.toHaveProperty('master_password');
    expect(existing.synth).not.toHaveResource(SecretsmanagerSecret);
    expect(existing.json.resource.aws_kms_key).toBeUndefined();
  });

  test('THEN the outputs carry the given ARNs and KMS key', () => {
    expect(existing.stack.outputs.secrets).toEqual({ ...EXISTING, kmsKeyArn: KMS_ARN });
    expect(existing.json.output.secret_arns.value).toMatchObject({ database_url: EXISTING.databaseUrlArn, ui_credentials: EXISTING.uiCredentialsArn });
    expect(existing.json.output.secret_arns.value.master_user).toBe('${aws_rds_cluster.cluster.master_user_secret[0].secret_arn}');
  });

  test('THEN the cluster is the same as in generated mode', () => {
    const { master_password_wo: _generated, master_password_wo_version: _version, apply_immediately: _now, ...generatedCluster } = cluster(prod.json);
    const { manage_master_user_password: _managed, ...existingCluster } = cluster(existing.json);
    expect(existingCluster).toEqual(generatedCluster);
  });
});

describe('wiring', () => {
  test('GIVEN the networking stack in the same app THEN its subnets and db-sg arrive by remote state', () => {
    const app = Testing.app();
    const config = loadConfig({ environment: 'dev' });
    const network = new NetworkingStack(app, 'dev-networking', { config });
    const stack = new DatabaseStack(app, 'dev-database', { config, network: network.outputs });
    // Cross-stack references are only turned into remote state by a full app synth.
    app.synth();
    const json = JSON.parse(readFileSync(path.join(app.outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8')) as Json;
    expect(Object.keys(json.data.terraform_remote_state)).toHaveLength(1);
    expect(cluster(json).vpc_security_group_ids[0]).toMatch(/^\$\{data\.terraform_remote_state\.[\w-]+\.outputs\.[\w-]+\}$/);
    expect(JSON.stringify(json.resource.aws_db_subnet_group['subnet-group'].subnet_ids)).toMatch(/terraform_remote_state/);
  });
});
