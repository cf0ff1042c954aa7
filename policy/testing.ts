/**
 * Helpers for rule tests: hand-written Terraform elements and a context around them, so a rule's pure function can
 * be called without cdktf. Attribute objects use the resolved JSON shape (snake_case, `${...}` references).
 */
import { createContext } from './context';
import type { JsonObject, PolicyContext, PolicyRule, RuleResult, TfElement } from './types';

/** An element from its address: `aws_lb.alb` or `data.aws_iam_policy_document.task`. */
export function tfElement(address: string, attributes: JsonObject = {}): TfElement {
  const parts = address.split('.');
  const isData = parts[0] === 'data';
  const [type, name] = isData ? [parts[1], parts[2]] : [parts[0], parts[1]];
  if (type === undefined || name === undefined || parts.length !== (isData ? 3 : 2)) {
    throw new Error(`tfElement(): "${address}" is not a Terraform address like aws_lb.alb or data.aws_x.y`);
  }
  return { address, mode: isData ? 'data' : 'resource', type, name, attributes };
}

/**
 * A context over the given elements (`environment` defaults to dev). `environment` may be `<name>@<base>`
 * (`staging@prod`) for an environment a configuration file defines on top of a built-in one.
 */
export function tfContext(elements: readonly TfElement[] = [], environment = 'dev'): PolicyContext {
  const [name, base] = environment.split('@');
  return createContext(elements, { stackName: 'test', environment: name, baseEnvironment: base ?? name });
}

/** Evaluates `rule` on `element` inside a stack made of `element` plus `others`. */
export function evaluateIn(
  rule: Pick<PolicyRule, 'evaluate'>,
  element: TfElement,
  others: readonly TfElement[] = [],
  environment = 'dev',
): RuleResult {
  return rule.evaluate(element, tfContext([element, ...others], environment));
}

/** The findings of a result (empty unless non-compliant), for `toEqual([expect.stringMatching(...)])`. */
export function findingsOf(result: RuleResult): readonly string[] {
  return result.status === 'non-compliant' ? result.findings : [];
}
