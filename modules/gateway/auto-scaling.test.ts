import { GatewayAutoScalingProps, createGatewayAutoScaling } from './auto-scaling';
import { synthScope, type Json } from '../../test/helpers';

const BASE: GatewayAutoScalingProps = {
  clusterName: 'app-dev-llm-gateway',
  serviceName: 'app-dev-llm-gateway',
  albResourceLabel: 'app/alb/1/targetgroup/tg/2',
  cpuPolicyName: 'app-dev-gateway-cpu',
  requestPolicyName: 'app-dev-gateway-requests',
  scaling: { minTasks: 1, maxTasks: 4, cpuTargetPercent: 60, requestsPerTargetTarget: 50, scaleOutCooldownSeconds: 60, scaleInCooldownSeconds: 300 },
};

function policies(props: Partial<GatewayAutoScalingProps> = {}): Json {
  return synthScope((scope) => createGatewayAutoScaling(scope, { ...BASE, ...props })).json.resource;
}

describe('gateway auto scaling', () => {
  test('GIVEN min and max tasks THEN one scalable target on the service desired count', () => {
    expect(policies().aws_appautoscaling_target['scaling-target']).toMatchObject({
      service_namespace: 'ecs',
      scalable_dimension: 'ecs:service:DesiredCount',
      resource_id: 'service/app-dev-llm-gateway/app-dev-llm-gateway',
      min_capacity: 1,
      max_capacity: 4,
    });
  });

  test('target tracking on CPU and on ALB requests per target, with the cooldowns', () => {
    const p = policies().aws_appautoscaling_policy;
    expect(Object.keys(p)).toEqual(['cpu-scaling', 'request-scaling']);
    expect(p['cpu-scaling'].target_tracking_scaling_policy_configuration).toEqual({
      predefined_metric_specification: { predefined_metric_type: 'ECSServiceAverageCPUUtilization' },
      target_value: 60,
      scale_out_cooldown: 60,
      scale_in_cooldown: 300,
    });
    expect(p['request-scaling']).toMatchObject({
      name: 'app-dev-gateway-requests',
      target_tracking_scaling_policy_configuration: {
        predefined_metric_specification: { predefined_metric_type: 'ALBRequestCountPerTarget', resource_label: 'app/alb/1/targetgroup/tg/2' },
        target_value: 50,
      },
    });
  });

  test('requestsPerTargetTarget 0: CPU only', () => {
    expect(Object.keys(policies({ scaling: { ...BASE.scaling, requestsPerTargetTarget: 0 } }).aws_appautoscaling_policy)).toEqual(['cpu-scaling']);
  });

  describe('GIVEN gateway.schedule', () => {
    const schedule = { enabled: true, timezone: 'Europe/Paris', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'] as const, start: '08:00', stop: '19:30' };
    const scheduled = (enabled = true) =>
      policies({ stopActionName: 'app-dev-gateway-stop', startActionName: 'app-dev-gateway-start', scaling: { ...BASE.scaling, minTasks: 2, schedule: { ...schedule, enabled } } });

    test('WHEN enabled THEN a stop action at min = max = 0 and a start action back to minTasks..maxTasks, in the zone', () => {
      const actions = scheduled().aws_appautoscaling_scheduled_action;
      expect(Object.keys(actions).sort()).toEqual(['schedule-start', 'schedule-stop']);
      const target = '${aws_appautoscaling_target.scaling-target.resource_id}';
      expect(actions['schedule-stop']).toEqual({
        name: 'app-dev-gateway-stop',
        service_namespace: '${aws_appautoscaling_target.scaling-target.service_namespace}',
        scalable_dimension: '${aws_appautoscaling_target.scaling-target.scalable_dimension}',
        resource_id: target,
        schedule: 'cron(30 19 ? * MON,TUE,WED,THU,FRI *)',
        timezone: 'Europe/Paris',
        scalable_target_action: { min_capacity: '0', max_capacity: '0' },
      });
      expect(actions['schedule-start']).toMatchObject({
        name: 'app-dev-gateway-start',
        resource_id: target,
        schedule: 'cron(0 8 ? * MON,TUE,WED,THU,FRI *)',
        timezone: 'Europe/Paris',
        scalable_target_action: { min_capacity: '2', max_capacity: '4' },
        depends_on: ['aws_appautoscaling_scheduled_action.schedule-stop'],
      });
    });

    test('WHEN enabled THEN the target ignores its min and max (the actions rewrite them; a night-time plan must not scale out)', () => {
      expect(scheduled().aws_appautoscaling_target['scaling-target'].lifecycle).toEqual({ ignore_changes: ['min_capacity', 'max_capacity'] });
    });

    test('WHEN disabled THEN no action and the target as before', () => {
      const resources = scheduled(false);
      expect(resources.aws_appautoscaling_scheduled_action).toBeUndefined();
      expect(resources.aws_appautoscaling_target['scaling-target'].lifecycle).toBeUndefined();
    });
  });
});
