import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfig } from './config';
import { buildApp, stackName } from './main';

const backend = { bucket: 'state-bucket', region: 'us-east-1', encrypt: true, dynamodbTable: 'lock', useLockfile: true };

function synthTo(environment: string, overrides?: unknown): string {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'synth-'));
  buildApp({ config: loadConfig({ environment, overrides }), backend, outdir }).synth();
  return outdir;
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

  test('output is deterministic: two synths are byte-identical', () => {
    expect(readTree(synthTo('prod'))).toEqual(readTree(synthTo('prod')));
  });

  test('no absolute path of this machine leaks into the output, but the docker build context', () => {
    // The docker provider resolves a relative context from the stack's directory, so build mode takes an absolute
    // one (facts: docker provider); nothing else may depend on where the project was cloned.
    const outdir = synthTo('dev');
    for (const text of Object.values(readTree(outdir))) {
      expect(text).not.toContain(outdir);
      const lines = text.split('\n').filter((line) => line.includes(path.resolve(__dirname)));
      for (const line of lines) expect(line.trim()).toBe(`"context": "${path.join(path.resolve(__dirname), 'gateway-image')}",`);
    }
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

  test('a bad configuration fails with the field, the value and what is allowed, and writes nothing', () => {
    const res = run({ GATEWAY_ENV: 'staging' });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('GATEWAY_ENV: unknown environment; got "staging"; allowed: one of "dev", "prod"');
    expect(existsSync(path.join(res.cwd, 'cdktf.out'))).toBe(false);
  });
});
