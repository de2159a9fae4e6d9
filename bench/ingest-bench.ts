/**
 * Ingest benchmark, per scanner format, on generated inputs of 1,000,000 rows (bench/ingest-generate.ts):
 * tlsproof's streaming ingest next to the bare parser pass over the same file — csv-parse for the
 * CSV formats, saxes for nmap XML, read-whole-file + JSON.parse for the JSON formats — each run in
 * its own child process so peak RSS is that run's alone. Also Nessus at 333,000 and 1,000,000 rows
 * over the same 2,000 hosts: with the output held constant, memory must not grow with the file.
 * Peak RSS otherwise follows the output (observations and their evidence), not the input.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/ingest-bench.js     (about 10 minutes)
 *   BENCH_ROWS=200000 BENCH_FORMATS=nessus-csv,nmap-xml node dist/bench/ingest-bench.js
 *
 * Target: ingest ≤ 1.5× the bare pass.
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'csv-parse';
import { SaxesParser } from 'saxes';
import { ingest } from '../src/ingest/index.js';
import { JsonSplitter } from '../src/ingest/json-stream.js';
import { BENCH_FORMATS, generateBenchInput, type BenchFormat } from './ingest-generate.js';

const execFileP = promisify(execFile);
const self = fileURLToPath(import.meta.url);
const root = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../' : '../', import.meta.url));

interface ChildResult { ms: number; cpuMs: number; rssMb: number; liveMb: number; observations: number; records: number }
type Mode = 'bare' | 'split' | 'events' | 'ingest';

/** The floor for each format: the parser alone, doing nothing with what it reads. */
async function bare(format: BenchFormat, file: string): Promise<number> {
  if (format.endsWith('-csv')) {
    return new Promise((resolve, reject) => {
      let n = 0;
      const p = parse({ bom: true, relax_column_count: true });
      p.on('readable', () => { while (p.read() !== null) n++; });
      p.on('end', () => resolve(n));
      p.on('error', reject);
      createReadStream(file).pipe(p);
    });
  }
  if (format.endsWith('-xml')) {
    const p = new SaxesParser();
    let n = 0;
    p.on('opentag', () => { n++; });
    for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 })) p.write(chunk as string);
    p.close();
    return n;
  }
  // JSON: what a non-streaming reader does.
  const doc = JSON.parse(await readFile(file, 'utf8')) as unknown;
  return Array.isArray(doc) ? doc.length : 1;
}

/**
 * The floor for any streaming JSON reader: split the file into its records and JSON.parse each,
 * doing nothing with them (the ingesters' own selection: findings, or server results).
 */
async function split(format: BenchFormat, file: string): Promise<number> {
  let n = 0;
  const s = new JsonSplitter(
    (path) => (format === 'testssl-json'
      ? (path.length === 0 ? 'descend' : 'capture')
      : path.length === 0 || (path.length === 1 && path[0] === 'server_scan_results') ? 'descend' : path.length === 2 ? 'capture' : 'skip'),
    (item) => { JSON.parse(item.text); n++; },
  );
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 })) s.write(chunk as string);
  s.end();
  return n;
}

/**
 * A second floor for XML: saxes with a handler on every event an XML consumer needs (open and
 * close tags, text), each only counted. The opentag-only pass lets saxes skip building text
 * strings altogether, which no reader of nmap's output can do.
 */
async function events(file: string): Promise<number> {
  const p = new SaxesParser();
  let n = 0;
  p.on('opentag', () => { n++; });
  p.on('closetag', () => { n++; });
  p.on('text', () => { n++; });
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 })) p.write(chunk as string);
  p.close();
  return n;
}

async function child(format: BenchFormat, mode: Mode, file: string): Promise<void> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let observations = 0;
  let records = 0;
  let keep: unknown;
  if (mode === 'bare') {
    records = await bare(format, file);
  } else if (mode === 'split') {
    records = await split(format, file);
  } else if (mode === 'events') {
    records = await events(file);
  } else {
    const out = await ingest([file], { cwd: tmpdir(), observedAt: '2026-09-15T00:00:00Z' });
    observations = out.observations.length;
    records = out.files[0]?.records ?? 0;
    keep = out;
    if (out.problems.length > 0) throw new Error(`unexpected problems: ${out.problems.slice(0, 3).map((p) => p.message).join('; ')}`);
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  // What stays alive: the output (observations and their evidence), after a full collection.
  (globalThis as { gc?: () => void }).gc?.();
  const liveMb = Math.round(process.memoryUsage().heapUsed / 1e6);
  void keep;
  const result: ChildResult = { ms, cpuMs: (cpu.user + cpu.system) / 1000, liveMb, rssMb: Math.round(process.resourceUsage().maxRSS / 1024), observations, records };
  process.stdout.write(JSON.stringify(result));
}

async function measure(format: BenchFormat, mode: Mode, file: string): Promise<ChildResult> {
  const { stdout } = await execFileP(process.execPath, ['--expose-gc', self, '--child', format, mode, file], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as ChildResult;
}

/** Best of `n` runs (time), with the larger RSS seen. */
async function best(format: BenchFormat, mode: Mode, file: string, n: number): Promise<ChildResult> {
  let b: ChildResult | undefined;
  for (let i = 0; i < n; i++) {
    const r = await measure(format, mode, file);
    b = !b ? r : { ...(r.ms < b.ms ? r : b), cpuMs: Math.min(r.cpuMs, b.cpuMs), rssMb: Math.max(r.rssMb, b.rssMb), liveMb: Math.max(r.liveMb, b.liveMb) };
  }
  return b!;
}

const BARE: Readonly<Record<BenchFormat, string>> = {
  'nessus-csv': 'csv-parse pass', 'nessus-xml': 'saxes pass', 'greenbone-csv': 'csv-parse pass', 'greenbone-xml': 'saxes pass', 'qualys-csv': 'csv-parse pass', 'qualys-xml': 'saxes pass', 'nmap-xml': 'saxes pass',
  'testssl-json': 'read whole file + JSON.parse', 'sslyze-json': 'read whole file + JSON.parse',
};
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const rate = (rows: number, ms: number): string => `${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s`;

async function main(): Promise<void> {
  const rows = Number(process.env['BENCH_ROWS'] ?? 1_000_000);
  const formats = (process.env['BENCH_FORMATS']?.split(',') ?? [...BENCH_FORMATS]) as BenchFormat[];
  const runs = Number(process.env['BENCH_RUNS'] ?? 2);
  const dir = await mkdtemp(join(tmpdir(), 'tlsproof-ingest-bench-'));
  console.log(`ingest benchmark: ${rows.toLocaleString('en-US')} rows per format, best of ${runs}, each run in its own process (node ${process.version})\n`);
  try {
    const run = async (format: BenchFormat, label: string, opts: { nessusMix?: 'realistic' | 'tls-only' } = {}): Promise<void> => {
      const file = join(dir, `${format}.${format === 'nessus-xml' ? 'nessus' : format.endsWith('xml') ? 'xml' : format.endsWith('json') ? 'json' : 'csv'}`);
      const written = await generateBenchInput(root, format, file, rows, opts);
      const mb = (await stat(file)).size / 1e6;
      const b = await best(format, 'bare', file, runs);
      const i = await best(format, 'ingest', file, runs);
      const sp = format.endsWith('json') ? await best(format, 'split', file, runs) : undefined;
      const ev = format.endsWith('-xml') ? await best(format, 'events', file, runs) : undefined;
      await rm(file, { force: true });
      console.log(`${label}: ${written.toLocaleString('en-US')} rows, ${mb.toFixed(0)} MB`);
      const row = (label: string, r: ChildResult): string => `${label.padEnd(50)}${s(r.ms).padStart(8)} wall ${s(r.cpuMs).padStart(8)} CPU  peak RSS ${String(r.rssMb).padStart(5)} MB  live heap ${String(r.liveMb).padStart(4)} MB`;
      console.log(row(`  bare ${BARE[format]}`, b));
      if (sp) console.log(row('  bare streamed split + JSON.parse per record', sp));
      if (ev) console.log(row('  bare saxes pass, open/close/text events', ev));
      console.log(`${row('  tlsproof ingest (streamed)', i)}  ${rate(written, i.ms)}, ${i.observations.toLocaleString('en-US')} observations`);
      console.log(`  ratio ingest / bare: ${(i.ms / b.ms).toFixed(2)}× wall, ${(i.cpuMs / b.cpuMs).toFixed(2)}× CPU` +
        `${sp ? `; ingest / streamed split: ${(i.ms / sp.ms).toFixed(2)}× wall, ${(i.cpuMs / sp.cpuMs).toFixed(2)}× CPU` : ''}` +
        `${ev ? `; ingest / saxes with every event: ${(i.ms / ev.ms).toFixed(2)}× wall, ${(i.cpuMs / ev.cpuMs).toFixed(2)}× CPU` : ''}\n`);
    };
    for (const format of formats) {
      await run(format, format === 'nessus-csv' ? 'nessus-csv (realistic mix: 1 TLS row in 5)' : format);
      if (format === 'nessus-csv') await run(format, 'nessus-csv (TLS plugin rows only: worst case)', { nessusMix: 'tls-only' });
    }
    if (formats.includes('nessus-csv')) {
      console.log('\nNessus CSV, same 2,000 hosts, growing file (memory must stay flat):');
      // 2,000 hosts × 155 template rows = 310,000 rows: from there on the output stays the same
      // and only the file grows (later rows repeat findings, as per-CVE rows do).
      for (const n of [Math.max(310_000, Math.round(rows / 3)), rows]) {
        const file = join(dir, `nessus-flat-${n}.csv`);
        await generateBenchInput(root, 'nessus-csv', file, n, { hosts: 2000 });
        const mb = (await stat(file)).size / 1e6;
        const i = await best('nessus-csv', 'ingest', file, 1);
        await rm(file, { force: true });
        console.log(`  ${n.toLocaleString('en-US').padStart(9)} rows ${mb.toFixed(0).padStart(5)} MB → ingest ${s(i.ms)} wall, ${s(i.cpuMs)} CPU, peak RSS ${i.rssMb} MB, live heap ${i.liveMb} MB, ${i.observations.toLocaleString('en-US')} observations`);
      }
    }
    if (formats.includes('nessus-xml')) {
      console.log('\n.nessus, same 2,000 hosts, growing file (memory must stay flat):');
      // 2,000 hosts × 85 ReportItems = 170,000 items: from there on the output stays the same.
      const seen: ChildResult[] = [];
      for (const n of [Math.max(170_000, Math.round(rows / 3)), Math.max(510_000, rows)]) {
        const file = join(dir, `nessus-flat-${n}.nessus`);
        await generateBenchInput(root, 'nessus-xml', file, n, { hosts: 2000 });
        const mb = (await stat(file)).size / 1e6;
        const i = await best('nessus-xml', 'ingest', file, 1);
        await rm(file, { force: true });
        seen.push(i);
        console.log(`  ${n.toLocaleString('en-US').padStart(9)} items ${mb.toFixed(0).padStart(5)} MB → ingest ${s(i.ms)} wall, ${s(i.cpuMs)} CPU, peak RSS ${i.rssMb} MB, live heap ${i.liveMb} MB, ${i.observations.toLocaleString('en-US')} observations`);
      }
      const [small, large] = seen as [ChildResult, ChildResult];
      // The file triples; what is kept must not (a little slack for GC timing in peak RSS).
      if (large.observations !== small.observations || large.liveMb > small.liveMb * 1.2 + 5 || large.rssMb > small.rssMb * 1.3 + 20) {
        console.log('  FAIL: memory grew with the file, not with the output');
        process.exitCode = 1;
      } else {
        console.log('  ok: memory flat while the file tripled');
      }
    }
    console.log('\ntarget: ingest ≤ 1.5× the bare pass. JSON "bare" holds the whole file in memory, which the streaming ingest never does.');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] as BenchFormat, process.argv[4] as Mode, process.argv[5]!);
} else {
  await main();
}
