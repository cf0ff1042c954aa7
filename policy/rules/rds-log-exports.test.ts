import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { rdsLogExports } from './rds-log-exports';

describe('rds-log-exports', () => {
  test('a cluster exporting postgresql logs is compliant', () => {
    const db = tfElement('aws_rds_cluster.db', { enabled_cloudwatch_logs_exports: ['postgresql'] });
    expect(evaluateIn(rdsLogExports, db)).toEqual(COMPLIANT);
  });

  test.each([[{}], [{ enabled_cloudwatch_logs_exports: [] }]])('%j is non-compliant', (attributes) => {
    expect(findingsOf(evaluateIn(rdsLogExports, tfElement('aws_rds_cluster.db', attributes)))).toEqual([
      'enabled_cloudwatch_logs_exports is empty',
    ]);
  });
});
