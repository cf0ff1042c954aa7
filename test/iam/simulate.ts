/**
 * One request through the policy engine (@cloud-copilot/iam-simulate): who asks, for what, on which resource, with
 * which request context, against which identity and resource policies. Returns the engine's decision, and throws
 * on a request the engine rejects as malformed (an action that does not exist, a resource ARN that is not of a
 * type the action takes, a context key the action does not have), so a test can never pass on a typo.
 */
import { createValidatedPolicy, validateResourcePolicy } from '@cloud-copilot/iam-policy';
import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { ACCOUNT, PARTITION, type PolicyJson, type RoleModel } from './synthesized-policies';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface Request {
  /** A role (its session is the caller) or a service principal such as `cloudwatch.amazonaws.com`. */
  readonly principal: RoleModel | string;
  readonly action: string;
  readonly resource: string;
  /**
   * The account that owns the resource. @default - the account in the ARN; for ARNs without one (Bedrock
   * foundation models, S3 buckets), the caller's account: AWS-owned resources have no resource policy, and the
   * engine would otherwise treat the call as cross-account.
   */
  readonly resourceAccount?: string;
  readonly resourcePolicy?: PolicyJson;
  readonly context?: Record<string, string | string[]>;
}

/** The STS session ARN of a role: what a resource policy's principal is matched against. */
export function sessionArn(role: RoleModel, session = 'ecs-task'): string {
  return `arn:${PARTITION}:sts::${ACCOUNT}:assumed-role/${role.name}/${session}`;
}

/**
 * Context keys AWS documents with a colon-separated variable part (`kms:EncryptionContext:<key>`): the engine matches
 * variable keys only in the `prefix/<variable>` form (aws:RequestTag/...), so it drops them from a validated request
 * (docs/iam.md). Requests with one are decided again without the engine's input validation, after the validated run
 * has checked the action and the resource type.
 */
const COLON_VARIABLE_KEYS = [/^kms:EncryptionContext:.+/i];

export async function decide(request: Request): Promise<Decision> {
  const isRole = typeof request.principal !== 'string';
  const role = isRole ? (request.principal as RoleModel) : undefined;
  const accountInArn = request.resource.split(':')[4];
  const simulation: Simulation = {
    request: {
      principal: role ? sessionArn(role) : (request.principal as string),
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount ?? (accountInArn || ACCOUNT) },
      contextVariables: { ...(request.context ?? {}) },
    },
    identityPolicies: role ? role.policies.map((p) => ({ name: p.name, policy: p.policy })) : [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(`the engine rejected ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`);
  if (result.resultType !== 'single') throw new Error(`expected one resource, got a wildcard result for ${request.resource}`);
  const ignored = result.result.ignoredContextKeys ?? [];
  const misread = ignored.filter((k) => COLON_VARIABLE_KEYS.some((re) => re.test(k)));
  const unknown = ignored.filter((k) => !misread.includes(k));
  if (unknown.length > 0) throw new Error(`${request.action}: context keys ${unknown.join(', ')} do not apply to it; the request is mis-modelled`);
  if (misread.length > 0) {
    // The unvalidated path reads the resource policy's name from its metadata, which only a validated policy carries.
    const resourcePolicy = simulation.resourcePolicy ? createValidatedPolicy(simulation.resourcePolicy, validateResourcePolicy, { name: 'resource policy' }) : undefined;
    return runUnsafeSimulation({ ...simulation, resourcePolicy }, {}) as Decision;
  }
  return result.overallResult as Decision;
}
