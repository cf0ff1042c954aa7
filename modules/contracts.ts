/**
 * The typed values stacks hand to each other through props. cdktf turns a value that crosses stacks into an output
 * of the producer and a terraform_remote_state read in the consumer, so keep these narrow.
 *
 * They live in modules/ because modules (the container definition) consume them too, and modules import nothing
 * from stacks/ (tested by modules/layering.test.ts); stacks/contracts.ts re-exports them.
 */
/** What other stacks need from the network: narrow, typed, passed through props. */
export interface NetworkOutputs {
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** One per AZ, in AZ order; ALB, tasks, database and cache live here. */
  readonly privateSubnetIds: readonly string[];
  readonly albSecurityGroupId: string;
  readonly ecsSecurityGroupId: string;
  readonly dbSecurityGroupId: string;
}

/** The secrets the gateway container reads, as Secrets Manager ARNs. */
export interface GatewaySecretArns {
  /** String secret: `postgresql://user:password@host:5432/litellm`. */
  readonly databaseUrlArn: string;
  /** String secret: the LiteLLM admin key, `sk-...`. */
  readonly masterKeyArn: string;
  /** String secret: the LiteLLM salt key (never rotate). */
  readonly saltKeyArn: string;
  /** JSON secret with keys `username` and `password`. */
  readonly uiCredentialsArn: string;
  /** Customer-managed KMS key of these secrets; the execution role needs kms:Decrypt on it. */
  readonly kmsKeyArn?: string;
}

/** JSON keys inside the UI credentials secret (ECS `valueFrom: <arn>:<key>::`). */
export const UI_CREDENTIAL_KEYS = { username: 'username', password: 'password' } as const;

export interface DatabaseOutputs {
  readonly secrets: GatewaySecretArns;
  /** Writer endpoint host name. */
  readonly clusterEndpoint: string;
  /** DBClusterIdentifier, the dimension of AWS/RDS metrics. */
  readonly clusterIdentifier: string;
  /** Upper bound of Serverless v2 capacity, for the "ACU at max" alarm. */
  readonly maxCapacity: number;
}

export interface GatewayOutputs {
  /** The container's log group, where the metric filters read the metrics callback's lines. */
  readonly logGroupName: string;
  readonly clusterName: string;
  readonly serviceName: string;
  /** `app/<name>/<id>`: the LoadBalancer dimension of AWS/ApplicationELB metrics. */
  readonly albArnSuffix: string;
  /** `targetgroup/<name>/<id>`: the TargetGroup dimension. */
  readonly targetGroupArnSuffix: string;
  /** What agents set as OPENAI_BASE_URL, e.g. `https://llm-gateway.document-processing.internal/v1`. */
  readonly serviceUrl: string;
  /** The internal ALB, for the edge stack's CloudFront VPC origin. */
  readonly albArn: string;
  /** `internal-<name>-<id>.<region>.elb.amazonaws.com`: the VPC origin's domain name in the distribution. */
  readonly albDnsName: string;
  /** The gateway's task role (the one that calls Bedrock): what the Bedrock hard stop attaches its deny policy to. */
  readonly taskRoleName: string;
  readonly taskRoleArn: string;
  /** The Bedrock guardrail LiteLLM applies (gateway.guardrail.enabled): the GuardrailArn/GuardrailVersion metric dimensions. */
  readonly guardrail?: { readonly arn: string; readonly version: string };
}
