/**
 * The AWS APIs the gateway's tasks call, and so the VPC endpoints `networking.egress: "endpoints"` creates and the
 * cost comparison prices (scripts/cost/network-paths.ts). One list for both, read from what the task does:
 * modules/gateway/container-definition.ts (awslogs, secrets), modules/gateway/task-roles.ts (Bedrock, ECS Exec),
 * gateway-image/ (LiteLLM, the metrics callback writes log lines, not PutMetricData). docs/architecture.md#network-paths.
 */

export interface EndpointService {
  /** The service part of `com.amazonaws.<region>.<service>`. */
  readonly service: string;
  /** Suffix of the construct id (`endpoint-<id>`): a Terraform address. */
  readonly id: string;
  /** Who calls it, and why (the docs and the cost report print it). */
  readonly callers: string;
}

export interface EndpointServicesProps {
  /** gateway.ecsExec.enabled: ECS Exec's SSM agent opens its channels through ssmmessages. */
  readonly ecsExec: boolean;
}

/**
 * Interface endpoints the tasks need without a NAT gateway. Sources: "Amazon ECR interface VPC endpoints
 * (AWS PrivateLink)" (ecr.api, ecr.dkr and the S3 gateway endpoint for Fargate platform 1.4.0+, logs for awslogs,
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html); ECS developer guide "Specifying
 * sensitive data using Secrets Manager secrets" (the secretsmanager endpoint when the task has no internet); "Monitor
 * Amazon ECS containers with ECS Exec" (ssmmessages, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html);
 * Bedrock "Use interface VPC endpoints (AWS PrivateLink)" (bedrock-runtime serves InvokeModel, Converse and
 * ApplyGuardrail: https://docs.aws.amazon.com/bedrock/latest/userguide/vpc-interface-endpoints.html). A cross-Region
 * inference profile is called in the source Region, the Region of the endpoint; Bedrock routes it on from there
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/cross-region-inference-support.html, "Source Region").
 */
export function interfaceEndpointServices(props: EndpointServicesProps): EndpointService[] {
  const services: EndpointService[] = [
    { service: 'bedrock-runtime', id: 'bedrock-runtime', callers: 'LiteLLM: completions (InvokeModel, Converse, streaming) and the guardrail (ApplyGuardrail)' },
    { service: 'ecr.api', id: 'ecr-api', callers: 'Fargate: registry authentication and image manifests at each task start' },
    { service: 'ecr.dkr', id: 'ecr-dkr', callers: 'Fargate: the Docker registry API at each task start (layers then come from S3)' },
    { service: 'logs', id: 'logs', callers: 'the awslogs driver of every container; ECS Exec session logs' },
    { service: 'secretsmanager', id: 'secretsmanager', callers: 'Fargate: the task\'s secrets (DATABASE_URL, keys) injected at start' },
  ];
  if (props.ecsExec) {
    services.push({ service: 'ssmmessages', id: 'ssmmessages', callers: 'ECS Exec: the SSM agent\'s control and data channels' });
  }
  return services;
}

/**
 * APIs one might expect an endpoint for that nothing in the task calls, with the reason: the docs print them, and
 * the endpoints mode creates none of them.
 */
export const NOT_CALLED: readonly { readonly service: string; readonly reason: string }[] = [
  { service: 'sts', reason: 'the task role\'s credentials come from the ECS container credentials endpoint (169.254.170.2), not from STS; nothing assumes a role' },
  { service: 'kms', reason: 'the secrets\' key is used by Secrets Manager on the task\'s behalf (kms:ViaService secretsmanager), not called by the task' },
  { service: 'monitoring', reason: 'usage metrics are JSON log lines turned into metrics by metric filters; nothing calls PutMetricData' },
  { service: 'ssm, ec2messages', reason: 'ECS Exec needs only ssmmessages' },
];

/** The S3 gateway endpoint's service name part. */
export const S3_SERVICE = 's3';
