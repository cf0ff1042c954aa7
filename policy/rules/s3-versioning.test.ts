import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { s3Versioning } from './s3-versioning';

const bucket = tfElement('aws_s3_bucket.state', { bucket: 'acme-tfstate' });

describe('s3-versioning', () => {
  test.each([
    ['by reference', '${aws_s3_bucket.state.id}'],
    ['by the literal bucket name', 'acme-tfstate'],
  ])('versioning Enabled on the bucket %s is compliant', (_, target) => {
    const versioning = tfElement('aws_s3_bucket_versioning.state', {
      bucket: target,
      versioning_configuration: { status: 'Enabled' },
    });
    expect(evaluateIn(s3Versioning, bucket, [versioning])).toEqual(COMPLIANT);
  });

  test('the deprecated inline versioning block is accepted', () => {
    expect(evaluateIn(s3Versioning, tfElement('aws_s3_bucket.old', { versioning: { enabled: true } }))).toEqual(COMPLIANT);
  });

  test.each([
    ['suspended versioning', [tfElement('aws_s3_bucket_versioning.v', { bucket: '${aws_s3_bucket.state.id}', versioning_configuration: { status: 'Suspended' } })]],
    ['versioning of another bucket', [tfElement('aws_s3_bucket_versioning.v', { bucket: '${aws_s3_bucket.logs.id}', versioning_configuration: { status: 'Enabled' } })]],
    ['no versioning resource', []],
  ])('%s is non-compliant', (_, others) => {
    expect(findingsOf(evaluateIn(s3Versioning, bucket, others))).toEqual([
      'no aws_s3_bucket_versioning with status "Enabled" references aws_s3_bucket.state',
    ]);
  });
});
