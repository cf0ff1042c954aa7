import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT, NOT_APPLICABLE } from '../types';
import { secretsRecoveryWindow } from './secrets-recovery-window';

describe('secrets-recovery-window', () => {
  test.each([[{}], [{ recovery_window_in_days: 7 }]])('a prod secret with %j is compliant', (attributes) => {
    expect(evaluateIn(secretsRecoveryWindow, tfElement('aws_secretsmanager_secret.salt', attributes), [], 'prod')).toEqual(
      COMPLIANT,
    );
  });

  test('a prod secret deleted without recovery is non-compliant', () => {
    const secret = tfElement('aws_secretsmanager_secret.salt', { recovery_window_in_days: 0 });
    expect(findingsOf(evaluateIn(secretsRecoveryWindow, secret, [], 'prod'))).toEqual([
      'recovery_window_in_days is 0 (immediate deletion) in prod',
    ]);
  });

  test('dev may delete secrets immediately', () => {
    const secret = tfElement('aws_secretsmanager_secret.salt', { recovery_window_in_days: 0 });
    expect(evaluateIn(secretsRecoveryWindow, secret, [], 'dev')).toEqual(NOT_APPLICABLE);
  });
});
