import { appSpec } from './app-spec';
import type { RawConfig } from './app-config';
import { ENVIRONMENT_NAMES, declaredDefaults } from './schema';

/**
 * The values every environment starts from: the `default` of each field spec (config/app-spec.ts and the section
 * files). They reproduce the design of docs/design.md (us-east-1, `document-processing`).
 */
export const BASE: RawConfig = declaredDefaults(appSpec) as RawConfig;

/**
 * What each environment changes on top of BASE: the `defaultIn` of each field spec. Arrays replace, objects merge.
 * Keep the differences few and deliberate: each one is a resource or a cost that exists in one environment and not
 * the other. Every environment carries the seed's function (Container Insights, the eight metric filters, the
 * dashboard's rows); dev runs its single task on Fargate Spot (the same task, cheaper) and may run without anyone
 * watching its alarms; prod keeps on-demand tasks and must say who is paged. The levers that trade function for
 * money are opt-in configuration, priced in docs/cost.md.
 */
export const ENVIRONMENTS: Readonly<Record<string, RawConfig>> = Object.fromEntries(
  ENVIRONMENT_NAMES.map((environment) => [environment, (declaredDefaults(appSpec, environment) ?? {}) as RawConfig]),
);
