import { ConfigIssue, FieldSpec, checkShape } from './schema';

/** The engine's own checks, one case each: the problem it names, at the path it names. */
function issuesOf(value: unknown, spec: FieldSpec): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  checkShape(value, spec, 'x', issues);
  return issues;
}

describe('checkShape', () => {
  test.each<[string, unknown, FieldSpec, Partial<ConfigIssue>]>([
    ['a missing required field', undefined, { kind: 'string' }, { path: 'x', problem: 'required field is missing' }],
    ['a string of the wrong type', 5, { kind: 'string' }, { path: 'x', problem: 'expected a string, got number' }],
    ['a string not allowed', 'c', { kind: 'string', allowed: ['a', 'b'] }, { path: 'x', allowed: 'one of "a", "b"' }],
    ['a string not matching', 'A', { kind: 'string', pattern: /^[a-z]$/, describe: 'a letter' }, { path: 'x', allowed: 'a letter' }],
    ['a number out of range', 11, { kind: 'number', max: 10 }, { path: 'x', allowed: 'a number <= 10' }],
    ['a number of the wrong type', '1', { kind: 'number' }, { path: 'x', allowed: 'a number' }],
    ['a non-finite number', Infinity, { kind: 'number' }, { path: 'x', allowed: 'a number' }],
    ['a boolean of the wrong type', 'true', { kind: 'boolean' }, { path: 'x', allowed: 'true or false' }],
    ['an array of the wrong type', 'a', { kind: 'array', items: { kind: 'string' } }, { path: 'x', problem: 'expected an array, got string' }],
    ['an array too long', ['a', 'b'], { kind: 'array', maxItems: 1, items: { kind: 'string' } }, { path: 'x' }],
    ['an array with duplicates', ['a', 'a'], { kind: 'array', unique: true, items: { kind: 'string' } }, { path: 'x', problem: 'duplicate items' }],
    ['a bad array item', ['a', 1], { kind: 'array', items: { kind: 'string' } }, { path: 'x[1]', problem: 'expected a string, got number' }],
    ['a record of the wrong type', [], { kind: 'record', values: { kind: 'string' } }, { path: 'x', problem: 'expected an object, got array' }],
    ['a record key not matching', { B: 'v' }, { kind: 'record', keyPattern: /^[a-z]+$/, keyDescribe: 'lower-case keys', values: { kind: 'string' } }, { path: 'x.B', problem: 'invalid key', allowed: 'lower-case keys' }],
    ['a bad record value', { a: 1 }, { kind: 'record', values: { kind: 'string' } }, { path: 'x.a', problem: 'expected a string, got number' }],
    ['an object of the wrong type', null, { kind: 'object', fields: {} }, { path: 'x', problem: 'expected an object, got null' }],
    ['an unknown key', { a: 'v', b: 'w' }, { kind: 'object', fields: { a: { kind: 'string' } } }, { path: 'x.b', problem: 'unknown key', allowed: 'one of the keys a' }],
    ['a bad object field', { a: 1 }, { kind: 'object', fields: { a: { kind: 'string' } } }, { path: 'x.a', problem: 'expected a string, got number' }],
  ])('reports %s', (_name, value, spec, expected) => {
    const issues = issuesOf(value, spec);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject(expected);
  });

  test('accepts an absent optional field, and a value that meets its spec', () => {
    expect(issuesOf(undefined, { kind: 'string', optional: true })).toEqual([]);
    expect(issuesOf({ a: ['x'], r: { k: 1 } }, { kind: 'object', fields: { a: { kind: 'array', items: { kind: 'string' } }, r: { kind: 'record', values: { kind: 'number' } } } })).toEqual([]);
  });
});
