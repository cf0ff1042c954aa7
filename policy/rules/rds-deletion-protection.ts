import { describeValue, isTrue } from '../terraform';
import { COMPLIANT, NOT_APPLICABLE, isProduction, nonCompliant, type PolicyContext, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** Production only: it stops `terraform destroy` or a replacing change from deleting the gateway's key database. */
export function evaluateRdsDeletionProtection(element: TfElement, context: PolicyContext): RuleResult {
  if (!isProduction(context)) {
    return NOT_APPLICABLE;
  }
  const value = element.attributes['deletion_protection'];
  return isTrue(value) ? COMPLIANT : nonCompliant(`deletion_protection is ${describeValue(value)} in ${context.environment}`);
}

export const rdsDeletionProtection: PolicyRule = {
  id: 'rds-deletion-protection',
  title: 'Production Aurora clusters have deletion protection',
  appliesTo: ['aws_rds_cluster'],
  fix: 'Set deletionProtection: true in the prod configuration.',
  evaluate: evaluateRdsDeletionProtection,
};
