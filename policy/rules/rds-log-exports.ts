import { stringList } from '../terraform';
import { COMPLIANT, nonCompliant, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** Database logs stay on the instance (and vanish with it) unless exported to CloudWatch Logs. */
export function evaluateRdsLogExports(element: TfElement): RuleResult {
  return stringList(element.attributes['enabled_cloudwatch_logs_exports']).length > 0
    ? COMPLIANT
    : nonCompliant('enabled_cloudwatch_logs_exports is empty');
}

export const rdsLogExports: PolicyRule = {
  id: 'rds-log-exports',
  title: 'Aurora clusters export logs to CloudWatch',
  appliesTo: ['aws_rds_cluster'],
  fix: 'Set enabledCloudwatchLogsExports: ["postgresql"] for aurora-postgresql (["audit", "error", "general", "slowquery"] for aurora-mysql).',
  evaluate: evaluateRdsLogExports,
};
