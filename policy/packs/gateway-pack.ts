/**
 * The rule pack every stack of the LLM gateway is held to: every rule of the catalogue (policy/rules/index.ts, whose
 * line order, grouped by area, is the pack's). A pack that needs fewer rules filters ALL_RULES rather than listing
 * them again.
 */
import { ALL_RULES } from '../catalogue';
import type { PolicyPack } from '../types';

export const gatewayPack: PolicyPack = {
  name: 'llm-gateway',
  rules: ALL_RULES,
};
