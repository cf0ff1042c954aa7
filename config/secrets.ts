import { ObjectSpecOf, Mandatory, defaultsOf } from './schema';

/**
 * How the project generates secret values (the database password, LiteLLM's keys, the agents' keys):
 * - `write-only` (default): ephemeral `aws_secretsmanager_random_password` values sent through write-only arguments;
 *   nothing generated is stored in Terraform state or a saved plan. Needs Terraform >= 1.11.
 * - `random`: the `random` provider (hashicorp/random); the values sit in plain text (marked sensitive, so never
 *   printed) in the state and in every saved plan. For Terraform < 1.11, at the price of treating read access to the
 *   state bucket and to plan files like read access to the secrets.
 * Rotation (both): `database.secretVersions`. docs/secrets.md has the details.
 */
export const SECRET_GENERATORS = ['write-only', 'random'] as const;
export type SecretGenerator = (typeof SECRET_GENERATORS)[number];

export interface SecretsConfig {
  readonly generator: SecretGenerator;
}

export const secretsSpec: Mandatory<ObjectSpecOf<SecretsConfig>> = {
  kind: 'object',
  fields: {
    generator: {
      kind: 'string',
      allowed: SECRET_GENERATORS,
      default: 'write-only',
      doc: '`write-only`: nothing generated in state or plans (Terraform >= 1.11); `random`: the random provider, values in state (docs/secrets.md)',
    },
  },
};

export const secretsDefaults: SecretsConfig = defaultsOf<SecretsConfig>(secretsSpec);
