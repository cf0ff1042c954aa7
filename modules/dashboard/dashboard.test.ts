import { Token } from 'cdktf';
import {
  GRID_WIDTH,
  checkMetricIds,
  dashboardBody,
  expressionReferences,
  layoutRows,
  logsInsightsWidget,
  mathExpression,
  metric,
  metricWidget,
  renderMetric,
  textWidget,
} from './index';

const requests = (id?: string) =>
  metric({ namespace: 'App/Ns', metricName: 'RequestCount', dimensions: { Model: 'm-1' }, stat: 'Sum', ...(id ? { id } : {}) });

describe('metrics', () => {
  test('a metric renders as [namespace, name, dimension pairs..., options]', () => {
    const m = metric({
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_ELB_5XX_Count',
      dimensions: { LoadBalancer: 'app/x/1', TargetGroup: 'targetgroup/y/2' },
      stat: 'Sum',
      id: 'e1',
      label: 'ALB 5xx',
      visible: false,
      yAxis: 'right',
      period: 60,
    });
    expect(renderMetric(m)).toEqual([
      'AWS/ApplicationELB',
      'HTTPCode_ELB_5XX_Count',
      'LoadBalancer',
      'app/x/1',
      'TargetGroup',
      'targetgroup/y/2',
      { id: 'e1', stat: 'Sum', period: 60, label: 'ALB 5xx', visible: false, yAxis: 'right' },
    ]);
  });

  test('a metric without options renders without an options object', () => {
    expect(renderMetric(metric({ namespace: 'AWS/ECS', metricName: 'CPUUtilization' }))).toEqual(['AWS/ECS', 'CPUUtilization']);
  });

  test('an expression renders as a single options object', () => {
    expect(renderMetric(mathExpression({ id: 'total', expression: 'SUM([r0, r1])', label: 'Total' }))).toEqual([
      { expression: 'SUM([r0, r1])', id: 'total', label: 'Total' },
    ]);
  });

  test('a token dimension value stays a token (resolved by cdktf at synth)', () => {
    const lb = Token.asString({ Ref: 'alb' });
    expect(renderMetric(metric({ namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: { LoadBalancer: lb } }))[3]).toBe(lb);
  });

  test.each([
    ['upper-case start', 'M1'],
    ['digit start', '1m'],
    ['dash', 'm-1'],
  ])('a metric id with a %s is refused', (_, id) => {
    expect(() => metric({ namespace: 'N', metricName: 'X', id })).toThrow(new RegExp(`metric id "${id}" is not allowed; expected a lower-case letter`));
    expect(() => mathExpression({ id, expression: 'SUM([a])' })).toThrow(/is not allowed/);
  });

  test.each([[0], [45], [90], [-60]])('period %p is refused', (period) => {
    expect(() => metric({ namespace: 'N', metricName: 'X', period })).toThrow(new RegExp(`period ${period} is not allowed; expected 1, 5, 10, 30 or a multiple of 60`));
  });

  test.each([[1], [30], [60], [300], [3600]])('period %p is accepted', (period) => {
    expect(() => metric({ namespace: 'N', metricName: 'X', period })).not.toThrow();
  });

  test('expression references are the lower-case identifiers outside string literals', () => {
    expect(expressionReferences('IF(requests >= 10, 100 * errors / requests, 0)')).toEqual(['requests', 'errors']);
    expect(expressionReferences('SUM([FILL(r0, 0), FILL(r1, 0)])')).toEqual(['r0', 'r1']);
    expect(expressionReferences('SEARCH(\'{AWS/EC2,InstanceId} cpu\', \'Average\')')).toEqual([]);
  });

  test('ids must be unique and every referenced id defined', () => {
    expect(() => checkMetricIds([requests('r0'), requests('r0')], 'w')).toThrow(/w: metric id "r0" is used twice/);
    expect(() => checkMetricIds([requests('r0'), mathExpression({ id: 'total', expression: 'r0 + r1' })], 'w')).toThrow(
      /w: expression total \(r0 \+ r1\) refers to undefined metric id\(s\) r1; defined: r0, total/,
    );
    expect(() => checkMetricIds([requests('r0'), mathExpression({ id: 'total', expression: 'r0 * 2' })], 'w')).not.toThrow();
  });
});

describe('widgets', () => {
  test('metricWidget: defaults (time series, 300 s, 12 x 6) and fixed key order', () => {
    const w = metricWidget({ title: 'Requests', region: 'us-east-1', metrics: [requests()] });
    expect(w).toEqual({
      type: 'metric',
      width: 12,
      height: 6,
      properties: {
        view: 'timeSeries',
        stacked: false,
        region: 'us-east-1',
        title: 'Requests',
        metrics: [['App/Ns', 'RequestCount', 'Model', 'm-1', { stat: 'Sum' }]],
        period: 300,
      },
    });
    expect(Object.keys(w.properties)).toEqual(['view', 'stacked', 'region', 'title', 'metrics', 'period']);
  });

  test('metricWidget: optional properties appear only when given', () => {
    const w = metricWidget({
      title: 'CPU',
      region: 'eu-west-1',
      view: 'singleValue',
      stacked: true,
      period: 60,
      stat: 'p99',
      yAxis: { left: { min: 0, max: 100 } },
      horizontalAnnotations: [{ label: 'Alarm', value: 85 }],
      setPeriodToTimeRange: true,
      width: 24,
      height: 4,
      metrics: [requests()],
    });
    expect(w.properties).toMatchObject({
      view: 'singleValue',
      stacked: true,
      period: 60,
      stat: 'p99',
      yAxis: { left: { min: 0, max: 100 } },
      annotations: { horizontal: [{ label: 'Alarm', value: 85 }] },
      setPeriodToTimeRange: true,
    });
    expect([w.width, w.height]).toEqual([24, 4]);
  });

  test('metricWidget: refuses no metrics, dangling expression ids and sizes off the grid', () => {
    expect(() => metricWidget({ title: 'Empty', region: 'r', metrics: [] })).toThrow(/metric widget "Empty": expected at least one metric/);
    expect(() => metricWidget({ title: 'Math', region: 'r', metrics: [mathExpression({ id: 'x', expression: 'y * 2' })] })).toThrow(
      /metric widget "Math": expression x \(y \* 2\) refers to undefined metric id\(s\) y/,
    );
    expect(() => metricWidget({ title: 'Wide', region: 'r', metrics: [requests()], width: 25 })).toThrow(
      /metric widget "Wide": width 25 is not allowed; expected an integer from 1 to 24/,
    );
    expect(() => metricWidget({ title: 'Flat', region: 'r', metrics: [requests()], height: 0 })).toThrow(/height 0 is not allowed/);
  });

  test('logsInsightsWidget: SOURCE clauses then commands joined with |', () => {
    const w = logsInsightsWidget({
      title: 'p99',
      region: 'us-east-1',
      logGroupNames: ['/a', '/b'],
      query: ['filter ispresent(x)', 'stats pct(x, 99) as p99 by bin(5m)'],
      view: 'timeSeries',
      stacked: false,
    });
    expect(w).toEqual({
      type: 'log',
      width: 12,
      height: 6,
      properties: {
        query: "SOURCE '/a' | SOURCE '/b' | filter ispresent(x) | stats pct(x, 99) as p99 by bin(5m)",
        region: 'us-east-1',
        title: 'p99',
        view: 'timeSeries',
        stacked: false,
      },
    });
  });

  test('logsInsightsWidget: table by default, without stacked; refuses empty inputs', () => {
    const w = logsInsightsWidget({ title: 't', region: 'r', logGroupNames: ['/a'], query: ['stats count(*)'], stacked: true });
    expect(w.properties.view).toBe('table');
    expect(w.properties).not.toHaveProperty('stacked');
    expect(() => logsInsightsWidget({ title: 't', region: 'r', logGroupNames: [], query: ['x'] })).toThrow(/Logs Insights widget "t": expected at least one log group/);
    expect(() => logsInsightsWidget({ title: 't', region: 'r', logGroupNames: ['/a'], query: [' '] })).toThrow(/expected one or more non-empty query commands/);
  });

  test('textWidget: full width, 2 high by default', () => {
    expect(textWidget({ markdown: '# Hi' })).toEqual({ type: 'text', width: GRID_WIDTH, height: 2, properties: { markdown: '# Hi' } });
    expect(textWidget({ markdown: 'x', background: 'transparent', width: 6, height: 1 })).toEqual({
      type: 'text',
      width: 6,
      height: 1,
      properties: { markdown: 'x', background: 'transparent' },
    });
  });
});

describe('layout', () => {
  const half = () => metricWidget({ title: 'h', region: 'r', metrics: [requests()] });

  test('rows go left to right from x = 0; each row starts below the tallest widget above', () => {
    const placed = layoutRows([[textWidget({ markdown: 'x' })], [half(), half()], [metricWidget({ title: 't', region: 'r', metrics: [requests()], height: 8, width: 8 }), half()], [half()]]);
    expect(placed.map((w) => [w.x, w.y, w.width, w.height])).toEqual([
      [0, 0, 24, 2],
      [0, 2, 12, 6],
      [12, 2, 12, 6],
      [0, 8, 8, 8],
      [8, 8, 12, 6],
      [0, 16, 12, 6],
    ]);
  });

  test('a row wider than the grid or an empty row is refused', () => {
    expect(() => layoutRows([[half(), half(), half()]])).toThrow(/dashboard row 0: widgets are 36 units wide; a row holds at most 24/);
    expect(() => layoutRows([[half()], []])).toThrow(/dashboard row 1: expected at least one widget/);
  });
});

describe('dashboardBody', () => {
  test('is JSON with start, periodOverride and placed widgets in a fixed key order', () => {
    const body = dashboardBody({ start: '-PT6H', periodOverride: 'inherit', widgets: layoutRows([[textWidget({ markdown: 'x' })]]) });
    expect(body).toBe('{"start":"-PT6H","periodOverride":"inherit","widgets":[{"type":"text","x":0,"y":0,"width":24,"height":2,"properties":{"markdown":"x"}}]}');
  });

  test('keeps tokens as cdktf placeholders inside the JSON string', () => {
    const group = Token.asString({ Ref: 'log-group' });
    const body = dashboardBody({ widgets: layoutRows([[logsInsightsWidget({ title: 't', region: 'r', logGroupNames: [group], query: ['stats count(*)'] })]]) });
    expect(body).toContain(`SOURCE '${group}'`);
    expect(JSON.parse(body).widgets[0].properties.query).toBe(`SOURCE '${group}' | stats count(*)`);
  });

  test('refuses no widgets and a Terraform template directive', () => {
    expect(() => dashboardBody({ widgets: [] })).toThrow(/dashboard body: 0 widgets; expected 1 to 500/);
    expect(() => dashboardBody({ widgets: layoutRows([[textWidget({ markdown: '%{ if x }' })]]) })).toThrow(/contains "%\{"/);
  });
});
