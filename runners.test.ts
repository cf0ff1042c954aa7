import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { deepMerge, loadConfig } from './config';
import { buildApp } from './main';
import { readSynthesizedStacks, renderHcpWorkspacePlan } from './modules/runners';
import { checkCloudBlock } from './scripts/lib/cloud-block';
import { workspacePlanFor } from './scripts/hcp-workspaces';
import type { Json } from './test/helpers';

const backend = { bucket: 'state-bucket-i14', region: 'us-east-1', encrypt: true, dynamodbTable: 'lock-table-i14', useLockfile: true };
const PREBUILT = { image: { mode: 'prebuilt', uri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/llm-gateway:1' } };


/**
 * Prod refuses an alarm topic nobody is subscribed to (config/observability.ts); `staging` is defined by its file,
 * on top of prod, as examples/staging.json does.
 */
function baseOverrides(environment: string): Record<string, unknown> {
  const onCall = environment === 'dev' ? {} : { observability: { alarmEmails: ['oncall@example.com'] } };
  return environment === 'staging' ? { ...onCall, environment: { name: 'staging', base: 'prod' } } : onCall;
}

function synth(environment: string, overrides?: unknown): { outdir: string; stacks: Record<string, Json>; texts: Record<string, string> } {
  const outdir = path.join(mkdtempSync(path.join(os.tmpdir(), 'runners-')), 'cdktf.out');
  buildApp({ config: loadConfig({ environment, overrides: deepMerge(baseOverrides(environment), overrides) }), backend, outdir }).synth();
  const texts: Record<string, string> = {};
  const stacks: Record<string, Json> = {};
  for (const name of readdirSync(path.join(outdir, 'stacks')).sort()) {
    texts[name] = readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8');
    stacks[name] = JSON.parse(texts[name]);
  }
  return { outdir, stacks, texts };
}

const remoteReads = (stack: Json): Json[] => Object.values(stack.data?.terraform_remote_state ?? {});

describe.each(['dev', 'prod', 'staging'])('cloud mode (%s)', (environment) => {
  const state = { kind: 'cloud', organization: 'acme', project: 'llm-gateway', hostname: 'tfe.example.com' };
  const { outdir, stacks, texts } = synth(environment, { state, gateway: PREBUILT });
  const names = Object.keys(stacks);

  test('no bootstrap stack and no atlantis.yaml: HCP Terraform holds the state', () => {
    expect(names).toEqual([`${environment}-database`, `${environment}-gateway`, `${environment}-networking`, `${environment}-observability`]);
    expect(existsSync(path.join(outdir, 'atlantis.yaml'))).toBe(false);
  });

  test('every stack has a cloud block naming its own workspace, and no backend', () => {
    const workspaces = names.map((name) => {
      const tf = stacks[name].terraform;
      expect(tf.backend).toBeUndefined();
      expect(tf.cloud).toEqual({ organization: 'acme', hostname: 'tfe.example.com', workspaces: { name: `document-processing-${name}`, project: 'llm-gateway' } });
      expect(checkCloudBlock(tf)).toBeUndefined();
      // workspaces.project needs Terraform 1.6
      expect(tf.required_version).toMatch(/^>= 1\.(6|[7-9]|\d\d)\.\d+$/);
      return tf.cloud.workspaces.name;
    });
    expect(new Set(workspaces).size).toBe(names.length);
  });

  test('cross-stack values are read with backend remote from the producer workspace', () => {
    const manifest = readSynthesizedStacks(outdir);
    let reads = 0;
    for (const s of manifest) {
      const read = remoteReads(stacks[s.name]);
      expect(read.map((r) => r.config.workspaces.name).sort()).toEqual(s.dependencies.map((d) => `document-processing-${d}`).sort());
      for (const r of read) {
        expect(r.backend).toBe('remote');
        expect(r.config).toEqual({ organization: 'acme', hostname: 'tfe.example.com', workspaces: { name: expect.stringMatching(/^document-processing-/) } });
        reads += 1;
      }
    }
    expect(reads).toBeGreaterThanOrEqual(5); // db<-net, gw<-net, gw<-db, obs<-gw, obs<-db
  });

  test('no S3 remnant: no s3 backend or read, no terraform-backend.hcl value, no state key', () => {
    for (const text of Object.values(texts)) {
      expect(text).not.toMatch(/"s3"|\.tfstate|state-bucket-i14|lock-table-i14|use_lockfile|dynamodb_table/);
    }
  });

  test('the workspace plan: consumers are exactly the stacks that read a producer, run triggers exactly its reads', () => {
    const plan = workspacePlanFor(loadConfig({ environment, overrides: { state, gateway: PREBUILT, ...baseOverrides(environment) } }), 'infra/synth');
    const ws = (stack: string) => `document-processing-${environment}-${stack}`;
    expect(plan).toMatchObject({ organization: 'acme', hostname: 'tfe.example.com', project: 'llm-gateway' });
    expect(plan.workspaces.map((w) => [w.name, w.workingDirectory, w.remoteStateConsumers, w.runTriggerSources])).toEqual([
      [ws('networking'), `infra/synth/stacks/${environment}-networking`, [ws('database'), ws('gateway')], []],
      [ws('database'), `infra/synth/stacks/${environment}-database`, [ws('gateway'), ws('observability')], [ws('networking')]],
      [ws('gateway'), `infra/synth/stacks/${environment}-gateway`, [ws('observability')], [ws('database'), ws('networking')]],
      [ws('observability'), `infra/synth/stacks/${environment}-observability`, [], [ws('database'), ws('gateway')]],
    ]);
    // The same graph as the remote state reads in the JSON: no hand-kept list.
    for (const w of plan.workspaces) {
      expect(remoteReads(stacks[w.stack]).map((r) => r.config.workspaces.name).sort()).toEqual([...w.runTriggerSources]);
    }
  });
});

describe('the entry point in cloud mode', () => {
  test('cloud with the build image mode fails before writing anything, naming the pre-built mode', () => {
    const entry = path.join(__dirname, 'dist', 'main.js');
    if (!existsSync(entry)) throw new Error('dist/main.js is missing: run `npm run build` (npm test does) first');
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'entry-cloud-'));
    writeFileSync(path.join(cwd, 'hcp.json'), JSON.stringify({ state: { kind: 'cloud', organization: 'acme' } }));
    const res = spawnSync(process.execPath, [entry], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, CHECKPOINT_DISABLE: '1', GATEWAY_CONFIG_FILE: 'hcp.json' } });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('gateway.image.mode: got "build"; allowed: "prebuilt" when state.kind is "cloud"');
    expect(existsSync(path.join(cwd, 'cdktf.out'))).toBe(false);
  });
});

describe('npm run hcp-workspaces', () => {
  test('refuses an S3-mode configuration, saying what to set', () => {
    expect(() => workspacePlanFor(loadConfig({ environment: 'dev' }), 'cdktf.out')).toThrow(/state\.kind is "s3" for environment "dev"; allowed here: "cloud"/);
  });

  test('refuses a working directory outside the repository', () => {
    const config = loadConfig({ environment: 'dev', overrides: { state: { kind: 'cloud', organization: 'acme' }, gateway: PREBUILT } });
    expect(() => workspacePlanFor(config, '../elsewhere')).toThrow(/--outdir "\.\.\/elsewhere"; allowed: a directory inside the repository/);
  });

  test('with the edge on: the edge workspace reads the gateway\'s, which shares its state with it and triggers it', () => {
    const config = loadConfig({ environment: 'dev', overrides: { state: { kind: 'cloud', organization: 'acme' }, gateway: PREBUILT, edge: { enabled: true } } });
    const plan = workspacePlanFor(config, 'cdktf.out');
    const ws = (stack: string) => `document-processing-dev-${stack}`;
    const byName = new Map(plan.workspaces.map((w) => [w.name, w]));
    expect(byName.get(ws('edge'))).toMatchObject({ workingDirectory: 'cdktf.out/stacks/dev-edge', remoteStateConsumers: [], runTriggerSources: [ws('gateway')] });
    expect(byName.get(ws('gateway'))!.remoteStateConsumers).toEqual([ws('edge'), ws('observability')]);
    const order = plan.workspaces.map((w) => w.name);
    expect(order.indexOf(ws('gateway'))).toBeLessThan(order.indexOf(ws('edge')));
    // What the command prints: each workspace with its directory, its consumers and its run trigger sources.
    const text = renderHcpWorkspacePlan(plan);
    expect(text).toContain(`${ws('edge')}  (stack dev-edge)\n   working directory:     cdktf.out/stacks/dev-edge\n`);
    expect(text).toContain(`   share state with:      ${ws('edge')}, ${ws('observability')}\n`);
    expect(text).toContain(`   run triggers (source): ${ws('gateway')}\n`);
    expect(text).toMatch(/organization acme on app\.terraform\.io, default project/);
  });

  test('the default prefix is <appName>- and hostname app.terraform.io', () => {
    const config = loadConfig({ environment: 'dev', overrides: { appName: 'llm', state: { kind: 'cloud', organization: 'acme' }, gateway: PREBUILT } });
    const plan = workspacePlanFor(config, 'cdktf.out');
    expect(plan.hostname).toBe('app.terraform.io');
    expect(plan.project).toBeUndefined();
    expect(plan.workspaces.map((w) => w.name)).toEqual(['llm-dev-networking', 'llm-dev-database', 'llm-dev-gateway', 'llm-dev-observability']);
  });
});

describe.each(['dev', 'prod'])('S3 mode atlantis.yaml (%s)', (environment) => {
  const { outdir, stacks } = synth(environment);
  const file = path.join(outdir, 'atlantis.yaml');
  const config = parse(readFileSync(file, 'utf8')) as { version: number; projects: Json[] };
  const keyOf = (name: string) => stacks[name].terraform.backend.s3?.key as string | undefined;

  test('parses, version 3, one project per stack with remote state (not bootstrap)', () => {
    expect(config.version).toBe(3);
    const remote = Object.keys(stacks).filter((n) => n !== 'bootstrap').sort();
    expect(config.projects.map((p) => p.name).sort()).toEqual(remote);
    for (const p of config.projects) {
      expect(p.dir).toBe(`cdktf.out/stacks/${p.name}`);
      expect(p.autoplan).toEqual({ enabled: true, when_modified: ['cdk.tf.json'] });
    }
  });

  test('depends_on is the stacks each one reads, and every stack runs in a later group than its dependencies', () => {
    const group = new Map(config.projects.map((p) => [p.name, p.execution_order_group as number]));
    const stackOfKey = new Map(Object.keys(stacks).map((n) => [keyOf(n), n]));
    for (const p of config.projects) {
      const read = remoteReads(stacks[p.name]).map((r) => {
        expect(r.backend).toBe('s3');
        return stackOfKey.get(r.config.key);
      });
      expect([...(p.depends_on ?? [])].sort()).toEqual(read.sort());
      for (const dep of p.depends_on ?? []) expect(group.get(dep)!).toBeLessThan(group.get(p.name)!);
    }
    expect(config.projects.find((p) => p.name === `${environment}-networking`)!.depends_on).toBeUndefined();
    expect(config.projects.find((p) => p.name === `${environment}-observability`)!.execution_order_group).toBe(3);
  });
});

describe('cloud block check of the validate step', () => {
  test.each([
    [{ cloud: { organization: 'a', workspaces: { name: 'w', project: 'p' } } }, undefined],
    [{ cloud: { organization: 'a', workspaces: { name: 'w' } }, backend: { s3: {} } }, 'a backend block beside the cloud block'],
    [{ cloud: { organization: 'a', workspace: {} } }, 'unknown cloud block arguments workspace'],
    [{ cloud: { organization: 'a', workspaces: { tags: ['t'] } } }, 'cloud.workspaces must name exactly one workspace (name, not tags)'],
    [{}, 'no terraform.cloud block'],
  ])('%j -> %s', (block, problem) => {
    expect(checkCloudBlock(block)).toBe(problem);
  });
});
