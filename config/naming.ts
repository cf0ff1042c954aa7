/**
 * Physical names of AWS resources: `<app>-<env>-<component>`, cut to a service's length limit with a stable hash
 * suffix so that two long names never collide. The one place names are made.
 */
import { createHash } from 'crypto';

export interface NamingContext {
  readonly appName: string;
  readonly environment: string;
}

export function physicalName(ctx: NamingContext, component: string, maxLength = 64): string {
  const full = [ctx.appName, ctx.environment, component].filter((p) => p.length > 0).join('-');
  if (full.length <= maxLength) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  // Shorten the application name first: the environment and the component are what a reader needs to see.
  const appRoom = maxLength - ctx.environment.length - component.length - hash.length - 3;
  if (appRoom >= 3) return `${ctx.appName.slice(0, appRoom).replace(/-+$/, '')}-${ctx.environment}-${component}-${hash}`;
  return `${full.slice(0, maxLength - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/** Length limits of the services whose names we set, so callers say which limit applies. */
export const NAME_LIMITS = {
  /** Target groups and load balancers. */
  elb: 32,
  iamRole: 64,
  ecsCluster: 255,
  ecr: 256,
  rdsCluster: 63,
  elasticache: 40,
  secret: 512,
  s3Bucket: 63,
} as const;
