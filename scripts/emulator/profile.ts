/**
 * The emulator profile: the offline profile (scripts/lib/profiles.ts: pre-built image, an alarm subscriber) as it
 * is, plus what only the emulator run adds: the fixture secrets with EMULATOR_SECRETS=existing, and the opt-in edge
 * and features in the environments listed below. Also the stack order.
 */
import { deepMerge } from '../../config';
import { COST_ATTRIBUTION_OVERRIDES, EDGE_ALLOWED_CIDRS, EXAMPLE_ON_CALL, ExistingSecretArns, existingSecretsOverrides, featureOverrides, offlineOverrides } from '../lib/profiles';

/** ARNs of the secrets fixtures.py creates in the emulator: the keys of ExistingSecretsConfig. */
export type FixtureSecrets = ExistingSecretArns;

/**
 * Environments whose emulator run also creates the opt-in edge stack (CloudFront, WAF). One is enough to prove the
 * wiring and costs one stack's minutes; dev, because prod's run is the longer one. Without a custom domain: no ACM
 * certificate exists in the emulator.
 */
export const EDGE_EMULATOR_ENVIRONMENTS: readonly string[] = ['dev'];

/**
 * Environments whose emulator run also turns on the opt-in features that add resources (scripts/lib/profiles.ts
 * featureOverrides: Bedrock guardrail, invocation logging, the secrets' customer-managed key, off-hours). One environment is
 * enough to apply them, and dev and prod run side by side, so this adds a few resources to a run that happens
 * anyway rather than another run.
 */
export const FEATURE_ENVIRONMENTS: readonly string[] = ['dev'];

/**
 * The checks that exercise code every environment shares, and the environments that run them: the ones listed here
 * among those selected, or the first selected environment when none of them is (so `EMULATOR_ENVIRONMENTS=dev`
 * still runs every check). Both need the generated write-only password, every environment's default. Neither runs in
 * dev by default: dev's run is the longest (the edge, the ALB replacement behind it, the opt-in features), so it
 * decides how long the tier takes, while prod and dev-lean have minutes to spare (docs/emulator.md#timings).
 *
 * - `interruptedApply` (the database stack applied as far as the cluster, then in full; the password agreement
 *   after it): stacks/database's write-only password (the source secret, `master_password_wo` on the cluster, the
 *   secrets that carry it) is the same resources and references in every environment; what differs (instance count,
 *   deletion protection, the customer-managed key of dev's profile) is not what it checks. In dev it would add the
 *   cluster's 30 s create wait and one apply to the chain every later stack waits for.
 * - `rotation` (`databasePassword` 1 → 2, applied, re-planned, compared by digest): the same resources again; about
 *   a minute (the cluster's modify wait, three terraform commands). dev-lean, when its file exists, rotates a
 *   dev-based database too.
 */
export const CHECK_ENVIRONMENTS = {
  interruptedApply: ['prod', 'dev-lean'],
  rotation: ['prod', 'dev-lean'],
} as const satisfies Record<string, readonly string[]>;

export type SharedCheck = keyof typeof CHECK_ENVIRONMENTS;

/** Which of the shared checks `environment` runs when `selected` are the environments of the run. */
export function sharedChecks(environment: string, selected: readonly string[]): Record<SharedCheck, boolean> {
  const runs = (listed: readonly string[]) => {
    const chosen = selected.filter((e) => listed.includes(e));
    return (chosen.length > 0 ? chosen : selected.slice(0, 1)).includes(environment);
  };
  return { interruptedApply: runs(CHECK_ENVIRONMENTS.interruptedApply), rotation: runs(CHECK_ENVIRONMENTS.rotation) };
}

/**
 * Configuration overrides of the emulator profile, applied on top of the environment (loadConfig `overrides`).
 * Without `secrets` the stacks generate theirs, with the environment's generator. The alarm subscriber is the one
 * every offline check uses: moto confirms an e-mail subscription at once, so the subscription is applied too.
 */
export function emulatorOverrides(region: string, secrets?: FixtureSecrets, environment?: string): Record<string, unknown> {
  const parts: unknown[] = [
    secrets ? existingSecretsOverrides(region, secrets) : offlineOverrides(region),
    EXAMPLE_ON_CALL,
    environment !== undefined && EDGE_EMULATOR_ENVIRONMENTS.includes(environment) ? { edge: { enabled: true, allowedCidrs: [...EDGE_ALLOWED_CIDRS] } } : {},
    environment !== undefined && FEATURE_ENVIRONMENTS.includes(environment) ? featureOverrides({ existingSecrets: secrets !== undefined }) : {},
    // gateway.costAttribution's application inference profiles (moto_launcher.py, bedrock-inference-profiles).
    environment !== undefined && FEATURE_ENVIRONMENTS.includes(environment) ? COST_ATTRIBUTION_OVERRIDES : {},
  ];
  return parts.reduce((merged, part) => deepMerge(merged, part), {}) as Record<string, unknown>;
}

/** The part of cdktf's manifest.json the order depends on. */
export interface Manifest {
  readonly stacks: Record<string, { readonly dependencies?: readonly string[]; readonly workingDirectory: string }>;
}

/** Usual order of the product's stacks, used to break ties between stacks that do not depend on each other. */
const PREFERRED = ['bootstrap', 'networking', 'database', 'gateway', 'observability', 'edge'];

function preference(stack: string): number {
  const i = PREFERRED.findIndex((p) => stack === p || stack.endsWith(`-${p}`));
  return i === -1 ? PREFERRED.length : i;
}

/**
 * Apply order: stacks with a local backend first (bootstrap creates the bucket every other stack's state lives in),
 * then dependencies before dependants (cdktf records a dependency for every cross-stack reference), ties by the
 * usual order and then by name. Destroy is the reverse.
 */
export function orderStacks(manifest: Manifest, hasLocalBackend: (stack: string) => boolean): string[] {
  const names = Object.keys(manifest.stacks);
  const rank = (s: string): [number, number, string] => [hasLocalBackend(s) ? 0 : 1, preference(s), s];
  const compare = (a: string, b: string): number => {
    const [ra, rb] = [rank(a), rank(b)];
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2].localeCompare(rb[2]);
  };
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < names.length) {
    const ready = names
      .filter((s) => !done.has(s))
      .filter((s) => (manifest.stacks[s].dependencies ?? []).every((d) => done.has(d) || !(d in manifest.stacks)))
      .sort(compare);
    if (ready.length === 0) {
      const left = names.filter((s) => !done.has(s));
      throw new Error(`stack dependency cycle among ${left.join(', ')}`);
    }
    done.add(ready[0]);
    order.push(ready[0]);
  }
  return order;
}

/**
 * What each stack must follow, for creating stacks side by side (destroy follows the reverse): its cdktf
 * dependencies, and every local-backend stack when its own state lives in the bucket that stack creates.
 */
export function stackPrerequisites(manifest: Manifest, hasLocalBackend: (stack: string) => boolean): Map<string, string[]> {
  const names = Object.keys(manifest.stacks).sort();
  const local = names.filter(hasLocalBackend);
  return new Map(
    names.map((s) => {
      const deps = (manifest.stacks[s].dependencies ?? []).filter((d) => d in manifest.stacks);
      return [s, [...new Set([...(hasLocalBackend(s) ? [] : local), ...deps])].sort()];
    }),
  );
}
