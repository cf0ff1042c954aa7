/**
 * `terraform init -backend=false` + `terraform validate` on every synthesized stack, offline, through the CLI
 * configuration the project generates (scripts/lib/terraform-env.ts).
 *
 * Each environment is synthesized in every state mode (`s3`, and `cloud`: HCP Terraform workspaces), each mode in
 * two fallback profiles: its own settings, and "offline" (pre-built image). A stack is validated, per mode, in the
 * first fallback profile whose providers are all available; the table says which. A stack that no profile of a mode
 * can validate is a failure, as is a failed validate. The options a configuration may choose
 * ("existing-secrets", "random", "edge": offline plus edge.enabled with a custom domain and an allow-list,
 * "existing-vpc" and "https-listener", and "cloud-edge", the edge in cloud mode) are validated in addition, for every stack they change (compared with the
 * offline profile of their mode: "offline" or "cloud-offline"),
 * or reported as "not here" when a provider they need is not available. A warning fails a stack like an error. Without terraform the step fails under
 * CI=true and says so loudly elsewhere.
 *
 * Cloud mode: `terraform init -backend=false` skips the cloud block entirely (no HCP Terraform host is contacted,
 * so it works offline), and `terraform validate` checks everything else, including that no backend block sits
 * beside the cloud block and that every `terraform_remote_state` config fits the `remote` backend's schema. The
 * cloud block itself is only checked when a real init contacts the host, so checkCloudBlock() checks its shape here.
 *
 * The "features" profile (offline + every opt-in feature that adds resources: guardrail, invocation logging, the
 * secrets' customer-managed key, the off-hours schedule) is validated as well, not instead: each of its stacks whose JSON differs from the
 * offline profile's is checked.
 */
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'fs';
import * as path from 'path';
import { deepMerge, loadConfig } from '../config';
import { buildApp } from '../main';
import { checkCloudBlock } from './lib/cloud-block';
import { exampleEnvironments } from './lib/examples';
import { EXAMPLE_ON_CALL, VARIANT_BASELINES, VALIDATE_PROFILES as PROFILES } from './lib/profiles';
import * as os from 'os';
import { PROJECT_ROOT, findTerraform, mapLimit, runTerraformAsync, writeCliConfig } from './lib/terraform-env';

interface Row {
  env: string;
  stack: string;
  profile: string;
  result: string;
  seconds: number;
}

// VALIDATE_ENVIRONMENTS (comma-separated) narrows the run; by default dev and prod in every profile, and every
// environment an example file defines (examples/staging.json) as that file configures it.
const REQUESTED = (process.env.VALIDATE_ENVIRONMENTS ?? '').split(',').filter((e) => e !== '');
const EXAMPLES = exampleEnvironments().filter((e) => REQUESTED.length === 0 || REQUESTED.includes(e.name));
const ENVIRONMENTS = REQUESTED.length === 0 ? ['dev', 'prod'] : REQUESTED.filter((e) => !EXAMPLES.some((x) => x.name === e));

function requiredProviders(stackDir: string): string[] {
  const json = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as {
    terraform?: { required_providers?: Record<string, { source: string; version?: string }> };
  };
  return Object.values(json.terraform?.required_providers ?? {}).map((p) => {
    // Terraform's source address rules: `aws` is hashicorp/aws, `ns/type` is on the public registry.
    const parts = p.source.split('/');
    const source = parts.length === 1 ? `registry.terraform.io/hashicorp/${p.source}` : parts.length === 2 ? `registry.terraform.io/${p.source}` : p.source;
    return `${source}@${p.version ?? '*'}`;
  });
}

/** The summaries of the warnings in `terraform validate -json` output. */
function validateWarnings(stdout: string): string[] {
  const report = JSON.parse(stdout) as { diagnostics?: { severity: string; summary: string; address?: string }[] };
  return (report.diagnostics ?? []).filter((d) => d.severity === 'warning').map((d) => (d.address ? `${d.summary} (${d.address})` : d.summary));
}

async function main(): Promise<number> {
  const tf = findTerraform();
  if (!tf) {
    const msg = 'terraform was not found on PATH (or TERRAFORM_BINARY): the Terraform validate step cannot run.';
    if (process.env.CI === 'true') {
      console.error(`FAIL: ${msg} Under CI=true this is a failure, not a skip.`);
      return 1;
    }
    console.error(`SKIPPED (not a pass): ${msg} Install Terraform >= 1.10 to check the synthesized stacks.`);
    return 0;
  }
  const cli = writeCliConfig();
  const available = new Set((cli.mirror?.providers ?? []).map((p) => `${p.source}@${p.version}`));
  console.log(`terraform ${tf.version}; CLI config ${path.relative(PROJECT_ROOT, cli.file)}; ` +
    (cli.mirror ? `provider mirror ${cli.mirror.path}: ${[...available].join(', ')}` : 'no provider mirror found: registry installation'));
  if (cli.removedLogging.length > 0) console.log(`not passed to terraform: ${cli.removedLogging.join(', ')} (debug logs print write-only values: docs/secrets.md)`);

  // Pick, per environment and stack, the first profile whose providers are all here; then check them in parallel.
  interface Job {
    env: string;
    stack: string;
    profile: string;
    dir: string;
  }
  const rows: Row[] = [];
  const jobs: Job[] = [];
  const base = path.join(PROJECT_ROOT, 'cdktf.out', '.validate');
  rmSync(base, { recursive: true, force: true });
  for (const env of ENVIRONMENTS) {
    const stacksSeen = new Set<string>();
    const chosen = new Set<string>();
    for (const [profile, { mode, overrides, kind }] of Object.entries(PROFILES)) {
      const config = loadConfig({ environment: env, overrides: deepMerge(EXAMPLE_ON_CALL, overrides('us-east-1')) });
      const outdir = path.join(base, `${env}-${profile}`);
      mkdirSync(outdir, { recursive: true });
      buildApp({ config, outdir }).synth();
      for (const stack of readdirSync(path.join(outdir, 'stacks')).sort()) {
        const key = `${mode}/${stack}`;
        const dir = path.join(outdir, 'stacks', stack);
        const text = readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8');
        if (kind === 'variant') {
          // A stack only a variant creates (the edge) has no baseline: it is validated.
          const baseline = path.join(base, `${env}-${VARIANT_BASELINES[mode]}`, 'stacks', stack, 'cdk.tf.json');
          if (existsSync(baseline) && text === readFileSync(baseline, 'utf8')) continue;
        } else {
          stacksSeen.add(key);
          if (chosen.has(key)) continue;
        }
        const missing = cli.mirror ? requiredProviders(dir).filter((n) => !available.has(n)) : [];
        if (missing.length > 0) {
          rows.push({ env, stack, profile, result: `not here: needs ${missing.join(', ')}`, seconds: 0 });
          continue;
        }
        if (kind !== 'variant') chosen.add(key);
        if (mode === 'cloud') {
          const problem = checkCloudBlock(JSON.parse(text).terraform);
          if (problem) {
            rows.push({ env, stack, profile, result: `INVALID: ${problem}`, seconds: 0 });
            continue;
          }
        }
        jobs.push({ env, stack, profile, dir });
      }
    }
    for (const key of stacksSeen) {
      const [mode, stack] = key.split('/');
      if (!chosen.has(key)) rows.push({ env, stack, profile: `- (${mode})`, result: 'NOT VALIDATED in any profile', seconds: 0 });
    }
  }
  // An example environment: its file as it is (no profile), every stack; a missing provider is a failure here.
  for (const example of EXAMPLES) {
    const profile = path.relative(PROJECT_ROOT, example.file);
    const outdir = path.join(base, `${example.name}-example`);
    mkdirSync(outdir, { recursive: true });
    buildApp({ config: loadConfig({ environment: example.name, overrides: example.overrides }), outdir }).synth();
    for (const stack of readdirSync(path.join(outdir, 'stacks')).sort()) {
      const dir = path.join(outdir, 'stacks', stack);
      const missing = cli.mirror ? requiredProviders(dir).filter((n) => !available.has(n)) : [];
      if (missing.length > 0) rows.push({ env: example.name, stack, profile, result: `NOT VALIDATED: needs ${missing.join(', ')}`, seconds: 0 });
      else jobs.push({ env: example.name, stack, profile, dir });
    }
  }
  // Go's collector runs less often in terraform and the provider it starts (https://go.dev/doc/gc-guide#GOGC):
  // a validate is mostly the provider building its schema, 2.8 instead of 3.9 CPU seconds measured here, for about
  // 100 MB more per process (two at a time).
  const tfEnv = { ...cli.env, GOGC: cli.env.GOGC ?? '400' };
  // A stack whose cdk.tf.json is byte for byte one already queued (the bootstrap stack in most profiles, a stack two
  // variants change alike) gets that one's verdict: `terraform validate` reads nothing else from the directory.
  const firstWithText = new Map<string, Job>();
  const sameAs = new Map<Job, Job>();
  for (const job of jobs) {
    const digest = createHash('sha256').update(readFileSync(path.join(job.dir, 'cdk.tf.json'))).digest('hex');
    const first = firstWithText.get(digest);
    if (first) sameAs.set(job, first);
    else firstWithText.set(digest, job);
  }
  const unique = jobs.filter((j) => !sameAs.has(j));
  const results = await mapLimit(unique, Math.max(1, os.cpus().length), async (job) => {
    const init = await runTerraformAsync(tf, ['init', '-backend=false', '-input=false'], job.dir, tfEnv);
    const check = init.status === 0 ? await runTerraformAsync(tf, ['validate', '-json'], job.dir, tfEnv) : init;
    const ok = init.status === 0 && check.status === 0;
    // A warning is a failure too: a deprecation today is an error in a later Terraform or provider.
    const warnings = ok ? validateWarnings(check.stdout) : [];
    if (!ok || warnings.length > 0) console.error(`--- ${job.env}/${job.stack} (${job.profile}) ---\n${check.stdout}\n${check.stderr}`);
    const result = !ok ? 'INVALID' : warnings.length > 0 ? `WARNINGS: ${[...new Set(warnings)].join('; ')}` : 'valid';
    return { env: job.env, stack: job.stack, profile: job.profile, result, seconds: init.seconds + (ok ? check.seconds : 0) };
  });
  rows.push(...results);
  for (const [job, first] of sameAs) {
    const { result } = results[unique.indexOf(first)];
    rows.push({ env: job.env, stack: job.stack, profile: `${job.profile} (same JSON as ${first.env}/${first.profile})`, result, seconds: 0 });
  }
  rows.sort((a, b) => (a.env + a.stack + a.profile).localeCompare(b.env + b.stack + b.profile));

  const header = ['environment', 'stack', 'profile', 'result', 'seconds'];
  const table = [header, ...rows.map((r) => [r.env, r.stack, r.profile, r.result, r.seconds.toFixed(1)])];
  const widths = header.map((_, i) => Math.max(...table.map((r) => r[i].length)));
  for (const r of table) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
  const failed = rows.filter((r) => r.result.startsWith('INVALID') || r.result.startsWith('WARNINGS') || r.result.startsWith('NOT VALIDATED'));
  const passed = rows.filter((r) => r.result === 'valid');
  console.log(`terraform validate: ${passed.length} passed, ${failed.length} failed`);
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e: Error) => {
    console.error(e.stack ?? e.message);
    process.exitCode = 1;
  },
);
