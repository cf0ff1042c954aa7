import { NOT_CALLED, interfaceEndpointServices } from './index';

describe('the AWS APIs the task calls (one list for the endpoints mode and the cost comparison)', () => {
  test('GIVEN ECS Exec THEN Bedrock runtime, both ECR endpoints, Logs, Secrets Manager and SSM messages', () => {
    expect(interfaceEndpointServices({ ecsExec: true }).map((s) => s.service)).toEqual(['bedrock-runtime', 'ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssmmessages']);
  });

  test('GIVEN no ECS Exec THEN no SSM messages endpoint (the task role has no SSM channel either)', () => {
    expect(interfaceEndpointServices({ ecsExec: false }).map((s) => s.service)).not.toContain('ssmmessages');
  });

  test('construct ids are distinct and Terraform-safe; every endpoint says who calls it; nothing listed as not called is created', () => {
    const services = interfaceEndpointServices({ ecsExec: true });
    expect(new Set(services.map((s) => s.id)).size).toBe(services.length);
    for (const s of services) {
      expect(s.id).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(s.callers.length).toBeGreaterThan(10);
    }
    const notCalled = NOT_CALLED.flatMap((n) => n.service.split(', '));
    expect(services.filter((s) => notCalled.includes(s.service))).toEqual([]);
  });
});
