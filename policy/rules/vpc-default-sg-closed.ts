import { blocks, refersTo } from '../terraform';
import { nonCompliant, verdict, type PolicyContext, type PolicyRule, type RuleResult, type TfElement } from '../types';

/**
 * AWS creates every VPC with a default security group that allows all traffic between its members and all egress.
 * Anything launched without an explicit group lands in it. Managing it with aws_default_security_group and no
 * rules makes Terraform strip those rules (CIS AWS 5.4).
 */
export function evaluateVpcDefaultSgClosed(element: TfElement, context: PolicyContext): RuleResult {
  const defaults = context
    .ofType('aws_default_security_group')
    .filter((group) => refersTo(group.attributes['vpc_id'], element.address));
  if (defaults.length === 0) {
    return nonCompliant(`no aws_default_security_group in the stack has vpc_id referencing ${element.address}`);
  }
  return verdict(
    defaults.flatMap((group) =>
      ['ingress', 'egress']
        .filter((direction) => blocks(group.attributes[direction]).length > 0)
        .map((direction) => `${group.address} still has ${direction} rules`),
    ),
  );
}

export const vpcDefaultSgClosed: PolicyRule = {
  id: 'vpc-default-sg-closed',
  title: "Every VPC's default security group is adopted and has no rules",
  appliesTo: ['aws_vpc'],
  fix: 'Add a DefaultSecurityGroup with vpcId: vpc.id and no ingress/egress blocks (Terraform then removes the default allow-all rules).',
  evaluate: evaluateVpcDefaultSgClosed,
};
