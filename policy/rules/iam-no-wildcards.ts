import {
  IAM_POLICY_DOCUMENT,
  readPolicyArgument,
  statementsFromDocument,
  type PolicyArgument,
  type PolicyStatement,
} from '../iam';
import { blocks, refersTo } from '../terraform';
import {
  NOT_APPLICABLE,
  verdict,
  type PolicyContext,
  type PolicyRule,
  type RuleResult,
  type TfElement,
} from '../types';

/**
 * Actions that AWS only authorizes on `"Resource": "*"` (no resource type in the Service Authorization
 * Reference), with the reason. Only these may be granted on `*`, and only in a statement of their own.
 *
 * Deliberately NOT listed, because they accept ARNs:
 * - logs:CreateLogGroup: `arn:aws:logs:<region>:<account>:log-group:<name>`; logs:CreateLogStream, logs:PutLogEvents:
 *   its streams, `...:log-group:<name>:log-stream:<stream>` (Service Authorization Reference, CloudWatch Logs).
 * - bedrock:InvokeModel*: foundation-model and inference-profile ARNs (see docs/design.md#cross-region-iam).
 * - secretsmanager:GetSecretValue, kms:Decrypt, rds-db:connect: secret, key and db-user ARNs.
 */
export const STAR_ONLY_ACTIONS: ReadonlyMap<string, string> = new Map([
  ['ecr:GetAuthorizationToken', 'returns a registry-wide docker login token; ECR defines no resource type for it'],
  ['ssmmessages:CreateControlChannel', 'ECS Exec session channel; Amazon Message Gateway Service defines no resource types'],
  ['ssmmessages:CreateDataChannel', 'ECS Exec session channel; Amazon Message Gateway Service defines no resource types'],
  ['ssmmessages:OpenControlChannel', 'ECS Exec session channel; Amazon Message Gateway Service defines no resource types'],
  ['ssmmessages:OpenDataChannel', 'ECS Exec session channel; Amazon Message Gateway Service defines no resource types'],
  ['aws-marketplace:Subscribe', 'AWS Marketplace defines no resource type; narrow it with the aws-marketplace:ProductId condition key'],
  ['aws-marketplace:ViewSubscriptions', 'AWS Marketplace defines no resource type for it'],
  ['logs:DescribeLogGroups', 'lists the account\'s log groups (no one group named); the ECS Exec docs grant it to the task role on * for session logging'],
  ['cloudwatch:PutMetricData', 'metrics have no ARN; narrow it with the cloudwatch:namespace condition key instead'],
  ['xray:PutTraceSegments', 'X-Ray write API without a resource type (AWSXRayDaemonWriteAccess grants it on *)'],
  ['xray:PutTelemetryRecords', 'X-Ray write API without a resource type (AWSXRayDaemonWriteAccess grants it on *)'],
  ['xray:GetSamplingRules', 'X-Ray sampling API without a resource type (AWSXRayDaemonWriteAccess grants it on *)'],
  ['xray:GetSamplingTargets', 'X-Ray sampling API without a resource type (AWSXRayDaemonWriteAccess grants it on *)'],
  ['xray:GetSamplingStatisticSummaries', 'X-Ray sampling API without a resource type (AWSXRayDaemonWriteAccess grants it on *)'],
]);

// IAM action names are case-insensitive.
const STAR_ONLY = new Set([...STAR_ONLY_ACTIONS.keys()].map((action) => action.toLowerCase()));

/**
 * Policy arguments of resource-based policies in which `"Resource": "*"` means "this resource" (a KMS key policy
 * must say `*`), plus trust policies, which have no Resource at all. A document used only here may name `*`.
 */
const SELF_SCOPED_ARGUMENTS: readonly (readonly [type: string, argument: string])[] = [
  ['aws_kms_key', 'policy'],
  ['aws_kms_key_policy', 'policy'],
  ['aws_secretsmanager_secret', 'policy'],
  ['aws_secretsmanager_secret_policy', 'policy'],
  ['aws_ecr_repository_policy', 'policy'],
  ['aws_iam_role', 'assume_role_policy'],
];

function isWildcardAction(action: string): boolean {
  return action === '*' || /^[a-z0-9-]+:\*$/i.test(action);
}

/** Problems of one statement; Deny statements narrow access and may use wildcards freely. */
export function statementProblems(statement: PolicyStatement, allowStarResource: boolean): readonly string[] {
  if (statement.effect !== 'Allow') {
    return [];
  }
  const label = statement.sid === undefined ? 'an Allow statement' : `statement ${JSON.stringify(statement.sid)}`;
  const problems: string[] = [];
  if (statement.notActions.length > 0) {
    problems.push(`${label} uses not_actions, which allows every other action`);
  }
  if (statement.notResources.length > 0) {
    problems.push(`${label} uses not_resources, which allows every other resource`);
  }
  const wildcards = statement.actions.filter(isWildcardAction);
  if (wildcards.length > 0) {
    problems.push(`${label} allows wildcard action(s) ${wildcards.join(', ')}`);
  }
  if (!allowStarResource && statement.resources.includes('*')) {
    const scoped = statement.actions.filter((action) => !STAR_ONLY.has(action.toLowerCase()) && !isWildcardAction(action));
    if (scoped.length > 0) {
      problems.push(`${label} allows ${scoped.join(', ')} on resource "*"`);
    }
  }
  return problems;
}

/** Whether every use of the document in the stack is a self-scoped resource policy or a trust policy. */
export function isOnlySelfScoped(document: TfElement, context: PolicyContext): boolean {
  const uses = context.elements.flatMap((element) =>
    Object.entries(element.attributes)
      .filter(([, value]) => refersTo(value, document.address))
      .map(([argument]) => [element.type, argument] as const),
  );
  return (
    uses.length > 0 &&
    uses.every(([type, argument]) => SELF_SCOPED_ARGUMENTS.some(([t, a]) => t === type && a === argument))
  );
}

function argumentProblems(argument: PolicyArgument, where: string): readonly string[] {
  switch (argument.kind) {
    case 'statements':
      return argument.statements.flatMap((statement) => statementProblems(statement, false)).map((p) => `${where}: ${p}`);
    case 'unverifiable':
      return [`${where}: ${argument.reason}`];
    case 'absent':
    case 'document':
      // A referenced data.aws_iam_policy_document is evaluated as an element of its own.
      return [];
  }
}

/**
 * Least privilege: no `*` / `service:*` actions and no `"Resource": "*"` in Allow statements, except for the
 * actions AWS only authorizes on `*`. Reads policy documents (the project's way) and plain JSON policies.
 */
export function evaluateIamNoWildcards(element: TfElement, context: PolicyContext): RuleResult {
  const { attributes } = element;
  if (element.mode === 'data') {
    if (element.type !== IAM_POLICY_DOCUMENT) {
      return NOT_APPLICABLE;
    }
    const allowStar = isOnlySelfScoped(element, context);
    const inlineSources = ['source_policy_documents', 'override_policy_documents'].flatMap((key) => {
      const value = attributes[key];
      return (Array.isArray(value) ? value : []).map(readPolicyArgument).flatMap((argument) =>
        argument.kind === 'statements' ? argument.statements : [],
      );
    });
    return verdict(
      [...statementsFromDocument(attributes), ...inlineSources].flatMap((statement) =>
        statementProblems(statement, allowStar),
      ),
    );
  }
  const policies =
    element.type === 'aws_iam_role'
      ? blocks(attributes['inline_policy']).map((inline, index) => ({
          where: `inline_policy[${index}]`,
          argument: readPolicyArgument(inline['policy']),
        }))
      : [{ where: 'policy', argument: readPolicyArgument(attributes['policy']) }];
  const readable = policies.filter(({ argument }) => argument.kind === 'statements' || argument.kind === 'unverifiable');
  if (readable.length === 0) {
    return NOT_APPLICABLE;
  }
  return verdict(readable.flatMap(({ where, argument }) => argumentProblems(argument, where)));
}

export const iamNoWildcards: PolicyRule = {
  id: 'iam-no-wildcards',
  title: 'IAM policies allow no wildcard actions and no "*" resources',
  appliesTo: [
    `data.${IAM_POLICY_DOCUMENT}`,
    'aws_iam_policy',
    'aws_iam_role_policy',
    'aws_iam_user_policy',
    'aws_iam_group_policy',
    'aws_iam_role',
  ],
  fix: 'List the exact actions and the ARNs they act on (e.g. resources: [secret.arn]); put actions that only work on "*" (see STAR_ONLY_ACTIONS in policy/rules/iam-no-wildcards.ts) in a statement of their own.',
  evaluate: evaluateIamNoWildcards,
};
