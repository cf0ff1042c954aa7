import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { rdsIamAuth } from './rds-iam-auth';

describe('rds-iam-auth', () => {
  test('a cluster with IAM database authentication is compliant', () => {
    const db = tfElement('aws_rds_cluster.db', { iam_database_authentication_enabled: true });
    expect(evaluateIn(rdsIamAuth, db)).toEqual(COMPLIANT);
  });

  test('a cluster without it is non-compliant', () => {
    expect(findingsOf(evaluateIn(rdsIamAuth, tfElement('aws_rds_cluster.db', {})))).toEqual([
      'iam_database_authentication_enabled is not set',
    ]);
  });
});
