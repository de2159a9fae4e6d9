/**
 * The import direction of ARCHITECTURE.md, computed from the source itself: every relative import
 * (static, `export … from`, and dynamic `import()`) of every file under src/ is read, folded into a
 * folder graph, and checked against the table below (what each folder may import); no two files may import each other
 * through any chain (no file-level cycle). Adding a folder means adding it to MAY_IMPORT — the test
 * fails on an unknown folder rather than guessing where it belongs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');

/** Root files every layer may use: they import nothing but each other. */
const UTILITIES = ['errors.ts', 'messages.ts', 'csv-cell.ts', 'time.ts', 'fs-guard.ts', 'yaml-bounded.ts', 'yaml-document.ts', 'package-root.ts', 'version.ts'];

/**
 * What each folder may import besides the utilities: the pipeline's direction, spelled out. The
 * model is the contract every stage shares; ingest, scan, config and evidence produce or load what
 * the model describes (ingest reads the scanner's own results format back, never the reverse);
 * output writes files all or nothing (staged, then renamed) for the pipeline and the CLI;
 * checks judge observations; map turns findings into control results; history compares periods;
 * report and store consume all of that but never reach back into ingest or scan; the pipeline
 * wires the stages and the CLI sits on top.
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  model: [],
  evidence: [],
  output: [],
  config: ['model'],
  scan: ['model'],
  ingest: ['model', 'scan'],
  checks: ['model'],
  map: ['model', 'checks'],
  history: ['model', 'checks', 'map'],
  report: ['model', 'checks', 'map', 'history', 'config', 'evidence'],
  store: ['model', 'checks', 'history', 'evidence'],
  // The prose of the pipeline's own refusals (its messages module).
  'pipeline-messages.ts': ['model'],
  'pipeline.ts': ['output', 'model', 'ingest', 'scan', 'config', 'evidence', 'checks', 'map', 'history', 'report', 'store', 'pipeline-messages.ts'],
  cli: ['output', 'model', 'ingest', 'scan', 'config', 'evidence', 'checks', 'map', 'history', 'report', 'store', 'pipeline.ts'],
};

interface Edge { readonly from: string; readonly to: string }

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function edgesOf(file: string): Edge[] {
  const text = readFileSync(file, 'utf8');
  const out: Edge[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = (m[1] ?? m[2])!;
    const target = normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts');
    out.push({ from: relative(SRC, file), to: relative(SRC, target) });
  }
  return out;
}

function folderOf(rel: string): string {
  const parts = rel.split(sep);
  return parts[0]!;
}

/** Strongly connected components with more than one file (Tarjan). */
function cycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter); low.set(v, counter); counter++;
    stack.push(v); onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** Folder arrows that break the table, each with the file import behind it. */
function layerViolations(edges: readonly Edge[]): string[] {
  const bad: string[] = [];
  for (const e of edges) {
    const a = folderOf(e.from), b = folderOf(e.to);
    if (a === b || UTILITIES.includes(b)) continue;
    const allowed = UTILITIES.includes(a) ? [] : MAY_IMPORT[a];
    if (allowed === undefined) { bad.push(`${e.from} -> ${e.to}: folder ${a} is not in MAY_IMPORT`); continue; }
    if (!allowed.includes(b)) bad.push(`${e.from} -> ${e.to}: ${a} may not import ${b}`);
  }
  return bad;
}

const EDGES = sourceFiles(SRC).flatMap(edgesOf);

describe('import direction (ARCHITECTURE.md)', () => {
  it('reads the imports it judges', () => {
    // A regex that stopped matching would make every assertion below pass vacuously.
    expect(EDGES.length).toBeGreaterThan(500);
    expect(EDGES.some((e) => e.from === 'pipeline.ts' && e.to.startsWith('report' + sep))).toBe(true);
    expect(EDGES.some((e) => e.from.startsWith('cli' + sep) && e.to === 'pipeline.ts')).toBe(true);
  });

  it('no folder imports a folder above its layer', () => {
    expect(layerViolations(EDGES)).toEqual([]);
  });

  it('the table itself has no cycle (it is an order)', () => {
    const edges = Object.entries(MAY_IMPORT).flatMap(([from, tos]) => tos.map((to) => ({ from, to })));
    expect(cycles(edges)).toEqual([]);
  });

  it('the rule catches an arrow against the direction', () => {
    expect(layerViolations([{ from: join('model', 'x.ts'), to: join('checks', 'ids.ts') }])).toHaveLength(1);
    expect(layerViolations([{ from: join('scan', 'x.ts'), to: join('ingest', 'y.ts') }])).toHaveLength(1);
    expect(layerViolations([{ from: join('ingest', 'x.ts'), to: join('scan', 'y.ts') }])).toEqual([]);
    expect(layerViolations([{ from: join('report', 'x.ts'), to: join('ingest', 'index.ts') }])).toHaveLength(1);
  });

  it('no file-level import cycle', () => {
    expect(cycles(EDGES)).toEqual([]);
    expect(cycles([{ from: 'a.ts', to: 'b.ts' }, { from: 'b.ts', to: 'a.ts' }])).toEqual([['a.ts', 'b.ts']]);
  });
});
