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
  test('declares no required_version until a feature asks for one', () => {
    const stack = new Probe(Testing.app(), 'probe');
    expect(JSON.parse(Testing.synth(stack)).terraform.required_version).toBeUndefined();
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

  test('cloud: a cloud block with the named workspace, the S3 settings ignored, Terraform >= 1.1 for the block', () => {
    const tf = JSON.parse(Testing.synth(new CloudProbe(Testing.app(), 'dev-probe', { kind: 'cloud', organization: 'acme' }))).terraform;
    expect(tf.cloud).toEqual({ organization: 'acme', workspaces: { name: 'document-processing-dev-probe' } });
    expect(tf.backend).toBeUndefined();
    expect(tf.required_version).toBe('>= 1.1.0');
  });

  test('cloud with a project: Terraform >= 1.6 (workspaces.project)', () => {
    const tf = JSON.parse(Testing.synth(new CloudProbe(Testing.app(), 'dev-probe', { kind: 'cloud', organization: 'acme', project: 'p' }))).terraform;
    expect(tf.cloud.workspaces).toEqual({ name: 'document-processing-dev-probe', project: 'p' });
    expect(tf.required_version).toBe('>= 1.6.0');
  });

  test('s3 (default): the S3 backend as before, no required_version', () => {
    const tf = JSON.parse(Testing.synth(new CloudProbe(Testing.app(), 'dev-probe', { kind: 's3' }))).terraform;
    expect(tf.backend.s3).toMatchObject({ bucket: 'bucket-x', key: 'document-processing/dev/probe.tfstate' });
    expect(tf.cloud).toBeUndefined();
    expect(tf.required_version).toBeUndefined();
  });
});
