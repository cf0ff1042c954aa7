import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { snsEncrypted } from './sns-encrypted';

describe('sns-encrypted', () => {
  test('a topic with a KMS key is compliant', () => {
    expect(evaluateIn(snsEncrypted, tfElement('aws_sns_topic.alarms', { kms_master_key_id: '${aws_kms_key.k.arn}' }))).toEqual(
      COMPLIANT,
    );
  });

  test('an unencrypted topic is non-compliant', () => {
    expect(findingsOf(evaluateIn(snsEncrypted, tfElement('aws_sns_topic.alarms', { name: 'alarms' })))).toEqual([
      'kms_master_key_id is not set',
    ]);
  });
});
