import { isTrue } from '../terraform';
import { COMPLIANT, nonCompliant, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** A publicly accessible instance gets a public DNS name and IP once it sits in a subnet with an internet route. */
export function evaluateRdsInstanceNotPublic(element: TfElement): RuleResult {
  return isTrue(element.attributes['publicly_accessible'])
    ? nonCompliant('publicly_accessible is true')
    : COMPLIANT;
}

export const rdsInstanceNotPublic: PolicyRule = {
  id: 'rds-instance-not-public',
  title: 'Database instances are not publicly accessible',
  appliesTo: ['aws_rds_cluster_instance', 'aws_db_instance'],
  fix: 'Remove publiclyAccessible (defaults to false) and keep the DB subnet group on private subnets.',
  evaluate: evaluateRdsInstanceNotPublic,
};
