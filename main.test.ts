import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfig, loadConfigFromEnv } from './config';
import { buildApp, removeStaleStacks, stackName, synthesize } from './main';
import { Json } from './test/helpers';
import { mkdirSync, writeFileSync } from 'fs';

const backend = { bucket: 'state-bucket', region: 'us-east-1', encrypt: true, dynamodbTable: 'lock', useLockfile: true };

/** Prod refuses an alarm topic nobody is subscribed to (config/observability.ts). */
const ON_CALL = { observability: { alarmEmails: ['oncall@example.com'] } };

function synthTo(environment: string, overrides: unknown = environment === 'dev' ? undefined : ON_CALL): string {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'synth-'));
  buildApp({ config: loadConfig({ environment, overrides }), backend, outdir }).synth();
  return outdir;
}

const OFFLINE_SECRETS = {
  databaseUrlArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-url-AbCdEf',
  masterKeyArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:master-AbCdEf',
  saltKeyArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:salt-AbCdEf',
  uiCredentialsArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ui-AbCdEf',
};

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? allFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const stack of readdirSync(path.join(dir, 'stacks')).sort()) {
    out[stack] = readFileSync(path.join(dir, 'stacks', stack, 'cdk.tf.json'), 'utf8');
  }
  return out;
}

describe('the app', () => {
  test('stack names carry the environment', () => {
    expect(stackName(loadConfig({ environment: 'prod' }), 'networking')).toBe('prod-networking');
  });

  test('every stack but bootstrap keeps its state in S3 under its own key', () => {
    const tree = readTree(synthTo('dev'));
    const keys = Object.entries(tree)
      .filter(([name]) => name !== 'bootstrap')
      .map(([, text]) => JSON.parse(text).terraform.backend.s3.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^document-processing\/dev\/[a-z]+\.tfstate$/);
    expect(JSON.parse(tree.bootstrap).terraform.backend.local).toBeDefined();
  });

  test.each(['dev', 'prod'])('every stack of %s declares the Terraform its features need', (environment) => {
    const tree = readTree(synthTo(environment));
    expect(Object.keys(tree)).toHaveLength(5);
    for (const [name, text] of Object.entries(tree)) {
      const terraform = JSON.parse(text).terraform;
      // use_lockfile (S3 backend) needs 1.10; the bootstrap stack's local state only what cdktf output needs.
      // A stack may need more (write-only arguments: 1.11), never less.
      const stack = JSON.parse(text);
      let floor = terraform.backend.s3?.use_lockfile ? [1, 10, 0] : [1, 2, 0];
      // Ephemeral resources and write-only arguments (`*_wo`, `*_wo_version`) need 1.11: found by scanning the output,
      // so a stack that starts using them without requireTerraform fails here.
      if (stack.ephemeral !== undefined || usesWriteOnlyArguments(stack.resource)) floor = [1, 11, 0];
      const declared = /^>= (\d+)\.(\d+)\.(\d+)$/.exec(terraform.required_version ?? '')?.slice(1).map(Number);
      expect([name, declared !== undefined]).toEqual([name, true]);
      const cmp = declared![0] - floor[0] || declared![1] - floor[1] || declared![2] - floor[2];
      expect([name, cmp >= 0]).toEqual([name, true]);
    }
    expect(JSON.parse(tree.bootstrap).terraform.required_version).toBe('>= 1.2.0');
  });

  test.each(['dev', 'prod'])('%s, default generator: no generated value can reach state or a plan in any stack', (environment) => {
    const tree = readTree(synthTo(environment));
    let ephemerals = 0;
    for (const [name, text] of Object.entries(tree)) {
      const json = JSON.parse(text);
      // Stored-in-state arguments and the random provider: none anywhere.
      expect([name, json.resource?.random_password, json.terraform.required_providers?.random]).toEqual([name, undefined, undefined]);
      expect([name, /"(secret_string|master_password)":/.test(text)]).toEqual([name, false]);
      // Every ephemeral value is used only inside a write-only argument (`*_wo`), in a stack that declares 1.11.
      const uses: string[] = [];
      const walk = (value: unknown, key: string): void => {
        if (typeof value === 'string' && value.includes('ephemeral.')) uses.push(key);
        else if (Array.isArray(value)) value.forEach((v) => walk(v, key));
        else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
      };
      walk({ ...json, ephemeral: undefined }, '');
      expect([name, uses.filter((k) => !k.endsWith('_wo'))]).toEqual([name, []]);
      if (json.ephemeral !== undefined) expect([name, json.terraform.required_version]).toEqual([name, '>= 1.11.0']);
      ephemerals += Object.keys(json.ephemeral?.aws_secretsmanager_random_password ?? {}).length;
    }
    // The database stack's four values and one key per agent (the default agents: data a user may change).
    expect(ephemerals).toBe(4 + loadConfig({ environment }).agents.length);
  });

  test('prod without an alarm subscriber is refused before any construct exists, and nothing is written', () => {
    const outdir = path.join(mkdtempSync(path.join(os.tmpdir(), 'synth-')), 'out');
    expect(() => buildApp({ config: loadConfig({ environment: 'prod' }), backend, outdir })).toThrow(
      /observability\.alarmEmails: got \[\]; allowed: at least one e-mail address, or observability\.allowUnsubscribedAlarms: true/,
    );
    expect(existsSync(outdir)).toBe(false);
    expect(() => synthTo('prod', { observability: { allowUnsubscribedAlarms: true } })).not.toThrow();
  });

  test('the configuration is checked against the model catalogue before any construct exists (modules/catalogue-checks.ts)', () => {
    const outdir = path.join(mkdtempSync(path.join(os.tmpdir(), 'synth-')), 'out');
    const config = loadConfig({ environment: 'dev', overrides: { agents: [{ name: 'mapping', models: ['gpt-4o'] }] } });
    expect(() => buildApp({ config, backend, outdir })).toThrow(/Invalid configuration for environment "dev" \(1 problem\):\n {2}- agents\.mapping\.models\[0\]: got "gpt-4o"/);
    expect(existsSync(outdir)).toBe(false);
  });

  test('output is deterministic: two synths are byte-identical', () => {
    expect(readTree(synthTo('prod'))).toEqual(readTree(synthTo('prod')));
  });

  test.each([
    ['dev', undefined],
    ['prod', ON_CALL],
    ['dev with generated secrets off', { database: { existingSecrets: OFFLINE_SECRETS } }],
  ])('no absolute path of this machine anywhere in the %s output (docker build mode included)', (environment, overrides) => {
    const env = environment.split(' ')[0];
    const outdir = synthTo(env, overrides);
    const files = allFiles(outdir);
    expect(files.some((f) => f.endsWith('cdk.tf.json'))).toBe(true);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const machinePath of [process.cwd(), path.resolve(__dirname), outdir, os.tmpdir(), os.homedir()]) {
        expect([path.relative(outdir, file), text.includes(machinePath)]).toEqual([path.relative(outdir, file), false]);
      }
      expect([path.relative(outdir, file), /"\/(work|home|Users|tmp)\//.test(text)]).toEqual([path.relative(outdir, file), false]);
    }
    // The build mode is on by default: its context is the relative, portable one.
    const gateway = JSON.parse(readFileSync(path.join(outdir, 'stacks', `${env}-gateway`, 'cdk.tf.json'), 'utf8'));
    expect(gateway.resource.docker_image.image.build.context).toBe('${path.module}/../../../gateway-image');
  });
});

describe('npm run synth: exactly the stacks asked for, and the annotations printed', () => {
  test('a prod synth into a directory holding dev stacks leaves only prod (and bootstrap), nothing else touched', () => {
    const outdir = synthTo('dev');
    writeFileSync(path.join(outdir, 'keep-me.txt'), 'not a stack');
    mkdirSync(path.join(outdir, '.validate'));
    const lines: string[] = [];
    synthesize(buildApp({ config: loadConfig({ environment: 'prod', overrides: ON_CALL }), backend, outdir }), (l) => lines.push(l));
    expect(readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(['bootstrap', 'prod-database', 'prod-gateway', 'prod-networking', 'prod-observability']);
    expect(existsSync(path.join(outdir, 'keep-me.txt'))).toBe(true);
    expect(existsSync(path.join(outdir, '.validate'))).toBe(true);
    expect(lines).toEqual([]);
  });

  test('removeStaleStacks without a stacks directory removes nothing', () => {
    const outdir = path.join(mkdtempSync(path.join(os.tmpdir(), 'synth-')), 'none');
    expect(removeStaleStacks(buildApp({ config: loadConfig({ environment: 'dev' }), backend, outdir }))).toEqual([]);
  });

  test('warnings the stacks annotate are printed as cdktf synth prints them', () => {
    // GIVEN alarms in us-west-2 while the catalogue's models are called in us-east-1: the stack warns per model
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'synth-'));
    const lines: string[] = [];
    const annotations = synthesize(buildApp({ config: loadConfig({ environment: 'dev', overrides: { region: 'us-west-2' } }), backend, outdir }), (l) => lines.push(l));
    expect(annotations.length).toBeGreaterThan(0);
    expect(lines).toContainEqual(expect.stringMatching(/^WARN \[dev-observability\]: observability: no Bedrock throttling alarm for us\.anthropic\.claude-/));
    // dev's shared-state warning (no Redis, modules/capacity) is printed the same way.
    expect(lines).toContainEqual(expect.stringMatching(/^WARN \[dev-gateway\]: gateway\.redis\.enabled is false with 4 LiteLLM processes/));
  });
});

describe('the edge (opt-in)', () => {
  test.each(['dev', 'prod'])('GIVEN the default %s configuration THEN no stack has a CloudFront or WAF resource, nor CloudFront ingress', (environment) => {
    const tree = readTree(synthTo(environment));
    expect(Object.keys(tree)).not.toContain(`${environment}-edge`);
    for (const text of Object.values(tree)) {
      expect(text).not.toMatch(/"aws_cloudfront_|"aws_wafv2_|com\.amazonaws\.global\.cloudfront/);
    }
  });

  test('GIVEN edge.enabled THEN an <env>-edge stack reads the ALB from the gateway\'s state and alb-sg admits CloudFront', () => {
    const tree = readTree(synthTo('dev', { edge: { enabled: true } }));
    const edge = JSON.parse(tree['dev-edge']);
    expect(edge.terraform.backend.s3.key).toBe('document-processing/dev/edge.tfstate');
    expect(Object.keys(edge.data.terraform_remote_state)).toEqual(['cross-stack-reference-input-dev-gateway']);
    const origin = edge.resource.aws_cloudfront_distribution.distribution.origin[0];
    expect(origin.domain_name).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dev-gateway\.outputs\.[\w-]+\}$/);
    expect(edge.resource.aws_cloudfront_vpc_origin['vpc-origin'].vpc_origin_endpoint_config[0].arn).toMatch(/cross-stack-reference-input-dev-gateway/);
    const gateway = JSON.parse(tree['dev-gateway']);
    expect(Object.values(gateway.output).map((o) => (o as { value: string }).value)).toEqual(expect.arrayContaining(['${aws_lb.alb.arn}', '${aws_lb.alb.dns_name}']));
    const networking = JSON.parse(tree['dev-networking']);
    expect(networking.resource.aws_vpc_security_group_ingress_rule['alb-ingress-cloudfront'].prefix_list_id).toBe('${data.aws_ec2_managed_prefix_list.cloudfront-origin-facing.id}');
  });
});

describe('the entry point (dist/main.js)', () => {
  const entry = path.join(__dirname, 'dist', 'main.js');
  const run = (env: Record<string, string>) => {
    if (!existsSync(entry)) throw new Error('dist/main.js is missing: run `npm run build` (npm test does) first');
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'entry-'));
    const res = spawnSync(process.execPath, [entry], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, CHECKPOINT_DISABLE: '1', ...env } });
    return { ...res, cwd };
  };

  test('synthesizes every stack with the dev defaults and no AWS credentials', () => {
    const res = run({});
    expect(res.status).toBe(0);
    expect(readdirSync(path.join(res.cwd, 'cdktf.out', 'stacks'))).toEqual(expect.arrayContaining(['bootstrap', 'dev-networking']));
  });

  test('prints the app\'s warnings and writes only the requested environment', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'west.json');
    writeFileSync(file, JSON.stringify({ region: 'us-west-2' }));
    const res = run({ GATEWAY_CONFIG_FILE: file });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^WARN \[dev-observability\]: observability: no Bedrock throttling alarm/m);
  });

  test('GATEWAY_ENV=staging GATEWAY_CONFIG_FILE=examples/staging.json writes the staging stacks only', () => {
    const res = run({ GATEWAY_ENV: 'staging', GATEWAY_CONFIG_FILE: path.join(__dirname, 'examples', 'staging.json') });
    expect([res.status, res.stderr]).toEqual([0, '']);
    expect(readdirSync(path.join(res.cwd, 'cdktf.out', 'stacks')).sort()).toEqual(['bootstrap', 'staging-database', 'staging-gateway', 'staging-networking', 'staging-observability']);
  });

  test('a bad configuration fails with the field, the value and what is allowed, and writes nothing', () => {
    const res = run({ GATEWAY_ENV: 'staging' });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('GATEWAY_ENV: unknown environment; got "staging"; allowed: "dev", "prod", or an environment the configuration file defines');
    expect(res.stderr).toContain('{"environment": {"name": "staging", "base": "prod"}}');
    expect(existsSync(path.join(res.cwd, 'cdktf.out'))).toBe(false);
  });
});

/** Whether any resource sets a write-only argument (Terraform 1.11: names ending in `_wo` or `_wo_version`). */
function usesWriteOnlyArguments(resources: Record<string, Record<string, Record<string, unknown>>> | undefined): boolean {
  return Object.values(resources ?? {}).some((byName) =>
    Object.values(byName).some((body) => Object.keys(body).some((key) => /_wo(_version)?$/.test(key))),
  );
}

describe('examples/organisation.json: dev and prod in one VPC', () => {
  const example = JSON.parse(readFileSync(path.join(__dirname, 'examples', 'organisation.json'), 'utf8'));
  const gatewayOf = (environment: string): Json =>
    JSON.parse(readFileSync(path.join(synthTo(environment, example), 'stacks', stackName({ environment } as never, 'gateway'), 'cdk.tf.json'), 'utf8'));

  test('each environment creates its own private zone on the shared VPC and publishes its own name', () => {
    const [dev, prod] = [gatewayOf('dev'), gatewayOf('prod')];
    const zone = (json: Json) => json.resource.aws_route53_zone['private-zone'];
    expect(zone(dev).vpc).toEqual(zone(prod).vpc);
    expect(zone(dev).vpc).toEqual([{ vpc_id: 'vpc-0123456789abcdef0' }]);
    expect([zone(dev).name, zone(prod).name]).toEqual(['dev.document-processing.internal', 'document-processing.internal']);
    const record = (json: Json) => json.resource.aws_route53_record['dns-record'].name;
    expect([record(dev), record(prod)]).toEqual(['llm-gateway.dev.document-processing.internal', 'llm-gateway.document-processing.internal']);
  });
});

describe('an environment defined by a file: examples/staging.json', () => {
  const EXAMPLE = path.join(__dirname, 'examples', 'staging.json');
  const synthEnv = (env: NodeJS.ProcessEnv) => {
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'synth-'));
    // synthesize() throws on an error annotation: the policy pack's violations are errors.
    const annotations = synthesize(buildApp({ config: loadConfigFromEnv(env), backend, outdir }), () => undefined);
    return { tree: readTree(outdir), annotations };
  };
  const staging = synthEnv({ GATEWAY_ENV: 'staging', GATEWAY_CONFIG_FILE: EXAMPLE });
  const prod = synthEnv({ GATEWAY_ENV: 'prod', GATEWAY_CONFIG_FILE: path.join(__dirname, 'examples', 'organisation.json') });
  const stacks = (tree: Record<string, string>) => Object.entries(tree).filter(([name]) => name !== 'bootstrap');

  test('synthesizes as the README says, passing the policy pack, with stacks of its own', () => {
    expect(staging.annotations).toEqual([]);
    expect(Object.keys(staging.tree)).toEqual(['bootstrap', 'staging-database', 'staging-gateway', 'staging-networking', 'staging-observability']);
  });

  test('its state keys, tags and physical names are its own, none shared with prod', () => {
    const keys = stacks(staging.tree).map(([, text]) => JSON.parse(text).terraform.backend.s3.key);
    expect(keys.sort()).toEqual(['database', 'gateway', 'networking', 'observability'].map((s) => `document-processing/staging/${s}.tfstate`));
    for (const [, text] of stacks(staging.tree)) {
      expect(JSON.parse(text).provider.aws[0].default_tags[0].tags).toEqual({ env: 'staging', application: 'document-processing', 'cost-center': '1234' });
    }
    // Every `name`-like argument of staging differs from prod's: no resource, log group or alarm is shared.
    const names = (tree: Record<string, string>) =>
      new Set(stacks(tree).flatMap(([, text]) => [...text.matchAll(/"(?:name|name_prefix|cluster_identifier|family|alarm_name|dashboard_name|role_name|bucket_prefix)": "([^"$]+)"/g)].map((m) => m[1])));
    const ours = names(staging.tree);
    const shared = [...names(prod.tree)].filter((n) => ours.has(n));
    expect(ours.size).toBeGreaterThan(50);
    // What both share is not a physical name of the application (metric names, parameter names, the private zone:
    // docs/configuration.md#names-what-carries-appname); every physical name carries staging.
    expect(shared.length).toBeGreaterThan(0);
    expect(shared.filter((n) => /document-processing[-/]/.test(n))).toEqual([]);
    expect([...ours].filter((n) => /document-processing[-/]/.test(n) && !/document-processing[-/]staging\b/.test(n))).toEqual([]);
  });

  test('held to prod\'s policy requirements, which follow the base, not the name', () => {
    const database = JSON.parse(staging.tree['staging-database']);
    expect(Object.values(database.resource.aws_rds_cluster as Record<string, { deletion_protection: boolean }>)[0].deletion_protection).toBe(true);
    const unprotected = loadConfigFromEnv({ GATEWAY_ENV: 'staging', GATEWAY_CONFIG_FILE: EXAMPLE });
    const app = buildApp({ config: { ...unprotected, database: { ...unprotected.database, deletionProtection: false } }, backend, outdir: mkdtempSync(path.join(os.tmpdir(), 'synth-')) });
    expect(() => app.synth()).toThrow(/deletion_protection is false in staging/);
  });
});
