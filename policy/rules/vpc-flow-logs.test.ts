import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { vpcFlowLogs } from './vpc-flow-logs';

const vpc = tfElement('aws_vpc.vpc', { cidr_block: '10.0.0.0/16' });

describe('vpc-flow-logs', () => {
  test('a VPC with a flow log referencing it is compliant', () => {
    const flowLog = tfElement('aws_flow_log.fl', { vpc_id: '${aws_vpc.vpc.id}', traffic_type: 'ALL' });
    expect(evaluateIn(vpcFlowLogs, vpc, [flowLog])).toEqual(COMPLIANT);
  });

  test('a VPC whose only flow log watches another VPC is non-compliant', () => {
    const other = tfElement('aws_flow_log.fl', { vpc_id: '${aws_vpc.vpc-2.id}', traffic_type: 'ALL' });
    // `data.aws_vpc.vpc` is a different element than `aws_vpc.vpc`.
    const lookalike = tfElement('aws_flow_log.fl2', { vpc_id: '${data.aws_vpc.vpc.id}' });
    expect(findingsOf(evaluateIn(vpcFlowLogs, vpc, [other, lookalike]))).toEqual([
      'no aws_flow_log in the stack has vpc_id referencing aws_vpc.vpc',
    ]);
  });
});
