import { AgentConfig, checkAgents } from './agents';
import { DatabaseConfig, checkDatabase } from './database';
import { appSpec } from './app-spec';
import { EdgeConfig, checkEdge } from './edge';
import type { AppConfig, ConfigSections } from './app-config';
import { BASE, ENVIRONMENTS, resolveEnvironment } from './environments';
import { GatewayConfig, checkGateway, checkGatewayRegion, gatewayDerivedDefaults } from './gateway';
import { physicalName, NamingContext } from './naming';
import { NetworkingConfig, checkNetworking } from './networking';
import { ObservabilityConfig, checkAlarmSubscribers, checkObservability, observabilityDerivedDefaults } from './observability';
import { checkInvocationLogging } from './invocation-logging';
import type { SecretsConfig } from './secrets';
import { checkState } from './state';
import { ConfigIssue, DerivedDefaults, ENVIRONMENT_NAMES, checkShape, render } from './schema';

export type { AppConfig, ConfigFile, RawConfig } from './app-config';
export { appSpec };

export const ENV_VAR = 'GATEWAY_ENV';
export const CONFIG_FILE_ENV_VAR = 'GATEWAY_CONFIG_FILE';

export class ConfigError extends Error {
  constructor(
    readonly environment: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(
      `Invalid configuration for environment ${JSON.stringify(environment)} (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  - ${i.path}: ${i.problem ? `${i.problem}; ` : ''}got ${render(i.value)}; allowed: ${i.allowed}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** Objects merge key by key; arrays and scalars replace. */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return clone(base);
  if (isPlainObject(base) && isPlainObject(override)) {
    const out = clone(base) as Record<string, unknown>;
    for (const [key, value] of Object.entries(override)) out[key] = deepMerge(base[key], value);
    return out;
  }
  return clone(override);
}

/** A deep copy, so that merging never shares (and freezing never freezes) the defaults' objects. */
function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
  return value;
}

export interface LoadConfigOptions {
  /** `dev`, `prod`, or the name an `environment` section of `overrides` defines. @default 'dev' */
  readonly environment?: string;
  /**
   * Applied on top of the environment's values (tests, or the JSON file named by GATEWAY_CONFIG_FILE). Its
   * `environment` section, if any, defines the environment (config/environments.ts) and is not merged.
   */
  readonly overrides?: unknown;
}

/**
 * Builds and validates the configuration of one environment. Throws a ConfigError listing every problem (field,
 * value, what is allowed) before any construct exists, so a bad configuration writes nothing.
 */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const requested = options.environment ?? 'dev';
  if (options.overrides !== undefined && !isPlainObject(options.overrides)) {
    // Merged, an array or a scalar would replace the whole configuration: refuse it as what it is.
    throw new ConfigError(requested, [{ path: '(overrides)', value: options.overrides, allowed: 'an object of configuration fields', problem: `got ${describeJson(options.overrides)}, not an object` }]);
  }
  const { environment: section, ...overrides } = options.overrides ?? { environment: undefined };
  const resolved = resolveEnvironment(requested, section, ENV_VAR);
  if (Array.isArray(resolved)) throw new ConfigError(requested, resolved);
  const { name: environment, base: baseEnvironment } = resolved;
  const merged = deepMerge(deepMerge(BASE, ENVIRONMENTS[baseEnvironment]), overrides) as Record<string, unknown>;
  applyDerivedDefaults(merged, environment);

  const issues: ConfigIssue[] = [];
  checkShape(merged, appSpec, '', issues);
  if (issues.length === 0) {
    const typed = merged as unknown as ConfigSections;
    issues.push(...checkNetworking(typed.networking, typed.region), ...checkDatabase(typed.database), ...checkGateway(typed.gateway), ...checkGatewayRegion(typed.gateway, typed.region), ...checkEdge(typed.edge, typed.gateway), ...checkAgents(typed.agents));
    issues.push(...checkTags(typed.tags), ...checkObservability(typed.observability, ['env', 'application', ...Object.keys(typed.tags)]));
    issues.push(...checkState(typed.state, typed.gateway.image.mode), ...checkInvocationLogging(typed.observability.bedrockInvocationLogging));
  }
  if (issues.length > 0) throw new ConfigError(environment, issues);
  return deepFreeze({ ...(merged as unknown as ConfigSections), environment, baseEnvironment });
}

/** AWS allows 50 tags per resource (API_Tag, config/app-spec.ts); `env` and `application` are two of every resource's. */
export const MAX_EXTRA_TAGS = 48;

function checkTags(tags: Readonly<Record<string, string>>): ConfigIssue[] {
  const extra = Object.keys(tags).filter((k) => k !== 'env' && k !== 'application');
  if (extra.length <= MAX_EXTRA_TAGS) return [];
  return [{ path: 'tags', value: `${extra.length} tags`, allowed: `at most ${MAX_EXTRA_TAGS} tags besides env and application: AWS allows 50 per resource` }];
}

/** Each section's derived defaults (in its own module), by the key of the section in AppConfig. */
const DERIVED_DEFAULTS: { readonly [K in keyof AppConfig]?: DerivedDefaults<AppConfig[K]> } = {
  gateway: gatewayDerivedDefaults,
  observability: observabilityDerivedDefaults,
};

/** Fills what the merged configuration leaves unset; a malformed appName or section is left to the shape check. */
function applyDerivedDefaults(merged: Record<string, unknown>, environment: string): void {
  const appName = merged.appName;
  if (typeof appName !== 'string') return;
  for (const [section, derived] of Object.entries(DERIVED_DEFAULTS)) {
    const values = merged[section];
    if (!isPlainObject(values)) continue;
    for (const [key, derive] of Object.entries(derived as Record<string, (ctx: NamingContext) => unknown>)) {
      if (values[key] === undefined) values[key] = derive({ appName, environment });
    }
  }
}

/** Reads the environment name and optional override file from the process environment. */
export function loadConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const file = env[CONFIG_FILE_ENV_VAR];
  let overrides: unknown;
  if (file) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('fs') as typeof import('fs');
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(env[ENV_VAR] ?? 'dev', [{ path: CONFIG_FILE_ENV_VAR, value: file, allowed: 'the path of a readable JSON file', problem: (e as Error).message }]);
    }
    try {
      overrides = JSON.parse(text);
    } catch (e) {
      throw new ConfigError(env[ENV_VAR] ?? 'dev', [{ path: CONFIG_FILE_ENV_VAR, value: file, allowed: 'a file holding one JSON object', problem: (e as Error).message }]);
    }
    if (!isPlainObject(overrides)) {
      throw new ConfigError(env[ENV_VAR] ?? 'dev', [
        { path: CONFIG_FILE_ENV_VAR, value: file, allowed: 'a file holding one JSON object of configuration fields, like {"region": "us-east-1"}', problem: `the file holds ${describeJson(overrides)}, not an object` },
      ]);
    }
  }
  const environment = env[ENV_VAR] || 'dev';
  const config = loadConfig({ environment, overrides });
  // The same file configures every environment: what the others would create with it must not collide with this one.
  const others = ENVIRONMENT_NAMES.filter((e) => e !== environment).flatMap((other) => {
    try {
      return [loadConfig({ environment: other, overrides })];
    } catch {
      return []; // that environment's own problems are reported when it is synthesized
    }
  });
  const issues = checkAlongside(config, others);
  if (issues.length > 0) throw new ConfigError(environment, issues);
  return config;
}

/**
 * What two environments would create that AWS refuses twice: a private hosted zone of one name on one VPC
 * (CreateHostedZone: ConflictingDomainExists, "A hosted zone with the specified name already exists and is already
 * associated with the Amazon VPC that you specified":
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHostedZone.html), and one record name in one
 * zone (the second CREATE of a ChangeResourceRecordSets fails). docs/configuration.md#several-environments-in-one-vpc.
 */
export function checkAlongside(config: AppConfig, others: readonly AppConfig[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const dns = config.gateway.dns;
  for (const other of others) {
    const theirs = other.gateway.dns;
    const vpc = config.networking.existingVpc?.vpcId;
    const sameVpc = vpc !== undefined && vpc === other.networking.existingVpc?.vpcId;
    const created = dns.existingZoneId === undefined || theirs.existingZoneId === undefined;
    if (sameVpc && created && dns.zoneName === theirs.zoneName) {
      issues.push({
        path: 'gateway.dns.zoneName',
        value: dns.zoneName,
        problem: `environment ${JSON.stringify(other.environment)} has the same zone on networking.existingVpc.vpcId ${vpc}: Route 53 refuses a second private zone of one name on a VPC (ConflictingDomainExists)`,
        allowed: 'a zone name per environment (the default: dev.document-processing.internal in dev), or one zone made beforehand in gateway.dns.existingZoneId of every environment, with a gateway.dns.recordName per environment',
      });
    } else if (dns.existingZoneId !== undefined && dns.existingZoneId === theirs.existingZoneId && dns.recordName === theirs.recordName) {
      issues.push({
        path: 'gateway.dns.recordName',
        value: dns.recordName,
        problem: `environment ${JSON.stringify(other.environment)} publishes the same name in gateway.dns.existingZoneId ${dns.existingZoneId}`,
        allowed: 'a record name per environment (a file per environment), or a zone per environment (unset gateway.dns.existingZoneId: each environment then creates its own)',
      });
    }
  }
  return issues;
}

/**
 * Synth-time checks of what would be deployed rather than of the shape of the configuration: run by buildApp
 * before any construct exists, so that tests can still load any environment's configuration on its own.
 * @throws ConfigError listing every problem
 */
export function checkDeployable(config: AppConfig): void {
  const issues = [...checkAlarmSubscribers(config.observability)];
  if (issues.length > 0) throw new ConfigError(config.environment, issues);
}

/** Tags every resource carries (docs/design.md#tags), applied once through the provider's default_tags. */
export function defaultTags(config: Pick<AppConfig, 'environment' | 'appName' | 'tags'>): Record<string, string> {
  return { env: config.environment, application: config.appName, ...config.tags };
}

/** `<app>-<env>-<component>`, see naming.ts. */
export function nameOf(config: NamingContext, component: string, maxLength?: number): string {
  return physicalName(config, component, maxLength);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

export { availabilityZones, cidrSubnet, PRIVATE_SUBNET_OFFSET } from './networking';
export { NAME_LIMITS } from './naming';
export type { NetworkingConfig, DatabaseConfig, GatewayConfig, ObservabilityConfig, SecretsConfig, EdgeConfig, ConfigIssue, AgentConfig };
export { SECRET_GENERATORS } from './secrets';
export { STATE_KINDS, cloudWorkspaceName } from './state';
export { ENVIRONMENT_NAME_PATTERN, environmentSpec, isBuiltIn } from './environments';
export type { EnvironmentDefinition } from './environments';
export type { StateConfig, CloudStateConfig, StateKind } from './state';
export type { SecretGenerator } from './secrets';
export type { SecretVersionsConfig } from './database';
