import { TerraformOutput } from 'cdktf';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { ElasticacheUser } from '@cdktf/provider-aws/lib/elasticache-user';
import { ElasticacheUserGroup } from '@cdktf/provider-aws/lib/elasticache-user-group';
import { LITELLM_ACCESS_STRING, RateLimitCacheProps, createRateLimitCache, grantRedisConnect, valkeyParameterGroupFamily } from './rate-limit-cache';
import { synthScope, type Json } from '../../test/helpers';

const BASE: RateLimitCacheProps = {
  name: 'app-prod-rate-limits',
  vpcId: 'vpc-123',
  subnetIds: ['subnet-a', 'subnet-b'],
  clientSecurityGroupId: 'sg-ecs',
  redis: { nodeType: 'cache.t4g.micro', engineVersion: '8.0', numCacheClusters: 1, iamAuth: false },
};

function synth(props: Partial<RateLimitCacheProps> = {}): { json: Json; text: string } {
  return synthScope((scope) => {
    const cache = createRateLimitCache(scope, { ...BASE, ...props });
    new TerraformOutput(scope, 'endpoint', { value: cache.endpoint });
  });
}

describe('Valkey replication group', () => {
  const { json, text } = synth();

  test('Valkey, encrypted at rest and in transit (TLS required), in the private subnets', () => {
    expect(text).toHaveResourceWithProperties(ElasticacheReplicationGroup, {
      replication_group_id: 'app-prod-rate-limits',
      engine: 'valkey',
      engine_version: '8.0',
      node_type: 'cache.t4g.micro',
      num_cache_clusters: 1,
      port: 6379,
      at_rest_encryption_enabled: 'true',
      transit_encryption_enabled: true,
      transit_encryption_mode: 'required',
      subnet_group_name: '${aws_elasticache_subnet_group.redis-subnets.name}',
      security_group_ids: ['${aws_security_group.redis-sg.id}'],
    });
    expect(text).toHaveResourceWithProperties(ElasticacheSubnetGroup, { subnet_ids: ['subnet-a', 'subnet-b'] });
  });

  test('no AUTH token (a password would enter state; see the module comment)', () => {
    expect(json.resource.aws_elasticache_replication_group.redis.auth_token).toBeUndefined();
  });

  test('one node: no failover; two or more: automatic failover across AZs', () => {
    expect(json.resource.aws_elasticache_replication_group.redis).toMatchObject({ automatic_failover_enabled: false, multi_az_enabled: false });
    const ha = synth({ redis: { ...BASE.redis, numCacheClusters: 2 } }).json.resource.aws_elasticache_replication_group.redis;
    expect(ha).toMatchObject({ num_cache_clusters: 2, automatic_failover_enabled: true, multi_az_enabled: true });
  });

  test('the endpoint handed to the container: primary address, 6379, TLS', () => {
    expect(json.output.endpoint.value).toEqual({ host: '${aws_elasticache_replication_group.redis.primary_endpoint_address}', port: 6379, tls: true });
  });
});

describe('IAM authentication (gateway.redis.iamAuth): no password anywhere', () => {
  const IAM: Partial<RateLimitCacheProps> = {
    redis: { ...BASE.redis, iamAuth: true },
    iam: { userName: 'app-prod-litellm-valkey', defaultUserId: 'app-prod-valkey-default', userGroupId: 'app-prod-rate-limits' },
  };
  function synthIam(): { json: Json; text: string } {
    return synthScope((scope) => {
      const cache = createRateLimitCache(scope, { ...BASE, ...IAM });
      grantRedisConnect(scope, { cache, taskRoleId: 'task-role' });
      new TerraformOutput(scope, 'endpoint', { value: cache.endpoint });
    });
  }
  const { json, text } = synthIam();

  test('LiteLLM signs in as an IAM-mode user whose id is its name (AWS requires both equal)', () => {
    expect(text).toHaveResourceWithProperties(ElasticacheUser, {
      user_id: 'app-prod-litellm-valkey',
      user_name: 'app-prod-litellm-valkey',
      engine: 'redis',
      access_string: LITELLM_ACCESS_STRING,
      authentication_mode: { type: 'iam' },
    });
    expect(LITELLM_ACCESS_STRING).toBe('on ~* &* +@all');
  });

  test('the group\'s required `default` user is disabled and has no password; no user has one', () => {
    expect(text).toHaveResourceWithProperties(ElasticacheUser, { user_id: 'app-prod-valkey-default', user_name: 'default', access_string: 'off -@all', no_password_required: true });
    for (const user of Object.values(json.resource.aws_elasticache_user) as Json[]) expect(user.passwords).toBeUndefined();
    expect(json.resource.aws_elasticache_replication_group.redis.auth_token).toBeUndefined();
  });

  test('the user group holds both and is the replication group\'s only one', () => {
    expect(text).toHaveResourceWithProperties(ElasticacheUserGroup, {
      user_group_id: 'app-prod-rate-limits',
      engine: 'redis',
      user_ids: ['${aws_elasticache_user.redis-default-user.user_id}', '${aws_elasticache_user.redis-user.user_id}'],
    });
    expect(json.resource.aws_elasticache_replication_group.redis.user_group_ids).toEqual(['${aws_elasticache_user_group.redis-users.user_group_id}']);
  });

  test("the task role may connect to this group as this user: elasticache:Connect on both ARNs", () => {
    expect(json.resource.aws_iam_role_policy['redis-connect']).toMatchObject({ role: 'task-role', policy: '${data.aws_iam_policy_document.redis-connect-document.json}' });
    expect(json.data.aws_iam_policy_document['redis-connect-document'].statement).toEqual([
      {
        sid: 'ConnectToValkeyAsTheIamUser',
        effect: 'Allow',
        actions: ['elasticache:Connect'],
        resources: ['${aws_elasticache_replication_group.redis.arn}', '${aws_elasticache_user.redis-user.arn}'],
      },
    ]);
  });

  test('the endpoint tells the container the user and the replication group id to sign for', () => {
    expect(json.output.endpoint.value.iam).toEqual({ userName: '${aws_elasticache_user.redis-user.user_name}', cacheName: 'app-prod-rate-limits' });
  });

  test('off: no users, no group, no grant', () => {
    const off = synthScope((scope) => {
      const cache = createRateLimitCache(scope, BASE);
      expect(grantRedisConnect(scope, { cache, taskRoleId: 'task-role' })).toBeUndefined();
    }).json;
    expect(off.resource.aws_elasticache_user).toBeUndefined();
    expect(off.resource.aws_elasticache_user_group).toBeUndefined();
    expect(off.resource.aws_elasticache_replication_group.redis.user_group_ids).toBeUndefined();
  });

  test('on without the names is a programming error, said at synth', () => {
    expect(() => synthScope((scope) => createRateLimitCache(scope, { ...BASE, redis: { ...BASE.redis, iamAuth: true } }))).toThrow(/iamAuth is on but no iam names/);
  });
});

describe('parameter group follows the engine version', () => {
  test.each([
    ['7.2', 'valkey7'],
    ['8.0', 'valkey8'],
    ['8.2', 'valkey8'],
    ['9.0', 'valkey9'],
  ])('Valkey %s: family %s, its default group named with the version (a major upgrade moves both in one call)', (engineVersion, family) => {
    expect(valkeyParameterGroupFamily(engineVersion)).toBe(family);
    const group = synth({ redis: { ...BASE.redis, engineVersion } }).json.resource.aws_elasticache_replication_group.redis;
    expect(group).toMatchObject({ engine_version: engineVersion, parameter_group_name: `default.${family}` });
  });

  test('a version without a major is refused, naming the field', () => {
    expect(() => valkeyParameterGroupFamily('latest')).toThrow(/gateway\.redis\.engineVersion: got "latest"; allowed: a Valkey major\.minor version/);
  });
});

describe('network access', () => {
  const { json, text } = synth();

  test('redis-sg: 6379 from ecs-sg only, and no egress rule', () => {
    expect(text).toHaveResourceWithProperties(SecurityGroup, { name: 'app-prod-rate-limits', vpc_id: 'vpc-123' });
    expect(json.resource.aws_vpc_security_group_ingress_rule).toEqual({
      'redis-ingress-ecs': {
        security_group_id: '${aws_security_group.redis-sg.id}',
        description: 'Valkey from the LiteLLM tasks',
        ip_protocol: 'tcp',
        from_port: 6379,
        to_port: 6379,
        referenced_security_group_id: 'sg-ecs',
      },
    });
  });

  test('ecs-sg gets an egress rule to redis-sg on 6379 (created here, on the networking stack group)', () => {
    expect(json.resource.aws_vpc_security_group_egress_rule).toEqual({
      'ecs-egress-redis': {
        security_group_id: 'sg-ecs',
        description: 'To Valkey (shared LiteLLM rate limits)',
        ip_protocol: 'tcp',
        from_port: 6379,
        to_port: 6379,
        referenced_security_group_id: '${aws_security_group.redis-sg.id}',
      },
    });
  });
});
