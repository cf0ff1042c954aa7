import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { ecsDistinctRoles } from './ecs-distinct-roles';

describe('ecs-distinct-roles', () => {
  test('separate execution and task roles are compliant', () => {
    const task = tfElement('aws_ecs_task_definition.gw', {
      execution_role_arn: '${aws_iam_role.execution.arn}',
      task_role_arn: '${aws_iam_role.task.arn}',
    });
    expect(evaluateIn(ecsDistinctRoles, task)).toEqual(COMPLIANT);
  });

  test.each([
    ['the same reference', '${aws_iam_role.shared.arn}', '${aws_iam_role.shared.arn}'],
    ['two attributes of one role', '${aws_iam_role.shared.arn}', '${aws_iam_role.shared.id}'],
    ['the same literal ARN', 'arn:aws:iam::123456789012:role/r', 'arn:aws:iam::123456789012:role/r'],
  ])('%s for both is non-compliant', (_, execution, taskRole) => {
    const task = tfElement('aws_ecs_task_definition.gw', { execution_role_arn: execution, task_role_arn: taskRole });
    expect(findingsOf(evaluateIn(ecsDistinctRoles, task))).toEqual([expect.stringMatching(/are the same role/)]);
  });

  test('a missing task role is non-compliant', () => {
    const task = tfElement('aws_ecs_task_definition.gw', { execution_role_arn: '${aws_iam_role.execution.arn}' });
    expect(findingsOf(evaluateIn(ecsDistinctRoles, task))).toEqual(['task_role_arn is not set']);
  });
});
