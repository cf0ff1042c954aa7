/**
 * `npm run deployer-policy [-- --out <dir>]`: the IAM policy a role needs to deploy and destroy the stacks of the
 * configuration selected by GATEWAY_ENV and GATEWAY_CONFIG_FILE, derived from the resource types of the synthesized
 * stacks (scripts/lib/deployer-policy.ts). Prints the policy documents (several when one would exceed the 6,144
 * characters of a managed policy), or writes them as `<dir>/deployer-policy-<n>.json`.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfigFromEnv } from '../config';
import { buildApp } from '../main';
import { deployerStatements, packPolicies, references, stateBackends, synthesizedTypes } from './lib/deployer-policy';

function main(argv: string[]): void {
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1]) out = argv[++i];
    else throw new Error(`unknown argument ${JSON.stringify(argv[i])}; allowed: --out <dir>`);
  }
  const config = loadConfigFromEnv();
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'deployer-policy-'));
  buildApp({ config, outdir }).synth();
  const types = synthesizedTypes(outdir);
  const statements = deployerStatements(types, stateBackends(outdir), config.region.startsWith('cn-') ? 'aws-cn' : config.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');
  const docs = packPolicies(statements);
  const summary = `deployer policy for ${config.environment} (${types.length} Terraform types, ${statements.length} statements, ${docs.length} managed ${docs.length === 1 ? 'policy' : 'policies'})`;
  if (out) {
    mkdirSync(out, { recursive: true });
    docs.forEach((doc, i) => writeFileSync(path.join(out!, `deployer-policy-${i + 1}.json`), `${JSON.stringify(doc, null, 2)}\n`));
    console.log(`${summary}: written to ${out}`);
  } else {
    process.stderr.write(`${summary}\n`);
    console.log(JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2));
  }
  process.stderr.write(`actions per service documented at:\n${Object.entries(references(statements)).map(([s, u]) => `  ${s}: ${u}`).join('\n')}\n`);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`deployer-policy: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
