/**
 * ElastiCache (Valkey) for LiteLLM's router: rate-limit counters, usage and cooldowns shared by every worker of every
 * task (docs/design.md#rate-limits). Without it each process keeps its own, so the configured rpm/tpm hold per process and the fleet
 * can send up to tasks x workers times the configured limit before LiteLLM answers 429.
 */
import { Construct } from 'constructs';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import { ElasticacheUser } from '@cdktf/provider-aws/lib/elasticache-user';
import { ElasticacheUserGroup } from '@cdktf/provider-aws/lib/elasticache-user-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { RedisConfig } from '../../config/gateway';
import type { RedisEndpoint } from './container-definition';

export const REDIS_PORT = 6379;

/**
 * The parameter group family of a Valkey version: one per major (valkey7 for 7.2, valkey8 for 8.x, valkey9 for 9.x;
 * ElastiCache User Guide, "Engine specific parameters",
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html).
 */
export function valkeyParameterGroupFamily(engineVersion: string): string {
  const major = /^(\d+)\./.exec(engineVersion)?.[1];
  if (major === undefined) throw new Error(`gateway.redis.engineVersion: got "${engineVersion}"; allowed: a Valkey major.minor version like 8.0`);
  return `valkey${major}`;
}

/**
 * AWS's default parameter group of that family for a cluster-mode-disabled replication group (`default.<family>`).
 * A parameter group serves one family, so a major upgrade (engineVersion 7.2 → 8.0) must move the group too: named
 * here from the version, the new family's group goes in the same ModifyReplicationGroup call as the new version
 * (`parameter_group_name` and `engine_version` change together). Left unset, the provider sends only the version and
 * the group of the old family stays. The defaults are all the router's counters need: no custom group to create,
 * keep in step and delete (ElastiCache User Guide, "Engine specific parameters": without a group, "a default
 * parameter group appropriate to your engine version will be used").
 */
export function valkeyParameterGroupName(engineVersion: string): string {
  return `default.${valkeyParameterGroupFamily(engineVersion)}`;
}

export interface RateLimitCacheProps {
  /** Replication group id, subnet group and security group name (at most 40 characters). */
  readonly name: string;
  readonly vpcId: string;
  /** Private subnets, one per AZ. */
  readonly subnetIds: readonly string[];
  /** ecs-sg: the only group allowed in, and given an egress rule to the cache. */
  readonly clientSecurityGroupId: string;
  readonly redis: Pick<RedisConfig, 'nodeType' | 'engineVersion' | 'numCacheClusters' | 'iamAuth'>;
  /**
   * With `redis.iamAuth`: the IAM-mode user LiteLLM signs in as (its id and name, which AWS requires to be equal),
   * the disabled `default` user's id and the user group's id.
   */
  readonly iam?: { readonly userName: string; readonly defaultUserId: string; readonly userGroupId: string };
}

export interface RateLimitCache {
  readonly replicationGroup: ElasticacheReplicationGroup;
  readonly securityGroup: SecurityGroup;
  readonly endpoint: RedisEndpoint;
  /** With `redis.iamAuth`: the user LiteLLM connects as. */
  readonly iamUser?: ElasticacheUser;
}

/**
 * Authentication without a secret: ElastiCache IAM authentication (ElastiCache User Guide, "Authenticating with IAM",
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html). LiteLLM signs, per connection, a SigV4
 * token for `connect` on this replication group as the IAM-mode user, with the task role's credentials; the token is
 * the password, valid 15 minutes, and ElastiCache checks the role's `elasticache:Connect` on the group and the user.
 * Nothing secret is stored anywhere. A password or AUTH token is not an option: `auth_token` and
 * `aws_elasticache_user.passwords` are plain sensitive arguments in AWS provider 5.100.0 with no write-only variant, so
 * a generated one would be stored in state and plans (docs/secrets.md).
 *
 * AWS requires a user named `default` in every user group; ours is disabled (`off`), so a client that does not sign
 * in as the IAM user is refused. It needs no password: a disabled user cannot authenticate. A user group of engine
 * "redis" may hold it on a Valkey cluster; one of engine "valkey" accepts only users with a password or IAM
 * (ElastiCache User Guide, "Role-Based Access Control (RBAC)"), so the group and both users are "redis".
 * Also: TLS only (`transit_encryption_mode` "required", which IAM authentication needs), and only the tasks' security
 * group reaches the port. In prod (`numCacheClusters` 2) a replica in a second AZ takes over when the primary fails.
 */
export function createRateLimitCache(scope: Construct, props: RateLimitCacheProps): RateLimitCache {
  const securityGroup = new SecurityGroup(scope, 'redis-sg', {
    name: props.name,
    description: 'Valkey for LiteLLM rate limits: port 6379 from the LiteLLM tasks only',
    vpcId: props.vpcId,
    tags: { Name: props.name },
  });
  new VpcSecurityGroupIngressRule(scope, 'redis-ingress-ecs', {
    securityGroupId: securityGroup.id,
    description: 'Valkey from the LiteLLM tasks',
    ipProtocol: 'tcp',
    fromPort: REDIS_PORT,
    toPort: REDIS_PORT,
    referencedSecurityGroupId: props.clientSecurityGroupId,
  });
  // The cache opens no connections: redis-sg keeps no egress rule (Terraform drops the default allow-all).
  new VpcSecurityGroupEgressRule(scope, 'ecs-egress-redis', {
    securityGroupId: props.clientSecurityGroupId,
    description: 'To Valkey (shared LiteLLM rate limits)',
    ipProtocol: 'tcp',
    fromPort: REDIS_PORT,
    toPort: REDIS_PORT,
    referencedSecurityGroupId: securityGroup.id,
  });
  const subnetGroup = new ElasticacheSubnetGroup(scope, 'redis-subnets', {
    name: props.name,
    description: 'Private subnets of the LLM gateway',
    subnetIds: [...props.subnetIds],
  });
  const iam = createIamUsers(scope, props);
  const highlyAvailable = props.redis.numCacheClusters >= 2;
  const replicationGroup = new ElasticacheReplicationGroup(scope, 'redis', {
    replicationGroupId: props.name,
    description: 'LiteLLM router state: rate-limit counters, usage and cooldowns shared across tasks',
    engine: 'valkey',
    engineVersion: props.redis.engineVersion,
    parameterGroupName: valkeyParameterGroupName(props.redis.engineVersion),
    nodeType: props.redis.nodeType,
    numCacheClusters: props.redis.numCacheClusters,
    automaticFailoverEnabled: highlyAvailable,
    multiAzEnabled: highlyAvailable,
    port: REDIS_PORT,
    subnetGroupName: subnetGroup.name,
    securityGroupIds: [securityGroup.id],
    atRestEncryptionEnabled: 'true',
    transitEncryptionEnabled: true,
    transitEncryptionMode: 'required',
    // Counters live for a minute: nothing worth a snapshot.
    snapshotRetentionLimit: 0,
    ...(iam ? { userGroupIds: [iam.userGroup.userGroupId] } : {}),
    tags: { Name: props.name },
  });
  return {
    replicationGroup,
    securityGroup,
    endpoint: {
      host: replicationGroup.primaryEndpointAddress,
      port: REDIS_PORT,
      tls: true,
      ...(iam ? { iam: { userName: iam.user.userName, cacheName: props.name } } : {}),
    },
    ...(iam ? { iamUser: iam.user } : {}),
  };
}

/**
 * LiteLLM's access: every key, every pub/sub channel (LiteLLM subscribes to channels of its own; Valkey's ACL denies
 * channels unless granted), every command ElastiCache allows.
 */
export const LITELLM_ACCESS_STRING = 'on ~* &* +@all';

function createIamUsers(scope: Construct, props: RateLimitCacheProps): { user: ElasticacheUser; userGroup: ElasticacheUserGroup } | undefined {
  if (!props.redis.iamAuth) return undefined;
  if (!props.iam) throw new Error('createRateLimitCache: gateway.redis.iamAuth is on but no iam names were given');
  const user = new ElasticacheUser(scope, 'redis-user', {
    // IAM authentication requires the user id and the user name to be equal (auth-iam.html, Limitations).
    userId: props.iam.userName,
    userName: props.iam.userName,
    engine: 'redis',
    accessString: LITELLM_ACCESS_STRING,
    authenticationMode: { type: 'iam' },
  });
  const defaultUser = new ElasticacheUser(scope, 'redis-default-user', {
    userId: props.iam.defaultUserId,
    userName: 'default',
    engine: 'redis',
    accessString: 'off -@all',
    noPasswordRequired: true,
  });
  const userGroup = new ElasticacheUserGroup(scope, 'redis-users', {
    userGroupId: props.iam.userGroupId,
    engine: 'redis',
    userIds: [defaultUser.userId, user.userId],
  });
  return { user, userGroup };
}

/**
 * The task role's `elasticache:Connect` on this replication group as the IAM user: both ARNs, as AWS requires
 * (auth-iam.html, Setup). Its own inline policy on the task role, created with the cache.
 */
export function grantRedisConnect(scope: Construct, props: { readonly cache: RateLimitCache; readonly taskRoleId: string }): IamRolePolicy | undefined {
  if (!props.cache.iamUser) return undefined;
  const document = new DataAwsIamPolicyDocument(scope, 'redis-connect-document', {
    statement: [
      {
        sid: 'ConnectToValkeyAsTheIamUser',
        effect: 'Allow',
        actions: ['elasticache:Connect'],
        resources: [props.cache.replicationGroup.arn, props.cache.iamUser.arn],
      },
    ],
  });
  return new IamRolePolicy(scope, 'redis-connect', { name: 'connect-to-valkey', role: props.taskRoleId, policy: document.json });
}
