/**
 * Every configuration switch the README documents synthesizes, in dev and prod, through the policy pack (main.ts
 * applies it to every stack): a documented option that fails synth is a broken promise. With the fixture catalogue:
 * whether the real one supports each switch (Marketplace product ids, ...) is test/catalogue.contract.test.ts.
 */
import { mkdtempSync, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { deepMerge, loadConfig } from './config';
import { buildApp } from './main';
import { suppressionsOf } from './policy';
import { TerraformStack } from 'cdktf';
import { DESIGN_AGENTS, TWO_MODELS } from './test/catalogues';
import { CERT, PREBUILT_URI, secretArn as secret } from './test/fixtures';

const backend = { bucket: 'state-bucket', region: 'us-east-1', encrypt: true, dynamodbTable: 'lock', useLockfile: true };
const ON_CALL = { observability: { alarmEmails: ['oncall@example.com'] } };

/** Switch (as the README names it) -> the override that turns it on. */
export const DOCUMENTED_SWITCHES: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
  ['networking.flowLogs.enabled: false', { networking: { flowLogs: { enabled: false } } }],
  ['networking.flowLogs.trafficType: ACCEPT', { networking: { flowLogs: { trafficType: 'ACCEPT' } } }],
  ['networking.natGateways: per-az', { networking: { natGateways: 'per-az' } }],
  ['networking.natGateways: single', { networking: { natGateways: 'single' } }],
  ['networking.azCount: 3', { networking: { azCount: 3 } }],
  ['networking.existingVpc', { networking: { existingVpc: { vpcId: 'vpc-0123456789abcdef0', privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] } } }],
  [
    'database.existingSecrets',
    { database: { existingSecrets: { databaseUrlArn: secret('db-url'), masterKeyArn: secret('master'), saltKeyArn: secret('salt'), uiCredentialsArn: secret('ui') } } },
  ],
  ['database.customerManagedKey', { database: { customerManagedKey: true } }],
  ['database.minCapacity: 0 (auto-pause)', { database: { minCapacity: 0 } }],
  ['database.performanceInsights', { database: { performanceInsights: true } }],
  ['gateway.image prebuilt', { gateway: { image: { mode: 'prebuilt', uri: PREBUILT_URI, platform: 'linux/arm64' } } }],
  ['gateway.image platform linux/amd64', { gateway: { image: { mode: 'build', platform: 'linux/amd64' } } }],
  ['gateway.certificateArn', { gateway: { certificateArn: CERT } }],
  ['gateway.redis.enabled: true', { gateway: { redis: { enabled: true } } }],
  ['gateway.redis.enabled: false', { gateway: { redis: { enabled: false } } }],
  ['gateway.dns.existingZoneId', { gateway: { dns: { existingZoneId: 'Z0123456789ABCDEFGHIJ' } } }],
  ['gateway.bedrockMarketplaceSubscribe', { gateway: { bedrockMarketplaceSubscribe: true } }],
  ['gateway.albDeletionProtection: false', { gateway: { albDeletionProtection: false } }],
  ['gateway.requestsPerTargetTarget: 0', { gateway: { requestsPerTargetTarget: 0 } }],
  ['gateway.guardrail (enabled, every policy type)', { gateway: { guardrail: { enabled: true, piiEntities: { EMAIL: 'ANONYMIZE' }, deniedTopics: [{ name: 'Investment advice', definition: 'Recommendations to buy or sell securities.' }], wordFilters: ['project-codename'], managedWordLists: ['PROFANITY'] } } }],
  ['observability.bedrockInvocationLogging (CloudWatch and S3)', { observability: { bedrockInvocationLogging: { enabled: true, s3: { enabled: true } } } }],
  ['observability.allowUnsubscribedAlarms', { observability: { alarmEmails: [], allowUnsubscribedAlarms: true } }],
  ['observability.alarmEmails (two)', { observability: { alarmEmails: ['a@example.com', 'b@example.com'] } }],
];

function synth(environment: string, overrides: Record<string, unknown>): string {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'switch-'));
  const app = buildApp({ config: loadConfig({ environment, overrides: deepMerge(deepMerge(ON_CALL, DESIGN_AGENTS), overrides) }), backend, catalogue: TWO_MODELS, outdir });
  app.synth();
  return outdir;
}

describe.each(['dev', 'prod'])('%s', (environment) => {
  test.each(DOCUMENTED_SWITCHES)('%s synthesizes and passes the policy pack', (_name, overrides) => {
    const outdir = synth(environment, overrides);
    const gateway = JSON.parse(readFileSync(path.join(outdir, 'stacks', `${environment}-gateway`, 'cdk.tf.json'), 'utf8'));
    expect(gateway.resource).toBeDefined();
  });
});

describe('a rule waived by configuration says why', () => {
  test('networking.flowLogs.enabled: false suppresses vpc-flow-logs on the VPC, with the switch as the reason', () => {
    const app = buildApp({ config: loadConfig({ environment: 'dev', overrides: { ...DESIGN_AGENTS, networking: { flowLogs: { enabled: false } } } }), backend, catalogue: TWO_MODELS, outdir: mkdtempSync(path.join(os.tmpdir(), 'switch-')) });
    const vpc = app.node.findAll().filter(TerraformStack.isStack).find((s) => s.node.id === 'dev-networking')!.node.findChild('vpc');
    expect(suppressionsOf(vpc)).toEqual([{ ruleId: 'vpc-flow-logs', reason: expect.stringContaining('networking.flowLogs.enabled is false') }]);
  });

  test('with flow logs on, nothing is suppressed', () => {
    const app = buildApp({ config: loadConfig({ environment: 'dev', overrides: DESIGN_AGENTS }), backend, catalogue: TWO_MODELS, outdir: mkdtempSync(path.join(os.tmpdir(), 'switch-')) });
    const vpc = app.node.findAll().filter(TerraformStack.isStack).find((s) => s.node.id === 'dev-networking')!.node.findChild('vpc');
    expect(suppressionsOf(vpc)).toEqual([]);
  });
});
