import { statementsFromDocument, IAM_POLICY_DOCUMENT, type PolicyStatement } from '../iam';
import { NOT_APPLICABLE, verdict, type PolicyContext, type PolicyRule, type RuleResult, type TfElement } from '../types';
import { STAR_ONLY_ACTIONS, isOnlySelfScoped } from './iam-no-wildcards';

/**
 * ARN shapes of the resource types the project's actions act on (AWS Service Authorization Reference, "Resource
 * types defined by ..."), written as they may appear in a policy: a segment may be `*`.
 */
const ARN = {
  logGroup: /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:[^:]+(:\*)?$/,
  logStream: /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:[^:]+:(\*|log-stream:.*)$/,
  ecrRepository: /^arn:[^:]+:ecr:[^:]*:[^:]*:repository\/.+$/,
  secret: /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:.+$/,
  kmsKey: /^arn:[^:]+:kms:[^:]*:[^:]*:key\/.+$/,
  foundationModel: /^arn:[^:]+:bedrock:[^:]*::foundation-model\/.+$/,
  inferenceProfile: /^arn:[^:]+:bedrock:[^:]*:[^:]*:(application-)?inference-profile\/.+$/,
} as const;

/**
 * Per action, the resource types it supports. Actions without a resource type are the STAR_ONLY_ACTIONS of
 * iam-no-wildcards (only `*`). Actions not listed here are not judged (the rule says so nowhere: add them).
 */
export const ACTION_RESOURCE_TYPES: ReadonlyMap<string, readonly RegExp[]> = new Map<string, readonly RegExp[]>([
  ...[...STAR_ONLY_ACTIONS.keys()].map((action) => [action.toLowerCase(), []] as [string, readonly RegExp[]]),
  ['logs:createloggroup', [ARN.logGroup]],
  // Both stream-writing actions take the log-stream type only (Service Authorization Reference, CloudWatch Logs,
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html).
  ['logs:createlogstream', [ARN.logStream]],
  ['logs:describelogstreams', [ARN.logGroup]],
  ['logs:putlogevents', [ARN.logStream]],
  ['ecr:batchchecklayeravailability', [ARN.ecrRepository]],
  ['ecr:getdownloadurlforlayer', [ARN.ecrRepository]],
  ['ecr:batchgetimage', [ARN.ecrRepository]],
  ['secretsmanager:getsecretvalue', [ARN.secret]],
  ['kms:decrypt', [ARN.kmsKey]],
  ['bedrock:invokemodel', [ARN.foundationModel, ARN.inferenceProfile]],
  ['bedrock:invokemodelwithresponsestream', [ARN.foundationModel, ARN.inferenceProfile]],
]);

/** What a reference stands for, as a sample ARN of its type; undefined when it cannot be known at synth. */
const REFERENCE_SAMPLES: readonly (readonly [RegExp, string])[] = [
  [/\$\{data\.aws_partition\.[\w-]+\.partition\}/g, 'aws'],
  [/\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}/g, '123456789012'],
  [/\$\{data\.aws_region\.[\w-]+\.(name|region)\}/g, 'us-east-1'],
  [/\$\{aws_cloudwatch_log_group\.[\w-]+\.arn\}/g, 'arn:aws:logs:us-east-1:123456789012:log-group:G'],
  [/\$\{aws_ecr_repository\.[\w-]+\.arn\}/g, 'arn:aws:ecr:us-east-1:123456789012:repository/R'],
  [/\$\{aws_secretsmanager_secret\.[\w-]+\.arn\}/g, 'arn:aws:secretsmanager:us-east-1:123456789012:secret:S-AbCdEf'],
  [/\$\{aws_kms_key\.[\w-]+\.arn\}/g, 'arn:aws:kms:us-east-1:123456789012:key/K'],
];

function sample(resource: string): string | undefined {
  let out = resource;
  for (const [pattern, value] of REFERENCE_SAMPLES) out = out.replace(pattern, value);
  return out.includes('${') ? undefined : out;
}

/** Problems of one Allow statement: an action without a resource of its type, or a resource no action acts on. */
export function resourceTypeProblems(statement: PolicyStatement): readonly string[] {
  if (statement.effect !== 'Allow' || statement.resources.length === 0) return [];
  const label = statement.sid === undefined ? 'an Allow statement' : `statement ${JSON.stringify(statement.sid)}`;
  const judged = statement.actions.map((a) => [a, ACTION_RESOURCE_TYPES.get(a.toLowerCase())] as const).filter(([, t]) => t !== undefined) as [string, readonly RegExp[]][];
  if (judged.length === 0) return [];
  const resources = statement.resources.map((r) => [r, r === '*' ? '*' : sample(r)] as const);
  const known = resources.filter(([, s]) => s !== undefined) as [string, string][];
  const fits = (types: readonly RegExp[], s: string) => (types.length === 0 ? s === '*' : types.some((t) => t.test(s)));
  const problems: string[] = [];
  if (known.length === resources.length) {
    for (const [action, types] of judged) {
      if (!known.some(([, s]) => fits(types, s))) {
        problems.push(`${label}: ${action} has no resource of a type it supports (${types.length === 0 ? 'only "*"' : 'see ACTION_RESOURCE_TYPES'}) among ${statement.resources.join(', ')}`);
      }
    }
  }
  if (judged.length === statement.actions.length) {
    for (const [resource, s] of known) {
      if (!judged.some(([, types]) => fits(types, s))) {
        problems.push(`${label}: resource ${resource} is of no type that ${judged.map(([a]) => a).join(', ')} act on`);
      }
    }
  }
  return problems;
}

/**
 * Every resource of an Allow statement is of a type its actions support, and every action has such a resource
 * (AWS Service Authorization Reference). Documents used only as resource or trust policies are not judged.
 */
export function evaluateIamResourceTypes(element: TfElement, context: PolicyContext): RuleResult {
  if (element.mode !== 'data' || element.type !== IAM_POLICY_DOCUMENT || isOnlySelfScoped(element, context)) return NOT_APPLICABLE;
  return verdict(statementsFromDocument(element.attributes).flatMap(resourceTypeProblems));
}

export const iamResourceTypes: PolicyRule = {
  id: 'iam-resource-types',
  title: 'IAM statements name resources of the types their actions act on',
  appliesTo: [`data.${IAM_POLICY_DOCUMENT}`],
  fix: 'Give each action the ARN of the resource type the Service Authorization Reference lists for it (log-stream ARNs `<group arn>:log-stream:*` for logs:CreateLogStream and logs:PutLogEvents, `*` only for actions without a resource type such as logs:DescribeLogGroups); drop resources no action acts on.',
  evaluate: evaluateIamResourceTypes,
};
