import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { rdsInstanceNotPublic } from './rds-instance-not-public';

describe('rds-instance-not-public', () => {
  test.each([[{}], [{ publicly_accessible: false }]])('an instance with %j is compliant', (attributes) => {
    expect(evaluateIn(rdsInstanceNotPublic, tfElement('aws_rds_cluster_instance.writer', attributes))).toEqual(COMPLIANT);
  });

  test.each(['aws_rds_cluster_instance.writer', 'aws_db_instance.db'])('a publicly accessible %s is non-compliant', (address) => {
    expect(findingsOf(evaluateIn(rdsInstanceNotPublic, tfElement(address, { publicly_accessible: true })))).toEqual([
      'publicly_accessible is true',
    ]);
  });
});
