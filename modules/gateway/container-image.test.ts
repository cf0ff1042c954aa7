import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { CONTAINER_HEALTH_COMMAND } from './container-definition';
import * as os from 'os';
import * as path from 'path';
import { TerraformOutput } from 'cdktf';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import type { ImageConfig } from '../../config/gateway';
import {
  GatewayImage,
  GatewayImageProps,
  contentTag,
  dockerfileBaseImage,
  contextContentHash,
  contextFiles,
  portableContext,
  projectRoot,
  createGatewayImage,
  defaultImageContextDir,
  parseDockerignore,
  parseEcrImageUri,
} from './container-image';
import { PREBUILT_URI } from '../../test/fixtures';
import { synthScope, type Json } from '../../test/helpers';

const BUILD: ImageConfig = { mode: 'build', platform: 'linux/arm64' };

function synth(props: Partial<GatewayImageProps> = {}): { json: Json; text: string; image: GatewayImage } {
  let image: GatewayImage | undefined;
  const { json, text } = synthScope((scope) => {
    image = createGatewayImage(scope, { image: BUILD, repositoryName: 'app-dev-llm-gateway', keepImages: 10, forceDelete: true, ...props });
    // Outputs resolve the returned tokens into Terraform expressions.
    new TerraformOutput(scope, 'image_uri', { value: image.imageUri });
    new TerraformOutput(scope, 'pull_arns', { value: image.pullRepositoryArns });
  });
  return { json, text, image: image! };
}

/** A throwaway build context with the shape of gateway-image/. */
function fixture(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-context-'));
  mkdirSync(path.join(dir, 'config'));
  mkdirSync(path.join(dir, 'tests'));
  writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY config/ /app/\n');
  writeFileSync(path.join(dir, '.dockerignore'), '# allow-list\n*\n!config/litellm_config.yaml\n');
  writeFileSync(path.join(dir, 'config', 'litellm_config.yaml'), 'model_list: []\n');
  writeFileSync(path.join(dir, 'tests', 'test_x.py'), 'pass\n');
  return dir;
}

describe('content tag of the build context', () => {
  const dirs: string[] = [];
  const make = () => {
    const d = fixture();
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('the real gateway-image/: only what .dockerignore lets through, plus Dockerfile and .dockerignore', () => {
    expect(contextFiles(defaultImageContextDir())).toEqual(['.dockerignore', 'Dockerfile', 'callbacks/callback_base.py', 'callbacks/metrics_logger.py', 'callbacks/request_metadata.py', 'config/litellm_config.yaml', 'reconciler/reconcile_keys.py', 'startup/check_config.py', 'startup/migration_lock.py']);
  });

  test('deterministic: same content in another directory gives the same hash', () => {
    const a = make();
    const b = mkdtempSync(path.join(os.tmpdir(), 'gw-copy-'));
    dirs.push(b);
    cpSync(a, b, { recursive: true });
    expect(contextContentHash(b, 'linux/arm64')).toBe(contextContentHash(a, 'linux/arm64'));
    expect(contentTag(a, 'linux/arm64')).toMatch(/^content-[0-9a-f]{16}$/);
  });

  test('a file excluded by .dockerignore does not change the tag; an included one does', () => {
    const dir = make();
    const before = contentTag(dir, 'linux/arm64');
    writeFileSync(path.join(dir, 'tests', 'test_x.py'), 'changed\n');
    mkdirSync(path.join(dir, '__pycache__'));
    writeFileSync(path.join(dir, '__pycache__', 'x.pyc'), 'bytes');
    expect(contentTag(dir, 'linux/arm64')).toBe(before);
    writeFileSync(path.join(dir, 'config', 'litellm_config.yaml'), 'model_list: [changed]\n');
    expect(contentTag(dir, 'linux/arm64')).not.toBe(before);
  });

  test('the Dockerfile always counts, and so does the platform (same tag, other architecture would clash)', () => {
    const dir = make();
    const before = contentTag(dir, 'linux/arm64');
    expect(contentTag(dir, 'linux/amd64')).not.toBe(before);
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
    expect(contentTag(dir, 'linux/arm64')).not.toBe(before);
  });

  test('a .dockerignore beyond the simple syntax is not interpreted: every file counts', () => {
    const dir = make();
    writeFileSync(path.join(dir, '.dockerignore'), '*\n!config/[a-z]*.yaml\n');
    expect(contextFiles(dir)).toEqual(['.dockerignore', 'Dockerfile', 'config/litellm_config.yaml', 'tests/test_x.py']);
  });

  test.each([
    ['last match wins', '*\n!config\nconfig/secret.txt\n', ['config/a.yaml'], ['config/secret.txt', 'other.txt']],
    ['** spans directories', '**/*.pyc\n', ['a.py'], ['x/y/z.pyc', 'z.pyc']],
    ['a directory pattern excludes its files', 'tests\n', ['a.py'], ['tests/deep/t.py']],
  ])('dockerignore: %s', (_, text, kept, ignored) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-ignore-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(path.join(dir, '.dockerignore'), text);
    for (const f of [...kept, ...ignored]) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), f);
    }
    const files = contextFiles(dir);
    for (const f of kept) expect(files).toContain(f);
    for (const f of ignored) expect(files).not.toContain(f);
  });

  test('parseDockerignore rejects what it cannot interpret', () => {
    expect(parseDockerignore('*\n!a/b\n')).toHaveLength(2);
    expect(parseDockerignore('a\\ b\n')).toBeUndefined();
  });

  test.each([
    ['a relative context directory', 'gateway-image', /expected an absolute path/],
    ['a context directory without a Dockerfile', os.tmpdir(), /no Dockerfile there/],
  ])('%s is refused at synth', (_, dir, message) => {
    expect(() => contextContentHash(dir, 'linux/arm64')).toThrow(message);
  });
});

describe('ECR repository (both modes)', () => {
  test('scan on push, immutable tags, force delete as configured', () => {
    const { text } = synth({ forceDelete: true });
    expect(text).toHaveResourceWithProperties(EcrRepository, {
      name: 'app-dev-llm-gateway',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: { scan_on_push: true },
      force_delete: true,
    });
    expect(synth({ forceDelete: false }).json.resource.aws_ecr_repository['ecr-repository'].force_delete).toBe(false);
  });

  test('the lifecycle policy keeps the last N images', () => {
    const { json } = synth({ keepImages: 7 });
    const policy = JSON.parse(json.resource.aws_ecr_lifecycle_policy['ecr-lifecycle'].policy);
    expect(policy.rules).toEqual([
      {
        rulePriority: 1,
        description: 'Keep the 7 most recent images',
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 7 },
        action: { type: 'expire' },
      },
    ]);
  });
});

describe('build mode', () => {
  const { json, image } = synth();

  test('the docker provider authenticates to ECR with a token of the account registry', () => {
    expect(json.provider.docker[0].registry_auth).toEqual([
      {
        address: '${data.aws_ecr_authorization_token.ecr-auth.proxy_endpoint}',
        username: '${data.aws_ecr_authorization_token.ecr-auth.user_name}',
        password: '${data.aws_ecr_authorization_token.ecr-auth.password}',
      },
    ]);
    expect(json.terraform.required_providers.docker).toEqual({ source: 'kreuzwerker/docker', version: '3.6.2' });
  });

  test('builds gateway-image/ relative to the stack directory, for the configured platform, tagged with its content hash', () => {
    const tag = contentTag(defaultImageContextDir(), 'linux/arm64');
    expect(json.resource.docker_image.image).toMatchObject({
      name: `\${aws_ecr_repository.ecr-repository.repository_url}:${tag}`,
      build: { context: '${path.module}/../../../gateway-image', dockerfile: 'Dockerfile', platform: 'linux/arm64', build_args: { EXPECTED_ARCH: 'arm64' } },
    });
    expect(image.contentTag).toBe(tag);
  });

  test("states the Dockerfile's base image as the build's OCI base-image label (what the litellm-image-version rule reads)", () => {
    expect(json.resource.docker_image.image.build.label).toEqual({ 'org.opencontainers.image.base.name': 'ghcr.io/berriai/litellm:v1.108.26' });
  });

  test.each<[string, string | undefined]>([
    ['ARG LITELLM_IMAGE=ghcr.io/berriai/litellm\nARG LITELLM_VERSION=v1.108.26\nARG LITELLM_DIGEST=\nFROM ${LITELLM_IMAGE}:${LITELLM_VERSION}${LITELLM_DIGEST}\n', 'ghcr.io/berriai/litellm:v1.108.26'],
    ['ARG V="v1.84.0"\nFROM --platform=$BUILDPLATFORM ghcr.io/berriai/litellm:$V AS base\nFROM scratch\n', 'ghcr.io/berriai/litellm:v1.84.0'],
    ['FROM ghcr.io/berriai/litellm:main-stable\n', 'ghcr.io/berriai/litellm:main-stable'],
    ['# no FROM\n', undefined],
  ])('dockerfileBaseImage substitutes the ARG defaults into the first FROM (%#)', (dockerfile, expected) => {
    expect(dockerfileBaseImage(dockerfile)).toBe(expected);
  });

  test('the relative context names the real directory from cdktf.out/stacks/<stack>', () => {
    const stackDir = path.join(projectRoot(), 'cdktf.out', 'stacks', 'dev-gateway');
    const resolved = path.resolve(stackDir, json.resource.docker_image.image.build.context.replace('${path.module}', '.'));
    expect(resolved).toBe(defaultImageContextDir());
  });

  test('pushes it, keeps old images remotely, and the task runs it by digest', () => {
    expect(json.resource.docker_registry_image['image-push']).toEqual({ name: '${docker_image.image.name}', keep_remotely: true });
    expect(json.output.image_uri.value).toBe('${aws_ecr_repository.ecr-repository.repository_url}@${docker_registry_image.image-push.sha256_digest}');
    expect(json.output.pull_arns.value).toEqual(['${aws_ecr_repository.ecr-repository.arn}']);
  });

  test('an explicit context directory is hashed from disk; outside the project it needs an explicit terraformContext', () => {
    const dir = fixture();
    try {
      expect(() => synth({ contextDir: dir })).toThrow(/outside the project .*allowed: a directory inside the repository/);
      const { json: other, image: built } = synth({ contextDir: dir, terraformContext: 'ctx', image: { mode: 'build', platform: 'linux/amd64' } });
      expect(other.resource.docker_image.image.build).toMatchObject({ context: 'ctx', platform: 'linux/amd64', build_args: { EXPECTED_ARCH: 'amd64' } });
      // The tag still comes from the files: change one, and the tag changes while the context string does not.
      writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n# changed\n');
      expect(synth({ contextDir: dir, terraformContext: 'ctx', image: { mode: 'build', platform: 'linux/amd64' } }).image.contentTag).not.toBe(built.contentTag);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('portableContext', () => {
  test('POSIX path from the stack directory, under ${path.module}', () => {
    expect(portableContext(path.join('/repo', 'gateway-image'), '/repo')).toBe('${path.module}/../../../gateway-image');
    expect(portableContext(path.join('/repo', 'images', 'gw'), '/repo')).toBe('${path.module}/../../../images/gw');
  });

  test.each([
    ['outside the root', '/elsewhere/gateway-image'],
    ['the root itself', '/repo'],
  ])('refuses a context %s', (_name, dir) => {
    expect(() => portableContext(dir, '/repo')).toThrow(/outside the project "\/repo"/);
  });
});

test('the Dockerfile HEALTHCHECK runs the same probe as the ECS task definition', () => {
  const dockerfile = readFileSync(path.join(defaultImageContextDir(), 'Dockerfile'), 'utf8');
  const line = /^\s*CMD \["python3", "-c", "(.*)"\]$/m.exec(dockerfile.slice(dockerfile.indexOf('HEALTHCHECK')));
  expect(line?.[1]).toBe(CONTAINER_HEALTH_COMMAND);
});

describe('prebuilt mode', () => {
  const { json, text, image } = synth({ image: { mode: 'prebuilt', platform: 'linux/arm64', uri: PREBUILT_URI } });

  test('no docker provider, resource or required_providers entry', () => {
    expect(json.provider?.docker).toBeUndefined();
    expect(json.terraform?.required_providers?.docker).toBeUndefined();
    expect(text).not.toMatch(/docker_|kreuzwerker/);
  });

  test('the task runs the configured URI; the repository is still created', () => {
    expect(image.imageUri).toBe(PREBUILT_URI);
    expect(Object.keys(json.resource.aws_ecr_repository)).toEqual(['ecr-repository']);
  });

  test('pull permission is for the repository the URI names', () => {
    expect(image.pullRepositoryArns).toEqual(['arn:aws:ecr:us-east-1:123456789012:repository/llm-gateway']);
  });

  test('an image outside private ECR needs no ECR permission', () => {
    const other = synth({ image: { mode: 'prebuilt', platform: 'linux/arm64', uri: 'ghcr.io/berriai/litellm:v1.108.12' } }).image;
    expect(other.pullRepositoryArns).toEqual([]);
  });
});

describe('parseEcrImageUri', () => {
  test.each([
    [PREBUILT_URI, 'arn:aws:ecr:us-east-1:123456789012:repository/llm-gateway'],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/gw:1.2.3', 'arn:aws:ecr:eu-west-1:123456789012:repository/team/gw'],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/gw:1', 'arn:aws-cn:ecr:cn-north-1:123456789012:repository/gw'],
    ['123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/gw', 'arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/gw'],
  ])('%s', (uri, arn) => {
    expect(parseEcrImageUri(uri)?.repositoryArn).toBe(arn);
  });

  test.each(['ghcr.io/berriai/litellm:v1', 'public.ecr.aws/x/y:1', 'docker.io/library/python:3'])('%s is not private ECR', (uri) => {
    expect(parseEcrImageUri(uri)).toBeUndefined();
  });
});
