import { blocks, stringList } from '../terraform';
import { NOT_APPLICABLE, verdict, type PolicyRule, type RuleResult, type TfElement } from '../types';

export const WORLD_CIDRS: readonly string[] = ['0.0.0.0/0', '::/0'];

function worldCidrs(...lists: readonly (readonly string[])[]): readonly string[] {
  return lists.flat().filter((cidr) => WORLD_CIDRS.includes(cidr.trim()));
}

/**
 * Nothing in this design is reachable from the internet: the ALB is internal and tasks sit in private subnets, so
 * any ingress from 0.0.0.0/0 or ::/0 is a mistake. Checks every way the provider can express an ingress rule.
 */
export function evaluateSgNoWorldIngress(element: TfElement): RuleResult {
  const { attributes } = element;
  switch (element.type) {
    case 'aws_security_group':
      return verdict(
        blocks(attributes['ingress']).flatMap((rule, index) =>
          worldCidrs(stringList(rule['cidr_blocks']), stringList(rule['ipv6_cidr_blocks'])).map(
            (cidr) => `inline ingress[${index}] allows ${cidr}`,
          ),
        ),
      );
    case 'aws_security_group_rule':
      if (attributes['type'] !== 'ingress') {
        return NOT_APPLICABLE;
      }
      return verdict(
        worldCidrs(stringList(attributes['cidr_blocks']), stringList(attributes['ipv6_cidr_blocks'])).map(
          (cidr) => `ingress rule allows ${cidr}`,
        ),
      );
    case 'aws_vpc_security_group_ingress_rule':
      return verdict(
        worldCidrs(stringList(attributes['cidr_ipv4']), stringList(attributes['cidr_ipv6'])).map(
          (cidr) => `ingress rule allows ${cidr}`,
        ),
      );
    default:
      return NOT_APPLICABLE;
  }
}

export const sgNoWorldIngress: PolicyRule = {
  id: 'sg-no-world-ingress',
  title: 'No security group ingress from 0.0.0.0/0 or ::/0',
  appliesTo: ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
  fix: 'Allow ingress from the calling security group (referencedSecurityGroupId / sourceSecurityGroupId) or from the VPC / client CIDRs only.',
  evaluate: evaluateSgNoWorldIngress,
};
