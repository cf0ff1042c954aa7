import { spawnSync } from 'child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { contentTag, defaultImageContextDir } from '../modules/gateway/container-image';
import { loadConfig } from '../config';
import { ImageError, buildImage, configLines, parseImageArgs } from './image';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const TAG = contentTag(defaultImageContextDir(), 'linux/arm64');

/** Fake `docker` and `aws` (POSIX sh) that append their arguments to calls.log and act on FAKE_* variables. */
function fakeBin(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fake-bin-'));
  const docker = `#!/bin/sh
echo "docker $*" >> "${dir}/calls.log"
case "$1" in
  version) [ "$FAKE_DAEMON" = down ] && { echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock" >&2; exit 1; }; echo 27.3.1 ;;
  login) cat > "${dir}/login-stdin"; echo "Login Succeeded" ;;
  buildx)
    if [ "$FAKE_BUILDX" = missing ]; then echo "docker: 'buildx' is not a docker command." >&2; exit 1; fi
    if [ "$2" = build ]; then
      [ "$FAKE_BUILD" = fail ] && { echo "ERROR: failed to solve: process did not complete successfully" >&2; exit 1; }
      prev=""; for a in "$@"; do [ "$prev" = --metadata-file ] && printf '{"containerimage.digest":"${DIGEST}"}' > "$a"; prev="$a"; done
    fi ;;
esac
exit 0
`;
  const aws = `#!/bin/sh
echo "aws $*" >> "${dir}/calls.log"
case "$1 $2" in
  "sts get-caller-identity") [ "$FAKE_CREDS" = none ] && { echo "Unable to locate credentials. You can configure credentials by running \\"aws configure\\"." >&2; exit 253; }; echo 123456789012 ;;
  "ecr describe-repositories") [ "$FAKE_REPO" = exists ] && { echo '{"repositories":[]}'; exit 0; }; echo "An error occurred (RepositoryNotFoundException) when calling the DescribeRepositories operation" >&2; exit 254 ;;
  "ecr create-repository") echo '{}' ;;
  "ecr describe-images") [ -n "$FAKE_TAG_DIGEST" ] && { echo "$FAKE_TAG_DIGEST"; exit 0; }; echo "An error occurred (ImageNotFoundException)" >&2; exit 254 ;;
  "ecr get-login-password") echo "ecr-password-value" ;;
esac
exit 0
`;
  writeFileSync(path.join(dir, 'docker'), docker);
  writeFileSync(path.join(dir, 'aws'), aws);
  chmodSync(path.join(dir, 'docker'), 0o755);
  chmodSync(path.join(dir, 'aws'), 0o755);
  return dir;
}

const calls = (dir: string) => (existsSync(path.join(dir, 'calls.log')) ? readFileSync(path.join(dir, 'calls.log'), 'utf8').trim().split('\n') : []);
/** Only the fake directory and the system's basic tools: no real docker or aws (neither is in /usr/bin or /bin here). */
const envWith = (dir: string, extra: Record<string, string> = {}) => ({ PATH: `${dir}:/usr/bin:/bin`, GATEWAY_ENV: 'dev', ...extra });
const quiet = () => undefined;

describe('npm run image: arguments', () => {
  test('defaults: dev, no push', () => {
    expect(parseImageArgs([])).toEqual({ environment: process.env.GATEWAY_ENV ?? 'dev', push: false, repository: undefined });
    expect(parseImageArgs(['--env', 'prod', '--push'])).toEqual({ environment: 'prod', push: true, repository: undefined });
  });
  test('an unknown argument names what is allowed', () => {
    expect(() => parseImageArgs(['--pussh'])).toThrow(/unknown argument "--pussh"; allowed: --env <environment>, --push, --repository <name>/);
  });
});

describe('npm run image: clear errors before anything is built or pushed', () => {
  test('without docker on PATH', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'no-docker-'));
    expect(() => buildImage({ environment: 'dev', push: true }, { PATH: empty }, quiet)).toThrow(/docker: not found on PATH\. Install Docker/);
  });
  test('with docker but no daemon', () => {
    const bin = fakeBin();
    expect(() => buildImage({ environment: 'dev', push: true }, envWith(bin, { FAKE_DAEMON: 'down' }), quiet)).toThrow(/the daemon does not answer .*Cannot connect to the Docker daemon/);
    expect(calls(bin)).toEqual(['docker version --format {{.Server.Version}}']);
  });
  test('without buildx', () => {
    const bin = fakeBin();
    expect(() => buildImage({ environment: 'dev', push: true }, envWith(bin, { FAKE_BUILDX: 'missing' }), quiet)).toThrow(/docker buildx: not available .*'buildx' is not a docker command.*Install the buildx plugin/);
    expect(calls(bin).some((c) => c.startsWith('aws'))).toBe(false);
  });
  test('without AWS credentials: nothing built, no login', () => {
    const bin = fakeBin();
    expect(() => buildImage({ environment: 'dev', push: true }, envWith(bin, { FAKE_CREDS: 'none' }), quiet)).toThrow(/aws: no usable AWS credentials .*Unable to locate credentials/);
    expect(calls(bin).filter((c) => /buildx build|docker login/.test(c))).toEqual([]);
  });
  test('without the aws CLI', () => {
    const bin = fakeBin();
    const dockerOnly = mkdtempSync(path.join(os.tmpdir(), 'docker-only-'));
    copyFileSync(path.join(bin, 'docker'), path.join(dockerOnly, 'docker'));
    chmodSync(path.join(dockerOnly, 'docker'), 0o755);
    expect(() => buildImage({ environment: 'dev', push: true }, { PATH: `${dockerOnly}:/usr/bin:/bin` }, quiet)).toThrow(/aws: the AWS CLI is not on PATH/);
  });
  test('a failed build says so', () => {
    const bin = fakeBin();
    expect(() => buildImage({ environment: 'dev', push: true }, envWith(bin, { FAKE_BUILD: 'fail' }), quiet)).toThrow(ImageError);
  });
});

describe('npm run image -- --push', () => {
  test('GIVEN no repository THEN it creates it, logs in through stdin, builds linux/arm64 with buildx, pushes, and returns the digest-pinned URI', () => {
    const bin = fakeBin();
    const result = buildImage({ environment: 'dev', push: true }, envWith(bin), quiet);
    const repo = '123456789012.dkr.ecr.us-east-1.amazonaws.com/document-processing-llm-gateway-images';
    expect(result).toEqual({ repositoryUri: repo, tag: TAG, pinnedUri: `${repo}@${DIGEST}`, reused: false });
    const log = calls(bin);
    expect(log).toContain('aws ecr create-repository --repository-name document-processing-llm-gateway-images --image-tag-mutability IMMUTABLE --image-scanning-configuration scanOnPush=true --region us-east-1');
    expect(log).toContain('docker login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com');
    // The ECR password reaches docker on stdin only, never as an argument.
    expect(readFileSync(path.join(bin, 'login-stdin'), 'utf8')).toBe('ecr-password-value');
    expect(log.join('\n')).not.toContain('ecr-password-value');
    const build = log.find((c) => c.startsWith('docker buildx build'))!;
    expect(build).toMatch(new RegExp(`^docker buildx build --platform linux/arm64 --build-arg EXPECTED_ARCH=arm64 --tag ${repo}:${TAG} --push --metadata-file \\S+ ${defaultImageContextDir()}$`));
    // Order: credentials, repository, login, build.
    const order = ['aws sts', 'aws ecr create-repository', 'docker login', 'docker buildx build'].map((p) => log.findIndex((c) => c.startsWith(p)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  test('GIVEN the repository exists THEN it is not created again', () => {
    const bin = fakeBin();
    buildImage({ environment: 'dev', push: true }, envWith(bin, { FAKE_REPO: 'exists' }), quiet);
    expect(calls(bin).some((c) => c.startsWith('aws ecr create-repository'))).toBe(false);
  });

  test('GIVEN the content tag is already pushed THEN it returns that digest without building (the tag is immutable)', () => {
    const bin = fakeBin();
    const other = `sha256:${'cd'.repeat(32)}`;
    const result = buildImage({ environment: 'dev', push: true }, envWith(bin, { FAKE_REPO: 'exists', FAKE_TAG_DIGEST: other }), quiet);
    expect(result.reused).toBe(true);
    expect(result.pinnedUri).toMatch(new RegExp(`@${other}$`));
    expect(calls(bin).filter((c) => /buildx build|docker login/.test(c))).toEqual([]);
  });

  test('the region and appName come from the configuration file (GATEWAY_CONFIG_FILE)', () => {
    const bin = fakeBin();
    const file = path.join(bin, 'mine.json');
    writeFileSync(file, JSON.stringify({ appName: 'acme', region: 'eu-west-1' }));
    const result = buildImage({ environment: 'dev', push: true }, envWith(bin, { GATEWAY_CONFIG_FILE: file }), quiet);
    expect(result.pinnedUri).toBe(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme-llm-gateway-images@${DIGEST}`);
  });

  test('the printed configuration lines are accepted by the configuration schema as they are', () => {
    const uri = `123456789012.dkr.ecr.us-east-1.amazonaws.com/document-processing-llm-gateway-images@${DIGEST}`;
    const config = loadConfig({ environment: 'dev', overrides: JSON.parse(configLines(uri)) });
    expect(config.gateway.image).toMatchObject({ mode: 'prebuilt', uri });
  });

  test('the npm script end to end (node dist/scripts/image.js) prints the URI and the config lines, exit 0', () => {
    const entry = path.join(__dirname, '..', 'dist', 'scripts', 'image.js');
    if (!existsSync(entry)) throw new Error('dist/scripts/image.js is missing: run `npm run build` (npm test does) first');
    const bin = fakeBin();
    const res = spawnSync(process.execPath, [entry, '--env', 'dev', '--push'], { encoding: 'utf8', env: envWith(bin) });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toContain(`"mode": "prebuilt"`);
    expect(res.stdout).toContain(`document-processing-llm-gateway-images@${DIGEST}`);
    const noDocker = spawnSync(process.execPath, [entry, '--push'], { encoding: 'utf8', env: { PATH: mkdtempSync(path.join(os.tmpdir(), 'empty-')) } });
    expect(noDocker.status).toBe(1);
    expect(noDocker.stderr).toMatch(/^image: docker: not found on PATH/);
  });
});
