import { LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AppConfig, defaultTags } from '../config';
import { BackendSettings, stateKey, useS3Backend } from '../modules/remote-state';

export interface BaseStackProps {
  readonly config: AppConfig;
  /**
   * Remote state settings (terraform-backend.hcl). Each stack's key is `<app>/<env>/<stateName>.tfstate`.
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

  protected constructor(scope: Construct, id: string, stateName: string, props: BaseStackProps) {
    super(scope, id);
    this.config = props.config;
    this.awsProvider = new AwsProvider(this, 'aws', {
      region: props.config.region,
      defaultTags: [{ tags: defaultTags(props.config) }],
    });
    if (props.backend) {
      useS3Backend(this, { settings: props.backend, key: stateKey(props.config.appName, props.config.environment, stateName) });
    } else {
      // Relative to cdktf.out/stacks/<stack>: the project root, which synth does not wipe.
      new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    }
  }
}
