import { describe } from '../terraform';
import { COMPLIANT, nonCompliant, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** With mutable tags a push can silently change what a deployed tag runs (the LiteLLM supply-chain incident of 2026). */
export function evaluateEcrImmutableTags(element: TfElement): RuleResult {
  const value = element.attributes['image_tag_mutability'];
  // The provider default is MUTABLE.
  return value === 'IMMUTABLE' ? COMPLIANT : nonCompliant(`image_tag_mutability is ${describe(value ?? 'MUTABLE (default)')}`);
}

export const ecrImmutableTags: PolicyRule = {
  id: 'ecr-immutable-tags',
  title: 'ECR repositories have immutable tags',
  appliesTo: ['aws_ecr_repository'],
  fix: 'Set imageTagMutability: "IMMUTABLE" and deploy by a unique tag or digest.',
  evaluate: evaluateEcrImmutableTags,
};
