/**
 * `npm run addresses`: prints the difference between the synthesized Terraform addresses and test/addresses.json;
 * `npm run addresses -- --write` records the current ones (do that only for a deliberate change, and say in the
 * commit which resources it replaces or moves).
 */
import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { AddressTable, PINNED_ENVIRONMENTS, diffAddresses, synthAddresses } from './lib/addresses';
import { PROJECT_ROOT } from './lib/terraform-env';

const FILE = path.join(PROJECT_ROOT, 'test', 'addresses.json');
const actual: AddressTable = Object.fromEntries(PINNED_ENVIRONMENTS.map((env) => [env, synthAddresses(env)]));
if (process.argv.includes('--write')) {
  writeFileSync(FILE, `${JSON.stringify(actual, null, 2)}\n`);
  console.log(`wrote ${path.relative(PROJECT_ROOT, FILE)}`);
} else {
  const problems = diffAddresses(JSON.parse(readFileSync(FILE, 'utf8')) as AddressTable, actual);
  console.log(problems.length ? problems.join('\n') : 'addresses unchanged');
  process.exitCode = problems.length ? 1 : 0;
}
