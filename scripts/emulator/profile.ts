/**
 * The emulator profile: the environment's own settings plus the pre-built image a machine without Docker needs
 * (generated secrets need nothing more: the default write-only generator uses the AWS provider only), optionally
 * secrets that already exist, and the stack order.
 */
import { deepMerge } from '../../config';
import { featureOverrides } from '../lib/profiles';
import { EMULATOR_ACCOUNT } from './overrides';

/** ARNs of the secrets fixtures.py creates in the emulator: the keys of ExistingSecretsConfig. */
export interface FixtureSecrets {
  readonly databaseUrlArn: string;
  readonly masterKeyArn: string;
  readonly saltKeyArn: string;
  readonly uiCredentialsArn: string;
}

/** Image reference of the pre-built mode: well-formed and pinned by digest; moto pulls nothing. */
export function emulatorImageUri(region: string): string {
  return `${EMULATOR_ACCOUNT}.dkr.ecr.${region}.amazonaws.com/llm-gateway@sha256:${'0'.repeat(64)}`;
}

/**
 * Environments whose emulator run also creates the opt-in edge stack (CloudFront, WAF). One is enough to prove the
 * wiring and costs one stack's minutes; dev, because prod's run is the longer one.
 */
export const EDGE_EMULATOR_ENVIRONMENTS: readonly string[] = ['dev'];

/** Allow-list of the emulator's edge: exercises the IP set and the block-by-default web ACL. */
export const EMULATOR_EDGE_ALLOWED_CIDRS = ['203.0.113.0/24'];

/**
 * Environments whose emulator run also turns on the opt-in features that add resources (Bedrock guardrail,
 * invocation logging: scripts/lib/profiles.ts featureOverrides). One environment is enough to apply them, and dev
 * and prod run side by side, so this adds a few resources to a run that happens anyway rather than another run.
 */
export const FEATURE_ENVIRONMENTS: readonly string[] = ['dev'];

/**
 * Configuration overrides of the emulator profile, applied on top of the environment (loadConfig `overrides`).
 * Without `secrets` the stacks generate theirs, with the environment's generator.
 */
export function emulatorOverrides(region: string, secrets?: FixtureSecrets, environment?: string): Record<string, unknown> {
  const base = {
    gateway: { image: { mode: 'prebuilt', uri: emulatorImageUri(region), platform: 'linux/arm64' } },
    ...(secrets ? { database: { existingSecrets: { ...secrets } } } : {}),
    // An e-mail subscription would stay pending in the emulator; the prod refusal of an unsubscribed topic is
    // acknowledged explicitly instead (config/observability.ts).
    observability: { allowUnsubscribedAlarms: true },
    ...(environment !== undefined && EDGE_EMULATOR_ENVIRONMENTS.includes(environment)
      ? { edge: { enabled: true, allowedCidrs: EMULATOR_EDGE_ALLOWED_CIDRS } }
      : {}),
  };
  return environment !== undefined && FEATURE_ENVIRONMENTS.includes(environment)
    ? (deepMerge(featureOverrides(), base) as Record<string, unknown>)
    : base;
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
