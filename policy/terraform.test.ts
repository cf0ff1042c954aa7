import { blocks, interpolations, parseJsonArgument, referencedAddresses, refersTo, sameTarget, tagValue } from './terraform';

describe('interpolations', () => {
  test.each([
    ['${aws_vpc.vpc.id}', ['aws_vpc.vpc.id']],
    ['${aws_s3_bucket.b.arn}/*', ['aws_s3_bucket.b.arn']],
    ['${jsonencode({a = 1})}', ['jsonencode({a = 1})']],
    ['a ${x.y} b ${z.w}', ['x.y', 'z.w']],
    ['literal $${not.a.ref}', []],
    ['no expression', []],
  ])('%p → %p', (text, expected) => {
    expect(interpolations(text)).toEqual(expected);
  });
});

describe('referencedAddresses', () => {
  test('finds resource and data addresses at any depth, including names with hyphens', () => {
    const value = {
      vpc_id: '${aws_vpc.main-vpc.id}',
      list: ['${data.aws_iam_policy_document.task.json}', 'plain'],
      nested: { deep: '${element(aws_subnet.private.*.id, 0)}' },
    };
    expect([...referencedAddresses(value)].sort()).toEqual([
      'aws_subnet.private',
      'aws_vpc.main-vpc',
      'data.aws_iam_policy_document.task',
    ]);
  });

  test('a data source is not the resource of the same name', () => {
    expect(refersTo('${data.aws_vpc.vpc.id}', 'aws_vpc.vpc')).toBe(false);
    expect(refersTo('${data.aws_vpc.vpc.id}', 'data.aws_vpc.vpc')).toBe(true);
  });

  test('text outside ${...} is not a reference', () => {
    expect(refersTo('see aws_vpc.vpc.id', 'aws_vpc.vpc')).toBe(false);
  });
});

describe('sameTarget', () => {
  test.each([
    ['${aws_iam_role.a.arn}', '${aws_iam_role.a.name}', true],
    ['${aws_iam_role.a.arn}', '${aws_iam_role.b.arn}', false],
    ['arn:x', 'arn:x', true],
    ['arn:x', '${aws_iam_role.a.arn}', false],
    [undefined, undefined, false],
  ])('%p vs %p → %p', (a, b, expected) => {
    expect(sameTarget(a, b)).toBe(expected);
  });
});

describe('blocks', () => {
  test('normalizes list blocks, single blocks and absent blocks', () => {
    expect(blocks([{ a: 1 }, { b: 2 }])).toEqual([{ a: 1 }, { b: 2 }]);
    expect(blocks({ enabled: true })).toEqual([{ enabled: true }]);
    expect(blocks(null)).toEqual([]);
    expect(blocks(undefined)).toEqual([]);
  });
});

describe('parseJsonArgument', () => {
  test('parses JSON strings that carry references inside string values', () => {
    expect(parseJsonArgument('[{"value":"${aws_iam_role.r.arn}"}]')).toEqual({
      ok: true,
      value: [{ value: '${aws_iam_role.r.arn}' }],
    });
  });

  test('explains why an HCL expression cannot be read', () => {
    expect(parseJsonArgument('${jsonencode([])}')).toEqual({ ok: false, reason: expect.stringMatching(/HCL expression/) });
    expect(parseJsonArgument('{oops')).toEqual({ ok: false, reason: 'it is not valid JSON' });
  });
});

describe('tagValue', () => {
  test('matches the key case-insensitively', () => {
    expect(tagValue({ tags: { tier: 'public' } }, 'Tier')).toBe('public');
    expect(tagValue({}, 'Tier')).toBeUndefined();
  });
});
