import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { vpcDefaultSgClosed } from './vpc-default-sg-closed';

const vpc = tfElement('aws_vpc.vpc', { cidr_block: '10.0.0.0/16' });

describe('vpc-default-sg-closed', () => {
  test.each([
    ['no rule blocks', { vpc_id: '${aws_vpc.vpc.id}' }],
    ['empty rule lists', { vpc_id: '${aws_vpc.vpc.id}', ingress: [], egress: [] }],
  ])('an adopted default group with %s is compliant', (_, attributes) => {
    expect(evaluateIn(vpcDefaultSgClosed, vpc, [tfElement('aws_default_security_group.default', attributes)])).toEqual(
      COMPLIANT,
    );
  });

  test('a VPC without aws_default_security_group is non-compliant', () => {
    expect(findingsOf(evaluateIn(vpcDefaultSgClosed, vpc))).toEqual([
      'no aws_default_security_group in the stack has vpc_id referencing aws_vpc.vpc',
    ]);
  });

  test('an adopted default group that keeps rules is non-compliant', () => {
    const open = tfElement('aws_default_security_group.default', {
      vpc_id: '${aws_vpc.vpc.id}',
      ingress: [{ protocol: '-1', self: true, from_port: 0, to_port: 0 }],
    });
    expect(findingsOf(evaluateIn(vpcDefaultSgClosed, vpc, [open]))).toEqual([
      'aws_default_security_group.default still has ingress rules',
    ]);
  });
});
