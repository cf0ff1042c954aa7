/**
 * Compares two synthesized outputs (`<outdir>/stacks/<stack>/cdk.tf.json`) as Terraform sees them: parsed JSON,
 * with the one field that names the library version that wrote it (`//.metadata.version`, e.g. "0.21.0" for
 * cdktf, "0.24.0" for CDK Terrain) set aside. Used by `npm run cdktn-check` (scripts/cdktn-check.ts).
 */
import { existsSync, readFileSync, readdirSync } from 'fs';
import * as path from 'path';

export interface StackDifference {
  readonly stack: string;
  /** Top-level keys of the stack's JSON that differ, or 'missing in a' / 'missing in b'. */
  readonly keys: readonly string[];
}

function stacksOf(outdir: string): string[] {
  const dir = path.join(outdir, 'stacks');
  return existsSync(dir) ? readdirSync(dir).filter((s) => existsSync(path.join(dir, s, 'cdk.tf.json'))).sort() : [];
}

function readStack(outdir: string, stack: string): Record<string, unknown> {
  const json = JSON.parse(readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as Record<string, unknown>;
  const meta = json['//'] as { metadata?: Record<string, unknown> } | undefined;
  if (meta?.metadata) delete meta.metadata.version;
  return json;
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );

/** Every stack whose Terraform differs between `a` and `b`; empty when they are the same configuration. */
export function compareSynth(a: string, b: string): StackDifference[] {
  const inA = stacksOf(a);
  const inB = stacksOf(b);
  const out: StackDifference[] = [];
  for (const stack of [...new Set([...inA, ...inB])].sort()) {
    if (!inA.includes(stack)) out.push({ stack, keys: ['missing in a'] });
    else if (!inB.includes(stack)) out.push({ stack, keys: ['missing in b'] });
    else {
      const ja = readStack(a, stack);
      const jb = readStack(b, stack);
      const keys = [...new Set([...Object.keys(ja), ...Object.keys(jb)])].filter((k) => canonical(ja[k]) !== canonical(jb[k])).sort();
      if (keys.length > 0) out.push({ stack, keys });
    }
  }
  return out;
}

/** The library version each stack records (`//.metadata.version`). */
export function writerVersions(outdir: string): Record<string, string | undefined> {
  return Object.fromEntries(
    stacksOf(outdir).map((stack) => {
      const json = JSON.parse(readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as { '//'?: { metadata?: { version?: string } } };
      return [stack, json['//']?.metadata?.version];
    }),
  );
}
