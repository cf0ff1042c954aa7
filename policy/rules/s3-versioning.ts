import { bucketCompanions } from '../s3';
import { firstBlock, isTrue } from '../terraform';
import { COMPLIANT, nonCompliant, type PolicyContext, type PolicyRule, type RuleResult, type TfElement } from '../types';

/**
 * Versioning is what lets a corrupted or deleted Terraform state be restored. The deprecated inline
 * `versioning { enabled = true }` block of aws_s3_bucket is accepted too.
 */
export function evaluateS3Versioning(element: TfElement, context: PolicyContext): RuleResult {
  if (isTrue(firstBlock(element.attributes['versioning'])?.['enabled'])) {
    return COMPLIANT;
  }
  const enabled = bucketCompanions(element, 'aws_s3_bucket_versioning', context).some(
    (versioning) => firstBlock(versioning.attributes['versioning_configuration'])?.['status'] === 'Enabled',
  );
  return enabled
    ? COMPLIANT
    : nonCompliant(`no aws_s3_bucket_versioning with status "Enabled" references ${element.address}`);
}

export const s3Versioning: PolicyRule = {
  id: 's3-versioning',
  title: 'S3 buckets have versioning enabled',
  appliesTo: ['aws_s3_bucket'],
  fix: 'Add S3BucketVersioningA { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }.',
  evaluate: evaluateS3Versioning,
};
