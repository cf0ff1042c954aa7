import { Construct } from 'constructs';
import { BudgetsBudget, BudgetsBudgetNotification } from '@cdktf/provider-aws/lib/budgets-budget';
import { BudgetsBudgetAction } from '@cdktf/provider-aws/lib/budgets-budget-action';
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { createServiceRole } from '../service-role';

/** The service principal AWS Budgets publishes notifications as. */
export const BUDGETS_PRINCIPAL = 'budgets.amazonaws.com';
/** Budgets accepts at most five notifications per budget (AWS Budgets quotas). */
export const MAX_BUDGET_NOTIFICATIONS = 5;

export interface SpendBudgetsProps {
  /** Prefix of the budget names (`<prefix>-bedrock`, `<prefix>-total`); budget names are unique per account. */
  readonly namePrefix: string;
  /** The encrypted SNS topic the notifications go to; this construct writes its topic policy. */
  readonly topicArn: string;
  readonly accountId: string;
  readonly partition: string;
  /** Region of the topic (and of the CloudWatch alarms that publish to it). */
  readonly region: string;
  /** Monthly USD limit of the Bedrock budget. */
  readonly bedrockMonthlyUsd: number;
  /** Cost Explorer SERVICE values summed by the Bedrock budget, e.g. `Amazon Bedrock`. */
  readonly bedrockServices: readonly string[];
  /** Monthly USD limit of the environment's budget. */
  readonly totalMonthlyUsd: number;
  /** The environment's cost allocation tag: `{ key: 'env', value: 'dev' }` filters on `user:env$dev`. */
  readonly environmentTag: { readonly key: string; readonly value: string };
  /** ACTUAL notifications at these percentages; a FORECASTED one at 100 % is added. */
  readonly thresholdsPercent: readonly number[];
}

/**
 * The key-policy statement that lets AWS Budgets publish to a topic encrypted with a customer managed key: SNS asks
 * KMS for a data key on the publisher's behalf (AWS Budgets user guide, "Creating an Amazon SNS topic for budget
 * notifications", troubleshooting encrypted topics). The key policy belongs to the key's owner, so it is a function
 * the owner includes rather than a resource of this construct.
 */
export function budgetsKeyPolicyStatement(props: { readonly accountId: string; readonly partition: string }): DataAwsIamPolicyDocumentStatement {
  return {
    sid: 'BudgetsPublish',
    principals: [{ type: 'Service', identifiers: [BUDGETS_PRINCIPAL] }],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    condition: [
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.accountId] },
      { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${props.partition}:budgets::${props.accountId}:*`] },
    ],
  };
}

/** ACTUAL notifications at each threshold plus a FORECASTED one at 100 %, deduplicated, all to the topic. */
export function budgetNotifications(thresholdsPercent: readonly number[], topicArn: string): BudgetsBudgetNotification[] {
  const entries = [...new Set(thresholdsPercent)].sort((a, b) => a - b).map((threshold) => ({ type: 'ACTUAL', threshold }));
  entries.push({ type: 'FORECASTED', threshold: 100 });
  if (entries.length > MAX_BUDGET_NOTIFICATIONS) {
    throw new Error(
      `budgets: ${entries.length} notifications (thresholds ${thresholdsPercent.join(', ')} plus a forecast at 100 %); ` +
        `AWS Budgets allows at most ${MAX_BUDGET_NOTIFICATIONS} per budget`,
    );
  }
  return entries.map((e) => ({
    comparisonOperator: 'GREATER_THAN',
    notificationType: e.type,
    threshold: e.threshold,
    thresholdType: 'PERCENTAGE',
    subscriberSnsTopicArns: [topicArn],
  }));
}

/**
 * A spend backstop independent of LiteLLM (whose own budgets are known to fail open): an AWS Budgets cost budget on
 * Bedrock and one on the environment's tagged resources, both notifying the alarm topic, and the topic policy that
 * lets Budgets (and CloudWatch alarms) publish, each only for this account.
 *
 * Budgets are account-wide: the Bedrock budget sees every environment's Bedrock calls in the account (Bedrock
 * invocations carry no resource tag). The environment budget sees only resources carrying the tag, once the tag is
 * activated as a cost allocation tag in Billing. docs/cost.md.
 */
export interface SpendBudgets {
  readonly bedrock: BudgetsBudget;
  readonly total: BudgetsBudget;
  readonly topicPolicy: SnsTopicPolicy;
}

/**
 * Creates the budgets and the topic policy in `scope` (the observability stack), with flat construct ids like the
 * other modules (`budget-bedrock`, `budget-total`, `alarm-topic-policy`), so their Terraform addresses stay short.
 */
export function createSpendBudgets(scope: Construct, props: SpendBudgetsProps): SpendBudgets {
  if (props.bedrockServices.length === 0) throw new Error('budgets: bedrockServices is empty; expected at least one Cost Explorer service name');
  const notification = budgetNotifications(props.thresholdsPercent, props.topicArn);
  const budget = (constructId: string, suffix: string, limit: number, filter: { name: string; values: string[] }) =>
    new BudgetsBudget(scope, `budget-${constructId}`, {
      name: `${props.namePrefix}-${suffix}`,
      accountId: props.accountId,
      budgetType: 'COST',
      timeUnit: 'MONTHLY',
      limitAmount: limit.toFixed(2),
      limitUnit: 'USD',
      costFilter: [filter],
      notification,
    });
  const bedrock = budget('bedrock', 'bedrock', props.bedrockMonthlyUsd, { name: 'Service', values: [...props.bedrockServices] });
  // Budgets' tag filter value is `user:<key>$<value>` (user-defined cost allocation tags carry the user: prefix).
  const total = budget('total', 'total', props.totalMonthlyUsd, {
    name: 'TagKeyValue',
    values: [`user:${props.environmentTag.key}$${props.environmentTag.value}`],
  });

  // Setting a topic policy replaces SNS's default one, so the account's own access and CloudWatch's are restated.
  const account = props.accountId;
  const policy = new DataAwsIamPolicyDocument(scope, 'alarm-topic-policy-document', {
    statement: [
      {
        sid: 'AccountManagesTopic',
        principals: [{ type: 'AWS', identifiers: [`arn:${props.partition}:iam::${account}:root`] }],
        actions: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        resources: [props.topicArn],
      },
      {
        // CloudWatch alarms publish as the service principal (CloudWatch user guide, SNS topic policy for alarms).
        sid: 'CloudWatchAlarmsPublish',
        principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
        actions: ['SNS:Publish'],
        resources: [props.topicArn],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: [account] },
          { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${props.partition}:cloudwatch:${props.region}:${account}:alarm:*`] },
        ],
      },
      {
        // AWS Budgets user guide, "Creating an Amazon SNS topic for budget notifications".
        sid: 'BudgetsPublish',
        principals: [{ type: 'Service', identifiers: [BUDGETS_PRINCIPAL] }],
        actions: ['SNS:Publish'],
        resources: [props.topicArn],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: [account] },
          { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${props.partition}:budgets::${account}:*`] },
        ],
      },
    ],
  });
  const topicPolicy = new SnsTopicPolicy(scope, 'alarm-topic-policy', { arn: props.topicArn, policy: policy.json });
  return { bedrock, total, topicPolicy };
}

/**
 * The Bedrock actions the hard stop denies. Converse and ConverseStream are authorized as InvokeModel and
 * InvokeModelWithResponseStream (Bedrock user guide, "Carry out a conversation with the Converse API operations":
 * "requires permissions for the bedrock:InvokeModel action"), so these two cover every runtime call LiteLLM makes.
 */
export const HARD_STOP_DENIED_ACTIONS: readonly string[] = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

export interface BedrockHardStopProps {
  /** The Bedrock budget the action belongs to (its spend is the bill's: every Bedrock call of the account). */
  readonly budget: BudgetsBudget;
  /** USD of the month's ACTUAL Bedrock spend past which the deny policy is attached. */
  readonly ceilingUsd: number;
  /** The gateway's task role: what the deny policy is attached to, and the only role the action may touch. */
  readonly taskRoleName: string;
  readonly taskRoleArn: string;
  /** The alarm topic: Budgets notifies it when the action runs. */
  readonly topicArn: string;
  readonly accountId: string;
  readonly partition: string;
  /** Physical names: the deny policy's and the execution role's (and its inline policy's). */
  readonly policyName: string;
  readonly roleName: string;
}

export interface BedrockHardStop {
  readonly action: BudgetsBudgetAction;
  /** The customer managed policy the action attaches: Deny on HARD_STOP_DENIED_ACTIONS. */
  readonly denyPolicy: IamPolicy;
  /** The role AWS Budgets assumes to attach (and, on recovery, detach) it. */
  readonly executionRole: IamRole;
  readonly executionRolePolicy: IamRolePolicy;
}

/**
 * A hard backstop that does not trust the gateway: once the month's actual Bedrock spend passes the ceiling, AWS
 * Budgets attaches a policy denying Bedrock invocation to the gateway's task role (APPLY_IAM_POLICY, automatic
 * approval). An explicit Deny wins over the task role's Allow, so every completion fails until someone detaches it.
 *
 * Budgets runs the action with an execution role trusted by budgets.amazonaws.com only for this account's budgets
 * (aws:SourceAccount, aws:SourceArn) and allowed exactly iam:AttachRolePolicy / iam:DetachRolePolicy on the task role
 * with this policy (iam:PolicyARN). AWS Budgets user guide, "Setting up a role for AWS Budgets to run budget actions"
 * (https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-action-role.html) and its example policy
 * "Allow AWS Budgets to apply IAM policies and SCPs" (billing-example-policies.html#example-budgets-IAM-SCP).
 *
 * Budgets' spend is the bill's, refreshed a few times a day (AWS Budgets API reference: "AWS updates your budget status
 * several times a day"), so it acts hours after the spend, never in real time: LiteLLM's per-key budgets are the fast,
 * soft limit; this is the slow, hard one. Recovery: docs/runbook.md#bedrock-hard-stop.
 */
export function createBedrockHardStop(scope: Construct, props: BedrockHardStopProps): BedrockHardStop {
  const { accountId, partition } = props;
  const deny = new DataAwsIamPolicyDocument(scope, 'bedrock-hard-stop-policy-document', {
    statement: [{ sid: 'BedrockHardStop', effect: 'Deny', actions: [...HARD_STOP_DENIED_ACTIONS], resources: ['*'] }],
  });
  const denyPolicy = new IamPolicy(scope, 'bedrock-hard-stop-policy', {
    name: props.policyName,
    description: 'Attached by the AWS Budgets hard stop when Bedrock spend passes its ceiling: denies Bedrock invocation',
    policy: deny.json,
  });
  const { role: executionRole, policy: executionRolePolicy } = createServiceRole(scope, {
    ids: { trust: 'bedrock-hard-stop-trust', role: 'bedrock-hard-stop-role', document: 'bedrock-hard-stop-role-document', policy: 'bedrock-hard-stop-role-policy' },
    name: props.roleName,
    description: 'Assumed by AWS Budgets to attach or detach the Bedrock hard-stop policy on the gateway task role',
    trust: [
      {
        principals: [{ type: 'Service', identifiers: [BUDGETS_PRINCIPAL] }],
        actions: ['sts:AssumeRole'],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] },
          // The budget and its actions: arn:<partition>:budgets::<account>:budget/<name>[/action/<id>].
          { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${partition}:budgets::${accountId}:budget/${props.budget.name}*`] },
        ],
      },
    ],
    statements: [
      {
        sid: 'AttachTheDenyPolicyToTheTaskRoleOnly',
        actions: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
        resources: [props.taskRoleArn],
        condition: [{ test: 'ArnEquals', variable: 'iam:PolicyARN', values: [denyPolicy.arn] }],
      },
    ],
    policyName: props.roleName,
  });
  const action = new BudgetsBudgetAction(scope, 'bedrock-hard-stop', {
    accountId,
    budgetName: props.budget.name,
    actionType: 'APPLY_IAM_POLICY',
    approvalModel: 'AUTOMATIC',
    notificationType: 'ACTUAL',
    actionThreshold: { actionThresholdType: 'ABSOLUTE_VALUE', actionThresholdValue: props.ceilingUsd },
    definition: { iamActionDefinition: { policyArn: denyPolicy.arn, roles: [props.taskRoleName] } },
    executionRoleArn: executionRole.arn,
    subscriber: [{ subscriptionType: 'SNS', address: props.topicArn }],
    dependsOn: [executionRolePolicy],
  });
  return { action, denyPolicy, executionRole, executionRolePolicy };
}
