/**
 * The IAM policy of a deploy role, derived from what a synthesized app contains: the Terraform types of every stack
 * (scripts/lib/deployer-actions.ts maps each to its actions), the roles the stacks pass to services, the
 * service-linked roles their first create makes, and the S3 state backend each stack reads and writes.
 */
import { readFileSync, readdirSync } from 'fs';
import * as path from 'path';
import { DEPLOYER_ACTIONS, SERVICE_REFERENCE } from './deployer-actions';

/** The Terraform types of every stack of an output directory, as `<block>.<type>`, sorted. */
export function synthesizedTypes(outdir: string): string[] {
  const types = new Set<string>();
  for (const stack of readdirSync(path.join(outdir, 'stacks'))) {
    const json = JSON.parse(readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as Record<string, Record<string, unknown> | undefined>;
    for (const block of ['resource', 'data', 'ephemeral']) for (const type of Object.keys(json[block] ?? {})) types.add(`${block}.${type}`);
  }
  return [...types].sort();
}

/** The S3 backends of an output directory's stacks: bucket, lock table and state keys. */
export function stateBackends(outdir: string): { bucket: string; dynamodbTable?: string; keys: string[] }[] {
  const byBucket = new Map<string, { bucket: string; dynamodbTable?: string; keys: string[] }>();
  for (const stack of readdirSync(path.join(outdir, 'stacks'))) {
    const json = JSON.parse(readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as {
      terraform?: { backend?: { s3?: { bucket: string; key: string; dynamodb_table?: string } } };
    };
    const s3 = json.terraform?.backend?.s3;
    if (!s3) continue;
    const entry = byBucket.get(s3.bucket) ?? { bucket: s3.bucket, dynamodbTable: s3.dynamodb_table, keys: [] };
    entry.keys.push(s3.key);
    byBucket.set(s3.bucket, entry);
  }
  return [...byBucket.values()];
}

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string[]>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: PolicyStatement[];
}

export class UnmappedTypesError extends Error {
  constructor(readonly types: readonly string[]) {
    super(
      `no IAM actions known for ${types.join(', ')}: add each to DEPLOYER_ACTIONS in scripts/lib/deployer-actions.ts ` +
        '(create, read, update, delete and tag actions, from the Service Authorization Reference)',
    );
  }
}

/** Managed policies may hold 6,144 characters, whitespace not counted (IAM and STS quotas). */
export const MANAGED_POLICY_MAX_CHARS = 6144;

const sid = (service: string) => service.split(/[^a-zA-Z0-9]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');

/**
 * One statement per service (actions on `*`: names and ARNs exist only after the first apply), iam:PassRole and
 * iam:CreateServiceLinkedRole conditioned on the services the stacks use, and the state statements.
 * @throws UnmappedTypesError naming every type without a mapping
 */
export function deployerStatements(types: readonly string[], state: ReturnType<typeof stateBackends>, partition = 'aws'): PolicyStatement[] {
  const missing = types.filter((t) => !(t in DEPLOYER_ACTIONS));
  if (missing.length > 0) throw new UnmappedTypesError(missing);
  const byService = new Map<string, Set<string>>();
  const passTo = new Set<string>();
  const linked = new Set<string>();
  for (const type of types) {
    const entry = DEPLOYER_ACTIONS[type];
    for (const action of entry.actions) {
      const service = action.split(':')[0];
      if (!byService.has(service)) byService.set(service, new Set());
      byService.get(service)!.add(action);
    }
    for (const s of entry.passRoleTo ?? []) passTo.add(s);
    for (const s of entry.serviceLinkedRoles ?? []) linked.add(s);
  }
  const statements: PolicyStatement[] = [...byService.keys()].sort().map((service) => ({
    Sid: `Deploy${sid(service)}`,
    Effect: 'Allow',
    Action: [...byService.get(service)!].sort(),
    Resource: '*',
  }));
  if (passTo.size > 0) {
    statements.push({ Sid: 'PassRolesToServices', Effect: 'Allow', Action: ['iam:PassRole'], Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': [...passTo].sort() } } });
  }
  if (linked.size > 0) {
    statements.push({
      Sid: 'CreateServiceLinkedRoles',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: '*',
      Condition: { StringEquals: { 'iam:AWSServiceName': [...linked].sort() } },
    });
  }
  for (const [i, backend] of state.entries()) {
    const n = state.length > 1 ? String(i + 1) : '';
    statements.push({ Sid: `StateList${n}`, Effect: 'Allow', Action: ['s3:ListBucket'], Resource: `arn:${partition}:s3:::${backend.bucket}` });
    statements.push({
      Sid: `StateObjects${n}`,
      Effect: 'Allow',
      // use_lockfile writes and deletes `<key>.tflock` beside each state object (Terraform S3 backend docs).
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: backend.keys.sort().flatMap((k) => [`arn:${partition}:s3:::${backend.bucket}/${k}`, `arn:${partition}:s3:::${backend.bucket}/${k}.tflock`]),
    });
    if (backend.dynamodbTable) {
      statements.push({
        Sid: `StateLock${n}`,
        Effect: 'Allow',
        Action: ['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        Resource: `arn:${partition}:dynamodb:*:*:table/${backend.dynamodbTable}`,
      });
    }
  }
  return statements;
}

/** Statements packed into as few documents as fit the managed-policy size, in order. */
export function packPolicies(statements: readonly PolicyStatement[], max = MANAGED_POLICY_MAX_CHARS): PolicyDocument[] {
  const size = (doc: PolicyDocument) => JSON.stringify(doc).length;
  const docs: PolicyDocument[] = [];
  let current: PolicyDocument = { Version: '2012-10-17', Statement: [] };
  for (const st of statements) {
    const next: PolicyDocument = { Version: '2012-10-17', Statement: [...current.Statement, st] };
    if (current.Statement.length > 0 && size(next) > max) {
      docs.push(current);
      current = { Version: '2012-10-17', Statement: [st] };
    } else {
      current = next;
    }
    if (size(current) > max) throw new Error(`statement ${st.Sid} alone is ${size(current)} characters, over the managed-policy limit of ${max}`);
  }
  if (current.Statement.length > 0) docs.push(current);
  return docs;
}

/** Where each service's actions are documented: the services a policy uses, with their reference page. */
export function references(statements: readonly PolicyStatement[]): Record<string, string> {
  const services = new Set(statements.flatMap((s) => s.Action.map((a) => a.split(':')[0])));
  return Object.fromEntries([...services].sort().map((s) => [s, SERVICE_REFERENCE[s] ?? '(no reference page recorded)']));
}
