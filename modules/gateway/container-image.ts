/**
 * Where the gateway's container image comes from (docs/design.md#image-pin, #no-docker): built from `gateway-image/` at deploy time by the
 * docker provider and pushed to this stack's ECR repository, or built elsewhere and referenced by URI.
 */
import { createHash } from 'crypto';
import { existsSync, lstatSync, readFileSync, readdirSync, statSync } from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { DataAwsEcrAuthorizationToken } from '@cdktf/provider-aws/lib/data-aws-ecr-authorization-token';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Image } from '@cdktf/provider-docker/lib/image';
import { RegistryImage } from '@cdktf/provider-docker/lib/registry-image';
import type { ImageConfig } from '../../config/gateway';

export interface GatewayImageProps {
  /** `config.gateway.image`. */
  readonly image: ImageConfig;
  /** Physical name of the ECR repository. */
  readonly repositoryName: string;
  /** The lifecycle policy expires all but this many images. */
  readonly keepImages: number;
  /** Let `terraform destroy` delete a repository that still holds images. */
  readonly forceDelete: boolean;
  /**
   * Absolute path of the Docker build context (`gateway-image/`), read at synth for the content tag. Only used in
   * `build` mode. @default - `gateway-image/` in the project root
   */
  readonly contextDir?: string;
  /**
   * The build context as written into the synthesized Terraform. @default - `contextDir` relative to the stack's
   * directory, `${path.module}/../../../<contextDir relative to the project root>`
   */
  readonly terraformContext?: string;
}

/** From a stack's directory (`cdktf.out/stacks/<stack>`) to the project root. */
export const STACK_DIR_TO_PROJECT_ROOT = '../../..';

export interface GatewayImage {
  /** Created in both modes: the place CI pushes pre-built images to, and what `build` pushes to. */
  readonly repository: EcrRepository;
  /** What the task definition runs: `<repository url>@<digest>` in `build` mode, `image.uri` in `prebuilt` mode. */
  readonly imageUri: string;
  /** ARNs of the ECR repositories the task pulls from; empty for an image outside private ECR. */
  readonly pullRepositoryArns: readonly string[];
  /** `build` mode: the tag pushed, derived from the build context's content. */
  readonly contentTag?: string;
}

/**
 * The repository in both modes: switching mode then never deletes a repository full of images, and the `prebuilt`
 * mode has a scanned, immutable, size-limited place to push to (output `ecr_repository_url`).
 */
export function createGatewayImage(scope: Construct, props: GatewayImageProps): GatewayImage {
  const repository = new EcrRepository(scope, 'ecr-repository', {
    name: props.repositoryName,
    // Tags are content hashes (build) or release versions (CI): a tag that moves would defeat both.
    imageTagMutability: 'IMMUTABLE',
    imageScanningConfiguration: { scanOnPush: true },
    forceDelete: props.forceDelete,
  });
  new EcrLifecyclePolicy(scope, 'ecr-lifecycle', {
    repository: repository.name,
    policy: JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          description: `Keep the ${props.keepImages} most recent images`,
          selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: props.keepImages },
          action: { type: 'expire' },
        },
      ],
    }),
  });

  if (props.image.mode === 'prebuilt') {
    const uri = props.image.uri;
    if (uri === undefined) throw new Error('gateway.image.uri: required when gateway.image.mode is "prebuilt"');
    const ecr = parseEcrImageUri(uri);
    return { repository, imageUri: uri, pullRepositoryArns: ecr ? [ecr.repositoryArn] : [] };
  }

  const contextDir = props.contextDir ?? defaultImageContextDir();
  const tag = contentTag(contextDir, props.image.platform);
  const context = props.terraformContext ?? portableContext(contextDir);
  const base = dockerfileBaseImage(readFileSync(path.join(contextDir, 'Dockerfile'), 'utf8'));
  // The account's default registry: known at plan time, unlike the new repository's registry_id, so the docker
  // provider is configured before the repository exists.
  const auth = new DataAwsEcrAuthorizationToken(scope, 'ecr-auth', {});
  new DockerProvider(scope, 'docker', {
    registryAuth: [{ address: auth.proxyEndpoint, username: auth.userName, password: auth.password }],
  });
  const image = new Image(scope, 'image', {
    name: `${repository.repositoryUrl}:${tag}`,
    buildAttribute: {
      // Relative to the stack's directory, where Terraform (cdktf deploy, terraform -chdir) runs and the docker
      // provider resolves a relative context: the output carries no path of the machine that synthesized it.
      context,
      dockerfile: 'Dockerfile',
      platform: props.image.platform,
      // The Dockerfile's architecture check: the legacy builder leaves TARGETARCH empty.
      buildArgs: { EXPECTED_ARCH: props.image.platform.split('/')[1] },
      // The base image the Dockerfile builds from (OCI's base-image annotation), so the synthesized configuration
      // states it: the litellm-image-version policy rule refuses a floating, compromised or vulnerable LiteLLM there.
      ...(base === undefined ? {} : { label: { [BASE_IMAGE_LABEL]: base } }),
    },
    keepLocally: false,
  });
  const pushed = new RegistryImage(scope, 'image-push', {
    name: image.name,
    // Old images stay for rollbacks; the lifecycle policy removes them.
    keepRemotely: true,
  });
  return {
    repository,
    // By digest: what runs is exactly what was pushed, whatever happens to tags later.
    imageUri: `${repository.repositoryUrl}@${pushed.sha256Digest}`,
    pullRepositoryArns: [repository.arn],
    contentTag: tag,
  };
}

/** OCI's annotation for the image a build starts from (opencontainers/image-spec annotations.md). */
export const BASE_IMAGE_LABEL = 'org.opencontainers.image.base.name';

/**
 * The image reference of a Dockerfile's first `FROM`, with the defaults of the `ARG`s declared before it substituted
 * (`${NAME}` and `$NAME`), e.g. `ghcr.io/berriai/litellm:v1.108.26`; undefined without a `FROM`. A `--build-arg`
 * given at build time could change it: the Terraform build passes none of these.
 */
export function dockerfileBaseImage(dockerfile: string): string | undefined {
  const args = new Map<string, string>();
  for (const raw of dockerfile.split(/\r?\n/)) {
    const line = raw.trim();
    const arg = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/i.exec(line);
    if (arg) {
      args.set(arg[1], (arg[2] ?? '').trim().replace(/^"(.*)"$/, '$1'));
      continue;
    }
    const from = /^FROM\s+(?:--\S+\s+)*(\S+)/i.exec(line);
    if (from) {
      return from[1].replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, braced: string, bare: string) => args.get(braced ?? bare) ?? '');
    }
  }
  return undefined;
}

/** The root of the project that holds this file (source tree or dist/): the directory with package.json. */
export function projectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`gateway-image/: no package.json above ${__dirname} to find the project root`);
  }
}

/** `gateway-image/` of the project that holds this file. */
export function defaultImageContextDir(): string {
  return path.join(projectRoot(), 'gateway-image');
}

/**
 * `${path.module}/../../../<dir relative to the project root>`, POSIX separators. Valid wherever the repository is
 * cloned, as long as the stack runs from cdktf.out/stacks/<stack> of that clone.
 * @throws when `contextDir` is outside the project: no relative form would survive a clone
 */
export function portableContext(contextDir: string, root: string = projectRoot()): string {
  const relative = path.relative(root, contextDir);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(
      `gateway image context ${JSON.stringify(contextDir)}: outside the project ${JSON.stringify(root)}; allowed: a directory ` +
        'inside the repository (the synthesized context is relative to cdktf.out/stacks/<stack>), or an explicit terraformContext',
    );
  }
  return `\${path.module}/${STACK_DIR_TO_PROJECT_ROOT}/${relative.split(path.sep).join('/')}`;
}

/**
 * The image tag for a build context: `content-<16 hex>` of the files Docker would send and the platform. Identical
 * content gives the identical tag on every machine, so an unchanged directory plans no change and an IMMUTABLE
 * repository never sees the same tag with different content.
 */
export function contentTag(contextDir: string, platform: string): string {
  return `content-${contextContentHash(contextDir, platform).slice(0, 16)}`;
}

export function contextContentHash(contextDir: string, platform: string): string {
  if (!path.isAbsolute(contextDir)) {
    throw new Error(`gateway image context ${JSON.stringify(contextDir)}: expected an absolute path (a relative one resolves from cdktf.out/stacks/<stack>)`);
  }
  if (!existsSync(path.join(contextDir, 'Dockerfile'))) {
    throw new Error(`gateway image context ${JSON.stringify(contextDir)}: no Dockerfile there; expected the gateway-image/ directory`);
  }
  const hash = createHash('sha256');
  hash.update(`platform=${platform}\n`);
  for (const file of contextFiles(contextDir)) {
    hash.update(`${file}\0`);
    hash.update(createHash('sha256').update(readFileSync(path.join(contextDir, file))).digest('hex'));
    hash.update('\n');
  }
  return hash.digest('hex');
}

/**
 * Files of the context in sorted POSIX form, without those `.dockerignore` excludes. The Dockerfile and the
 * ignore file always count: they shape the build even when excluded from COPY. A `.dockerignore` using syntax
 * beyond `*`, `**`, `?` and `!` is not interpreted and every file counts: an extra rebuild, never a missed change.
 */
export function contextFiles(contextDir: string): string[] {
  const all = walk(contextDir, '');
  const ignoreFile = path.join(contextDir, '.dockerignore');
  const rules = existsSync(ignoreFile) ? parseDockerignore(readFileSync(ignoreFile, 'utf8')) : [];
  const always = new Set(['Dockerfile', '.dockerignore']);
  return all.filter((file) => always.has(file) || rules === undefined || !isIgnored(file, rules)).sort();
}

function walk(root: string, relative: string): string[] {
  const dir = path.join(root, relative);
  return readdirSync(dir).flatMap((name) => {
    const rel = relative ? `${relative}/${name}` : name;
    const full = path.join(dir, name);
    const stat = lstatSync(full);
    if (stat.isSymbolicLink()) return statSync(full).isFile() ? [rel] : [];
    if (stat.isDirectory()) return walk(root, rel);
    return stat.isFile() ? [rel] : [];
  });
}

interface IgnoreRule {
  readonly pattern: RegExp;
  readonly exclude: boolean;
}

/** Rules in file order, or undefined when a pattern uses syntax this reader does not interpret. */
export function parseDockerignore(text: string): IgnoreRule[] | undefined {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const exclude = !line.startsWith('!');
    if (!exclude) line = line.slice(1).trim();
    line = line.replace(/^(\.?\/)+/, '').replace(/\/+$/, '');
    if (!/^[A-Za-z0-9._\-/*?]+$/.test(line)) return undefined;
    rules.push({ pattern: globToRegExp(line), exclude });
  }
  return rules;
}

function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      if (glob[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.\-/]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** Docker semantics: the last matching rule wins, and a rule matching a parent directory matches its files. */
function isIgnored(file: string, rules: readonly IgnoreRule[]): boolean {
  const parts = file.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.pattern.test(candidate))) ignored = rule.exclude;
  }
  return ignored;
}

export interface EcrImageReference {
  readonly account: string;
  readonly region: string;
  readonly repository: string;
  readonly repositoryArn: string;
}

/**
 * The private ECR repository of an image URI (`<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/<repo>[:tag][@digest]`),
 * or undefined for other registries, which need no ECR permission.
 */
export function parseEcrImageUri(uri: string): EcrImageReference | undefined {
  const m = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([a-z0-9._/-]+?)(?::[\w.-]+)?(?:@sha256:[a-f0-9]{64})?$/.exec(uri);
  if (!m) return undefined;
  const [, account, region, china, repository] = m;
  const partition = china ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return { account, region, repository, repositoryArn: `arn:${partition}:ecr:${region}:${account}:repository/${repository}` };
}
