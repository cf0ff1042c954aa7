/**
 * Typed CloudWatch dashboard widgets (metric, Logs Insights, text), each sized but not yet placed: layout.ts gives
 * them x/y. Properties follow "CloudWatch dashboard body structure and syntax"; objects are built in a fixed key
 * order so the synthesized body is byte-stable.
 */
import { MetricEntry, Statistic, checkMetricIds, renderMetric } from './metrics';

/** CloudWatch dashboards are a grid 24 units wide. */
export const GRID_WIDTH = 24;
/** Two widgets per row, as the seed lays the dashboard out. */
export const HALF_WIDTH = 12;
export const DEFAULT_HEIGHT = 6;

interface Sized {
  readonly width: number;
  readonly height: number;
}

export interface HorizontalAnnotation {
  readonly label: string;
  readonly value: number;
  /** Hex colour. @default - CloudWatch's default */
  readonly color?: string;
}

export interface YAxisRange {
  readonly min?: number;
  readonly max?: number;
  readonly label?: string;
  /** @default true */
  readonly showUnits?: boolean;
}

export interface MetricWidgetProperties {
  readonly view: 'timeSeries' | 'singleValue' | 'bar' | 'pie' | 'gauge';
  readonly stacked: boolean;
  readonly region: string;
  readonly title: string;
  readonly metrics: readonly unknown[][];
  readonly period: number;
  readonly stat?: Statistic;
  readonly yAxis?: { readonly left?: YAxisRange; readonly right?: YAxisRange };
  readonly annotations?: { readonly horizontal: readonly HorizontalAnnotation[] };
  readonly setPeriodToTimeRange?: boolean;
}

export interface MetricWidget extends Sized {
  readonly type: 'metric';
  readonly properties: MetricWidgetProperties;
}

export interface LogWidgetProperties {
  readonly query: string;
  readonly region: string;
  readonly title: string;
  readonly view: 'table' | 'timeSeries' | 'bar' | 'pie';
  readonly stacked?: boolean;
}

export interface LogWidget extends Sized {
  readonly type: 'log';
  readonly properties: LogWidgetProperties;
}

export interface TextWidget extends Sized {
  readonly type: 'text';
  readonly properties: { readonly markdown: string; readonly background?: 'solid' | 'transparent' };
}

export type Widget = MetricWidget | LogWidget | TextWidget;

interface SizeProps {
  /** Grid units (1-24). @default 12 */
  readonly width?: number;
  /** Grid units. @default 6 */
  readonly height?: number;
}

function size(props: SizeProps, where: string, defaults: Sized = { width: HALF_WIDTH, height: DEFAULT_HEIGHT }): Sized {
  const width = props.width ?? defaults.width;
  const height = props.height ?? defaults.height;
  if (!Number.isInteger(width) || width < 1 || width > GRID_WIDTH) {
    throw new Error(`${where}: width ${width} is not allowed; expected an integer from 1 to ${GRID_WIDTH}`);
  }
  if (!Number.isInteger(height) || height < 1 || height > 1000) {
    throw new Error(`${where}: height ${height} is not allowed; expected an integer from 1 to 1000`);
  }
  return { width, height };
}

export interface MetricWidgetProps extends SizeProps {
  readonly title: string;
  readonly region: string;
  readonly metrics: readonly MetricEntry[];
  /** @default 'timeSeries' */
  readonly view?: MetricWidgetProperties['view'];
  /** @default false */
  readonly stacked?: boolean;
  /** Seconds. @default 300 */
  readonly period?: number;
  /** Default statistic of the widget's metrics. @default - CloudWatch's Average */
  readonly stat?: Statistic;
  readonly yAxis?: MetricWidgetProperties['yAxis'];
  /** Threshold lines, e.g. an alarm's threshold. @default none */
  readonly horizontalAnnotations?: readonly HorizontalAnnotation[];
  /** Single-value widgets: aggregate over the whole time range instead of the last period. @default false */
  readonly setPeriodToTimeRange?: boolean;
}

export function metricWidget(props: MetricWidgetProps): MetricWidget {
  const where = `metric widget "${props.title}"`;
  if (props.metrics.length === 0) throw new Error(`${where}: expected at least one metric`);
  // A widget draws at most 500 metrics (dashboard body quota).
  if (props.metrics.length > 500) throw new Error(`${where}: ${props.metrics.length} metrics; a widget holds at most 500`);
  checkMetricIds(props.metrics, where);
  const properties: MetricWidgetProperties = {
    view: props.view ?? 'timeSeries',
    stacked: props.stacked ?? false,
    region: props.region,
    title: props.title,
    metrics: props.metrics.map(renderMetric),
    period: props.period ?? 300,
    ...(props.stat !== undefined ? { stat: props.stat } : {}),
    ...(props.yAxis !== undefined ? { yAxis: props.yAxis } : {}),
    ...(props.horizontalAnnotations !== undefined && props.horizontalAnnotations.length > 0
      ? { annotations: { horizontal: props.horizontalAnnotations } }
      : {}),
    ...(props.setPeriodToTimeRange ? { setPeriodToTimeRange: true } : {}),
  };
  return { type: 'metric', ...size(props, where), properties };
}

export interface LogsInsightsWidgetProps extends SizeProps {
  readonly title: string;
  readonly region: string;
  /** Log groups the query reads (`SOURCE '<name>'`); may be unresolved tokens. */
  readonly logGroupNames: readonly string[];
  /** Query commands after the SOURCE clauses, joined with `|`, e.g. `['filter x > 1', 'stats count(*) by bin(5m)']`. */
  readonly query: readonly string[];
  /** @default 'table' */
  readonly view?: LogWidgetProperties['view'];
  /** Only for timeSeries and bar views. @default false */
  readonly stacked?: boolean;
}

export function logsInsightsWidget(props: LogsInsightsWidgetProps): LogWidget {
  const where = `Logs Insights widget "${props.title}"`;
  if (props.logGroupNames.length === 0) throw new Error(`${where}: expected at least one log group`);
  if (props.query.length === 0 || props.query.some((command) => command.trim() === '')) {
    throw new Error(`${where}: expected one or more non-empty query commands`);
  }
  const query = [...props.logGroupNames.map((name) => `SOURCE '${name}'`), ...props.query].join(' | ');
  const view = props.view ?? 'table';
  const properties: LogWidgetProperties = {
    query,
    region: props.region,
    title: props.title,
    view,
    ...(props.stacked !== undefined && view !== 'table' && view !== 'pie' ? { stacked: props.stacked } : {}),
  };
  return { type: 'log', ...size(props, where), properties };
}

export interface TextWidgetProps extends SizeProps {
  readonly markdown: string;
  /** @default 'solid' */
  readonly background?: 'solid' | 'transparent';
}

/** Full width and 2 units high by default: a header line. */
export function textWidget(props: TextWidgetProps): TextWidget {
  const properties = { markdown: props.markdown, ...(props.background !== undefined ? { background: props.background } : {}) };
  return { type: 'text', ...size(props, 'text widget', { width: GRID_WIDTH, height: 2 }), properties };
}
