/**
 * What an off-hours schedule must save to bring an environment to a monthly target: the lines that stop when the
 * service is at zero tasks and Aurora (minimum 0 ACU) has paused are the Fargate tasks and the Aurora instances'
 * ACU-hours; everything else (NAT gateway, ALB, addresses, secrets, metrics, alarms) bills every hour. Used to say
 * how many active hours a month a schedule may keep (docs/cost.md, "A lean dev").
 */
import type { EnvironmentEstimate } from './estimate';

export interface ActiveHours {
  /** USD per active hour of the lines a schedule stops. */
  readonly scheduledPerHour: number;
  /** USD a month of everything else, traffic included. */
  readonly alwaysOn: number;
  /** Active hours a month at or below which the estimate is within the target (0 when even none is enough). */
  readonly hours: number;
}

export function activeHoursFor(e: EnvironmentEstimate, targetUsd: number): ActiveHours {
  const scheduled = e.lines.filter((l) => l.address.startsWith('aws_ecs_service.') || (l.address.startsWith('aws_rds_cluster_instance.') && l.item === 'ACU-hours'));
  const scheduledUsd = scheduled.reduce((s, l) => s + l.monthlyUsd, 0);
  const scheduledPerHour = scheduledUsd / e.assumptions.hoursPerMonth;
  const alwaysOn = e.total - scheduledUsd;
  const hours = scheduledPerHour > 0 ? Math.min(e.assumptions.hoursPerMonth, Math.max(0, (targetUsd - alwaysOn) / scheduledPerHour)) : 0;
  return { scheduledPerHour, alwaysOn, hours };
}
