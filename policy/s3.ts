/**
 * Since AWS provider 4.x an S3 bucket's settings are separate resources (aws_s3_bucket_versioning, ...) pointing at
 * the bucket through `bucket`. This finds them for a given aws_s3_bucket element.
 */
import { refersTo } from './terraform';
import type { PolicyContext, TfElement } from './types';

/** Companion resources of `type` whose `bucket` references the bucket element or repeats its literal name. */
export function bucketCompanions(bucket: TfElement, type: string, context: PolicyContext): readonly TfElement[] {
  const name = bucket.attributes['bucket'];
  return context.ofType(type).filter((companion) => {
    const target = companion.attributes['bucket'];
    return refersTo(target, bucket.address) || (typeof name === 'string' && !name.includes('${') && target === name);
  });
}
