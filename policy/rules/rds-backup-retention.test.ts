import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT, NOT_APPLICABLE } from '../types';
import { rdsBackupRetention } from './rds-backup-retention';

describe('rds-backup-retention', () => {
  test.each([7, 35, '14'])('prod with %p days is compliant', (days) => {
    const db = tfElement('aws_rds_cluster.db', { backup_retention_period: days });
    expect(evaluateIn(rdsBackupRetention, db, [], 'prod')).toEqual(COMPLIANT);
  });

  test.each([
    [{ backup_retention_period: 6 }, 'backup_retention_period is 6; prod needs at least 7 days'],
    [{}, 'backup_retention_period is not set; prod needs at least 7 days'],
  ])('prod with %j is non-compliant', (attributes, finding) => {
    expect(findingsOf(evaluateIn(rdsBackupRetention, tfElement('aws_rds_cluster.db', attributes), [], 'prod'))).toEqual([
      finding,
    ]);
  });

  test('dev is not held to the production minimum', () => {
    const db = tfElement('aws_rds_cluster.db', { backup_retention_period: 1 });
    expect(evaluateIn(rdsBackupRetention, db, [], 'dev')).toEqual(NOT_APPLICABLE);
  });
});
