import { Construct } from 'constructs';
import { Fn, TerraformOutput } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { AppConfig, NAME_LIMITS, availabilityZones, nameOf } from '../config';
import { SecretFactory, WRITE_ONLY_MIN_TERRAFORM, derivedVersion } from '../modules/secrets';
import { BaseStack, BaseStackProps, StackConfig } from './base-stack';
import { DatabaseOutputs, GatewaySecretArns, UI_CREDENTIAL_KEYS } from './contracts';
import { NetworkOutputs, POSTGRES_PORT } from './networking-stack';

export const AURORA_ENGINE = 'aurora-postgresql';
/** Serverless v2 instances use this class; capacity comes from the cluster's scaling configuration. */
export const SERVERLESS_INSTANCE_CLASS = 'db.serverless';
/**
 * Appended to the generated DATABASE_URL. The cluster enforces TLS (rds.force_ssl=1); `require` stops Prisma from
 * falling back to plain text. Prisma does not verify the server certificate by default (sslaccept=accept_invalid_certs,
 * like psql): verifying would need the RDS CA bundle in the image.
 */
export const DATABASE_URL_QUERY = 'sslmode=require';
/** The admin UI login (UI_USERNAME); its password is generated. */
export const UI_USERNAME = 'admin';
/**
 * Generated secrets are letters and digits only: they are interpolated into a URL (`postgresql://user:pw@host`),
 * where `@ : / ? # %` would break parsing, and RDS refuses `/ " @` and spaces in master passwords. 62 symbols give
 * ~5.95 bits each, so every length below is well above 190 bits.
 */
export const SECRET_LENGTHS = {
  /** RDS caps master passwords at 41 characters. */
  dbPassword: 40,
  /** After the `sk-` prefix LiteLLM requires. */
  adminKey: 48,
  saltKey: 48,
  uiPassword: 32,
} as const;

/**
 * `<prefix>-<UTC creation time, YYYYMMDDhhmmss>`: Terraform's timestamp() at the apply that creates the cluster.
 * RDS snapshot identifiers allow 255 letters, digits and single hyphens, starting with a letter.
 */
export function finalSnapshotIdentifier(prefix: string): string {
  return `${prefix}-${Fn.formatdate('YYYYMMDDhhmmss', Fn.timestamp())}`;
}

export interface DatabaseStackProps extends BaseStackProps {
  readonly config: StackConfig & Pick<AppConfig, 'database' | 'networking' | 'secrets'>;
  /** Private subnets and the database security group (vpcId is not needed: the subnets imply the VPC). */
  readonly network: NetworkOutputs;
}

/**
 * The database stack of the design (docs/design.md#overview): Aurora Serverless v2 PostgreSQL for LiteLLM's own
 * tables, and the secrets the gateway reads (DATABASE_URL, admin key, salt key, UI credentials). Secrets are
 * generated here (`secrets.generator`: ephemeral values through write-only arguments by default, or the random
 * provider), or, with `database.existingSecrets`, referenced by ARN and nothing is generated in this stack.
 * docs/secrets.md explains the versions and rotation.
 */
export class DatabaseStack extends BaseStack {
  declare readonly config: DatabaseStackProps['config'];
  readonly outputs: DatabaseOutputs;
  readonly cluster: RdsCluster;
  readonly writer: RdsClusterInstance;
  readonly readers: RdsClusterInstance[] = [];
  /** Customer-managed key of the generated secrets; undefined unless `database.customerManagedKey`. */
  readonly kmsKey?: KmsKey;

  constructor(scope: Construct, id: string, props: DatabaseStackProps) {
    super(scope, id, 'database', props);
    const { config, network } = props;
    const db = config.database;
    const generated = db.existingSecrets === undefined;
    const clusterIdentifier = nameOf(config, 'db', NAME_LIMITS.rdsCluster);

    const subnetGroup = new DbSubnetGroup(this, 'subnet-group', {
      name: nameOf(config, 'db'),
      description: 'Private subnets of the LiteLLM database',
      subnetIds: [...network.privateSubnetIds],
    });

    const major = db.engineVersion.split('.')[0];
    const parameterGroup = new RdsClusterParameterGroup(this, 'parameter-group', {
      // The family is in the name so that a major upgrade creates the new group before the old one is dropped.
      name: nameOf(config, `db-${AURORA_ENGINE}${major}`),
      family: `${AURORA_ENGINE}${major}`,
      description: 'LiteLLM database: TLS required on every connection',
      // Aurora PostgreSQL accepts plain-text connections by default (rds.force_ssl=0); this is the one setting here.
      // pending-reboot: never cut the gateway's open connections during an apply.
      parameter: [{ name: 'rds.force_ssl', value: '1', applyMethod: 'pending-reboot' }],
      lifecycle: { createBeforeDestroy: true },
    });

    // Owned here so that the exported log has a retention; RDS would create it with none. The name is the one RDS uses.
    const logGroup = new CloudwatchLogGroup(this, 'postgresql-log-group', {
      name: `/aws/rds/cluster/${clusterIdentifier}/postgresql`,
      retentionInDays: db.logRetentionDays,
    });

    const factory = new SecretFactory(this, { generator: config.secrets.generator });
    const writeOnly = generated && factory.writeOnly;
    if (writeOnly) this.requireTerraform(WRITE_ONLY_MIN_TERRAFORM, 'write-only secrets');
    if (db.customerManagedKey) {
      this.kmsKey = new KmsKey(this, 'secrets-key', {
        description: `Encrypts the LLM gateway secrets of ${config.appName} ${config.environment}`,
        enableKeyRotation: true,
        deletionWindowInDays: db.deletionProtection ? 30 : 7,
      });
      new KmsAlias(this, 'secrets-key-alias', { name: `alias/${nameOf(config, 'secrets')}`, targetKeyId: this.kmsKey.keyId });
    }
    // Random mode: the password is a random_password in state, the same at every run. Write-only mode: a value drawn
    // ephemerally is new at every run (Terraform v1.10.0 changelog: ephemeral resources "are read anew during each
    // phase"), so it is written once into its own secret, and the cluster and every secret that carries the password
    // read it back from there (docs/secrets.md#one-source-the-database-password-secret).
    const passwordSource = generated && writeOnly ? this.passwordSource(factory) : undefined;
    const dbPassword = passwordSource
      ? factory.readBack('db-password', passwordSource)
      : generated
        ? factory.alphanumeric('db-password', SECRET_LENGTHS.dbPassword, db.secretVersions.databasePassword)
        : undefined;

    this.cluster = new RdsCluster(this, 'cluster', {
      clusterIdentifier,
      engine: AURORA_ENGINE,
      engineMode: 'provisioned',
      engineVersion: db.engineVersion,
      databaseName: db.databaseName,
      masterUsername: db.masterUsername,
      // Generated secrets: the password goes to RDS write-only (its version is set with the secrets below) or, in
      // random mode, from state. Existing secrets: RDS keeps it in its own secret and nobody, not even state, holds it.
      ...(dbPassword === undefined
        ? { manageMasterUserPassword: true }
        : passwordSource
          ? // Sent when the source secret gets a new version (rotation, or a replaced source secret): its version id is
            // the password's identity. An apply stopped anywhere converges: the next run reads the same value back.
            { masterPasswordWo: dbPassword, masterPasswordWoVersion: derivedVersion(['db-password', passwordSource.versionId]) }
          : { masterPassword: dbPassword }),
      // A generated password changes in the same apply as the secrets that carry it. The RDS API reference says a
      // master password change is applied at once regardless; the Aurora User Guide says the API may defer it to the
      // maintenance window. Say "now" so that the URL in Secrets Manager and the cluster never disagree for days.
      ...(dbPassword === undefined ? {} : { applyImmediately: true }),
      port: POSTGRES_PORT,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [network.dbSecurityGroupId],
      dbClusterParameterGroupName: parameterGroup.name,
      storageEncrypted: true,
      serverlessv2ScalingConfiguration: {
        minCapacity: db.minCapacity,
        maxCapacity: db.maxCapacity,
        // Only meaningful (and only accepted) with a minimum of 0 ACU (docs/design.md#auto-pause).
        ...(db.minCapacity === 0 ? { secondsUntilAutoPause: db.secondsUntilAutoPause } : {}),
      },
      backupRetentionPeriod: db.backupRetentionDays,
      preferredBackupWindow: db.preferredBackupWindow,
      preferredMaintenanceWindow: db.preferredMaintenanceWindow,
      copyTagsToSnapshot: true,
      enabledCloudwatchLogsExports: ['postgresql'],
      iamDatabaseAuthenticationEnabled: true,
      deletionProtection: db.deletionProtection,
      skipFinalSnapshot: db.skipFinalSnapshot,
      // Unique per cluster, stable across plans: the creation time, fixed in state by ignore_changes below. A fixed
      // name would make the destroy of a re-created environment fail on the snapshot its predecessor left.
      ...(db.skipFinalSnapshot ? {} : { finalSnapshotIdentifier: finalSnapshotIdentifier(nameOf(config, 'db-final', NAME_LIMITS.rdsCluster)) }),
      dependsOn: [logGroup],
      lifecycle: {
        ignoreChanges: [
          // Auto minor version upgrades move the engine past the pinned version; without this every later plan
          // would try (and fail) to downgrade it (AWS provider docs, aws_rds_cluster engine_version and
          // engine_version_actual). A major upgrade is a deliberate operation: change engineVersion and remove
          // this for that apply.
          'engine_version',
          // Evaluated once, at creation; timestamp() would otherwise plan a change on every run.
          'final_snapshot_identifier',
        ],
      },
    });

    // Pin instances to AZs only when this project made the subnets (and so knows their AZs); RDS places them otherwise.
    const azs = config.networking.existingVpc ? undefined : availabilityZones(config.networking, config.region);
    const instance = (constructId: string, component: string, promotionTier: number, index: number) =>
      new RdsClusterInstance(this, constructId, {
        identifier: nameOf(config, component, NAME_LIMITS.rdsCluster),
        clusterIdentifier: this.cluster.id,
        engine: AURORA_ENGINE,
        instanceClass: SERVERLESS_INSTANCE_CLASS,
        dbSubnetGroupName: subnetGroup.name,
        ...(azs ? { availabilityZone: azs[index % azs.length] } : {}),
        promotionTier,
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        preferredMaintenanceWindow: db.preferredMaintenanceWindow,
        copyTagsToSnapshot: true,
        performanceInsightsEnabled: db.performanceInsights,
        ...(db.performanceInsights ? { performanceInsightsRetentionPeriod: 7 } : {}),
      });
    this.writer = instance('writer', 'db-writer', 0, 0);
    for (let i = 0; i < db.readers; i++) {
      // Serverless v2 readers in tiers 0-1 follow the writer's capacity, so the first one is a warm failover target;
      // further readers (tier 2) scale with their own read load.
      this.readers.push(instance(`reader-${i}`, `db-reader-${i}`, i === 0 ? 1 : 2, i + 1));
    }

    let secrets: GatewaySecretArns;
    let masterSecretArn: string;
    if (db.existingSecrets) {
      const { databaseUrlArn, masterKeyArn, saltKeyArn, uiCredentialsArn, kmsKeyArn } = db.existingSecrets;
      secrets = { databaseUrlArn, masterKeyArn, saltKeyArn, uiCredentialsArn, ...(kmsKeyArn ? { kmsKeyArn } : {}) };
      masterSecretArn = this.cluster.masterUserSecret.get(0).secretArn;
    } else {
      const made = this.generateSecrets(factory, dbPassword!, this.kmsKey?.arn);
      secrets = made.secrets;
      masterSecretArn = made.masterSecretArn;
    }

    this.outputs = {
      secrets,
      clusterEndpoint: this.cluster.endpoint,
      clusterIdentifier: this.cluster.clusterIdentifier,
      maxCapacity: db.maxCapacity,
    };

    // ARNs and host names only: no output carries a secret value, so none needs to be sensitive.
    new TerraformOutput(this, 'cluster_endpoint', { value: this.cluster.endpoint, description: 'Writer endpoint of the LiteLLM database' });
    new TerraformOutput(this, 'cluster_reader_endpoint', { value: this.cluster.readerEndpoint, description: 'Reader endpoint (the writer while there are no readers)' });
    new TerraformOutput(this, 'cluster_identifier', { value: this.cluster.clusterIdentifier, description: 'DBClusterIdentifier, the dimension of AWS/RDS metrics' });
    new TerraformOutput(this, 'secret_arns', {
      value: {
        database_url: secrets.databaseUrlArn,
        master_key: secrets.masterKeyArn,
        salt_key: secrets.saltKeyArn,
        ui_credentials: secrets.uiCredentialsArn,
        master_user: masterSecretArn,
      },
      description: 'Secrets Manager ARNs of the gateway secrets and of the database master credentials (values are not outputs)',
    });
  }

  /**
   * The database password's one source (write-only mode): a secret holding only the password, written once per
   * `database.secretVersions.databasePassword` with a value drawn by Secrets Manager, and read back by the cluster and
   * by DATABASE_URL and the master credentials. Nobody else reads it: the gateway reads DATABASE_URL.
   */
  private passwordSource(factory: SecretFactory): SecretsmanagerSecretVersion {
    const db = this.config.database;
    return factory.secretWithValue('db-password', {
      name: nameOf(this.config, 'db-password', NAME_LIMITS.secret),
      description: 'Aurora master password, the one source of DATABASE_URL and the master credentials (written by Terraform, read back write-only)',
      value: factory.alphanumeric('db-password', SECRET_LENGTHS.dbPassword),
      version: db.secretVersions.databasePassword,
      recoveryWindowInDays: db.secretRecoveryDays,
      ...(this.kmsKey ? { kmsKeyId: this.kmsKey.arn } : {}),
    }).value;
  }

  private generateSecrets(factory: SecretFactory, dbPassword: string, keyArn: string | undefined): { secrets: GatewaySecretArns; masterSecretArn: string } {
    const db = this.config.database;
    const versions = db.secretVersions;
    const host = this.cluster.endpoint;
    const secret = (id: string, description: string, value: string, version: number, keepFirstValue = false): SecretsmanagerSecret =>
      factory.secret(id, {
        name: nameOf(this.config, id, NAME_LIMITS.secret),
        description,
        value,
        version,
        recoveryWindowInDays: db.secretRecoveryDays,
        ...(keyArn ? { kmsKeyId: keyArn } : {}),
        keepFirstValue,
      });

    // Write-only mode: the secrets that carry the password (and the host) are re-sent exactly when the cluster gets a
    // new password or a new endpoint: their version derives from the cluster's own master_password_wo_version, its
    // resource id and its endpoint. There is no second knob that could move one without the other, and each write
    // reads the password back from the source secret, so a secret written in a later run than the cluster (an
    // apply stopped in between) still carries the cluster's password. Random mode compares the values themselves.
    const followsCluster = factory.writeOnly
      ? derivedVersion([this.cluster.masterPasswordWoVersion, this.cluster.clusterResourceId, host])
      : versions.databasePassword;
    const databaseUrl = secret(
      'database-url',
      'DATABASE_URL of LiteLLM: postgresql://<user>:<password>@<writer endpoint>:5432/<db>?sslmode=require',
      `postgresql://${db.masterUsername}:${dbPassword}@${host}:${POSTGRES_PORT}/${db.databaseName}?${DATABASE_URL_QUERY}`,
      followsCluster,
    );
    const master = secret(
      'db-master-credentials',
      'Aurora master credentials (RDS rotation format) for people and rotation; the gateway reads database-url',
      Fn.jsonencode({
        engine: 'postgres',
        host,
        port: POSTGRES_PORT,
        username: db.masterUsername,
        password: dbPassword,
        dbname: db.databaseName,
        dbClusterIdentifier: this.cluster.clusterIdentifier,
      }),
      followsCluster,
    );
    const adminKey = secret(
      'master-key',
      'LiteLLM admin (master) key, LITELLM_MASTER_KEY',
      `sk-${factory.alphanumeric('master-key', SECRET_LENGTHS.adminKey, versions.masterKey)}`,
      versions.masterKey,
    );
    // LITELLM_SALT_KEY encrypts the provider credentials LiteLLM stores in its database. Never rotate it: a new value
    // makes every stored credential unreadable. Hence keepFirstValue: version 1 forever (write-only: never re-sent),
    // later values ignored (random).
    const salt = secret(
      'salt-key',
      'LiteLLM salt key, LITELLM_SALT_KEY: encrypts stored provider credentials. NEVER rotate or change it.',
      factory.alphanumeric('salt-key', SECRET_LENGTHS.saltKey),
      1,
      true,
    );
    const ui = secret(
      'ui-credentials',
      `LiteLLM admin UI login (JSON keys ${UI_CREDENTIAL_KEYS.username}, ${UI_CREDENTIAL_KEYS.password})`,
      Fn.jsonencode({
        [UI_CREDENTIAL_KEYS.username]: UI_USERNAME,
        [UI_CREDENTIAL_KEYS.password]: factory.alphanumeric('ui-password', SECRET_LENGTHS.uiPassword, versions.uiPassword),
      }),
      versions.uiPassword,
    );

    return {
      secrets: {
        databaseUrlArn: databaseUrl.arn,
        masterKeyArn: adminKey.arn,
        saltKeyArn: salt.arn,
        uiCredentialsArn: ui.arn,
        ...(keyArn ? { kmsKeyArn: keyArn } : {}),
      },
      masterSecretArn: master.arn,
    };
  }
}
