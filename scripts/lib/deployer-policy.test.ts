import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { deepMerge, loadConfig } from '../../config';
import { buildApp } from '../../main';
import { DEPLOYER_ACTIONS, SERVICE_REFERENCE } from './deployer-actions';
import { MANAGED_POLICY_MAX_CHARS, UnmappedTypesError, deployerStatements, packPolicies, stateBackends, synthesizedTypes } from './deployer-policy';
import { EXAMPLE_ON_CALL, VALIDATE_PROFILES } from './profiles';

const backend = { bucket: 'state-bucket', region: 'us-east-1', encrypt: true, dynamodbTable: 'lock', useLockfile: true };

function synth(environment: string, overrides: unknown): string {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'deployer-'));
  buildApp({ config: loadConfig({ environment, overrides: deepMerge(EXAMPLE_ON_CALL, overrides as Record<string, unknown>) }), backend, outdir }).synth();
  return outdir;
}

/** Every validate profile of dev and prod: every Terraform type the app can emit. */
const outputs = Object.fromEntries(
  ['dev', 'prod'].flatMap((env) => Object.entries(VALIDATE_PROFILES).map(([name, p]) => [`${env}/${name}`, synth(env, p.overrides('us-east-1'))])),
);
const emitted = [...new Set(Object.values(outputs).flatMap(synthesizedTypes))].sort();
const policyOf = (key: string) => deployerStatements(synthesizedTypes(outputs[key]), stateBackends(outputs[key]));
const actionsOf = (key: string) => new Set(policyOf(key).flatMap((s) => s.Action));

describe('npm run deployer-policy: coverage of what the app emits', () => {
  test('every type any profile emits has IAM actions (a new resource type fails here until it is mapped)', () => {
    expect(emitted.length).toBeGreaterThan(60);
    expect(emitted.filter((t) => !(t in DEPLOYER_ACTIONS))).toEqual([]);
  });

  test('the table holds no type the app never emits (it stays the app\'s, not a catalogue)', () => {
    expect(Object.keys(DEPLOYER_ACTIONS).filter((t) => !emitted.includes(t))).toEqual([]);
  });

  test('an unmapped type is refused by name', () => {
    expect(() => deployerStatements(['resource.aws_vpc', 'resource.aws_sagemaker_domain'], [])).toThrow(UnmappedTypesError);
    expect(() => deployerStatements(['resource.aws_sagemaker_domain'], [])).toThrow(/no IAM actions known for resource\.aws_sagemaker_domain: add each to DEPLOYER_ACTIONS/);
  });

  test('every action is service:Action of a service with its Service Authorization Reference page', () => {
    for (const [type, entry] of Object.entries(DEPLOYER_ACTIONS)) {
      for (const action of entry.actions) {
        expect([type, action, /^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$/.test(action)]).toEqual([type, action, true]);
        expect([type, action, action.split(':')[0] in SERVICE_REFERENCE]).toEqual([type, action, true]);
      }
    }
  });
});

describe('the easy-to-miss permissions', () => {
  test('default dev: roles passed to ECS tasks and flow logs only; service-linked roles of ECS, ELB, RDS, Application Auto Scaling', () => {
    const st = policyOf('dev/default');
    expect(st.find((s) => s.Sid === 'PassRolesToServices')?.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': ['ecs-tasks.amazonaws.com', 'vpc-flow-logs.amazonaws.com'] },
    });
    expect(st.find((s) => s.Sid === 'CreateServiceLinkedRoles')?.Condition?.StringEquals['iam:AWSServiceName']).toEqual(
      expect.arrayContaining(['ecs.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'rds.amazonaws.com', 'ecs.application-autoscaling.amazonaws.com']),
    );
    for (const a of ['secretsmanager:GetRandomPassword', 'ecr:PutImage', 'budgets:ModifyBudget', 'ec2:CreateTags']) expect([a, actionsOf('dev/default').has(a)]).toEqual([a, true]);
  });

  test('the edge: CloudFront vended-log delivery (logs:CreateDelivery, cloudfront:AllowVendedLogDeliveryForResource) and the VPC origin\'s service-linked role', () => {
    const actions = actionsOf('dev/edge');
    for (const a of ['logs:CreateDelivery', 'logs:PutDeliverySource', 'logs:PutDeliveryDestination', 'cloudfront:AllowVendedLogDeliveryForResource', 'cloudfront:CreateVpcOrigin', 'wafv2:CreateWebACL']) {
      expect([a, actions.has(a)]).toEqual([a, true]);
    }
    expect(policyOf('dev/edge').find((s) => s.Sid === 'CreateServiceLinkedRoles')?.Condition?.StringEquals['iam:AWSServiceName']).toContain('vpcorigin.cloudfront.amazonaws.com');
    expect(actionsOf('dev/default').has('cloudfront:CreateDistribution')).toBe(false);
  });

  test('the guardrail\'s tags (bedrock:TagResource) and the invocation-logging role passed to Bedrock', () => {
    const actions = actionsOf('dev/features');
    for (const a of ['bedrock:CreateGuardrail', 'bedrock:TagResource', 'bedrock:PutModelInvocationLoggingConfiguration']) expect([a, actions.has(a)]).toEqual([a, true]);
    expect(policyOf('dev/features').find((s) => s.Sid === 'PassRolesToServices')?.Condition?.StringEquals['iam:PassedToService']).toContain('bedrock.amazonaws.com');
  });

  test('the state: list the bucket, read and write each stack\'s key and its lock file, the lock table', () => {
    const st = policyOf('dev/default');
    const objects = st.find((s) => s.Sid === 'StateObjects')!;
    expect(objects.Resource).toContain('arn:aws:s3:::state-bucket/document-processing/dev/gateway.tfstate');
    expect(objects.Resource).toContain('arn:aws:s3:::state-bucket/document-processing/dev/gateway.tfstate.tflock');
    expect(st.find((s) => s.Sid === 'StateLock')?.Resource).toBe('arn:aws:dynamodb:*:*:table/lock');
    // Cloud mode keeps state in HCP Terraform: no state statement.
    expect(policyOf('dev/cloud').some((s) => s.Sid.startsWith('State'))).toBe(false);
  });
});

describe('packing into managed policies', () => {
  test.each(Object.keys(outputs))('%s: every document within 6,144 characters, every statement kept in order', (key) => {
    const st = policyOf(key);
    const docs = packPolicies(st);
    for (const d of docs) expect(JSON.stringify(d).length).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
    expect(docs.flatMap((d) => d.Statement)).toEqual(st);
  });
});

describe('the command', () => {
  test('node dist/scripts/deployer-policy.js --out <dir> writes the documents for GATEWAY_ENV and GATEWAY_CONFIG_FILE', () => {
    const entry = path.join(__dirname, '..', '..', 'dist', 'scripts', 'deployer-policy.js');
    if (!existsSync(entry)) throw new Error('dist/scripts/deployer-policy.js is missing: run `npm run build` (npm test does) first');
    const out = mkdtempSync(path.join(os.tmpdir(), 'deployer-out-'));
    const res = spawnSync(process.execPath, [entry, '--out', out], { encoding: 'utf8', env: { PATH: process.env.PATH, GATEWAY_ENV: 'dev', CHECKPOINT_DISABLE: '1' } });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^deployer policy for dev \(\d+ Terraform types, \d+ statements, \d managed polic(y|ies)\): written to /);
    const files = readdirSync(out).sort();
    expect(files[0]).toBe('deployer-policy-1.json');
    expect(JSON.parse(readFileSync(path.join(out, files[0]), 'utf8')).Version).toBe('2012-10-17');
  });
});
