/**
 * The task role's Bedrock permissions, derived from the model catalogue (the LiteLLM config) so that adding a model
 * there is the only step to make it callable, and nothing else is.
 */
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { ModelCatalogue } from '../model-catalogue';

/** InvokeModel also authorises Converse, InvokeModelWithResponseStream also ConverseStream (Bedrock IAM docs). */
export const BEDROCK_INVOKE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'] as const;

/** Values that are only known at deploy time (tokens) in a stack. */
export interface ArnContext {
  /** `aws`, `aws-cn`, `aws-us-gov` (DataAwsPartition). */
  readonly partition: string;
  /** Account that owns the system-defined inference profiles as seen by the caller (DataAwsCallerIdentity). */
  readonly account: string;
}

/** A system-defined cross-region inference profile the catalogue calls, and the foundation model behind it. */
export interface RoutedProfile {
  /** `arn:<p>:bedrock:<source region>:<account>:inference-profile/<profile id>`. */
  readonly profileArn: string;
  /**
   * `arn:<p>:bedrock:*::foundation-model/<base id>`: every region, because Bedrock may route a call to any destination
   * region of the profile, and AWS adds destinations over time (the `us.` Haiku 4.5 profile also lists us-west-1).
   */
  readonly foundationModelArn: string;
}

export interface BedrockResources {
  /** Distinct profiles, in catalogue order. */
  readonly profiles: readonly RoutedProfile[];
  /** Foundation models the catalogue calls directly (no profile prefix), in their own region. */
  readonly directFoundationModelArns: readonly string[];
}

/**
 * A cross-region profile is invoked in the model's `aws_region_name` (the source region; the profile ARN carries
 * the caller's account) and Bedrock then invokes the foundation model in one of the profile's destination regions,
 * checking the caller's permission on the foundation model there too (Amazon Bedrock User Guide, "Prerequisites for
 * inference profiles"; docs/first-contact.md).
 */
export function bedrockResources(catalogue: ModelCatalogue, ctx: ArnContext): BedrockResources {
  const profiles = new Map<string, RoutedProfile>();
  const direct: string[] = [];
  const foundationModel = (region: string, id: string) => `arn:${ctx.partition}:bedrock:${region}::foundation-model/${id}`;
  for (const model of catalogue.models) {
    if (model.inferenceProfilePrefix === undefined) {
      direct.push(foundationModel(model.region, model.foundationModelId));
      continue;
    }
    const profileArn = `arn:${ctx.partition}:bedrock:${model.region}:${ctx.account}:inference-profile/${model.modelId}`;
    if (!profiles.has(profileArn)) profiles.set(profileArn, { profileArn, foundationModelArn: foundationModel('*', model.foundationModelId) });
  }
  return { profiles: [...profiles.values()], directFoundationModelArns: distinct(direct) };
}

/**
 * Policy statements for exactly the catalogue's models: the profiles themselves, and per profile its foundation model
 * in any region but only when the call comes through that profile (condition `bedrock:InferenceProfileArn`, the
 * pattern of the Bedrock User Guide's "Prerequisites for inference profiles"). So the role cannot call a foundation
 * model directly in any region, nor through a profile the catalogue does not name.
 */
export function bedrockInvokeStatements(catalogue: ModelCatalogue, ctx: ArnContext): DataAwsIamPolicyDocumentStatement[] {
  const r = bedrockResources(catalogue, ctx);
  const statements: DataAwsIamPolicyDocumentStatement[] = [];
  if (r.profiles.length > 0) {
    statements.push({ sid: 'InvokeInferenceProfiles', effect: 'Allow', actions: [...BEDROCK_INVOKE_ACTIONS], resources: r.profiles.map((p) => p.profileArn) });
    r.profiles.forEach((p, i) =>
      statements.push({
        sid: `InvokeFoundationModelThroughProfile${i + 1}`,
        effect: 'Allow',
        actions: [...BEDROCK_INVOKE_ACTIONS],
        resources: [p.foundationModelArn],
        condition: [{ test: 'StringEquals', variable: 'bedrock:InferenceProfileArn', values: [p.profileArn] }],
      }),
    );
  }
  if (r.directFoundationModelArns.length > 0) {
    statements.push({
      sid: 'InvokeInRegionFoundationModels',
      effect: 'Allow',
      actions: [...BEDROCK_INVOKE_ACTIONS],
      resources: [...r.directFoundationModelArns],
    });
  }
  return statements;
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * AWS Marketplace product ids of the Bedrock models the catalogue may call (Amazon Bedrock User Guide, "Use product
 * ID condition keys to control access"). Keyed by the foundation model id.
 */
export const MARKETPLACE_PRODUCT_IDS: Readonly<Record<string, string>> = {
  'anthropic.claude-sonnet-4-5-20250929-v1:0': 'prod-mxcfnwvpd6kb4',
  'anthropic.claude-haiku-4-5-20251001-v1:0': 'prod-xdkflymybwmvi',
  'anthropic.claude-sonnet-4-20250514-v1:0': 'prod-4pmewlybdftbs',
  'anthropic.claude-opus-4-1-20250805-v1:0': 'prod-w3q2d6rfge4tw',
  'anthropic.claude-3-7-sonnet-20250219-v1:0': 'prod-4dlfvry4v5hbi',
  'anthropic.claude-3-5-haiku-20241022-v1:0': 'prod-5oba7y7jpji56',
};

/** Providers whose Bedrock models are not sold through AWS Marketplace: they need no subscription (same page). */
const NOT_IN_MARKETPLACE = ['amazon.', 'meta.', 'mistral.', 'deepseek.', 'qwen.', 'openai.'];

/** Models of the catalogue sold through AWS Marketplace whose product id MARKETPLACE_PRODUCT_IDS does not know. */
export function unknownMarketplaceModels(catalogue: Pick<ModelCatalogue, 'models'>): ModelCatalogue['models'][number][] {
  return catalogue.models.filter((model) => {
    const id = model.foundationModelId;
    return !NOT_IN_MARKETPLACE.some((prefix) => id.startsWith(prefix)) && MARKETPLACE_PRODUCT_IDS[id] === undefined;
  });
}

/**
 * The task role's permission to let Bedrock create the account's Marketplace subscription on the first call of a
 * third-party model (Bedrock "Access Amazon Bedrock foundation models"; the AccessDeniedException names
 * aws-marketplace:ViewSubscriptions and aws-marketplace:Subscribe, AWS re:Post "bedrock-resolve-marketplace-permission").
 * Subscribe is limited to the catalogue's products with `aws-marketplace:ProductId`, the only condition key AWS
 * offers here and for Subscribe only; neither action has a resource type, so `*`. Unsubscribe is not granted: the
 * first call does not need it, and it would let the gateway cancel the account's access.
 * A Marketplace model without a known product id gets no grant here: the catalogue checks
 * (modules/catalogue-checks.ts, unknownMarketplaceModels) refuse it before any stack exists.
 */
export function marketplaceSubscribeStatements(catalogue: ModelCatalogue): DataAwsIamPolicyDocumentStatement[] {
  const productIds = catalogue.models.flatMap((model) => {
    const product = MARKETPLACE_PRODUCT_IDS[model.foundationModelId];
    return product === undefined ? [] : [product];
  });
  const products = distinct(productIds);
  if (products.length === 0) return [];
  return [
    { sid: 'MarketplaceViewSubscriptions', effect: 'Allow', actions: ['aws-marketplace:ViewSubscriptions'], resources: ['*'] },
    {
      sid: 'MarketplaceSubscribeCatalogueModels',
      effect: 'Allow',
      actions: ['aws-marketplace:Subscribe'],
      resources: ['*'],
      condition: [
        { test: 'ForAllValues:StringEquals', variable: 'aws-marketplace:ProductId', values: products },
        // ForAllValues alone also matches a request without the key: require it.
        { test: 'Null', variable: 'aws-marketplace:ProductId', values: ['false'] },
      ],
    },
  ];
}
