import { ConfigIssue, FieldSpec, checkShape, declaredDefaults } from './schema';

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
    ['a number above max', 11, { kind: 'number', max: 10 }, { path: 'x', allowed: 'a number <= 10' }],
    ['a number below min', 0, { kind: 'number', min: 1, max: 10 }, { path: 'x', allowed: 'a number from 1 to 10' }],
    ['a fraction where an integer is due', 1.5, { kind: 'number', integer: true, min: 1 }, { path: 'x', allowed: 'an integer >= 1' }],
    ['a number not allowed', 2, { kind: 'number', allowed: [1, 3] }, { path: 'x', allowed: 'one of 1, 3' }],
    ['a number of the wrong type', '1', { kind: 'number' }, { path: 'x', allowed: 'a number' }],
    ['a non-finite number', Infinity, { kind: 'number' }, { path: 'x', allowed: 'a number' }],
    ['a boolean of the wrong type', 'true', { kind: 'boolean' }, { path: 'x', allowed: 'true or false' }],
    ['an array of the wrong type', 'a', { kind: 'array', items: { kind: 'string' } }, { path: 'x', problem: 'expected an array, got string' }],
    ['an array too long', ['a', 'b'], { kind: 'array', maxItems: 1, items: { kind: 'string' } }, { path: 'x', allowed: 'an array with at most 1 item(s) of a string' }],
    ['an array too short', [], { kind: 'array', minItems: 1, items: { kind: 'string' } }, { path: 'x', allowed: 'an array with at least 1 item(s) of a string' }],
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

describe('declaredDefaults', () => {
  const spec: FieldSpec & { fields: Record<string, FieldSpec> } = {
    kind: 'object',
    fields: {
      size: { kind: 'number', default: 1, defaultIn: { prod: 2 } } as FieldSpec,
      mode: { kind: 'string', default: 'a' } as FieldSpec,
      nested: { kind: 'object', fields: { on: { kind: 'boolean', default: false, defaultIn: { dev: true } } as FieldSpec } },
      existing: { kind: 'object', optional: true, fields: { id: { kind: 'string' } } },
      list: { kind: 'array', items: { kind: 'string' }, default: ['x'] } as FieldSpec,
    },
  };

  test('builds every environment\'s base from `default`, objects from their fields, nothing for an optional object', () => {
    expect(declaredDefaults(spec)).toEqual({ size: 1, mode: 'a', nested: { on: false }, list: ['x'] });
  });

  test('gives each environment only what its `defaultIn` changes', () => {
    expect(declaredDefaults(spec, 'prod')).toEqual({ size: 2 });
    expect(declaredDefaults(spec, 'dev')).toEqual({ nested: { on: true } });
    expect(declaredDefaults({ kind: 'object', fields: { mode: { kind: 'string', default: 'a' } as FieldSpec } }, 'prod')).toBeUndefined();
  });
});
