import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Password } from '@cdktf/provider-random/lib/password';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';

import type { SecretGenerator } from '../../config';

/**
 * Generator modes (config/secrets.ts): `write-only` feeds an ephemeral `aws_secretsmanager_random_password`
 * (Secrets Manager GetRandomPassword) into write-only arguments (`secret_string_wo`, `master_password_wo`): the
 * value is never stored in state or in a saved plan and is sent to AWS only when the argument's `_version` changes.
 * `random` uses the `random` provider's `random_password`, stored (marked sensitive) in state.
 */
export type { SecretGenerator };

/** Ephemeral resources arrived in Terraform 1.10, write-only arguments in 1.11. */
export const WRITE_ONLY_MIN_TERRAFORM = '1.11.0';

const EPHEMERAL_PASSWORD = 'aws_secretsmanager_random_password';

export interface SecretFactoryProps {
  readonly generator: SecretGenerator;
}

export interface GeneratedSecretProps {
  /** Physical name of the secret. */
  readonly name: string;
  readonly description: string;
  /** The secret string: may embed values from `alphanumeric()` (e.g. a URL or JSON around a password). */
  readonly value: string;
  /**
   * Bump to write a new value (rotation). In `write-only` mode this is `secret_string_wo_version`: Terraform sends
   * the value only when it changes. @default 1
   */
  readonly version?: number;
  /** @default - the AWS managed key aws/secretsmanager */
  readonly kmsKeyId?: string;
  readonly recoveryWindowInDays: number;
  /**
   * The first value is kept forever (LiteLLM's salt key): the version must stay 1, and in `random` mode later
   * changes of the value are ignored. @default false
   */
  readonly keepFirstValue?: boolean;
}

/**
 * Makes generated secrets in one stack, in the configured generator's mode. Resources are created directly in
 * `scope` with the ids given, so their Terraform addresses stay those of the calling stack.
 */
export class SecretFactory {
  private randomProvider?: RandomProvider;

  constructor(
    private readonly scope: Construct,
    readonly props: SecretFactoryProps,
  ) {}

  get writeOnly(): boolean {
    return this.props.generator === 'write-only';
  }

  /**
   * A random string of letters and digits (safe inside URLs and RDS master passwords), as a Terraform expression
   * to be used only in write-only arguments (write-only mode) or secret strings (random mode). `version` > 1
   * regenerates it in random mode (keepers); in write-only mode a fresh value is drawn on every run anyway, and only
   * the consumer's `_version` decides whether it is sent.
   */
  alphanumeric(id: string, length: number, version = 1): string {
    if (this.writeOnly) {
      TerraformStack.of(this.scope).addOverride(`ephemeral.${EPHEMERAL_PASSWORD}.${id}`, {
        password_length: length,
        exclude_punctuation: true,
        include_space: false,
      });
      return `\${ephemeral.${EPHEMERAL_PASSWORD}.${id}.random_password}`;
    }
    this.randomProvider ??= new RandomProvider(this.scope, 'random');
    return new Password(this.scope, `random-${id}`, {
      length,
      special: false,
      // Absent at version 1, so that existing random passwords keep their addresses and values.
      ...(version > 1 ? { keepers: { version: String(version) } } : {}),
    }).result;
  }

  /** A Secrets Manager secret (`<id>`) and its value (`<id>-value`). */
  secret(id: string, props: GeneratedSecretProps): SecretsmanagerSecret {
    const version = props.version ?? 1;
    if (!Number.isInteger(version) || version < 1) throw new Error(`secret ${id}: version got ${version}; allowed: an integer >= 1`);
    if (props.keepFirstValue && version !== 1) throw new Error(`secret ${id}: version got ${version}; allowed: 1 (its first value is kept forever)`);
    const secret = new SecretsmanagerSecret(this.scope, id, {
      name: props.name,
      description: props.description,
      recoveryWindowInDays: props.recoveryWindowInDays,
      ...(props.kmsKeyId ? { kmsKeyId: props.kmsKeyId } : {}),
    });
    new SecretsmanagerSecretVersion(this.scope, `${id}-value`, {
      secretId: secret.id,
      ...(this.writeOnly
        ? { secretStringWo: props.value, secretStringWoVersion: version }
        : { secretString: props.value, ...(props.keepFirstValue ? { lifecycle: { ignoreChanges: ['secret_string'] } } : {}) }),
    });
    return secret;
  }
}
