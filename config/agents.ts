import { ConfigIssue, Mandatory, NumberSpec, SpecFor } from './schema';

/**
 * One agent calling the gateway with its own LiteLLM virtual key. The key's value is generated into a Secrets
 * Manager secret (modules/agent-keys) and registered in LiteLLM by the reconciler container of the gateway task
 * (gateway-image/reconciler/reconcile_keys.py). docs/agents.md has the whole flow.
 */
export interface AgentConfig {
  /**
   * The key's `key_alias` in LiteLLM, the metric line's `key_alias`, the `Agent` metric dimension, and part of
   * the secret's name: lower-case letters, digits and single hyphens, 2-32 characters.
   */
  readonly name: string;
  /**
   * Model aliases (`model_name` in gateway-image/config/litellm_config.yaml) the agent asks for. Checked against the
   * model catalogue at synth. The key is also granted the catalogue's fallback targets of these aliases, so a
   * router fallback stays allowed if key checks on fallbacks are turned on (docs/agents.md).
   */
  readonly models: readonly string[];
  /** Spend limit in USD of the key (LiteLLM `max_budget`). @default - no limit */
  readonly maxBudgetUsd?: number;
  /**
   * How often the spend resets (LiteLLM `budget_duration`): a number and one of s, m, h, d, w, mo, e.g. `30d`,
   * `1h`, `1mo`. Only with maxBudgetUsd. @default - never resets
   */
  readonly budgetDuration?: string;
  /** Requests per minute of the key (LiteLLM `rpm_limit`). @default - no key limit (the model's limits apply) */
  readonly rpmLimit?: number;
  /** Tokens per minute of the key (LiteLLM `tpm_limit`). @default - no key limit */
  readonly tpmLimit?: number;
  /**
   * Bump to rotate the key: a new value is written to the agent's secret, the task definition changes, and the
   * new tasks' reconciler replaces the key in LiteLLM.
   */
  readonly keyVersion?: number;
}

/** The document-processing agents of docs/agents.md: complex reasoning on claude-primary, simpler tasks on claude-fast. */
export const agentsDefaults: readonly AgentConfig[] = [
  { name: 'supervisor', models: ['claude-primary'] },
  { name: 'chunking', models: ['claude-fast'] },
  { name: 'extraction', models: ['claude-primary'] },
  { name: 'mapping', models: ['claude-primary'] },
  { name: 'validation', models: ['claude-fast'] },
];

export const AGENT_NAME = /^(?!.*--)[a-z][a-z0-9-]{0,30}[a-z0-9]$/;

/**
 * LiteLLM's durations (litellm/litellm_core_utils/duration_parser.py, duration_in_seconds): an integer and one of
 * s, m, h, d, w, mo. Its parser matches a prefix only, so "30days" would silently mean 30 seconds: anchored here.
 */
export const LITELLM_DURATION = /^[1-9][0-9]{0,5}(s|m|h|d|w|mo)$/;

const positiveInteger: NumberSpec & { readonly optional: true } = { kind: 'number', integer: true, min: 1, optional: true };

export const agentsSpec: Mandatory<SpecFor<readonly AgentConfig[]>> = {
  kind: 'array',
  minItems: 1,
  items: {
    kind: 'object',
    fields: {
      name: {
        kind: 'string',
        pattern: AGENT_NAME,
        describe: 'a lower-case name of letters, digits and single hyphens, 2 to 32 characters, starting with a letter',
        doc: 'Key alias, metric dimension and part of the secret name; distinct',
      },
      models: {
        kind: 'array',
        minItems: 1,
        unique: true,
        items: { kind: 'string', pattern: /^\S+$/, describe: 'a model alias of the LiteLLM config' },
        doc: 'Model aliases of the LiteLLM config the agent may call (checked against the catalogue at synth)',
      },
      maxBudgetUsd: { kind: 'number', min: 0.01, max: 1_000_000, optional: true, doc: 'Spend limit of the key (LiteLLM `max_budget`); default none' },
      budgetDuration: {
        kind: 'string',
        pattern: LITELLM_DURATION,
        describe: 'a LiteLLM duration: a number and s, m, h, d, w or mo, like 30d, 1h or 1mo',
        optional: true,
        doc: 'Reset period of the spend (LiteLLM `budget_duration`); only with `maxBudgetUsd`',
      },
      rpmLimit: { ...positiveInteger, doc: 'Requests per minute of the key; default the model\'s limits only' },
      tpmLimit: { ...positiveInteger, doc: 'Tokens per minute of the key' },
      keyVersion: { ...positiveInteger, doc: 'Bump to rotate the key; default 1' },
    },
  },
  default: agentsDefaults,
  doc: 'The agents calling the gateway, each with its own virtual key (docs/agents.md)',
};

/** Rules across fields and agents; the model aliases are checked against the catalogue in modules/catalogue-checks.ts. */
export function checkAgents(agents: readonly AgentConfig[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, number>();
  agents.forEach((agent, i) => {
    const first = seen.get(agent.name);
    if (first !== undefined) {
      issues.push({ path: `agents[${i}].name`, value: agent.name, allowed: `a name not already used (agents[${first}] is ${JSON.stringify(agent.name)})`, problem: 'duplicate agent' });
    } else {
      seen.set(agent.name, i);
    }
    if (agent.budgetDuration !== undefined && agent.maxBudgetUsd === undefined) {
      issues.push({
        path: `agents[${i}].budgetDuration`,
        value: agent.budgetDuration,
        allowed: 'only together with maxBudgetUsd (a reset period of no budget limits nothing)',
      });
    }
  });
  return issues;
}
