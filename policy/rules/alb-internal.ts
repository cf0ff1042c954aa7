import { isTrue } from '../terraform';
import { COMPLIANT, nonCompliant, type PolicyRule, type TfElement, type RuleResult } from '../types';

/** The gateway is reached from inside the VPC only; an internet-facing balancer would expose the proxy. */
export function evaluateAlbInternal(element: TfElement): RuleResult {
  return isTrue(element.attributes['internal'])
    ? COMPLIANT
    : nonCompliant('the load balancer is internet-facing (internal is not true)');
}

export const albInternal: PolicyRule = {
  id: 'alb-internal',
  title: 'Load balancers are internal',
  appliesTo: ['aws_lb', 'aws_alb'],
  fix: 'Set internal: true on the Lb and place it in private subnets.',
  evaluate: evaluateAlbInternal,
};
