import { parse } from 'yaml';
import { atlantisConfig, renderAtlantisYaml, repositoryRootFor } from './atlantis';
import { hcpWorkspacePlan } from './hcp-workspaces';
import { SynthesizedStack, dependencyDepths } from './stack-graph';

const stack = (name: string, dependencies: string[] = [], backend = 's3', extra: Partial<SynthesizedStack> = {}): SynthesizedStack => ({
  name,
  workingDirectory: `stacks/${name}`,
  dependencies,
  backend,
  remoteStateReads: [],
  ...extra,
});

describe('dependency depths', () => {
  test('one more than the deepest dependency; a diamond gets the longer path', () => {
    const depths = dependencyDepths([stack('a'), stack('b', ['a']), stack('c', ['a', 'b']), stack('d', ['c'])]);
    expect(Object.fromEntries(depths)).toEqual({ a: 0, b: 1, c: 2, d: 3 });
  });

  test('refuses a cycle', () => {
    expect(() => dependencyDepths([stack('a', ['b']), stack('b', ['a'])])).toThrow(/stack dependency cycle/);
  });
});

describe('atlantis.yaml', () => {
  test('round-trips through YAML with the header comment', () => {
    const text = renderAtlantisYaml(atlantisConfig([stack('net'), stack('db', ['net'])], { outdirFromRoot: 'out' }));
    expect(text.startsWith('# Generated at synth')).toBe(true);
    expect(parse(text)).toEqual({
      version: 3,
      projects: [
        { name: 'net', dir: 'out/stacks/net', autoplan: { enabled: true, when_modified: ['cdk.tf.json'] }, execution_order_group: 0 },
        { name: 'db', dir: 'out/stacks/db', autoplan: { enabled: true, when_modified: ['cdk.tf.json'] }, execution_order_group: 1, depends_on: ['net'] },
      ],
    });
  });

  test('leaves out local-state stacks and refuses a dependency on one', () => {
    expect(atlantisConfig([stack('bootstrap', [], 'local'), stack('net')], { outdirFromRoot: 'o' }).projects.map((p) => p.name)).toEqual(['net']);
    expect(() => atlantisConfig([stack('boot', [], 'local'), stack('net', ['boot'])], { outdirFromRoot: 'o' })).toThrow(/depends on boot, which keeps local state/);
  });

  test('project dirs are relative to the directory synth runs in, else to the output directory\'s parent', () => {
    expect(repositoryRootFor('synth/dev', '/repo')).toBe('/repo');
    expect(repositoryRootFor('/repo/cdktf.out', '/repo')).toBe('/repo');
    expect(repositoryRootFor('/tmp/x/cdktf.out', '/repo')).toBe('/tmp/x');
  });

  test('refuses an output directory outside the repository (Atlantis refuses a dir with ..)', () => {
    expect(() => atlantisConfig([stack('net')], { outdirFromRoot: '../x' })).toThrow(/not inside the repository root/);
  });
});

describe('HCP workspace plan', () => {
  const cloud = (name: string) => ({ organization: 'acme', workspaces: { name } });
  const read = (name: string, backend = 'remote') => ({ backend, config: { organization: 'acme', workspaces: { name } } });

  test('refuses a read that is not another stack workspace (an S3 remnant)', () => {
    const stacks = [stack('net', [], 'cloud', { cloud: cloud('w-net') }), stack('db', ['net'], 'cloud', { cloud: cloud('w-db'), remoteStateReads: [read('w-net', 's3')] })];
    expect(() => hcpWorkspacePlan(stacks, { outdirFromRoot: 'o' })).toThrow(/stack db: a terraform_remote_state read \(backend s3\)/);
  });

  test('refuses a stack without a cloud block, and workspaces selected by tags', () => {
    expect(() => hcpWorkspacePlan([stack('net', [], 'cloud', { cloud: cloud('w') }), stack('boot', [], 'local')], { outdirFromRoot: 'o' })).toThrow(/stacks without a cloud block in a cloud-mode output: boot/);
    const tagged = { organization: 'acme', workspaces: { tags: ['x'] } };
    expect(() => hcpWorkspacePlan([stack('net', [], 'cloud', { cloud: tagged })], { outdirFromRoot: 'o' })).toThrow(/selects workspaces by tags/);
  });
});
