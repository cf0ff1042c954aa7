/**
 * `npm run runbook`: checks that docs/runbook.md's alarm table is the one the alarm table in code renders
 * (modules/observability/alarms.ts) for prod (with the guardrail, so its alarm is documented) and dev;
 * `npm run runbook -- --write` rewrites it.
 */
import { readFileSync, writeFileSync } from 'fs';
import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { deepMerge, loadConfig } from '../config';
import { buildApp } from '../main';
import { RunbookVariant, renderRunbookTable, replaceRunbookTable } from '../modules/observability/runbook';
import { ObservabilityStack } from '../stacks/observability-stack';
import { EXAMPLE_ON_CALL, offlineOverrides } from './lib/profiles';
import { PROJECT_ROOT } from './lib/terraform-env';

export const RUNBOOK_PATH = path.join(PROJECT_ROOT, 'docs', 'runbook.md');

/** A guardrail with the defaults: its alarm exists only when one is configured. */
const WITH_GUARDRAIL = { gateway: { guardrail: { enabled: true } } };

/** The alarms of the environments the runbook documents, from the real app. */
export function runbookVariants(): RunbookVariant[] {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'runbook-'));
  try {
    const variant = (environment: string, overrides: unknown): RunbookVariant => {
      const config = loadConfig({ environment, overrides: deepMerge(deepMerge(EXAMPLE_ON_CALL, offlineOverrides()), overrides) });
      const app = buildApp({ config, outdir });
      const stack = app.node.children.find((c): c is ObservabilityStack => c instanceof ObservabilityStack);
      if (!stack) throw new Error(`runbook: ${environment} has no observability stack`);
      return { label: environment, alarms: stack.alarmSpecs };
    };
    return [variant('prod', WITH_GUARDRAIL), variant('dev', {})];
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export function renderedRunbook(document: string): string {
  return replaceRunbookTable(document, renderRunbookTable(runbookVariants()));
}

function main(): number {
  const current = readFileSync(RUNBOOK_PATH, 'utf8');
  const rendered = renderedRunbook(current);
  if (process.argv.includes('--write')) {
    writeFileSync(RUNBOOK_PATH, rendered);
    console.log(`runbook: wrote ${path.relative(process.cwd(), RUNBOOK_PATH)}`);
    return 0;
  }
  if (rendered === current) {
    console.log('runbook: docs/runbook.md is up to date with modules/observability/alarms.ts');
    return 0;
  }
  console.error('runbook: docs/runbook.md differs from the alarm table; run npm run runbook -- --write');
  return 1;
}

if (require.main === module) process.exitCode = main();
