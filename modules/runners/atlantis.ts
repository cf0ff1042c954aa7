import { writeFileSync } from 'fs';
import * as path from 'path';
import { Document } from 'yaml';
import { SynthesizedStack, dependencyDepths, readSynthesizedStacks } from './stack-graph';

/**
 * One Atlantis project of a repo-level `atlantis.yaml` (version 3), with the key names Atlantis parses
 * (runatlantis/atlantis server/core/config/raw/project.go; runatlantis.io/docs/repo-level-atlantis-yaml.md).
 */
export interface AtlantisProject {
  readonly name: string;
  readonly dir: string;
  readonly autoplan: { readonly enabled: boolean; readonly when_modified: readonly string[] };
  readonly execution_order_group: number;
  readonly depends_on?: readonly string[];
}

export interface AtlantisConfig {
  readonly version: 3;
  readonly projects: readonly AtlantisProject[];
}

export interface AtlantisOptions {
  /** Path of the output directory relative to the repository root, e.g. `cdktf.out`. POSIX separators. */
  readonly outdirFromRoot: string;
}

/**
 * One project per stack with remote state, named after the stack, in the stack's directory. Autoplan fires when the
 * stack's `cdk.tf.json` changes (Atlantis matches `when_modified` relative to the project's dir, .dockerignore
 * syntax). `execution_order_group` is the stack's depth in the dependency graph, so plans and applies of one
 * `atlantis plan` / `atlantis apply` run producers first; `depends_on` makes Atlantis refuse to apply a stack
 * before the stacks it reads from are applied.
 *
 * Stacks with local state (`bootstrap`) are left out: Atlantis works in a fresh clone per pull request, where a
 * local state file would be lost after the apply and the next plan would try to create the bucket again.
 */
export function atlantisConfig(stacks: readonly SynthesizedStack[], options: AtlantisOptions): AtlantisConfig {
  const root = options.outdirFromRoot.split(path.sep).join('/');
  if (path.posix.isAbsolute(root) || root.split('/').includes('..')) {
    // Atlantis refuses a project dir containing '..': the output must be inside the repository.
    throw new Error(`atlantis.yaml: the output directory ${JSON.stringify(root)} is not inside the repository root; allowed: a relative path without ..`);
  }
  const remote = stacks.filter((s) => s.backend !== 'local');
  const names = new Set(remote.map((s) => s.name));
  const depths = dependencyDepths(stacks);
  const projects = remote.map((s): AtlantisProject => {
    const missing = s.dependencies.filter((d) => !names.has(d));
    if (missing.length > 0) throw new Error(`atlantis.yaml: stack ${s.name} depends on ${missing.join(', ')}, which keeps local state and is no Atlantis project`);
    return {
      name: s.name,
      dir: path.posix.join(root, s.workingDirectory),
      autoplan: { enabled: true, when_modified: ['cdk.tf.json'] },
      execution_order_group: depths.get(s.name) ?? 0,
      ...(s.dependencies.length > 0 ? { depends_on: s.dependencies } : {}),
    };
  });
  projects.sort((a, b) => a.execution_order_group - b.execution_order_group || a.name.localeCompare(b.name));
  return { version: 3, projects };
}

export function renderAtlantisYaml(config: AtlantisConfig): string {
  const doc = new Document(config);
  doc.commentBefore = [
    ' Generated at synth from the stacks and their cross-stack references (modules/runners/atlantis.ts): do not edit.',
    ' Atlantis reads atlantis.yaml only at the repository root: copy it there (commit it with the synthesized output,',
    ' or in the pre-workflow hook that synthesizes). docs/runners.md describes both workflows.',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

/**
 * The directory Atlantis clones, as seen from synth: the working directory when the output is inside it (`npm run
 * synth` and `cdktf synth` run in the project root), else the directory that holds the output directory.
 */
export function repositoryRootFor(outdir: string, cwd = process.cwd()): string {
  const out = path.resolve(cwd, outdir);
  const rel = path.relative(cwd, out);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? cwd : path.dirname(out);
}

/** Writes `<outdir>/atlantis.yaml` for a synthesized app, with project dirs relative to `repositoryRoot`. */
export function writeAtlantisYaml(outdir: string, repositoryRoot = repositoryRootFor(outdir)): string {
  const file = path.join(outdir, 'atlantis.yaml');
  const config = atlantisConfig(readSynthesizedStacks(outdir), { outdirFromRoot: path.relative(repositoryRoot, path.resolve(outdir)) });
  writeFileSync(file, renderAtlantisYaml(config));
  return file;
}
