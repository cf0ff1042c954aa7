import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { loadConfig } from '../../config';
import {
  CONFIG_SHA256_ENV,
  CONTAINER_NAME,
  CONTAINER_PORTS,
  GatewayContainerProps,
  MIGRATION_CONTAINER_NAME,
  gatewayContainerDefinition,
  migrationContainerDefinition,
  missingEnvironmentReferences,
} from './container-definition';

const SECRETS = {
  databaseUrlArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-url-AbCdEf',
  masterKeyArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:master-AbCdEf',
  saltKeyArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:salt-AbCdEf',
  uiCredentialsArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ui-AbCdEf',
};
const CONFIG_SHA256 = 'c0ffee'.padEnd(64, '0');
/** The names the issue calls secret-like: none may be a plain environment variable. */
const SECRET_LIKE = /(KEY|SECRET|PASSWORD|TOKEN|DATABASE_URL)/;

function props(overrides: Partial<GatewayContainerProps> = {}, environment = 'dev'): GatewayContainerProps {
  return {
    image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/gw@sha256:' + 'a'.repeat(64),
    gateway: loadConfig({ environment }).gateway,
    region: 'us-east-1',
    spendLogsRetentionDays: 30,
    secrets: SECRETS,
    logGroupName: '/document-processing/llm-gateway',
    configSha256: CONFIG_SHA256,
    ...overrides,
  };
}

describe('the litellm container', () => {
  const c = gatewayContainerDefinition(props());

  test('named litellm, essential, the configured image, port 4000 only (no separate health app)', () => {
    expect(c).toMatchObject({ name: CONTAINER_NAME, essential: true, image: props().image });
    expect(c.portMappings).toEqual([{ containerPort: 4000, hostPort: 4000, protocol: 'tcp' }]);
    expect(CONTAINER_PORTS).toEqual({ proxy: 4000 });
  });

  test('entrypoint arguments: config, port, one worker recycled after 10000 requests, and a keep-alive above the ALB idle timeout', () => {
    expect(c.command).toEqual(['--config', '/app/config.yaml', '--port', '4000', '--num_workers', '1', '--keepalive_timeout', '665', '--max_requests_before_restart', '10000']);
    const cfg = loadConfig({ environment: 'dev' }).gateway;
    expect(Number(c.command[c.command.indexOf('--keepalive_timeout') + 1])).toBeGreaterThan(cfg.albIdleTimeoutSeconds);
  });

  test('plain environment: region, no schema update (the migration container owns it), JSON logs, config hash, local cost map, log level', () => {
    expect(c.environment).toEqual([
      { name: 'AWS_REGION_NAME', value: 'us-east-1' },
      { name: 'DISABLE_SCHEMA_UPDATE', value: 'true' },
      { name: 'JSON_LOGS', value: 'True' },
      { name: 'LITELLM_CONFIG_SHA256', value: CONFIG_SHA256 },
      // Bundled beta-header map: no fetch from GitHub at the first beta request (nothing to reach in the endpoints mode).
      { name: 'LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS', value: 'True' },
      { name: 'LITELLM_LOCAL_MODEL_COST_MAP', value: 'True' },
      { name: 'LITELLM_LOG', value: 'INFO' },
      { name: 'LITELLM_MODE', value: 'PRODUCTION' },
      // general_settings.maximum_spend_logs_retention_period reads it: LiteLLM's duration format.
      { name: 'LITELLM_SPEND_LOGS_RETENTION', value: '30d' },
    ]);
    expect(c.environment.map((e) => e.name)).not.toContain('SEPARATE_HEALTH_APP');
  });

  test('the proxy starts only after the migration container exited 0', () => {
    expect(c.dependsOn).toEqual([{ containerName: MIGRATION_CONTAINER_NAME, condition: 'SUCCESS' }]);
  });

  test('secrets from Secrets Manager, the UI credentials by JSON key', () => {
    expect(c.secrets).toEqual([
      { name: 'DATABASE_URL', valueFrom: SECRETS.databaseUrlArn },
      { name: 'LITELLM_MASTER_KEY', valueFrom: SECRETS.masterKeyArn },
      { name: 'LITELLM_SALT_KEY', valueFrom: SECRETS.saltKeyArn },
      { name: 'UI_PASSWORD', valueFrom: `${SECRETS.uiCredentialsArn}:password::` },
      { name: 'UI_USERNAME', valueFrom: `${SECRETS.uiCredentialsArn}:username::` },
    ]);
  });

  test.each([
    ['without Redis', props()],
    ['with Redis', props({ redis: { host: 'cache.internal', port: 6379, tls: true } })],
  ])('%s: no secret-like name and no secret value in the plain environment', (_, p) => {
    const def = gatewayContainerDefinition(p);
    for (const e of def.environment) {
      expect(e.name).not.toMatch(SECRET_LIKE);
      expect(e.value).not.toMatch(/secretsmanager|sk-|:\/\/[^/]*:[^/]*@/);
    }
  });

  test('health check: python3 (no curl in the image) on the proxy port, the one the ALB checks', () => {
    expect(c.healthCheck).toEqual({
      command: ['CMD', 'python3', '-c', "import urllib.request; urllib.request.urlopen('http://localhost:4000/health/liveliness', timeout=2)"],
      interval: 30,
      timeout: 5,
      retries: 3,
      startPeriod: 300,
    });
    expect(c.healthCheck.command.join(' ')).not.toContain('8001');
  });

  test('the health command is valid Python that passes when the proxy answers and fails when it does not', () => {
    // Runs the real command against a local server standing in for the proxy, then against a closed port.
    const script = [
      'import http.server, threading, urllib.request, sys',
      'class H(http.server.BaseHTTPRequestHandler):',
      '    def do_GET(self): self.send_response(200 if self.path == "/health/liveliness" else 404); self.end_headers()',
      '    def log_message(self, *a): pass',
      'srv = http.server.HTTPServer(("127.0.0.1", 0), H)',
      'threading.Thread(target=srv.serve_forever, daemon=True).start()',
      `cmd = ${JSON.stringify(c.healthCheck!.command[3])}`,
      'cmd = cmd.replace("4000", str(srv.server_port)).replace("localhost", "127.0.0.1")',
      'exec(cmd)',
      'try:',
      '    exec(cmd.replace(str(srv.server_port), "1"))',
      '    sys.exit("expected a failure with the proxy port closed")',
      'except OSError:',
      '    print("ok")',
    ].join('\n');
    const res = spawnSync('python3', ['-c', script], { encoding: 'utf8', timeout: 20_000 });
    expect(res.stderr).toBe('');
    expect(res.stdout.trim()).toBe('ok');
  });

  test('awslogs to the configured group; writable root (LiteLLM writes /tmp and Prisma files); not privileged', () => {
    expect(c.logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/document-processing/llm-gateway', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'litellm' },
    });
    expect(c.readonlyRootFilesystem).toBe(false);
    expect(c).not.toHaveProperty('privileged');
    expect(c.linuxParameters).toEqual({ initProcessEnabled: true });
    expect(c.stopTimeout).toBe(120);
  });

  test('Redis on: host, port and the TLS flag LiteLLM reads as REDIS_SSL', () => {
    const def = gatewayContainerDefinition(props({ redis: { host: 'cache.internal', port: 6379, tls: true } }));
    expect(def.environment).toEqual(
      expect.arrayContaining([
        { name: 'REDIS_HOST', value: 'cache.internal' },
        { name: 'REDIS_PORT', value: '6379' },
        { name: 'REDIS_SSL', value: 'true' },
        // litellm_settings.cache resolves to true: the proxy's shared cache on the same Redis.
        { name: 'GATEWAY_REDIS_CACHE', value: 'true' },
      ]),
    );
    expect(def.environment.map((e) => e.name)).not.toContain('REDIS_PASSWORD');
  });

  test("Redis with IAM authentication: LiteLLM's REDIS_AWS_IAM_* settings (user, replication group, region), still no password", () => {
    const def = gatewayContainerDefinition(props({ redis: { host: 'cache.internal', port: 6379, tls: true, iam: { userName: 'app-litellm-valkey', cacheName: 'app-rate-limits' } } }));
    const iam = def.environment.filter((e) => e.name.startsWith('REDIS_AWS_IAM_'));
    expect(iam).toEqual([
      { name: 'REDIS_AWS_IAM_AUTH', value: 'true' },
      { name: 'REDIS_AWS_IAM_CACHE_NAME', value: 'app-rate-limits' },
      { name: 'REDIS_AWS_IAM_REGION', value: def.environment.find((e) => e.name === 'AWS_REGION_NAME')?.value },
      { name: 'REDIS_AWS_IAM_USER_NAME', value: 'app-litellm-valkey' },
    ]);
    expect(def.environment).toContainEqual({ name: 'REDIS_SSL', value: 'true' });
    expect([...def.environment, ...def.secrets].map((e) => e.name)).not.toContain('REDIS_PASSWORD');
    // Without IAM, none of them.
    const plain = gatewayContainerDefinition(props({ redis: { host: 'cache.internal', port: 6379, tls: true } }));
    expect(plain.environment.filter((e) => e.name.startsWith('REDIS_AWS_IAM_'))).toEqual([]);
  });

  test('Redis off: no REDIS_ variable at all (LiteLLM turns Redis on for any REDIS_HOST), and no cache switch', () => {
    expect(c.environment.filter((e) => e.name.startsWith('REDIS_'))).toEqual([]);
    // Unset, litellm_settings.cache resolves to null and no cache is built (a Redis cache without a host fails the start).
    expect(c.environment.map((e) => e.name)).not.toContain('GATEWAY_REDIS_CACHE');
  });

  test('a renamed master key variable is injected under that name', () => {
    const gateway = { ...loadConfig({ environment: 'dev' }).gateway, masterKeyEnvName: 'LITELLM_ADMIN_KEY' };
    const def = gatewayContainerDefinition(props({ gateway }));
    expect(def.secrets.map((s) => s.name)).toContain('LITELLM_ADMIN_KEY');
    expect(def.secrets.map((s) => s.name)).not.toContain('LITELLM_MASTER_KEY');
  });

  test.each([
    ['upper-case hex', 'C0FFEE'.padEnd(64, '0')],
    ['too short', 'c0ffee'],
    ['empty', ''],
  ])('a config hash that is not 64 lowercase hex digits (%s) is refused, naming the variable', (_, sha) => {
    expect(() => gatewayContainerDefinition(props({ configSha256: sha }))).toThrow(
      new RegExp(`^${CONFIG_SHA256_ENV}: ${JSON.stringify(sha)} is not allowed; expected the 64 lowercase hex digits of catalogue\\.sha256$`),
    );
    expect(() => migrationContainerDefinition(props({ configSha256: sha }))).toThrow(/LITELLM_CONFIG_SHA256: .* is not allowed/);
  });

});

describe('missingEnvironmentReferences', () => {
  const base = {
    references: ['DATABASE_URL', 'LITELLM_MASTER_KEY', 'REDIS_HOST', 'REDIS_PASSWORD', 'REDIS_PORT', 'REDIS_SSL'],
    redisReferences: ['REDIS_HOST', 'REDIS_PASSWORD', 'REDIS_PORT', 'REDIS_SSL'],
    unsetByDesign: { REDIS_PASSWORD: 'no AUTH token' },
  };

  test.each([
    ['Redis off: Redis references are not required', { redisEnabled: false, provided: ['DATABASE_URL', 'LITELLM_MASTER_KEY'] }, []],
    ['Redis on and provided', { redisEnabled: true, provided: ['DATABASE_URL', 'LITELLM_MASTER_KEY', 'REDIS_HOST', 'REDIS_PORT', 'REDIS_SSL'] }, []],
    ['Redis on, host missing', { redisEnabled: true, provided: ['DATABASE_URL', 'LITELLM_MASTER_KEY', 'REDIS_PORT', 'REDIS_SSL'] }, ['REDIS_HOST']],
    ['master key under another name', { redisEnabled: false, provided: ['DATABASE_URL', 'LITELLM_ADMIN_KEY'] }, ['LITELLM_MASTER_KEY']],
  ])('%s', (_, check, expected) => {
    expect(missingEnvironmentReferences({ ...base, ...check })).toEqual(expected);
  });

  test('a name unset by design is not required, anything else is', () => {
    expect(missingEnvironmentReferences({ ...base, unsetByDesign: {}, redisEnabled: true, provided: ['DATABASE_URL', 'LITELLM_MASTER_KEY', 'REDIS_HOST', 'REDIS_PORT', 'REDIS_SSL'] })).toEqual([
      'REDIS_PASSWORD',
    ]);
  });
});

describe('the migration container', () => {
  const m = migrationContainerDefinition(props());

  test('non-essential, same image, the config with --skip_server_startup: migrate, then exit', () => {
    expect(m).toMatchObject({ name: 'migrate', essential: false, image: props().image });
    expect(m.command).toEqual(['--config', '/app/config.yaml', '--skip_server_startup']);
  });

  test('the image entrypoint runs under the migration lock: one migrator at a time', () => {
    // The Dockerfile's ENTRYPOINT (config check, then the base entrypoint), behind gateway-image/startup/migration_lock.py.
    expect(m.entryPoint).toEqual([
      'python3', '/app/startup/migration_lock.py',
      'python3', '/app/startup/check_config.py', '/app/docker/prod_entrypoint.sh',
    ]);
    const dockerfile = readFileSync(path.join(__dirname, '..', '..', 'gateway-image', 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`ENTRYPOINT ${JSON.stringify(m.entryPoint.slice(2)).replace(/","/g, '", "')}`);
    expect(existsSync(path.join(__dirname, '..', '..', 'gateway-image', 'startup', 'migration_lock.py'))).toBe(true);
    expect(m).not.toHaveProperty('portMappings');
    expect(m).not.toHaveProperty('healthCheck');
  });

  test('plain environment: the config hash (it loads the config too), migration check, logs, cost map, mode', () => {
    expect(m.environment).toEqual([
      { name: 'ENFORCE_PRISMA_MIGRATION_CHECK', value: 'true' },
      { name: 'JSON_LOGS', value: 'True' },
      { name: 'LITELLM_CONFIG_SHA256', value: CONFIG_SHA256 },
      { name: 'LITELLM_LOCAL_MODEL_COST_MAP', value: 'True' },
      { name: 'LITELLM_LOG', value: 'INFO' },
      { name: 'LITELLM_MODE', value: 'PRODUCTION' },
    ]);
  });

  test('a failed migration is a non-zero exit (the proxy then never starts); schema updates are on here', () => {
    expect(m.environment).toContainEqual({ name: 'ENFORCE_PRISMA_MIGRATION_CHECK', value: 'true' });
    expect(m.environment.map((e) => e.name)).not.toContain('DISABLE_SCHEMA_UPDATE');
    expect(m.environment.map((e) => e.name)).not.toContain('SEPARATE_HEALTH_APP');
  });

  test('only the database secret; its own log stream prefix in the gateway log group', () => {
    expect(m.secrets).toEqual([{ name: 'DATABASE_URL', valueFrom: SECRETS.databaseUrlArn }]);
    expect(m.logConfiguration.options).toEqual({
      'awslogs-group': '/document-processing/llm-gateway',
      'awslogs-region': 'us-east-1',
      'awslogs-stream-prefix': 'migrate',
    });
    for (const e of m.environment) expect(e.name).not.toMatch(SECRET_LIKE);
  });
});
