/**
 * The catalogue of every rule this project defines, read from the one-line registrations of rules/index.ts (in
 * their order). `suppress()` accepts only ids from here, so a typo in a suppression fails loudly instead of silently
 * suppressing nothing; packs are this list or a filter of it.
 */
import * as rules from './rules';
import type { PolicyRule } from './types';

// Typed: an export of rules/index.ts that is not a PolicyRule fails the type check here.
export const ALL_RULES: readonly PolicyRule[] = Object.freeze(Object.values(rules) satisfies PolicyRule[]);

export function findRule(id: string): PolicyRule | undefined {
  return ALL_RULES.find((rule) => rule.id === id);
}
