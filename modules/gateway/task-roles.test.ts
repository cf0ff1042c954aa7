import { GatewayTaskRolesProps, createGatewayTaskRoles } from './task-roles';
import { TWO_MODELS } from '../../test/catalogues';
import { synthScope, type Json } from '../../test/helpers';

const secret = (name: string) => `arn:aws:secretsmanager:us-east-1:111122223333:secret:${name}-AbCdEf`;
const BASE: GatewayTaskRolesProps = {
  executionRoleName: 'app-dev-gateway-execution',
  taskRoleName: 'app-dev-gateway-task',
  region: 'us-east-1',
  accountId: '111122223333',
  partition: 'aws',
  dnsSuffix: 'amazonaws.com',
  pullRepositoryArns: ['arn:aws:ecr:us-east-1:111122223333:repository/gw'],
  logGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:/gw',
  secrets: { masterKeyArn: secret('master'), saltKeyArn: secret('salt'), databaseUrlArn: secret('db'), uiCredentialsArn: secret('ui') },
  agentKeySecretArns: [secret('agent-a')],
  catalogue: TWO_MODELS,
  marketplaceSubscribe: false,
};

function synth(props: Partial<GatewayTaskRolesProps> = {}): Json {
  return synthScope((scope) => createGatewayTaskRoles(scope, { ...BASE, ...props })).json;
}
const sids = (json: Json, id: string): string[] => json.data.aws_iam_policy_document[id].statement.map((s: Json) => s.sid);

describe('the gateway task roles', () => {
  test('two roles, each with one inline policy, at the addresses they had in the stack', () => {
    const json = synth();
    expect(Object.keys(json.resource.aws_iam_role)).toEqual(['execution-role', 'task-role']);
    expect(Object.keys(json.resource.aws_iam_role_policy)).toEqual(['execution-policy', 'task-policy']);
    expect(Object.keys(json.data.aws_iam_policy_document).sort()).toEqual(['execution-policy-document', 'execution-trust', 'task-policy-document', 'task-trust']);
    expect(json.resource.aws_iam_role['task-role'].name).toBe('app-dev-gateway-task');
  });

  test('execution: ECR pull only with ECR repositories; logs, the four secrets, the agents\' keys; KMS only with a key', () => {
    expect(sids(synth(), 'execution-policy-document')).toEqual(['EcrLogin', 'PullGatewayImage', 'WriteContainerLogs', 'ReadGatewaySecrets', 'ReadAgentKeys']);
    const prebuilt = synth({ pullRepositoryArns: [], secrets: { ...BASE.secrets, kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/k' } });
    expect(sids(prebuilt, 'execution-policy-document')).toEqual(['WriteContainerLogs', 'ReadGatewaySecrets', 'ReadAgentKeys', 'DecryptGatewaySecrets']);
    const agents = synth().data.aws_iam_policy_document['execution-policy-document'].statement.find((s: Json) => s.sid === 'ReadAgentKeys');
    expect(agents.resources).toEqual([secret('agent-a')]);
  });

  test('task: Bedrock always; Marketplace, the guardrail and ECS Exec (with session logs) only when asked', () => {
    expect(synth().resource.aws_iam_role_policy['task-policy'].name).toBe('invoke-bedrock');
    const all = synth({
      marketplaceSubscribe: true,
      guardrailArn: 'arn:aws:bedrock:us-east-1:111122223333:guardrail/g',
      ecsExec: { sessionLogGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:/gw/ecs-exec' },
    });
    expect(sids(all, 'task-policy-document')).toEqual(expect.arrayContaining(['ApplyGatewayGuardrail', 'EcsExec', 'EcsExecFindLogGroup', 'EcsExecWriteSessionLogs']));
    expect(all.resource.aws_iam_role_policy['task-policy'].name).toBe('invoke-bedrock-ecs-exec');
    expect(sids(synth({ ecsExec: {} }), 'task-policy-document')).not.toContain('EcsExecWriteSessionLogs');
  });

  test('only ECS in this account may assume the task role', () => {
    const trust = synth().data.aws_iam_policy_document['task-trust'].statement[0];
    expect(trust.condition).toEqual([
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111122223333'] },
      { test: 'ArnLike', variable: 'aws:SourceArn', values: ['arn:aws:ecs:us-east-1:111122223333:*'] },
    ]);
  });
});
