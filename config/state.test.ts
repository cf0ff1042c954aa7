import { cloudWorkspaceName, loadConfig } from './index';
import type { CloudStateConfig } from './index';

const PREBUILT = { image: { mode: 'prebuilt', uri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/llm-gateway:1' } };
const cloud = (state: Record<string, unknown>, gateway: unknown = PREBUILT) =>
  loadConfig({ environment: 'dev', overrides: { state: { kind: 'cloud', ...state }, gateway } });

describe('state configuration', () => {
  test('defaults to S3 in every environment', () => {
    expect(loadConfig({ environment: 'dev' }).state).toEqual({ kind: 's3' });
    expect(loadConfig({ environment: 'prod' }).state).toEqual({ kind: 's3' });
  });

  test('cloud takes organization, project, hostname and workspacePrefix', () => {
    const state = cloud({ organization: 'acme_corp', project: 'LLM gateway', hostname: 'tfe.example.com', workspacePrefix: 'llm-' }).state;
    expect(state).toEqual({ kind: 'cloud', organization: 'acme_corp', project: 'LLM gateway', hostname: 'tfe.example.com', workspacePrefix: 'llm-' });
  });

  test('workspace names: <workspacePrefix><stack>, the prefix defaulting to <appName>-', () => {
    const state = cloud({ organization: 'acme' }).state as CloudStateConfig;
    expect(cloudWorkspaceName(state, 'document-processing', 'dev-networking')).toBe('document-processing-dev-networking');
    expect(cloudWorkspaceName({ ...state, workspacePrefix: 'x_' }, 'document-processing', 'dev-networking')).toBe('x_dev-networking');
  });

  test.each([
    ['an unknown kind', { state: { kind: 'gcs' } }, /state\.kind: got "gcs"; allowed: one of "s3", "cloud"/],
    ['cloud without organization', { state: { kind: 'cloud' }, gateway: PREBUILT }, /state\.organization: got undefined; allowed: an HCP Terraform organization name \(required when state\.kind is "cloud"\)/],
    ['an organization with a dot', { state: { kind: 'cloud', organization: 'acme.io' }, gateway: PREBUILT }, /state\.organization: got "acme\.io"; allowed: an HCP Terraform organization name \(letters, digits, - and _\)/],
    ['a hostname with a scheme', { state: { kind: 'cloud', organization: 'a', hostname: 'https://app.terraform.io' }, gateway: PREBUILT }, /state\.hostname: got "https:\/\/app\.terraform\.io"; allowed: a host name like app\.terraform\.io/],
    ['a prefix with a slash', { state: { kind: 'cloud', organization: 'a', workspacePrefix: 'a/b' }, gateway: PREBUILT }, /state\.workspacePrefix: got "a\/b"; allowed: letters, digits, - and _/],
    ['a project with a slash', { state: { kind: 'cloud', organization: 'a', project: 'a/b' }, gateway: PREBUILT }, /state\.project: got "a\/b"; allowed: an HCP Terraform project name/],
    ['an unknown key', { state: { kind: 'cloud', organization: 'a', workspace: 'w' }, gateway: PREBUILT }, /state\.workspace: unknown key; got "w"; allowed: one of the keys kind, organization, project, hostname, workspacePrefix/],
    ['cloud settings with kind s3', { state: { kind: 's3', organization: 'acme' } }, /state\.organization: got "acme"; allowed: nothing when state\.kind is "s3"/],
  ])('refuses %s', (_name, overrides, message) => {
    expect(() => loadConfig({ environment: 'dev', overrides })).toThrow(message);
  });

  test('cloud with the docker build image mode is refused, with the pre-built mode and the reason', () => {
    expect(() => cloud({ organization: 'acme' }, { image: { mode: 'build' } })).toThrow(
      /gateway\.image\.mode: got "build"; allowed: "prebuilt" when state\.kind is "cloud": HCP Terraform runs plan and apply on its own workers, which have no Docker daemon/,
    );
    // The default image mode is build: cloud alone is refused the same way.
    expect(() => loadConfig({ environment: 'prod', overrides: { state: { kind: 'cloud', organization: 'acme' } } })).toThrow(/gateway\.image\.mode: got "build"/);
  });
});
