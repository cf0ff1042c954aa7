import { isNonEmptyString, sameTarget } from '../terraform';
import { verdict, type PolicyRule, type RuleResult, type TfElement } from '../types';

/**
 * The execution role (pull image, read secrets, write logs) is used by the ECS agent; the task role is what the
 * application code runs as. One role for both gives LiteLLM the power to read every injected secret and pull
 * images, and gives the agent Bedrock access.
 */
export function evaluateEcsDistinctRoles(element: TfElement): RuleResult {
  const execution = element.attributes['execution_role_arn'];
  const task = element.attributes['task_role_arn'];
  const problems: string[] = [];
  if (!isNonEmptyString(execution)) {
    problems.push('execution_role_arn is not set');
  }
  if (!isNonEmptyString(task)) {
    problems.push('task_role_arn is not set');
  }
  if (problems.length === 0 && sameTarget(execution, task)) {
    problems.push(`execution_role_arn and task_role_arn are the same role (${String(task)})`);
  }
  return verdict(problems);
}

export const ecsDistinctRoles: PolicyRule = {
  id: 'ecs-distinct-roles',
  title: 'Task definitions use separate execution and task roles',
  appliesTo: ['aws_ecs_task_definition'],
  fix: 'Create two IamRoles: an execution role (AmazonECSTaskExecutionRolePolicy + GetSecretValue on the injected secrets) and a task role (Bedrock invoke etc.), and set executionRoleArn / taskRoleArn to each.',
  evaluate: evaluateEcsDistinctRoles,
};
