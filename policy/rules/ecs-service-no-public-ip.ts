import { firstBlock, isTrue } from '../terraform';
import { COMPLIANT, nonCompliant, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** Fargate tasks reach ECR, Bedrock and Secrets Manager through NAT or VPC endpoints, never with their own public IP. */
export function evaluateEcsServiceNoPublicIp(element: TfElement): RuleResult {
  const network = firstBlock(element.attributes['network_configuration']);
  return isTrue(network?.['assign_public_ip']) ? nonCompliant('network_configuration.assign_public_ip is true') : COMPLIANT;
}

export const ecsServiceNoPublicIp: PolicyRule = {
  id: 'ecs-service-no-public-ip',
  title: 'ECS services do not assign public IPs to tasks',
  appliesTo: ['aws_ecs_service'],
  fix: 'Remove assignPublicIp (defaults to false) and run the service in private subnets with a NAT gateway or VPC endpoints.',
  evaluate: evaluateEcsServiceNoPublicIp,
};
