import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { stringify } from 'yaml';
import { loadConfig } from '../config';
import type { ModelCatalogue } from '../modules/model-catalogue';
import { evaluateStack, formatViolation } from '../policy';
import type { DatabaseOutputs } from './contracts';
import { containerVariableNames } from '../modules/gateway/container-definition';
import { GUARDRAIL_ENV } from '../modules/gateway/guardrail';
import { GatewayStack } from './gateway-stack';
import { NetworkingStack } from './networking-stack';
import { projectVersion } from './base-stack';
import { catalogueFrom, TWO_MODELS, TWO_MODELS_CONFIG } from '../test/catalogues';
import { CERT, DATABASE, KMS, NETWORK, PREBUILT_URI, secretArn } from '../test/fixtures';
import { container, containers, policyStatements as policyDocument, resources, synthStack, type Json } from '../test/helpers';

const ACCOUNT = '${data.aws_caller_identity.caller.account_id}';
const PARTITION = '${data.aws_partition.partition.partition}';
const SONNET = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU = 'anthropic.claude-haiku-4-5-20251001-v1:0';

/** The secret-like names: none may be a plain environment variable. */
const SECRET_LIKE = /(KEY|SECRET|PASSWORD|TOKEN|DATABASE_URL)/;

interface Options {
  environment?: string;
  overrides?: unknown;
  database?: DatabaseOutputs;
  catalogue?: ModelCatalogue;
}

function synth(options: Options = {}): { stack: GatewayStack; json: Json; text: string } {
  const app = Testing.app();
  // A fixture catalogue has only claude-fast: the default agents would name aliases it lacks.
  const fixtureAgents = options.catalogue ? { agents: [{ name: 'chunking', models: ['claude-fast'] }] } : {};
  const config = loadConfig({ environment: options.environment ?? 'dev', overrides: { ...fixtureAgents, ...(options.overrides as object) } });
  const stack = new GatewayStack(app, 'gateway', {
    config,
    network: NETWORK,
    database: options.database ?? DATABASE,
    catalogue: options.catalogue ?? TWO_MODELS,
  });
  return { stack, ...synthStack(stack) };
}

const statement = (json: Json, id: string, sid: string): Json => policyDocument(json, id).find((s) => s.sid === sid)!;

const MINIMAL_LITELLM = {
  model_list: [{ model_name: 'claude-fast', litellm_params: { model: `bedrock/us.${HAIKU}`, aws_region_name: 'us-east-1' }, tpm: 1000, rpm: 10 }],
  general_settings: { master_key: 'os.environ/LITELLM_MASTER_KEY', database_url: 'os.environ/DATABASE_URL' },
  litellm_settings: { request_timeout: 600 },
};

describe('dev, build mode (the defaults)', () => {
  const { json, text } = synth();

  test('its own state file: stateName "gateway"', () => {
    const app = Testing.app();
    const withBackend = new GatewayStack(app, 'dev-gateway', {
      config: loadConfig({ environment: 'dev' }),
      backend: { bucket: 'tf-state', region: 'us-east-1', encrypt: true, useLockfile: true },
      network: NETWORK,
      database: DATABASE,
      catalogue: TWO_MODELS,
    });
    expect(JSON.parse(Testing.synth(withBackend)).terraform.backend.s3.key).toBe('document-processing/dev/gateway.tfstate');
  });

  test('ECS cluster with Container Insights in dev too (the dashboard\'s ECS row); off only as the cost lever (docs/cost.md)', () => {
    expect(text).toHaveResourceWithProperties(EcsCluster, {
      name: 'document-processing-dev-llm-gateway',
      setting: [{ name: 'containerInsights', value: 'enabled' }],
    });
    expect(synth({ overrides: { gateway: { containerInsights: false } } }).text).toHaveResourceWithProperties(EcsCluster, {
      setting: [{ name: 'containerInsights', value: 'disabled' }],
    });
  });

  test('Fargate task: ARM64 Linux, 1 vCPU / 4 GiB (one worker, LiteLLM production guide), awsvpc, distinct execution and task roles', () => {
    expect(text).toHaveResourceWithProperties(EcsTaskDefinition, {
      family: 'document-processing-dev-llm-gateway',
      cpu: '1024',
      memory: '4096',
      network_mode: 'awsvpc',
      requires_compatibilities: ['FARGATE'],
      runtime_platform: { cpu_architecture: 'ARM64', operating_system_family: 'LINUX' },
      execution_role_arn: '${aws_iam_role.execution-role.arn}',
      task_role_arn: '${aws_iam_role.task-role.arn}',
    });
  });

  test('the container runs the pushed image by digest, with the LiteLLM arguments and the secrets', () => {
    const c = container(json);
    expect(c.image).toBe('${aws_ecr_repository.ecr-repository.repository_url}@${docker_registry_image.image-push.sha256_digest}');
    expect(c.command).toEqual(['--config', '/app/config.yaml', '--port', '4000', '--num_workers', '1', '--keepalive_timeout', '665', '--max_requests_before_restart', '10000']);
    expect(c.secrets.map((s: Json) => s.name)).toEqual(['DATABASE_URL', 'LITELLM_MASTER_KEY', 'LITELLM_SALT_KEY', 'UI_PASSWORD', 'UI_USERNAME']);
    expect(c.logConfiguration.options['awslogs-group']).toBe('${aws_cloudwatch_log_group.log-group.name}');
  });

  test('no secret value and no secret-like name in the plain environment', () => {
    const c = container(json);
    for (const e of c.environment) {
      expect(e.name).not.toMatch(SECRET_LIKE);
      for (const arn of Object.values(DATABASE.secrets)) expect(e.value).not.toContain(arn);
    }
    expect(c.privileged).toBeUndefined();
  });

  test('the log group: configured name and retention', () => {
    expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, { name: '/document-processing/llm-gateway', retention_in_days: 14 });
  });

  test('service: Fargate in private subnets with ecs-sg, no public IP, rolling with rollback, ECS Exec', () => {
    expect(text).toHaveResourceWithProperties(EcsService, {
      name: 'document-processing-dev-llm-gateway',
      cluster: '${aws_ecs_cluster.cluster.arn}',
      task_definition: '${aws_ecs_task_definition.task-definition.arn}',
      desired_count: 1,
      network_configuration: { subnets: ['subnet-0a', 'subnet-0b'], security_groups: ['sg-ecs'], assign_public_ip: false },
      load_balancer: [{ target_group_arn: '${aws_lb_target_group.target-group.arn}', container_name: 'litellm', container_port: 4000 }],
      deployment_circuit_breaker: { enable: true, rollback: true },
      deployment_minimum_healthy_percent: 100,
      deployment_maximum_percent: 200,
      enable_execute_command: true,
      health_check_grace_period_seconds: 900,
      propagate_tags: 'SERVICE',
    });
  });

  test('auto-scaling owns desired_count; the service waits for its listener and for both roles\' policies', () => {
    const service = resources(json, 'aws_ecs_service').service;
    expect(service.lifecycle).toEqual({ ignore_changes: ['desired_count'] });
    expect(service.depends_on).toEqual([
      'aws_lb_listener.http-listener',
      'aws_iam_role_policy.execution-policy',
      'aws_iam_role_policy.task-policy',
      'aws_ecs_cluster_capacity_providers.capacity-providers',
    ]);
  });

  test('scaling target 1..4 tasks, CPU 70 % and requests-per-target policies', () => {
    expect(text).toHaveResourceWithProperties(AppautoscalingTarget, {
      service_namespace: 'ecs',
      scalable_dimension: 'ecs:service:DesiredCount',
      resource_id: 'service/${aws_ecs_cluster.cluster.name}/${aws_ecs_service.service.name}',
      min_capacity: 1,
      max_capacity: 4,
    });
    const policies = resources(json, 'aws_appautoscaling_policy');
    expect(policies['cpu-scaling'].target_tracking_scaling_policy_configuration).toEqual({
      predefined_metric_specification: { predefined_metric_type: 'ECSServiceAverageCPUUtilization' },
      target_value: 70,
      scale_out_cooldown: 60,
      scale_in_cooldown: 300,
    });
    expect(policies['request-scaling'].target_tracking_scaling_policy_configuration.predefined_metric_specification).toEqual({
      predefined_metric_type: 'ALBRequestCountPerTarget',
      resource_label: '${aws_lb.alb.arn_suffix}/${aws_lb_target_group.target-group.arn_suffix}',
    });
    expect(policies['request-scaling'].target_tracking_scaling_policy_configuration.target_value).toBe(200);
  });

  test('no Redis in dev: no cache, no REDIS_ variables', () => {
    expect(json.resource.aws_elasticache_replication_group).toBeUndefined();
    expect(container(json).environment.filter((e: Json) => e.name.startsWith('REDIS_'))).toEqual([]);
  });

  test('outputs for observability and the edge resolve to the resources', () => {
    // An output is the public way to see what the tokens resolve to.
    const { stack: probe } = synth();
    new TerraformOutput(probe, 'probe', { value: probe.outputs });
    expect(JSON.parse(Testing.synth(probe)).output.probe.value).toEqual({
      logGroupName: '${aws_cloudwatch_log_group.log-group.name}',
      clusterName: '${aws_ecs_cluster.cluster.name}',
      serviceName: '${aws_ecs_service.service.name}',
      albArnSuffix: '${aws_lb.alb.arn_suffix}',
      targetGroupArnSuffix: '${aws_lb_target_group.target-group.arn_suffix}',
      serviceUrl: 'http://llm-gateway.dev.document-processing.internal/v1',
      albArn: '${aws_lb.alb.arn}',
      albDnsName: '${aws_lb.alb.dns_name}',
      taskRoleName: '${aws_iam_role.task-role.name}',
      taskRoleArn: '${aws_iam_role.task-role.arn}',
    });
  });

  test('Terraform outputs for humans', () => {
    expect(json.output).toEqual({
      service_url: expect.objectContaining({ value: 'http://llm-gateway.dev.document-processing.internal/v1' }),
      alb_dns_name: expect.objectContaining({ value: '${aws_lb.alb.dns_name}' }),
      ecr_repository_url: expect.objectContaining({ value: '${aws_ecr_repository.ecr-repository.repository_url}' }),
      log_group_name: expect.objectContaining({ value: '${aws_cloudwatch_log_group.log-group.name}' }),
      agent_key_secret_arns: expect.objectContaining({ value: expect.objectContaining({ supervisor: '${aws_secretsmanager_secret.agent-key-supervisor.arn}' }) }),
      agent_key_policy_arns: expect.objectContaining({ value: expect.objectContaining({ supervisor: '${aws_iam_policy.agent-key-supervisor-read.arn}' }) }),
      llm_gateway_infra_version: expect.objectContaining({ value: projectVersion() }),
    });
  });

  test('the docker provider is present in build mode', () => {
    expect(json.terraform.required_providers.docker).toEqual({ source: 'kreuzwerker/docker', version: '3.6.2' });
    expect(Object.keys(resources(json, 'docker_registry_image'))).toEqual(['image-push']);
  });
});

describe('production safety', () => {
  test('the prod ALB has deletion protection, dev\'s does not; gateway.albDeletionProtection decides', () => {
    const albOf = (json: Json) => resources(json, 'aws_lb').alb;
    expect(albOf(synth({ environment: 'prod' }).json).enable_deletion_protection).toBe(true);
    expect(albOf(synth().json).enable_deletion_protection).toBe(false);
    expect(albOf(synth({ environment: 'prod', overrides: { gateway: { albDeletionProtection: false } } }).json).enable_deletion_protection).toBe(false);
  });
});

describe('IAM', () => {
  const { json } = synth();

  test('task role: Bedrock invoke on exactly the catalogue\'s profiles', () => {
    expect(statement(json, 'task-policy-document', 'InvokeInferenceProfiles')).toEqual({
      sid: 'InvokeInferenceProfiles',
      effect: 'Allow',
      actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      resources: [
        `arn:${PARTITION}:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.${SONNET}`,
        `arn:${PARTITION}:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.${HAIKU}`,
      ],
    });
  });

  test('task role: each foundation model in every region (*), only through its own profile', () => {
    const profile = (id: string) => `arn:${PARTITION}:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.${id}`;
    [SONNET, HAIKU].forEach((id, i) => {
      expect(statement(json, 'task-policy-document', `InvokeFoundationModelThroughProfile${i + 1}`)).toEqual({
        sid: `InvokeFoundationModelThroughProfile${i + 1}`,
        effect: 'Allow',
        actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        resources: [`arn:${PARTITION}:bedrock:*::foundation-model/${id}`],
        condition: [{ test: 'StringEquals', variable: 'bedrock:InferenceProfileArn', values: [profile(id)] }],
      });
    });
  });

  test('task role: ECS Exec channels on * (the only resource AWS accepts) and session logging to its own group, nothing else', () => {
    expect(policyDocument(json, 'task-policy-document').map((s) => s.sid)).toEqual([
      'InvokeInferenceProfiles',
      'InvokeFoundationModelThroughProfile1',
      'InvokeFoundationModelThroughProfile2',
      'EcsExec',
      'EcsExecFindLogGroup',
      'EcsExecWriteSessionLogs',
    ]);
    expect(statement(json, 'task-policy-document', 'EcsExec')).toMatchObject({
      actions: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
      resources: ['*'],
    });
    expect(statement(json, 'task-policy-document', 'EcsExecFindLogGroup')).toMatchObject({ actions: ['logs:DescribeLogGroups'], resources: ['*'] });
    expect(statement(json, 'task-policy-document', 'EcsExecWriteSessionLogs')).toMatchObject({
      actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
      resources: ['${aws_cloudwatch_log_group.exec-log-group.arn}', '${aws_cloudwatch_log_group.exec-log-group.arn}:log-stream:*'],
    });
  });

  test('task role: no AWS Marketplace action by default', () => {
    expect(policyDocument(json, 'task-policy-document').flatMap((s) => s.actions).filter((a: string) => a.startsWith('aws-marketplace:'))).toEqual([]);
  });

  test('task role with gateway.bedrockMarketplaceSubscribe: ViewSubscriptions, and Subscribe for the catalogue products only', () => {
    const on = synth({ overrides: { gateway: { bedrockMarketplaceSubscribe: true } } }).json;
    expect(policyDocument(on, 'task-policy-document').map((s) => s.sid)).toEqual([
      'InvokeInferenceProfiles',
      'InvokeFoundationModelThroughProfile1',
      'InvokeFoundationModelThroughProfile2',
      'MarketplaceViewSubscriptions',
      'MarketplaceSubscribeCatalogueModels',
      'EcsExec',
      'EcsExecFindLogGroup',
      'EcsExecWriteSessionLogs',
    ]);
    expect(statement(on, 'task-policy-document', 'MarketplaceSubscribeCatalogueModels').condition[0]).toEqual({
      test: 'ForAllValues:StringEquals',
      variable: 'aws-marketplace:ProductId',
      values: ['prod-mxcfnwvpd6kb4', 'prod-xdkflymybwmvi'],
    });
  });

  test('execution role: ECR login on *, pull on the repository, logs on the group, exactly the four secrets', () => {
    const doc = policyDocument(json, 'execution-policy-document');
    expect(doc.map((s) => s.sid)).toEqual(['EcrLogin', 'PullGatewayImage', 'WriteContainerLogs', 'ReadGatewaySecrets', 'ReadAgentKeys']);
    expect(statement(json, 'execution-policy-document', 'EcrLogin')).toMatchObject({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] });
    expect(statement(json, 'execution-policy-document', 'PullGatewayImage')).toMatchObject({
      actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
      resources: ['${aws_ecr_repository.ecr-repository.arn}'],
    });
    expect(statement(json, 'execution-policy-document', 'WriteContainerLogs')).toMatchObject({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: ['${aws_cloudwatch_log_group.log-group.arn}:log-stream:*'],
    });
    expect(statement(json, 'execution-policy-document', 'ReadGatewaySecrets')).toMatchObject({
      actions: ['secretsmanager:GetSecretValue'],
      resources: [secretArn('master-key'), secretArn('salt-key'), secretArn('database-url'), secretArn('ui-credentials')],
    });
  });

  test('no wildcard action; * resources only where AWS allows nothing else', () => {
    for (const id of ['task-policy-document', 'execution-policy-document']) {
      for (const s of policyDocument(json, id)) {
        for (const a of s.actions) expect(a).not.toContain('*');
        if (s.resources.includes('*')) expect(['EcsExec', 'EcsExecFindLogGroup', 'EcrLogin']).toContain(s.sid);
      }
    }
  });

  test('inline policies only: no managed policy attachments', () => {
    expect(json.resource.aws_iam_role_policy_attachment).toBeUndefined();
    for (const role of Object.values(resources(json, 'aws_iam_role'))) expect(role.managed_policy_arns).toBeUndefined();
    expect(Object.keys(resources(json, 'aws_iam_role_policy')).sort()).toEqual(['execution-policy', 'task-policy']);
  });

  test('both roles trust ECS tasks; the task role only from this account', () => {
    for (const id of ['execution-trust', 'task-trust']) {
      expect(policyDocument(json, id)[0]).toMatchObject({ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ecs-tasks.amazonaws.com'] }] });
    }
    expect(policyDocument(json, 'task-trust')[0].condition).toEqual([
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
      { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${PARTITION}:ecs:us-east-1:${ACCOUNT}:*`] },
    ]);
  });

  test('a customer-managed key of the secrets: kms:Decrypt on it, through Secrets Manager only', () => {
    const withKms = synth({ database: { ...DATABASE, secrets: { ...DATABASE.secrets, kmsKeyArn: KMS } } }).json;
    expect(statement(withKms, 'execution-policy-document', 'DecryptGatewaySecrets')).toEqual({
      sid: 'DecryptGatewaySecrets',
      effect: 'Allow',
      actions: ['kms:Decrypt'],
      resources: [KMS],
      condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['secretsmanager.us-east-1.${data.aws_partition.partition.dns_suffix}'] }],
    });
    expect(statement(json, 'execution-policy-document', 'DecryptGatewaySecrets')).toBeUndefined();
  });
});

describe('prebuilt image (the offline profile)', () => {
  const { json, text } = synth({ overrides: { gateway: { image: { mode: 'prebuilt', uri: PREBUILT_URI } } } });

  test('no docker provider, resource or required_providers entry in the output', () => {
    expect(json.terraform.required_providers.docker).toBeUndefined();
    expect(json.provider.docker).toBeUndefined();
    expect(text).not.toMatch(/kreuzwerker|docker_image|docker_registry_image/);
  });

  test('the container runs the configured URI; the ECR repository still exists for CI to push to', () => {
    expect(container(json).image).toBe(PREBUILT_URI);
    expect(Object.keys(resources(json, 'aws_ecr_repository'))).toEqual(['ecr-repository']);
  });

  test('the execution role pulls from the repository the URI names', () => {
    expect(statement(json, 'execution-policy-document', 'PullGatewayImage').resources).toEqual(['arn:aws:ecr:us-east-1:123456789012:repository/llm-gateway']);
  });

  test('an image outside private ECR: no ECR statement at all', () => {
    const ghcr = synth({ overrides: { gateway: { image: { mode: 'prebuilt', uri: 'ghcr.io/berriai/litellm:v1.108.12' } } } }).json;
    expect(policyDocument(ghcr, 'execution-policy-document').map((s) => s.sid)).toEqual(['WriteContainerLogs', 'ReadGatewaySecrets', 'ReadAgentKeys']);
  });

  test('amd64 platform gives an X86_64 task', () => {
    const amd = synth({ overrides: { gateway: { image: { mode: 'prebuilt', uri: PREBUILT_URI, platform: 'linux/amd64' } } } }).json;
    expect(resources(amd, 'aws_ecs_task_definition')['task-definition'].runtime_platform.cpu_architecture).toBe('X86_64');
  });
});

describe('HTTPS', () => {
  const { stack, json } = synth({ overrides: { gateway: { certificateArn: CERT } } });

  test(':443 forwards with the certificate, :80 redirects, the URL is https', () => {
    const listeners = resources(json, 'aws_lb_listener');
    expect(listeners['https-listener']).toMatchObject({ port: 443, protocol: 'HTTPS', certificate_arn: CERT, ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' });
    expect(listeners['http-listener'].default_action[0].type).toBe('redirect');
    expect(stack.outputs.serviceUrl).toBe('https://llm-gateway.dev.document-processing.internal/v1');
    expect(json.output.service_url.value).toBe('https://llm-gateway.dev.document-processing.internal/v1');
  });

  test('the service waits for both listeners', () => {
    expect(resources(json, 'aws_ecs_service').service.depends_on).toEqual([
      'aws_lb_listener.http-listener',
      'aws_lb_listener.https-listener',
      'aws_iam_role_policy.execution-policy',
      'aws_iam_role_policy.task-policy',
      'aws_ecs_cluster_capacity_providers.capacity-providers',
    ]);
  });
});

describe('prod differs from dev', () => {
  const prod = synth({ environment: 'prod' }).json;
  const dev = synth().json;

  test.each([
    ['ECR force_delete', (j: Json) => resources(j, 'aws_ecr_repository')['ecr-repository'].force_delete, true, false],
    ['desired tasks', (j: Json) => resources(j, 'aws_ecs_service').service.desired_count, 1, 2],
    ['minimum tasks', (j: Json) => resources(j, 'aws_appautoscaling_target')['scaling-target'].min_capacity, 1, 2],
    ['log retention', (j: Json) => resources(j, 'aws_cloudwatch_log_group')['log-group'].retention_in_days, 14, 90],
    ['Valkey cache', (j: Json) => Object.keys(resources(j, 'aws_elasticache_replication_group')).length, 0, 1],
  ])('%s', (_, read, devValue, prodValue) => {
    expect(read(dev)).toBe(devValue);
    expect(read(prod)).toBe(prodValue);
  });

  test('prod Redis: host, port and TLS flag in the environment, no password; ecs-sg may reach it', () => {
    const env = container(prod).environment;
    expect(env).toEqual(
      expect.arrayContaining([
        { name: 'REDIS_HOST', value: '${aws_elasticache_replication_group.redis.primary_endpoint_address}' },
        { name: 'REDIS_PORT', value: '6379' },
        { name: 'REDIS_SSL', value: 'true' },
      ]),
    );
    for (const e of env) expect(e.name).not.toMatch(SECRET_LIKE);
    expect(resources(prod, 'aws_vpc_security_group_egress_rule')['ecs-egress-redis']).toMatchObject({ security_group_id: 'sg-ecs', from_port: 6379 });
    expect(resources(prod, 'aws_elasticache_replication_group').redis.replication_group_id).toBe('document-processing-prod-rate-limits');
  });

  test('prod Valkey fails over across two nodes in two AZs, TLS required, at rest encrypted', () => {
    expect(resources(prod, 'aws_elasticache_replication_group').redis).toMatchObject({
      num_cache_clusters: 2,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      transit_encryption_enabled: true,
      transit_encryption_mode: 'required',
      at_rest_encryption_enabled: 'true',
    });
  });

  test('ecrForceDelete overrides the environment default', () => {
    const kept = synth({ overrides: { gateway: { ecrForceDelete: false } } }).json;
    expect(resources(kept, 'aws_ecr_repository')['ecr-repository'].force_delete).toBe(false);
  });

  test('requestsPerTargetTarget 0 drops the request-count policy', () => {
    const cpuOnly = synth({ overrides: { gateway: { requestsPerTargetTarget: 0 } } }).json;
    expect(Object.keys(resources(cpuOnly, 'aws_appautoscaling_policy'))).toEqual(['cpu-scaling']);
  });
});

describe('what the catalogue checks rely on (modules/catalogue-checks.ts)', () => {
  test.each([
    ['dev', {}],
    ['prod', { observability: { alarmEmails: ['oncall@example.com'] } }],
    ['dev with the guardrail', { gateway: { guardrail: { enabled: true } } }],
  ])('%s: the container sets exactly the variables containerVariableNames names', (_label, overrides) => {
    const environment = _label.startsWith('prod') ? 'prod' : 'dev';
    const config = loadConfig({ environment, overrides });
    const gateway = container(synth({ environment, overrides }).json);
    const names = [...gateway.environment, ...gateway.secrets].map((v: Json) => v.name).sort();
    const expected = containerVariableNames({
      gateway: config.gateway,
      redisEnabled: config.gateway.redis.enabled,
      redisIamAuth: config.gateway.redis.iamAuth,
      guardrailNames: config.gateway.guardrail.enabled ? Object.values(GUARDRAIL_ENV) : [],
    });
    expect(gateway.environment.map((v: Json) => v.name)).toEqual(expected.plain);
    expect(gateway.secrets.map((v: Json) => v.name)).toEqual(expected.secret);
    expect(names).toEqual([...expected.plain, ...expected.secret].sort());
  });

  test('a deregistration delay equal to the config request_timeout reaches the target group', () => {
    const catalogue = catalogueFrom({ ...MINIMAL_LITELLM, litellm_settings: { request_timeout: 900 } });
    const fine = synth({ catalogue, overrides: { gateway: { albIdleTimeoutSeconds: 960, keepAliveTimeoutSeconds: 965, deregistrationDelaySeconds: 900 } } });
    expect(resources(fine.json, 'aws_lb_target_group')['target-group'].deregistration_delay).toBe('900');
  });

  test('the default deregistration delay covers the config\'s request_timeout, and the stop timeout is Fargate\'s maximum', () => {
    const { json } = synth();
    const delay = Number(resources(json, 'aws_lb_target_group')['target-group'].deregistration_delay);
    expect(delay).toBeGreaterThanOrEqual(TWO_MODELS.requestTimeoutSeconds);
    expect(delay).toBe(660);
    expect(container(json).stopTimeout).toBe(120);
  });
});

describe('wired to other stacks', () => {
  test('network and secret ARNs from producer stacks arrive through remote state, also inside the container JSON', () => {
    // GIVEN the real networking stack and a stand-in database stack in one app
    const app = Testing.app();
    const config = loadConfig({ environment: 'dev', overrides: { gateway: { image: { mode: 'prebuilt', uri: PREBUILT_URI } } } });
    const network = new NetworkingStack(app, 'networking', { config });
    const db = new TerraformStack(app, 'database');
    new AwsProvider(db, 'aws', { region: 'us-east-1' });
    const secret = (id: string) => new SecretsmanagerSecret(db, id, { name: id }).arn;
    const database: DatabaseOutputs = {
      ...DATABASE,
      secrets: { databaseUrlArn: secret('url'), masterKeyArn: secret('master'), saltKeyArn: secret('salt'), uiCredentialsArn: secret('ui') },
    };
    // WHEN the gateway consumes their outputs
    const gateway = new GatewayStack(app, 'gateway', { config, network: network.outputs, database, catalogue: TWO_MODELS });
    // Cross-stack wiring happens in the app's synth, not in Testing.synth.
    app.synth();
    const json = JSON.parse(readFileSync(path.join(app.outdir, 'stacks', gateway.node.id, 'cdk.tf.json'), 'utf8'));
    // THEN the references resolve through terraform_remote_state, and no literal token is left
    expect(Object.keys(json.data.terraform_remote_state).sort()).toEqual(['cross-stack-reference-input-database', 'cross-stack-reference-input-networking']);
    const secrets = container(json).secrets;
    expect(secrets.find((s: Json) => s.name === 'UI_USERNAME').valueFrom).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-database\.outputs\.[\w-]+\}:username::$/);
    expect(JSON.stringify(json)).not.toContain('TfToken');
  });
});

describe('the project policy pack (policy/packs/gateway-pack.ts)', () => {
  test.each([
    ['dev', 'build', {}],
    ['prod', 'build', {}],
    ['dev', 'prebuilt + HTTPS', { gateway: { image: { mode: 'prebuilt', uri: PREBUILT_URI }, certificateArn: CERT } }],
    ['prod', 'prebuilt + HTTPS', { gateway: { image: { mode: 'prebuilt', uri: PREBUILT_URI }, certificateArn: CERT } }],
  ])('%s, %s: no violation', (environment, _, overrides) => {
    const { stack } = synth({ environment, overrides });
    const report = evaluateStack(stack, { environment });
    expect(report.findings.map(formatViolation)).toEqual([]);
    expect(report.rows.find((r) => r.rule === 'ecs-no-plain-secrets')?.pass).toBe(1);
  });
});

describe('capacity: Fargate Spot (gateway.capacity) and Container Insights (gateway.containerInsights)', () => {
  const strategy = (base: number, onDemand: number, spot: number) => [
    { capacity_provider: 'FARGATE', base, weight: onDemand },
    { capacity_provider: 'FARGATE_SPOT', base: 0, weight: spot },
  ];

  test('dev: a strategy over FARGATE and FARGATE_SPOT, no launch type; the cluster carries both providers', () => {
    const { json } = synth();
    const service = resources(json, 'aws_ecs_service').service;
    expect(service.launch_type).toBeUndefined();
    expect(service.capacity_provider_strategy).toEqual(strategy(0, 0, 1));
    // Without it the AWS provider 5.x plans a replacement of the service for a weight change.
    expect(service.force_new_deployment).toBe(true);
    expect(resources(json, 'aws_ecs_cluster_capacity_providers')['capacity-providers']).toEqual(
      expect.objectContaining({
        cluster_name: '${aws_ecs_cluster.cluster.name}',
        capacity_providers: ['FARGATE', 'FARGATE_SPOT'],
        default_capacity_provider_strategy: strategy(0, 0, 1),
      }),
    );
  });

  test('base and weights come from the configuration (on-demand fallback share)', () => {
    const { json } = synth({ overrides: { gateway: { capacity: { onDemandBase: 1, onDemandWeight: 1, spotWeight: 3 } } } });
    expect(resources(json, 'aws_ecs_service').service.capacity_provider_strategy).toEqual(strategy(1, 1, 3));
  });

  test('prod: on-demand launch type FARGATE, no strategy, no capacity providers, Container Insights on', () => {
    const { json, text } = synth({ environment: 'prod' });
    const service = resources(json, 'aws_ecs_service').service;
    expect(service.launch_type).toBe('FARGATE');
    expect(service.capacity_provider_strategy).toBeUndefined();
    expect(service.force_new_deployment).toBeUndefined();
    expect(service.depends_on).toEqual(['aws_lb_listener.http-listener', 'aws_iam_role_policy.execution-policy', 'aws_iam_role_policy.task-policy']);
    expect(json.resource.aws_ecs_cluster_capacity_providers).toBeUndefined();
    expect(text).toHaveResourceWithProperties(EcsCluster, { setting: [{ name: 'containerInsights', value: 'enabled' }] });
  });
});

describe('replacements: the target group and a capacity mode switch (docs/gateway-runtime.md#replacements)', () => {
  const warnings = (stack: GatewayStack) => stack.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));

  test('the service is not create_before_destroy: Terraform would force it onto the ALB, whose fixed name then fails any ALB replacement', () => {
    // Seen in the emulator tier: with it, `apply -replace=aws_lb.alb` created the new ALB first: "already exists".
    for (const environment of ['dev', 'prod']) {
      expect(resources(synth({ environment }).json, 'aws_ecs_service').service.lifecycle).toEqual({ ignore_changes: ['desired_count'] });
    }
  });

  test('prod on spot (not its default) is told at synth that a mode switch replaces the service; prod on-demand and dev are not', () => {
    const spotProd = synth({ environment: 'prod', overrides: { gateway: { capacity: { mode: 'spot' } } } });
    expect(warnings(spotProd.stack)).toEqual([expect.stringMatching(/gateway\.capacity\.mode is "spot" in prod .*replaces the ECS service.*docs\/gateway-runtime\.md#replacements/)]);
    expect(warnings(synth({ environment: 'prod' }).stack)).toEqual([]);
    // dev's only warning is the shared-state one (no Redis: modules/capacity), not the replacement.
    expect(warnings(synth().stack)).toEqual([expect.stringMatching(/^gateway\.redis\.enabled is false/)]);
  });

  test('shared state: dev (4 processes, limits, no Redis) is warned with the overshoot and the key TTL; with Redis it is not', () => {
    expect(warnings(synth().stack)).toEqual([
      expect.stringMatching(/with 4 LiteLLM processes .*budget can be overshot by up to 4 processes.*valid for up to 30 s \(the auth-cache TTL/),
    ]);
    expect(warnings(synth({ overrides: { gateway: { redis: { enabled: true } } } }).stack)).toEqual([]);
    expect(warnings(synth({ overrides: { gateway: { maxTasks: 1, minTasks: 1, desiredCount: 1 } } }).stack)).toEqual([]);
  });

  test('the target group: created before the old one is destroyed, so a replacement never meets "in use by a listener"', () => {
    expect(resources(synth().json, 'aws_lb_target_group')['target-group']).toMatchObject({ name: 'document-processing-dev-tg', lifecycle: { create_before_destroy: true } });
  });
});

describe('migrations: one migration container per task, the proxy waits for it', () => {
  const { json } = synth({ environment: 'prod' });

  test('the task holds the migration container first, then the proxy, which depends on its success', () => {
    expect(containers(json).map((c) => [c.name, c.essential])).toEqual([
      ['migrate', false],
      ['litellm', true],
      // Then the key reconciler (stacks/gateway-agent-keys.test.ts).
      ['key-reconciler', false],
    ]);
    expect(container(json, 'litellm').dependsOn).toEqual([{ containerName: 'migrate', condition: 'SUCCESS' }]);
    expect(container(json, 'migrate').command).toEqual(['--config', '/app/config.yaml', '--skip_server_startup']);
  });

  test('the proxy never migrates (DISABLE_SCHEMA_UPDATE), the migrator fails hard (ENFORCE_PRISMA_MIGRATION_CHECK)', () => {
    expect(container(json, 'litellm').environment).toContainEqual({ name: 'DISABLE_SCHEMA_UPDATE', value: 'true' });
    expect(container(json, 'migrate').environment).toContainEqual({ name: 'ENFORCE_PRISMA_MIGRATION_CHECK', value: 'true' });
  });

  test('the migrator gets the database secret only, through the execution role that already reads it', () => {
    expect(container(json, 'migrate').secrets).toEqual([{ name: 'DATABASE_URL', valueFrom: DATABASE.secrets.databaseUrlArn }]);
    expect(container(json, 'migrate').image).toBe(container(json, 'litellm').image);
  });

  test('the grace period leaves the migration container time before the proxy start period', () => {
    const g = loadConfig({ environment: 'prod' }).gateway;
    const service = resources(json, 'aws_ecs_service').service;
    expect(service.health_check_grace_period_seconds).toBeGreaterThanOrEqual(container(json, 'litellm').healthCheck.startPeriod + 60);
    expect(service.health_check_grace_period_seconds).toBe(g.healthCheckGracePeriodSeconds);
  });
});

describe('the catalogue hash: the image must carry the YAML that IAM, alarms and dashboards follow', () => {
  // The catalogue's own bytes (TWO_MODELS is parsed from them); the real file's hash reaching the task is
  // test/catalogue.contract.test.ts.
  const CATALOGUE_YAML = stringify(TWO_MODELS_CONFIG);
  const CHECK_SCRIPT = path.join(__dirname, '..', 'gateway-image', 'startup', 'check_config.py');
  const fileSha256 = createHash('sha256').update(CATALOGUE_YAML).digest('hex');
  const hashOf = (json: Json, name: string): string | undefined =>
    container(json, name).environment.find((e: Json) => e.name === 'LITELLM_CONFIG_SHA256')?.value;

  test.each([
    ['build', {}],
    ['prebuilt', { gateway: { image: { mode: 'prebuilt', uri: PREBUILT_URI } } }],
  ])('%s mode: the proxy and the migrator get the sha256 of the catalogue YAML bytes; the reconciler (reads no YAML) does not', (_, overrides) => {
    const { json } = synth({ overrides });
    expect(hashOf(json, 'litellm')).toBe(fileSha256);
    expect(hashOf(json, 'migrate')).toBe(fileSha256);
    expect(hashOf(json, 'key-reconciler')).toBeUndefined();
  });

  test('the image\'s start-up check accepts the catalogue YAML under the synthesized environment and refuses another copy', () => {
    // The task's own environment and command, with /app/config.yaml standing for what COPY put there.
    const { json } = synth({ overrides: { gateway: { image: { mode: 'prebuilt', uri: PREBUILT_URI } } } });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'config-check-'));
    try {
      const copy = path.join(dir, 'config.yaml');
      const run = (name: string) => {
        const c = container(json, name);
        const env = Object.fromEntries([['PATH', process.env.PATH ?? '/usr/bin:/bin'], ...c.environment.map((e: Json) => [e.name, e.value])]);
        const args = c.command.map((a: string) => (a === '/app/config.yaml' ? copy : a));
        return spawnSync('python3', [CHECK_SCRIPT, '/bin/true', ...args], { encoding: 'utf8', env, timeout: 20_000 });
      };
      writeFileSync(copy, CATALOGUE_YAML);
      for (const name of ['litellm', 'migrate']) expect(run(name)).toMatchObject({ status: 0 });
      writeFileSync(copy, `${CATALOGUE_YAML}# from another commit\n`);
      for (const name of ['litellm', 'migrate']) {
        const res = run(name);
        expect(res.status).toBe(1);
        expect(res.stderr).toContain(`LITELLM_CONFIG_SHA256=${fileSha256}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('another catalogue, another hash: the value follows the YAML the synth read, not a constant', () => {
    const { json } = synth({ catalogue: catalogueFrom(MINIMAL_LITELLM) });
    const expected = createHash('sha256').update(stringify(MINIMAL_LITELLM)).digest('hex');
    expect(hashOf(json, 'litellm')).toBe(expected);
    expect(expected).not.toBe(fileSha256);
  });
});

describe('ECS Exec', () => {
  test('default: explicit OVERRIDE logging to a dedicated group, never the metric-filtered gateway log group', () => {
    const { json } = synth();
    expect(resources(json, 'aws_ecs_cluster').cluster.configuration).toEqual({
      execute_command_configuration: {
        logging: 'OVERRIDE',
        log_configuration: { cloud_watch_log_group_name: '${aws_cloudwatch_log_group.exec-log-group.name}', cloud_watch_encryption_enabled: false },
      },
    });
    const groups = resources(json, 'aws_cloudwatch_log_group');
    expect(groups['exec-log-group']).toMatchObject({ name: '/document-processing/llm-gateway/ecs-exec', retention_in_days: 90 });
    expect(groups['exec-log-group'].name).not.toBe(groups['log-group'].name);
    expect(resources(json, 'aws_ecs_service').service.enable_execute_command).toBe(true);
  });

  test('logging NONE: no session log group and no logs permission on the task role, only the SSM channels', () => {
    const { json } = synth({ overrides: { gateway: { ecsExec: { logging: 'NONE' } } } });
    expect(resources(json, 'aws_ecs_cluster').cluster.configuration).toEqual({ execute_command_configuration: { logging: 'NONE' } });
    expect(resources(json, 'aws_cloudwatch_log_group')['exec-log-group']).toBeUndefined();
    expect(policyDocument(json, 'task-policy-document').map((s) => s.sid)).toEqual(['InvokeInferenceProfiles', 'InvokeFoundationModelThroughProfile1', 'InvokeFoundationModelThroughProfile2', 'EcsExec']);
  });

  test('disabled: off on the service, no SSM channels or logs permissions, and the cluster logs nothing', () => {
    const { json } = synth({ overrides: { gateway: { ecsExec: { enabled: false } } } });
    expect(resources(json, 'aws_ecs_service').service.enable_execute_command).toBe(false);
    expect(resources(json, 'aws_ecs_cluster').cluster.configuration).toEqual({ execute_command_configuration: { logging: 'NONE' } });
    expect(policyDocument(json, 'task-policy-document').map((s) => s.sid)).toEqual(['InvokeInferenceProfiles', 'InvokeFoundationModelThroughProfile1', 'InvokeFoundationModelThroughProfile2']);
    expect(resources(json, 'aws_iam_role_policy')['task-policy'].name).toBe('invoke-bedrock');
  });
});

describe('bookkeeping: SpendLogs retention per environment', () => {
  test.each([
    ['dev', '30d'],
    ['prod', '90d'],
  ])('%s: the proxy gets LITELLM_SPEND_LOGS_RETENTION=%s, which the LiteLLM config reads as maximum_spend_logs_retention_period', (environment, value) => {
    expect(container(synth({ environment }).json).environment).toContainEqual({ name: 'LITELLM_SPEND_LOGS_RETENTION', value });
  });

  test('a configured retention is passed as days', () => {
    expect(container(synth({ overrides: { database: { spendLogsRetentionDays: 7 } } }).json).environment).toContainEqual({ name: 'LITELLM_SPEND_LOGS_RETENTION', value: '7d' });
  });
});
