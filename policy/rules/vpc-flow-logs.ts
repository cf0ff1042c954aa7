import { refersTo } from '../terraform';
import { COMPLIANT, nonCompliant, type PolicyContext, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** Without flow logs there is no record of who talked to the gateway or the database (CIS AWS 3.9). */
export function evaluateVpcFlowLogs(element: TfElement, context: PolicyContext): RuleResult {
  const covered = context
    .ofType('aws_flow_log')
    .some((flowLog) => refersTo(flowLog.attributes['vpc_id'], element.address));
  return covered ? COMPLIANT : nonCompliant(`no aws_flow_log in the stack has vpc_id referencing ${element.address}`);
}

export const vpcFlowLogs: PolicyRule = {
  id: 'vpc-flow-logs',
  title: 'Every VPC has flow logs',
  appliesTo: ['aws_vpc'],
  fix: 'Add a FlowLog with vpcId: vpc.id, trafficType "ALL" (or at least "REJECT") and a CloudWatch log group destination with retention, in the same stack as the VPC.',
  evaluate: evaluateVpcFlowLogs,
};
