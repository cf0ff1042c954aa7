import { readFileSync } from 'fs';
import * as path from 'path';
import { REGIONS } from '../../config/aws';

/** The S3 backend settings read from terraform-backend.hcl. */
export interface BackendSettings {
  readonly bucket: string;
  readonly region: string;
  readonly encrypt: boolean;
  readonly dynamodbTable?: string;
  readonly useLockfile: boolean;
  readonly kmsKeyId?: string;
}

/** Where the file lives: the project root, found from this module's location (source or dist/). */
export function defaultBackendFile(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'terraform-backend.hcl');
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) throw new Error(`terraform-backend.hcl not found above ${__dirname}`);
      dir = parent;
    }
  }
}

// The attributes the S3 backend accepts that this project uses. `key` is absent on purpose: every stack sets its own.
const KNOWN: Readonly<Record<string, 'string' | 'bool'>> = {
  bucket: 'string',
  region: 'string',
  encrypt: 'bool',
  dynamodb_table: 'string',
  use_lockfile: 'bool',
  kms_key_id: 'string',
};

export class BackendConfigError extends Error {
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = 'BackendConfigError';
  }
}

/**
 * Parses the flat `name = value` subset of HCL that a -backend-config file uses. Anything else (blocks,
 * expressions, unknown or repeated names) is an error rather than a guess, since a silently ignored line would
 * send state somewhere unexpected.
 */
export function parseBackendConfig(text: string, file = 'terraform-backend.hcl'): BackendSettings {
  const values: Record<string, string | boolean> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/^\s+|\s+$/g, '');
    if (line === '' || line.startsWith('#') || line.startsWith('//')) return;
    const m = /^([a-z_]+)\s*=\s*("(?:[^"\\]|\\.)*"|true|false)\s*(?:(?:#|\/\/).*)?$/.exec(line);
    if (!m) throw new BackendConfigError(file, i + 1, `cannot parse ${JSON.stringify(line)}; allowed: name = "string" | true | false`);
    const [, name, rawValue] = m;
    const kind = KNOWN[name];
    if (!kind) {
      const hint = name === 'key' ? ' (each stack sets its own key)' : '';
      throw new BackendConfigError(file, i + 1, `unknown setting ${JSON.stringify(name)}${hint}; allowed: ${Object.keys(KNOWN).join(', ')}`);
    }
    if (name in values) throw new BackendConfigError(file, i + 1, `${name} is set twice`);
    const isString = rawValue.startsWith('"');
    if ((kind === 'string') !== isString) {
      throw new BackendConfigError(file, i + 1, `${name} = ${rawValue}; allowed: ${kind === 'string' ? 'a quoted string' : 'true or false'}`);
    }
    values[name] = isString ? (JSON.parse(rawValue) as string) : rawValue === 'true';
  });
  for (const required of ['bucket', 'region']) {
    if (!(required in values)) throw new BackendConfigError(file, 0, `missing required setting ${required}`);
  }
  const bucket = values.bucket as string;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new BackendConfigError(file, 0, `bucket = ${JSON.stringify(bucket)}; allowed: an S3 bucket name (3-63 lower-case letters, digits, . and -)`);
  }
  const region = values.region as string;
  if (!REGIONS.includes(region)) {
    // The S3 backend refuses an unknown region too, but only at `terraform init` (config/aws.ts holds the list).
    throw new BackendConfigError(file, 0, `region = ${JSON.stringify(region)}; allowed: an AWS region, one of ${REGIONS.join(', ')}`);
  }
  return {
    bucket,
    region,
    encrypt: (values.encrypt as boolean | undefined) ?? true,
    dynamodbTable: values.dynamodb_table as string | undefined,
    useLockfile: (values.use_lockfile as boolean | undefined) ?? false,
    kmsKeyId: values.kms_key_id as string | undefined,
  };
}

export function loadBackendConfig(file = defaultBackendFile()): BackendSettings {
  return parseBackendConfig(readFileSync(file, 'utf8'), path.basename(file));
}
