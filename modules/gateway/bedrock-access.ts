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

export interface BedrockResources {
  /** `arn:<p>:bedrock:<source region>:<account>:inference-profile/<profile id>`, distinct, in catalogue order. */
  readonly inferenceProfileArns: readonly string[];
  /** Foundation models reachable through those profiles, in every destination region, distinct. */
  readonly routedFoundationModelArns: readonly string[];
  /** Foundation models the catalogue calls directly (no profile prefix), in their own region. */
  readonly directFoundationModelArns: readonly string[];
}

/**
 * A cross-region profile is invoked in the model's `aws_region_name` (the source region; the profile ARN carries
 * the caller's account) and Bedrock then invokes the foundation model in one of the profile's destination regions,
 * checking the caller's permission there too (facts C5).
 */
export function bedrockResources(catalogue: ModelCatalogue, ctx: ArnContext): BedrockResources {
  const profiles: string[] = [];
  const routed: string[] = [];
  const direct: string[] = [];
  const foundationModel = (region: string, id: string) => `arn:${ctx.partition}:bedrock:${region}::foundation-model/${id}`;
  for (const model of catalogue.models) {
    if (model.inferenceProfilePrefix === undefined) {
      direct.push(foundationModel(model.region, model.foundationModelId));
      continue;
    }
    profiles.push(`arn:${ctx.partition}:bedrock:${model.region}:${ctx.account}:inference-profile/${model.modelId}`);
    for (const region of model.destinationRegions) routed.push(foundationModel(region, model.foundationModelId));
  }
  return {
    inferenceProfileArns: distinct(profiles),
    routedFoundationModelArns: distinct(routed),
    directFoundationModelArns: distinct(direct),
  };
}

/**
 * Policy statements for exactly the catalogue's models. The routed foundation models are conditioned on
 * `bedrock:InferenceProfileArn` (AWS "Prerequisites for inference profiles": a foundation-model statement may be
 * restricted to calls made through given profiles), so the role cannot call them directly in any region.
 */
export function bedrockInvokeStatements(catalogue: ModelCatalogue, ctx: ArnContext): DataAwsIamPolicyDocumentStatement[] {
  const r = bedrockResources(catalogue, ctx);
  const statements: DataAwsIamPolicyDocumentStatement[] = [];
  if (r.inferenceProfileArns.length > 0) {
    statements.push(
      { sid: 'InvokeInferenceProfiles', effect: 'Allow', actions: [...BEDROCK_INVOKE_ACTIONS], resources: [...r.inferenceProfileArns] },
      {
        sid: 'InvokeFoundationModelsThroughProfiles',
        effect: 'Allow',
        actions: [...BEDROCK_INVOKE_ACTIONS],
        resources: [...r.routedFoundationModelArns],
        condition: [{ test: 'StringLike', variable: 'bedrock:InferenceProfileArn', values: [...r.inferenceProfileArns] }],
      },
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
