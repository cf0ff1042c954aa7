import { readFileSync } from 'fs';
import * as path from 'path';

/** What a runner needs to know of one synthesized stack, read back from the output directory. */
export interface SynthesizedStack {
  readonly name: string;
  /** Relative to the output directory, e.g. `stacks/dev-networking`. */
  readonly workingDirectory: string;
  /** Stacks this one reads values from: cdktf records one per cross-stack reference it turned into a remote state read. */
  readonly dependencies: readonly string[];
  /** `s3`, `local`, ... (`terraform.backend`), or `cloud` (`terraform.cloud`). */
  readonly backend: string;
  /** The `terraform.cloud` block, when the stack keeps its state in HCP Terraform. */
  readonly cloud?: CloudBlock;
  /** The stack's `terraform.required_version`, if it declares one. */
  readonly requiredVersion?: string;
  /** Every `data.terraform_remote_state` of the stack: its backend and configuration. */
  readonly remoteStateReads: readonly { readonly backend: string; readonly config: Readonly<Record<string, unknown>> }[];
}

export interface CloudBlock {
  readonly organization: string;
  readonly hostname?: string;
  readonly workspaces: { readonly name?: string; readonly project?: string; readonly tags?: readonly string[] };
}

interface Manifest {
  readonly stacks: Readonly<Record<string, { readonly name: string; readonly workingDirectory: string; readonly synthesizedStackPath: string; readonly dependencies: readonly string[] }>>;
}

interface StackJson {
  readonly terraform?: { readonly backend?: Record<string, unknown>; readonly cloud?: CloudBlock; readonly required_version?: string };
  readonly data?: { readonly terraform_remote_state?: Record<string, { readonly backend: string; readonly config?: Record<string, unknown> }> };
}

/**
 * Reads the stacks of a synthesized app (cdktf's `manifest.json` and each `cdk.tf.json`), in manifest order. The
 * dependencies are cdktf's own record of the cross-stack references it resolved, so every runner configuration
 * derived from them follows the code, not a list kept by hand.
 */
export function readSynthesizedStacks(outdir: string): SynthesizedStack[] {
  const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as Manifest;
  return Object.values(manifest.stacks).map((entry) => {
    const json = JSON.parse(readFileSync(path.join(outdir, entry.synthesizedStackPath), 'utf8')) as StackJson;
    const backends = Object.keys(json.terraform?.backend ?? {});
    const backend = json.terraform?.cloud !== undefined ? 'cloud' : backends[0] ?? 'local';
    return {
      name: entry.name,
      workingDirectory: entry.workingDirectory,
      dependencies: [...entry.dependencies].sort(),
      backend,
      cloud: json.terraform?.cloud,
      requiredVersion: json.terraform?.required_version,
      remoteStateReads: Object.values(json.data?.terraform_remote_state ?? {}).map((r) => ({ backend: r.backend, config: r.config ?? {} })),
    };
  });
}

/**
 * Depth of each stack in the dependency graph: 0 for a stack that reads from no other, otherwise one more than its
 * deepest dependency. Stacks of equal depth do not depend on each other. Throws on a cycle (cdktf refuses those too).
 */
export function dependencyDepths(stacks: readonly SynthesizedStack[]): Map<string, number> {
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const depths = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (name: string): number => {
    const known = depths.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) throw new Error(`stack dependency cycle through ${name}`);
    visiting.add(name);
    const stack = byName.get(name);
    if (!stack) throw new Error(`unknown stack ${JSON.stringify(name)} in the dependencies`);
    const d = stack.dependencies.length === 0 ? 0 : 1 + Math.max(...stack.dependencies.map(depth));
    visiting.delete(name);
    depths.set(name, d);
    return d;
  };
  for (const s of stacks) depth(s.name);
  return depths;
}
