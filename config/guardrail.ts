/**
 * `gateway.guardrail`: an Amazon Bedrock guardrail created with the gateway and applied by LiteLLM's Bedrock
 * guardrail integration (docs/guardrails.md). The closed sets and limits are those of the Bedrock CreateGuardrail
 * API and of the hashicorp/aws 5.100 `aws_bedrock_guardrail` schema, so a bad value fails at synth, not at apply.
 */
import { ConfigIssue, Mandatory, ObjectSpecOf, StringSpec, defaultsOf } from './schema';

/** GuardrailContentFilterType (Bedrock API reference, GuardrailContentFilterConfig). */
export const CONTENT_FILTER_TYPES = ['SEXUAL', 'VIOLENCE', 'HATE', 'INSULTS', 'MISCONDUCT', 'PROMPT_ATTACK'] as const;
export type ContentFilterType = (typeof CONTENT_FILTER_TYPES)[number];
/** GuardrailFilterStrength. */
export const FILTER_STRENGTHS = ['NONE', 'LOW', 'MEDIUM', 'HIGH'] as const;
export type FilterStrength = (typeof FILTER_STRENGTHS)[number];

/** GuardrailPiiEntityType (Bedrock API reference, GuardrailPiiEntityConfig). */
export const PII_ENTITY_TYPES = [
  'ADDRESS', 'AGE', 'AWS_ACCESS_KEY', 'AWS_SECRET_KEY', 'CA_HEALTH_NUMBER', 'CA_SOCIAL_INSURANCE_NUMBER',
  'CREDIT_DEBIT_CARD_CVV', 'CREDIT_DEBIT_CARD_EXPIRY', 'CREDIT_DEBIT_CARD_NUMBER', 'DRIVER_ID', 'EMAIL',
  'INTERNATIONAL_BANK_ACCOUNT_NUMBER', 'IP_ADDRESS', 'LICENSE_PLATE', 'MAC_ADDRESS', 'NAME', 'PASSWORD', 'PHONE', 'PIN',
  'SWIFT_CODE', 'UK_NATIONAL_HEALTH_SERVICE_NUMBER', 'UK_NATIONAL_INSURANCE_NUMBER', 'UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER',
  'URL', 'USERNAME', 'US_BANK_ACCOUNT_NUMBER', 'US_BANK_ROUTING_NUMBER', 'US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER',
  'US_PASSPORT_NUMBER', 'US_SOCIAL_SECURITY_NUMBER', 'VEHICLE_IDENTIFICATION_NUMBER',
] as const;
export type PiiEntityType = (typeof PII_ENTITY_TYPES)[number];
/** GuardrailSensitiveInformationAction. */
export const PII_ACTIONS = ['BLOCK', 'ANONYMIZE'] as const;
export type PiiAction = (typeof PII_ACTIONS)[number];
/** GuardrailManagedWordsType. */
export const MANAGED_WORD_LISTS = ['PROFANITY'] as const;

/** LiteLLM's guardrail event hooks the Bedrock integration supports for chat traffic (litellm/types/guardrails.py). */
export const GUARDRAIL_MODES = ['pre_call', 'post_call', 'during_call'] as const;
export type GuardrailMode = (typeof GUARDRAIL_MODES)[number];

/**
 * `all`: LiteLLM runs the guardrail on every request of every agent and alias (`default_on` true).
 * `on-request`: only on requests that name it (`"guardrails": ["bedrock-guardrail"]` in the request body), so an
 * agent opts in from its own code. Per-key attachment is a LiteLLM Enterprise feature; see docs/guardrails.md.
 */
export const GUARDRAIL_APPLIES_TO = ['all', 'on-request'] as const;
export type GuardrailAppliesTo = (typeof GUARDRAIL_APPLIES_TO)[number];

export interface FilterStrengths {
  readonly input: FilterStrength;
  readonly output: FilterStrength;
}

export interface DeniedTopic {
  /** 1-100 characters of letters, digits, space and `-_!?.` (provider 5.100 validation). */
  readonly name: string;
  /** 1-200 characters: what the topic is, as a sentence. */
  readonly definition: string;
  /** Up to 5 example phrases of 1-100 characters. */
  readonly examples?: readonly string[];
}

export interface GuardrailConfig {
  /** Create the guardrail and let LiteLLM apply it. */
  readonly enabled: boolean;
  /**
   * Strength per content filter, for prompts (input) and completions (output). PROMPT_ATTACK applies to input only:
   * its output strength must be NONE (Bedrock refuses anything else). A filter with both NONE is left out.
   */
  readonly contentFilters: Readonly<Partial<Record<ContentFilterType, FilterStrengths>>>;
  /** PII entity type -> BLOCK or ANONYMIZE. None by default: the agents process documents full of names and addresses. */
  readonly piiEntities: Readonly<Partial<Record<PiiEntityType, PiiAction>>>;
  readonly deniedTopics: readonly DeniedTopic[];
  /** Exact words or phrases to block, 1-100 characters each. */
  readonly wordFilters: readonly string[];
  readonly managedWordLists: readonly (typeof MANAGED_WORD_LISTS)[number][];
  /** Returned instead of the completion when a prompt is blocked (1-500 characters). */
  readonly blockedInputMessage: string;
  /** Returned instead of the completion when a completion is blocked (1-500 characters). */
  readonly blockedOutputMessage: string;
  /**
   * When LiteLLM calls the guardrail. It is baked into gateway-image/config/litellm_config.yaml (the image is built
   * from it), so this must equal the YAML's `mode`; the gateway stack checks it.
   */
  readonly mode: readonly GuardrailMode[];
  /** Which requests it runs on. */
  readonly appliesTo: GuardrailAppliesTo;
}

const strength: Mandatory<StringSpec<FilterStrength>> & { readonly allowed: readonly FilterStrength[] } = { kind: 'string', allowed: FILTER_STRENGTHS };
const message: Mandatory<StringSpec> = { kind: 'string', pattern: /^[\s\S]{1,500}$/, describe: 'a message of 1 to 500 characters' };

export const guardrailSpec: Mandatory<ObjectSpecOf<GuardrailConfig>> = {
  kind: 'object',
  fields: {
    enabled: {
      kind: 'boolean',
      default: false,
      doc: 'Create a Bedrock guardrail and let LiteLLM apply it (docs/guardrails.md); needs at least one active policy',
    },
    contentFilters: {
      kind: 'record',
      keyPattern: new RegExp(`^(${CONTENT_FILTER_TYPES.join('|')})$`),
      keyDescribe: `content filter types (${CONTENT_FILTER_TYPES.join(', ')})`,
      values: { kind: 'object', fields: { input: { ...strength, doc: 'Strength on prompts' }, output: {
        ...strength,
        doc: 'Strength on completions; must be NONE for PROMPT_ATTACK',
      } } },
      default: {
        SEXUAL: { input: 'MEDIUM', output: 'MEDIUM' },
        VIOLENCE: { input: 'MEDIUM', output: 'MEDIUM' },
        HATE: { input: 'MEDIUM', output: 'MEDIUM' },
        INSULTS: { input: 'MEDIUM', output: 'MEDIUM' },
        MISCONDUCT: { input: 'MEDIUM', output: 'MEDIUM' },
        PROMPT_ATTACK: { input: 'HIGH', output: 'NONE' },
      },
      doc: 'Content filter type -> `{ input, output }` strengths; both NONE leaves the filter out',
    },
    piiEntities: {
      kind: 'record',
      keyPattern: new RegExp(`^(${PII_ENTITY_TYPES.join('|')})$`),
      keyDescribe: `Bedrock PII entity types (${PII_ENTITY_TYPES.join(', ')})`,
      values: { kind: 'string', allowed: PII_ACTIONS },
      default: {},
      doc: 'PII entity type -> action',
    },
    deniedTopics: {
      kind: 'array',
      maxItems: 30,
      items: {
        kind: 'object',
        fields: {
          name: {
            kind: 'string',
            pattern: /^[0-9a-zA-Z\-_ !?.]{1,100}$/,
            describe: 'a topic name of 1 to 100 letters, digits, spaces and -_!?.',
            doc: 'Topic name',
          },
          definition: {
            kind: 'string',
            pattern: /^[\s\S]{1,200}$/,
            describe: 'a definition of 1 to 200 characters',
            doc: 'What the topic is, as a sentence',
          },
          examples: {
            kind: 'array',
            optional: true,
            maxItems: 5,
            items: { kind: 'string', pattern: /^[\s\S]{1,100}$/, describe: 'an example phrase of 1 to 100 characters' },
            doc: 'Up to 5 example phrases',
          },
        },
      },
      default: [],
      doc: 'Denied topics, up to 30, names distinct (case-insensitive)',
    },
    wordFilters: {
      kind: 'array',
      unique: true,
      maxItems: 10000,
      items: { kind: 'string', pattern: /^\S[\s\S]{0,99}$/, describe: 'a word or phrase of 1 to 100 characters' },
      default: [],
      doc: 'Exact words or phrases to block, up to 10,000',
    },
    managedWordLists: { kind: 'array', unique: true, items: { kind: 'string', allowed: MANAGED_WORD_LISTS }, default: [], doc: 'Managed word lists' },
    blockedInputMessage: { ...message, default: 'This request was blocked by the gateway guardrail.', doc: 'Returned when a prompt is blocked' },
    blockedOutputMessage: {
      ...message,
      default: 'The model response was blocked by the gateway guardrail.',
      doc: 'Returned when a completion is blocked',
    },
    mode: {
      kind: 'array',
      minItems: 1,
      unique: true,
      items: { kind: 'string', allowed: GUARDRAIL_MODES },
      default: ['pre_call', 'post_call'],
      doc: 'LiteLLM hooks that call the guardrail; must equal the `mode` in gateway-image/config/litellm_config.yaml (checked by the gateway stack)',
    },
    appliesTo: {
      kind: 'string',
      allowed: GUARDRAIL_APPLIES_TO,
      default: 'all',
      doc: '`all`: every request; `on-request`: requests naming the guardrail',
    },
  },
};

export const guardrailDefaults: GuardrailConfig = defaultsOf<GuardrailConfig>(guardrailSpec);

/** Content filters Bedrock gets: both strengths NONE means "off", which Bedrock expresses by leaving it out. */
export function activeContentFilters(g: GuardrailConfig): [ContentFilterType, FilterStrengths][] {
  return CONTENT_FILTER_TYPES.flatMap((type) => {
    const s = g.contentFilters[type];
    return s === undefined || (s.input === 'NONE' && s.output === 'NONE') ? [] : [[type, s] as [ContentFilterType, FilterStrengths]];
  });
}

/** True when the guardrail would have no policy at all (Bedrock refuses a guardrail without one). */
function hasNoPolicy(g: GuardrailConfig): boolean {
  return (
    activeContentFilters(g).length === 0 &&
    Object.keys(g.piiEntities).length === 0 &&
    g.deniedTopics.length === 0 &&
    g.wordFilters.length === 0 &&
    g.managedWordLists.length === 0
  );
}

export function checkGuardrail(g: GuardrailConfig, path = 'gateway.guardrail'): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const attack = g.contentFilters.PROMPT_ATTACK;
  if (attack !== undefined && attack.output !== 'NONE') {
    issues.push({
      path: `${path}.contentFilters.PROMPT_ATTACK.output`,
      value: attack.output,
      allowed: '"NONE": Bedrock evaluates prompt attacks on input only and refuses any other output strength',
    });
  }
  const names = new Set<string>();
  g.deniedTopics.forEach((topic, i) => {
    const key = topic.name.toLowerCase();
    if (names.has(key)) issues.push({ path: `${path}.deniedTopics[${i}].name`, value: topic.name, allowed: 'a name not used by another denied topic' });
    names.add(key);
  });
  if (g.enabled && hasNoPolicy(g)) {
    issues.push({
      path: `${path}.contentFilters`,
      value: g.contentFilters,
      allowed: 'at least one active policy (a content filter above NONE, a PII entity, a denied topic or a word filter) when the guardrail is enabled',
    });
  }
  return issues;
}
