import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { AppConfig, cloudWorkspaceName, defaultTags } from '../config';
import { BackendSettings, stateKey, useCloudBackend, useS3Backend } from '../modules/remote-state';

/**
 * The oldest Terraform that reads what cdktf 0.21 synthesizes (CDK for Terraform prerequisites: "The Terraform CLI
 * (1.2+)"): the floor of every stack, bootstrap included.
 */
export const CDKTF_TERRAFORM_FLOOR = '1.2.0';
/** S3 native state locking, `use_lockfile` (Terraform 1.10.0 release notes, backend "s3"). */
export const S3_LOCKFILE_TERRAFORM_FLOOR = '1.10.0';

/**
 * Terraform versions a stack's features need, with the feature that needs each; the stack declares the highest as
 * `terraform.required_version`, so an older CLI refuses the configuration at init instead of failing (or silently
 * ignoring a feature) at plan. Shared by BaseStack and the bootstrap stack, which is not one.
 */
export class TerraformFloors {
  private readonly floors = new Map<string, string>();

  constructor(private readonly stack: TerraformStack) {}

  require(version: string, feature: string): void {
    if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`requireTerraform: got ${JSON.stringify(version)}; allowed: a version like 1.11.0`);
    this.floors.set(feature, version);
    this.stack.addOverride('terraform.required_version', `>= ${this.highest()}`);
  }

  /** The highest recorded version, or undefined. */
  highest(): string | undefined {
    const parse = (v: string) => v.split('.').map(Number);
    let best: string | undefined;
    for (const v of this.floors.values()) {
      if (best === undefined) { best = v; continue; }
      const [a, b] = [parse(v), parse(best)];
      const cmp = a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
      if (cmp > 0) best = v;
    }
    return best;
  }

  /** Feature -> version, for reports and tests. */
  entries(): ReadonlyMap<string, string> {
    return new Map(this.floors);
  }
}

/** The version of this project (package.json, semantic versioning; CHANGELOG.md) that synthesizes the stacks. */
export function projectVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    if (path.dirname(dir) === dir) throw new Error(`package.json not found above ${__dirname}: the project version is unknown`);
  }
}

/** The name of the output that carries projectVersion() in every stack. */
export const VERSION_OUTPUT = 'llm_gateway_infra_version';

/**
 * Every stack carries the project version as a Terraform output: it is in each plan (a release shows as
 * "Changes to Outputs", nothing else), in `terraform output` and in the state, so a plan or a deployment can be traced
 * to a release. Not a tag: a version in default_tags would change `tags_all` of every resource at every release; not
 * a local or the `//` metadata of cdk.tf.json: neither reaches the plan.
 */
export function addVersionOutput(stack: TerraformStack): TerraformOutput {
  return new TerraformOutput(stack, VERSION_OUTPUT, {
    value: projectVersion(),
    description: 'Version of llm-gateway-infra (package.json, CHANGELOG.md) that synthesized this stack',
  });
}

/** The account and partition the stack deploys into, known at plan time. */
export interface AccountLookup {
  readonly accountId: string;
  readonly partition: string;
  /** The partition's DNS suffix, e.g. `amazonaws.com`. */
  readonly dnsSuffix: string;
}

/**
 * What every stack reads of the configuration: names, region, tags and where its state lives. A stack's props add
 * the sections (or the fields of a section) it reads, typed from config's interfaces, and nothing else.
 */
export type StackConfig = Pick<AppConfig, 'appName' | 'environment' | 'baseEnvironment' | 'region' | 'tags' | 'state'>;

export interface BaseStackProps {
  readonly config: StackConfig;
  /**
   * S3 state settings (terraform-backend.hcl), used when `config.state.kind` is `s3`. Each stack's key is
   * `<app>/<env>/<stateName>.tfstate`. With `state.kind` `cloud` the stack's HCP Terraform workspace is used instead.
   * @default - local state in the project root (`terraform.<stack>.tfstate`)
   */
  readonly backend?: BackendSettings;
}

/**
 * What every stack of the gateway shares: the AWS provider in the configured region with the tags of docs/design.md#tags
 * applied once as default_tags, and its remote state.
 */
export abstract class BaseStack extends TerraformStack {
  readonly config: StackConfig;
  readonly awsProvider: AwsProvider;
  private readonly terraformFloors = new TerraformFloors(this);
  private accountLookup?: AccountLookup;

  protected constructor(scope: Construct, id: string, stateName: string, props: BaseStackProps) {
    super(scope, id);
    this.config = props.config;
    this.awsProvider = new AwsProvider(this, 'aws', {
      region: props.config.region,
      defaultTags: [{ tags: defaultTags(props.config) }],
    });
    this.requireTerraform(CDKTF_TERRAFORM_FLOOR, 'cdktf 0.21 output');
    addVersionOutput(this);
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
      if (props.backend.useLockfile) this.requireTerraform(S3_LOCKFILE_TERRAFORM_FLOOR, 'S3 backend use_lockfile');
    } else {
      // Relative to cdktf.out/stacks/<stack>: the project root, which synth does not wipe.
      new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    }
  }

  /**
   * The account and partition, from one `data.aws_caller_identity.caller` and one `data.aws_partition.partition` per
   * stack, created on first use: every ARN the stack builds reads the same two lookups.
   */
  get account(): AccountLookup {
    if (!this.accountLookup) {
      const partition = new DataAwsPartition(this, 'partition');
      this.accountLookup = {
        accountId: new DataAwsCallerIdentity(this, 'caller').accountId,
        partition: partition.partition,
        dnsSuffix: partition.dnsSuffix,
      };
    }
    return this.accountLookup;
  }

  /**
   * Records that a feature of this stack needs at least Terraform `version` (e.g. `1.11.0` for write-only
   * arguments). The stack declares the highest recorded floor as `terraform.required_version`, so an older CLI
   * refuses the configuration at init instead of failing (or silently ignoring a feature) at plan.
   */
  requireTerraform(version: string, feature: string): void {
    this.terraformFloors.require(version, feature);
  }

  /** The highest Terraform version recorded with requireTerraform. */
  terraformFloor(): string | undefined {
    return this.terraformFloors.highest();
  }

  /** Every recorded feature and the version it needs. */
  terraformRequirements(): ReadonlyMap<string, string> {
    return this.terraformFloors.entries();
  }
}
