import { isTrue, tagValue } from '../terraform';
import { COMPLIANT, nonCompliant, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** The tag that marks a subnet as intentionally public (the project tags subnets `Tier: public|private`). */
export const TIER_TAG = 'Tier';
export const PUBLIC_TIER = 'public';

/**
 * Tasks and databases live in private subnets; a private subnet that hands out public IPs makes anything launched
 * there reachable once a route to an internet gateway appears. Public subnets (NAT gateways) are exempt by tag.
 */
export function evaluateSubnetNoPublicIp(element: TfElement): RuleResult {
  if (!isTrue(element.attributes['map_public_ip_on_launch'])) {
    return COMPLIANT;
  }
  const tier = tagValue(element.attributes, TIER_TAG);
  return tier?.toLowerCase() === PUBLIC_TIER
    ? COMPLIANT
    : nonCompliant(`map_public_ip_on_launch is true but the subnet is not tagged ${TIER_TAG}=${PUBLIC_TIER} (tag: ${tier ?? 'none'})`);
}

export const subnetNoPublicIp: PolicyRule = {
  id: 'subnet-no-public-ip',
  title: 'Only subnets tagged Tier=public assign public IPs',
  appliesTo: ['aws_subnet'],
  fix: 'Leave mapPublicIpOnLaunch unset (false) on private subnets; if the subnet really is public, tag it Tier: "public".',
  evaluate: evaluateSubnetNoPublicIp,
};
