/**
 * Target tracking for the gateway service's task count: on CPU always, and on ALB requests per target when
 * `gateway.requestsPerTargetTarget` is above 0. Resources are created on the caller's scope: `scaling-target`,
 * `cpu-scaling`, `request-scaling` (test/addresses.json).
 */
import { Construct } from 'constructs';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import type { GatewayConfig } from '../../config';

export interface GatewayAutoScalingProps {
  readonly clusterName: string;
  readonly serviceName: string;
  /** `<alb arn suffix>/<target group arn suffix>`, the resource label of ALBRequestCountPerTarget. */
  readonly albResourceLabel: string;
  /** Names of the two policies. */
  readonly cpuPolicyName: string;
  readonly requestPolicyName: string;
  readonly scaling: Pick<
    GatewayConfig,
    'minTasks' | 'maxTasks' | 'cpuTargetPercent' | 'requestsPerTargetTarget' | 'scaleOutCooldownSeconds' | 'scaleInCooldownSeconds'
  >;
}

export interface GatewayAutoScaling {
  readonly target: AppautoscalingTarget;
  readonly policies: readonly AppautoscalingPolicy[];
}

export function createGatewayAutoScaling(scope: Construct, props: GatewayAutoScalingProps): GatewayAutoScaling {
  const s = props.scaling;
  const target = new AppautoscalingTarget(scope, 'scaling-target', {
    serviceNamespace: 'ecs',
    scalableDimension: 'ecs:service:DesiredCount',
    resourceId: `service/${props.clusterName}/${props.serviceName}`,
    minCapacity: s.minTasks,
    maxCapacity: s.maxTasks,
  });
  const policy = (id: string, policyName: string, predefined: { predefinedMetricType: string; resourceLabel?: string }, targetValue: number) =>
    new AppautoscalingPolicy(scope, id, {
      name: policyName,
      policyType: 'TargetTrackingScaling',
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        predefinedMetricSpecification: predefined,
        targetValue,
        scaleOutCooldown: s.scaleOutCooldownSeconds,
        scaleInCooldown: s.scaleInCooldownSeconds,
      },
    });
  const policies = [policy('cpu-scaling', props.cpuPolicyName, { predefinedMetricType: 'ECSServiceAverageCPUUtilization' }, s.cpuTargetPercent)];
  if (s.requestsPerTargetTarget > 0) {
    // LiteLLM waits on Bedrock most of the time: CPU stays low while requests queue, so scale on requests too.
    policies.push(
      policy('request-scaling', props.requestPolicyName, { predefinedMetricType: 'ALBRequestCountPerTarget', resourceLabel: props.albResourceLabel }, s.requestsPerTargetTarget),
    );
  }
  return { target, policies };
}
