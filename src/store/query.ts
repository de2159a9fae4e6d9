/**
 * Reading runs back: the list, one run by reference, a run's detail and its stored inputs.
 */
import type Database from 'better-sqlite3';
import type { InputProblem } from '../model/problem.js';
import { decompressInput } from './codec.js';
import { ReportError } from '../errors.js';
import { STORE } from './messages.js';
import type { InputRowDb, ProblemRowDb, RunDetail, RunRowDb, RunSummary } from './types.js';

/** Store format (schema version) of an open store. */
export function storeFormat(db: Database.Database): number {
  return (db.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number | null }).v ?? 0;
}

/** Every run, oldest first. */
export function listRuns(db: Database.Database): RunSummary[] {
  return (db.prepare('SELECT * FROM runs ORDER BY seq').all() as RunRowDb[]).map(toSummary);
}

/**
 * A run by reference: its sequence number ("12" or "#12"), a prefix of its uuid (6+ characters)
 * or its report id. Throws when nothing matches or a reference matches several runs.
 */
export function findRun(db: Database.Database, path: string, ref: string): RunSummary {
  const runs = listRuns(db);
  const r = ref.trim().replace(/^#/, '');
  let matches: RunSummary[] = [];
  if (/^\d+$/.test(r)) matches = runs.filter((x) => x.seq === Number(r));
  if (matches.length === 0 && r.length >= 6) matches = runs.filter((x) => x.uuid.startsWith(r.toLowerCase()));
  if (matches.length === 0) matches = runs.filter((x) => x.reportId === r);
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new ReportError('run-not-found', { ref },
      STORE.runNotFound(ref, path, runs.length > 0 ? runs[runs.length - 1]!.seq : undefined));
  }
  throw new ReportError('run-ambiguous', { ref, seqs: matches.map((m) => m.seq) },
    STORE.runAmbiguous(ref, matches.map((m) => m.seq)));
}

export function runDetail(db: Database.Database, path: string, seq: number): RunDetail {
  const row = db.prepare('SELECT * FROM runs WHERE seq = ?').get(seq) as RunRowDb | undefined;
  if (!row) throw new ReportError('run-not-found', { ref: seq }, STORE.runSeqNotFound(seq, path));
  const inputFiles = (db.prepare('SELECT * FROM run_inputs WHERE run_seq = ? ORDER BY ord').all(seq) as InputRowDb[]).map((i) => ({
    file: i.file, kind: i.kind, sha256: i.sha256, bytes: i.bytes, records: i.records, problems: i.problems,
    observedAt: i.observed_at, observedAtSource: i.observed_at_source,
  }));
  const endpointKeys = db.prepare('SELECT e.key FROM observations o JOIN endpoints e ON e.id = o.endpoint_id WHERE o.run_seq = ? ORDER BY e.key').pluck().all(seq) as string[];
  const openFindings = (db.prepare(`SELECT e.key AS endpointKey, f.local_id AS localId, f.check_id AS checkId, f.status, f.severity, f.message
    FROM findings f JOIN endpoints e ON e.id = f.endpoint_id WHERE f.run_seq = ? AND f.status IN ('fail', 'warn') ORDER BY e.key, f.local_id`).all(seq)) as RunDetail['openFindings'];
  const inputProblems = (db.prepare('SELECT * FROM problems WHERE run_seq = ? ORDER BY ord').all(seq) as ProblemRowDb[]).map((p) => ({
    file: p.file, ...(p.line === null ? {} : { line: p.line }), ...(p.col === null ? {} : { column: p.col }),
    code: p.code, message: p.message, effect: p.effect as InputProblem['effect'],
  }));
  const controls = (db.prepare(`SELECT framework_id AS frameworkId, framework_version AS frameworkVersion, control_id AS controlId, status
    FROM control_results WHERE run_seq = ? ORDER BY framework_id, control_id`).all(seq)) as RunDetail['controls'];
  return {
    ...toSummary(row), command: JSON.parse(row.command) as string[], request: JSON.parse(row.request) as Record<string, unknown>,
    summary: JSON.parse(row.summary) as unknown, modelSha256: row.model_sha256, contentSha256: row.content_sha256,
    inputFiles, endpointKeys, openFindings, inputProblems, controls,
  };
}

/** A run's stored summary (the report's summary block), without the rest of its detail. */
export function runSummaryJson(db: Database.Database, path: string, seq: number): unknown {
  const row = db.prepare('SELECT summary FROM runs WHERE seq = ?').get(seq) as { summary: string } | undefined;
  if (!row) throw new ReportError('run-not-found', { ref: seq }, STORE.runSeqNotFound(seq, path));
  return JSON.parse(row.summary) as unknown;
}

/** The bytes of a stored blob (an input, or a file a run's request cites), or undefined when the store has none with that SHA-256. */
export function blobContent(db: Database.Database, sha256: string): Buffer | undefined {
  const row = db.prepare('SELECT encoding, data FROM blobs WHERE sha256 = ?').get(sha256) as { encoding: string; data: Buffer } | undefined;
  return row === undefined ? undefined : decompressInput(row.encoding, row.data);
}

/** A run's input files with their raw bytes, in the order the run read them. */
export function inputsOf(db: Database.Database, seq: number): { file: string; kind: string; sha256: string; observedAt: string; observedAtSource: string; content: Buffer }[] {
  return (db.prepare(`SELECT i.file, i.kind, i.sha256, i.observed_at, i.observed_at_source, b.encoding, b.data
    FROM run_inputs i JOIN blobs b ON b.sha256 = i.sha256 WHERE i.run_seq = ? ORDER BY i.ord`).all(seq) as (InputRowDb & { encoding: string; data: Buffer })[])
    .map((r) => ({ file: r.file, kind: r.kind, sha256: r.sha256, observedAt: r.observed_at, observedAtSource: r.observed_at_source, content: decompressInput(r.encoding, r.data) }));
}

/** Runs whose report had this model hash (the same inputs, options and tool), oldest first. */
export function runsWithModel(db: Database.Database, modelSha256: string): number[] {
  return db.prepare('SELECT seq FROM runs WHERE model_sha256 = ? ORDER BY seq').pluck().all(modelSha256) as number[];
}

function toSummary(r: RunRowDb): RunSummary {
  let open = 0;
  try {
    const s = JSON.parse(r.summary) as { findingsByStatus?: { fail?: number; warn?: number } };
    open = (s.findingsByStatus?.fail ?? 0) + (s.findingsByStatus?.warn ?? 0);
  } catch { /* store verify reports an unreadable summary */ }
  let kind = 'report';
  try {
    const first = (JSON.parse(r.command) as unknown[])[0];
    if (typeof first === 'string') kind = first;
  } catch { /* store verify reports an unreadable command */ }
  return {
    kind, seq: r.seq, uuid: r.uuid, recordedAt: r.recorded_at, toolVersion: r.tool_version, reportId: r.report_id,
    period: r.period_label === null ? null : { id: r.period_id, label: r.period_label, start: r.period_start ?? '', end: r.period_end ?? '' },
    reportDate: r.report_date, generatedAt: r.generated_at, observedFrom: r.observed_from, observedTo: r.observed_to,
    inputs: r.input_count, endpoints: r.endpoint_count, findings: r.finding_count, problems: r.problem_count, open,
  };
}
