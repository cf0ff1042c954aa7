import { readFileSync, readdirSync } from 'fs';
import * as path from 'path';

/** Relative imports (type-only ones too: a cycle of types is still a cycle for a reader) of each config/ module. */
function importGraph(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
    graph.set(name, importsOf(readFileSync(path.join(dir, name), 'utf8')).filter((spec) => spec.startsWith('./')).map((spec) => `${spec.slice(2)}.ts`));
  }
  return graph;
}

export function importsOf(source: string): string[] {
  return [...source.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
}

/** One cycle per strongly connected group, as a path `a.ts -> b.ts -> a.ts`, or none. */
export function cycles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (node: string, trail: string[]): void => {
    state.set(node, 'visiting');
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'visiting') found.push([...trail.slice(trail.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next, [...trail, next]);
    }
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node, [node]);
  return found;
}

describe('layering: config/ has no circular import', () => {
  test('the detector sees a cycle through a type-only import', () => {
    const edges = (source: string) => importsOf(source).map((spec) => `${spec.slice(2)}.ts`);
    const graph = new Map([
      ['index.ts', edges("import { BASE } from './environments';")],
      ['environments.ts', edges("import type { RawConfig } from './index';")],
    ]);
    expect(cycles(graph)).toEqual(['environments.ts -> index.ts -> environments.ts']);
  });

  test('none among the modules of config/', () => {
    expect(cycles(importGraph(__dirname))).toEqual([]);
  });
});
