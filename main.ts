import { existsSync, readFileSync, readdirSync, rmSync } from 'fs';
import * as path from 'path';
import { AnnotationMetadataEntryType, App, TerraformStack } from 'cdktf';
import { AppConfig, checkDeployable, loadConfigFromEnv } from './config';
import { checkCatalogue } from './modules/catalogue-checks';
import { ModelCatalogue, loadModelCatalogue } from './modules/model-catalogue';
import { BackendSettings, loadBackendConfig } from './modules/remote-state';
import { RunnerApp, writeAtlantisYaml } from './modules/runners';
import { applyPolicy } from './policy';
import { BootstrapStack } from './stacks/bootstrap-stack';
import { DatabaseStack } from './stacks/database-stack';
import { EDGE_ORIGIN_HTTP_PORT, EdgeStack } from './stacks/edge-stack';
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
  checkDeployable(config);
  // HCP Terraform keeps every stack's state in its workspace: no S3 settings, no bucket to bootstrap.
  const s3 = config.state.kind === 's3';
  const backend = s3 ? options.backend ?? loadBackendConfig() : undefined;
  const catalogue = options.catalogue ?? loadModelCatalogue();
  // Config cannot see the catalogue: what depends on both is checked here, in one stage, before any construct exists.
  checkCatalogue(config, catalogue);
  // No stack traces in the annotations: they hold this machine's paths, and manifest.json must stay portable.
  const app = new RunnerApp({ outdir: options.outdir, skipValidation: false, stackTraces: false });

  if (backend) new BootstrapStack(app, 'bootstrap', { config, backend });
  const networking = new NetworkingStack(app, stackName(config, 'networking'), {
    config,
    backend,
    httpsEnabled: config.gateway.certificateArn !== undefined,
    cloudFrontOriginPort: config.edge.enabled ? EDGE_ORIGIN_HTTP_PORT : undefined,
    ecsExec: config.gateway.ecsExec.enabled,
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
  // Opt-in: a public entry point. Off, no CloudFront resource and no CloudFront ingress on alb-sg exist.
  if (config.edge.enabled) new EdgeStack(app, stackName(config, 'edge'), { config, backend, gateway: gateway.outputs });

  // Aspects added to the App never run in cdktf 0.21: the policy pack is applied to each stack.
  for (const stack of app.node.findAll().filter(TerraformStack.isStack)) applyPolicy(stack, { environment: config.environment, baseEnvironment: config.baseEnvironment });
  if (s3) app.afterSynth((outdir) => writeAtlantisYaml(outdir));
  return app;
}

/** One annotation (Annotations.of(scope).addWarning / addInfo / addError) as cdktf writes it to manifest.json. */
export interface SynthAnnotation {
  readonly constructPath: string;
  readonly level: string;
  readonly message: string;
}

/**
 * Removes `<outdir>/stacks/<name>` directories of stacks this app does not have (another environment's, or a
 * renamed stack's), so the output holds exactly what was asked for. Nothing else under `outdir` is touched.
 * @returns the names removed
 */
export function removeStaleStacks(app: App): string[] {
  const stacksDir = path.join(app.outdir, 'stacks');
  if (!existsSync(stacksDir)) return [];
  const current = new Set(app.node.findAll().filter(TerraformStack.isStack).map((s) => s.node.id));
  const stale = readdirSync(stacksDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !current.has(entry.name))
    .map((entry) => entry.name);
  for (const name of stale) rmSync(path.join(stacksDir, name), { recursive: true, force: true });
  return stale;
}

/**
 * Whether the cdktf CLI (`cdktf synth`, `diff`, `deploy`, ...) runs this app. The CLI lists `<outdir>/stacks/*`
 * before it runs the app and removes the folders of stacks missing from manifest.json itself afterwards; a folder
 * the app removed first makes that `rmSync` fail (`ENOENT: lstat 'cdktf.out/stacks/prod-database'`). Its marker:
 * the CLI always passes CDKTF_CONTEXT_JSON with `cdktfRelativeModules`
 * (node_modules/@cdktf/cli-core/src/lib/synth-stack.js, SynthStack.synth).
 */
export function runByCdktfCli(env: NodeJS.ProcessEnv = process.env): boolean {
  if (!env.CDKTF_CONTEXT_JSON) return false;
  try {
    return 'cdktfRelativeModules' in (JSON.parse(env.CDKTF_CONTEXT_JSON) as Record<string, unknown>);
  } catch {
    return false;
  }
}

/**
 * What `npm run synth` does: synthesize, remove stale stacks (unless the cdktf CLI runs the app: it removes them
 * itself), and report the app's annotations as `cdktf synth` prints them (`WARN [<construct path>]: <message>`;
 * cdktf-cli's printAnnotations). An ERROR annotation fails.
 */
export function synthesize(
  app: App,
  log: (line: string) => void = (line) => console.log(line),
  env: NodeJS.ProcessEnv = process.env,
): SynthAnnotation[] {
  // After a successful synth only: a refused configuration leaves the previous output as it was.
  app.synth();
  if (!runByCdktfCli(env)) removeStaleStacks(app);
  const manifest = JSON.parse(readFileSync(path.join(app.outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { annotations?: SynthAnnotation[] }>;
  };
  const annotations = Object.values(manifest.stacks).flatMap((stack) => stack.annotations ?? []);
  const label: Record<string, string> = {
    [AnnotationMetadataEntryType.INFO]: 'INFO',
    [AnnotationMetadataEntryType.WARN]: 'WARN',
    [AnnotationMetadataEntryType.ERROR]: 'ERROR',
  };
  for (const a of annotations) log(`${label[a.level] ?? a.level} [${a.constructPath}]: ${a.message}`);
  if (annotations.some((a) => a.level === AnnotationMetadataEntryType.ERROR)) {
    throw new Error('While synthesizing one or more error annotations have been encountered. Please check the log output above.');
  }
  return annotations;
}

if (require.main === module) {
  // Every error (configuration, its checks against the model catalogue, a module's own checks, a policy violation)
  // is reported before or instead of writing, as one message without a stack trace.
  try {
    synthesize(buildApp({ config: loadConfigFromEnv() }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}
