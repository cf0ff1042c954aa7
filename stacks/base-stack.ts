import { LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AppConfig, cloudWorkspaceName, defaultTags } from '../config';
import { BackendSettings, stateKey, useCloudBackend, useS3Backend } from '../modules/remote-state';

export interface BaseStackProps {
  readonly config: AppConfig;
  /**
   * S3 state settings (terraform-backend.hcl), used when `config.state.kind` is `s3`. Each stack's key is
   * `<app>/<env>/<stateName>.tfstate`. With `state.kind` `cloud` the stack's HCP Terraform workspace is used instead.
   * @default - local state in the project root (`terraform.<stack>.tfstate`)
   */
  readonly backend?: BackendSettings;
}

/**
 * What every stack of the gateway shares: the AWS provider in the configured region with the tags of seed 5.7
 * applied once as default_tags, and its remote state.
 */
export abstract class BaseStack extends TerraformStack {
  readonly config: AppConfig;
  readonly awsProvider: AwsProvider;
  /** Terraform versions this stack's features need, with the feature that needs each. */
  private readonly terraformFloors = new Map<string, string>();

  protected constructor(scope: Construct, id: string, stateName: string, props: BaseStackProps) {
    super(scope, id);
    this.config = props.config;
    this.awsProvider = new AwsProvider(this, 'aws', {
      region: props.config.region,
      defaultTags: [{ tags: defaultTags(props.config) }],
    });
    const state = props.config.state;
    if (state.kind === 'cloud') {
      useCloudBackend(this, {
        organization: state.organization,
        project: state.project,
        hostname: state.hostname,
        workspace: cloudWorkspaceName(state, props.config.appName, id),
      });
      // The cloud block arrived in Terraform 1.1 (hashicorp/terraform#29947), its workspaces.project in 1.6 (#33489).
      this.requireTerraform('1.1.0', 'the cloud block');
      if (state.project !== undefined) this.requireTerraform('1.6.0', 'cloud block workspaces.project');
    } else if (props.backend) {
      useS3Backend(this, { settings: props.backend, key: stateKey(props.config.appName, props.config.environment, stateName) });
    } else {
      // Relative to cdktf.out/stacks/<stack>: the project root, which synth does not wipe.
      new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    }
  }

  /**
   * Records that a feature of this stack needs at least Terraform `version` (e.g. `1.11.0` for write-only
   * arguments). The stack declares the highest recorded floor as `terraform.required_version`, so an older CLI
   * refuses the configuration at init instead of failing (or silently ignoring a feature) at plan.
   */
  requireTerraform(version: string, feature: string): void {
    if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`requireTerraform: got ${JSON.stringify(version)}; allowed: a version like 1.11.0`);
    this.terraformFloors.set(feature, version);
    this.addOverride('terraform.required_version', `>= ${this.terraformFloor()}`);
  }

  /** The highest Terraform version recorded with requireTerraform, or undefined. */
  terraformFloor(): string | undefined {
    const parse = (v: string) => v.split('.').map(Number);
    let best: string | undefined;
    for (const v of this.terraformFloors.values()) {
      if (best === undefined) { best = v; continue; }
      const [a, b] = [parse(v), parse(best)];
      const cmp = a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
      if (cmp > 0) best = v;
    }
    return best;
  }
}
