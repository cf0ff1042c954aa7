import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { ecsNotPrivileged } from './ecs-not-privileged';

const task = (containers: readonly object[]) =>
  tfElement('aws_ecs_task_definition.gw', { container_definitions: JSON.stringify(containers) });

describe('ecs-not-privileged', () => {
  test('unprivileged containers are compliant', () => {
    expect(evaluateIn(ecsNotPrivileged, task([{ name: 'litellm' }, { name: 'sidecar', privileged: false }]))).toEqual(COMPLIANT);
  });

  test('a privileged container is non-compliant', () => {
    expect(findingsOf(evaluateIn(ecsNotPrivileged, task([{ name: 'litellm' }, { name: 'debug', privileged: true }])))).toEqual([
      'container "debug" is privileged',
    ]);
  });
});
