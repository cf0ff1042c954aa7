import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { ecsServiceNoPublicIp } from './ecs-service-no-public-ip';

describe('ecs-service-no-public-ip', () => {
  test('a service in private subnets without public IPs is compliant', () => {
    const service = tfElement('aws_ecs_service.gw', { network_configuration: { subnets: ['s'], assign_public_ip: false } });
    expect(evaluateIn(ecsServiceNoPublicIp, service)).toEqual(COMPLIANT);
  });

  test('a service assigning public IPs is non-compliant', () => {
    const service = tfElement('aws_ecs_service.gw', { network_configuration: [{ subnets: ['s'], assign_public_ip: true }] });
    expect(findingsOf(evaluateIn(ecsServiceNoPublicIp, service))).toEqual(['network_configuration.assign_public_ip is true']);
  });
});
