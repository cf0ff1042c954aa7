/**
 * The Terraform addresses of every synthesized stack: resources (`type.name`), data sources (`data.type.name`),
 * outputs (`output.name`) and ephemeral blocks (`ephemeral.type.name`). Reviewers read plan diffs by these
 * addresses, and a renamed construct id replaces a resource, so `test/addresses.json` pins them per environment.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfig } from '../../config';
import { buildApp } from '../../main';

export type AddressTable = Record<string, Record<string, string[]>>;

/** The pinned environments: the defaults as shipped. */
export const PINNED_ENVIRONMENTS = ['dev', 'prod'] as const;

const BACKEND = { bucket: 'state-bucket', region: 'us-east-1', encrypt: true, dynamodbTable: 'lock', useLockfile: true };

type Blocks = Record<string, Record<string, unknown>>;

export function stackAddresses(stackJson: { resource?: Blocks; data?: Blocks; output?: Record<string, unknown>; ephemeral?: Blocks }): string[] {
  const out: string[] = [];
  const typed = (prefix: string, blocks: Blocks | undefined) => {
    for (const [type, byName] of Object.entries(blocks ?? {})) for (const name of Object.keys(byName)) out.push(`${prefix}${type}.${name}`);
  };
  typed('', stackJson.resource);
  typed('data.', stackJson.data);
  typed('ephemeral.', stackJson.ephemeral);
  for (const name of Object.keys(stackJson.output ?? {})) out.push(`output.${name}`);
  return out.sort();
}

/** Synthesizes one environment with its defaults into a temporary directory and lists each stack's addresses. */
export function synthAddresses(environment: string): Record<string, string[]> {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'addresses-'));
  try {
    buildApp({ config: loadConfig({ environment }), backend: BACKEND, outdir }).synth();
    const stacks: Record<string, string[]> = {};
    for (const stack of readdirSync(path.join(outdir, 'stacks')).sort()) {
      stacks[stack] = stackAddresses(JSON.parse(readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')));
    }
    return stacks;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Lines like `prod-gateway: removed X, added Y`, empty when the two tables agree. */
export function diffAddresses(pinned: AddressTable, actual: AddressTable): string[] {
  const problems: string[] = [];
  for (const env of new Set([...Object.keys(pinned), ...Object.keys(actual)])) {
    const a = pinned[env] ?? {};
    const b = actual[env] ?? {};
    for (const stack of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const before = new Set(a[stack] ?? []);
      const after = new Set(b[stack] ?? []);
      const removed = [...before].filter((x) => !after.has(x));
      const added = [...after].filter((x) => !before.has(x));
      if (removed.length || added.length) {
        problems.push(`${env} ${stack}: removed ${removed.join(', ') || 'nothing'}; added ${added.join(', ') || 'nothing'}`);
      }
    }
  }
  return problems;
}
