/**
 * An IAM role that an AWS service assumes, with one inline policy: the trust document, the role, the permissions
 * document and the inline policy, created in that order. The gateway's execution and task roles, the Budgets
 * hard-stop role and the Bedrock invocation-logging role are all built this way. The construct ids are Terraform
 * addresses, so each caller names its own.
 */
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';

export interface ServiceRoleIds {
  /** The trust policy document (a data source). */
  readonly trust: string;
  readonly role: string;
  /** The permissions document (a data source). */
  readonly document: string;
  /** The inline policy. */
  readonly policy: string;
}

export interface ServiceRoleProps {
  readonly ids: ServiceRoleIds;
  readonly name: string;
  readonly description: string;
  /** Who may assume the role, and under which conditions: the trust policy's statements, as given. */
  readonly trust: DataAwsIamPolicyDocumentStatement[];
  /** What the role may do: the inline policy's statements. */
  readonly statements: DataAwsIamPolicyDocumentStatement[];
  readonly policyName: string;
}

export interface ServiceRole {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
}

export function createServiceRole(scope: Construct, props: ServiceRoleProps): ServiceRole {
  const trust = new DataAwsIamPolicyDocument(scope, props.ids.trust, { statement: props.trust });
  const role = new IamRole(scope, props.ids.role, { name: props.name, description: props.description, assumeRolePolicy: trust.json });
  const document = new DataAwsIamPolicyDocument(scope, props.ids.document, { statement: props.statements });
  const policy = new IamRolePolicy(scope, props.ids.policy, { name: props.policyName, role: role.id, policy: document.json });
  return { role, policy };
}
