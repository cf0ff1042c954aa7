import { asString, blocks, firstBlock, isNonEmptyString, refersTo, sameTarget } from '../terraform';
import {
  NOT_APPLICABLE,
  verdict,
  type JsonObject,
  type JsonValue,
  type PolicyContext,
  type PolicyRule,
  type RuleResult,
  type TfElement,
} from '../types';

const LISTENER_TYPES: readonly string[] = ['aws_lb_listener', 'aws_alb_listener'];
const LISTENER_RULE_TYPES: readonly string[] = ['aws_lb_listener_rule', 'aws_alb_listener_rule'];

function isPlainHttp(listener: TfElement): boolean {
  // ALB listeners default to HTTP when protocol is omitted.
  const protocol = asString(listener.attributes['protocol'])?.toUpperCase() ?? 'HTTP';
  return protocol === 'HTTP' && !isNonEmptyString(listener.attributes['certificate_arn']);
}

function isHttpsRedirect(action: JsonObject): boolean {
  const redirect = firstBlock(action['redirect']);
  return action['type'] === 'redirect' && asString(redirect?.['protocol'])?.toUpperCase() === 'HTTPS';
}

/** Describes why a list of actions is not "redirect to HTTPS and nothing else"; undefined when it is. */
function nonRedirect(actionsValue: JsonValue | undefined): string | undefined {
  const actions = blocks(actionsValue);
  if (actions.length === 1 && actions[0] !== undefined && isHttpsRedirect(actions[0])) {
    return undefined;
  }
  const types = actions.map((action) => asString(action['type']) ?? '?').join(', ');
  return `actions are [${types}] instead of a single redirect to HTTPS`;
}

/**
 * Once the balancer has a certificate, plain HTTP must only redirect to HTTPS, otherwise clients keep sending keys
 * in clear text. Listener rules attached to the HTTP listener count too: a forward rule bypasses the redirect.
 * Not applicable while no listener of the same balancer has a certificate (an HTTP-only internal balancer).
 */
export function evaluateAlbHttpRedirect(element: TfElement, context: PolicyContext): RuleResult {
  if (!isPlainHttp(element)) {
    return NOT_APPLICABLE;
  }
  const balancer = element.attributes['load_balancer_arn'];
  const tlsSibling = context.elements.some(
    (other) =>
      other.address !== element.address &&
      LISTENER_TYPES.includes(other.type) &&
      other.mode === 'resource' &&
      isNonEmptyString(other.attributes['certificate_arn']) &&
      sameTarget(other.attributes['load_balancer_arn'], balancer),
  );
  if (!tlsSibling) {
    return NOT_APPLICABLE;
  }
  const problems: string[] = [];
  const defaultProblem = nonRedirect(element.attributes['default_action']);
  if (defaultProblem !== undefined) {
    problems.push(`default ${defaultProblem}`);
  }
  for (const rule of context.elements) {
    if (LISTENER_RULE_TYPES.includes(rule.type) && refersTo(rule.attributes['listener_arn'], element.address)) {
      const ruleProblem = nonRedirect(rule.attributes['action']);
      if (ruleProblem !== undefined) {
        problems.push(`listener rule ${rule.address} ${ruleProblem}`);
      }
    }
  }
  return verdict(problems);
}

export const albHttpRedirect: PolicyRule = {
  id: 'alb-http-redirect',
  title: 'HTTP listeners only redirect to HTTPS once the balancer has a certificate',
  appliesTo: LISTENER_TYPES,
  fix: 'Give the HTTP listener a single defaultAction { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } } and attach forward rules to the HTTPS listener only.',
  evaluate: evaluateAlbHttpRedirect,
};
