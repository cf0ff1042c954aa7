/**
 * Every dashboard widget the README or docs/*.md name ("the ... table", "the ... widget", "widget ..."), quoted,
 * is a widget title the app really synthesizes, in some validate profile of dev or prod or with the Logs Insights lever.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { deepMerge, loadConfig } from '../config';
import { buildApp } from '../main';
import { EXAMPLE_ON_CALL, VALIDATE_PROFILES } from '../scripts/lib/profiles';

const ROOT = path.join(__dirname, '..');
const backend = { bucket: 'state-bucket', region: 'us-east-1', encrypt: true, dynamodbTable: 'lock', useLockfile: true };

/** The usage-metrics lever of docs/cost.md: its dashboard has Logs Insights tables in place of metric widgets. */
const LOGS_INSIGHTS = { observability: { usageMetrics: 'logs-insights', totalTokensMetric: false, tokenDriftAlarm: false } };

function synthesizedTitles(): Set<string> {
  const titles = new Set<string>();
  for (const env of ['dev', 'prod']) {
    const variants = [...Object.values(VALIDATE_PROFILES).map((p) => p.overrides('us-east-1') ?? {}), LOGS_INSIGHTS];
    for (const overrides of variants) {
      const outdir = mkdtempSync(path.join(os.tmpdir(), 'titles-'));
      buildApp({ config: loadConfig({ environment: env, overrides: deepMerge(EXAMPLE_ON_CALL, overrides) }), backend, outdir }).synth();
      for (const stack of readdirSync(path.join(outdir, 'stacks'))) {
        const json = JSON.parse(readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
        for (const d of Object.values(json.resource?.aws_cloudwatch_dashboard ?? {}) as { dashboard_body: string }[]) {
          for (const w of JSON.parse(d.dashboard_body).widgets as { type: string; properties?: { title?: string; markdown?: string } }[]) {
            if (w.properties?.title) titles.add(w.properties.title);
            // A text widget's heading names a row ("## Per agent").
            if (w.type === 'text' && w.properties?.markdown) titles.add(w.properties.markdown.split('\n')[0].replace(/^#+\s*/, ''));
          }
        }
      }
    }
  }
  return titles;
}

/** Quoted names next to "table" or "widget", whitespace collapsed (prose wraps inside quotes). */
export function namedWidgets(markdown: string): string[] {
  const text = markdown.replace(/\s+/g, ' ');
  const out: string[] = [];
  for (const m of text.matchAll(/\b(?:table|widget|tables|widgets)s? "([^"]+)"|"([^"]+)" (?:table|widget)\b/g)) out.push((m[1] ?? m[2]).trim());
  return out;
}

describe('dashboard titles named in the docs', () => {
  const titles = synthesizedTitles();
  const files = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

  test('the extraction finds names on both sides', () => {
    expect(namedWidgets('the "A b (USD)" table and the widget "C\n d"')).toEqual(['A b (USD)', 'C d']);
  });

  test.each(files)('%s', (file) => {
    const named = namedWidgets(readFileSync(path.join(ROOT, file), 'utf8'));
    for (const name of named) expect([name, titles.has(name)]).toEqual([name, true]);
  });

  test('docs/cost.md names the per-key cost table by its real title', () => {
    expect(namedWidgets(readFileSync(path.join(ROOT, 'docs', 'cost.md'), 'utf8'))).toContain('Estimated cost by model and key alias (USD)');
  });
});
