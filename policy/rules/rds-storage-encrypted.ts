import { describeValue, isTrue } from '../terraform';
import { COMPLIANT, nonCompliant, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** Aurora provisioned / Serverless v2 clusters are unencrypted unless asked; it cannot be turned on later in place. */
export function evaluateRdsStorageEncrypted(element: TfElement): RuleResult {
  const value = element.attributes['storage_encrypted'];
  return isTrue(value) ? COMPLIANT : nonCompliant(`storage_encrypted is ${describeValue(value)}`);
}

export const rdsStorageEncrypted: PolicyRule = {
  id: 'rds-storage-encrypted',
  title: 'Aurora clusters encrypt storage',
  appliesTo: ['aws_rds_cluster'],
  fix: 'Set storageEncrypted: true (optionally kmsKeyId with a customer managed key). Changing it replaces the cluster.',
  evaluate: evaluateRdsStorageEncrypted,
};
