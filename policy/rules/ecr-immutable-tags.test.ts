import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { ecrImmutableTags } from './ecr-immutable-tags';

describe('ecr-immutable-tags', () => {
  test('an IMMUTABLE repository is compliant', () => {
    expect(evaluateIn(ecrImmutableTags, tfElement('aws_ecr_repository.gw', { image_tag_mutability: 'IMMUTABLE' }))).toEqual(
      COMPLIANT,
    );
  });

  test.each([
    [{}, 'image_tag_mutability is not set (provider default: MUTABLE)'],
    [{ image_tag_mutability: 'MUTABLE' }, 'image_tag_mutability is "MUTABLE"'],
  ])('%j is non-compliant', (attributes, finding) => {
    expect(findingsOf(evaluateIn(ecrImmutableTags, tfElement('aws_ecr_repository.gw', attributes)))).toEqual([finding]);
  });
});
