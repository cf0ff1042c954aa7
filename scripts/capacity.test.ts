import { capacityText } from './capacity';

describe('npm run capacity', () => {
  const text = capacityText(['dev', 'prod'], {});

  test('prints the contract of dev and prod: connections, timeouts, shared state, limits and Bedrock quotas', () => {
    expect(text).toMatch(/capacity contract: dev\n {2}database connections: 94 at peak of 165 available -> fits/);
    expect(text).toMatch(/capacity contract: prod\n {2}database connections: 94 at peak of 736 available -> fits/);
    expect(text).toMatch(/timeouts: request_timeout 600 s <= ALB idle 660 s < keep-alive 665 s; deregistration 660 s >= request_timeout/);
    expect(text).toMatch(/shared state: 4 LiteLLM process\(es\) at maxTasks; Redis off\n {4}WARNING gateway\.redis\.enabled is false/);
    expect(text).toMatch(/claude-primary +rpm 50 -> 50 \(shared via Redis\); tpm 80000 -> 320000 \(per process\)/);
    expect(text).toMatch(/us\.anthropic\.claude-haiku-4-5-20251001-v1:0: 200 requests, 640000 tokens/);
  });
});
