/**
 * Reads `aws_ecs_task_definition.container_definitions`, a JSON string (camelCase ECS API shape) that may carry
 * `${...}` references inside its string values.
 */
import { isJsonObject, parseJsonArgument } from './terraform';
import type { JsonObject, JsonValue } from './types';

export interface ContainerEnvironmentEntry {
  readonly name: string;
  readonly value: JsonValue | undefined;
}

export interface ContainerView {
  readonly name: string;
  readonly environment: readonly ContainerEnvironmentEntry[];
  readonly definition: JsonObject;
}

export type ContainerDefinitions =
  | { readonly ok: true; readonly containers: readonly ContainerView[] }
  | { readonly ok: false; readonly reason: string };

export function readContainerDefinitions(value: JsonValue | undefined): ContainerDefinitions {
  const parsed = parseJsonArgument(value);
  if (!parsed.ok) {
    return { ok: false, reason: `container_definitions cannot be checked: ${parsed.reason}` };
  }
  if (!Array.isArray(parsed.value)) {
    return { ok: false, reason: 'container_definitions cannot be checked: it is not a JSON array' };
  }
  const containers = parsed.value.filter(isJsonObject).map((definition, index) => ({
    name: typeof definition['name'] === 'string' ? definition['name'] : `#${index}`,
    environment: (Array.isArray(definition['environment']) ? definition['environment'] : [])
      .filter(isJsonObject)
      .map((entry) => ({ name: typeof entry['name'] === 'string' ? entry['name'] : '', value: entry['value'] })),
    definition,
  }));
  return { ok: true, containers };
}
