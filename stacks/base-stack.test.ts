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
