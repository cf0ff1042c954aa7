/**
 * `npm run capacity`: prints the capacity contract (modules/capacity) of dev and prod on the defaults, and of the
 * configuration in GATEWAY_CONFIG_FILE when set: database connections at the fleet's peak against Aurora's
 * max_connections, the timeout chain, shared state between LiteLLM processes, and per-alias limits fleet-wide with
 * the Bedrock quotas they assume. Synth refuses what it prints as not fitting (modules/catalogue-checks.ts).
 *
 *   npm run capacity                 # dev and prod
 *   npm run capacity -- --env prod   # one environment
 */
import { AppConfig, CONFIG_FILE_ENV_VAR, loadConfig, loadConfigFromEnv } from '../config';
import { capacityContract, formatCapacity } from '../modules/capacity';
import { ModelCatalogue, loadModelCatalogue } from '../modules/model-catalogue';

export function capacityReport(config: AppConfig, catalogue: ModelCatalogue, label: string = config.environment): string {
  return formatCapacity(label, capacityContract({ ...config, catalogue }));
}

export function capacityText(environments: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const catalogue = loadModelCatalogue();
  const reports = environments.map((environment) => capacityReport(loadConfig({ environment }), catalogue));
  const file = env[CONFIG_FILE_ENV_VAR];
  if (file) {
    const config = loadConfigFromEnv(env);
    reports.push(capacityReport(config, catalogue, `${config.environment} with ${file}`));
  }
  return `${reports.join('\n\n')}\n`;
}

if (require.main === module) {
  try {
    const args = process.argv.slice(2);
    const at = args.indexOf('--env');
    if (args.some((a, i) => a !== '--env' && i !== at + 1) || (at >= 0 && args[at + 1] === undefined)) {
      throw new Error(`capacity: unknown arguments ${JSON.stringify(args)}; allowed: --env <name>`);
    }
    process.stdout.write(capacityText(at >= 0 ? [args[at + 1]] : ['dev', 'prod']));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}
