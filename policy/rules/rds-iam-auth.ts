import { describeValue, isTrue } from '../terraform';
import { COMPLIANT, nonCompliant, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** IAM database authentication lets the task connect with a short-lived token (LiteLLM: IAM_TOKEN_DB_AUTH=true). */
export function evaluateRdsIamAuth(element: TfElement): RuleResult {
  const value = element.attributes['iam_database_authentication_enabled'];
  return isTrue(value) ? COMPLIANT : nonCompliant(`iam_database_authentication_enabled is ${describeValue(value)}`);
}

export const rdsIamAuth: PolicyRule = {
  id: 'rds-iam-auth',
  title: 'Aurora clusters enable IAM database authentication',
  appliesTo: ['aws_rds_cluster'],
  fix: 'Set iamDatabaseAuthenticationEnabled: true.',
  evaluate: evaluateRdsIamAuth,
};
