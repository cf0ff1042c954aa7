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

export interface AppConfig extends NamingContext {
  /** Environment name, e.g. `dev` or `prod`: a key of ENVIRONMENTS. */
  readonly environment: string;
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

/** A partial configuration as written in ENVIRONMENTS or an override file. */
export type RawConfig = DeepPartial<Omit<AppConfig, 'environment'>>;
