/**
 * The chain of runs (store format 2). Each run's chain hash is a SHA-256 over the chain hash of
 * the run before it, its own sequence number, and every row of the run in every table: the run
 * row, its inputs, observations, findings, certificates, problems, control results and
 * signatures, the full rows of the endpoints it refers to, and the size of every stored file it
 * refers to (its inputs, and any blob its request names by `sha256`; a blob's content is bound to
 * its key, which `store verify` recomputes). Editing, inserting or deleting anything of a run
 * changes its hash and so breaks the link of every later run.
 *
 * Record and verify compute it with this one function from what is in the database, so the two
 * cannot drift. What the chain cannot do: someone who rewrites a run and recomputes every later
 * hash leaves a consistent chain; only a copy of the head kept elsewhere (the reports print it)
 * or a signature catches that.
 */
import type Database from 'better-sqlite3';
import { canonicalJson, sha256Hex } from './codec.js';
import { ReportError } from '../errors.js';
import { STORE } from './messages.js';

/** The runs columns a chain hash covers, fixed so a later column never changes an old hash. */
const RUN_COLUMNS = ['uuid', 'recorded_at', 'tool_version', 'command', 'request', 'report_id', 'period_id', 'period_label', 'period_start',
  'period_end', 'report_date', 'generated_at', 'observed_from', 'observed_to', 'input_count', 'endpoint_count', 'finding_count',
  'problem_count', 'summary', 'model_sha256', 'content_sha256'] as const;

const SHA256 = /^[0-9a-f]{64}$/;

/** Every `sha256` value in a run's request: blobs stored with the run besides its inputs (e.g. an exceptions file). */
export function requestBlobRefs(requestJson: string): string[] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'sha256' && typeof x === 'string' && SHA256.test(x)) found.add(x);
        else walk(x);
      }
    }
  };
  try {
    walk(JSON.parse(requestJson));
  } catch { /* an unreadable request is hashed as text, and store verify reports it */ }
  return [...found];
}

const cell = (v: unknown): unknown => (v instanceof Uint8Array ? `sha256:${sha256Hex(v)}` : v);

/** The canonical lines of one run, in a fixed order; null when the run row is missing. */
function chainLines(db: Database.Database, seq: number): string[] | null {
  const run = db.prepare(`SELECT ${RUN_COLUMNS.join(', ')} FROM runs WHERE seq = ?`).raw().get(seq) as unknown[] | undefined;
  if (run === undefined) return null;
  const lines = [`run ${canonicalJson(run)}`];
  const add = (name: string, sql: string): void => {
    const params = Array<number>(sql.split('?').length - 1).fill(seq);
    // Cells are strings, numbers and nulls (blobs become their hash), for which JSON.stringify is
    // canonical already, and several times faster than canonicalJson on a large run.
    for (const r of db.prepare(sql).raw().iterate(...params) as IterableIterator<unknown[]>) lines.push(`${name} ${JSON.stringify(r.map(cell))}`);
  };
  // Endpoints by key, not by the store-local id, so the hash says what was observed.
  add('input', 'SELECT ord, file, kind, sha256, bytes, records, problems, observed_at, observed_at_source FROM run_inputs WHERE run_seq = ? ORDER BY ord');
  add('observation', `SELECT e.key, o.observed_at, o.observed_at_source, o.tool, o.scan_state, o.frameworks, o.passed, o.facts
    FROM observations o JOIN endpoints e ON e.id = o.endpoint_id WHERE o.run_seq = ? ORDER BY e.key`);
  add('finding', `SELECT e.key, f.local_id, f.check_id, f.status, f.severity, f.message_id, f.message, f.data, f.evidence
    FROM findings f JOIN endpoints e ON e.id = f.endpoint_id WHERE f.run_seq = ? ORDER BY e.key, f.local_id`);
  add('certificate', `SELECT e.key, c.idx, c.common_name, c.issuer, c.serial, c.fingerprint_sha256, c.not_before, c.not_after
    FROM certificates c JOIN endpoints e ON e.id = c.endpoint_id WHERE c.run_seq = ? ORDER BY e.key, c.idx`);
  add('problem', 'SELECT ord, file, line, col, code, message, effect FROM problems WHERE run_seq = ? ORDER BY ord');
  add('control', 'SELECT framework_id, framework_version, control_id, status FROM control_results WHERE run_seq = ? ORDER BY framework_id, control_id');
  add('endpoint', `SELECT key, host, ip, port, service, transport FROM endpoints WHERE id IN (
      SELECT endpoint_id FROM observations WHERE run_seq = ? UNION SELECT endpoint_id FROM findings WHERE run_seq = ?
      UNION SELECT endpoint_id FROM certificates WHERE run_seq = ?) ORDER BY key`);
  add('signature', `SELECT ord, file, pdf_sha256, pdf_bytes, signer_subject, signer_sha256, signing_time, timestamp_time, cms
    FROM run_signatures WHERE run_seq = ? ORDER BY ord`);
  // Missing blobs hash as missing: the hash changes, and verify names them.
  const refs = new Set([
    ...(db.prepare('SELECT sha256 FROM run_inputs WHERE run_seq = ?').pluck().all(seq) as string[]),
    ...requestBlobRefs(String(run[RUN_COLUMNS.indexOf('request')])),
  ]);
  const size = db.prepare('SELECT bytes FROM blobs WHERE sha256 = ?').pluck();
  for (const sha of [...refs].sort()) lines.push(`blob ${canonicalJson([sha, (size.get(sha) as number | undefined) ?? 'missing'])}`);
  return lines;
}

/** The chain hash of run `seq` given the chain hash of the run before it (null for the first run). */
export function chainHash(db: Database.Database, seq: number, prev: string | null): string | null {
  const lines = chainLines(db, seq);
  if (lines === null) return null;
  return sha256Hex([`tlsproof run chain 1`, `prev ${prev ?? 'none'}`, `seq ${seq}`, ...lines].join('\n'));
}

export interface ChainHead {
  readonly seq: number;
  readonly sha256: string;
}

/** The newest link of the chain, leaving out the runs `excluding`; null when there is none. */
export function chainHead(db: Database.Database, excluding: readonly number[] = []): ChainHead | null {
  const skip = new Set(excluding);
  const rows = db.prepare('SELECT run_seq, chain_sha256 FROM run_chain ORDER BY run_seq DESC').raw().iterate() as IterableIterator<[number, string]>;
  let row: [number, string] | undefined;
  for (const r of rows) {
    if (skip.has(r[0])) continue;
    row = r;
    break;
  }
  return row === undefined ? null : { seq: row[0], sha256: row[1] };
}

/**
 * What is wrong with the head of the chain, cheaply: the last link is not the last run, SQLite
 * handed out run numbers beyond the last run (a deleted last run), or the store's own note of
 * the head disagrees. Null when none holds. Recording refuses a store with any of these, so a
 * new run is never chained onto a store that was cut short.
 */
export function headProblem(db: Database.Database): string | null {
  if (db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'run_chain'").get() === undefined) return null;
  const last = db.prepare('SELECT max(seq) FROM runs').pluck().get() as number | null;
  const link = chainHead(db);
  if ((link?.seq ?? null) !== last) return STORE.chainEndsEarly(link?.seq ?? null, last);
  const counter = (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'runs'").pluck().get() as number | undefined) ?? 0;
  if (counter > (last ?? 0)) {
    return STORE.runsDeleted(counter, last);
  }
  const note = db.prepare("SELECT value FROM store_meta WHERE key = 'chain_head'").pluck().get() as string | undefined;
  const expected = link === null ? undefined : `${link.seq} ${link.sha256}`;
  if (note !== expected) return STORE.headNoteDisagrees(note, expected);
  return null;
}

export function alteredError(path: string, problem: string): ReportError {
  return new ReportError('store-corrupt', { path, chain: problem },
    STORE.altered(path, problem));
}

/**
 * Links run `seq` (just inserted, inside the caller's transaction) to the chain and returns its
 * hash. Refuses to extend a chain whose head is not the run before this one: a deleted or
 * unlinked last run would otherwise be buried under a new, valid-looking link.
 */
export function linkRun(db: Database.Database, path: string, seq: number): ChainHead & { prev: ChainHead | null } {
  const prev = chainHead(db);
  const prevRun = db.prepare('SELECT max(seq) FROM runs WHERE seq < ?').pluck().get(seq) as number | null;
  // Run numbers never skip (AUTOINCREMENT, and a rolled-back run takes its number back with it):
  // a gap is a deleted run, even when the chain itself still looks whole.
  const broken = (prev?.seq ?? null) !== prevRun ? `the chain of runs ends at run ${prev?.seq ?? '(none)'}, but the last run is ${prevRun ?? '(none)'}`
    : seq !== (prevRun ?? 0) + 1 ? `this run would be number ${seq}, but the last run is ${prevRun ?? '(none)'}: ${prevRun === null ? 'every run' : `run ${prevRun + 1}`} was deleted`
    : null;
  if (broken !== null) throw alteredError(path, broken);
  const sha256 = chainHash(db, seq, prev?.sha256 ?? null)!;
  db.prepare('INSERT INTO run_chain (run_seq, prev_sha256, chain_sha256) VALUES (?, ?, ?)').run(seq, prev?.sha256 ?? null, sha256);
  db.prepare("INSERT INTO store_meta (key, value) VALUES ('chain_head', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(`${seq} ${sha256}`);
  return { seq, sha256, prev };
}
