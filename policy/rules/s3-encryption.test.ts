import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { s3Encryption } from './s3-encryption';

const bucket = tfElement('aws_s3_bucket.state', { bucket: 'acme-tfstate' });

describe('s3-encryption', () => {
  test('a default encryption configuration for the bucket is compliant', () => {
    const sse = tfElement('aws_s3_bucket_server_side_encryption_configuration.state', {
      bucket: '${aws_s3_bucket.state.bucket}',
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' } }],
    });
    expect(evaluateIn(s3Encryption, bucket, [sse])).toEqual(COMPLIANT);
  });

  test('a bucket without an encryption configuration is non-compliant', () => {
    expect(findingsOf(evaluateIn(s3Encryption, bucket))).toEqual([
      'no aws_s3_bucket_server_side_encryption_configuration with a default sse_algorithm references aws_s3_bucket.state',
    ]);
  });
});
