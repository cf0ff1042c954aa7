/**
 * Turns a synthesized stack (the object `TerraformStack.toTerraform()` returns) into the elements and context rules
 * read. Pure: no constructs involved, so it works on hand-written JSON in tests as well.
 */
import { isJsonObject } from './terraform';
import type { ElementMode, JsonObject, JsonValue, PolicyContext, TfElement } from './types';

/** cdktf puts construct metadata under this key of every element; it is not a Terraform argument. */
const CDKTF_METADATA_KEY = '//';

const MODES: readonly ElementMode[] = ['resource', 'data'];

/** Every `resource` and `data` element of a synthesized stack, in document order. */
export function elementsOf(synthesized: JsonValue): readonly TfElement[] {
  if (!isJsonObject(synthesized)) {
    return [];
  }
  const elements: TfElement[] = [];
  for (const mode of MODES) {
    const byType = synthesized[mode];
    if (!isJsonObject(byType)) {
      continue;
    }
    for (const [type, byName] of Object.entries(byType)) {
      if (!isJsonObject(byName)) {
        continue;
      }
      for (const [name, body] of Object.entries(byName)) {
        if (isJsonObject(body)) {
          elements.push(toElement(mode, type, name, body));
        }
      }
    }
  }
  return elements;
}

function toElement(mode: ElementMode, type: string, name: string, body: JsonObject): TfElement {
  const { [CDKTF_METADATA_KEY]: metadata, ...attributes } = body;
  const meta = isJsonObject(metadata) ? metadata['metadata'] : undefined;
  const path = isJsonObject(meta) ? meta['path'] : undefined;
  return {
    address: mode === 'data' ? `data.${type}.${name}` : `${type}.${name}`,
    mode,
    type,
    name,
    attributes,
    ...(typeof path === 'string' ? { constructPath: path } : {}),
  };
}

export interface ContextOptions {
  readonly stackName: string;
  readonly environment: string;
  /** @default - environment */
  readonly baseEnvironment?: string;
}

export function createContext(elements: readonly TfElement[], options: ContextOptions): PolicyContext {
  const byAddress = new Map(elements.map((element) => [element.address, element] as const));
  return {
    stackName: options.stackName,
    environment: options.environment,
    baseEnvironment: options.baseEnvironment ?? options.environment,
    elements,
    ofType: (type, mode = 'resource') => elements.filter((element) => element.type === type && element.mode === mode),
    byAddress: (address) => byAddress.get(address),
  };
}
