import { FieldSpec } from './schema';

/**
 * How the project generates secret values (the database password, LiteLLM's keys, the agents' keys):
 * - `write-only` (default): ephemeral `aws_secretsmanager_random_password` values sent through write-only arguments;
 *   nothing generated is stored in Terraform state or a saved plan. Needs Terraform >= 1.11.
 * - `random`: the `random` provider; the values sit (marked sensitive) in the state. For Terraform < 1.11, at the
 *   price of treating read access to the state like read access to the secrets.
 */
export const SECRET_GENERATORS = ['write-only', 'random'] as const;
export type SecretGenerator = (typeof SECRET_GENERATORS)[number];

export interface SecretsConfig {
  /** @default 'write-only' */
  readonly generator: SecretGenerator;
}

export const secretsDefaults: SecretsConfig = { generator: 'write-only' };

export const secretsSpec: FieldSpec = {
  kind: 'object',
  fields: {
    generator: { kind: 'string', allowed: SECRET_GENERATORS },
  },
};
