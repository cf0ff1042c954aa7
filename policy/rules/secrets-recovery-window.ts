import { asNumber } from '../terraform';
import { COMPLIANT, NOT_APPLICABLE, isProduction, nonCompliant, type PolicyContext, type PolicyRule, type RuleResult, type TfElement } from '../types';

/**
 * recovery_window_in_days = 0 deletes the secret immediately on destroy or replacement; in production that loses
 * e.g. LITELLM_SALT_KEY, which must never change. Dev may use 0 so a stack can be recreated at once.
 */
export function evaluateSecretsRecoveryWindow(element: TfElement, context: PolicyContext): RuleResult {
  if (!isProduction(context)) {
    return NOT_APPLICABLE;
  }
  // Unset means the AWS default of 30 days.
  return asNumber(element.attributes['recovery_window_in_days']) === 0
    ? nonCompliant(`recovery_window_in_days is 0 (immediate deletion) in ${context.environment}`)
    : COMPLIANT;
}

export const secretsRecoveryWindow: PolicyRule = {
  id: 'secrets-recovery-window',
  title: 'Production secrets keep a recovery window',
  appliesTo: ['aws_secretsmanager_secret'],
  fix: 'Leave recoveryWindowInDays unset (30) or set 7-30 in the prod configuration.',
  evaluate: evaluateSecretsRecoveryWindow,
};
