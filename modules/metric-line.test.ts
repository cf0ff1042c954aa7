import { spawnSync } from 'child_process';
import * as path from 'path';
import {
  FAILURE_ONLY_FIELDS,
  METRIC_LINE_FIELD_TYPES,
  METRIC_LINE_FIELDS,
  MetricLineField,
  metricLineSelector,
  quote,
} from './metric-line';

const DRIVER = path.resolve(__dirname, '..', 'gateway-image', 'tests', 'emit_metric_lines.py');
const LOGICAL = Object.keys(METRIC_LINE_FIELDS) as MetricLineField[];
const ALWAYS = LOGICAL.filter((f) => !FAILURE_ONLY_FIELDS.includes(f));

type Line = Record<string, unknown>;

function jsonTypeOf(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

describe('the metric line written by gateway-image/callbacks/metrics_logger.py', () => {
  let success: Line;
  let failure: Line;

  beforeAll(() => {
    // GIVEN the real callback, run by python3 on one success and one throttled call
    const run = spawnSync('python3', [DRIVER], {
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    if (run.error) throw run.error;
    if (run.status !== 0) throw new Error(`${DRIVER} exited ${run.status}: ${run.stderr}`);
    // WHEN its stdout is read as the CloudWatch agent would: one JSON object per line
    const lines = run.stdout.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(2);
    [success, failure] = lines.map((l) => JSON.parse(l) as Line);
  });

  test('a success line has exactly the shared fields, without the failure-only ones', () => {
    expect(Object.keys(success).sort()).toEqual(ALWAYS.map((f) => METRIC_LINE_FIELDS[f]).sort());
  });

  test('a failure line has exactly every field', () => {
    expect(Object.keys(failure).sort()).toEqual(Object.values(METRIC_LINE_FIELDS).sort());
  });

  test.each(LOGICAL)('%s has the declared JSON type wherever it appears', (field) => {
    const name = METRIC_LINE_FIELDS[field];
    const expected = METRIC_LINE_FIELD_TYPES[field];
    for (const line of [success, failure]) {
      if (!(name in line)) continue;
      const actual = jsonTypeOf(line[name]);
      // A whole-valued float such as 0.0 parses as an integer in JSON, which a `number` field also accepts.
      expect(expected === 'number' ? ['number', 'integer'] : [expected]).toContain(actual);
    }
  });

  test('the marker is true, statuses are 200 and the provider status on failure', () => {
    expect(success[METRIC_LINE_FIELDS.marker]).toBe(true);
    expect(failure[METRIC_LINE_FIELDS.marker]).toBe(true);
    expect(success[METRIC_LINE_FIELDS.statusCode]).toBe(200);
    expect(failure[METRIC_LINE_FIELDS.statusCode]).toBe(429);
  });

  test('model is the Bedrock model id, the catalogue modelId', () => {
    expect(success[METRIC_LINE_FIELDS.model]).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(success[METRIC_LINE_FIELDS.modelGroup]).toBe('claude-primary');
    expect(success[METRIC_LINE_FIELDS.keyAlias]).toBe('extraction-agent');
  });

  test('selectors address the JSON fields', () => {
    expect(metricLineSelector('marker')).toBe('$.litellm_metric');
    expect(metricLineSelector('responseTimeMs')).toBe('$.response_time_ms');
  });
});

describe('quote', () => {
  test('a double-quoted literal with backslashes and double quotes escaped', () => {
    expect(quote('claude-fast')).toBe('"claude-fast"');
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
  });
});
