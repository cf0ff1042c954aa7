import { evaluateIn, findingsOf, tfElement } from '../testing';
import { COMPLIANT } from '../types';
import { ecsNoPlainSecrets } from './ecs-no-plain-secrets';

function taskWith(environment: readonly { readonly name: string; readonly value: string }[]) {
  return tfElement('aws_ecs_task_definition.gw', {
    container_definitions: JSON.stringify([
      {
        name: 'litellm',
        environment,
        secrets: [{ name: 'LITELLM_MASTER_KEY', valueFrom: '${aws_secretsmanager_secret.master.arn}' }],
      },
    ]),
  });
}

describe('ecs-no-plain-secrets', () => {
  test('plain settings in environment and keys in secrets is compliant', () => {
    const task = taskWith([
      { name: 'JSON_LOGS', value: 'True' },
      { name: 'AWS_REGION_NAME', value: 'us-east-1' },
      { name: 'DATABASE_HOST', value: '${aws_rds_cluster.db.endpoint}:5432' },
      { name: 'IAM_TOKEN_DB_AUTH', value: 'true' },
      { name: 'LITELLM_CONFIG_BUCKET_OBJECT_KEY', value: 'config.yaml' },
      { name: 'DB_SECRET_ARN', value: '${aws_secretsmanager_secret.db.arn}' },
    ]);
    expect(evaluateIn(ecsNoPlainSecrets, task)).toEqual(COMPLIANT);
  });

  test.each([
    ['LITELLM_MASTER_KEY', 'sk-0123456789abcdef', 'holds an API key (sk-...)'],
    ['DATABASE_URL', 'postgresql://litellm:hunter2@db:5432/litellm', 'holds a URL with a password (scheme://user:pass@)'],
    ['CACHE', 'redis://:s3cret@cache:6379', 'holds a URL with a password (scheme://user:pass@)'],
    ['DB_PASSWORD', '${random_password.db.result}', 'references secret material (${random_password.db.result})'],
    ['CONFIG', '${aws_secretsmanager_secret_version.cfg.secret_string}', 'references secret material'],
    ['UI_PASSWORD', 'changeme', 'has a secret-like name'],
    ['SLACK_WEBHOOK_TOKEN', 'x', 'has a secret-like name'],
    ['KEY_MATERIAL', 'x', 'has a secret-like name'],
    ['AWS_CREDENTIALS', 'x', 'has a secret-like name'],
  ])('%s=%s is non-compliant', (name, value, problem) => {
    const findings = findingsOf(evaluateIn(ecsNoPlainSecrets, taskWith([{ name, value }])));
    expect(findings).toEqual([expect.stringContaining(`container "litellm" environment ${name} ${problem}`)]);
  });

  test('container_definitions built with Fn.jsonencode cannot be verified and is non-compliant', () => {
    const task = tfElement('aws_ecs_task_definition.gw', { container_definitions: '${jsonencode([{"name" = "a"}])}' });
    expect(findingsOf(evaluateIn(ecsNoPlainSecrets, task))).toEqual([expect.stringMatching(/HCL expression.*JSON\.stringify/)]);
  });
});
