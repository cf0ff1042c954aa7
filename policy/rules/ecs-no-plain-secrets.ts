import { readContainerDefinitions, type ContainerEnvironmentEntry } from '../ecs';
import { interpolations } from '../terraform';
import { nonCompliant, verdict, type PolicyRule, type RuleResult, type TfElement } from '../types';

/** Names that suggest a secret; from the issue, anchored where a bare substring would over-match. */
export const SECRET_NAME = /(PASSWORD|SECRET|TOKEN|_KEY$|^KEY|CREDENTIAL|DATABASE_URL|API_KEY)/i;

/**
 * Names that match SECRET_NAME but hold no secret, with the reason. Kept short on purpose: anything else is a
 * secret until someone suppresses the finding with a written reason.
 */
export const NON_SECRET_NAMES: ReadonlyMap<string, string> = new Map([
  ['IAM_TOKEN_DB_AUTH', 'LiteLLM switch ("true") that makes it fetch short-lived IAM auth tokens; holds no token'],
  ['LITELLM_CONFIG_BUCKET_OBJECT_KEY', 'S3 object key (a path) of the LiteLLM config file, not a cryptographic key'],
]);

/** Values that are secrets whatever the variable is called. */
const SECRET_VALUES: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  { pattern: /\bsk-[A-Za-z0-9_-]{8,}/, what: 'an API key (sk-...)' },
  { pattern: /\b(AKIA|ASIA)[A-Z0-9]{16}\b/, what: 'an AWS access key id' },
  { pattern: /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i, what: 'a URL with a password (scheme://user:pass@)' },
];

/** References that resolve to secret material at apply time and would be stored in the task definition in clear. */
const SECRET_REFERENCE =
  /\bsecret_string\b|\brandom_password\.[\w-]+\.(result|bcrypt_hash)\b|\bmaster_password\b|\baws_iam_access_key\.[\w-]+\.secret\b/;

/** A name ending in _ARN may match SECRET_NAME (DB_SECRET_ARN) and is fine when its value is an ARN, not the secret. */
function isArnOfSecret(entry: ContainerEnvironmentEntry): boolean {
  const value = typeof entry.value === 'string' ? entry.value : '';
  return /_ARN$/i.test(entry.name) && (/^arn:/.test(value) || /^\$\{[^}]*\.arn\}$/.test(value));
}

function problemWith(container: string, entry: ContainerEnvironmentEntry): string | undefined {
  const where = `container ${JSON.stringify(container)} environment ${entry.name || '(unnamed)'}`;
  const value = typeof entry.value === 'string' ? entry.value : '';
  const secretValue = SECRET_VALUES.find(({ pattern }) => pattern.test(value));
  if (secretValue !== undefined) {
    return `${where} holds ${secretValue.what}`;
  }
  if (interpolations(value).some((expression) => SECRET_REFERENCE.test(expression))) {
    return `${where} references secret material (${value})`;
  }
  if (SECRET_NAME.test(entry.name) && !NON_SECRET_NAMES.has(entry.name.toUpperCase()) && !isArnOfSecret(entry)) {
    return `${where} has a secret-like name`;
  }
  return undefined;
}

/**
 * Plain `environment` values are visible to anyone who can describe the task definition and are kept in every
 * revision; secrets belong in `secrets` (`valueFrom` a Secrets Manager ARN) so only the execution role reads them.
 * An unreadable container_definitions (built with Fn.jsonencode) fails: the rule cannot vouch for it.
 */
export function evaluateEcsNoPlainSecrets(element: TfElement): RuleResult {
  const definitions = readContainerDefinitions(element.attributes['container_definitions']);
  if (!definitions.ok) {
    return nonCompliant(definitions.reason);
  }
  return verdict(
    definitions.containers.flatMap((container) =>
      container.environment.flatMap((entry) => problemWith(container.name, entry) ?? []),
    ),
  );
}

export const ecsNoPlainSecrets: PolicyRule = {
  id: 'ecs-no-plain-secrets',
  title: 'Containers get secrets through `secrets`, not plain environment',
  appliesTo: ['aws_ecs_task_definition'],
  fix: 'Move the variable to the container\'s secrets: [{ name, valueFrom: <Secrets Manager secret ARN>[:json-key::] }] and grant the execution role secretsmanager:GetSecretValue on that ARN only.',
  evaluate: evaluateEcsNoPlainSecrets,
};
