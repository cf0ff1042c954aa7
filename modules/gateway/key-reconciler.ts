/**
 * The key reconciler: a non-essential container in the gateway task, from the same image, that registers
 * the agents' virtual keys through LiteLLM's admin API on localhost once the proxy is healthy, then exits
 * (gateway-image/reconciler/reconcile_keys.py; design and limits in docs/agents.md).
 */
export const RECONCILER_CONTAINER_NAME = 'key-reconciler';
/** Where the Dockerfile copies the script. */
export const RECONCILER_SCRIPT = '/app/reconciler/reconcile_keys.py';
/** The reconciler reads the admin key under this name, whatever the proxy's own variable is called. */
export const RECONCILER_MASTER_KEY_ENV = 'LITELLM_MASTER_KEY';
export const RECONCILER_DECLARED_ENV = 'AGENT_KEYS_DECLARED';

export interface ReconcilerContainerProps {
  readonly image: string;
  /** The proxy container: the reconciler starts when its health check passes. */
  readonly proxyContainerName: string;
  /** awsvpc tasks share one network namespace: the proxy is on 127.0.0.1. */
  readonly proxyPort: number;
  /** AGENT_KEYS_DECLARED (createAgentKeys().declaredJson): no secret in it. */
  readonly declaredJson: string;
  readonly masterKeyArn: string;
  /** Per agent: the container variable and the secret it comes from. */
  readonly agentKeys: readonly { readonly envName: string; readonly secretArn: string }[];
  readonly logGroupName: string;
  readonly region: string;
  /** Attempts and pause of the reconciler's bounded retries. @default 30 attempts, 5 s */
  readonly maxAttempts?: number;
  readonly retrySeconds?: number;
}

export interface ReconcilerContainerDefinition {
  readonly name: string;
  readonly image: string;
  readonly essential: false;
  readonly entryPoint: readonly string[];
  readonly command: readonly string[];
  readonly dependsOn: readonly { readonly containerName: string; readonly condition: 'HEALTHY' }[];
  readonly environment: readonly { readonly name: string; readonly value: string }[];
  readonly secrets: readonly { readonly name: string; readonly valueFrom: string }[];
  readonly logConfiguration: { readonly logDriver: 'awslogs'; readonly options: Readonly<Record<string, string>> };
  readonly readonlyRootFilesystem: boolean;
  readonly stopTimeout: number;
}

export function reconcilerContainerDefinition(props: ReconcilerContainerProps): ReconcilerContainerDefinition {
  const names = [RECONCILER_MASTER_KEY_ENV, ...props.agentKeys.map((k) => k.envName)];
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new Error(`key reconciler: the variable ${duplicate} would be set twice; agent names must map to distinct AGENT_KEY_<NAME> variables`);
  return {
    name: RECONCILER_CONTAINER_NAME,
    image: props.image,
    // Its exit (0 when done, 1 after bounded retries) must not stop the task serving traffic.
    essential: false,
    // The image's entrypoint (docker/prod_entrypoint.sh) would run `litellm <command>`: replace it.
    entryPoint: ['python3', RECONCILER_SCRIPT],
    command: [],
    dependsOn: [{ containerName: props.proxyContainerName, condition: 'HEALTHY' }],
    environment: [
      { name: RECONCILER_DECLARED_ENV, value: props.declaredJson },
      { name: 'LITELLM_ADMIN_URL', value: `http://127.0.0.1:${props.proxyPort}` },
      { name: 'RECONCILER_MAX_ATTEMPTS', value: String(props.maxAttempts ?? 30) },
      { name: 'RECONCILER_RETRY_SECONDS', value: String(props.retrySeconds ?? 5) },
    ],
    secrets: [
      { name: RECONCILER_MASTER_KEY_ENV, valueFrom: props.masterKeyArn },
      ...props.agentKeys.map((k) => ({ name: k.envName, valueFrom: k.secretArn })),
    ],
    logConfiguration: {
      logDriver: 'awslogs',
      options: { 'awslogs-group': props.logGroupName, 'awslogs-region': props.region, 'awslogs-stream-prefix': RECONCILER_CONTAINER_NAME },
    },
    // A script run as __main__ writes no bytecode: nothing to write.
    readonlyRootFilesystem: true,
    stopTimeout: 10,
  };
}
