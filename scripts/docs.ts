/**
 * `npm run docs`: checks that the files generated from the field specs (config/app-spec.ts and the section files of
 * config/) are up to date: the field tables of docs/configuration.md and the constraint pin
 * test/config-constraints.json. `npm run docs -- --write` rewrites both; review the diff of the pin like that of
 * test/addresses.json (a loosened bound or a dropped rule shows there).
 */
import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { renderConstraints, renderFieldTables, replaceFieldTables } from '../config/reference';
import { PROJECT_ROOT } from './lib/terraform-env';

export const CONFIGURATION_DOC = path.join(PROJECT_ROOT, 'docs', 'configuration.md');
export const CONSTRAINTS_PIN = path.join(PROJECT_ROOT, 'test', 'config-constraints.json');

/** Each generated file with its current and its rendered text. */
export function generatedFiles(): { file: string; current: string; rendered: string }[] {
  const doc = readFileSync(CONFIGURATION_DOC, 'utf8');
  const pin = readFileSync(CONSTRAINTS_PIN, 'utf8');
  return [
    { file: CONFIGURATION_DOC, current: doc, rendered: replaceFieldTables(doc, renderFieldTables()) },
    { file: CONSTRAINTS_PIN, current: pin, rendered: renderConstraints() },
  ];
}

function main(): number {
  const write = process.argv.includes('--write');
  let stale = 0;
  for (const { file, current, rendered } of generatedFiles()) {
    const name = path.relative(PROJECT_ROOT, file);
    if (rendered === current) {
      console.log(`docs: ${name} is up to date with the field specs`);
    } else if (write) {
      writeFileSync(file, rendered);
      console.log(`docs: wrote ${name}`);
    } else {
      console.error(`docs: ${name} differs from what the field specs render; run npm run docs -- --write and review the diff`);
      stale++;
    }
  }
  return stale === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = main();
