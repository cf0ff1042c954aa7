/**
 * Typed metric references for CloudWatch dashboard widgets, rendered to the array form the dashboard body uses:
 * `[namespace, metricName, dimName, dimValue, ..., { options }]` for a metric and `[{ expression, ... }]` for metric
 * math (CloudWatch "Dashboard Body Structure and Syntax", metrics array format).
 */

/** Statistics CloudWatch accepts in a dashboard: the five basic ones or a percentile such as `p99`. */
export type Statistic = 'Sum' | 'Average' | 'Minimum' | 'Maximum' | 'SampleCount' | `p${number}`;

/** Metric ids and ids used inside expressions: a lower-case letter, then letters, digits or `_` (CloudWatch rule). */
export const METRIC_ID = /^[a-z][a-zA-Z0-9_]*$/;

export interface MetricOptions {
  /** Id to refer to this metric from a math expression. @default - none (not usable in expressions) */
  readonly id?: string;
  /** Legend label. @default - CloudWatch's generated label */
  readonly label?: string;
  /** `false` hides a metric that only feeds an expression. @default true */
  readonly visible?: boolean;
  /** @default 'left' */
  readonly yAxis?: 'left' | 'right';
  /** Seconds; overrides the widget's period. @default - the widget's period */
  readonly period?: number;
}

export interface MetricProps extends MetricOptions {
  readonly namespace: string;
  readonly metricName: string;
  /** In the order they are rendered. @default {} */
  readonly dimensions?: Readonly<Record<string, string>>;
  /** @default - the widget's stat */
  readonly stat?: Statistic;
}

export interface MetricStat extends MetricProps {
  readonly kind: 'metric';
  readonly dimensions: Readonly<Record<string, string>>;
}

export interface MathExpressionProps extends Omit<MetricOptions, 'id'> {
  readonly id: string;
  /** Metric math, e.g. `SUM([r0, r1])`; lower-case identifiers refer to metric ids of the same widget. */
  readonly expression: string;
}

export interface MathExpression extends MathExpressionProps {
  readonly kind: 'expression';
}

export type MetricEntry = MetricStat | MathExpression;

function checkId(id: string | undefined, where: string): void {
  if (id !== undefined && !METRIC_ID.test(id)) {
    throw new Error(`${where}: metric id ${JSON.stringify(id)} is not allowed; expected a lower-case letter followed by letters, digits or _`);
  }
}

function checkPeriod(period: number | undefined, where: string): void {
  // Dashboards accept 1, 5, 10, 30 (high resolution) or a multiple of 60 seconds.
  if (period !== undefined && !([1, 5, 10, 30].includes(period) || (Number.isInteger(period) && period > 0 && period % 60 === 0))) {
    throw new Error(`${where}: period ${period} is not allowed; expected 1, 5, 10, 30 or a multiple of 60 seconds`);
  }
}

export function metric(props: MetricProps): MetricStat {
  const where = `metric ${props.namespace}/${props.metricName}`;
  checkId(props.id, where);
  checkPeriod(props.period, where);
  return { kind: 'metric', ...props, dimensions: props.dimensions ?? {} };
}

export function mathExpression(props: MathExpressionProps): MathExpression {
  checkId(props.id, `expression ${JSON.stringify(props.expression)}`);
  checkPeriod(props.period, `expression ${props.id}`);
  return { kind: 'expression', ...props };
}

/**
 * Identifiers an expression refers to. CloudWatch functions are upper case (SUM, FILL, IF, METRICS), so every
 * lower-case identifier outside a string literal is a metric id.
 */
export function expressionReferences(expression: string): string[] {
  const withoutStrings = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ');
  return [...new Set(withoutStrings.match(/\b[a-z][a-zA-Z0-9_]*\b/g) ?? [])];
}

/** Ids unique, and every id an expression uses defined in the same list: CloudWatch rejects the widget otherwise. */
export function checkMetricIds(entries: readonly MetricEntry[], where: string): void {
  const ids = new Set<string>();
  for (const entry of entries) {
    if (entry.id === undefined) continue;
    if (ids.has(entry.id)) throw new Error(`${where}: metric id ${JSON.stringify(entry.id)} is used twice; ids must be unique within a widget`);
    ids.add(entry.id);
  }
  for (const entry of entries) {
    if (entry.kind !== 'expression') continue;
    const unknown = expressionReferences(entry.expression).filter((ref) => !ids.has(ref));
    if (unknown.length > 0) {
      throw new Error(`${where}: expression ${entry.id} (${entry.expression}) refers to undefined metric id(s) ${unknown.join(', ')}; defined: ${[...ids].join(', ') || 'none'}`);
    }
  }
}

function renderOptions(entry: MetricEntry): Record<string, unknown> {
  // Fixed key order keeps the dashboard body stable between synths.
  const options: Record<string, unknown> = {};
  if (entry.kind === 'expression') options.expression = entry.expression;
  if (entry.id !== undefined) options.id = entry.id;
  if (entry.kind === 'metric' && entry.stat !== undefined) options.stat = entry.stat;
  if (entry.period !== undefined) options.period = entry.period;
  if (entry.label !== undefined) options.label = entry.label;
  if (entry.visible === false) options.visible = false;
  if (entry.yAxis !== undefined) options.yAxis = entry.yAxis;
  return options;
}

/** The dashboard body's array form of one metric or expression. */
export function renderMetric(entry: MetricEntry): unknown[] {
  const options = renderOptions(entry);
  if (entry.kind === 'expression') return [options];
  const dims = Object.entries(entry.dimensions).flatMap(([name, value]) => [name, value]);
  return [entry.namespace, entry.metricName, ...dims, ...(Object.keys(options).length > 0 ? [options] : [])];
}
