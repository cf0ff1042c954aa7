import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { s3PublicAccessBlock } from './s3-public-access-block';

const bucket = tfElement('aws_s3_bucket.state', { bucket: 'acme-tfstate' });
const allFlags = {
  bucket: '${aws_s3_bucket.state.id}',
  block_public_acls: true,
  block_public_policy: true,
  ignore_public_acls: true,
  restrict_public_buckets: true,
};

describe('s3-public-access-block', () => {
  test('all four flags on is compliant', () => {
    expect(evaluateIn(s3PublicAccessBlock, bucket, [tfElement('aws_s3_bucket_public_access_block.state', allFlags)])).toEqual(
      COMPLIANT,
    );
  });

  test('a block missing one flag is non-compliant and names it', () => {
    const partial = tfElement('aws_s3_bucket_public_access_block.state', { ...allFlags, restrict_public_buckets: false });
    expect(findingsOf(evaluateIn(s3PublicAccessBlock, bucket, [partial]))).toEqual([
      'the public access block does not set restrict_public_buckets to true',
    ]);
  });

  test('no public access block is non-compliant', () => {
    expect(findingsOf(evaluateIn(s3PublicAccessBlock, bucket))).toEqual([
      'no aws_s3_bucket_public_access_block references aws_s3_bucket.state',
    ]);
  });
});
