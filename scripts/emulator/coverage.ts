/**
 * Which resource and data-source types the emulator tier applies, compared with every type a configuration can
 * synthesize (every `terraform validate` profile plus the modes no profile selects), so that the claim in
 * docs/emulator.md cannot drift: coverage.test.ts checks that the difference is exactly NOT_APPLIED, and that the
 * documentation lists exactly those types.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { deepMerge, loadConfig } from '../../config';
import { buildApp } from '../../main';
import { ExampleEnvironment } from '../lib/examples';
import { EXAMPLE_ON_CALL, OFFLINE_ACCOUNT, VALIDATE_PROFILES, offlineOverrides } from '../lib/profiles';
import { emulatorOverrides } from './profile';

/**
 * Types that no emulator run applies, with the mode that synthesizes them and why the run leaves it out. A type
 * the emulator starts to apply, or a new type it does not, fails coverage.test.ts until this list says so.
 */
export const NOT_APPLIED: Readonly<Record<string, string>> = {
  docker_image: "`gateway.image.mode = 'build'`: the docker provider needs a Docker engine, and none runs here",
  docker_registry_image: "`gateway.image.mode = 'build'` (the push to ECR): as `docker_image`",
  'data.aws_ecr_authorization_token': "`gateway.image.mode = 'build'` (the registry login of the push): as `docker_image`",
  random_password: "`secrets.generator = 'random'`: the random provider is not in the offline mirror",
  'data.aws_vpc': '`networking.existingVpc`: the VPC and its subnets would have to exist before the stacks (fixtures), and the mode replaces the VPC the networking stack creates, so it needs a run of its own',
};

/**
 * Modes outside the validate profiles that add or change resources: each is synthesized here so that the types it
 * brings count. The values are fictitious, as in the offline profile.
 */
export const EXTRA_MODES: Readonly<Record<string, (region: string) => unknown>> = {
  'existing-vpc': (region) =>
    deepMerge(offlineOverrides(region), {
      networking: { existingVpc: { vpcId: 'vpc-0123456789abcdef0', privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] } },
    }),
  https: (region) =>
    deepMerge(offlineOverrides(region), {
      gateway: { certificateArn: `arn:aws:acm:${region}:${OFFLINE_ACCOUNT}:certificate/00000000-0000-4000-8000-000000000000` },
    }),
};

/** `resource` types as they are, `data` types as `data.<type>`, `ephemeral` types as `ephemeral.<type>`. */
export function stackTypes(stack: { resource?: object; data?: object; ephemeral?: object }): string[] {
  return [
    ...Object.keys(stack.resource ?? {}),
    ...Object.keys(stack.data ?? {}).map((t) => `data.${t}`),
    ...Object.keys(stack.ephemeral ?? {}).map((t) => `ephemeral.${t}`),
  ];
}

/**
 * Every type in every stack of one environment synthesized with `overrides`; an environment an example file defines
 * (`examples`) starts from that file, as the emulator run does.
 */
export function synthesizedTypes(environment: string, overrides: unknown, examples: readonly ExampleEnvironment[] = []): Set<string> {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'emulator-coverage-'));
  const file = examples.find((x) => x.name === environment)?.overrides ?? {};
  try {
    buildApp({ config: loadConfig({ environment, overrides: deepMerge(file, overrides) }), outdir }).synth();
    const types = new Set<string>();
    for (const stack of readdirSync(path.join(outdir, 'stacks'))) {
      const json = JSON.parse(readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as Parameters<typeof stackTypes>[0];
      for (const t of stackTypes(json)) types.add(t);
    }
    return types;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Types the default emulator run (`npm run test:emulator`: generated secrets) applies in `environments`. */
export function emulatorTypes(environments: readonly string[], region = 'us-east-1', examples: readonly ExampleEnvironment[] = []): Set<string> {
  const types = new Set<string>();
  for (const env of environments) for (const t of synthesizedTypes(env, emulatorOverrides(region, undefined, env), examples)) types.add(t);
  return types;
}

/** Types some configuration synthesizes: every validate profile and every extra mode, in `environments`. */
export function configurableTypes(environments: readonly string[], region = 'us-east-1', examples: readonly ExampleEnvironment[] = []): Set<string> {
  const profiles = [...Object.values(VALIDATE_PROFILES).map((p) => p.overrides), ...Object.values(EXTRA_MODES)];
  const types = new Set<string>();
  for (const env of environments) {
    for (const overrides of profiles) for (const t of synthesizedTypes(env, deepMerge(EXAMPLE_ON_CALL, overrides(region)), examples)) types.add(t);
  }
  return types;
}
