import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfig } from '../../config';
import { buildApp } from '../../main';
import { cdktnPackageJson } from '../cdktn-check';
import { compareSynth, writerVersions } from './synth-compare';

const backend = { bucket: 'state-bucket', region: 'us-east-1', encrypt: true, dynamodbTable: 'lock', useLockfile: true };

function synthDev(): string {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'compare-'));
  buildApp({ config: loadConfig({ environment: 'dev' }), backend, outdir }).synth();
  return outdir;
}

function edit(outdir: string, stack: string, change: (json: Record<string, any>) => void): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  const file = path.join(outdir, 'stacks', stack, 'cdk.tf.json');
  const json = JSON.parse(readFileSync(file, 'utf8'));
  change(json);
  writeFileSync(file, JSON.stringify(json));
}

describe('compareSynth: the check behind npm run cdktn-check', () => {
  const a = synthDev();

  test('GIVEN the same app synthesized twice, one relabelled as another library version THEN no difference', () => {
    const b = synthDev();
    edit(b, 'dev-gateway', (j) => (j['//'].metadata.version = '0.24.0'));
    expect(writerVersions(b)['dev-gateway']).toBe('0.24.0');
    expect(compareSynth(a, b)).toEqual([]);
  });

  test('GIVEN one changed argument THEN that stack and key are reported', () => {
    const b = synthDev();
    edit(b, 'dev-networking', (j) => (j.resource.aws_vpc.vpc.cidr_block = '10.9.0.0/16'));
    expect(compareSynth(a, b)).toEqual([{ stack: 'dev-networking', keys: ['resource'] }]);
  });

  test('GIVEN a stack only one side has THEN it is reported', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'compare-empty-'));
    expect(compareSynth(a, empty).map((d) => d.keys[0])).toEqual(Array(5).fill('missing in b'));
  });

  test('the scratch package.json swaps only the core and the CLI, keeping the AWS provider we pin', () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const swapped = cdktnPackageJson(pkg);
    expect(swapped.dependencies.cdktf).toBe('npm:cdktn@0.24.0');
    expect(swapped.devDependencies['cdktf-cli']).toBe('npm:cdktn-cli@0.24.0');
    expect(swapped.dependencies['@cdktf/provider-aws']).toBe(pkg.dependencies['@cdktf/provider-aws']);
  });
});
