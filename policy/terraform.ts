/**
 * Helpers for reading resolved Terraform JSON as cdktf 0.21 emits it.
 *
 * Measured shapes: list blocks are arrays (`default_action: [{...}]`, `ingress: [{...}]`), single-item blocks are
 * objects (`point_in_time_recovery: {...}`, `redirect: {...}`), unset inline-block fields are `null`, references are
 * strings such as `${aws_vpc.vpc.id}` and HCL expressions such as `${jsonencode(...)}` stay strings. Helpers accept
 * both block shapes so a rule survives a provider that switches between them.
 */
import type { JsonObject, JsonValue } from './types';

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A nested block as a list, whether cdktf emitted an array, a single object or nothing. */
export function blocks(value: JsonValue | undefined): readonly JsonObject[] {
  if (Array.isArray(value)) {
    return value.filter((item): item is JsonObject => isJsonObject(item));
  }
  return isJsonObject(value) ? [value] : [];
}

/** The first (for max-items-1 blocks: the only) block, if any. */
export function firstBlock(value: JsonValue | undefined): JsonObject | undefined {
  return blocks(value)[0];
}

/** True only for a literal true. Unknown-until-apply values (`${var.x}`) are not true: a rule cannot prove them. */
export function isTrue(value: JsonValue | undefined): boolean {
  return value === true || value === 'true';
}

export function asString(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A number, also from a numeric string (Terraform coerces), else undefined. */
export function asNumber(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
    return Number(value);
  }
  return undefined;
}

/** A list of strings from a string list or a single string (IAM JSON allows both). */
export function stringList(value: JsonValue | undefined): readonly string[] {
  if (typeof value === 'string') {
    return [value];
  }
  if (Array.isArray(value)) {
    return value.filter((item): item is string => typeof item === 'string');
  }
  return [];
}

export function isNonEmptyString(value: JsonValue | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** True when the string holds a Terraform interpolation, i.e. its value is only known at plan/apply time. */
export function isUnresolved(value: JsonValue | undefined): boolean {
  return typeof value === 'string' && interpolations(value).length > 0;
}

/** Human-readable value for messages: `not set`, `false`, `"ELBSecurityPolicy-2016-08"`. */
export function describeValue(value: JsonValue | undefined): string {
  if (value === undefined || value === null) {
    return 'not set';
  }
  return JSON.stringify(value);
}

/**
 * The expressions inside `${...}` of a string, with nested braces balanced (`${jsonencode({a = 1})}`).
 * `$${` is Terraform's escape for a literal `${` and is skipped.
 */
export function interpolations(text: string): readonly string[] {
  const found: string[] = [];
  let index = text.indexOf('${');
  while (index !== -1) {
    if (index > 0 && text[index - 1] === '$') {
      index = text.indexOf('${', index + 2);
      continue;
    }
    let depth = 1;
    let cursor = index + 2;
    while (cursor < text.length && depth > 0) {
      const char = text[cursor];
      if (char === '{') {
        depth += 1;
      } else if (char === '}') {
        depth -= 1;
      }
      cursor += 1;
    }
    found.push(text.slice(index + 2, depth === 0 ? cursor - 1 : cursor));
    index = text.indexOf('${', cursor);
  }
  return found;
}

/*
 * A resource address inside an expression: `aws_vpc.vpc` in `aws_vpc.vpc.id`, `data.aws_iam_policy_document.x` in
 * `data.aws_iam_policy_document.x.json`. The look-behind stops `aws_vpc.vpc` matching inside
 * `data.aws_vpc.vpc` or an attribute path; names may contain hyphens (cdktf ids such as
 * `cross-stack-reference-input-network`). `var.x`, `local.y` and `each.value` match too and simply never equal
 * an element address.
 */
const ADDRESS = /(?<![\w.-])((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)/g;

/** Every element address referenced from a value, searching strings at any depth. */
export function referencedAddresses(value: JsonValue | undefined): ReadonlySet<string> {
  const addresses = new Set<string>();
  const visit = (node: JsonValue | undefined): void => {
    if (typeof node === 'string') {
      for (const expression of interpolations(node)) {
        for (const match of expression.matchAll(ADDRESS)) {
          addresses.add(match[1] ?? '');
        }
      }
    } else if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (isJsonObject(node)) {
      Object.values(node).forEach(visit);
    }
  };
  visit(value);
  addresses.delete('');
  return addresses;
}

/** True when the value references the element at `address` (e.g. `vpc_id: "${aws_vpc.vpc.id}"` → `aws_vpc.vpc`). */
export function refersTo(value: JsonValue | undefined, address: string): boolean {
  return referencedAddresses(value).has(address);
}

/**
 * Whether two values point at the same thing: the same referenced element for references (`.arn` vs `.id` of one
 * role is still one role), plain equality for literals.
 */
export function sameTarget(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  const refsA = referencedAddresses(a);
  const refsB = referencedAddresses(b);
  if (refsA.size > 0 && refsB.size > 0) {
    return [...refsA].some((address) => refsB.has(address));
  }
  return a !== undefined && a !== null && a === b;
}

export type JsonParse = { readonly ok: true; readonly value: JsonValue } | { readonly ok: false; readonly reason: string };

/**
 * Parses a JSON-string argument (`container_definitions`, `policy`). Interpolations inside JSON string values
 * (`"${aws_iam_role.task.arn}"`) parse fine; a whole-value HCL expression (`${jsonencode(...)}`, from `Fn.jsonencode`)
 * does not, and is reported so the rule can say why it cannot verify the value.
 */
export function parseJsonArgument(value: JsonValue | undefined): JsonParse {
  if (value === undefined || value === null) {
    return { ok: false, reason: 'not set' };
  }
  if (typeof value !== 'string') {
    // An override may put the structure in directly; that is already parsed.
    return { ok: true, value };
  }
  try {
    return { ok: true, value: JSON.parse(value) as JsonValue };
  } catch {
    return {
      ok: false,
      reason: value.trimStart().startsWith('${')
        ? 'it is an HCL expression (e.g. Fn.jsonencode) whose content is only known to Terraform; build it with JSON.stringify'
        : 'it is not valid JSON',
    };
  }
}

/** Tag value by key, comparing keys case-insensitively (`Tier` / `tier`). */
export function tagValue(attributes: JsonObject, key: string): string | undefined {
  const tags = attributes['tags'];
  if (!isJsonObject(tags)) {
    return undefined;
  }
  const match = Object.keys(tags).find((candidate) => candidate.toLowerCase() === key.toLowerCase());
  return match === undefined ? undefined : asString(tags[match]);
}
