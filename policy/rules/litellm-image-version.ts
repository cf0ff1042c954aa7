import { blocks, isJsonObject, isUnresolved } from '../terraform';
import { readContainerDefinitions } from '../ecs';
import { NOT_APPLICABLE, nonCompliant, verdict, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** The label the gateway's docker build carries its base image in (modules/gateway/container-image.ts). */
const BASE_IMAGE_LABEL = 'org.opencontainers.image.base.name';

/**
 * LiteLLM releases the gateway must never run, with the reason. 1.82.7 and 1.82.8 were published compromised on PyPI
 * and as images (March 2026: GHSA via github/advisory-database#7226, BerriAI/litellm#24512). Everything below 1.84.0
 * has the proxy's authentication bypass through the Host header, CVE-2026-49468 (GHSA-4xpc-pv4p-pm3w, fixed in
 * 1.84.0), which also covers CVE-2026-42208 (SQL injection, 1.81.16 <= v < 1.83.7, GHSA-r75f-5x8p-qvmc).
 */
export const COMPROMISED_LITELLM_VERSIONS: readonly string[] = ['1.82.7', '1.82.8'];
export const MINIMUM_LITELLM_VERSION: readonly [number, number, number] = [1, 84, 0];

// A release tag: v1.108.26, 1.108.26, and the former v1.x.y-stable form. Anything else (latest, main-stable,
// main-latest, lts, a nightly) is a tag that moves or names no release.
const RELEASE_TAG = /^v?(\d+)\.(\d+)\.(\d+)(?:-stable(?:\.[A-Za-z0-9]+)?)?$/;

/** True when the reference's repository is a LiteLLM image (ghcr.io/berriai/litellm, .../litellm-database, ...). */
export function namesLiteLLM(reference: string): boolean {
  const withoutDigest = reference.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const repository = withoutDigest.slice(lastSlash + 1).split(':')[0];
  return repository.toLowerCase().startsWith('litellm');
}

/** The problem with a LiteLLM image reference, or undefined when it is a safe, pinned release. */
export function litellmReferenceProblem(reference: string): string | undefined {
  const [name, digest] = reference.split('@');
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  const tag = colon < 0 ? undefined : name.slice(colon + 1);
  if (tag === undefined) {
    // A digest alone is immutable but names no version this rule could check; no tag at all means "latest".
    return digest?.startsWith('sha256:') ? undefined : `${JSON.stringify(reference)} has no tag: Docker pulls "latest", a floating tag`;
  }
  const release = RELEASE_TAG.exec(tag);
  if (!release) {
    return `${JSON.stringify(reference)}: tag ${JSON.stringify(tag)} is not a release version (a floating tag such as latest or main-stable moves under a running service)`;
  }
  const version = [Number(release[1]), Number(release[2]), Number(release[3])] as const;
  const plain = version.join('.');
  if (COMPROMISED_LITELLM_VERSIONS.includes(plain)) {
    return `${JSON.stringify(reference)}: LiteLLM ${plain} was published compromised (credential stealer, March 2026)`;
  }
  const [major, minor, patch] = MINIMUM_LITELLM_VERSION;
  const below = version[0] !== major ? version[0] < major : version[1] !== minor ? version[1] < minor : version[2] < patch;
  if (below) {
    return `${JSON.stringify(reference)}: LiteLLM ${plain} is below ${MINIMUM_LITELLM_VERSION.join('.')}, the fix of CVE-2026-49468 (proxy authentication bypass)`;
  }
  return undefined;
}

/**
 * The LiteLLM image the gateway runs: in build mode the docker build's base image (its base-image label), in
 * prebuilt mode every container image of a task definition whose repository is a LiteLLM image. Values unknown
 * until apply (`${...}`) are not judged; a digest-only reference is accepted.
 */
export function evaluateLitellmImageVersion(element: TfElement): RuleResult {
  if (element.type === 'docker_image') {
    const build = blocks(element.attributes['build'])[0];
    const label = build && isJsonObject(build['label']) ? build['label'][BASE_IMAGE_LABEL] : undefined;
    if (typeof label !== 'string' || isUnresolved(label)) {
      return build ? nonCompliant(`the build does not state its base image (label ${BASE_IMAGE_LABEL})`) : NOT_APPLICABLE;
    }
    if (!namesLiteLLM(label)) return NOT_APPLICABLE;
    return verdict([litellmReferenceProblem(label)].filter((p): p is string => p !== undefined).map((p) => `base image ${p}`));
  }
  const definitions = readContainerDefinitions(element.attributes['container_definitions']);
  if (!definitions.ok) return nonCompliant(definitions.reason);
  const problems: string[] = [];
  for (const container of definitions.containers) {
    const image = container.definition['image'];
    if (typeof image !== 'string' || isUnresolved(image) || !namesLiteLLM(image)) continue;
    const problem = litellmReferenceProblem(image);
    if (problem !== undefined) problems.push(`container ${JSON.stringify(container.name)}: ${problem}`);
  }
  return verdict(problems);
}

export const litellmImageVersion: PolicyRule = {
  id: 'litellm-image-version',
  title: 'The gateway runs a pinned LiteLLM release that is neither compromised nor vulnerable',
  appliesTo: ['docker_image', 'aws_ecs_task_definition'],
  fix:
    'Pin a LiteLLM release tag at or above 1.84.0 (not 1.82.7/1.82.8), ideally the newest 1.108 LTS patch with its digest: ' +
    'LITELLM_VERSION / LITELLM_DIGEST in gateway-image/Dockerfile (build mode) or gateway.image.uri (prebuilt). docs/upgrading.md.',
  evaluate: evaluateLitellmImageVersion,
};
