/**
 * The shape of the whole configuration: each section's interface, and the partial form environments and override
 * files are written in. Its own module so that environments.ts and index.ts both read it without importing each other.
 */
import type { AgentConfig } from './agents';
import type { DatabaseConfig } from './database';
import type { EdgeConfig } from './edge';
import type { GatewayConfig } from './gateway';
import type { NamingContext } from './naming';
import type { NetworkingConfig } from './networking';
import type { ObservabilityConfig } from './observability';
import type { SecretsConfig } from './secrets';
import type { StateConfig } from './state';
import type { EnvironmentName } from './schema';

export interface AppConfig extends NamingContext {
  /**
   * Environment name: `dev`, `prod`, or one a configuration file defines (`environment.name`, config/environments.ts).
   * It goes into names, tags, state keys and workspaces; nothing decides on it alone: see baseEnvironment.
   */
  readonly environment: string;
  /**
   * The built-in environment this one starts from: its defaults, its policy requirements (policy/types.ts
   * isProduction) and its safeguards follow this, not the name, so a `staging` based on `prod` is held to prod's.
   * Equal to `environment` for `dev` and `prod`.
   */
  readonly baseEnvironment: EnvironmentName;
  /**
   * Application name used in physical names and the `application` tag. The DNS zone, the service URL, the metric
   * namespace and the state bucket do not follow it: docs/configuration.md#names-what-carries-appname.
   */
  readonly appName: string;
  /**
   * AWS region of the networking, database, gateway, observability and edge stacks. Not of the bootstrap stack and
   * the S3 backend (terraform-backend.hcl), nor of the catalogue's Bedrock calls (litellm_config.yaml), nor of the
   * edge's CloudFront side (us-east-1): docs/configuration.md#region-what-follows-it.
   */
  readonly region: string;
  /** Tags on every resource (provider default_tags), after `env` and `application`. */
  readonly tags: Readonly<Record<string, string>>;
  readonly networking: NetworkingConfig;
  readonly database: DatabaseConfig;
  readonly gateway: GatewayConfig;
  readonly observability: ObservabilityConfig;
  /** How generated secret values are made (config/secrets.ts). */
  readonly secrets: SecretsConfig;
  /** The agents calling the gateway, each with its own virtual key (config/agents.ts). */
  readonly agents: readonly AgentConfig[];
  /** Where the stacks keep their state: S3 (default) or HCP Terraform workspaces (config/state.ts). */
  readonly state: StateConfig;
  /** Public HTTPS entry through CloudFront and WAF (docs/edge.md); off by default. */
  readonly edge: EdgeConfig;
}

type DeepPartial<T> = T extends readonly (infer U)[]
  ? readonly U[]
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** The sections and top-level fields of appSpec: everything but the environment's own name and base. */
export type ConfigSections = Omit<AppConfig, 'environment' | 'baseEnvironment'>;

/** A partial configuration as written in ENVIRONMENTS or an override file. */
export type RawConfig = DeepPartial<ConfigSections>;

/**
 * A configuration file (GATEWAY_CONFIG_FILE): a RawConfig, plus the `environment` section for an environment that
 * is not built in (config/environments.ts EnvironmentDefinition).
 */
export type ConfigFile = RawConfig & { readonly environment?: { readonly name: string; readonly base?: EnvironmentName } };
