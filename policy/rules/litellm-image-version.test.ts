import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT, NOT_APPLICABLE } from '../types';
import { litellmImageVersion, litellmReferenceProblem } from './litellm-image-version';

const build = (base: string | undefined) =>
  tfElement('docker_image.image', {
    build: { context: 'ctx', dockerfile: 'Dockerfile', ...(base === undefined ? {} : { label: { 'org.opencontainers.image.base.name': base } }) },
  });
const task = (image: string) =>
  tfElement('aws_ecs_task_definition.task-definition', { container_definitions: JSON.stringify([{ name: 'litellm', image }, { name: 'sidecar', image: 'public.ecr.aws/x/y:latest' }]) });

describe('litellm-image-version', () => {
  test.each([
    'ghcr.io/berriai/litellm:v1.108.26',
    'ghcr.io/berriai/litellm:1.84.0',
    'ghcr.io/berriai/litellm-database:v1.108.26@sha256:' + 'a'.repeat(64),
    'ghcr.io/berriai/litellm@sha256:' + 'b'.repeat(64),
  ])('a pinned safe release is compliant: %s', (reference) => {
    expect(litellmReferenceProblem(reference)).toBeUndefined();
    expect(evaluateIn(litellmImageVersion, build(reference))).toEqual(COMPLIANT);
    expect(evaluateIn(litellmImageVersion, task(reference))).toEqual(COMPLIANT);
  });

  test.each<[string, RegExp]>([
    ['ghcr.io/berriai/litellm:main-stable', /tag "main-stable" is not a release version \(a floating tag/],
    ['ghcr.io/berriai/litellm:latest', /tag "latest" is not a release version/],
    ['ghcr.io/berriai/litellm:main-latest', /tag "main-latest" is not a release version/],
    ['ghcr.io/berriai/litellm', /has no tag: Docker pulls "latest", a floating tag/],
    ['ghcr.io/berriai/litellm:v1.82.7', /LiteLLM 1\.82\.7 was published compromised/],
    ['ghcr.io/berriai/litellm:1.82.8', /LiteLLM 1\.82\.8 was published compromised/],
    ['ghcr.io/berriai/litellm:v1.83.14-stable', /LiteLLM 1\.83\.14 is below 1\.84\.0, the fix of CVE-2026-49468/],
    ['ghcr.io/berriai/litellm:v1.81.16', /below 1\.84\.0/],
  ])('%s is non-compliant, in build mode and prebuilt', (reference, message) => {
    expect(findingsOf(evaluateIn(litellmImageVersion, build(reference)))).toEqual([expect.stringMatching(message)]);
    expect(findingsOf(evaluateIn(litellmImageVersion, task(reference)))).toEqual([expect.stringMatching(/^container "litellm": /)]);
    expect(findingsOf(evaluateIn(litellmImageVersion, task(reference)))[0]).toMatch(message);
  });

  test('a build that does not state its base image is non-compliant; another base image is not judged', () => {
    expect(findingsOf(evaluateIn(litellmImageVersion, build(undefined)))).toEqual([expect.stringMatching(/does not state its base image/)]);
    expect(evaluateIn(litellmImageVersion, build('scratch'))).toEqual(NOT_APPLICABLE);
  });

  test('images of other repositories and values unknown until apply are not judged', () => {
    expect(evaluateIn(litellmImageVersion, task('${aws_ecr_repository.ecr-repository.repository_url}@${docker_registry_image.image-push.sha256_digest}'))).toEqual(COMPLIANT);
    expect(evaluateIn(litellmImageVersion, task('123456789012.dkr.ecr.us-east-1.amazonaws.com/gateway:content-0123'))).toEqual(COMPLIANT);
  });
});
