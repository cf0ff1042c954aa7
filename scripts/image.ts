/**
 * `npm run image -- --env dev [--push]`: builds the gateway image (`gateway-image/`) for the configuration's
 * platform with `docker buildx`, and with `--push` logs in to ECR, pushes it and prints the digest-pinned URI and
 * the configuration lines for `gateway.image.mode: "prebuilt"`.
 *
 * Where it pushes: `<appName>-llm-gateway-images`, a repository this command creates with the aws CLI when missing
 * (IMMUTABLE tags, scan on push: the settings of the gateway stack's own repository). Not the stack's repository
 * (`<appName>-<env>-llm-gateway`): that one exists only after the gateway stack's first apply, which already needs
 * the URI, and creating it here would make that apply fail with RepositoryAlreadyExistsException. One repository
 * for every environment: the image does not depend on the environment, so dev's tested digest is what prod runs.
 * It is outside Terraform state: the README's destroy deletes it last.
 *
 * The tag is the gateway stack's content tag (modules/gateway/container-image.ts, contentTag): the same files give
 * the same tag, so a tag already in the repository is reused instead of rebuilt (the repository refuses to move it).
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfigFromEnv } from '../config';
import { contentTag, defaultImageContextDir } from '../modules/gateway/container-image';

export interface ImageOptions {
  readonly environment: string;
  readonly push: boolean;
  /** @default - `<appName>-llm-gateway-images` */
  readonly repository?: string;
}

export function parseImageArgs(argv: readonly string[]): ImageOptions {
  let environment: string | undefined;
  let push = false;
  let repository: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--push') push = true;
    else if (arg === '--env' && argv[i + 1] !== undefined) environment = argv[++i];
    else if (arg === '--repository' && argv[i + 1] !== undefined) repository = argv[++i];
    else throw new ImageError(`unknown argument ${JSON.stringify(arg)}; allowed: --env <environment>, --push, --repository <name>`);
  }
  return { environment: environment ?? process.env.GATEWAY_ENV ?? 'dev', push, repository };
}

export class ImageError extends Error {}

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly missing: boolean;
}

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, input?: string): Run {
  const res = spawnSync(cmd, args, { encoding: 'utf8', env, input, maxBuffer: 64 * 1024 * 1024, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  const missing = (res.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  return { status: res.status ?? 1, stdout: res.stdout ?? '', stderr: (res.stderr ?? '') + (res.error && !missing ? res.error.message : ''), missing };
}

/** The lines of a failed command's output worth showing, without credentials (never passed as arguments here). */
const tail = (r: Run) => (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ');

export interface ImageResult {
  readonly repositoryUri: string;
  readonly tag: string;
  /** `<repository uri>@sha256:...`; undefined without --push. */
  readonly pinnedUri?: string;
  readonly reused: boolean;
}

/**
 * Runs the image path. Every missing prerequisite is an ImageError that says what is missing and how to fix it.
 * @param log where progress lines go
 */
export function buildImage(options: ImageOptions, env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): ImageResult {
  const config = loadConfigFromEnv({ ...env, GATEWAY_ENV: options.environment });
  const { platform } = config.gateway.image;
  const arch = platform.split('/')[1];
  const region = config.region;
  const repository = options.repository ?? `${config.appName}-llm-gateway-images`;
  const contextDir = defaultImageContextDir();
  const tag = contentTag(contextDir, platform);

  // Docker first: nothing else is worth doing without it.
  const docker = run('docker', ['version', '--format', '{{.Server.Version}}'], env);
  if (docker.missing) throw new ImageError('docker: not found on PATH. Install Docker (https://docs.docker.com/engine/install/) or build the image in CI; see README "Deploy with your own image".');
  if (docker.status !== 0) throw new ImageError(`docker: the daemon does not answer (docker version: ${tail(docker)}). Start Docker, or build the image on a machine or CI runner that has one.`);
  const buildx = run('docker', ['buildx', 'version'], env);
  if (buildx.status !== 0) {
    throw new ImageError(`docker buildx: not available (${tail(buildx)}). Install the buildx plugin (https://docs.docker.com/build/install-buildx/); on an amd64 host also QEMU/binfmt for ${platform} (docker run --privileged --rm tonistiigi/binfmt --install ${arch}).`);
  }

  if (!options.push) {
    log(`building ${platform} image from ${path.relative(process.cwd(), contextDir) || contextDir} (tag ${tag}); not pushed (add --push)`);
    const b = run('docker', ['buildx', 'build', '--platform', platform, '--build-arg', `EXPECTED_ARCH=${arch}`, '--tag', `${repository}:${tag}`, '--load', contextDir], env);
    if (b.status !== 0) throw new ImageError(`docker buildx build failed: ${tail(b)}`);
    return { repositoryUri: repository, tag, reused: false };
  }

  const aws = (args: string[], input?: string) => run('aws', [...args, '--region', region], env, input);
  const who = aws(['sts', 'get-caller-identity', '--query', 'Account', '--output', 'text']);
  if (who.missing) throw new ImageError('aws: the AWS CLI is not on PATH. Install it (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html); --push needs it for ECR.');
  if (who.status !== 0) throw new ImageError(`aws: no usable AWS credentials (aws sts get-caller-identity: ${tail(who)}). Configure them (aws configure, AWS_PROFILE or SSO login) for the account of region ${region}.`);
  const account = who.stdout.trim();
  if (!/^\d{12}$/.test(account)) throw new ImageError(`aws sts get-caller-identity returned ${JSON.stringify(account)}; expected a 12-digit account id`);
  const registry = `${account}.dkr.ecr.${region}.amazonaws.com`;
  const repositoryUri = `${registry}/${repository}`;

  const found = aws(['ecr', 'describe-repositories', '--repository-names', repository]);
  if (found.status !== 0) {
    if (!/RepositoryNotFoundException/.test(found.stderr)) throw new ImageError(`aws ecr describe-repositories ${repository}: ${tail(found)}`);
    log(`creating ECR repository ${repository} in ${region} (immutable tags, scan on push)`);
    const created = aws(['ecr', 'create-repository', '--repository-name', repository, '--image-tag-mutability', 'IMMUTABLE', '--image-scanning-configuration', 'scanOnPush=true']);
    if (created.status !== 0) throw new ImageError(`aws ecr create-repository ${repository}: ${tail(created)} (the caller needs ecr:CreateRepository)`);
  }

  // Same content, same tag: the repository refuses to move an immutable tag, and nothing needs rebuilding.
  const existing = aws(['ecr', 'describe-images', '--repository-name', repository, '--image-ids', `imageTag=${tag}`, '--query', 'imageDetails[0].imageDigest', '--output', 'text']);
  if (existing.status === 0 && /^sha256:[a-f0-9]{64}$/.test(existing.stdout.trim())) {
    const pinnedUri = `${repositoryUri}@${existing.stdout.trim()}`;
    log(`${repositoryUri}:${tag} is already in the repository (same content): not rebuilt`);
    return { repositoryUri, tag, pinnedUri, reused: true };
  }

  // The password goes through stdin only, never an argument or a log line.
  const password = aws(['ecr', 'get-login-password']);
  if (password.status !== 0) throw new ImageError(`aws ecr get-login-password: ${tail(password)}`);
  const login = run('docker', ['login', '--username', 'AWS', '--password-stdin', registry], env, password.stdout.trim());
  if (login.status !== 0) throw new ImageError(`docker login ${registry}: ${tail(login)}`);

  const metadata = path.join(mkdtempSync(path.join(os.tmpdir(), 'gateway-image-')), 'metadata.json');
  log(`building and pushing ${platform} ${repositoryUri}:${tag}`);
  const build = run('docker', ['buildx', 'build', '--platform', platform, '--build-arg', `EXPECTED_ARCH=${arch}`, '--tag', `${repositoryUri}:${tag}`, '--push', '--metadata-file', metadata, contextDir], env);
  if (build.status !== 0) throw new ImageError(`docker buildx build failed: ${tail(build)}`);
  let digest: string | undefined;
  try {
    digest = (JSON.parse(readFileSync(metadata, 'utf8')) as Record<string, string>)['containerimage.digest'];
  } catch {
    digest = undefined;
  }
  if (!digest || !/^sha256:[a-f0-9]{64}$/.test(digest)) throw new ImageError(`docker buildx build wrote no image digest to ${metadata} (containerimage.digest); is buildx older than 0.6?`);
  return { repositoryUri, tag, pinnedUri: `${repositoryUri}@${digest}`, reused: false };
}

/** What to paste into the configuration file (GATEWAY_CONFIG_FILE). */
export function configLines(pinnedUri: string): string {
  return JSON.stringify({ gateway: { image: { mode: 'prebuilt', uri: pinnedUri } } }, null, 2);
}

if (require.main === module) {
  try {
    const options = parseImageArgs(process.argv.slice(2));
    const result = buildImage(options);
    if (result.pinnedUri) {
      console.log(`\nimage: ${result.pinnedUri}`);
      console.log(`\nMerge into your configuration file (GATEWAY_CONFIG_FILE), then synthesize and deploy the gateway stack:\n${configLines(result.pinnedUri)}`);
    } else {
      console.log(`built ${result.repositoryUri}:${result.tag}`);
    }
  } catch (e) {
    process.stderr.write(`image: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
