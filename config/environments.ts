import { appSpec } from './app-spec';
import type { RawConfig } from './app-config';
import { ConfigIssue, ENVIRONMENT_NAMES, EnvironmentName, ObjectSpecOf, checkShape, declaredDefaults } from './schema';

/**
 * The values every environment starts from: the `default` of each field spec (config/app-spec.ts and the section
 * files). They reproduce the design of docs/design.md (us-east-1, `document-processing`).
 */
export const BASE: RawConfig = declaredDefaults(appSpec) as RawConfig;

/**
 * What each built-in environment changes on top of BASE: the `defaultIn` of each field spec. Arrays replace, objects
 * merge. Keep the differences few and deliberate: each one is a resource or a cost that exists in one environment
 * and not the other. Every environment carries the seed's function (Container Insights, the eight metric filters,
 * the dashboard's rows); dev runs its single task on Fargate Spot (the same task, cheaper) and may run without
 * anyone watching its alarms; prod keeps on-demand tasks and must say who is paged. The levers that trade function
 * for money are opt-in configuration, priced in docs/cost.md. Other environments are data: a configuration file
 * defines one on top of these (EnvironmentDefinition below).
 */
export const ENVIRONMENTS: Readonly<Record<EnvironmentName, RawConfig>> = Object.fromEntries(
  ENVIRONMENT_NAMES.map((environment) => [environment, (declaredDefaults(appSpec, environment) ?? {}) as RawConfig]),
) as Record<EnvironmentName, RawConfig>;

/**
 * The `environment` section of a configuration file: the environment the file is for and, for one that is not
 * built in, the built-in environment it starts from. `{"environment": {"name": "staging", "base": "prod"}}` makes
 * `staging` with prod's defaults, prod's policy requirements and prod's safeguards (everything that follows the
 * base rather than the name), and its own names, tags, state keys and workspaces.
 */
export interface EnvironmentDefinition {
  readonly name: string;
  /** @default - the name itself, for `dev` and `prod` (a file for another environment must say) */
  readonly base?: EnvironmentName;
}

/**
 * Where the name goes: physical names `<app>-<env>-<component>` (RDS identifiers refuse `--` and a trailing `-`),
 * stack names `<env>-<stack>` (directories, HCP Terraform workspace names: letters, digits, `-`, `_`), S3 state
 * keys, the `env` tag and the cost filter on it. Lower-case letters, digits and single hyphens satisfy all of them;
 * 16 characters keep the shortened physical names readable (config/naming.ts cuts the application name first).
 */
export const ENVIRONMENT_NAME_PATTERN = /^(?!.*--)[a-z](?:[a-z0-9-]{0,14}[a-z0-9])?$/;

export const environmentSpec: ObjectSpecOf<EnvironmentDefinition> & { readonly optional: true } = {
  kind: 'object',
  optional: true,
  fields: {
    name: {
      kind: 'string',
      pattern: ENVIRONMENT_NAME_PATTERN,
      describe: 'a lower-case name of letters, digits and single hyphens, 1 to 16 characters, starting with a letter and not ending with a hyphen',
      doc: 'The environment this file is for; must equal `GATEWAY_ENV`. It names the stacks (`<name>-<stack>`), physical names, the `env` tag, state keys and HCP Terraform workspaces (see [Environments](#environments-your-own))',
    },
    base: {
      kind: 'string',
      optional: true,
      allowed: ENVIRONMENT_NAMES,
      doc: 'The built-in environment whose defaults, policy requirements and safeguards this one has; required when `name` is not `dev` or `prod`, and equal to `name` when it is',
    },
  },
};

/** The environment a configuration is for, once resolved. */
export interface ResolvedEnvironment {
  readonly name: string;
  readonly base: EnvironmentName;
}

export const isBuiltIn = (name: string): name is EnvironmentName => (ENVIRONMENT_NAMES as readonly string[]).includes(name);

/**
 * The environment `requested` (GATEWAY_ENV) names, given the `environment` section of the configuration file (if
 * any). A built-in environment needs no section; any other needs the section that defines it, with its base.
 * @returns the environment, or the problems (field, value, allowed)
 */
export function resolveEnvironment(requested: string, section: unknown, envVar: string): ResolvedEnvironment | ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  checkShape(section, environmentSpec, 'environment', issues);
  if (issues.length > 0) return issues;
  const definition = section as EnvironmentDefinition | undefined;
  const example = `{"environment": {"name": ${JSON.stringify(requested)}, "base": "prod"}}`;
  if (definition === undefined) {
    if (isBuiltIn(requested)) return { name: requested, base: requested };
    return [
      {
        path: envVar,
        value: requested,
        problem: 'unknown environment',
        allowed: `${ENVIRONMENT_NAMES.map((e) => JSON.stringify(e)).join(', ')}, or an environment the configuration file defines: put ${example} (or "base": "dev") in the file named by GATEWAY_CONFIG_FILE`,
      },
    ];
  }
  if (definition.name !== requested) {
    return [
      {
        path: 'environment.name',
        value: definition.name,
        problem: `the file is for environment ${JSON.stringify(definition.name)} but ${envVar} is ${JSON.stringify(requested)}`,
        allowed: `${JSON.stringify(requested)} (the value of ${envVar}), or run with ${envVar}=${definition.name}`,
      },
    ];
  }
  if (isBuiltIn(definition.name)) {
    if (definition.base === undefined || definition.base === definition.name) return { name: definition.name, base: definition.name };
    return [
      {
        path: 'environment.base',
        value: definition.base,
        problem: `${JSON.stringify(definition.name)} is a built-in environment`,
        allowed: `nothing or ${JSON.stringify(definition.name)}; to start another environment from ${definition.base}'s defaults, give it its own name`,
      },
    ];
  }
  if (definition.base === undefined) {
    return [
      {
        path: 'environment.base',
        value: undefined,
        problem: 'required field is missing',
        allowed: `one of ${ENVIRONMENT_NAMES.map((e) => JSON.stringify(e)).join(', ')}: the built-in environment ${JSON.stringify(definition.name)} starts from`,
      },
    ];
  }
  return { name: definition.name, base: definition.base };
}
