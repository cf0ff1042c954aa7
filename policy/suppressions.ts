/**
 * Suppressions, cdk-nag style: an accepted finding is recorded on the construct it concerns, with a written reason.
 * Suppressed findings no longer fail synth but stay in every report (`npm run policy`).
 *
 * Stored as construct metadata rather than in a module-level registry, so they live and die with the construct
 * tree and two apps in one process (tests) cannot see each other's suppressions.
 */
import { TerraformDataSource, TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';
import { ALL_RULES, findRule } from './catalogue';

export const SUPPRESSION_METADATA_TYPE = 'llm-gateway/policy-suppression';

/** Short enough to write, long enough that "ok" or "wip" cannot pass for a reason. */
export const MIN_REASON_LENGTH = 10;

export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
}

/** `aws_lb` for a resource, `data.aws_iam_policy_document` for a data source, undefined for anything else. */
export function elementKindOf(scope: IConstruct): string | undefined {
  if (TerraformResource.isTerraformResource(scope)) {
    return scope.terraformResourceType;
  }
  if (TerraformDataSource.isTerraformDataSource(scope)) {
    return `data.${scope.terraformResourceType}`;
  }
  return undefined;
}

/** Terraform address of a resource or data source construct (`aws_lb.alb`, `data.aws_iam_policy_document.x`). */
export function terraformAddressOf(scope: IConstruct): string | undefined {
  if (TerraformResource.isTerraformResource(scope) || TerraformDataSource.isTerraformDataSource(scope)) {
    return `${elementKindOf(scope) ?? ''}.${scope.friendlyUniqueId}`;
  }
  return undefined;
}

function isSuppression(data: unknown): data is Suppression {
  if (typeof data !== 'object' || data === null) {
    return false;
  }
  const candidate = data as { readonly ruleId?: unknown; readonly reason?: unknown };
  return typeof candidate.ruleId === 'string' && typeof candidate.reason === 'string';
}

export function suppressionsOf(scope: IConstruct): readonly Suppression[] {
  return scope.node.metadata
    .filter((entry) => entry.type === SUPPRESSION_METADATA_TYPE)
    .map((entry) => entry.data as unknown)
    .filter(isSuppression);
}

/**
 * Accepts the findings of one rule on one resource or data source.
 *
 * @param scope the TerraformResource or TerraformDataSource the finding is reported on (e.g. the Vpc for
 *   vpc-flow-logs, the DataAwsIamPolicyDocument for iam-no-wildcards)
 * @param ruleId a rule id of the catalogue (`policy/rules/index.ts`)
 * @param reason why the risk is accepted; at least MIN_REASON_LENGTH characters
 * @throws if the scope is not a resource / data source, the rule is unknown or does not apply to that type, the
 *   reason is too short, or the rule is already suppressed on the scope
 */
export function suppress(scope: IConstruct, ruleId: string, reason: string): void {
  const kind = elementKindOf(scope);
  if (kind === undefined) {
    throw new Error(
      `suppress(): ${scope.node.path} is not a Terraform resource or data source. Suppress on the resource the finding names.`,
    );
  }
  const rule = findRule(ruleId);
  if (rule === undefined) {
    throw new Error(
      `suppress(): unknown policy rule "${ruleId}" on ${scope.node.path}. Known rules: ${ALL_RULES.map((r) => r.id).join(', ')}.`,
    );
  }
  if (!rule.appliesTo.includes(kind)) {
    throw new Error(
      `suppress(): rule "${ruleId}" never applies to ${kind} (${scope.node.path}); it checks ${rule.appliesTo.join(', ')}.`,
    );
  }
  const trimmed = reason.trim();
  if (trimmed.length < MIN_REASON_LENGTH) {
    throw new Error(
      `suppress(): the reason for suppressing "${ruleId}" on ${scope.node.path} must be at least ${MIN_REASON_LENGTH} characters; got ${JSON.stringify(reason)}.`,
    );
  }
  if (suppressionsOf(scope).some((existing) => existing.ruleId === ruleId)) {
    throw new Error(`suppress(): "${ruleId}" is already suppressed on ${scope.node.path}.`);
  }
  scope.node.addMetadata(SUPPRESSION_METADATA_TYPE, { ruleId, reason: trimmed } satisfies Suppression);
}
