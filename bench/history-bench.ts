/**
 * Evidence store benchmark: 40 quarterly runs of 2,000 endpoints recorded into one store,
 * then the time of a period comparison (with the trend over 8 quarters and control status per
 * framework), the database size per run, and store verify over the whole store.
 *
 * Each run is what `tlsproof report` would record: observations cloned from real testssl output
 * (test/fixtures/history/real) with per-endpoint, per-quarter changes (TLS 1.0/1.1 switched off,
 * switched back on, certificates renewed yearly, a few endpoints missing), every finding from the
 * real checks, a real ReportModel (built with the shipped mappings), and a raw testssl CSV of the
 * run's endpoints (template rows with host, address and the changed rows rewritten) stored
 * compressed. The raw CSV is not parsed again: parsing speed is report-bench's subject.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/history-bench.js
 *   BENCH_RUNS=8 BENCH_ENDPOINTS=500 node dist/bench/history-bench.js   (a quick look)
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { runChecks } from '../src/checks/index.js';
import { comparePeriods } from '../src/history/compare.js';
import { buildTrend } from '../src/history/trend.js';
import { ingest } from '../src/ingest/index.js';
import { builtInMappingsDir, loadMappings } from '../src/map/load.js';
import { endpointKey } from '../src/model/endpoint.js';
import type { Finding } from '../src/model/finding.js';
import type { Observation } from '../src/model/observation.js';
import { fact } from '../src/model/source.js';
import { resolvePeriod, shiftPeriod } from '../src/model/period.js';
import { assess } from '../src/map/assess.js';
import { buildReportModel } from '../src/report/build-model.js';
import type { IngestedFile } from '../src/ingest/index.js';
import { buildRunRecord } from '../src/store/record.js';
import { EvidenceStore } from '../src/store/store.js';
import { verifyStore } from '../src/store/verify.js';

const root = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../' : '../', import.meta.url));
const RUNS = Number(process.env['BENCH_RUNS'] ?? 40);
const ENDPOINTS = Number(process.env['BENCH_ENDPOINTS'] ?? 2000);
const FIRST = resolvePeriod(process.env['BENCH_FIRST_QUARTER'] ?? '2017-Q1');
const TEMPLATES = ['smtp-good.csv', 'smtp-legacy.csv'];

/** Deterministic per (endpoint, quarter, salt): the same store every time. */
function chance(i: number, q: number, salt: number): number {
  let h = (i * 374761393 + q * 668265263 + salt * 2147483647) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const mb = (b: number) => `${(b / 1e6).toFixed(2)} MB`;
const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

interface Template { observation: Observation; header: string; rows: string[][] }

async function loadTemplates(): Promise<Template[]> {
  const out: Template[] = [];
  for (const name of TEMPLATES) {
    const file = join(root, 'test/fixtures/history/real', name);
    const { observations } = await ingest([file], { cwd: root, observedAt: '2026-11-28T19:20:00.000Z' });
    const text = await readFile(file, 'utf8');
    const lines = text.trimEnd().split('\n');
    out.push({ observation: observations[0]!, header: lines[0]!, rows: lines.slice(1).map((l) => l.slice(1, -1).split('","')) });
  }
  return out;
}

interface EndpointState { legacy: boolean }

async function main(): Promise<void> {
  const t0 = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'tlsproof-history-bench-'));
  const path = join(dir, 'evidence.db');
  const templates = await loadTemplates();
  const mappings = loadMappings({ builtInDir: builtInMappingsDir() });
  const frameworks = mappings.frameworks;
  const trendFrameworks = frameworks.map((f) => ({ id: f.framework.id, version: f.framework.version, controls: f.controls }));
  // 30% of the fleet starts on the legacy configuration.
  const state: EndpointState[] = Array.from({ length: ENDPOINTS }, (_, i) => ({ legacy: chance(i, 0, 1) < 0.3 }));

  console.log(`tlsproof history benchmark: ${RUNS} quarterly runs × ${ENDPOINTS} endpoints from ${FIRST.label}, ${frameworks.length} frameworks`);
  const recordTimes: number[] = [];
  const buildTimes: number[] = [];
  let period = FIRST;
  let last = FIRST;
  for (let q = 0; q < RUNS; q++, period = shiftPeriod(period, 1)) {
    last = period;
    const tb = performance.now();
    const observations: Observation[] = [];
    const findings: Finding[] = [];
    const csv: string[] = [templates[0]!.header];
    const file = `scans/${period.id}.csv`;
    const startMs = Date.parse(`${period.start}T00:00:00Z`);
    for (let i = 0; i < ENDPOINTS; i++) {
      if (chance(i, q, 2) < 0.02) continue; // not scanned this quarter
      const s = state[i]!;
      // Fixes and rollbacks between quarters.
      if (s.legacy && chance(i, q, 3) < 0.25) s.legacy = false;
      else if (!s.legacy && chance(i, q, 4) < 0.03) s.legacy = true;
      const t = templates[s.legacy ? 1 : 0]!;
      const host = `mx${i}.bench${Math.floor(i / 100)}.example.test`;
      const ip = `10.${Math.floor(i / 65025) + 1}.${Math.floor(i / 255) % 255}.${(i % 255) + 1}`;
      const observedAt = new Date(startMs + (10 + (i % 60)) * 86_400_000 + (i % 24) * 3_600_000).toISOString();
      // Yearly renewal on the endpoint's own day; one in twenty renews late (certificate expired for a while).
      const day = (i * 7) % 365;
      const year = Number(observedAt.slice(0, 4));
      let notAfter = Date.UTC(year, 0, 1 + day, 12);
      if (notAfter < Date.parse(observedAt) - (chance(i, q, 5) < 0.05 ? 20 * 86_400_000 : 0)) notAfter = Date.UTC(year + 1, 0, 1 + day, 12);
      const obs = structuredClone(t.observation) as Observation & { endpoint: Observation['endpoint'] };
      const src = { kind: 'testssl-csv' as const, file, line: 1, excerpt: `"service","${host}/${ip}","25","INFO","smtp","",""` };
      const o: Observation = { ...obs, endpoint: { ...obs.endpoint, host, ip }, observedAt, observedAtSource: 'option' };
      const cert = o.certificates[0];
      if (cert) {
        cert.notAfter = fact(new Date(notAfter).toISOString(), src);
        cert.notBefore = fact(new Date(notAfter - 365 * 86_400_000).toISOString(), src);
        cert.serial = fact(createHash('sha1').update(`${i}:${year}:${day}`).digest('hex').slice(0, 12).toUpperCase(), src);
        cert.fingerprintSha256 = fact(createHash('sha256').update(`${i}:${notAfter}`).digest('hex').toUpperCase(), src);
      }
      observations.push(o);
      for (const f of runChecks(o, { reportDate: observedAt.slice(0, 10) })) findings.push(f);
      for (const r of t.rows) {
        const row = [...r];
        row[1] = `${host}/${ip}`;
        if (row[0] === 'cert_notAfter') row[4] = new Date(notAfter).toISOString().slice(0, 16).replace('T', ' ');
        csv.push(row.map(quote).join(','));
      }
    }
    const raw = Buffer.from(`${csv.join('\n')}\n`);
    await writeFile(join(dir, `${period.id}.csv`), raw);
    const files: IngestedFile[] = [{ file: `${period.id}.csv`, kind: 'testssl-csv', sha256: createHash('sha256').update(raw).digest('hex'), bytes: raw.byteLength, records: csv.length - 1, problems: 0 }];
    const reportDate = period.end;
    const generatedAt = `${reportDate}T12:00:00.000Z`;
    const assessment = assess({ observations, findings, frameworks, assets: undefined, report: { generatedAt, toolVersion: 'bench', inputs: files, inputProblems: 0 } });
    const model = buildReportModel(
      { observations, findings, assessment, files, problems: [] },
      { organisation: 'Bench', title: 'Bench', period, generatedAt: `${reportDate}T12:00:00.000Z`, reportDate, toolVersion: 'bench', frameworksRequested: undefined },
    );
    const record = await buildRunRecord({
      toolVersion: 'bench', cwd: dir, period, periodOptions: {}, model, files, observations, findings, problems: [], frameworks: trendFrameworks,
      request: { inputs: [`${period.id}.csv`], domains: null, organisation: 'Bench', title: 'Bench', period: period.id, frameworks: null, reportDate,
        generatedAt: `${reportDate}T12:00:00.000Z`, observedAt: null, mappingsDirs: [], fiscalYearStartMonth: null },
    }, { command: ['report', `${period.id}.csv`, '--period', period.id], recordedAt: `${reportDate}T12:00:00.000Z` });
    buildTimes.push(performance.now() - tb);
    await rm(join(dir, `${period.id}.csv`));

    const tr = performance.now();
    const store = EvidenceStore.open(path, { toolVersion: 'bench', mode: 'write' });
    try {
      store.recordRun(record);
    } finally {
      store.close();
    }
    recordTimes.push(performance.now() - tr);
    if ((q + 1) % 10 === 0 || q === RUNS - 1) {
      console.log(`  ${q + 1} runs stored (${period.label}): last run ${observations.length} endpoints, ${findings.length} findings, raw input ${mb(raw.byteLength)}; ` +
        `build ${fmt(buildTimes.at(-1)!)}, record ${fmt(recordTimes.at(-1)!)}; store ${mb((await stat(path)).size)}`);
    }
  }

  const store = EvidenceStore.open(path, { toolVersion: 'bench', mode: 'read' });
  let loadMs = 0;
  let compareMs = 0;
  let trendMs = 0;
  let comparison;
  try {
    const tl = performance.now();
    const data = store.loadHistoryData(last.end);
    loadMs = performance.now() - tl;
    const tc = performance.now();
    comparison = comparePeriods(data, { current: last, frameworks: trendFrameworks, trendPeriods: 8 });
    compareMs = performance.now() - tc;
    const tt = performance.now();
    buildTrend(data, last, { periods: 8, frameworks: trendFrameworks });
    trendMs = performance.now() - tt;
    const sizes = store.db.prepare(`SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC`).all() as { name: string; bytes: number }[];
    const blobBytes = store.db.prepare('SELECT sum(length(data)) AS c, sum(bytes) AS r FROM blobs').get() as { c: number; r: number };
    const total = (await stat(path)).size;
    console.log('');
    console.log(`Database: ${mb(total)} for ${RUNS} runs = ${mb(total / RUNS)} per run`);
    console.log(`  raw inputs ${mb(blobBytes.r)} stored as ${mb(blobBytes.c)} (Brotli, ${(blobBytes.r / blobBytes.c).toFixed(1)}×): ${mb(blobBytes.c / RUNS)} per run`);
    console.log(`  largest tables and indexes: ${sizes.slice(0, 6).map((s) => `${s.name} ${mb(s.bytes)}`).join(', ')}`);
    console.log('');
    console.log(`Period comparison ${comparison.period.label} vs ${comparison.previousPeriod.label} (${data.timelines.length} endpoint timelines, ${data.timelines.reduce((n, t) => n + t.points.length, 0)} observations):`);
    console.log(`  load timelines from the store   ${fmt(loadMs)}`);
    console.log(`  compare, with 8-quarter trend   ${fmt(compareMs)}   (the history section of a report: ${fmt(loadMs + compareMs)})`);
    console.log(`  trend alone (8 quarters × ${trendFrameworks.length} frameworks)  ${fmt(trendMs)}`);
    console.log(`  result: ${comparison.new.length} new, ${comparison.resolved.length} resolved, ${comparison.regressed.length} regressed, ${comparison.persisting.length} persisting, ` +
      `${comparison.remediation.overdue.length} overdue, ${comparison.certificateForecast.certificates.length} certificates expiring in ${comparison.certificateForecast.period.label}`);
  } finally {
    store.close();
  }
  const tv = performance.now();
  const verify = verifyStore(path);
  const verifyMs = performance.now() - tv;
  console.log('');
  const sorted = [...recordTimes].sort((a, b) => a - b);
  console.log(`Recording a run: median ${fmt(sorted[Math.floor(sorted.length / 2)]!)}, worst ${fmt(sorted.at(-1)!)} (building its record from the pipeline's output: median ${fmt([...buildTimes].sort((a, b) => a - b)[Math.floor(buildTimes.length / 2)]!)})`);
  console.log(`store verify over all runs: ${fmt(verifyMs)} (${verify.ok ? 'intact' : 'PROBLEMS'})`);
  console.log(`Total ${fmt(performance.now() - t0)}; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  await rm(dir, { recursive: true, force: true });
}

await main();
