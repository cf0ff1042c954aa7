import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { sgDescription } from './sg-description';

describe('sg-description', () => {
  test('a described group with described inline rules is compliant', () => {
    const group = tfElement('aws_security_group.alb', {
      description: 'Internal ALB',
      ingress: [{ description: 'HTTPS from the VPC', from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['10.0.0.0/16'] }],
      egress: [{ description: 'To tasks', from_port: 4000, to_port: 4000, protocol: 'tcp', security_groups: ['sg-1'] }],
    });
    expect(evaluateIn(sgDescription, group)).toEqual(COMPLIANT);
  });

  test.each(['aws_security_group_rule.r', 'aws_vpc_security_group_ingress_rule.r', 'aws_vpc_security_group_egress_rule.r'])(
    'a described %s is compliant',
    (address) => {
      expect(evaluateIn(sgDescription, tfElement(address, { description: 'From the ALB, proxy port' }))).toEqual(COMPLIANT);
    },
  );

  test('a group with the provider default description and an undescribed inline rule is non-compliant', () => {
    const group = tfElement('aws_security_group.db', {
      description: 'Managed by Terraform',
      ingress: [{ description: null, from_port: 5432, to_port: 5432, protocol: 'tcp', security_groups: ['sg-1'] }],
    });
    expect(findingsOf(evaluateIn(sgDescription, group))).toEqual([
      'the security group has no description of its own',
      'inline ingress[0] (tcp 5432) has no description',
    ]);
  });

  test.each([
    ['aws_vpc_security_group_ingress_rule.r', {}],
    ['aws_vpc_security_group_egress_rule.r', { description: '   ' }],
    ['aws_security_group_rule.r', { description: '' }],
  ])('%s without a description is non-compliant', (address, attributes) => {
    expect(findingsOf(evaluateIn(sgDescription, tfElement(address, attributes)))).toEqual(['the rule has no description']);
  });
});
