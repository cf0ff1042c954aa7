/**
 * Every relative link of README.md and docs/*.md names a file that exists and, with a `#fragment`, an anchor that
 * file has: a heading (GitHub's slug of it) or an explicit `<a id>` / `<a name>`. Links that only break on GitHub
 * are found here, before a reader follows them.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

/** The Markdown files whose links are checked, relative to the project root. */
export function checkedFiles(): string[] {
  const docs = readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

/** Text outside fenced code blocks, with inline code spans blanked (their content is not Markdown). */
function proseLines(markdown: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  let fence: string | undefined;
  markdown.split('\n').forEach((raw, i) => {
    const marker = /^\s*(```+|~~~+)/.exec(raw);
    if (marker) {
      if (fence === undefined) fence = marker[1][0];
      else if (marker[1][0] === fence) fence = undefined;
      return;
    }
    if (fence !== undefined) return;
    out.push({ line: i + 1, text: raw.replace(/`[^`]*`/g, (m) => ' '.repeat(m.length)) });
  });
  return out;
}

/** GitHub's heading anchor (github-slugger): rendered text, lower case, punctuation dropped, each space a hyphen. */
export function githubSlug(heading: string): string {
  const rendered = heading
    .replace(/<[^>]*>/g, '') // inline HTML such as <a id="x"></a>
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
    .replace(/[`*]/g, '') // code and emphasis markers
    .trim()
    .toLowerCase();
  return rendered.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Every anchor a Markdown file offers: heading slugs (repeated ones numbered as GitHub does) and explicit ids. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const raw of markdown.split('\n')) {
    const marker = /^\s*(```+|~~~+)/.exec(raw);
    if (marker) {
      if (fence === undefined) fence = marker[1][0];
      else if (marker[1][0] === fence) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(raw);
    if (heading) {
      const slug = githubSlug(heading[1]);
      const n = seen.get(slug) ?? 0;
      seen.set(slug, n + 1);
      anchors.add(n === 0 ? slug : `${slug}-${n}`);
    }
    for (const m of raw.matchAll(/<a\s+(?:[^>]*\s)?(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
}

export interface Link {
  readonly line: number;
  readonly target: string;
}

/** Inline links and images `[text](target)` / `![alt](target "title")` in prose. */
export function linksOf(markdown: string): Link[] {
  const links: Link[] = [];
  for (const { line, text } of proseLines(markdown)) {
    for (const m of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ line, target: m[1] });
  }
  return links;
}

/** Problems of one file's links: missing files, missing anchors. Absolute URLs are not fetched. */
export function brokenLinks(file: string, markdown: string, readTarget: (rel: string) => string | undefined): string[] {
  const problems: string[] = [];
  for (const { line, target } of linksOf(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [pathPart, fragment] = target.split('#', 2);
    const rel = pathPart === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(pathPart)));
    const where = `${file}:${line}: ${target}`;
    if (rel.startsWith('..')) {
      problems.push(`${where}: leaves the repository`);
      continue;
    }
    const content = readTarget(rel);
    if (content === undefined) {
      problems.push(`${where}: ${rel} does not exist`);
      continue;
    }
    if (fragment !== undefined && fragment !== '') {
      if (!rel.endsWith('.md')) continue; // anchors of other files (line numbers in source) are not Markdown's
      if (!anchorsOf(content).has(decodeURIComponent(fragment))) problems.push(`${where}: ${rel} has no anchor #${fragment}`);
    }
  }
  return problems;
}

/** A repository file's text, '' for a directory, undefined when it does not exist. */
function readFromRepo(rel: string): string | undefined {
  const full = path.join(ROOT, rel);
  if (!existsSync(full)) return undefined;
  return statSync(full).isDirectory() ? '' : readFileSync(full, 'utf8');
}

describe('Markdown links (README.md, docs/*.md)', () => {
  test('GitHub heading slugs: code, punctuation and inline HTML dropped, spaces kept as hyphens', () => {
    expect(githubSlug('Terraform version floors (`stacks/base-stack.ts`)')).toBe('terraform-version-floors-stacksbase-stackts');
    expect(githubSlug('`-backend-config` and override files')).toBe('-backend-config-and-override-files');
    expect(githubSlug('The design in brief <a id="overview"></a>')).toBe('the-design-in-brief');
    expect(githubSlug('Onboard an agent, add a model')).toBe('onboard-an-agent-add-a-model');
    expect(githubSlug('Before the first completion: model access (README, "Before the first completion")')).toBe(
      'before-the-first-completion-model-access-readme-before-the-first-completion',
    );
    expect(githubSlug('A & B')).toBe('a--b');
  });

  test('anchors: headings, repeated headings numbered, explicit ids; nothing from code blocks', () => {
    const md = '# Title\n## Notes\n## Notes\n```\n## not a heading\n```\n| <a id="model-ids"></a>`model-ids` |\n';
    expect([...anchorsOf(md)].sort()).toEqual(['model-ids', 'notes', 'notes-1', 'title']);
  });

  test('links: inline links and images in prose; none from code blocks or code spans', () => {
    const md = 'See [a](docs/a.md#x) and ![i](img.png "t").\n`[no](code.md)`\n```\n[no](block.md)\n```\n[b](https://example.com)\n';
    expect(linksOf(md).map((l) => l.target)).toEqual(['docs/a.md#x', 'img.png', 'https://example.com']);
  });

  test('the check finds a missing file, a missing anchor and a link out of the repository', () => {
    const files: Record<string, string> = { 'docs/a.md': '# A\n## Part one\n' };
    const md = '[ok](a.md#part-one) [gone](b.md) [anchor](a.md#part-two) [self](#a) [out](../../x.md) [web](https://x.org/#y)';
    expect(brokenLinks('docs/index.md', md, (rel) => (rel === 'docs/index.md' ? '# A\n' : files[rel]))).toEqual([
      'docs/index.md:1: b.md: docs/b.md does not exist',
      'docs/index.md:1: a.md#part-two: docs/a.md has no anchor #part-two',
      'docs/index.md:1: ../../x.md: leaves the repository',
    ]);
  });

  test.each(checkedFiles())('%s: every relative link resolves', (file) => {
    const markdown = readFileSync(path.join(ROOT, file), 'utf8');
    expect(brokenLinks(file, markdown, readFromRepo)).toEqual([]);
  });

  test("README.md's first-completion steps name every prerequisite Bedrock lists for a third-party model", () => {
    // Amazon Bedrock User Guide, "Access Amazon Bedrock foundation models": the Marketplace permissions, Anthropic's
    // first-use form, a valid payment method for Marketplace purchases; then a call to verify (docs/first-contact.md).
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Before the first completion'), readme.indexOf('### Deploy the environment'));
    for (const needed of [/use-case form/, /valid payment method for AWS Marketplace purchases/, /Marketplace subscription/, /aws-marketplace:Subscribe/, /gateway\.bedrockMarketplaceSubscribe: true/, /aws bedrock-runtime converse/]) {
      expect([needed.source, needed.test(section)]).toEqual([needed.source, true]);
    }
    expect(readme.indexOf('### Before the first completion')).toBeLessThan(readme.indexOf('### Deploy the environment'));
  });

  test('README.md links the reference pages a newcomer needs', () => {
    const targets = new Set(linksOf(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).map((l) => l.target.split('#')[0]));
    for (const doc of ['docs/configuration.md', 'docs/runbook.md', 'docs/runners.md', 'docs/agents.md', 'docs/first-contact.md', 'docs/design.md']) {
      expect(targets).toContain(doc);
    }
  });
});
