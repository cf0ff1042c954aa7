import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT, NOT_APPLICABLE } from '../types';
import { kmsKeyRotation } from './kms-key-rotation';

describe('kms-key-rotation', () => {
  test('a rotating symmetric key is compliant', () => {
    expect(evaluateIn(kmsKeyRotation, tfElement('aws_kms_key.k', { enable_key_rotation: true }))).toEqual(COMPLIANT);
  });

  test('a symmetric key without rotation is non-compliant', () => {
    const key = tfElement('aws_kms_key.k', { customer_master_key_spec: 'SYMMETRIC_DEFAULT' });
    expect(findingsOf(evaluateIn(kmsKeyRotation, key))).toEqual(['enable_key_rotation is not true']);
  });

  test('an asymmetric key cannot rotate and is not applicable', () => {
    expect(evaluateIn(kmsKeyRotation, tfElement('aws_kms_key.k', { customer_master_key_spec: 'RSA_2048' }))).toEqual(
      NOT_APPLICABLE,
    );
  });
});
