/**
 * What the field specs render: the field tables of docs/configuration.md and the constraint table pinned in
 * test/config-constraints.json. `npm run docs` (scripts/docs.ts) reports a stale file; `npm run docs -- --write`
 * rewrites both. Defaults are read from loadConfig, so derived defaults (gatewayDerivedDefaults...) show as they
 * apply.
 */
import { appSpec } from './app-spec';
import { environmentSpec } from './environments';
import { loadConfig } from './index';
import { ENVIRONMENT_NAMES, EnvironmentName, FieldSpec, ObjectSpec, SpecNode, describeSpec, specNodes } from './schema';

/**
 * What a configuration file may hold: the fields of appSpec and the `environment` section that defines an
 * environment (config/environments.ts, read by loadConfig before the rest), after the top-level fields as its table
 * follows theirs. The tables and the pin cover both.
 */
const { appName, region, tags, ...sections } = appSpec.fields;
export const fileSpec: ObjectSpec = { kind: 'object', fields: { appName, region, tags, environment: environmentSpec, ...sections } };

export const FIELDS_BEGIN = '<!-- config-fields:begin: generated from the field specs by `npm run docs -- --write`; edit the specs -->';
export const FIELDS_END = '<!-- config-fields:end -->';

/** One table of docs/configuration.md: the fields under `path` that no table of a longer path takes. */
interface FieldTable {
  readonly heading: string;
  readonly path: string;
  readonly sources: string;
}

const TABLES: readonly FieldTable[] = [
  { heading: 'Top level', path: '', sources: 'config/app-spec.ts' },
  { heading: '`environment`', path: 'environment', sources: 'config/environments.ts' },
  { heading: '`networking`', path: 'networking', sources: 'config/networking.ts' },
  { heading: '`database`', path: 'database', sources: 'config/database.ts, docs/secrets.md' },
  { heading: '`gateway`', path: 'gateway', sources: 'config/gateway.ts, docs/gateway-runtime.md' },
  { heading: '`gateway.guardrail`', path: 'gateway.guardrail', sources: 'config/guardrail.ts, docs/guardrails.md' },
  { heading: '`observability`', path: 'observability', sources: 'config/observability.ts' },
  { heading: '`observability.budgets`', path: 'observability.budgets', sources: 'config/observability.ts, docs/cost.md' },
  { heading: '`observability.bedrockInvocationLogging`', path: 'observability.bedrockInvocationLogging', sources: 'config/invocation-logging.ts' },
  { heading: '`secrets`', path: 'secrets', sources: 'config/secrets.ts, docs/secrets.md' },
  { heading: '`agents`', path: 'agents', sources: 'config/agents.ts, docs/agents.md' },
  { heading: '`state`', path: 'state', sources: 'config/state.ts, docs/runners.md' },
  { heading: '`edge`', path: 'edge', sources: 'config/edge.ts, docs/edge.md' },
];

/** A generic path (`agents[].name`, `tags.*`) names no single value: it has no default. */
const isGeneric = (path: string) => /\[\]|\*/.test(path);

/** The documented fields: every node but the root, objects (their fields are rows), array items and record values. */
export function documentedNodes(spec: FieldSpec = fileSpec): SpecNode[] {
  return specNodes(spec).filter((n) => n.path !== '' && n.spec.kind !== 'object' && !/(\[\]|\*)$/.test(n.path));
}

function under(path: string, prefix: string): boolean {
  return prefix === '' || path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[]`);
}

function tableOf(path: string): FieldTable {
  const owners = TABLES.filter((t) => under(path, t.path) && (t.path !== '' || !path.includes('.')));
  const owner = owners.sort((a, b) => b.path.length - a.path.length)[0];
  if (owner === undefined) throw new Error(`docs: no table of docs/configuration.md takes ${path}`);
  return owner;
}

function valueAt(root: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), root);
}

let configs: Record<string, unknown> | undefined;

/** Each environment's value of a non-generic path, as loadConfig makes it. */
export function environmentDefaults(path: string): Record<EnvironmentName, unknown> {
  configs ??= Object.fromEntries(ENVIRONMENT_NAMES.map((env) => [env, loadConfig({ environment: env })]));
  const loaded = configs;
  return Object.fromEntries(ENVIRONMENT_NAMES.map((env) => [env, isGeneric(path) ? undefined : valueAt(loaded[env], path)])) as Record<EnvironmentName, unknown>;
}

/** JSON with a space after each `,` and `:`, as the tables have always shown values. */
function show(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? '{}' : `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${show(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

function defaultCell(defaults: Record<EnvironmentName, unknown>): string {
  const shown = ENVIRONMENT_NAMES.map((env) => [env, defaults[env] === undefined ? undefined : show(defaults[env])] as const);
  if (shown.every(([, s]) => s === undefined)) return '—';
  if (shown.every(([, s]) => s === shown[0][1])) return `\`${shown[0][1]}\``;
  return shown.map(([env, s]) => `${env} ${s === undefined ? '—' : `\`${s}\``}`).join(', ');
}

/** Long closed sets shortened as the CloudWatch retentions always were: the first twelve, `...`, the last. */
function typeCell(spec: FieldSpec): string {
  const abbreviate = (items: readonly string[]) => (items.length > 14 ? [...items.slice(0, 12), '...', items[items.length - 1]] : items);
  let text = describeSpec(spec);
  if ((spec.kind === 'string' || spec.kind === 'number') && spec.allowed && spec.allowed.length > 14) {
    const items = spec.allowed.map((a: string | number) => (typeof a === 'string' ? JSON.stringify(a) : String(a)));
    text = `one of ${abbreviate(items).join(', ')} (${items.length} values)`;
  }
  return spec.optional ? `${text} (optional)` : text;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The field tables of docs/configuration.md, in spec order, each under its heading. */
export function renderFieldTables(spec: FieldSpec = fileSpec): string {
  const rows = new Map<FieldTable, string[]>(TABLES.map((t) => [t, []]));
  for (const { path, spec: node } of documentedNodes(spec)) {
    if (node.doc === undefined) throw new Error(`docs: ${path} has no doc in its spec`);
    rows.get(tableOf(path))!.push(`| ${[`\`${path}\``, typeCell(node), defaultCell(environmentDefaults(path)), node.doc].map(cell).join(' | ')} |`);
  }
  return TABLES.filter((t) => rows.get(t)!.length > 0)
    .map((t) => [`### ${t.heading}`, '', `Source: ${t.sources}.`, '', '| field | type / allowed values | default | meaning |', '|---|---|---|---|', ...rows.get(t)!].join('\n'))
    .join('\n\n');
}

export function replaceFieldTables(document: string, tables: string): string {
  const begin = document.indexOf(FIELDS_BEGIN);
  const end = document.indexOf(FIELDS_END);
  if (begin < 0 || end < begin) throw new Error(`docs: no ${FIELDS_BEGIN} ... ${FIELDS_END} in docs/configuration.md`);
  return `${document.slice(0, begin + FIELDS_BEGIN.length)}\n\n${tables}\n\n${document.slice(end)}`;
}

/** Everything a node's checks and defaults say, for the pin: its constraints and each environment's default. */
function constraintsOf(path: string, spec: FieldSpec): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: spec.kind };
  if (spec.optional) out.optional = true;
  switch (spec.kind) {
    case 'string':
      if (spec.allowed) out.allowed = spec.allowed;
      if (spec.pattern) out.pattern = spec.pattern.source;
      if (spec.describe) out.describe = spec.describe;
      break;
    case 'number':
      for (const key of ['integer', 'min', 'max', 'allowed'] as const) if (spec[key] !== undefined) out[key] = spec[key];
      break;
    case 'array':
      for (const key of ['minItems', 'maxItems', 'unique'] as const) if (spec[key] !== undefined) out[key] = spec[key];
      break;
    case 'record':
      if (spec.keyPattern) out.keyPattern = spec.keyPattern.source;
      if (spec.keyDescribe) out.keyDescribe = spec.keyDescribe;
      break;
    case 'object':
      out.fields = Object.keys(spec.fields);
      break;
    case 'boolean':
      break;
  }
  if (spec.kind !== 'object') {
    const defaults = environmentDefaults(path);
    if (ENVIRONMENT_NAMES.some((env) => defaults[env] !== undefined)) out.default = defaults;
  }
  return out;
}

/** test/config-constraints.json: one line per spec node, so a loosened bound or a dropped rule is a one-line diff. */
export function renderConstraints(spec: FieldSpec = fileSpec): string {
  const lines = specNodes(spec).map(({ path, spec: node }) => `  ${JSON.stringify(path)}: ${JSON.stringify(constraintsOf(path, node))}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}
