import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { subnetNoPublicIp } from './subnet-no-public-ip';

describe('subnet-no-public-ip', () => {
  test.each([
    ['a private subnet without public IPs', { map_public_ip_on_launch: false, tags: { Tier: 'private' } }],
    ['a subnet leaving the default (false)', {}],
    ['a subnet tagged Tier=public assigning public IPs', { map_public_ip_on_launch: true, tags: { Tier: 'public' } }],
  ])('%s is compliant', (_, attributes) => {
    expect(evaluateIn(subnetNoPublicIp, tfElement('aws_subnet.s', attributes))).toEqual(COMPLIANT);
  });

  test.each([
    ['tagged private', { map_public_ip_on_launch: true, tags: { Tier: 'private' } }, 'private'],
    ['untagged', { map_public_ip_on_launch: true }, 'none'],
  ])('a subnet %s assigning public IPs is non-compliant', (_, attributes, tag) => {
    expect(findingsOf(evaluateIn(subnetNoPublicIp, tfElement('aws_subnet.s', attributes)))).toEqual([
      `map_public_ip_on_launch is true but the subnet is not tagged Tier=public (tag: ${tag})`,
    ]);
  });
});
