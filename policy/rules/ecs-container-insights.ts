import { asString, blocks } from '../terraform';
import { COMPLIANT, NOT_APPLICABLE, isProduction, nonCompliant, type PolicyContext, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** `enhanced` (Container Insights with enhanced observability, 2024) includes everything `enabled` gives. */
export const CONTAINER_INSIGHTS_ON: readonly string[] = ['enabled', 'enhanced'];

/**
 * Task-level CPU, memory and restart metrics come only from Container Insights; alarms on the service need them.
 * Production only: outside it, Container Insights is a cost lever (gateway.containerInsights, docs/cost.md) and the
 * observability stack's running-tasks alarm falls back to the ALB's healthy targets, so nothing goes unwatched.
 */
export function evaluateEcsContainerInsights(element: TfElement, context: Pick<PolicyContext, 'environment' | 'baseEnvironment'>): RuleResult {
  if (!isProduction(context)) return NOT_APPLICABLE;
  const setting = blocks(element.attributes['setting']).find((item) => item['name'] === 'containerInsights');
  const value = asString(setting?.['value']);
  return value !== undefined && CONTAINER_INSIGHTS_ON.includes(value)
    ? COMPLIANT
    : nonCompliant(`containerInsights is ${value === undefined ? 'not set' : JSON.stringify(value)}`);
}

export const ecsContainerInsights: PolicyRule = {
  id: 'ecs-container-insights',
  title: 'Production ECS clusters have Container Insights on',
  appliesTo: ['aws_ecs_cluster'],
  fix: 'Add setting: [{ name: "containerInsights", value: "enabled" }] (or "enhanced") to the EcsCluster.',
  evaluate: evaluateEcsContainerInsights,
};
