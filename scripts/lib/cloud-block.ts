const CLOUD_KEYS = ['organization', 'hostname', 'token', 'workspaces'];
const WORKSPACES_KEYS = ['name', 'tags', 'project'];

/**
 * The cloud block's documented arguments (Terraform "HCP Terraform settings": organization, hostname, token,
 * workspaces { name | tags, project }), which `init -backend=false` and `validate` do not look at. A named
 * workspace is required: cdktf reads cross-stack values from it.
 */
export function checkCloudBlock(terraformBlock: Record<string, unknown> | undefined): string | undefined {
  const cloud = terraformBlock?.cloud as Record<string, unknown> | undefined;
  if (!cloud) return 'no terraform.cloud block';
  if (terraformBlock?.backend !== undefined) return 'a backend block beside the cloud block';
  const unknown = Object.keys(cloud).filter((k) => !CLOUD_KEYS.includes(k));
  if (unknown.length > 0) return `unknown cloud block arguments ${unknown.join(', ')}`;
  if (typeof cloud.organization !== 'string' || cloud.organization === '') return 'cloud.organization is not a name';
  const ws = cloud.workspaces as Record<string, unknown> | undefined;
  if (!ws || typeof ws !== 'object') return 'no cloud.workspaces block';
  const unknownWs = Object.keys(ws).filter((k) => !WORKSPACES_KEYS.includes(k));
  if (unknownWs.length > 0) return `unknown cloud.workspaces arguments ${unknownWs.join(', ')}`;
  if (typeof ws.name !== 'string' || ws.name === '' || ws.tags !== undefined) return 'cloud.workspaces must name exactly one workspace (name, not tags)';
  return undefined;
}
