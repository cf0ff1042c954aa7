import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT, NOT_APPLICABLE } from '../types';
import { ecsContainerInsights } from './ecs-container-insights';

describe('ecs-container-insights', () => {
  test.each(['enabled', 'enhanced'])('containerInsights %s is compliant in prod', (value) => {
    const cluster = tfElement('aws_ecs_cluster.c', { setting: [{ name: 'containerInsights', value }] });
    expect(evaluateIn(ecsContainerInsights, cluster, [], 'prod')).toEqual(COMPLIANT);
  });

  test.each([
    [{}, 'containerInsights is not set'],
    [{ setting: [{ name: 'containerInsights', value: 'disabled' }] }, 'containerInsights is "disabled"'],
  ])('%j is non-compliant in prod', (attributes, finding) => {
    expect(findingsOf(evaluateIn(ecsContainerInsights, tfElement('aws_ecs_cluster.c', attributes), [], 'prod'))).toEqual([finding]);
  });

  test('not applicable outside production, where it is a cost lever (the running-tasks alarm uses the ALB instead)', () => {
    const cluster = tfElement('aws_ecs_cluster.c', { setting: [{ name: 'containerInsights', value: 'disabled' }] });
    expect(evaluateIn(ecsContainerInsights, cluster, [], 'dev')).toEqual(NOT_APPLICABLE);
  });
});
