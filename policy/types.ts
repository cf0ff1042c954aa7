/**
 * Core types of the policy engine.
 *
 * The shape follows cdk-nag v2: a rule is a pure function over one synthesized Terraform element returning
 * compliant / non-compliant / not applicable; rules are grouped in packs. Rules read the *resolved* Terraform JSON
 * (snake_case attribute names, references as `${aws_x.y.id}` strings), never constructs, so a rule can be tested
 * with a hand-written object and sees exactly what Terraform will receive, overrides included.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonArray | JsonObject;
export type JsonArray = readonly JsonValue[];
export interface JsonObject {
  readonly [key: string]: JsonValue | undefined;
}

/** Terraform distinguishes managed resources from data sources; addresses of the latter start with `data.`. */
export type ElementMode = 'resource' | 'data';

/** One `resource` or `data` block of a synthesized stack. */
export interface TfElement {
  /** Terraform address: `aws_lb.alb` or `data.aws_iam_policy_document.task`. */
  readonly address: string;
  readonly mode: ElementMode;
  /** Terraform type, e.g. `aws_lb`. */
  readonly type: string;
  /** Logical name (cdktf friendlyUniqueId), e.g. `alb`. */
  readonly name: string;
  /** Resolved arguments without cdktf's `//` metadata key. */
  readonly attributes: JsonObject;
  /** Construct path from cdktf metadata (`stack/Alb`), used in messages to point at the code. */
  readonly constructPath?: string;
}

/** What a rule sees besides its element: the whole stack, for cross-resource rules, and the environment. */
export interface PolicyContext {
  readonly stackName: string;
  readonly environment: string;
  /** The built-in environment (`dev`, `prod`) the environment is based on: what production-only rules follow. */
  readonly baseEnvironment: string;
  readonly elements: readonly TfElement[];
  /** Elements of one Terraform type; `mode` defaults to `resource`. */
  ofType(type: string, mode?: ElementMode): readonly TfElement[];
  byAddress(address: string): TfElement | undefined;
}

export type RuleResult =
  | { readonly status: 'compliant' }
  | { readonly status: 'not-applicable' }
  | { readonly status: 'non-compliant'; readonly findings: readonly string[] };

export const COMPLIANT: RuleResult = Object.freeze({ status: 'compliant' });
export const NOT_APPLICABLE: RuleResult = Object.freeze({ status: 'not-applicable' });

export function nonCompliant(...findings: readonly string[]): RuleResult {
  return { status: 'non-compliant', findings: findings.length > 0 ? findings : ['non-compliant'] };
}

/** Compliant when no problem was found, otherwise non-compliant with every problem listed. */
export function verdict(problems: readonly string[]): RuleResult {
  return problems.length === 0 ? COMPLIANT : nonCompliant(...problems);
}

export interface PolicyRule {
  /** Stable id used in messages and suppressions; kebab-case, never reused for a different check. */
  readonly id: string;
  readonly title: string;
  /**
   * Element kinds the rule evaluates: a resource type (`aws_lb`) or `data.` + a data source type
   * (`data.aws_iam_policy_document`). The engine calls `evaluate` only for these.
   */
  readonly appliesTo: readonly string[];
  /** How to fix a violation, written for the person reading a failed synth. */
  readonly fix: string;
  readonly evaluate: (element: TfElement, context: PolicyContext) => RuleResult;
}

export interface PolicyPack {
  readonly name: string;
  readonly rules: readonly PolicyRule[];
}

/** The key `appliesTo` is matched against: the type for resources, `data.<type>` for data sources. */
export function elementKind(element: Pick<TfElement, 'mode' | 'type'>): string {
  return element.mode === 'data' ? `data.${element.type}` : element.type;
}

/**
 * Base environments held to production-only requirements (backups, deletion protection, recovery windows). The base,
 * not the name: an environment a configuration file defines on top of prod (`staging`) gets prod's requirements, one
 * on top of dev gets dev's (config/environments.ts).
 */
export const PRODUCTION_ENVIRONMENTS: readonly string[] = ['prod'];

export function isProduction(context: Pick<PolicyContext, 'baseEnvironment'>): boolean {
  return PRODUCTION_ENVIRONMENTS.includes(context.baseEnvironment);
}
