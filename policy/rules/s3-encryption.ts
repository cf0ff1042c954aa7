import { bucketCompanions } from '../s3';
import { blocks, firstBlock, isNonEmptyString } from '../terraform';
import { COMPLIANT, nonCompliant, type JsonObject, type PolicyContext, type PolicyRule, type RuleResult, type TfElement } from '../types';

function hasDefaultEncryption(rules: readonly JsonObject[]): boolean {
  return rules.some((rule) =>
    isNonEmptyString(firstBlock(rule['apply_server_side_encryption_by_default'])?.['sse_algorithm']),
  );
}

/**
 * S3 encrypts new objects with SSE-S3 since 2023 anyway; declaring the configuration makes the choice (and a
 * KMS key, if any) explicit and reviewable. The deprecated inline block of aws_s3_bucket is accepted too.
 */
export function evaluateS3Encryption(element: TfElement, context: PolicyContext): RuleResult {
  const inline = firstBlock(element.attributes['server_side_encryption_configuration']);
  if (inline !== undefined && hasDefaultEncryption(blocks(inline['rule']))) {
    return COMPLIANT;
  }
  const configured = bucketCompanions(element, 'aws_s3_bucket_server_side_encryption_configuration', context).some(
    (sse) => hasDefaultEncryption(blocks(sse.attributes['rule'])),
  );
  return configured
    ? COMPLIANT
    : nonCompliant(`no aws_s3_bucket_server_side_encryption_configuration with a default sse_algorithm references ${element.address}`);
}

export const s3Encryption: PolicyRule = {
  id: 's3-encryption',
  title: 'S3 buckets declare default server-side encryption',
  appliesTo: ['aws_s3_bucket'],
  fix: 'Add S3BucketServerSideEncryptionConfigurationA { bucket: bucket.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] } (or "AES256").',
  evaluate: evaluateS3Encryption,
};
