/**
 * gateway.costAttribution "application-inference-profiles": each agent's Bedrock cost in the AWS bill.
 *
 * Bedrock bills a call made through an application inference profile to that profile, with the profile's tags, so a
 * tag per agent becomes a cost allocation tag and Cost Explorer groups the bill by agent (Amazon Bedrock User Guide,
 * "Set up a model invocation resource using inference profiles":
 * https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles.html; docs/cost.md#cost-per-agent-in-the-aws-bill).
 *
 * Per agent and per catalogue alias its key may call (its models and their fallback targets, `grantedModels`):
 * - an `aws_bedrock_inference_profile` copied from what the catalogue calls for that alias (the system cross-region
 *   profile, or the in-region foundation model), tagged `agent` (the environment and application come from the
 *   provider's default_tags);
 * - a LiteLLM deployment `<alias>@<agent>` calling Bedrock with that profile's ARN;
 * - the key's `aliases` entry `<alias>` -> `<alias>@<agent>`, which LiteLLM applies to the request's model after the
 *   key's `models` allow-list has been checked against the public alias (docs/cost.md#how-requests-reach-the-agents-profile).
 *
 * Nothing here exists unless the mode is on: the default synthesized output is the same without this module.
 */
import { Construct } from 'constructs';
import { BedrockInferenceProfile } from '@cdktf/provider-aws/lib/bedrock-inference-profile';
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { ModelCatalogue, ModelEntry } from '../model-catalogue';
import { grantedModels } from '../agent-keys/agent-keys';
import { BEDROCK_INVOKE_ACTIONS, type ArnContext } from './bedrock-access';

/** Cost allocation tag key naming the agent on every profile (docs/cost.md). */
export const AGENT_TAG_KEY = 'agent';

export { AGENT_ROUTING_ENV } from './container-definition';

/** CreateInferenceProfile's `inferenceProfileName`: 1-64 characters of this pattern (Bedrock API reference). */
const PROFILE_NAME = /^([0-9a-zA-Z:.][ _-]?)+$/;
const PROFILE_NAME_MAX = 64;

/** The model group an agent's requests for `alias` are routed to: `<alias>@<agent>`. */
export function agentModelGroup(alias: string, agent: string): string {
  return `${alias}@${agent}`;
}

/** One agent's use of one alias. */
export interface AttributedModel {
  readonly agent: string;
  readonly alias: string;
  readonly model: ModelEntry;
}

/**
 * Every (agent, alias) pair the mode creates a profile for, in agent order then alias order: the aliases of the
 * agent's key (its models and their fallback targets), resolved against the catalogue.
 */
export function attributedModels(
  agents: readonly { readonly name: string; readonly models: readonly string[] }[],
  catalogue: Pick<ModelCatalogue, 'models' | 'fallbacks' | 'contextWindowFallbacks'>,
): AttributedModel[] {
  const byAlias = new Map(catalogue.models.map((m) => [m.alias, m]));
  return agents.flatMap((agent) =>
    grantedModels(agent.models, catalogue).map((alias) => {
      const model = byAlias.get(alias);
      // The catalogue checks refuse an agent model that is not in the catalogue before any stack is built.
      if (model === undefined) throw new Error(`agent ${agent.name}: model alias ${JSON.stringify(alias)} is not in the model catalogue`);
      return { agent: agent.name, alias, model };
    }),
  );
}

/** The ARN an application profile copies: the system profile the catalogue calls, or its in-region foundation model. */
export function copySourceArn(model: ModelEntry, ctx: ArnContext): string {
  return model.inferenceProfilePrefix === undefined
    ? `arn:${ctx.partition}:bedrock:${model.region}::foundation-model/${model.foundationModelId}`
    : `arn:${ctx.partition}:bedrock:${model.region}:${ctx.account}:inference-profile/${model.modelId}`;
}

/** Terraform name of an agent's profile for an alias: `profile-<agent>-<alias>`, other characters as `_`. */
export function profileConstructId(agent: string, alias: string): string {
  return `profile-${agent}-${alias.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** Problems with the names the pairs would get (profile names, Terraform addresses), each naming the agent and alias. */
export function attributionNameProblems(pairs: readonly AttributedModel[], profileName: (agent: string, alias: string) => string): string[] {
  const problems: string[] = [];
  const ids = new Map<string, string>();
  for (const { agent, alias } of pairs) {
    const name = profileName(agent, alias);
    if (name.length > PROFILE_NAME_MAX || !PROFILE_NAME.test(name)) {
      problems.push(
        `gateway.costAttribution: the application inference profile name ${JSON.stringify(name)} (agent ${agent}, model alias ${alias}) ` +
          `is not allowed by Bedrock; allowed: at most ${PROFILE_NAME_MAX} letters, digits, ':' and '.', separated by single ' ', '_' or '-'. Rename the model alias.`,
      );
    }
    const id = profileConstructId(agent, alias);
    const other = ids.get(id);
    if (other !== undefined && other !== alias) {
      problems.push(`gateway.costAttribution: model aliases ${JSON.stringify(other)} and ${JSON.stringify(alias)} of agent ${agent} both give the Terraform address ${id}; rename one.`);
    }
    ids.set(id, alias);
  }
  return problems;
}

export interface AgentProfile extends AttributedModel {
  readonly profile: BedrockInferenceProfile;
}

export interface CostAttributionProps {
  readonly agents: readonly { readonly name: string; readonly models: readonly string[] }[];
  readonly catalogue: Pick<ModelCatalogue, 'models' | 'fallbacks' | 'contextWindowFallbacks' | 'routerSettings'>;
  readonly arns: ArnContext;
  /** Physical name of an agent's profile for an alias (`<app>-<env>-<agent>-<alias>`, at most 64 characters). */
  readonly profileName: (agent: string, alias: string) => string;
}

export interface CostAttribution {
  readonly profiles: readonly AgentProfile[];
  /** LITELLM_AGENT_ROUTING: the per-agent deployments and the router settings with their fallbacks. */
  readonly routingJson: string;
  /** The key `aliases` of each agent: public alias -> the agent's own model group. */
  readonly aliases: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/**
 * The profiles (`aws_bedrock_inference_profile.profile-<agent>-<alias>`: one per pair, so adding or removing an agent
 * or an alias adds or removes only its own profiles, and the plan names them) and what LiteLLM reads to use them.
 * Throws when a name would be refused by Bedrock or two aliases would share an address.
 */
export function createCostAttribution(scope: Construct, props: CostAttributionProps): CostAttribution {
  const pairs = attributedModels(props.agents, props.catalogue);
  const problems = attributionNameProblems(pairs, props.profileName);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const profiles = pairs.map((pair): AgentProfile => {
    const profile = new BedrockInferenceProfile(scope, profileConstructId(pair.agent, pair.alias), {
      name: props.profileName(pair.agent, pair.alias),
      // CreateInferenceProfile's description takes the same restricted characters as the name: no punctuation.
      description: `LLM gateway agent ${pair.agent} on model alias ${pair.alias}`.replace(/[^0-9a-zA-Z:. _-]/g, ' ').replace(/([ _-])[ _-]+/g, '$1'),
      modelSource: [{ copyFrom: copySourceArn(pair.model, props.arns) }],
      tags: { [AGENT_TAG_KEY]: pair.agent },
    });
    return { ...pair, profile };
  });
  return {
    profiles,
    routingJson: JSON.stringify(agentRouting(profiles.map((p) => ({ ...p, profileArn: p.profile.arn })), props.catalogue)),
    aliases: keyAliases(pairs),
  };
}

/** One LiteLLM `model_list` entry (litellm/types/router.py, Deployment: model_name, litellm_params, tpm, rpm). */
export interface RoutedDeployment {
  readonly model_name: string;
  readonly litellm_params: { readonly model: string; readonly model_id: string; readonly aws_region_name: string };
  readonly tpm: number;
  readonly rpm: number;
}

export interface AgentRouting {
  readonly model_list: readonly RoutedDeployment[];
  readonly router_settings: Readonly<Record<string, unknown>>;
}

/**
 * What the image adds to the baked config (gateway-image/startup/check_config.py):
 *
 * - `model_list`: per pair, the alias's own deployment with `litellm_params.model_id` set to the agent's profile ARN.
 *   LiteLLM's Bedrock handlers invoke `model_id` (URL-encoded, `urllib.parse.quote(model_id, safe="")`) instead of
 *   the model when it is set, and keep `model` for the request format and the price lookup
 *   (litellm/llms/bedrock/base_aws_llm.py, BaseAWSLLM.get_bedrock_model_id and encode_model_id). The ARN in `model`
 *   itself (`bedrock/converse/<arn>`) is also invoked, but its spend is priced 0: no price is known for an ARN
 *   (BerriAI/litellm#8911). `model` stays what the catalogue calls, so LiteLLM prices the call as it does today.
 *   tpm and rpm are the alias's: each agent's deployment has the alias's gateway-side limits (docs/cost.md).
 * - `router_settings`: the catalogue's, with each agent's own fallbacks and context-window fallbacks added
 *   (`<alias>@<agent>` -> `<target>@<agent>`), so an agent's throttled request falls back within its own profiles.
 *   LiteLLM's `include` replaces a mapping rather than merging it (ProxyConfig._process_includes,
 *   litellm/proxy/proxy_server.py), hence the whole mapping.
 */
export function agentRouting(
  pairs: readonly (AttributedModel & { readonly profileArn: string })[],
  catalogue: Pick<ModelCatalogue, 'fallbacks' | 'contextWindowFallbacks' | 'routerSettings'>,
): AgentRouting {
  const model_list = pairs.map(
    ({ agent, alias, model, profileArn }): RoutedDeployment => ({
      model_name: agentModelGroup(alias, agent),
      litellm_params: { model: model.litellmModel, model_id: profileArn, aws_region_name: model.region },
      tpm: model.tpm,
      rpm: model.rpm,
    }),
  );
  const perAgent = (table: Readonly<Record<string, readonly string[]>>, key: 'fallbacks' | 'context_window_fallbacks') => {
    const existing = Array.isArray(catalogue.routerSettings[key]) ? (catalogue.routerSettings[key] as unknown[]) : [];
    const added = pairs.flatMap(({ agent, alias }) => {
      const targets = table[alias] ?? [];
      return targets.length === 0 ? [] : [{ [agentModelGroup(alias, agent)]: targets.map((t) => agentModelGroup(t, agent)) }];
    });
    return added.length === 0 ? {} : { [key]: [...existing, ...added] };
  };
  return {
    model_list,
    router_settings: { ...catalogue.routerSettings, ...perAgent(catalogue.fallbacks, 'fallbacks'), ...perAgent(catalogue.contextWindowFallbacks, 'context_window_fallbacks') },
  };
}

/** Per agent, the key's `aliases` (LiteLLM virtual key field): each alias it may call -> its own model group. */
export function keyAliases(pairs: readonly AttributedModel[]): Record<string, Record<string, string>> {
  const aliases: Record<string, Record<string, string>> = {};
  for (const { agent, alias } of pairs) (aliases[agent] ??= {})[alias] = agentModelGroup(alias, agent);
  return aliases;
}

/**
 * The task role's Bedrock statements with attribution on, replacing the system-profile ones: the agents'
 * application profiles, and the foundation model behind each, in any region, only through one of those profiles
 * (condition `bedrock:InferenceProfileArn`, as for the system profiles in bedrock-access.ts; Amazon Bedrock User
 * Guide, "Prerequisites for inference profiles"). A direct call to a foundation model, a call through a system
 * profile or through another application profile is not allowed.
 */
export function attributionInvokeStatements(profiles: readonly { readonly profileArn: string; readonly model: ModelEntry }[], ctx: Pick<ArnContext, 'partition'>): DataAwsIamPolicyDocumentStatement[] {
  if (profiles.length === 0) return [];
  const byFoundation = new Map<string, string[]>();
  for (const p of profiles) {
    const arns = byFoundation.get(p.model.foundationModelId) ?? [];
    arns.push(p.profileArn);
    byFoundation.set(p.model.foundationModelId, arns);
  }
  return [
    { sid: 'InvokeAgentProfiles', effect: 'Allow', actions: [...BEDROCK_INVOKE_ACTIONS], resources: profiles.map((p) => p.profileArn) },
    ...[...byFoundation.entries()].map(
      ([foundation, arns], i): DataAwsIamPolicyDocumentStatement => ({
        sid: `InvokeFoundationModelThroughAgentProfiles${i + 1}`,
        effect: 'Allow',
        actions: [...BEDROCK_INVOKE_ACTIONS],
        resources: [`arn:${ctx.partition}:bedrock:*::foundation-model/${foundation}`],
        condition: [{ test: 'StringEquals', variable: 'bedrock:InferenceProfileArn', values: arns }],
      }),
    ),
  ];
}
