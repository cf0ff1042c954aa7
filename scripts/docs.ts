/**
 * `npm run docs`: checks that the files generated from the field specs (config/app-spec.ts and the section files of
 * config/) are up to date: the field tables of docs/configuration.md and the constraint pin
 * test/config-constraints.json, and the agent tables of README.md and docs/observability.md (from the default
 * agents and the model catalogue: scripts/lib/agent-tables.ts). `npm run docs -- --write` rewrites them; review the
 * diff of the pin like that of test/addresses.json (a loosened bound or a dropped rule shows there).
 */
import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { renderConstraints, renderFieldTables, replaceFieldTables } from '../config/reference';
import { AgentTableStyle, OBSERVABILITY_AGENT_TABLE, README_AGENT_TABLE, renderAgentTable, replaceAgentTable } from './lib/agent-tables';
import { PROJECT_ROOT } from './lib/terraform-env';

export const CONFIGURATION_DOC = path.join(PROJECT_ROOT, 'docs', 'configuration.md');
export const CONSTRAINTS_PIN = path.join(PROJECT_ROOT, 'test', 'config-constraints.json');
/** The files holding an agent table (scripts/lib/agent-tables.ts), with the style of each. */
export const AGENT_TABLES: readonly { readonly file: string; readonly style: AgentTableStyle }[] = [
  { file: path.join(PROJECT_ROOT, 'README.md'), style: README_AGENT_TABLE },
  { file: path.join(PROJECT_ROOT, 'docs', 'observability.md'), style: OBSERVABILITY_AGENT_TABLE },
];

/** Each generated file with its current and its rendered text. */
export function generatedFiles(): { file: string; current: string; rendered: string; source: string }[] {
  const doc = readFileSync(CONFIGURATION_DOC, 'utf8');
  const pin = readFileSync(CONSTRAINTS_PIN, 'utf8');
  return [
    { file: CONFIGURATION_DOC, current: doc, rendered: replaceFieldTables(doc, renderFieldTables()), source: 'the field specs' },
    { file: CONSTRAINTS_PIN, current: pin, rendered: renderConstraints(), source: 'the field specs' },
    ...AGENT_TABLES.map(({ file, style }) => {
      const current = readFileSync(file, 'utf8');
      const rendered = replaceAgentTable(current, renderAgentTable(style), path.relative(PROJECT_ROOT, file));
      return { file, current, rendered, source: 'the default agents and the model catalogue' };
    }),
  ];
}

function main(): number {
  const write = process.argv.includes('--write');
  let stale = 0;
  for (const { file, current, rendered, source } of generatedFiles()) {
    const name = path.relative(PROJECT_ROOT, file);
    if (rendered === current) {
      console.log(`docs: ${name} is up to date with ${source}`);
    } else if (write) {
      writeFileSync(file, rendered);
      console.log(`docs: wrote ${name}`);
    } else {
      console.error(`docs: ${name} differs from what ${source} render; run npm run docs -- --write and review the diff`);
      stale++;
    }
  }
  return stale === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = main();
