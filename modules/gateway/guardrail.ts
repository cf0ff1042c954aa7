/**
 * The Amazon Bedrock guardrail LiteLLM applies to the agents' traffic (gateway.guardrail, docs/guardrails.md): an
 * `aws_bedrock_guardrail` (its working DRAFT) and a pinned `aws_bedrock_guardrail_version`, the container
 * environment that points LiteLLM's `bedrock-guardrail` entry at them, and the task role's permission to apply it.
 */
import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { BedrockGuardrail } from '@cdktf/provider-aws/lib/bedrock-guardrail';
import { BedrockGuardrailVersion } from '@cdktf/provider-aws/lib/bedrock-guardrail-version';
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { ConfigIssue } from '../../config';
import { GuardrailConfig, activeContentFilters, PiiEntityType } from '../../config/guardrail';
import type { ModelCatalogue } from '../model-catalogue';
import type { KeyValue } from './container-definition';

/** `guardrail_name` of the entry in gateway-image/config/litellm_config.yaml: what requests name it by. */
export const LITELLM_GUARDRAIL_NAME = 'bedrock-guardrail';

/** The variables the YAML entry reads (os.environ/...), set by the task definition when the guardrail is on. */
export const GUARDRAIL_ENV = {
  id: 'BEDROCK_GUARDRAIL_ID',
  version: 'BEDROCK_GUARDRAIL_VERSION',
  defaultOn: 'BEDROCK_GUARDRAIL_DEFAULT_ON',
  maskContent: 'BEDROCK_GUARDRAIL_MASK_CONTENT',
} as const;

export interface GatewayGuardrailProps {
  /** Guardrail name: 1-50 of [0-9a-zA-Z-_]. */
  readonly name: string;
  readonly config: GuardrailConfig;
}

export interface GatewayGuardrail {
  readonly guardrail: BedrockGuardrail;
  readonly version: BedrockGuardrailVersion;
  /** `arn:<partition>:bedrock:<region>:<account>:guardrail/<id>`: the resource ApplyGuardrail is authorised on. */
  readonly arn: string;
  readonly id: string;
  /** The pinned version number LiteLLM applies (never DRAFT, which changes under a running service). */
  readonly versionNumber: string;
}

/** The policy content Bedrock evaluates, in a stable order: also what the pinned version's fingerprint covers. */
function policies(config: GuardrailConfig) {
  const filters = activeContentFilters(config).map(([type, s]) => ({ type, inputStrength: s.input, outputStrength: s.output }));
  const pii = (Object.keys(config.piiEntities) as PiiEntityType[]).sort().map((type) => ({ type, action: config.piiEntities[type]! }));
  const topics = config.deniedTopics.map((t) => ({
    name: t.name,
    definition: t.definition,
    type: 'DENY',
    ...(t.examples !== undefined && t.examples.length > 0 ? { examples: [...t.examples] } : {}),
  }));
  const words = config.wordFilters.map((text) => ({ text }));
  const managed = config.managedWordLists.map((type) => ({ type }));
  return { filters, pii, topics, words, managed };
}

/** True when a PII entity is ANONYMIZE: LiteLLM must then forward Bedrock's masked text (mask_*_content). */
export function guardrailMasksContent(config: GuardrailConfig): boolean {
  return Object.values(config.piiEntities).includes('ANONYMIZE');
}

/**
 * A short digest of everything the guardrail evaluates. It is the pinned version's description, which forces a new
 * version (replacement) whenever the policy changes: a version is an immutable snapshot of the DRAFT taken at
 * creation, and aws_bedrock_guardrail_version would otherwise keep pointing at the old snapshot.
 */
export function guardrailFingerprint(config: GuardrailConfig): string {
  const p = policies(config);
  const content = JSON.stringify({ ...p, blockedInput: config.blockedInputMessage, blockedOutput: config.blockedOutputMessage });
  return createHash('sha256').update(content).digest('hex').slice(0, 16);
}

export function createGatewayGuardrail(scope: Construct, props: GatewayGuardrailProps): GatewayGuardrail {
  const { config } = props;
  const p = policies(config);
  const guardrail = new BedrockGuardrail(scope, 'guardrail', {
    name: props.name,
    description: 'Applied by LiteLLM to the LLM gateway traffic (pre_call/post_call); managed by Terraform',
    blockedInputMessaging: config.blockedInputMessage,
    blockedOutputsMessaging: config.blockedOutputMessage,
    ...(p.filters.length > 0 ? { contentPolicyConfig: [{ filtersConfig: p.filters }] } : {}),
    ...(p.pii.length > 0 ? { sensitiveInformationPolicyConfig: [{ piiEntitiesConfig: p.pii }] } : {}),
    ...(p.topics.length > 0 ? { topicPolicyConfig: [{ topicsConfig: p.topics }] } : {}),
    ...(p.words.length > 0 || p.managed.length > 0
      ? {
          wordPolicyConfig: [
            { ...(p.words.length > 0 ? { wordsConfig: p.words } : {}), ...(p.managed.length > 0 ? { managedWordListsConfig: p.managed } : {}) },
          ],
        }
      : {}),
  });
  const version = new BedrockGuardrailVersion(scope, 'guardrail-version', {
    guardrailArn: guardrail.guardrailArn,
    description: `Pinned by Terraform; policy ${guardrailFingerprint(config)}`,
    // A replaced version is left in Bedrock, not deleted: Terraform would delete it as soon as UpdateService returns,
    // while the old tasks still apply it until ECS has replaced them, and LiteLLM lets a request through unchecked when
    // ApplyGuardrail fails (docs/guardrails.md). Deleting the guardrail at destroy deletes all its versions.
    skipDestroy: true,
    lifecycle: { createBeforeDestroy: true },
  });
  return { guardrail, version, arn: guardrail.guardrailArn, id: guardrail.guardrailId, versionNumber: version.version };
}

/** The container variables of the YAML's `bedrock-guardrail` entry; none at all when the guardrail is off. */
export function guardrailEnvironment(guardrail: Pick<GatewayGuardrail, 'id' | 'versionNumber'>, config: GuardrailConfig): KeyValue[] {
  return [
    { name: GUARDRAIL_ENV.id, value: guardrail.id },
    { name: GUARDRAIL_ENV.version, value: guardrail.versionNumber },
    // LiteLLM's get_secret turns exactly "true"/"false" into booleans (litellm/secret_managers/main.py).
    { name: GUARDRAIL_ENV.defaultOn, value: config.appliesTo === 'all' ? 'true' : 'false' },
    { name: GUARDRAIL_ENV.maskContent, value: guardrailMasksContent(config) ? 'true' : 'false' },
  ];
}

/**
 * ApplyGuardrail on this guardrail only (resource type `guardrail`, Service Authorization Reference for Amazon
 * Bedrock; "Set up permissions to use Amazon Bedrock Guardrails"). LiteLLM calls the ApplyGuardrail API itself; an
 * InvokeModel/Converse call that names a guardrail needs the same permission.
 */
export function applyGuardrailStatement(guardrailArn: string): DataAwsIamPolicyDocumentStatement {
  return { sid: 'ApplyGatewayGuardrail', effect: 'Allow', actions: ['bedrock:ApplyGuardrail'], resources: [guardrailArn] };
}

/**
 * The baked LiteLLM config must agree with gateway.guardrail: LiteLLM only runs what the YAML declares, and the
 * YAML cannot change per deploy. Returns the problems, each naming the field, the value and what is allowed (run by
 * the catalogue checks, modules/catalogue-checks.ts).
 */
export function guardrailEntryProblems(catalogue: Pick<ModelCatalogue, 'guardrails'>, config: GuardrailConfig): ConfigIssue[] {
  const problems: ConfigIssue[] = [];
  const entry = catalogue.guardrails.find((g) => g.name === LITELLM_GUARDRAIL_NAME);
  const yaml = (name: string) => `LiteLLM config guardrails[${JSON.stringify(name)}]`;
  if (!config.enabled) {
    for (const g of catalogue.guardrails) {
      if (g.defaultOn === true) {
        problems.push({
          path: `${yaml(g.name)}.litellm_params.default_on`,
          value: true,
          problem: 'gateway.guardrail.enabled is false',
          allowed: `os.environ/${GUARDRAIL_ENV.defaultOn} (unset when off), or false: LiteLLM would call the guardrail on every request with no id`,
        });
      }
    }
    return problems;
  }
  if (entry === undefined) {
    return [
      {
        path: 'gateway.guardrail.enabled',
        value: true,
        problem: `the LiteLLM config has no guardrails entry named ${JSON.stringify(LITELLM_GUARDRAIL_NAME)}`,
        allowed: 'true only with that entry (gateway-image/config/litellm_config.yaml, docs/guardrails.md)',
      },
    ];
  }
  if (entry.integration !== 'bedrock') {
    problems.push({ path: `${yaml(entry.name)}.litellm_params.guardrail`, value: entry.integration, allowed: '"bedrock"' });
  }
  for (const name of Object.values(GUARDRAIL_ENV)) {
    if (!entry.environmentReferences.includes(name)) {
      problems.push({
        path: yaml(entry.name),
        value: entry.environmentReferences,
        problem: `does not reference os.environ/${name}`,
        allowed:
          `an entry that reads ${Object.values(GUARDRAIL_ENV).map((n) => `os.environ/${n}`).join(', ')}, which the task sets from the ` +
          'guardrail Terraform manages',
      });
    }
  }
  const same = entry.mode.length === config.mode.length && config.mode.every((m) => entry.mode.includes(m));
  if (!same) {
    problems.push({
      path: 'gateway.guardrail.mode',
      value: config.mode,
      allowed: `the LiteLLM config's mode ${JSON.stringify(entry.mode)} (the YAML is baked into the image: change both together)`,
    });
  }
  return problems;
}
