/**
 * The field specs are typed by their section's interface (config/schema.ts, SpecFor/ObjectSpecOf), so the interface
 * is the one list of fields. `tsc -p tsconfig.test.json` compiles this file: each `@ts-expect-error` below fails the
 * type check if the line under it compiles, i.e. if the typing stopped rejecting an extra key, a missing key, a
 * wrong optional-ness or a wrong kind.
 */
import { ObjectSpecOf, SpecFor } from './schema';
import { NetworkingConfig, networkingSpec } from './networking';
import { StateConfig, stateSpec } from './state';

interface Sample {
  readonly name: string;
  readonly size?: number;
  readonly mode: 'fast' | 'slow';
  readonly nested: { readonly on: boolean };
  readonly list: readonly string[];
}

const checked: unknown[] = [];

const sample: ObjectSpecOf<Sample> = {
  kind: 'object',
  fields: {
    name: { kind: 'string' },
    size: { kind: 'number', optional: true },
    mode: { kind: 'string', allowed: ['fast', 'slow'] },
    nested: { kind: 'object', fields: { on: { kind: 'boolean' } } },
    list: { kind: 'array', items: { kind: 'string' } },
  },
};
checked.push(sample);

const extraKey: ObjectSpecOf<Sample> = {
  kind: 'object',
  fields: {
    ...sample.fields,
    // @ts-expect-error a key the interface does not have
    colour: { kind: 'string' },
  },
};
checked.push(extraKey);

const { size: _size, ...withoutSize } = sample.fields;
checked.push(_size);
const missingKey: ObjectSpecOf<Sample> = {
  kind: 'object',
  // @ts-expect-error `size` is a key of the interface, so its spec is required
  fields: withoutSize,
};
checked.push(missingKey);

const nestedExtra: ObjectSpecOf<Sample> = {
  kind: 'object',
  fields: {
    ...sample.fields,
    // @ts-expect-error nested objects are checked too
    nested: { kind: 'object', fields: { on: { kind: 'boolean' }, off: { kind: 'boolean' } } },
  },
};
checked.push(nestedExtra);

const notOptional: ObjectSpecOf<Sample> = {
  kind: 'object',
  fields: {
    ...sample.fields,
    // @ts-expect-error `size` is optional in the interface, so its spec must say `optional: true`
    size: { kind: 'number' },
  },
};
checked.push(notOptional);

const wronglyOptional: ObjectSpecOf<Sample> = {
  kind: 'object',
  fields: {
    ...sample.fields,
    // @ts-expect-error `name` is required in the interface, so its spec must not be optional
    name: { kind: 'string', optional: true },
  },
};
checked.push(wronglyOptional);

const wrongKind: ObjectSpecOf<Sample> = {
  kind: 'object',
  fields: {
    ...sample.fields,
    // @ts-expect-error `name` is a string
    name: { kind: 'number' },
  },
};
checked.push(wrongKind);

const openEnum: ObjectSpecOf<Sample> = {
  kind: 'object',
  fields: {
    ...sample.fields,
    // @ts-expect-error a closed set of strings needs `allowed`, with exactly those strings
    mode: { kind: 'string', allowed: ['fast', 'slow', 'warp'] },
  },
};
checked.push(openEnum);

const enumWithoutAllowed: ObjectSpecOf<Sample> = {
  kind: 'object',
  fields: {
    ...sample.fields,
    // @ts-expect-error without `allowed` any string would pass for a closed set
    mode: { kind: 'string' },
  },
};
checked.push(enumWithoutAllowed);

const arrayItems: SpecFor<readonly string[]> = {
  kind: 'array',
  // @ts-expect-error array items are typed by the element type
  items: { kind: 'number' },
};
checked.push(arrayItems);

// A real section: networking's spec with one key too many and one too few.
const networkingExtra: ObjectSpecOf<NetworkingConfig> = {
  kind: 'object',
  fields: {
    ...networkingSpec.fields,
    // @ts-expect-error NetworkingConfig has no `vpcCidrs`
    vpcCidrs: { kind: 'string' },
  },
};
checked.push(networkingExtra);

const { vpcCidr: _vpcCidr, ...networkingWithoutCidr } = networkingSpec.fields;
checked.push(_vpcCidr);
const networkingMissing: ObjectSpecOf<NetworkingConfig> = {
  kind: 'object',
  // @ts-expect-error NetworkingConfig.vpcCidr has no spec
  fields: networkingWithoutCidr,
};
checked.push(networkingMissing);

// A union of object types (state: s3 | cloud) is one object of every member's keys; keys of one member only are optional.
const stateRequiredOrganization: ObjectSpecOf<StateConfig> = {
  kind: 'object',
  fields: {
    ...stateSpec.fields,
    // @ts-expect-error `organization` exists in the cloud member only
    organization: { kind: 'string' },
  },
};
checked.push(stateRequiredOrganization);

// Defaults are typed by the field they belong to, in every environment.
const wrongDefault: ObjectSpecOf<Sample> = {
  kind: 'object',
  fields: {
    ...sample.fields,
    // @ts-expect-error 'warp' is not a value of `mode`
    mode: { kind: 'string', allowed: ['fast', 'slow'], default: 'warp' },
  },
};
checked.push(wrongDefault);

const wrongEnvironmentDefault: ObjectSpecOf<Sample> = {
  kind: 'object',
  fields: {
    ...sample.fields,
    // @ts-expect-error a number field's prod default must be a number
    size: { kind: 'number', optional: true, default: 1, defaultIn: { prod: '2' } },
  },
};
checked.push(wrongEnvironmentDefault);

const unknownEnvironment: ObjectSpecOf<Sample> = {
  kind: 'object',
  fields: {
    ...sample.fields,
    // @ts-expect-error only the environments of ENVIRONMENT_NAMES may differ
    name: { kind: 'string', default: 'a', defaultIn: { staging: 'b' } },
  },
};
checked.push(unknownEnvironment);

describe('spec typing', () => {
  test('the type-level cases above are values too (their checking is tsc -p tsconfig.test.json)', () => {
    expect(checked.every((c) => c !== undefined)).toBe(true);
  });
});
