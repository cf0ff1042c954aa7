import { asNumber, describeValue } from '../terraform';
import { COMPLIANT, NOT_APPLICABLE, isProduction, nonCompliant, type PolicyContext, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** A week of point-in-time recovery covers a bad migration noticed after a weekend. */
export const MIN_PROD_BACKUP_RETENTION_DAYS = 7;

/** Production only: dev clusters are disposable and keep the provider default of 1 day. */
export function evaluateRdsBackupRetention(element: TfElement, context: PolicyContext): RuleResult {
  if (!isProduction(context)) {
    return NOT_APPLICABLE;
  }
  const raw = element.attributes['backup_retention_period'];
  // Unset means the AWS default of 1 day.
  const days = raw === undefined || raw === null ? 1 : asNumber(raw);
  return days !== undefined && days >= MIN_PROD_BACKUP_RETENTION_DAYS
    ? COMPLIANT
    : nonCompliant(`backup_retention_period is ${describeValue(raw)}; ${context.environment} needs at least ${MIN_PROD_BACKUP_RETENTION_DAYS} days`);
}

export const rdsBackupRetention: PolicyRule = {
  id: 'rds-backup-retention',
  title: `Production Aurora clusters keep backups for at least ${MIN_PROD_BACKUP_RETENTION_DAYS} days`,
  appliesTo: ['aws_rds_cluster'],
  fix: `Set backupRetentionPeriod to ${MIN_PROD_BACKUP_RETENTION_DAYS} or more in the prod configuration.`,
  evaluate: evaluateRdsBackupRetention,
};
