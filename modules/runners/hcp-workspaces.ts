import * as path from 'path';
import { SynthesizedStack } from './stack-graph';

/** One HCP Terraform workspace to create for a stack, and the settings that connect it to the others. */
export interface HcpWorkspace {
  readonly name: string;
  readonly stack: string;
  /** The workspace's "Terraform Working Directory": the stack's directory relative to the repository root. */
  readonly workingDirectory: string;
  /** The stack's `required_version`, if any: the workspace's Terraform version must satisfy it. */
  readonly terraformVersion?: string;
  /**
   * Settings > General > Remote state sharing: "Share with specific workspaces", exactly these. They are the
   * workspaces whose configuration reads this one with `terraform_remote_state`; none reads more than it needs.
   */
  readonly remoteStateConsumers: readonly string[];
  /** Settings > Run Triggers: the source workspaces whose successful applies queue a run in this workspace. */
  readonly runTriggerSources: readonly string[];
}

export interface HcpWorkspacePlan {
  readonly organization: string;
  readonly hostname: string;
  readonly project?: string;
  /** In dependency order: a workspace comes after every workspace it reads from. */
  readonly workspaces: readonly HcpWorkspace[];
}

// HCP Terraform connects each workspace to at most 20 source workspaces (Run Triggers documentation).
const MAX_RUN_TRIGGER_SOURCES = 20;

/**
 * Derives the workspaces of a synthesized cloud-mode app from the output itself: each stack's `cloud` block names
 * its workspace, and each `terraform_remote_state` read with backend `remote` names the workspace it reads. So
 * the consumers a producer must allow are exactly the stacks that read it, and a run trigger exists exactly
 * where a read does.
 */
export function hcpWorkspacePlan(stacks: readonly SynthesizedStack[], options: { readonly outdirFromRoot: string }): HcpWorkspacePlan {
  const cloudStacks = stacks.filter((s) => s.cloud !== undefined);
  const others = stacks.filter((s) => s.cloud === undefined);
  if (cloudStacks.length === 0) throw new Error('no stack has a cloud block: synthesize with state.kind "cloud" first');
  if (others.length > 0) throw new Error(`stacks without a cloud block in a cloud-mode output: ${others.map((s) => s.name).join(', ')}`);
  const first = cloudStacks[0].cloud!;
  const workspaceOf = new Map<string, string>();
  for (const s of cloudStacks) {
    const c = s.cloud!;
    if (!c.workspaces.name) throw new Error(`stack ${s.name}: the cloud block selects workspaces by tags; a named workspace is needed for remote state reads`);
    if (c.organization !== first.organization || c.hostname !== first.hostname || c.workspaces.project !== first.workspaces.project) {
      throw new Error(`stack ${s.name}: its cloud block names another organization, host or project than ${cloudStacks[0].name}`);
    }
    workspaceOf.set(s.name, c.workspaces.name);
  }
  const stackOfWorkspace = new Map([...workspaceOf].map(([stack, ws]) => [ws, stack]));

  const reads = new Map<string, Set<string>>(); // consumer workspace -> producer workspaces
  for (const s of cloudStacks) {
    const sources = new Set<string>();
    for (const r of s.remoteStateReads) {
      const config = r.config as { organization?: string; hostname?: string; workspaces?: { name?: string } };
      const target = config.workspaces?.name;
      if (r.backend !== 'remote' || !target || !stackOfWorkspace.has(target)) {
        throw new Error(`stack ${s.name}: a terraform_remote_state read (backend ${r.backend}) that is not a read of another stack's workspace: ${JSON.stringify(r.config)}`);
      }
      if (config.organization !== first.organization || config.hostname !== first.hostname) {
        throw new Error(`stack ${s.name}: reads ${target} in organization ${config.organization} on ${config.hostname ?? 'app.terraform.io'}`);
      }
      sources.add(target);
    }
    if (sources.size > MAX_RUN_TRIGGER_SOURCES) throw new Error(`stack ${s.name}: reads ${sources.size} workspaces; HCP Terraform allows at most ${MAX_RUN_TRIGGER_SOURCES} run trigger sources`);
    reads.set(workspaceOf.get(s.name)!, sources);
  }

  const root = options.outdirFromRoot.split(path.sep).join('/');
  const workspaces = cloudStacks.map((s): HcpWorkspace => {
    const name = workspaceOf.get(s.name)!;
    return {
      name,
      stack: s.name,
      workingDirectory: path.posix.join(root, s.workingDirectory),
      terraformVersion: s.requiredVersion,
      remoteStateConsumers: [...reads].filter(([, sources]) => sources.has(name)).map(([consumer]) => consumer).sort(),
      runTriggerSources: [...(reads.get(name) ?? [])].sort(),
    };
  });
  // Kahn's order, ties by name: the plan lists producers before consumers.
  const ordered: HcpWorkspace[] = [];
  const pending = [...workspaces].sort((a, b) => a.name.localeCompare(b.name));
  while (pending.length > 0) {
    const i = pending.findIndex((w) => w.runTriggerSources.every((src) => ordered.some((o) => o.name === src)));
    if (i < 0) throw new Error(`workspace dependency cycle among ${pending.map((w) => w.name).join(', ')}`);
    ordered.push(...pending.splice(i, 1));
  }
  return { organization: first.organization, hostname: first.hostname ?? 'app.terraform.io', project: first.workspaces.project, workspaces: ordered };
}

/** The plan as text: what to click (or declare with the tfe provider) per workspace. */
export function renderHcpWorkspacePlan(plan: HcpWorkspacePlan): string {
  const lines = [
    `HCP Terraform workspaces: organization ${plan.organization} on ${plan.hostname}${plan.project ? `, project ${plan.project}` : ', default project'}`,
    'Create them in this order (a workspace after every workspace it reads from):',
    '',
  ];
  plan.workspaces.forEach((w, i) => {
    lines.push(`${i + 1}. ${w.name}  (stack ${w.stack})`);
    lines.push(`   working directory:     ${w.workingDirectory}`);
    if (w.terraformVersion) lines.push(`   Terraform version:     ${w.terraformVersion}`);
    lines.push(`   share state with:      ${w.remoteStateConsumers.length > 0 ? w.remoteStateConsumers.join(', ') : '(no workspace: nothing reads it)'}`);
    lines.push(`   run triggers (source): ${w.runTriggerSources.length > 0 ? w.runTriggerSources.join(', ') : '(none: it reads no other workspace)'}`);
  });
  lines.push(
    '',
    'Remote state sharing: Settings > General > "Share with specific workspaces", exactly the list above (the default',
    'for new workspaces shares with none). Run triggers: Settings > Run Triggers, add each source workspace.',
  );
  return `${lines.join('\n')}\n`;
}
