import { asString, isTrue } from '../terraform';
import { COMPLIANT, NOT_APPLICABLE, nonCompliant, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** Yearly automatic rotation limits what one leaked key version can decrypt. Only symmetric keys can rotate. */
export function evaluateKmsKeyRotation(element: TfElement): RuleResult {
  const spec = asString(element.attributes['customer_master_key_spec']);
  if (spec !== undefined && spec !== 'SYMMETRIC_DEFAULT') {
    return NOT_APPLICABLE;
  }
  return isTrue(element.attributes['enable_key_rotation'])
    ? COMPLIANT
    : nonCompliant('enable_key_rotation is not true');
}

export const kmsKeyRotation: PolicyRule = {
  id: 'kms-key-rotation',
  title: 'Symmetric KMS keys rotate automatically',
  appliesTo: ['aws_kms_key'],
  fix: 'Set enableKeyRotation: true on the KmsKey.',
  evaluate: evaluateKmsKeyRotation,
};
