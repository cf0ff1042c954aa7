/**
 * Target tracking for the gateway service's task count: on CPU always, and on ALB requests per target when
 * `gateway.requestsPerTargetTarget` is above 0. Resources are created on the caller's scope: `scaling-target`,
 * `cpu-scaling`, `request-scaling` (test/addresses.json); with `gateway.schedule`, `schedule-stop` and
 * `schedule-start` (docs/off-hours.md).
 */
import { Construct } from 'constructs';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingScheduledAction } from '@cdktf/provider-aws/lib/appautoscaling-scheduled-action';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import type { GatewayConfig } from '../../config';
import { scheduleCron } from '../../config/schedule';

export interface GatewayAutoScalingProps {
  readonly clusterName: string;
  readonly serviceName: string;
  /** `<alb arn suffix>/<target group arn suffix>`, the resource label of ALBRequestCountPerTarget. */
  readonly albResourceLabel: string;
  /** Names of the two policies. */
  readonly cpuPolicyName: string;
  readonly requestPolicyName: string;
  /** Names of the two scheduled actions (only with `scaling.schedule.enabled`). */
  readonly stopActionName?: string;
  readonly startActionName?: string;
  readonly scaling: Pick<
    GatewayConfig,
    'minTasks' | 'maxTasks' | 'cpuTargetPercent' | 'requestsPerTargetTarget' | 'scaleOutCooldownSeconds' | 'scaleInCooldownSeconds'
  > & { readonly schedule?: GatewayConfig['schedule'] };
}

export interface GatewayAutoScaling {
  readonly target: AppautoscalingTarget;
  readonly policies: readonly AppautoscalingPolicy[];
  /** `stop` (min = max = 0) and `start` (back to minTasks..maxTasks), with `gateway.schedule.enabled`. */
  readonly scheduledActions?: { readonly stop: AppautoscalingScheduledAction; readonly start: AppautoscalingScheduledAction };
}

export function createGatewayAutoScaling(scope: Construct, props: GatewayAutoScalingProps): GatewayAutoScaling {
  const s = props.scaling;
  const target = new AppautoscalingTarget(scope, 'scaling-target', {
    serviceNamespace: 'ecs',
    scalableDimension: 'ecs:service:DesiredCount',
    resourceId: `service/${props.clusterName}/${props.serviceName}`,
    minCapacity: s.minTasks,
    maxCapacity: s.maxTasks,
    // A scheduled action rewrites the target's own minimum and maximum (PutScheduledAction: "sets the minimum and
    // maximum capacity"), so a plan during off-hours would see 0/0 and put the fleet back up at night: the start
    // action carries minTasks/maxTasks instead, and a change to them reaches the service at the next start.
    ...(s.schedule?.enabled ? { lifecycle: { ignoreChanges: ['min_capacity', 'max_capacity'] } } : {}),
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
  const schedule = s.schedule?.enabled ? s.schedule : undefined;
  if (!schedule) return { target, policies };
  // Application Auto Scaling scheduled scaling: at `stop` min = max = 0 scales the service in to 0 tasks, at `start`
  // the configured range scales it back out to minTasks (https://docs.aws.amazon.com/autoscaling/application/userguide/
  // application-auto-scaling-scheduled-scaling.html). The time zone makes the cron local, daylight saving included.
  const action = (id: string, name: string | undefined, hhmm: string, min: number, max: number, after?: AppautoscalingScheduledAction) =>
    new AppautoscalingScheduledAction(scope, id, {
      name: name ?? id,
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      schedule: scheduleCron(hhmm, schedule.days),
      timezone: schedule.timezone,
      scalableTargetAction: { minCapacity: String(min), maxCapacity: String(max) },
      // One after the other: both change the same scalable target, and Application Auto Scaling refuses concurrent
      // changes to one target (ConcurrentUpdateException, PutScheduledAction errors).
      ...(after ? { dependsOn: [after] } : {}),
    });
  const stop = action('schedule-stop', props.stopActionName, schedule.stop, 0, 0);
  const start = action('schedule-start', props.startActionName, schedule.start, s.minTasks, s.maxTasks, stop);
  return { target, policies, scheduledActions: { stop, start } };
}
