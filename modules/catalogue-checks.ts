/**
 * Checks of the configuration against the model catalogue (the LiteLLM config baked into the image), in one stage:
 * buildApp (main.ts) runs it after loading both and before any stack exists, so a bad combination writes nothing
 * and every problem is reported at once, as a ConfigError naming the field, the value and what is allowed. The
 * configuration's own rules live in config/ (which cannot see the catalogue); stacks and modules do not check
 * configuration again.
 */
import { AppConfig, ConfigError, type ConfigIssue } from '../config';
import { MAX_AGENT_FILTER_PATTERN_LENGTH, agentMetrics } from './agent-metrics';
import { capacityContract, capacityIssues } from './capacity';
import { unknownMarketplaceModels } from './gateway/bedrock-access';
import { containerVariableNames, missingEnvironmentReferences } from './gateway/container-definition';
import { GUARDRAIL_ENV, guardrailEntryProblems } from './gateway/guardrail';
import type { ModelCatalogue } from './model-catalogue';
import { MAX_ALARM_METRICS } from './observability/alarms';
import { MAX_FILTER_PATTERN_LENGTH, gatewayMetrics } from './observability/metrics';

/**
 * `os.environ/` references of the LiteLLM config the container leaves unset on purpose. LiteLLM resolves an unset
 * reference to null, which is the intended value for these.
 */
export const UNSET_BY_DESIGN: Readonly<Record<string, string>> = {
  REDIS_PASSWORD:
    'no Redis password exists: with gateway.redis.iamAuth LiteLLM signs an IAM token per connection (REDIS_AWS_IAM_*), and a password or AUTH token would enter Terraform state (AWS provider 5.100 has no write-only form); only ecs-sg reaches the cache, over TLS (modules/gateway/rate-limit-cache.ts)',
};

/** Every problem of `config` with `catalogue`; empty when they agree. */
export function catalogueIssues(config: AppConfig, catalogue: ModelCatalogue): ConfigIssue[] {
  const g = config.gateway;
  const issues: ConfigIssue[] = [];
  const aliases = catalogue.models.map((m) => m.alias);

  // Every alias an agent names must be a model alias of the catalogue.
  const known = new Set(aliases);
  for (const agent of config.agents) {
    agent.models.forEach((alias, j) => {
      if (!known.has(alias)) {
        issues.push({ path: `agents.${agent.name}.models[${j}]`, value: alias, allowed: `a model alias of the LiteLLM config (${[...known].sort().join(', ')})` });
      }
    });
  }

  // The capacity contract: database connections at the fleet's peak, and the timeout chain (modules/capacity).
  issues.push(...capacityIssues(capacityContract({ gateway: g, database: config.database, edge: config.edge, agents: config.agents, catalogue })));

  if (g.bedrockMarketplaceSubscribe) {
    for (const model of unknownMarketplaceModels(catalogue)) {
      issues.push({
        path: 'gateway.bedrockMarketplaceSubscribe',
        value: true,
        problem: `the model catalogue calls ${JSON.stringify(model.foundationModelId)} (alias ${JSON.stringify(model.alias)}), whose AWS Marketplace product id is not known`,
        allowed:
          'models with a product id in MARKETPLACE_PRODUCT_IDS (modules/gateway/bedrock-access.ts; add it from the Bedrock user ' +
          "guide's product id table), or false",
      });
    }
  }

  issues.push(...guardrailEntryProblems(catalogue, g.guardrail));

  // Every `os.environ/NAME` of the LiteLLM config must be set in the container, or LiteLLM silently reads null (a
  // missing master key, no database).
  const variables = containerVariableNames({
    gateway: g,
    redisEnabled: g.redis.enabled,
    redisIamAuth: g.redis.iamAuth,
    guardrailNames: g.guardrail.enabled ? Object.values(GUARDRAIL_ENV) : [],
  });
  const clash = variables.secret.filter((name) => variables.plain.includes(name));
  if (clash.length > 0) {
    issues.push({
      path: 'gateway.masterKeyEnvName',
      value: g.masterKeyEnvName,
      problem: 'already a plain environment variable of the container',
      allowed: `a name not in ${variables.plain.join(', ')}`,
    });
  }
  const provided = [...variables.plain, ...variables.secret];
  const missing = missingEnvironmentReferences({
    references: catalogue.environmentReferences,
    redisReferences: catalogue.redisEnvironmentReferences,
    redisEnabled: g.redis.enabled,
    guardrailReferences: catalogue.guardrailEnvironmentReferences,
    guardrailEnabled: g.guardrail.enabled,
    provided,
    unsetByDesign: UNSET_BY_DESIGN,
  });
  if (missing.length > 0) {
    issues.push({
      path: 'LiteLLM config os.environ/ references',
      value: missing.map((m) => `os.environ/${m}`),
      problem: 'the gateway container does not set them',
      allowed:
        `references to the names it sets (${[...provided].sort().join(', ')}${g.redis.enabled ? '' : '; Redis variables only with gateway.redis.enabled'}); ` +
        "set gateway.masterKeyEnvName to the config's master key variable, or provide the variable in modules/gateway/container-definition.ts",
    });
  }

  // CloudWatch limits the catalogue's model ids run into: the error-rate alarm sums two metrics per model id, and
  // each per-model metric filter names every model id in its pattern.
  const ids = catalogue.modelIds;
  if (ids.length * 2 > MAX_ALARM_METRICS) {
    issues.push({
      path: 'LiteLLM config model_list',
      value: `${ids.length} model ids`,
      problem: `the error-rate alarm needs RequestCount and RequestErrors per model (${ids.length * 2} metrics for ${ids.length} model ids); CloudWatch allows at most ${MAX_ALARM_METRICS} per alarm`,
      allowed: `at most ${MAX_ALARM_METRICS / 2} model ids`,
    });
  }
  for (const m of gatewayMetrics(ids).filter((metric) => metric.pattern.length > MAX_FILTER_PATTERN_LENGTH)) {
    issues.push({
      path: 'LiteLLM config model_list',
      value: `${ids.length} model ids`,
      problem: `the ${m.name} filter pattern is ${m.pattern.length} characters for ${ids.length} model ids; CloudWatch allows at most ${MAX_FILTER_PATTERN_LENGTH}`,
      allowed: 'fewer or shorter model ids in the catalogue',
    });
  }
  // The per-agent filters list every agent name in their patterns (modules/agent-metrics): not the catalogue's limit
  // but one only the module's patterns know, so it is checked here, with the others, before any stack exists.
  const agentNames = config.agents.map((a) => a.name);
  const longest = Math.max(0, ...(agentNames.length > 0 ? agentMetrics(agentNames) : []).map((m) => m.pattern.length));
  if (longest > MAX_AGENT_FILTER_PATTERN_LENGTH) {
    issues.push({
      path: 'agents',
      value: `${agentNames.length} agents`,
      problem: `the per-agent filter patterns list ${agentNames.length} agents in ${longest} characters; CloudWatch allows at most ${MAX_AGENT_FILTER_PATTERN_LENGTH}`,
      allowed: 'fewer agents or shorter agent names',
    });
  }
  return issues;
}

/** Runs every check of `config` against `catalogue`. @throws ConfigError listing every problem */
export function checkCatalogue(config: AppConfig, catalogue: ModelCatalogue): void {
  const issues = catalogueIssues(config, catalogue);
  if (issues.length > 0) throw new ConfigError(config.environment, issues);
}
