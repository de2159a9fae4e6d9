/**
 * `npm run bench`: ingest and render throughput on generated testssl CSVs of 2,000 and 4,000
 * endpoints (~100 rows each, rows taken from a real fixture). Prints figures and ratios measured
 * in this process: ingest vs a bare csv-parse pass over the same file, render times, peak RSS,
 * and growth from 2,000 to 4,000 endpoints. Targets: ingest ≤ 1.5× bare parse;
 * 2,000 endpoints to HTML+PDF < 15 s; doubling ≤ 2.2× the time. Also the PDF page counts of the
 * shipped sample (7 endpoints) and of three copies of it (21 endpoints, see sample-copies.ts), read
 * back with pdfinfo. Targets (concision): sample ≤ 36 pages, 21 endpoints ≤ 70.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parse } from 'csv-parse';
import { ingest } from '../src/ingest/index.js';
import { buildModel } from '../src/pipeline.js';
import { htmlRenderer } from '../src/report/html/render.js';
import { pdfRenderer } from '../src/report/pdf/render.js';
import { generateTestsslCsv } from './generate.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadSigningCredentials } from '../src/evidence/credentials.js';
import { renderPdfForSigning, signPreparedPdf } from '../src/report/sign/pdf.js';
import type { PdfSigning } from '../src/report/types.js';
import { writeSampleCopies } from './sample-copies.js';
import { writeFile } from 'node:fs/promises';

const root = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../' : '../', import.meta.url));
const TEMPLATE = process.env['BENCH_TEMPLATE'] ?? join(root, 'test/fixtures/testssl/smtp-legacy.csv');
const SIZES = (process.env['BENCH_SIZES'] ?? '2000,4000').split(',').map(Number);

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  gc();
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** A csv-parse pass that does nothing with the records: the floor for any CSV ingester. */
function bareParse(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    const p = parse({ bom: true, relax_column_count: true });
    p.on('readable', () => {
      while (p.read() !== null) n++;
    });
    p.on('end', () => resolve(n));
    p.on('error', reject);
    createReadStream(file).pipe(p);
  });
}

const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Row { endpoints: number; records: number; mb: number; bare: number; ingest: number; model: number; html: number; pdf: number; htmlMb: number; pdfMb: number; sign: number }

/** A throw-away RSA 2048 signer made with openssl, as a user's PEM file would be. */
async function benchSigner(dir: string): Promise<PdfSigning> {
  const key = join(dir, 'signer.pem');
  await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=bench signer']);
  const { readFile, writeFile } = await import('node:fs/promises');
  await writeFile(key, `${await readFile(key, 'utf8')}${await readFile(join(dir, 'cert.pem'), 'utf8')}`);
  return { credentials: await loadSigningCredentials(key, undefined), signingTime: new Date() };
}

async function runSize(dir: string, endpoints: number, signing: PdfSigning): Promise<Row> {
  const file = join(dir, `bench-${endpoints}.csv`);
  const records = await generateTestsslCsv(TEMPLATE, file, endpoints);
  const mb = (await stat(file)).size / 1e6;
  // Best of three for the two parse passes: they are short and the ratio is what matters.
  let bare = Infinity;
  let ing = Infinity;
  for (let i = 0; i < 3; i++) {
    bare = Math.min(bare, (await time(() => bareParse(file))).ms);
    ing = Math.min(ing, (await time(() => ingest([file], { cwd: dir, observedAt: '2026-09-15T00:00:00Z' }))).ms);
  }
  const req = {
    inputs: [file], formats: ['html', 'pdf'] as const, outDir: dir, strict: false, generatedAt: '2026-10-01T00:00:00.000Z',
    observedAt: '2026-09-15T00:00:00Z', cwd: dir, toolVersion: 'bench', organisation: 'Bench Org', period: '2026-Q3',
  };
  // Best of two for the stages too: a single run at this size swings with when V8 collects.
  const best = async <T>(fn: () => Promise<T>) => {
    const a = await time(fn);
    const b = await time(fn);
    return a.ms <= b.ms ? a : b;
  };
  const built = await best(() => buildModel(req));
  const html = await best(() => htmlRenderer.render(built.value.model, {}));
  const pdf = await best(() => pdfRenderer.render(built.value.model, {}));
  // Signing alone (hash of the whole file, CMS, splice), on a PDF drawn with its empty signature.
  const prepared = await renderPdfForSigning(built.value.model, {}, signing);
  const sign = await best(() => signPreparedPdf(prepared, signing));
  return {
    endpoints, records, mb, bare, ingest: ing, model: built.ms, html: html.ms, pdf: pdf.ms,
    htmlMb: html.value.byteLength / 1e6, pdfMb: pdf.value.byteLength / 1e6, sign: sign.ms,
  };
}

/** Pages of the PDF report built from `inputs` by the production pipeline, as pdfinfo reads them. */
async function pdfPages(dir: string, name: string, inputs: string[], domains: string): Promise<number> {
  const { model } = await buildModel({
    inputs, domains, organisation: 'Example Health', period: '2026-Q3', formats: ['pdf'], outDir: dir, strict: false,
    generatedAt: '2026-10-01T09:00:00.000Z', cwd: root, toolVersion: 'bench',
  });
  const file = join(dir, `${name}.pdf`);
  await writeFile(file, await pdfRenderer.render(model, {}));
  const { stdout } = await promisify(execFile)('pdfinfo', [file]);
  return Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1] ?? NaN);
}

async function pageCounts(dir: string): Promise<void> {
  const samples = join(root, 'samples');
  const sample = await pdfPages(dir, 'sample', [join(samples, '2026-Q3')], join(samples, 'domains.csv'));
  const copies = await writeSampleCopies(samples, join(dir, 'copies'), 3);
  const larger = await pdfPages(dir, 'sample-21', [copies.scans], copies.domains);
  console.log(`PDF pages: sample (7 endpoints) ${sample} (target ≤ 36); three copies (21 endpoints) ${larger} (target ≤ 70)`);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tlsproof-bench-'));
  try {
    await pageCounts(dir);
    console.log(`template: ${TEMPLATE}`);
    const signing = await benchSigner(dir);
    const small = await runSize(dir, 50, signing); // also the warm-up: JIT and module caches
    console.log(`PDF signing (--sign) of a 50-endpoint report: ${small.sign.toFixed(0)} ms (${small.pdfMb.toFixed(1)} MB PDF)`);
    const rows: Row[] = [];
    for (const n of SIZES) {
      const r = await runSize(dir, n, signing);
      rows.push(r);
      console.log(`\n${n} endpoints, ${r.records} records, ${r.mb.toFixed(1)} MB CSV`);
      console.log(`  bare csv-parse pass      ${fmt(r.bare)}`);
      console.log(`  tlsproof ingest          ${fmt(r.ingest)}   ratio ${(r.ingest / r.bare).toFixed(2)}× bare (target ≤ 1.5×)`);
      console.log(`  ingest+checks+map+model  ${fmt(r.model)}`);
      console.log(`  HTML render              ${fmt(r.html)}   ${r.htmlMb.toFixed(1)} MB`);
      console.log(`  PDF render               ${fmt(r.pdf)}   ${r.pdfMb.toFixed(1)} MB, ${((r.pdfMb * 1e3) / n).toFixed(1)} kB per endpoint`);
      console.log(`  model + HTML + PDF       ${fmt(r.model + r.html + r.pdf)}   (target < 15 s at 2,000)`);
      console.log(`  PDF signing (--sign)     ${r.sign.toFixed(0)} ms   RSA 2048, whole ${r.pdfMb.toFixed(1)} MB file hashed`);
      console.log(`  peak RSS so far          ${peakMb()} MB`);
    }
    if (rows.length >= 2) {
      const [a, b] = [rows[0]!, rows[rows.length - 1]!];
      const total = (r: Row) => r.model + r.html + r.pdf;
      console.log(`\ngrowth ${a.endpoints} → ${b.endpoints} endpoints (${(b.endpoints / a.endpoints).toFixed(1)}× input):`);
      console.log(`  ingest ${(b.ingest / a.ingest).toFixed(2)}×, model ${(b.model / a.model).toFixed(2)}×, HTML ${(b.html / a.html).toFixed(2)}×, PDF ${(b.pdf / a.pdf).toFixed(2)}×, all ${(total(b) / total(a)).toFixed(2)}× (target ≤ 2.2×)`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
