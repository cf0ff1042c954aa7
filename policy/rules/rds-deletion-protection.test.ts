import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT, NOT_APPLICABLE } from '../types';
import { rdsDeletionProtection } from './rds-deletion-protection';

describe('rds-deletion-protection', () => {
  test('a protected prod cluster is compliant', () => {
    const db = tfElement('aws_rds_cluster.db', { deletion_protection: true });
    expect(evaluateIn(rdsDeletionProtection, db, [], 'prod')).toEqual(COMPLIANT);
  });

  test('an unprotected prod cluster is non-compliant', () => {
    const db = tfElement('aws_rds_cluster.db', { deletion_protection: false });
    expect(findingsOf(evaluateIn(rdsDeletionProtection, db, [], 'prod'))).toEqual(['deletion_protection is false in prod']);
  });

  test('dev clusters may be destroyed freely', () => {
    expect(evaluateIn(rdsDeletionProtection, tfElement('aws_rds_cluster.db', {}), [], 'dev')).toEqual(NOT_APPLICABLE);
  });

  test('the base decides, not the name: a staging on prod is held to it, a "prod2" on dev is not', () => {
    const db = tfElement('aws_rds_cluster.db', { deletion_protection: false });
    expect(findingsOf(evaluateIn(rdsDeletionProtection, db, [], 'staging@prod'))).toEqual(['deletion_protection is false in staging']);
    expect(evaluateIn(rdsDeletionProtection, db, [], 'prod2@dev')).toEqual(NOT_APPLICABLE);
  });
});
