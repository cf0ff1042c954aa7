import { Construct } from 'constructs';
import { Fn, TerraformStack, Token, ref } from 'cdktf';
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
const EPHEMERAL_SECRET_VERSION = 'aws_secretsmanager_secret_version';

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
   * the value only when it changes. May be a Terraform number expression (`derivedVersion`), so that the value is
   * re-sent whenever something it embeds changes. Ignored in `random` mode, where the value itself is compared.
   * @default 1
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
 * A write-only `_version` that changes whenever any of `parts` changes (a config version, an ARN, an endpoint):
 * the first 12 hex digits of the SHA-256 of the parts, as a number (48 bits: exact in Terraform's numbers and in the
 * provider's int64). Unknown at plan time while a part is; Terraform then resolves it during apply, before the
 * write-only value is sent. Write-only arguments only need a *different* version to re-send, not a larger one.
 */
export function derivedVersion(parts: readonly (string | number)[]): number {
  const strings = parts.map((p) => (typeof p === 'number' ? (Token.isUnresolved(p) ? Token.asString(p) : String(p)) : p));
  return Fn.parseint(Fn.substr(Fn.sha256(Fn.join('/', strings)), 0, 12), 16);
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
      const stack = TerraformStack.of(this.scope);
      stack.addOverride(`ephemeral.${EPHEMERAL_PASSWORD}.${id}`, {
        password_length: length,
        exclude_punctuation: true,
        include_space: false,
      });
      // A token, not a "${...}" string: inside Fn.jsonencode and other functions cdktf escapes literal "${".
      return Token.asString(ref(`ephemeral.${EPHEMERAL_PASSWORD}.${id}.random_password`, stack));
    }
    // One provider per stack, also when several factories share the scope.
    this.randomProvider ??= (this.scope.node.tryFindChild('random') as RandomProvider | undefined) ?? new RandomProvider(this.scope, 'random');
    return new Password(this.scope, `random-${id}`, {
      length,
      special: false,
      // Absent at version 1, so that existing random passwords keep their addresses and values.
      ...(version > 1 ? { keepers: { version: String(version) } } : {}),
    }).result;
  }

  /**
   * Write-only mode: the value a secret version holds, read back from Secrets Manager through an ephemeral
   * `aws_secretsmanager_secret_version` (never stored in state or plan), as a token for write-only arguments. The read
   * names the version by its id, so it happens after that version is written, and reads that version even after a
   * later one becomes AWSCURRENT. A value drawn by `alphanumeric()` is new at every run; read back from the secret it
   * is the same at every run until the secret gets a new version: the secret is the one source of that value.
   */
  readBack(id: string, value: SecretsmanagerSecretVersion): string {
    if (!this.writeOnly) throw new Error(`secret ${id}: readBack is for the write-only generator; random values are in state already`);
    const stack = TerraformStack.of(this.scope);
    stack.addOverride(`ephemeral.${EPHEMERAL_SECRET_VERSION}.${id}`, { secret_id: value.secretId, version_id: value.versionId });
    return Token.asString(ref(`ephemeral.${EPHEMERAL_SECRET_VERSION}.${id}.secret_string`, stack));
  }

  /** A Secrets Manager secret (`<id>`) and its value (`<id>-value`). */
  secret(id: string, props: GeneratedSecretProps): SecretsmanagerSecret {
    return this.secretWithValue(id, props).secret;
  }

  /**
   * Like `secret()`, and also returns the value's resource, for consumers that must not start before the value is
   * written (a task definition whose containers read it at start: a rotated value must be in place first).
   */
  secretWithValue(id: string, props: GeneratedSecretProps): { secret: SecretsmanagerSecret; value: SecretsmanagerSecretVersion } {
    const version = props.version ?? 1;
    const expression = Token.isUnresolved(version);
    if (expression && props.keepFirstValue) throw new Error(`secret ${id}: version is an expression; allowed: 1 (its first value is kept forever)`);
    if (!expression && (!Number.isInteger(version) || version < 1)) throw new Error(`secret ${id}: version got ${version}; allowed: an integer >= 1`);
    if (props.keepFirstValue && version !== 1) throw new Error(`secret ${id}: version got ${version}; allowed: 1 (its first value is kept forever)`);
    const secret = new SecretsmanagerSecret(this.scope, id, {
      name: props.name,
      description: props.description,
      recoveryWindowInDays: props.recoveryWindowInDays,
      ...(props.kmsKeyId ? { kmsKeyId: props.kmsKeyId } : {}),
    });
    const value = new SecretsmanagerSecretVersion(this.scope, `${id}-value`, {
      secretId: secret.id,
      ...(this.writeOnly
        ? {
            secretStringWo: props.value,
            secretStringWoVersion: version,
            // A kept value is never re-sent, whatever the configuration later says; secret_string too, so that a
            // stack moving from the random generator keeps the value it wrote then instead of sending a new one.
            ...(props.keepFirstValue ? { lifecycle: { ignoreChanges: ['secret_string', 'secret_string_wo_version'] } } : {}),
          }
        : { secretString: props.value, ...(props.keepFirstValue ? { lifecycle: { ignoreChanges: ['secret_string'] } } : {}) }),
    });
    return { secret, value };
  }
}
