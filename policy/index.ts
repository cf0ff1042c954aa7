/** Public API of the policy engine. Stacks call applyPolicy; exceptions go through suppress. */
export { createContext, elementsOf } from './context';
export {
  applyPolicy,
  evaluateElements,
  evaluateStack,
  formatViolation,
  policyOptionsOf,
  type Finding,
  type PolicyOptions,
  type RuleRow,
  type StackReport,
  type UnusedSuppression,
} from './engine';
export { gatewayPack } from './packs/gateway-pack';
export { formatStackReport, violationCount } from './report';
export { ALL_RULES, findRule } from './catalogue';
export { MIN_REASON_LENGTH, suppress, suppressionsOf, type Suppression } from './suppressions';
export * from './types';
