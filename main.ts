import { App, TerraformStack } from 'cdktf';
import { AppConfig, loadConfigFromEnv } from './config';
import { BackendSettings, loadBackendConfig } from './modules/remote-state';
import { applyPolicy } from './policy';
import { BootstrapStack } from './stacks/bootstrap-stack';
import { DatabaseStack } from './stacks/database-stack';
import { NetworkingStack } from './stacks/networking-stack';

export interface BuildAppOptions {
  readonly config: AppConfig;
  /** @default - parsed from terraform-backend.hcl */
  readonly backend?: BackendSettings;
  /** @default 'cdktf.out' */
  readonly outdir?: string;
}

/** Stack names carry the environment so that two environments never share a Terraform working directory. */
export function stackName(config: AppConfig, stack: string): string {
  return `${config.environment}-${stack}`;
}

/** Composition only: configuration in, stacks wired through typed props, nothing else. */
export function buildApp(options: BuildAppOptions): App {
  const { config } = options;
  const backend = options.backend ?? loadBackendConfig();
  const app = new App({ outdir: options.outdir ?? 'cdktf.out', skipValidation: false });

  new BootstrapStack(app, 'bootstrap', { config, backend });
  const networking = new NetworkingStack(app, stackName(config, 'networking'), {
    config,
    backend,
    httpsEnabled: config.gateway.certificateArn !== undefined,
  });
  new DatabaseStack(app, stackName(config, 'database'), { config, backend, network: networking.outputs });

  // Aspects added to the App never run in cdktf 0.21: the policy pack is applied to each stack.
  for (const stack of app.node.findAll().filter(TerraformStack.isStack)) applyPolicy(stack, { environment: config.environment });
  return app;
}

if (require.main === module) {
  // Configuration errors are reported before any stack exists, so nothing is written.
  let config: AppConfig;
  try {
    config = loadConfigFromEnv();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
  buildApp({ config }).synth();
}
