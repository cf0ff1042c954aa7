import { App, TerraformStack } from 'cdktf';
import { AppConfig, checkAgentModels, loadConfigFromEnv } from './config';
import { ModelCatalogue, loadModelCatalogue } from './modules/model-catalogue';
import { BackendSettings, loadBackendConfig } from './modules/remote-state';
import { RunnerApp, writeAtlantisYaml } from './modules/runners';
import { applyPolicy } from './policy';
import { BootstrapStack } from './stacks/bootstrap-stack';
import { DatabaseStack } from './stacks/database-stack';
import { GatewayStack } from './stacks/gateway-stack';
import { NetworkingStack } from './stacks/networking-stack';
import { ObservabilityStack } from './stacks/observability-stack';

export interface BuildAppOptions {
  readonly config: AppConfig;
  /** S3 state settings, used when `config.state.kind` is `s3`. @default - parsed from terraform-backend.hcl */
  readonly backend?: BackendSettings;
  /** @default - read from gateway-image/config/litellm_config.yaml */
  readonly catalogue?: ModelCatalogue;
  /** @default - CDKTF_OUTDIR (set by `cdktf synth --output`), else 'cdktf.out' */
  readonly outdir?: string;
}

/** Stack names carry the environment so that two environments never share a Terraform working directory. */
export function stackName(config: AppConfig, stack: string): string {
  return `${config.environment}-${stack}`;
}

/** Composition only: configuration in, stacks wired through typed props, nothing else. */
export function buildApp(options: BuildAppOptions): App {
  const { config } = options;
  // HCP Terraform keeps every stack's state in its workspace: no S3 settings, no bucket to bootstrap.
  const s3 = config.state.kind === 's3';
  const backend = s3 ? options.backend ?? loadBackendConfig() : undefined;
  const catalogue = options.catalogue ?? loadModelCatalogue();
  // Config cannot see the catalogue: the agents' aliases are checked here, before any construct exists.
  checkAgentModels(config.agents, catalogue.models.map((m) => m.alias));
  const app = new RunnerApp({ outdir: options.outdir, skipValidation: false });

  if (backend) new BootstrapStack(app, 'bootstrap', { config, backend });
  const networking = new NetworkingStack(app, stackName(config, 'networking'), {
    config,
    backend,
    httpsEnabled: config.gateway.certificateArn !== undefined,
  });
  const database = new DatabaseStack(app, stackName(config, 'database'), { config, backend, network: networking.outputs });
  const gateway = new GatewayStack(app, stackName(config, 'gateway'), {
    config,
    backend,
    network: networking.outputs,
    database: database.outputs,
    catalogue,
  });
  new ObservabilityStack(app, stackName(config, 'observability'), {
    config,
    backend,
    gateway: gateway.outputs,
    database: database.outputs,
    catalogue,
  });

  // Aspects added to the App never run in cdktf 0.21: the policy pack is applied to each stack.
  for (const stack of app.node.findAll().filter(TerraformStack.isStack)) applyPolicy(stack, { environment: config.environment });
  if (s3) app.afterSynth((outdir) => writeAtlantisYaml(outdir));
  return app;
}

if (require.main === module) {
  // Every error (configuration, model catalogue, a stack's own checks, a policy violation) is reported before or
  // instead of writing, as one message without a stack trace.
  try {
    buildApp({ config: loadConfigFromEnv() }).synth();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}
