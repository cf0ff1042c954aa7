/**
 * `npm run policy` (tsc && node dist/scripts/policy.js): builds the app for every configured environment, evaluates every
 * stack against the policy it was given with applyPolicy, and prints per stack a table (rule, resources checked,
 * pass / fail / suppressed), the violations, and every suppression with its reason.
 *
 * Exit code: 0 clean; 1 unsuppressed violations; 2 the check itself is not trustworthy (a stack without
 * applyPolicy, a stack registered for another environment, or the app failed to build).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { TerraformStack } from 'cdktf';
import { loadConfig } from '../config';
import { ENVIRONMENTS } from '../config/environments';
import { buildApp } from '../main';
import { exampleEnvironments } from './lib/examples';
import { EXAMPLE_ON_CALL } from './lib/profiles';
import { PROJECT_ROOT } from './lib/terraform-env';
import { evaluateStack, formatStackReport, policyOptionsOf, violationCount, type StackReport } from '../policy';

interface EnvironmentResult {
  readonly reports: readonly StackReport[];
  readonly setupErrors: readonly string[];
}

function checkEnvironment(environment: string, overrides: unknown, outdir: string): EnvironmentResult {
  const app = buildApp({ config: loadConfig({ environment, overrides }), outdir });
  const stacks = app.node.findAll().filter(TerraformStack.isStack);
  // What app.synth() does before validating: adds cross-stack outputs / remote state, so the JSON evaluated here
  // is the JSON synth validates and writes.
  stacks.forEach((stack) => stack.prepareStack());
  const setupErrors: string[] = [];
  const reports = stacks.map((stack) => {
    const applied = policyOptionsOf(stack);
    if (applied === undefined) {
      setupErrors.push(`stack ${stack.node.path} has no policy: call applyPolicy(stack, { environment }) in main.ts`);
      return evaluateStack(stack, { environment });
    }
    if (applied.environment !== environment) {
      setupErrors.push(
        `stack ${stack.node.path} was built for environment "${environment}" but applyPolicy got "${applied.environment}"`,
      );
    }
    return evaluateStack(stack);
  });
  if (stacks.length === 0) {
    setupErrors.push(`buildApp({ environment: "${environment}" }) produced no stacks`);
  }
  return { reports, setupErrors };
}

function main(): number {
  // buildApp creates the output directory; nothing is synthesized into it, and it is removed afterwards.
  const outdir = mkdtempSync(join(tmpdir(), 'llm-gateway-policy-'));
  try {
    let violations = 0;
    const setupErrors: string[] = [];
    // Every built-in environment, and every environment an example file defines (examples/staging.json) with that
    // file, so a new one is checked without touching this file.
    const environments = [
      ...Object.keys(ENVIRONMENTS).map((name) => ({ name, overrides: EXAMPLE_ON_CALL as unknown, label: name })),
      ...exampleEnvironments().map((e) => ({ name: e.name, overrides: e.overrides as unknown, label: `${e.name} (${relative(PROJECT_ROOT, e.file)})` })),
    ];
    for (const { name: environment, overrides, label } of environments) {
      console.log(`\n=== Environment ${label} ===`);
      let result: EnvironmentResult;
      try {
        result = checkEnvironment(environment, overrides, join(outdir, environment));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        setupErrors.push(`${environment}: building the app failed: ${message}`);
        continue;
      }
      result.reports.forEach((report) => console.log(`\n${formatStackReport(report)}`));
      violations += violationCount(result.reports);
      setupErrors.push(...result.setupErrors.map((error) => `${environment}: ${error}`));
    }
    console.log('');
    setupErrors.forEach((error) => console.error(`ERROR ${error}`));
    if (violations > 0) {
      console.error(`${violations} unsuppressed policy violation(s).`);
    }
    if (setupErrors.length > 0) {
      return 2;
    }
    if (violations > 0) {
      return 1;
    }
    console.log('Policy check passed.');
    return 0;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

process.exitCode = main();
