import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { ecsContainerInsights } from './ecs-container-insights';

describe('ecs-container-insights', () => {
  test.each(['enabled', 'enhanced'])('containerInsights %s is compliant', (value) => {
    const cluster = tfElement('aws_ecs_cluster.c', { setting: [{ name: 'containerInsights', value }] });
    expect(evaluateIn(ecsContainerInsights, cluster)).toEqual(COMPLIANT);
  });

  test.each([
    [{}, 'containerInsights is not set'],
    [{ setting: [{ name: 'containerInsights', value: 'disabled' }] }, 'containerInsights is "disabled"'],
  ])('%j is non-compliant', (attributes, finding) => {
    expect(findingsOf(evaluateIn(ecsContainerInsights, tfElement('aws_ecs_cluster.c', attributes)))).toEqual([finding]);
  });
});
