import { alarmDefaults } from '../../config/observability';
import { AGENT_INSIGHTS_TITLES, AGENT_WIDGET_TITLES } from '../agent-metrics';
import { Widget } from '../dashboard';
import { DashboardInput, dashboardRows } from './dashboard-rows';
import { selectGatewayMetrics } from './metrics';

const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const INPUT: DashboardInput = {
  appName: 'app',
  environment: 'dev',
  region: 'us-east-1',
  namespace: 'NS',
  logGroupName: '/app/gateway',
  models: [
    { modelId: SONNET, label: 'claude-primary' },
    { modelId: HAIKU, label: 'claude-fast' },
  ],
  thresholds: alarmDefaults,
  clusterName: 'cluster',
  serviceName: 'service',
  albArnSuffix: 'app/alb/1',
  agents: ['supervisor', 'chunking'],
  selection: { usage: 'metric-filters', totalTokens: true },
};
type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const props = (w: Widget): Props => w.properties as Props;
const all = (rows: Widget[][]): Widget[] => rows.flat();
const titled = (rows: Widget[][], title: string): Widget => {
  const found = all(rows).find((w) => props(w).title === title);
  if (!found) throw new Error(`no widget titled ${title}`);
  return found;
};
/** Names of the gateway-namespace metrics the metric widgets read. */
const readMetrics = (rows: Widget[][]): Set<string> =>
  new Set(all(rows).filter((w) => w.type === 'metric').flatMap((w) => (props(w).metrics as unknown[][]).filter((m) => m[0] === 'NS').map((m) => m[1] as string)));

describe('dashboard rows, usage from metric filters', () => {
  const rows = dashboardRows(INPUT);

  test('a header, seven rows of two, three agent rows', () => {
    expect(rows.map((r) => r.length)).toEqual([1, 2, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2]);
    expect(props(rows[0][0]).markdown).toMatch(/Runbook: docs\/runbook\.md\./);
  });

  test('reads only the metrics the filters publish', () => {
    const published = new Set([...selectGatewayMetrics([SONNET, HAIKU], INPUT.selection).map((m) => m.name), 'AgentRequestCount', 'AgentRequestErrors', 'AgentInputTokens', 'AgentOutputTokens', 'AgentResponseCostUSD']);
    for (const name of readMetrics(rows)) expect(published).toContain(name);
    expect(readMetrics(rows)).toContain('TotalTokens');
    expect(props(titled(rows, AGENT_WIDGET_TITLES.cost)).stacked).toBe(true);
  });

  test('a guardrail adds its row last', () => {
    const withGuardrail = dashboardRows({ ...INPUT, guardrail: { arn: 'arn:g', version: '1' } });
    expect(withGuardrail).toHaveLength(rows.length + 1);
    expect(props(withGuardrail.at(-1)![0]).title).toBe('Guardrail: evaluations and interventions');
  });
});

describe('dashboard rows, usage from Logs Insights (observability.usageMetrics "logs-insights", dev)', () => {
  const input: DashboardInput = { ...INPUT, selection: { usage: 'logs-insights', totalTokens: false } };
  const rows = dashboardRows(input);

  test('the metric widgets read only the metrics that exist: requests and errors per model', () => {
    expect([...readMetrics(rows)].sort()).toEqual(['RequestCount', 'RequestErrors']);
    const published = new Set(selectGatewayMetrics([SONNET, HAIKU], input.selection).map((m) => m.name));
    for (const name of readMetrics(rows)) expect(published).toContain(name);
  });

  test('tokens, cost and latency per model are Logs Insights queries on the metric lines of the gateway log group', () => {
    for (const title of ['Input tokens, output tokens, estimated cost (USD)', 'Average response time by model (ms)', 'Tokens per successful request by model', 'Estimated cost per successful request by model (USD)']) {
      const w = titled(rows, title);
      expect(w.type).toBe('log');
      expect(props(w).query).toMatch(/^SOURCE '\/app\/gateway' \| filter ispresent\(litellm_metric\)/);
    }
    // A line per aggregate: grouped by bin() alone.
    expect(props(titled(rows, 'Input and output tokens over time')).query).toMatch(/as output_tokens by bin\(5m\)$/);
    expect(props(rows[0][0]).markdown).toMatch(/Logs Insights/);
  });

  test('per agent: tables restricted to the declared agents, like the metric filters', () => {
    const usage = props(titled(rows, AGENT_INSIGHTS_TITLES.usage));
    expect(usage.query).toContain('key_alias in ["supervisor", "chunking"]');
    expect(usage.query).toMatch(/by key_alias \| sort cost_usd desc$/);
    expect(props(titled(rows, AGENT_INSIGHTS_TITLES.errors)).query).toContain('status_code >= 400 and key_alias in ["supervisor", "chunking"]');
    expect(all(rows).some((w) => props(w).title === AGENT_WIDGET_TITLES.cost)).toBe(false);
  });
});
