import { isTrue } from '../terraform';
import { COMPLIANT, NOT_APPLICABLE, nonCompliant, type PolicyRule, type RuleResult, type TfElement } from '../types';

/**
 * An ALB forwards malformed header names to the target unless told to drop them (request-smuggling vector;
 * checkov CKV_AWS_131). Only application load balancers have the setting.
 */
export function evaluateAlbDropInvalidHeaders(element: TfElement): RuleResult {
  const type = element.attributes['load_balancer_type'];
  if (type !== undefined && type !== null && type !== 'application') {
    return NOT_APPLICABLE;
  }
  return isTrue(element.attributes['drop_invalid_header_fields'])
    ? COMPLIANT
    : nonCompliant('drop_invalid_header_fields is not true');
}

export const albDropInvalidHeaders: PolicyRule = {
  id: 'alb-drop-invalid-headers',
  title: 'Application load balancers drop invalid HTTP header fields',
  appliesTo: ['aws_lb', 'aws_alb'],
  fix: 'Set dropInvalidHeaderFields: true on the Lb.',
  evaluate: evaluateAlbDropInvalidHeaders,
};
