/** Reading synthesized Terraform JSON in unit tests. */
import { TerraformStack, Testing } from 'cdktf';
import type { Construct } from 'constructs';

/** Synthesized Terraform JSON, read loosely: tests index into it by resource type and construct id. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The stack's Terraform JSON and its text, with cdktf's validations run (as `cdktf synth` does). */
export function synthStack(stack: TerraformStack): { json: Json; text: string } {
  const text = Testing.synth(stack, true);
  return { json: JSON.parse(text), text };
}

/** The resources of one type by construct id; `{}` when the stack has none. */
export const resources = (json: Json, type: string): Json => json.resource?.[type] ?? {};

/** The statements of an `aws_iam_policy_document` data source. */
export const policyStatements = (json: Json, id: string): Json[] => json.data.aws_iam_policy_document[id].statement;

/** The container definitions of the gateway's task definition (`task-definition`). */
export const containers = (json: Json): Json[] => JSON.parse(resources(json, 'aws_ecs_task_definition')['task-definition'].container_definitions);

/** One container of the gateway's task definition by name; `litellm` is the proxy. */
export const container = (json: Json, name = 'litellm'): Json => containers(json).find((c) => c.name === name)!;

/** `Testing.synthScope` for a module's constructs: its Terraform JSON and text. */
export function synthScope(build: (scope: Construct) => void): { json: Json; text: string } {
  const text = Testing.synthScope(build);
  return { json: JSON.parse(text), text };
}

/** The text under the `## <heading>` or `### <heading>` of a Markdown document, up to the next heading of level 2 or 3. */
export function markdownSection(text: string, heading: string): string {
  const match = new RegExp(`\n#{2,3} ${heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`).exec(text);
  if (match === null) throw new Error(`no section "${heading}"`);
  const rest = text.slice(match.index + match[0].length);
  const end = rest.search(/\n#{2,3} /);
  return end < 0 ? rest : rest.slice(0, end);
}
