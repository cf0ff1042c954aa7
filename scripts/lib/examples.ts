/**
 * The example configuration files that define an environment of their own (`examples/*.json` with an
 * `environment` section, e.g. examples/staging.json): the scripts that check every environment (validate, policy)
 * take them as they take dev and prod, so a defined environment is synthesized, validated and policy-checked as the
 * README shows it.
 */
import { readFileSync, readdirSync } from 'fs';
import * as path from 'path';
import type { ConfigFile } from '../../config';
import { PROJECT_ROOT } from './terraform-env';

export const EXAMPLES_DIR = path.join(PROJECT_ROOT, 'examples');

export interface ExampleEnvironment {
  /** The environment the file defines (`environment.name`). */
  readonly name: string;
  readonly file: string;
  /** The file's content, as GATEWAY_CONFIG_FILE would give it to loadConfig. */
  readonly overrides: ConfigFile;
}

export function exampleEnvironments(dir: string = EXAMPLES_DIR): ExampleEnvironment[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => {
      const file = path.join(dir, f);
      const overrides = JSON.parse(readFileSync(file, 'utf8')) as ConfigFile;
      const name = overrides.environment?.name;
      return name === undefined ? [] : [{ name, file, overrides }];
    });
}
