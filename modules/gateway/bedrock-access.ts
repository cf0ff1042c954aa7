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
