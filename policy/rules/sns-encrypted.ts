import { isNonEmptyString } from '../terraform';
import { COMPLIANT, nonCompliant, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** Alarm notifications can carry resource names and error text; SNS stores them unencrypted unless given a key. */
export function evaluateSnsEncrypted(element: TfElement): RuleResult {
  return isNonEmptyString(element.attributes['kms_master_key_id'])
    ? COMPLIANT
    : nonCompliant('kms_master_key_id is not set');
}

export const snsEncrypted: PolicyRule = {
  id: 'sns-encrypted',
  title: 'SNS topics are encrypted with KMS',
  appliesTo: ['aws_sns_topic'],
  fix: 'Set kmsMasterKeyId to a customer managed key whose key policy lets cloudwatch.amazonaws.com use kms:Decrypt and kms:GenerateDataKey* (CloudWatch alarms cannot publish to a topic encrypted with alias/aws/sns).',
  evaluate: evaluateSnsEncrypted,
};
