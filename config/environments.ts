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
 * the other. In dev, the cost levers of docs/cost.md (Spot tasks, no Container Insights, usage numbers from Logs
 * Insights rather than custom metrics) keep dev at or under the $126 a month of docs/cost.md with the same stacks
 * and the same single task, and dev may run without anyone watching its alarms; prod keeps on-demand tasks,
 * Container Insights and metric history, and must say who is paged.
 */
export const ENVIRONMENTS: Readonly<Record<string, RawConfig>> = Object.fromEntries(
  ENVIRONMENT_NAMES.map((environment) => [environment, (declaredDefaults(appSpec, environment) ?? {}) as RawConfig]),
);
