import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { s3TlsOnly } from './s3-tls-only';

const bucket = tfElement('aws_s3_bucket.state', { bucket: 'acme-tfstate' });
const denyStatement = {
  effect: 'Deny',
  actions: ['s3:*'],
  resources: ['${aws_s3_bucket.state.arn}', '${aws_s3_bucket.state.arn}/*'],
  principals: [{ type: '*', identifiers: ['*'] }],
  condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
};
const jsonPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'TlsOnly',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: ['arn:aws:s3:::acme-tfstate', 'arn:aws:s3:::acme-tfstate/*'],
      Condition: { Bool: { 'aws:SecureTransport': false } },
    },
  ],
});

describe('s3-tls-only', () => {
  test('a bucket policy from a policy document with the TLS deny is compliant', () => {
    const document = tfElement('data.aws_iam_policy_document.tls', { statement: [denyStatement] });
    const policy = tfElement('aws_s3_bucket_policy.state', {
      bucket: '${aws_s3_bucket.state.id}',
      policy: '${data.aws_iam_policy_document.tls.json}',
    });
    expect(evaluateIn(s3TlsOnly, bucket, [document, policy])).toEqual(COMPLIANT);
  });

  test('a JSON-string bucket policy with the TLS deny is compliant', () => {
    const policy = tfElement('aws_s3_bucket_policy.state', { bucket: 'acme-tfstate', policy: jsonPolicy });
    expect(evaluateIn(s3TlsOnly, bucket, [policy])).toEqual(COMPLIANT);
  });

  test('a statement included through source_policy_documents counts', () => {
    const base = tfElement('data.aws_iam_policy_document.base', { statement: [denyStatement] });
    const merged = tfElement('data.aws_iam_policy_document.merged', {
      source_policy_documents: ['${data.aws_iam_policy_document.base.json}'],
    });
    const policy = tfElement('aws_s3_bucket_policy.state', {
      bucket: '${aws_s3_bucket.state.id}',
      policy: '${data.aws_iam_policy_document.merged.json}',
    });
    expect(evaluateIn(s3TlsOnly, bucket, [base, merged, policy])).toEqual(COMPLIANT);
  });

  test('a bucket without a policy is non-compliant', () => {
    expect(findingsOf(evaluateIn(s3TlsOnly, bucket))).toEqual(['no aws_s3_bucket_policy references aws_s3_bucket.state']);
  });

  test.each([
    ['an Allow instead of a Deny', { ...denyStatement, effect: 'Allow' }],
    ['SecureTransport true', { ...denyStatement, condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['true'] }] }],
    ['only some actions', { ...denyStatement, actions: ['s3:GetObject'] }],
    ['a single principal', { ...denyStatement, principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::123456789012:root'] }] }],
  ])('a policy with %s is non-compliant', (_, statement) => {
    const document = tfElement('data.aws_iam_policy_document.tls', { statement: [statement] });
    const policy = tfElement('aws_s3_bucket_policy.state', {
      bucket: '${aws_s3_bucket.state.id}',
      policy: '${data.aws_iam_policy_document.tls.json}',
    });
    expect(findingsOf(evaluateIn(s3TlsOnly, bucket, [document, policy]))).toEqual([
      'no bucket policy statement denies s3:* to "*" when aws:SecureTransport is false',
    ]);
  });

  test('a jsonencode policy cannot be verified and says so', () => {
    const policy = tfElement('aws_s3_bucket_policy.state', {
      bucket: '${aws_s3_bucket.state.id}',
      policy: '${jsonencode({"Statement" = []})}',
    });
    expect(findingsOf(evaluateIn(s3TlsOnly, bucket, [policy]))).toEqual([expect.stringMatching(/HCL expression/)]);
  });
});
