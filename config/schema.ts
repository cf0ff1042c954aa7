/**
 * A small declarative schema for the configuration: it rejects unknown keys and wrong types with a message that
 * names the field, the value and what is allowed. Hand-written rather than a library because the messages are the
 * product here and the shape is small.
 */

import type { NamingContext } from './naming';

/**
 * The environments a default may differ in (config/environments.ts builds each one's values from the specs).
 * Any other environment name is refused by loadConfig.
 */
export const ENVIRONMENT_NAMES = ['dev', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

interface BaseSpec {
  /** The field may be absent (undefined). */
  readonly optional?: boolean;
  /**
   * One line for the field's row in docs/configuration.md (generated: scripts/docs.ts): what it does, and the
   * cross-field rules that bind it.
   */
  readonly doc?: string;
}

/**
 * A field's defaults, typed by its value type T (SpecFor adds them to every field spec of an interface).
 * `default`: the value in every environment unless `defaultIn` names it; absent on an object, whose fields' defaults
 * make it, and on fields of optional objects, array items and record values. `defaultIn`: where an environment's
 * default differs, each difference deliberate (a resource or a cost that exists in one environment only).
 */
export interface DefaultsOf<T> {
  readonly default?: T;
  readonly defaultIn?: { readonly [E in EnvironmentName]?: T };
}

export interface StringSpec<T extends string = string> extends BaseSpec {
  readonly kind: 'string';
  readonly allowed?: readonly T[];
  readonly pattern?: RegExp;
  /** Human description of `pattern`, used in the error message. */
  readonly describe?: string;
}

export interface NumberSpec extends BaseSpec {
  readonly kind: 'number';
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** The value must be one of these (e.g. CloudWatch retention days). */
  readonly allowed?: readonly number[];
}

export interface BooleanSpec extends BaseSpec {
  readonly kind: 'boolean';
}

export interface ObjectSpec<F extends Readonly<Record<string, FieldSpec>> = Readonly<Record<string, FieldSpec>>> extends BaseSpec {
  readonly kind: 'object';
  readonly fields: F;
}

export interface ArraySpec<I extends FieldSpec = FieldSpec> extends BaseSpec {
  readonly kind: 'array';
  readonly items: I;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly unique?: boolean;
}

export interface RecordSpec<V extends FieldSpec = FieldSpec> extends BaseSpec {
  readonly kind: 'record';
  readonly values: V;
  readonly keyPattern?: RegExp;
  readonly keyDescribe?: string;
}

export type FieldSpec = StringSpec | NumberSpec | BooleanSpec | ObjectSpec | ArraySpec | RecordSpec;

// Specs typed by the interface they check, so that the interface is the one list of a section's fields: a spec that
// misses a key of the interface, has a key the interface lacks, or disagrees on whether a key is optional fails to
// compile (config/spec-types.test.ts shows each case). Unions of object types (StateConfig) are checked as one
// object holding every member's keys, optional unless every member requires them.

type UnionKeys<T> = T extends unknown ? keyof T : never;
type OptionalKeys<T> = T extends unknown ? { [K in keyof T]-?: {} extends Pick<T, K> ? K : never }[keyof T] : never;
/** Keys some member lacks or marks optional: their spec must say `optional: true`. */
type LooseKeys<T> = OptionalKeys<T> | Exclude<UnionKeys<T>, keyof T>;
type ValueAt<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? T[K] : never) : never;

/** The field specs of an object type: exactly its keys, `optional: true` exactly where the key is optional. */
export type FieldSpecsOf<T> = {
  readonly [K in UnionKeys<T> & string]-?: SpecFor<ValueAt<T, K>> & (K extends LooseKeys<T> ? { readonly optional: true } : { readonly optional?: false });
};

export type ObjectSpecOf<T> = ObjectSpec<FieldSpecsOf<T>>;

type StringSpecFor<T extends string> = string extends T ? StringSpec : StringSpec<T> & { readonly allowed: readonly T[] };

type ObjectOrRecordSpecFor<T> = string extends keyof T
  ? RecordSpec<SpecFor<T[keyof T]>>
  : {} extends T
    ? // Every key optional (a partial record such as guardrail content filters): a record spec whose key pattern
      // names the keys is the other honest way to check it.
      ObjectSpecOf<T> | RecordSpec<SpecFor<T[keyof T]>>
    : ObjectSpecOf<T>;

type SpecForDefined<T> = [T] extends [string]
  ? StringSpecFor<T>
  : [T] extends [number]
    ? NumberSpec
    : [T] extends [boolean]
      ? BooleanSpec
      : [T] extends [readonly (infer U)[]]
        ? ArraySpec<SpecFor<U>>
        : [T] extends [object]
          ? ObjectOrRecordSpecFor<T>
          : never;

/**
 * Defaults computed from the application name and the environment (which an override may change), kept next to
 * their section's other defaults; loadConfig applies each one the merged configuration leaves unset.
 */
export type DerivedDefaults<T> = { readonly [K in keyof T]?: (ctx: NamingContext) => Exclude<T[K], undefined> };

/** A spec of a required field, for specs shared by several fields. */
export type Mandatory<S extends FieldSpec> = S & { readonly optional?: false };

/** The spec that checks values of type T (undefined aside: optional-ness is the parent's business). */
export type SpecFor<T> = SpecForDefined<Exclude<T, undefined>> & DefaultsOf<Exclude<T, undefined>>;

/** One problem found in the configuration. */
export interface ConfigIssue {
  /** Dotted path of the field, e.g. `networking.vpcCidr`. */
  readonly path: string;
  /** The offending value (rendered with JSON.stringify in messages). */
  readonly value: unknown;
  /** What would have been accepted. */
  readonly allowed: string;
  /** Optional extra explanation, e.g. "unknown key". */
  readonly problem?: string;
}

export function render(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** Checks `value` against `spec`, appending every problem to `issues`. */
export function checkShape(value: unknown, spec: FieldSpec, path: string, issues: ConfigIssue[]): void {
  if (value === undefined) {
    if (!spec.optional) issues.push({ path, value, allowed: describeSpec(spec), problem: 'required field is missing' });
    return;
  }
  switch (spec.kind) {
    case 'string': {
      if (typeof value !== 'string') {
        issues.push({ path, value, allowed: describeSpec(spec), problem: `expected a string, got ${typeOf(value)}` });
      } else if (spec.allowed && !spec.allowed.includes(value)) {
        issues.push({ path, value, allowed: describeSpec(spec) });
      } else if (spec.pattern && !spec.pattern.test(value)) {
        issues.push({ path, value, allowed: describeSpec(spec) });
      }
      return;
    }
    case 'number': {
      const ok =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (!spec.integer || Number.isInteger(value)) &&
        (spec.min === undefined || value >= spec.min) &&
        (spec.max === undefined || value <= spec.max) &&
        (!spec.allowed || spec.allowed.includes(value));
      if (!ok) issues.push({ path, value, allowed: describeSpec(spec) });
      return;
    }
    case 'boolean': {
      if (typeof value !== 'boolean') issues.push({ path, value, allowed: 'true or false' });
      return;
    }
    case 'array': {
      if (!Array.isArray(value)) {
        issues.push({ path, value, allowed: describeSpec(spec), problem: `expected an array, got ${typeOf(value)}` });
        return;
      }
      if ((spec.minItems !== undefined && value.length < spec.minItems) || (spec.maxItems !== undefined && value.length > spec.maxItems)) {
        issues.push({ path, value, allowed: describeSpec(spec) });
      }
      if (spec.unique && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
        issues.push({ path, value, allowed: 'distinct items', problem: 'duplicate items' });
      }
      value.forEach((item, i) => checkShape(item, spec.items, join(path, i), issues));
      return;
    }
    case 'record':
    case 'object': {
      if (typeOf(value) !== 'object') {
        issues.push({ path, value, allowed: describeSpec(spec), problem: `expected an object, got ${typeOf(value)}` });
        return;
      }
      const obj = value as Record<string, unknown>;
      if (spec.kind === 'record') {
        for (const [key, item] of Object.entries(obj)) {
          if (spec.keyPattern && !spec.keyPattern.test(key)) {
            issues.push({ path: join(path, key), value: key, allowed: spec.keyDescribe ?? String(spec.keyPattern), problem: 'invalid key' });
          }
          checkShape(item, spec.values, join(path, key), issues);
        }
        return;
      }
      const known = Object.keys(spec.fields);
      for (const key of Object.keys(obj)) {
        if (!known.includes(key)) {
          issues.push({ path: join(path, key), value: obj[key], allowed: `one of the keys ${known.join(', ')}`, problem: 'unknown key' });
        }
      }
      for (const key of known) checkShape(obj[key], spec.fields[key], join(path, key), issues);
      return;
    }
  }
}

/** One node of a spec tree, at its generic path: `agents[].name` for array items, `tags.*` for record values. */
export interface SpecNode {
  readonly path: string;
  readonly spec: FieldSpec;
}

/** Every node of a spec, depth first (the root at path ''): what the rule and documentation tests walk. */
export function specNodes(spec: FieldSpec, path = ''): SpecNode[] {
  const children =
    spec.kind === 'object'
      ? Object.entries(spec.fields).flatMap(([key, child]) => specNodes(child, join(path, key)))
      : spec.kind === 'array'
        ? specNodes(spec.items, `${path}[]`)
        : spec.kind === 'record'
          ? specNodes(spec.values, join(path, '*'))
          : [];
  return [{ path, spec }, ...children];
}

export function describeSpec(spec: FieldSpec): string {
  switch (spec.kind) {
    case 'string':
      if (spec.allowed) return `one of ${spec.allowed.map((a) => JSON.stringify(a)).join(', ')}`;
      return spec.describe ?? (spec.pattern ? `a string matching ${spec.pattern}` : 'a string');
    case 'number': {
      if (spec.allowed) return `one of ${spec.allowed.join(', ')}`;
      const noun = spec.integer ? 'an integer' : 'a number';
      if (spec.min !== undefined && spec.max !== undefined) return `${noun} from ${spec.min} to ${spec.max}`;
      if (spec.min !== undefined) return `${noun} >= ${spec.min}`;
      if (spec.max !== undefined) return `${noun} <= ${spec.max}`;
      return noun;
    }
    case 'boolean':
      return 'true or false';
    case 'array': {
      const bounds =
        spec.minItems !== undefined && spec.maxItems !== undefined
          ? ` with ${spec.minItems} to ${spec.maxItems} items`
          : spec.minItems !== undefined
            ? ` with at least ${spec.minItems} item(s)`
            : spec.maxItems !== undefined
              ? ` with at most ${spec.maxItems} item(s)`
              : '';
      return `an array${bounds} of ${describeSpec(spec.items)}`;
    }
    case 'record':
      return `an object mapping ${spec.keyDescribe ?? 'names'} to ${describeSpec(spec.values)}`;
    case 'object':
      return `an object with keys ${Object.keys(spec.fields).join(', ')}`;
  }
}

// Shared field specs, so the same thing is described the same way everywhere.

const CIDR = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\/(\d|[12]\d|3[0-2])$/;

export const cidrSpec: Mandatory<StringSpec> = { kind: 'string', pattern: CIDR, describe: 'an IPv4 CIDR block like 10.0.0.0/16' };

export function isCidr(value: string): boolean {
  return CIDR.test(value);
}

/** CloudWatch Logs accepts only these retention periods (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const logRetentionSpec: Mandatory<NumberSpec> = { kind: 'number', allowed: LOG_RETENTION_DAYS };

export const arnSpec = <O extends boolean = false>(service: string, optional?: O): StringSpec & { readonly optional: O } => ({
  kind: 'string',
  optional: (optional ?? false) as O,
  pattern: new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]*:\\d{12}:.+$`),
  describe: `an ARN like arn:aws:${service}:<region>:<account-id>:...`,
});

/**
 * The defaults a spec declares, as one value. Without `environment`: a node's `default`, else (a required object)
 * the object of its fields' defaults. With it: only what that environment changes (`defaultIn`), as a partial
 * object to merge over the former, or undefined where it changes nothing.
 */
export function declaredDefaults(spec: FieldSpec, environment?: EnvironmentName): unknown {
  const node = spec as FieldSpec & DefaultsOf<unknown>;
  if (environment !== undefined) {
    if (node.defaultIn !== undefined && Object.prototype.hasOwnProperty.call(node.defaultIn, environment)) return node.defaultIn[environment];
  } else if (node.default !== undefined) {
    return node.default;
  }
  if (spec.kind !== 'object' || (environment === undefined && spec.optional)) return undefined;
  const fields = Object.entries(spec.fields).flatMap(([key, field]) => {
    const value = declaredDefaults(field, environment);
    return value === undefined ? [] : [[key, value] as const];
  });
  return environment !== undefined && fields.length === 0 ? undefined : Object.fromEntries(fields);
}

/**
 * A section's defaults, typed by the interface its spec checks. The values are typed field by field in the spec
 * (SpecFor); that every required field has one is checked when loadConfig runs the shape check over them. `Derived`
 * names the fields computed from the names instead (DerivedDefaults), which the result lacks.
 */
export function defaultsOf<T, Derived extends keyof T = never>(spec: ObjectSpecOf<T>): Omit<T, Derived> {
  return declaredDefaults(spec) as Omit<T, Derived>;
}
