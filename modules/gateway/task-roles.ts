/**
 * The two IAM roles of the gateway's tasks, kept distinct: the ECS agent's execution role (pull the image, write
 * the logs, read the secrets) and LiteLLM's task role (Bedrock on the catalogue's models, ECS Exec). Each role has
 * one inline policy. Resources are created on the caller's scope, so their addresses are `aws_iam_role.execution-role`,
 * `aws_iam_role_policy.task-policy`, ... (test/addresses.json).
 */
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { GatewaySecretArns } from '../contracts';
import type { ModelCatalogue } from '../model-catalogue';
import { bedrockInvokeStatements, marketplaceSubscribeStatements } from './bedrock-access';
import { attributionInvokeStatements } from './cost-attribution';
import { applyGuardrailStatement } from './guardrail';
import { createServiceRole } from '../service-role';

/** ECS Exec's channel to the SSM agent in the container; these actions have no resource type, so `*` only. */
const ECS_EXEC_ACTIONS = ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'];
const ECR_PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'];

export interface GatewayTaskRolesProps {
  /** Physical names of the roles, `<app>-<env>-gateway-execution` and `<app>-<env>-gateway-task`. */
  readonly executionRoleName: string;
  readonly taskRoleName: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  /** The partition's DNS suffix, for the `kms:ViaService` condition. */
  readonly dnsSuffix: string;
  /** ECR repositories the image is pulled from; none for an image outside ECR. */
  readonly pullRepositoryArns: readonly string[];
  /** The gateway log group the containers write to. */
  readonly logGroupArn: string;
  /** The four secrets the containers read at start, and their customer-managed key if any. */
  readonly secrets: GatewaySecretArns;
  /** The agents' key secrets, read by the key reconciler's container. */
  readonly agentKeySecretArns: readonly string[];
  /** Bedrock access follows the catalogue's models (modules/gateway/bedrock-access.ts). */
  readonly catalogue: ModelCatalogue;
  /** Let Bedrock subscribe the account to the catalogue's Marketplace models on first call. */
  readonly marketplaceSubscribe: boolean;
  /**
   * The agents' application inference profiles (gateway.costAttribution): the role then invokes exactly these and,
   * through them, their foundation models, instead of the catalogue's system profiles
   * (modules/gateway/cost-attribution.ts). @default - the catalogue's models (bedrock-access.ts)
   */
  readonly agentProfiles?: readonly { readonly profileArn: string; readonly model: ModelCatalogue['models'][number] }[];
  /** The guardrail LiteLLM applies. @default - no guardrail permission */
  readonly guardrailArn?: string;
  /** ECS Exec into the tasks, with the ARN of the session log group when sessions are logged. @default - off */
  readonly ecsExec?: { readonly sessionLogGroupArn?: string };
}

export interface GatewayTaskRoles {
  readonly executionRole: IamRole;
  readonly executionPolicy: IamRolePolicy;
  readonly taskRole: IamRole;
  readonly taskPolicy: IamRolePolicy;
}

export function createGatewayTaskRoles(scope: Construct, props: GatewayTaskRolesProps): GatewayTaskRoles {
  const { secrets, accountId: account, partition } = props;
  const executionStatements: DataAwsIamPolicyDocumentStatement[] = [];
  if (props.pullRepositoryArns.length > 0) {
    executionStatements.push(
      // GetAuthorizationToken has no resource type: IAM accepts it only on `*`.
      { sid: 'EcrLogin', effect: 'Allow', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
      { sid: 'PullGatewayImage', effect: 'Allow', actions: ECR_PULL_ACTIONS, resources: [...props.pullRepositoryArns] },
    );
  }
  executionStatements.push(
    // Both actions take the log-stream type only (Service Authorization Reference, CloudWatch Logs): the streams.
    { sid: 'WriteContainerLogs', effect: 'Allow', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${props.logGroupArn}:log-stream:*`] },
    {
      sid: 'ReadGatewaySecrets',
      effect: 'Allow',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [secrets.masterKeyArn, secrets.saltKeyArn, secrets.databaseUrlArn, secrets.uiCredentialsArn],
    },
    // The key reconciler's container reads each agent's key (and the master key above) at task start.
    { sid: 'ReadAgentKeys', effect: 'Allow', actions: ['secretsmanager:GetSecretValue'], resources: [...props.agentKeySecretArns] },
  );
  if (secrets.kmsKeyArn !== undefined) {
    executionStatements.push({
      sid: 'DecryptGatewaySecrets',
      effect: 'Allow',
      actions: ['kms:Decrypt'],
      resources: [secrets.kmsKeyArn],
      // Only for Secrets Manager reading those secrets on the role's behalf.
      condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`secretsmanager.${props.region}.${props.dnsSuffix}`] }],
    });
  }
  const execution = role(scope, 'execution', {
    name: props.executionRoleName,
    description: "ECS agent for the LLM gateway: pull the image, write its logs, read its four secrets and the agents' keys",
    statements: executionStatements,
    policyName: 'pull-image-write-logs-read-secrets',
  });

  // ECS Exec: the SSM agent in the container opens the session channels and, with OVERRIDE logging, writes the
  // session output itself, with the task role (ECS developer guide, "Monitor Amazon ECS containers with ECS Exec",
  // IAM permissions for logging to CloudWatch Logs).
  const exec = props.ecsExec;
  const execStatements: DataAwsIamPolicyDocumentStatement[] = [];
  if (exec) {
    execStatements.push({ sid: 'EcsExec', effect: 'Allow', actions: ECS_EXEC_ACTIONS, resources: ['*'] });
  }
  if (exec?.sessionLogGroupArn !== undefined) {
    const group = exec.sessionLogGroupArn;
    execStatements.push(
      // DescribeLogGroups lists log groups rather than naming one: the ECS Exec docs grant it on `*`.
      { sid: 'EcsExecFindLogGroup', effect: 'Allow', actions: ['logs:DescribeLogGroups'], resources: ['*'] },
      {
        sid: 'EcsExecWriteSessionLogs',
        effect: 'Allow',
        actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        // DescribeLogStreams on the group, the other two on its streams (Service Authorization Reference).
        resources: [group, `${group}:log-stream:*`],
      },
    );
  }
  const task = role(scope, 'task', {
    name: props.taskRoleName,
    description: exec
      ? 'LiteLLM in the LLM gateway: invoke the catalogue Bedrock models, ECS Exec'
      : 'LiteLLM in the LLM gateway: invoke the catalogue Bedrock models',
    statements: [
      ...(props.agentProfiles !== undefined
        ? attributionInvokeStatements(props.agentProfiles, { partition })
        : bedrockInvokeStatements(props.catalogue, { partition, account })),
      ...(props.marketplaceSubscribe ? marketplaceSubscribeStatements(props.catalogue) : []),
      ...(props.guardrailArn !== undefined ? [applyGuardrailStatement(props.guardrailArn)] : []),
      ...execStatements,
    ],
    policyName: exec ? 'invoke-bedrock-ecs-exec' : 'invoke-bedrock',
    // ECS task roles: only ECS in this account may assume it (confused-deputy guard, ECS task IAM role docs).
    trustConditions: [
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: [account] },
      { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${partition}:ecs:${props.region}:${account}:*`] },
    ],
  });
  return { executionRole: execution.role, executionPolicy: execution.policy, taskRole: task.role, taskPolicy: task.policy };
}

/** A role ECS tasks assume, with one inline policy: `<id>-trust`, `<id>-role`, `<id>-policy-document`, `<id>-policy`. */
function role(
  scope: Construct,
  id: 'execution' | 'task',
  props: {
    readonly name: string;
    readonly description: string;
    readonly statements: DataAwsIamPolicyDocumentStatement[];
    readonly policyName: string;
    readonly trustConditions?: { test: string; variable: string; values: string[] }[];
  },
): { role: IamRole; policy: IamRolePolicy } {
  return createServiceRole(scope, {
    ids: { trust: `${id}-trust`, role: `${id}-role`, document: `${id}-policy-document`, policy: `${id}-policy` },
    name: props.name,
    description: props.description,
    trust: [
      {
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['ecs-tasks.amazonaws.com'] }],
        condition: props.trustConditions,
      },
    ],
    statements: props.statements,
    policyName: props.policyName,
  });
}
