import { firstBlock, isTrue } from '../terraform';
import { COMPLIANT, nonCompliant, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** The state lock table (and any other table) can be restored to a second within 35 days only with PITR on. */
export function evaluateDynamodbPitr(element: TfElement): RuleResult {
  const pitr = firstBlock(element.attributes['point_in_time_recovery']);
  return isTrue(pitr?.['enabled']) ? COMPLIANT : nonCompliant('point_in_time_recovery.enabled is not true');
}

export const dynamodbPitr: PolicyRule = {
  id: 'dynamodb-pitr',
  title: 'DynamoDB tables have point-in-time recovery',
  appliesTo: ['aws_dynamodb_table'],
  fix: 'Set pointInTimeRecovery: { enabled: true } on the DynamodbTable.',
  evaluate: evaluateDynamodbPitr,
};
