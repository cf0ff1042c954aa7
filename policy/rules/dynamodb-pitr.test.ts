import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { dynamodbPitr } from './dynamodb-pitr';

describe('dynamodb-pitr', () => {
  test('a table with point-in-time recovery is compliant', () => {
    const table = tfElement('aws_dynamodb_table.lock', { point_in_time_recovery: { enabled: true } });
    expect(evaluateIn(dynamodbPitr, table)).toEqual(COMPLIANT);
  });

  test.each([[{}], [{ point_in_time_recovery: { enabled: false } }]])('%j is non-compliant', (attributes) => {
    expect(findingsOf(evaluateIn(dynamodbPitr, tfElement('aws_dynamodb_table.lock', attributes)))).toEqual([
      'point_in_time_recovery.enabled is not true',
    ]);
  });
});
