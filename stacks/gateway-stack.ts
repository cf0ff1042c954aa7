import { Construct } from 'constructs';
import { Annotations, TerraformOutput } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import { EcsService, EcsServiceCapacityProviderStrategy } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { AppConfig, DatabaseConfig, GatewayConfig, NAME_LIMITS, nameOf } from '../config';
import { describeSchedule } from '../config/schedule';
import { createAgentKeys, type AgentKeys } from '../modules/agent-keys';
import { createGatewayAutoScaling } from '../modules/gateway/auto-scaling';
import { DEPLOYMENT_MAXIMUM_PERCENT, sharedStateOf } from '../modules/capacity';
import { createGatewayImage } from '../modules/gateway/container-image';
import {
  CONTAINER_NAME,
  CONTAINER_PORTS,
  gatewayContainerDefinition,
  migrationContainerDefinition,
} from '../modules/gateway/container-definition';
import {
  createGatewayGuardrail,
  guardrailEnvironment,
} from '../modules/gateway/guardrail';
import { reconcilerContainerDefinition } from '../modules/gateway/key-reconciler';
import { createGatewayLoadBalancer } from '../modules/gateway/load-balancer';
import { createRateLimitCache, grantRedisConnect } from '../modules/gateway/rate-limit-cache';
import { createCostAttribution } from '../modules/gateway/cost-attribution';
import { createGatewayTaskRoles } from '../modules/gateway/task-roles';
import type { ModelCatalogue } from '../modules/model-catalogue';
import { SecretFactory, WRITE_ONLY_MIN_TERRAFORM } from '../modules/secrets';
import { BaseStack, BaseStackProps, StackConfig } from './base-stack';
import type { DatabaseOutputs, GatewayOutputs, NetworkOutputs } from './contracts';

export interface GatewayStackProps extends BaseStackProps {
  /** Its own section, the agents (their keys), the secret generator, and the database's secret settings (the agents' key secrets follow them). */
  readonly config: StackConfig &
    Pick<AppConfig, 'gateway' | 'agents' | 'secrets'> & {
      readonly database: Pick<DatabaseConfig, 'secretRecoveryDays' | 'customerManagedKey' | 'spendLogsRetentionDays' | 'minCapacity'>;
    };
  readonly network: NetworkOutputs;
  readonly database: DatabaseOutputs;
  /** The LiteLLM config baked into the image: drives IAM, the config hash the container checks and the agents' keys. */
  readonly catalogue: ModelCatalogue;
  /** Absolute path of gateway-image/, the Docker build context in `build` mode. @default resolved from the project root */
  readonly imageContextDir?: string;
}

/**
 * The gateway stack of the design (docs/design.md#overview): LiteLLM on ECS Fargate behind an internal ALB with a
 * private DNS name, its image, roles that can do exactly what the gateway needs (Bedrock on the catalogue's models,
 * the four secrets), auto-scaling, and the optional Valkey cache that makes rate limits shared.
 */
export class GatewayStack extends BaseStack {
  readonly outputs: GatewayOutputs;
  readonly cluster: EcsCluster;
  readonly service: EcsService;
  readonly taskDefinition: EcsTaskDefinition;
  readonly executionRole: IamRole;
  readonly taskRole: IamRole;
  /** The agents' key secrets and read policies (modules/agent-keys). */
  readonly agentKeys: AgentKeys;

  constructor(scope: Construct, id: string, props: GatewayStackProps) {
    super(scope, id, 'gateway', props);
    const { config, network, database, catalogue } = props;
    const g = config.gateway;
    const name = (component: string, limit?: number) => nameOf(config, component, limit);

    const { accountId: account, partition, dnsSuffix } = this.account;

    const image = createGatewayImage(this, {
      image: g.image,
      repositoryName: name('llm-gateway', NAME_LIMITS.ecr),
      keepImages: g.ecrKeepImages,
      forceDelete: g.ecrForceDelete,
      contextDir: props.imageContextDir,
    });

    const logGroup = new CloudwatchLogGroup(this, 'log-group', { name: g.logGroupName, retentionInDays: g.logRetentionDays });
    // ECS Exec session output: its own group, never the gateway log group (its metric filters count every line).
    const execLogGroup =
      g.ecsExec.enabled && g.ecsExec.logging === 'OVERRIDE'
        ? new CloudwatchLogGroup(this, 'exec-log-group', { name: `${g.logGroupName}/ecs-exec`, retentionInDays: g.ecsExec.logRetentionDays })
        : undefined;

    const cache = g.redis.enabled
      ? createRateLimitCache(this, {
          name: name('rate-limits', NAME_LIMITS.elasticache),
          vpcId: network.vpcId,
          subnetIds: network.privateSubnetIds,
          clientSecurityGroupId: network.ecsSecurityGroupId,
          redis: g.redis,
          iam: {
            userName: name('litellm-valkey', NAME_LIMITS.elasticache),
            defaultUserId: name('valkey-default', NAME_LIMITS.elasticache),
            userGroupId: name('rate-limits', NAME_LIMITS.elasticache),
          },
        })
      : undefined;

    const guardrail = g.guardrail.enabled ? createGatewayGuardrail(this, { name: name('guardrail', 50), config: g.guardrail }) : undefined;

    // gateway.costAttribution: each agent's own tagged application inference profiles, its deployments and key aliases.
    const attribution =
      g.costAttribution === 'application-inference-profiles'
        ? createCostAttribution(this, {
            agents: config.agents,
            catalogue,
            arns: { partition, account },
            profileName: (agent, alias) => name(`${agent}-${alias}`, 64),
          })
        : undefined;

    const container = gatewayContainerDefinition({
      image: image.imageUri,
      gateway: g,
      region: config.region,
      secrets: database.secrets,
      logGroupName: logGroup.name,
      configSha256: catalogue.sha256,
      spendLogsRetentionDays: config.database.spendLogsRetentionDays,
      redis: cache?.endpoint,
      guardrail: guardrail ? guardrailEnvironment(guardrail, g.guardrail) : undefined,
      ...(attribution ? { agentRouting: attribution.routingJson } : {}),
    });
    // --- The agents' virtual keys: values in Secrets Manager (write-only by default), registered by the reconciler.
    const secretFactory = new SecretFactory(this, { generator: config.secrets.generator });
    if (secretFactory.writeOnly) this.requireTerraform(WRITE_ONLY_MIN_TERRAFORM, 'write-only secrets');
    this.agentKeys = createAgentKeys(this, {
      agents: config.agents,
      catalogue,
      secrets: secretFactory,
      secretName: (agent) => name(`agent-key-${agent}`, NAME_LIMITS.secret),
      policyName: (agent) => name(`agent-key-${agent}-read`, 128),
      recoveryWindowInDays: config.database.secretRecoveryDays,
      ...(config.database.customerManagedKey && database.secrets.kmsKeyArn !== undefined ? { kmsKeyArn: database.secrets.kmsKeyArn } : {}),
      region: config.region,
      dnsSuffix: dnsSuffix,
      ...(attribution ? { aliases: attribution.aliases } : {}),
    });
    const reconciler = reconcilerContainerDefinition({
      image: image.imageUri,
      proxyContainerName: CONTAINER_NAME,
      proxyPort: CONTAINER_PORTS.proxy,
      declaredJson: this.agentKeys.declaredJson,
      masterKeyArn: database.secrets.masterKeyArn,
      agentKeys: this.agentKeys.keys.map((k) => ({ envName: k.envName, secretArn: k.secret.arn })),
      logGroupName: logGroup.name,
      region: config.region,
    });

    const migration = migrationContainerDefinition({
      image: image.imageUri,
      gateway: g,
      region: config.region,
      secrets: database.secrets,
      logGroupName: logGroup.name,
      configSha256: catalogue.sha256,
    });
    // --- IAM: the ECS agent's role (pull, logs, secrets) and LiteLLM's role (Bedrock, ECS Exec) are distinct. ---
    const roles = createGatewayTaskRoles(this, {
      executionRoleName: name('gateway-execution', NAME_LIMITS.iamRole),
      taskRoleName: name('gateway-task', NAME_LIMITS.iamRole),
      region: config.region,
      accountId: account,
      partition,
      dnsSuffix,
      pullRepositoryArns: image.pullRepositoryArns,
      logGroupArn: logGroup.arn,
      secrets: database.secrets,
      agentKeySecretArns: this.agentKeys.keys.map((k) => k.secret.arn),
      catalogue,
      marketplaceSubscribe: g.bedrockMarketplaceSubscribe,
      ...(attribution ? { agentProfiles: attribution.profiles.map((p) => ({ profileArn: p.profile.arn, model: p.model })) } : {}),
      ...(guardrail ? { guardrailArn: guardrail.arn } : {}),
      ...(g.ecsExec.enabled ? { ecsExec: execLogGroup ? { sessionLogGroupArn: execLogGroup.arn } : {} } : {}),
    });
    this.executionRole = roles.executionRole;
    this.taskRole = roles.taskRole;
    if (cache) grantRedisConnect(this, { cache, taskRoleId: this.taskRole.id });

    // --- ECS ---
    this.cluster = new EcsCluster(this, 'cluster', {
      name: name('llm-gateway', NAME_LIMITS.ecsCluster),
      setting: [{ name: 'containerInsights', value: g.containerInsights ? 'enabled' : 'disabled' }],
      // Explicit, so session output never takes AWS's DEFAULT path: the container's awslogs group, which is the
      // metric-filtered gateway log group.
      configuration: {
        executeCommandConfiguration: execLogGroup
          ? { logging: 'OVERRIDE', logConfiguration: { cloudWatchLogGroupName: execLogGroup.name, cloudWatchEncryptionEnabled: false } }
          : { logging: 'NONE' },
      },
    });
    const spot = spotPlacement(this, this.cluster, g.capacity);
    this.taskDefinition = new EcsTaskDefinition(this, 'task-definition', {
      family: name('llm-gateway'),
      cpu: String(g.cpu),
      memory: String(g.memoryMiB),
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      runtimePlatform: {
        cpuArchitecture: g.image.platform === 'linux/arm64' ? 'ARM64' : 'X86_64',
        operatingSystemFamily: 'LINUX',
      },
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole.arn,
      containerDefinitions: JSON.stringify([migration, container, reconciler]),
      // The task definition references the agents' secrets by ARN only. A rotated key (keyVersion) changes this
      // revision and writes the secret in the same apply: without this edge a task of the new revision could start
      // and register the old value before the new one is written; agents reading the new value would get 401 until
      // another task starts.
      dependsOn: this.agentKeys.keys.map((k) => k.value),
    });

    const lb = createGatewayLoadBalancer(this, {
      albName: name('alb', NAME_LIMITS.elb),
      targetGroupName: name('tg', NAME_LIMITS.elb),
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      securityGroupId: network.albSecurityGroupId,
      idleTimeoutSeconds: g.albIdleTimeoutSeconds,
      deregistrationDelaySeconds: g.deregistrationDelaySeconds,
      https: g.certificateArn === undefined ? undefined : { certificateArn: g.certificateArn, sslPolicy: g.sslPolicy },
      deletionProtection: g.albDeletionProtection,
      dns: g.dns,
    });

    // Moving between launch type and capacity provider strategy replaces the service: launch_type is ForceNew, and the
    // provider forces a new service whenever capacity_provider_strategy goes from none to some or back
    // (force_new_deployment only spares changes between two strategies; AWS provider 5.x aws_ecs_service). Not
    // create_before_destroy: Terraform would force it on everything the service depends on (listeners, the ALB, the
    // roles), and the ALB's fixed name would then make any ALB replacement fail ("already exists"). Prod is told at
    // synth, and docs/gateway-runtime.md#replacements gives the sequence.
    // Several LiteLLM processes with budgets or limits and no Redis: say what that costs (modules/capacity).
    const shared = sharedStateOf({ gateway: g, agents: config.agents, catalogue });
    if (shared.warning !== undefined) Annotations.of(this).addWarning(shared.warning);
    if (config.baseEnvironment === 'prod' && g.capacity.mode === 'spot') {
      Annotations.of(this).addWarning(
        `gateway.capacity.mode is "spot" in ${config.environment}${config.environment === 'prod' ? '' : ' (based on prod)'} (default "on-demand"): switching` +
          ' a deployed service between "on-demand" and "spot" ' +
          'replaces the ECS service (the AWS provider forces a new aws_ecs_service: the old one is drained and deleted, then the new one ' +
          'starts), so the gateway answers 503 meanwhile. Follow docs/gateway-runtime.md#replacements.',
      );
    }
    this.service = new EcsService(this, 'service', {
      name: name('llm-gateway'),
      cluster: this.cluster.arn,
      taskDefinition: this.taskDefinition.arn,
      // A service with a capacity provider strategy must not set a launch type (ECS CreateService). The AWS provider
      // 5.x replaces the service on a strategy change unless force_new_deployment is set; with it a new weight is a
      // rolling deployment.
      ...(spot ? { capacityProviderStrategy: spot.strategy, forceNewDeployment: true } : { launchType: 'FARGATE' }),
      desiredCount: g.desiredCount,
      networkConfiguration: {
        subnets: [...network.privateSubnetIds],
        securityGroups: [network.ecsSecurityGroupId],
        assignPublicIp: false,
      },
      loadBalancer: [{ targetGroupArn: lb.targetGroup.arn, containerName: CONTAINER_NAME, containerPort: CONTAINER_PORTS.proxy }],
      // New tasks must be healthy before old ones stop; a start that never gets healthy rolls back by itself.
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: DEPLOYMENT_MAXIMUM_PERCENT,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriodSeconds: g.healthCheckGracePeriodSeconds,
      enableExecuteCommand: g.ecsExec.enabled,
      enableEcsManagedTags: true,
      propagateTags: 'SERVICE',
      // Auto-scaling owns the running count after creation; without this every apply would reset it to desiredCount.
      lifecycle: { ignoreChanges: ['desired_count'] },
      // ECS refuses a target group that no listener attaches to a load balancer yet. The roles' inline policies:
      // the task definition only references the roles, so without this the first tasks can start before their
      // permissions exist (or have propagated), fail to pull or read secrets, and trip the circuit breaker.
      dependsOn: [...lb.listeners, roles.executionPolicy, roles.taskPolicy, ...(spot ? [spot.providers] : [])],
    });

    createGatewayAutoScaling(this, {
      clusterName: this.cluster.name,
      serviceName: this.service.name,
      albResourceLabel: `${lb.alb.arnSuffix}/${lb.targetGroup.arnSuffix}`,
      cpuPolicyName: name('gateway-cpu'),
      requestPolicyName: name('gateway-requests'),
      stopActionName: name('gateway-stop'),
      startActionName: name('gateway-start'),
      scaling: g,
    });
    for (const warning of scheduleWarnings(config, config.database.minCapacity)) Annotations.of(this).addWarning(warning);

    this.outputs = {
      logGroupName: logGroup.name,
      clusterName: this.cluster.name,
      serviceName: this.service.name,
      albArnSuffix: lb.alb.arnSuffix,
      targetGroupArnSuffix: lb.targetGroup.arnSuffix,
      serviceUrl: lb.serviceUrl,
      albArn: lb.alb.arn,
      albDnsName: lb.alb.dnsName,
      taskRoleName: this.taskRole.name,
      taskRoleArn: this.taskRole.arn,
      ...(guardrail ? { guardrail: { arn: guardrail.arn, version: guardrail.versionNumber } } : {}),
    };
    new TerraformOutput(this, 'service_url', { value: lb.serviceUrl, description: 'OPENAI_BASE_URL for the agents (resolvable inside the VPC)' });
    new TerraformOutput(this, 'alb_dns_name', { value: lb.alb.dnsName, description: 'DNS name of the internal ALB' });
    new TerraformOutput(this, 'ecr_repository_url', { value: image.repository.repositoryUrl, description: 'ECR repository of the gateway image' });
    new TerraformOutput(this, 'agent_key_secret_arns', {
      value: Object.fromEntries(this.agentKeys.keys.map((k) => [k.name, k.secret.arn])),
      description: "Per agent: the Secrets Manager secret holding its LiteLLM key (the agent's OPENAI_API_KEY)",
    });
    new TerraformOutput(this, 'agent_key_policy_arns', {
      value: Object.fromEntries(this.agentKeys.keys.map((k) => [k.name, k.readPolicy.arn])),
      description: "Per agent: the managed policy to attach to that agent's role; it reads that agent's secret only",
    });
    new TerraformOutput(this, 'log_group_name', { value: logGroup.name, description: 'CloudWatch log group of the LiteLLM containers' });
    if (guardrail) {
      new TerraformOutput(this, 'guardrail_arn', { value: guardrail.arn, description: 'Bedrock guardrail LiteLLM applies (bedrock-guardrail)' });
      new TerraformOutput(this, 'guardrail_version', { value: guardrail.versionNumber, description: 'Pinned guardrail version the tasks apply' });
    }
  }
}

/**
 * What an off-hours schedule costs in function, said at every synth: on a prod-based environment the gateway is down
 * by design outside its hours (a warning rather than a refusal: a prod-based staging that sleeps at night is the use
 * case, and the schedule is off unless set); with a database floor above 0 the database keeps billing at night.
 */
export function scheduleWarnings(config: Pick<StackConfig, 'environment' | 'baseEnvironment'> & { readonly gateway: Pick<GatewayConfig, 'schedule'> }, databaseMinCapacity: number): string[] {
  const s = config.gateway.schedule;
  if (!s.enabled) return [];
  const warnings: string[] = [];
  const hours = describeSchedule(s);
  if (config.baseEnvironment === 'prod') {
    warnings.push(
      `gateway.schedule is on in ${config.environment}${config.environment === 'prod' ? '' : ' (based on prod)'}: the gateway runs only ${hours} and ` +
        'answers 503 to every agent outside those hours, and the task alarms do not page then. Off-hours are meant for ' +
        'non-production environments (docs/off-hours.md); turn gateway.schedule.enabled off for a production gateway.',
    );
  }
  if (databaseMinCapacity > 0) {
    warnings.push(
      `gateway.schedule is on but database.minCapacity is ${databaseMinCapacity}: Aurora keeps at least ${databaseMinCapacity} ACU ` +
        'billed outside the active hours. Set database.minCapacity to 0 so that it pauses once the tasks are gone (docs/off-hours.md).',
    );
  }
  return warnings;
}

/**
 * With `gateway.capacity.mode = "spot"`: the cluster gets the FARGATE and FARGATE_SPOT providers and the service a
 * strategy over both (FARGATE carries the base and its weight, so moving tasks to on-demand is a weight change, not
 * a replacement). The service depends on the association: ECS refuses a strategy naming a provider the cluster lacks.
 */
function spotPlacement(
  scope: Construct,
  cluster: EcsCluster,
  capacity: GatewayConfig['capacity'],
): { providers: EcsClusterCapacityProviders; strategy: EcsServiceCapacityProviderStrategy[] } | undefined {
  if (capacity.mode !== 'spot') return undefined;
  const strategy: EcsServiceCapacityProviderStrategy[] = [
    { capacityProvider: 'FARGATE', base: capacity.onDemandBase, weight: capacity.onDemandWeight },
    { capacityProvider: 'FARGATE_SPOT', base: 0, weight: capacity.spotWeight },
  ];
  const providers = new EcsClusterCapacityProviders(scope, 'capacity-providers', {
    clusterName: cluster.name,
    capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
    defaultCapacityProviderStrategy: strategy,
  });
  return { providers, strategy };
}
