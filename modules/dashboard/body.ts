/**
 * The `dashboard_body` string: JSON built from typed widgets with JSON.stringify, never a string template. Values
 * unknown until apply (log group, cluster, load balancer) stay cdktf tokens inside the JSON and synthesize to
 * Terraform `${...}` interpolations in the string.
 */
import { PlacedWidget } from './layout';

export interface DashboardBodyProps {
  readonly widgets: readonly PlacedWidget[];
  /** Default time range, e.g. `-PT6H`. @default - CloudWatch's default (3 hours) */
  readonly start?: string;
  /** `inherit` lets the dashboard's period picker override widget periods. @default - CloudWatch's default (auto) */
  readonly periodOverride?: 'auto' | 'inherit';
}

/** Dashboard bodies are limited to 500 widgets (CloudWatch quota). */
export const MAX_WIDGETS = 500;

export function dashboardBody(props: DashboardBodyProps): string {
  if (props.widgets.length === 0 || props.widgets.length > MAX_WIDGETS) {
    throw new Error(`dashboard body: ${props.widgets.length} widgets; expected 1 to ${MAX_WIDGETS}`);
  }
  const widgets = props.widgets.map((w) => ({ type: w.type, x: w.x, y: w.y, width: w.width, height: w.height, properties: w.properties }));
  const body = JSON.stringify({
    ...(props.start !== undefined ? { start: props.start } : {}),
    ...(props.periodOverride !== undefined ? { periodOverride: props.periodOverride } : {}),
    widgets,
  });
  // cdktf escapes a literal "${" but not "%{", which Terraform would read as a template directive.
  if (body.includes('%{')) throw new Error('dashboard body: contains "%{", which Terraform reads as a template directive');
  return body;
}
