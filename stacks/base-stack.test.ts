import { Testing } from 'cdktf';
import { Construct } from 'constructs';
import { loadConfig } from '../config';
import { BaseStack } from './base-stack';

class Probe extends BaseStack {
  constructor(scope: Construct, id: string) {
    super(scope, id, 'probe', { config: loadConfig({ environment: 'dev' }) });
  }
}

describe('BaseStack.requireTerraform', () => {
  test('every stack declares at least what cdktf 0.21 output needs (Terraform 1.2)', () => {
    const stack = new Probe(Testing.app(), 'probe');
    expect(JSON.parse(Testing.synth(stack)).terraform.required_version).toBe('>= 1.2.0');
  });

  test('the S3 backend with use_lockfile needs Terraform 1.10', () => {
    class WithBackend extends BaseStack {
      constructor(scope: Construct, id: string, useLockfile: boolean) {
        super(scope, id, 'probe', {
          config: loadConfig({ environment: 'dev' }),
          backend: { bucket: 'b', region: 'us-east-1', encrypt: true, dynamodbTable: 'l', useLockfile },
        });
      }
    }
    const locked = new WithBackend(Testing.app(), 'locked', true);
    expect(locked.terraformRequirements().get('S3 backend use_lockfile')).toBe('1.10.0');
    expect(JSON.parse(Testing.synth(locked)).terraform.required_version).toBe('>= 1.10.0');
    const dynamoOnly = new WithBackend(Testing.app(), 'dynamo', false);
    expect(JSON.parse(Testing.synth(dynamoOnly)).terraform.required_version).toBe('>= 1.2.0');
  });

  test('declares the highest floor recorded, compared as versions (1.10 > 1.9)', () => {
    const stack = new Probe(Testing.app(), 'probe');
    stack.requireTerraform('1.9.0', 'a');
    stack.requireTerraform('1.10.0', 'b');
    stack.requireTerraform('1.2.0', 'c');
    expect(stack.terraformFloor()).toBe('1.10.0');
    expect(JSON.parse(Testing.synth(stack)).terraform.required_version).toBe('>= 1.10.0');
  });

  test('refuses a floor that is not a full version', () => {
    const stack = new Probe(Testing.app(), 'probe');
    expect(() => stack.requireTerraform('1.11', 'x')).toThrow(/allowed: a version like 1.11.0/);
  });
});

describe('BaseStack state backend', () => {
  class CloudProbe extends BaseStack {
    constructor(scope: Construct, id: string, state: Record<string, unknown>) {
      const gateway = { image: { mode: 'prebuilt', uri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/gw:1' } };
      super(scope, id, 'probe', { config: loadConfig({ environment: 'dev', overrides: { state, gateway } }), backend: { bucket: 'bucket-x', region: 'us-east-1', encrypt: true, useLockfile: true } });
    }
  }

  test('cloud: a cloud block with the named workspace, the S3 settings ignored, Terraform >= 1.1 for the block (cdktf output\'s 1.2 floor wins)', () => {
    const tf = JSON.parse(Testing.synth(new CloudProbe(Testing.app(), 'dev-probe', { kind: 'cloud', organization: 'acme' }))).terraform;
    expect(tf.cloud).toEqual({ organization: 'acme', workspaces: { name: 'document-processing-dev-probe' } });
    expect(tf.backend).toBeUndefined();
    expect(tf.required_version).toBe('>= 1.2.0');
  });

  test('cloud with a project: Terraform >= 1.6 (workspaces.project)', () => {
    const tf = JSON.parse(Testing.synth(new CloudProbe(Testing.app(), 'dev-probe', { kind: 'cloud', organization: 'acme', project: 'p' }))).terraform;
    expect(tf.cloud.workspaces).toEqual({ name: 'document-processing-dev-probe', project: 'p' });
    expect(tf.required_version).toBe('>= 1.6.0');
  });

  test('s3 (default): the S3 backend as before, Terraform >= 1.10 for its use_lockfile', () => {
    const tf = JSON.parse(Testing.synth(new CloudProbe(Testing.app(), 'dev-probe', { kind: 's3' }))).terraform;
    expect(tf.backend.s3).toMatchObject({ bucket: 'bucket-x', key: 'document-processing/dev/probe.tfstate' });
    expect(tf.cloud).toBeUndefined();
    expect(tf.required_version).toBe('>= 1.10.0');
  });
});
