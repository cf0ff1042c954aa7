import { asString, blocks, isNonEmptyString } from '../terraform';
import { NOT_APPLICABLE, verdict, type JsonObject, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** What the AWS provider writes when a security group has no description: present, but says nothing. */
export const PROVIDER_DEFAULT_DESCRIPTION = 'Managed by Terraform';

const RULE_TYPES: readonly string[] = [
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
];

function ruleLabel(direction: string, index: number, rule: JsonObject): string {
  const from = rule['from_port'];
  const to = rule['to_port'];
  const ports = from === to ? `${String(from)}` : `${String(from)}-${String(to)}`;
  return `${direction}[${index}] (${asString(rule['protocol']) ?? '?'} ${ports})`;
}

/**
 * A reviewer (and the console) only learns why a port is open from the description; the provider default
 * "Managed by Terraform" does not count. Inline `ingress` / `egress` blocks need one each.
 */
export function evaluateSgDescription(element: TfElement): RuleResult {
  const { attributes } = element;
  if (RULE_TYPES.includes(element.type)) {
    return verdict(isNonEmptyString(attributes['description']) ? [] : ['the rule has no description']);
  }
  if (element.type !== 'aws_security_group') {
    return NOT_APPLICABLE;
  }
  const problems: string[] = [];
  const description = attributes['description'];
  if (!isNonEmptyString(description) || description.trim() === PROVIDER_DEFAULT_DESCRIPTION) {
    problems.push('the security group has no description of its own');
  }
  for (const direction of ['ingress', 'egress']) {
    blocks(attributes[direction]).forEach((rule, index) => {
      if (!isNonEmptyString(rule['description'])) {
        problems.push(`inline ${ruleLabel(direction, index, rule)} has no description`);
      }
    });
  }
  return verdict(problems);
}

export const sgDescription: PolicyRule = {
  id: 'sg-description',
  title: 'Security groups and their rules have descriptions',
  appliesTo: ['aws_security_group', ...RULE_TYPES],
  fix: 'Set description on the security group and on every rule, saying who talks to whom and why (e.g. "ALB to LiteLLM on 4000").',
  evaluate: evaluateSgDescription,
};
