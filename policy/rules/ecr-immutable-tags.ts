import { describeValue } from '../terraform';
import { COMPLIANT, nonCompliant, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** With mutable tags a later push silently changes what an already deployed tag runs; immutable tags make a tag mean one image (docs/design.md#image-pin). */
export function evaluateEcrImmutableTags(element: TfElement): RuleResult {
  const value = element.attributes['image_tag_mutability'];
  if (value === 'IMMUTABLE') {
    return COMPLIANT;
  }
  return nonCompliant(
    value === undefined || value === null
      ? 'image_tag_mutability is not set (provider default: MUTABLE)'
      : `image_tag_mutability is ${describeValue(value)}`,
  );
}

export const ecrImmutableTags: PolicyRule = {
  id: 'ecr-immutable-tags',
  title: 'ECR repositories have immutable tags',
  appliesTo: ['aws_ecr_repository'],
  fix: 'Set imageTagMutability: "IMMUTABLE" and deploy by a unique tag or digest.',
  evaluate: evaluateEcrImmutableTags,
};
