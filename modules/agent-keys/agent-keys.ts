import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import type { AgentConfig } from '../../config';
import type { ModelCatalogue } from '../model-catalogue';
import type { SecretFactory } from '../secrets';

/** Value of `metadata.managed_by` on every key the reconciler owns; it never touches keys without it. */
export const MANAGED_BY = 'llm-gateway-infra';
/** `sk-` + 48 letters and digits: LiteLLM refuses a custom key not starting with `sk-` (generate_key_fn). */
export const AGENT_KEY_PREFIX = 'sk-';
export const AGENT_KEY_RANDOM_LENGTH = 48;

/** The container variable holding an agent's key: `AGENT_KEY_<NAME>` (hyphens become underscores). */
export function agentKeyEnvName(agent: string): string {
  return `AGENT_KEY_${agent.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * The model aliases an agent's key is granted: its own, plus every alias the router may fall back to from them
 * (`fallbacks`, `context_window_fallbacks`, transitively). LiteLLM does not re-check the key's models on server-side
 * fallbacks by default, but does with `general_settings.enforce_fallback_model_access` (BerriAI/litellm#38572);
 * granting the targets keeps fallbacks working either way (docs/agents.md).
 */
export function grantedModels(models: readonly string[], catalogue: Pick<ModelCatalogue, 'fallbacks' | 'contextWindowFallbacks'>): string[] {
  const granted = new Set<string>();
  const visit = (alias: string) => {
    if (granted.has(alias)) return;
    granted.add(alias);
    for (const target of [...(catalogue.fallbacks[alias] ?? []), ...(catalogue.contextWindowFallbacks[alias] ?? [])]) visit(target);
  };
  models.forEach(visit);
  return [...granted].sort();
}

/** One declared agent as the reconciler reads it (AGENT_KEYS_DECLARED): no secret in it. */
export interface DeclaredAgent {
  readonly name: string;
  readonly models: readonly string[];
  readonly max_budget: number | null;
  readonly budget_duration: string | null;
  readonly rpm_limit: number | null;
  readonly tpm_limit: number | null;
  readonly key_version: number;
  readonly key_env: string;
  /**
   * The key's `aliases` (public alias -> the agent's own model group), with gateway.costAttribution only; absent
   * otherwise, and the reconciler then keeps the key without aliases (modules/gateway/cost-attribution.ts).
   */
  readonly aliases?: Readonly<Record<string, string>>;
}

export interface AgentKey {
  readonly name: string;
  /** Container variable the reconciler reads the value from. */
  readonly envName: string;
  readonly secret: SecretsmanagerSecret;
  /**
   * The secret's value resource: whatever reads the value at start (the gateway's task definition) depends on it, so
   * that a rotated value is written before a task of the new revision reads it.
   */
  readonly value: SecretsmanagerSecretVersion;
  /** Managed policy granting read access to this agent's secret only: attach it to the agent's role. */
  readonly readPolicy: IamPolicy;
  readonly declared: DeclaredAgent;
}

export interface AgentKeysProps {
  readonly agents: readonly AgentConfig[];
  readonly catalogue: Pick<ModelCatalogue, 'fallbacks' | 'contextWindowFallbacks'>;
  /** Generates the values (write-only by default: never in state). */
  readonly secrets: SecretFactory;
  /** Physical secret name of an agent, e.g. `<app>-<env>-agent-key-supervisor`. */
  readonly secretName: (agent: string) => string;
  /** Physical name of an agent's read policy. */
  readonly policyName: (agent: string) => string;
  readonly recoveryWindowInDays: number;
  /** @default - the AWS managed key aws/secretsmanager (no kms statement needed) */
  readonly kmsKeyArn?: string;
  /** Region and DNS suffix for the `kms:ViaService` condition, e.g. `us-east-1`, `amazonaws.com`. */
  readonly region: string;
  readonly dnsSuffix: string;
  /**
   * Per agent, the key's model aliases to its own deployments (gateway.costAttribution). The key is also granted
   * those deployments, so a check of the key's models on the rewritten model or on a fallback target passes.
   * @default - no aliases
   */
  readonly aliases?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface AgentKeys {
  readonly keys: readonly AgentKey[];
  /** AGENT_KEYS_DECLARED for the reconciler: names, models, budgets, limits, versions; never a value. */
  readonly declaredJson: string;
}

/**
 * Per agent: a Secrets Manager secret holding its virtual key (`sk-` + 48 alphanumerics, from the stack's
 * SecretFactory, so write-only by default) and a managed policy that reads exactly that secret. Resource ids are
 * `agent-key-<name>` (secret, its `-value`, the ephemeral value) and `agent-key-<name>-read` (policy).
 */
export function createAgentKeys(scope: Construct, props: AgentKeysProps): AgentKeys {
  const keys = props.agents.map((agent): AgentKey => {
    const id = `agent-key-${agent.name}`;
    const version = agent.keyVersion ?? 1;
    const { secret, value } = props.secrets.secretWithValue(id, {
      name: props.secretName(agent.name),
      description: `LiteLLM virtual key of the ${agent.name} agent (OPENAI_API_KEY); registered by the gateway's key reconciler`,
      value: `${AGENT_KEY_PREFIX}${props.secrets.alphanumeric(id, AGENT_KEY_RANDOM_LENGTH, version)}`,
      version,
      recoveryWindowInDays: props.recoveryWindowInDays,
      ...(props.kmsKeyArn !== undefined ? { kmsKeyId: props.kmsKeyArn } : {}),
    });
    const statements: DataAwsIamPolicyDocumentStatement[] = [
      { sid: 'ReadAgentKey', effect: 'Allow', actions: ['secretsmanager:GetSecretValue'], resources: [secret.arn] },
    ];
    if (props.kmsKeyArn !== undefined) {
      statements.push({
        sid: 'DecryptAgentKey',
        effect: 'Allow',
        actions: ['kms:Decrypt'],
        resources: [props.kmsKeyArn],
        // Only when Secrets Manager decrypts on the role's behalf; which secret is decided by ReadAgentKey.
        condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`secretsmanager.${props.region}.${props.dnsSuffix}`] }],
      });
    }
    const document = new DataAwsIamPolicyDocument(scope, `${id}-read-document`, { statement: statements });
    const readPolicy = new IamPolicy(scope, `${id}-read`, {
      name: props.policyName(agent.name),
      description: `Read the ${agent.name} agent's LiteLLM key (secret ${props.secretName(agent.name)}) and nothing else`,
      policy: document.json,
    });
    const aliases = props.aliases?.[agent.name];
    const granted = grantedModels(agent.models, props.catalogue);
    const declared: DeclaredAgent = {
      name: agent.name,
      models: aliases === undefined ? granted : [...new Set([...granted, ...Object.values(aliases)])].sort(),
      max_budget: agent.maxBudgetUsd ?? null,
      budget_duration: agent.budgetDuration ?? null,
      rpm_limit: agent.rpmLimit ?? null,
      tpm_limit: agent.tpmLimit ?? null,
      key_version: version,
      key_env: agentKeyEnvName(agent.name),
      ...(aliases === undefined ? {} : { aliases: { ...aliases } }),
    };
    return { name: agent.name, envName: declared.key_env, secret, value, readPolicy, declared };
  });
  return { keys, declaredJson: JSON.stringify({ managed_by: MANAGED_BY, agents: keys.map((k) => k.declared) }) };
}
