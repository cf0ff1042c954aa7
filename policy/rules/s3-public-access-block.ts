import { bucketCompanions } from '../s3';
import { isTrue } from '../terraform';
import { COMPLIANT, nonCompliant, type PolicyContext, type PolicyRule, type RuleResult, type TfElement } from '../types';

export const PUBLIC_ACCESS_FLAGS: readonly string[] = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
];

/** All four flags: each closes a different path (new ACLs, existing ACLs, new policies, existing public policies). */
export function evaluateS3PublicAccessBlock(element: TfElement, context: PolicyContext): RuleResult {
  const blocksFound = bucketCompanions(element, 'aws_s3_bucket_public_access_block', context);
  if (blocksFound.some((block) => PUBLIC_ACCESS_FLAGS.every((flag) => isTrue(block.attributes[flag])))) {
    return COMPLIANT;
  }
  if (blocksFound.length === 0) {
    return nonCompliant(`no aws_s3_bucket_public_access_block references ${element.address}`);
  }
  const missing = PUBLIC_ACCESS_FLAGS.filter((flag) => !blocksFound.some((block) => isTrue(block.attributes[flag])));
  return nonCompliant(`the public access block does not set ${missing.join(', ')} to true`);
}

export const s3PublicAccessBlock: PolicyRule = {
  id: 's3-public-access-block',
  title: 'S3 buckets block all public access',
  appliesTo: ['aws_s3_bucket'],
  fix: 'Add S3BucketPublicAccessBlock { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }.',
  evaluate: evaluateS3PublicAccessBlock,
};
