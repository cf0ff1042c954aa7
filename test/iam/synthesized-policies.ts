/**
 * The IAM side of a synthesized app, as AWS would hold it after an apply: every `aws_iam_policy_document` rendered to
 * policy JSON, with the Terraform references in it replaced by the ARNs AWS gives those resources (in a fictitious
 * account). Read from the synthesized cdk.tf.json files only, so it survives any refactoring of the code that
 * builds the statements. Used by the policy-engine tests (test/iam-evaluation.test.ts) and the resource-type check
 * (test/iam-resource-types.test.ts).
 *
 * Only the references the project's policies use are modelled; any other one throws, naming it, so a new kind of
 * reference is added here on purpose rather than evaluated wrongly.
 */
import { createHash } from 'crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { deepMerge, loadConfig } from '../../config';
import { buildApp } from '../../main';
import { EXAMPLE_ON_CALL, OFFLINE_ACCOUNT } from '../../scripts/lib/profiles';
import type { Json } from '../helpers';

export const ACCOUNT = OFFLINE_ACCOUNT;
export const PARTITION = 'aws';
export const DNS_SUFFIX = 'amazonaws.com';

/** An IAM policy as AWS stores it. */
export interface PolicyJson {
  readonly Version: string;
  readonly Statement: Record<string, unknown>[];
}

/** One role after an apply: its ARN, trust policy and the policies that apply to its sessions. */
export interface RoleModel {
  readonly stack: string;
  readonly id: string;
  readonly name: string;
  readonly arn: string;
  readonly trust: PolicyJson;
  readonly policies: { name: string; policy: PolicyJson }[];
}

/** Every policy of the app, with where it sits (for the resource-type check). */
export interface PlacedPolicy {
  readonly where: string;
  readonly kind: 'identity' | 'trust' | 'resource';
  readonly policy: PolicyJson;
}

/** Synthesizes one environment with configuration overrides into a temporary directory and reads every stack. */
export function synthesizeApp(environment: string, overrides: unknown = {}): SynthesizedApp {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'iam-'));
  try {
    const config = loadConfig({ environment, overrides: deepMerge(EXAMPLE_ON_CALL, overrides) });
    buildApp({ config, outdir }).synth();
    const stacks: Record<string, Json> = {};
    for (const name of readdirSync(path.join(outdir, 'stacks'))) {
      stacks[name] = JSON.parse(readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
    }
    return new SynthesizedApp(stacks);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** A stable fictitious id derived from an address: a resource's generated id (a KMS key id, a guardrail id). */
function fakeId(address: string, length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'): string {
  const digest = createHash('sha256').update(address).digest();
  return Array.from(digest.subarray(0, length), (b) => alphabet[b % alphabet.length]).join('');
}

function uuidOf(address: string): string {
  const hex = createHash('sha256').update(address).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export class SynthesizedApp {
  constructor(readonly stacks: Readonly<Record<string, Json>>) {}

  /** The stack's provider region. */
  region(stack: string): string {
    return this.stacks[stack].provider.aws[0].region;
  }

  /** A resource's configuration; throws when it is not in the stack. */
  resource(stack: string, type: string, id: string): Json {
    const r = this.stacks[stack].resource?.[type]?.[id];
    if (r === undefined) throw new Error(`${stack}: no ${type}.${id}`);
    return r;
  }

  /** Every `${...}` in a string (or in the strings of an object or array) replaced by its value after an apply. */
  resolve(stack: string, value: unknown): unknown {
    if (typeof value === 'string') {
      const whole = /^\$\{([^{}]+)\}$/.exec(value);
      if (whole) return this.evaluate(stack, whole[1]);
      return value.replace(/\$\{([^{}]+)\}/g, (_, expr: string) => {
        const v = this.evaluate(stack, expr);
        if (typeof v !== 'string') throw new Error(`${stack}: \${${expr}} is not a string inside ${JSON.stringify(value)}`);
        return v;
      });
    }
    if (Array.isArray(value)) return value.map((v) => this.resolve(stack, v));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).filter(([k]) => k !== '//').map(([k, v]) => [k, this.resolve(stack, v)]));
    }
    return value;
  }

  resolveString(stack: string, value: unknown): string {
    const v = this.resolve(stack, value);
    if (typeof v !== 'string') throw new Error(`${stack}: ${JSON.stringify(value)} does not resolve to a string`);
    return v;
  }

  private evaluate(stack: string, expr: string): unknown {
    const parts = expr.trim().split('.');
    if (parts[0] === 'data') {
      const [, type, name, attr, ...rest] = parts;
      if (type === 'aws_caller_identity' && attr === 'account_id') return ACCOUNT;
      if (type === 'aws_partition' && attr === 'partition') return PARTITION;
      if (type === 'aws_partition' && attr === 'dns_suffix') return DNS_SUFFIX;
      if (type === 'aws_region' && attr === 'name') return this.region(stack);
      if (type === 'aws_iam_policy_document' && attr === 'json') return JSON.stringify(this.policyDocument(stack, name));
      if (type === 'terraform_remote_state' && attr === 'outputs' && rest.length === 1) {
        const producer = name.replace(/^cross-stack-reference-input-/, '');
        const output = this.stacks[producer]?.output?.[rest[0]];
        if (output === undefined) throw new Error(`${stack}: ${expr}: no output ${rest[0]} in stack ${producer}`);
        return this.resolve(producer, output.value);
      }
      throw new Error(`${stack}: the reference \${${expr}} is not modelled in test/iam/synthesized-policies.ts`);
    }
    const [type, name, attr] = parts;
    if (parts.length !== 3) throw new Error(`${stack}: the reference \${${expr}} is not modelled in test/iam/synthesized-policies.ts`);
    const r = this.resource(stack, type, name);
    const region = this.region(stack);
    const arn = (service: string, resource: string, withRegion = true) => `arn:${PARTITION}:${service}:${withRegion ? region : ''}:${ACCOUNT}:${resource}`;
    const str = (v: unknown) => this.resolveString(stack, v);
    const address = `${stack}/${type}.${name}`;
    const model: Record<string, Record<string, () => unknown>> = {
      aws_cloudwatch_log_group: { arn: () => arn('logs', `log-group:${str(r.name)}`), name: () => str(r.name) },
      // Secrets Manager appends a hyphen and six random characters to the name (Secrets Manager API, CreateSecret).
      aws_secretsmanager_secret: { arn: () => arn('secretsmanager', `secret:${str(r.name)}-${fakeId(address, 6, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ')}`) },
      aws_kms_key: { arn: () => arn('kms', `key/${uuidOf(address)}`), key_id: () => uuidOf(address) },
      aws_sns_topic: { arn: () => arn('sns', str(r.name)) },
      aws_iam_role: { arn: () => `arn:${PARTITION}:iam::${ACCOUNT}:role/${str(r.name)}`, name: () => str(r.name), id: () => str(r.name) },
      aws_iam_policy: { arn: () => `arn:${PARTITION}:iam::${ACCOUNT}:policy/${str(r.name)}` },
      aws_s3_bucket: { arn: () => `arn:${PARTITION}:s3:::${str(r.bucket)}`, id: () => str(r.bucket), bucket: () => str(r.bucket) },
      aws_bedrock_guardrail: { guardrail_arn: () => arn('bedrock', `guardrail/${fakeId(address, 12)}`), guardrail_id: () => fakeId(address, 12) },
      // An application inference profile's ARN carries a generated id, not its name (Bedrock CreateInferenceProfile).
      aws_bedrock_inference_profile: { arn: () => arn('bedrock', `application-inference-profile/${fakeId(address, 12)}`) },
      aws_ecr_repository: { arn: () => arn('ecr', `repository/${str(r.name)}`), name: () => str(r.name) },
      // Budgets are global: arn:<partition>:budgets::<account>:budget/<name> (Service Authorization Reference,
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbudgetservice.html).
      aws_budgets_budget: { arn: () => arn('budgets', `budget/${str(r.name)}`, false), name: () => str(r.name) },
      // ElastiCache: arn:<partition>:elasticache:<region>:<account>:replicationgroup:<id> and ...:user:<user id>
      // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticache.html).
      aws_elasticache_replication_group: { arn: () => arn('elasticache', `replicationgroup:${str(r.replication_group_id)}`) },
      aws_elasticache_user: { arn: () => arn('elasticache', `user:${str(r.user_id)}`), user_name: () => str(r.user_name), user_id: () => str(r.user_id) },
    };
    const get = model[type]?.[attr];
    if (get === undefined) throw new Error(`${stack}: the reference \${${expr}} is not modelled in test/iam/synthesized-policies.ts`);
    return get();
  }

  /** An `aws_iam_policy_document` rendered as the provider renders it (its `json` attribute). */
  policyDocument(stack: string, id: string): PolicyJson {
    const doc = this.stacks[stack].data?.aws_iam_policy_document?.[id];
    if (doc === undefined) throw new Error(`${stack}: no data.aws_iam_policy_document.${id}`);
    const known = new Set(['//', 'statement']);
    const unknown = Object.keys(doc).filter((k) => !known.has(k));
    if (unknown.length > 0) throw new Error(`${stack}: aws_iam_policy_document.${id} uses ${unknown.join(', ')}, not modelled here`);
    const statements = (doc.statement as Json[]).map((s) => this.statement(stack, s));
    return { Version: '2012-10-17', Statement: statements };
  }

  private statement(stack: string, s: Json): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const allowed = new Set(['sid', 'effect', 'actions', 'not_actions', 'resources', 'not_resources', 'principals', 'not_principals', 'condition']);
    for (const k of Object.keys(s)) if (!allowed.has(k)) throw new Error(`${stack}: statement field ${k} not modelled`);
    if (s.sid) out.Sid = s.sid;
    out.Effect = s.effect ?? 'Allow';
    const principals = (list: Json[]) => {
      const p: Record<string, string[]> = {};
      for (const { type, identifiers } of list) {
        if (type === '*') return '*';
        p[type] = [...(p[type] ?? []), ...(this.resolve(stack, identifiers) as string[])];
      }
      return p;
    };
    if (s.principals) out.Principal = principals(s.principals);
    if (s.not_principals) out.NotPrincipal = principals(s.not_principals);
    if (s.actions) out.Action = s.actions;
    if (s.not_actions) out.NotAction = s.not_actions;
    if (s.resources) out.Resource = this.resolve(stack, s.resources);
    if (s.not_resources) out.NotResource = this.resolve(stack, s.not_resources);
    if (s.condition) {
      const c: Record<string, Record<string, string[]>> = {};
      for (const { test, variable, values } of s.condition as Json[]) {
        c[test] = { ...(c[test] ?? {}), [variable]: this.resolve(stack, values) as string[] };
      }
      out.Condition = c;
    }
    return out;
  }

  /** The policy JSON of a resource argument (`policy`, `assume_role_policy`): a reference or a literal JSON string. */
  policyArgument(stack: string, value: unknown): PolicyJson {
    return JSON.parse(this.resolveString(stack, value)) as PolicyJson;
  }

  /** Every IAM role of every stack, with its inline and attached policies. */
  roles(): RoleModel[] {
    const out: RoleModel[] = [];
    for (const [stack, json] of Object.entries(this.stacks)) {
      for (const [id, role] of Object.entries((json.resource?.aws_iam_role ?? {}) as Record<string, Json>)) {
        const name = this.resolveString(stack, role.name);
        const refs = [`\${aws_iam_role.${id}.id}`, `\${aws_iam_role.${id}.name}`];
        const inline = Object.entries((json.resource?.aws_iam_role_policy ?? {}) as Record<string, Json>)
          .filter(([, p]) => refs.includes(String(p.role)))
          .map(([pid, p]) => ({ name: `inline ${pid}`, policy: this.policyArgument(stack, p.policy) }));
        const attached = Object.entries((json.resource?.aws_iam_role_policy_attachment ?? {}) as Record<string, Json>)
          .filter(([, a]) => refs.includes(String(a.role)))
          .map(([aid, a]) => {
            const m = /^\$\{aws_iam_policy\.([^.]+)\.arn\}$/.exec(String(a.policy_arn));
            if (!m) throw new Error(`${stack}: attachment ${aid} of ${a.policy_arn} (an AWS-managed policy?) is not modelled`);
            return { name: `attached ${m[1]}`, policy: this.policyArgument(stack, this.resource(stack, 'aws_iam_policy', m[1]).policy) };
          });
        out.push({
          stack,
          id,
          name,
          arn: `arn:${PARTITION}:iam::${ACCOUNT}:role/${name}`,
          trust: this.policyArgument(stack, role.assume_role_policy),
          policies: [...inline, ...attached],
        });
      }
    }
    return out;
  }

  role(stack: string, id: string): RoleModel {
    const r = this.roles().find((x) => x.stack === stack && x.id === id);
    if (!r) throw new Error(`no role ${id} in ${stack}`);
    return r;
  }

  /**
   * A KMS key's policy. Without one, AWS applies its default key policy, which lets the account's IAM policies
   * govern the key (AWS KMS Developer Guide, "Default key policy").
   */
  keyPolicy(stack: string, id: string): PolicyJson {
    const key = this.resource(stack, 'aws_kms_key', id);
    if (key.policy !== undefined) return this.policyArgument(stack, key.policy);
    return {
      Version: '2012-10-17',
      Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:${PARTITION}:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
    };
  }

  /** Every policy of the app: identity (inline and managed), trust, and resource policies (key, topic, bucket). */
  allPolicies(): PlacedPolicy[] {
    const out: PlacedPolicy[] = [];
    for (const [stack, json] of Object.entries(this.stacks)) {
      const res = (json.resource ?? {}) as Record<string, Record<string, Json>>;
      for (const [id, r] of Object.entries(res.aws_iam_role ?? {})) out.push({ where: `${stack}/aws_iam_role.${id} (trust)`, kind: 'trust', policy: this.policyArgument(stack, r.assume_role_policy) });
      for (const [id, r] of Object.entries(res.aws_iam_role_policy ?? {})) out.push({ where: `${stack}/aws_iam_role_policy.${id}`, kind: 'identity', policy: this.policyArgument(stack, r.policy) });
      for (const [id, r] of Object.entries(res.aws_iam_policy ?? {})) out.push({ where: `${stack}/aws_iam_policy.${id}`, kind: 'identity', policy: this.policyArgument(stack, r.policy) });
      for (const [id, r] of Object.entries(res.aws_kms_key ?? {})) if (r.policy !== undefined) out.push({ where: `${stack}/aws_kms_key.${id}`, kind: 'resource', policy: this.policyArgument(stack, r.policy) });
      for (const [id, r] of Object.entries(res.aws_sns_topic_policy ?? {})) out.push({ where: `${stack}/aws_sns_topic_policy.${id}`, kind: 'resource', policy: this.policyArgument(stack, r.policy) });
      for (const [id, r] of Object.entries(res.aws_s3_bucket_policy ?? {})) out.push({ where: `${stack}/aws_s3_bucket_policy.${id}`, kind: 'resource', policy: this.policyArgument(stack, r.policy) });
    }
    return out;
  }
}
