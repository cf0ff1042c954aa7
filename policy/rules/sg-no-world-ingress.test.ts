import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT, NOT_APPLICABLE } from '../types';
import { sgNoWorldIngress } from './sg-no-world-ingress';

describe('sg-no-world-ingress', () => {
  test.each([
    ['aws_vpc_security_group_ingress_rule.vpc', { cidr_ipv4: '${aws_vpc.vpc.cidr_block}' }],
    ['aws_vpc_security_group_ingress_rule.sg', { referenced_security_group_id: '${aws_security_group.alb.id}' }],
    ['aws_security_group_rule.in', { type: 'ingress', cidr_blocks: ['10.0.0.0/8'] }],
    ['aws_security_group.g', { ingress: [{ cidr_blocks: ['10.0.0.0/16'], ipv6_cidr_blocks: null }] }],
  ])('%s from a private source is compliant', (address, attributes) => {
    expect(evaluateIn(sgNoWorldIngress, tfElement(address, attributes))).toEqual(COMPLIANT);
  });

  test.each([
    ['aws_vpc_security_group_ingress_rule.any4', { cidr_ipv4: '0.0.0.0/0' }, 'ingress rule allows 0.0.0.0/0'],
    ['aws_vpc_security_group_ingress_rule.any6', { cidr_ipv6: '::/0' }, 'ingress rule allows ::/0'],
    ['aws_security_group_rule.any', { type: 'ingress', cidr_blocks: ['10.0.0.0/8', '0.0.0.0/0'] }, 'ingress rule allows 0.0.0.0/0'],
    ['aws_security_group.g', { ingress: [{ cidr_blocks: null, ipv6_cidr_blocks: ['::/0'] }] }, 'inline ingress[0] allows ::/0'],
  ])('%s from anywhere is non-compliant', (address, attributes, finding) => {
    expect(findingsOf(evaluateIn(sgNoWorldIngress, tfElement(address, attributes)))).toEqual([finding]);
  });

  test('egress to anywhere is not this rule’s concern', () => {
    const egress = tfElement('aws_security_group_rule.out', { type: 'egress', cidr_blocks: ['0.0.0.0/0'] });
    expect(evaluateIn(sgNoWorldIngress, egress)).toEqual(NOT_APPLICABLE);
    const group = tfElement('aws_security_group.g', { egress: [{ cidr_blocks: ['0.0.0.0/0'] }] });
    expect(evaluateIn(sgNoWorldIngress, group)).toEqual(COMPLIANT);
  });
});
