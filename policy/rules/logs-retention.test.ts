import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { logsRetention } from './logs-retention';

describe('logs-retention', () => {
  test.each([1, 30, 3653])('retention of %p days is compliant', (days) => {
    expect(evaluateIn(logsRetention, tfElement('aws_cloudwatch_log_group.lg', { retention_in_days: days }))).toEqual(COMPLIANT);
  });

  test.each([
    [{}, 'retention_in_days is not set (never expires)'],
    [{ retention_in_days: 0 }, 'retention_in_days is 0 (never expires)'],
  ])('%j is non-compliant', (attributes, finding) => {
    expect(findingsOf(evaluateIn(logsRetention, tfElement('aws_cloudwatch_log_group.lg', attributes)))).toEqual([finding]);
  });
});
