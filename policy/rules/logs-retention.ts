import { asNumber, describeValue } from '../terraform';
import { COMPLIANT, nonCompliant, type PolicyRule, type RuleResult, type TfElement } from '../types';

/**
 * Unset or 0 means "never expire": prompt-bearing request logs would be kept (and billed) forever. Which number
 * is right is the configuration's business; the rule only demands a finite one.
 */
export function evaluateLogsRetention(element: TfElement): RuleResult {
  const raw = element.attributes['retention_in_days'];
  const days = asNumber(raw);
  return days !== undefined && days > 0 ? COMPLIANT : nonCompliant(`retention_in_days is ${describeValue(raw)} (never expires)`);
}

export const logsRetention: PolicyRule = {
  id: 'logs-retention',
  title: 'CloudWatch log groups have a finite retention',
  appliesTo: ['aws_cloudwatch_log_group'],
  fix: 'Set retentionInDays (e.g. 30 in dev, 90+ in prod) on the CloudwatchLogGroup.',
  evaluate: evaluateLogsRetention,
};
