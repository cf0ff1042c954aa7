import { readContainerDefinitions } from '../ecs';
import { isTrue } from '../terraform';
import { nonCompliant, verdict, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** A privileged container is root on the host. Fargate rejects it anyway; the rule keeps EC2 capacity honest too. */
export function evaluateEcsNotPrivileged(element: TfElement): RuleResult {
  const definitions = readContainerDefinitions(element.attributes['container_definitions']);
  if (!definitions.ok) {
    return nonCompliant(definitions.reason);
  }
  return verdict(
    definitions.containers
      .filter((container) => isTrue(container.definition['privileged']))
      .map((container) => `container ${JSON.stringify(container.name)} is privileged`),
  );
}

export const ecsNotPrivileged: PolicyRule = {
  id: 'ecs-not-privileged',
  title: 'Containers are not privileged',
  appliesTo: ['aws_ecs_task_definition'],
  fix: 'Remove "privileged": true from the container definition; add only the Linux capabilities the process needs.',
  evaluate: evaluateEcsNotPrivileged,
};
