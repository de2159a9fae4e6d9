/**
 * The evidence store: one SQLite file (better-sqlite3 12, WAL) that remembers every report run —
 * its inputs (compressed, so the report can be regenerated), endpoints, observations, findings,
 * certificates, problems and control results — append-only.
 *
 * Guarantees:
 * - A run is stored whole or not at all: one IMMEDIATE transaction; a process killed inside it
 *   leaves the store as it was (WAL recovery drops the uncommitted frames).
 * - Two processes may record at once: each waits for the other's write lock (busy_timeout) and
 *   migrations re-read the version inside their own write transaction.
 * - A store written by a newer tlsproof (a store format above STORE_FORMAT) is refused before
 *   anything is written; a file that is not a tlsproof store, or is damaged, is reported as such.
 * - Runs are never changed or removed (triggers refuse UPDATE and DELETE).
 */
import { existsSync, mkdirSync, openSync, readFileSync, readSync, closeSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { endpointLabel, type Endpoint } from '../model/endpoint.js';
import type { FindingStatus, Severity } from '../model/finding.js';
import type { InputProblem } from '../model/problem.js';
import type { EndpointTimeline, HistoryData, SetAsideRun, TimelineCertificate, TimelineFinding, TimelinePoint } from '../history/timeline.js';
import { addStoredFinding } from '../history/renamed-checks.js';
import { addDays } from '../model/period.js';
import { canonicalJson, compressInput, decompressInput, packJson, sha256Hex, unpackJson } from './codec.js';
import { StoreError } from './errors.js';
import { APPLICATION_ID, BOOTSTRAP, MIGRATIONS, STORE_FORMAT, type Migration } from './schema.js';

export { DEFAULT_STORE_PATH } from './defaults.js';

export interface OpenOptions {
  /** Recorded with every migration and run. */
  readonly toolVersion: string;
  /** `write` creates the file (and its folder) when missing; `read` refuses a missing store. */
  readonly mode: 'read' | 'write';
  /** How long to wait for another process's write lock. @default 15000 */
  readonly busyTimeoutMs?: number;
  /** Clock for schema_version.applied_at. @default () => new Date() */
  readonly now?: () => Date;
  /** The migration list; tests pass their own to exercise the mechanism. @default MIGRATIONS */
  readonly migrations?: readonly Migration[];
}

export interface StoredFinding {
  readonly localId: string;
  readonly checkId: string;
  readonly status: FindingStatus;
  readonly severity: Severity;
  readonly messageId: string;
  readonly message: string;
  readonly data: Readonly<Record<string, string | number>>;
  readonly evidence: readonly { summary: string; file: string; line: number | null }[];
}

export interface StoredCertificate {
  readonly index: number;
  readonly commonName: string | null;
  readonly issuer: string | null;
  readonly serial: string | null;
  readonly fingerprintSha256: string | null;
  readonly notBefore: string | null;
  readonly notAfter: string | null;
}

export interface RunEndpointRecord {
  readonly key: string;
  readonly host: string;
  readonly ip: string | null;
  readonly port: number;
  readonly service: string;
  readonly transport: string;
  readonly observedAt: string;
  readonly observedAtSource: string;
  readonly tool: string | null;
  readonly scanState: 'completed' | 'partial' | 'failed';
  readonly frameworks: readonly string[];
  /** The observation, slimmed (see codec.slimObservation). */
  readonly facts: unknown;
  /** Every finding of the endpoint, passes included. */
  readonly findings: readonly StoredFinding[];
  readonly certificates: readonly StoredCertificate[];
}

export interface RunInputRecord {
  readonly file: string;
  readonly kind: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly records: number;
  readonly problems: number;
  readonly observedAt: string;
  readonly observedAtSource: string;
  /** The raw bytes; compressed on the way in. */
  readonly content: Uint8Array;
}

/** Everything one run stores. Built by record.ts from a report run. */
export interface RunRecord {
  readonly uuid: string;
  readonly recordedAt: string;
  readonly toolVersion: string;
  readonly command: readonly string[];
  readonly request: Readonly<Record<string, unknown>>;
  readonly reportId: string;
  readonly period: { readonly id: string; readonly label: string; readonly start: string; readonly end: string } | null;
  readonly reportDate: string;
  readonly generatedAt: string;
  readonly inputs: readonly RunInputRecord[];
  readonly endpoints: readonly RunEndpointRecord[];
  readonly problems: readonly InputProblem[];
  readonly controls: readonly { frameworkId: string; frameworkVersion: string; controlId: string; status: string }[];
  readonly summary: unknown;
  readonly modelSha256: string;
  /**
   * Files the run's `request` cites by SHA-256 rather than as inputs (the exceptions file): kept in
   * the content-addressed blobs, in the same transaction, so the request's hash always finds its bytes.
   */
  readonly attachments?: readonly Uint8Array[] | undefined;
}

/** A stage of recordRun, for fault-injection tests (the crash test pauses inside the transaction). */
export type RecordStage = 'prepared' | 'run' | 'inputs' | 'observations' | 'findings' | 'before-commit';

export interface RecordHooks {
  readonly onStage?: (stage: RecordStage) => void;
}

export interface RunSummary {
  readonly seq: number;
  readonly uuid: string;
  readonly recordedAt: string;
  readonly toolVersion: string;
  readonly reportId: string;
  readonly period: { readonly id: string | null; readonly label: string; readonly start: string; readonly end: string } | null;
  readonly reportDate: string;
  readonly generatedAt: string;
  readonly observedFrom: string | null;
  readonly observedTo: string | null;
  readonly inputs: number;
  readonly endpoints: number;
  readonly findings: number;
  readonly problems: number;
  /** Failing and warning findings (from the stored summary). */
  readonly open: number;
  /** The tlsproof command that recorded the run ("report", "scan"), from its recorded command line. */
  readonly kind: string;
}

export interface RunDetail extends RunSummary {
  readonly command: string[];
  readonly request: Record<string, unknown>;
  readonly summary: unknown;
  readonly modelSha256: string;
  readonly contentSha256: string;
  readonly inputFiles: { file: string; kind: string; sha256: string; bytes: number; records: number; problems: number; observedAt: string; observedAtSource: string }[];
  readonly endpointKeys: string[];
  readonly openFindings: { endpointKey: string; localId: string; checkId: string; status: string; severity: string; message: string }[];
  readonly inputProblems: InputProblem[];
  readonly controls: { frameworkId: string; frameworkVersion: string; controlId: string; status: string }[];
}

const SQLITE_HEADER = 'SQLite format 3\u0000';

function sqliteCode(err: unknown): string | undefined {
  return err instanceof Database.SqliteError ? err.code : undefined;
}

/** Maps SQLite's "this file is damaged / not a database" and lock timeouts to StoreErrors. */
export function storeFault(err: unknown, path: string): unknown {
  if (err instanceof StoreError) return err;
  const code = sqliteCode(err);
  if (code === 'SQLITE_NOTADB' || code?.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_IOERR_SHORT_READ') {
    return new StoreError('store-corrupt', { path, sqlite: code },
      `The evidence store "${path}" is damaged (${code}: ${(err as Error).message}). Nothing was written to it. ` +
      'Run "tlsproof store verify" for details; restore it from a backup, or give --store another path to start a new one.', { cause: err });
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code?.startsWith('SQLITE_BUSY')) {
    return new StoreError('store-busy', { path },
      `The evidence store "${path}" stayed locked by another tlsproof process; nothing was written. Try again when it has finished.`, { cause: err });
  }
  return err;
}

/** Refuses a file that is not SQLite before SQLite sees it (an empty file is a new store). */
/**
 * An in-memory database from a store file's bytes. The header's WAL marker (bytes 18 and 19) is
 * set back to the rollback journal in the copy, since an in-memory database has no WAL.
 */
function inMemory(bytes: Buffer): Database.Database {
  if (bytes.length === 0) return new Database(':memory:');
  const copy = Buffer.from(bytes);
  if (copy.length >= 20) copy[18] = copy[19] = 1;
  return new Database(copy);
}

function checkHeader(path: string): void {
  const size = statSync(path).size;
  if (size === 0) return;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    if (n < 16 || buf.toString('latin1') !== SQLITE_HEADER) {
      throw new StoreError('store-corrupt', { path },
        `"${path}" is not an evidence store: it is not an SQLite database at all (it may be damaged or another kind of file). ` +
        'Nothing was written to it. Give --store another path, or restore the store from a backup.');
    }
  } finally {
    closeSync(fd);
  }
}

interface Inspection {
  readonly applicationId: number;
  readonly tables: number;
  readonly version: number;
  readonly lastTool: string | null;
}

function inspect(db: Database.Database): Inspection {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n;
  const hasVersion = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'").get() !== undefined;
  const version = hasVersion ? ((db.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number | null }).v ?? 0) : 0;
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'store_meta'").get() !== undefined;
  const lastTool = hasMeta ? ((db.prepare("SELECT value FROM store_meta WHERE key = 'last_tool_version'").get() as { value: string } | undefined)?.value ?? null) : null;
  return { applicationId, tables, version, lastTool };
}

function newerError(path: string, version: number, latest: number, lastTool: string | null, toolVersion: string): StoreError {
  return new StoreError('store-newer', { path, version, latest, lastTool },
    `The evidence store "${path}" was written by a newer tlsproof${lastTool ? ` (${lastTool})` : ''}: it is in store format ${version}, ` +
    `and this tlsproof ${toolVersion} knows formats up to ${latest}. It was not changed. ` +
    'Upgrade tlsproof to use it, or give --store another path.');
}

/** Applies the pending migrations in one IMMEDIATE transaction; the version is re-read inside it. */
function migrate(db: Database.Database, path: string, opts: OpenOptions, migrations: readonly Migration[]): void {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  const now = (opts.now ?? (() => new Date()))().toISOString();
  const tx = db.transaction(() => {
    db.exec(BOOTSTRAP);
    const current = (db.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number | null }).v ?? 0;
    if (current > latest) throw newerError(path, current, latest, null, opts.toolVersion);
    const add = db.prepare('INSERT INTO schema_version (version, description, applied_at, tool_version) VALUES (?, ?, ?, ?)');
    for (const m of migrations) {
      if (m.version <= current) continue;
      try {
        m.up(db);
      } catch (err) {
        throw new StoreError('migration-failed', { path, version: m.version },
          `Upgrading the evidence store "${path}" to format ${m.version} failed (${err instanceof Error ? err.message : String(err)}); ` +
          `it was left unchanged at format ${current}.`, { cause: err });
      }
      add.run(m.version, m.description, now, opts.toolVersion);
    }
    db.pragma(`application_id = ${APPLICATION_ID}`);
    const meta = db.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    if (db.prepare("SELECT 1 FROM store_meta WHERE key = 'created_by'").get() === undefined) {
      meta.run('created_by', `tlsproof ${opts.toolVersion}`);
      meta.run('created_at', now);
    }
    meta.run('last_tool_version', `tlsproof ${opts.toolVersion}`);
  });
  tx.immediate();
}

const q = (s: string | null | undefined) => s ?? null;

/** Row order for the content hash: any total order works, as long as record and verify share it (both sort in JS). */
const byKeys = (...idx: number[]) => (a: readonly unknown[], b: readonly unknown[]) => {
  for (const i of idx) {
    const x = String(a[i]);
    const y = String(b[i]);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

/** Rows of one run, as tuples in table-column order, from which its content hash is computed. */
export interface RunRows {
  readonly run: readonly unknown[];
  readonly inputs: (readonly unknown[])[];
  readonly observations: (readonly unknown[])[];
  readonly findings: (readonly unknown[])[];
  readonly certificates: (readonly unknown[])[];
  readonly problems: (readonly unknown[])[];
  readonly controls: (readonly unknown[])[];
}

/**
 * SHA-256 over a run's rows, endpoints by key (not by the store-local id) and blobs by hash, in a
 * fixed order. `store verify` recomputes it from what is stored; any edit to a run shows.
 */
export function runContentHash(rows: RunRows): string {
  const parts: [string, (readonly unknown[])[], (a: readonly unknown[], b: readonly unknown[]) => number][] = [
    ['inputs', rows.inputs, byKeys(0)],
    ['observations', rows.observations, byKeys(0)],
    ['findings', rows.findings, byKeys(0, 1)],
    ['certificates', rows.certificates, byKeys(0, 1)],
    ['problems', rows.problems, byKeys(0)],
    ['controls', rows.controls, byKeys(0, 2)],
  ];
  const lines = [`run ${canonicalJson(rows.run)}`];
  for (const [name, list, cmp] of parts) {
    for (const r of [...list].sort(cmp)) lines.push(`${name} ${canonicalJson(r.map((v) => (v instanceof Uint8Array ? sha256Hex(v) : v)))}`);
  }
  return sha256Hex(lines.join('\n'));
}

export class EvidenceStore {
  readonly path: string;
  readonly db: Database.Database;
  readonly toolVersion: string;

  private constructor(path: string, db: Database.Database, toolVersion: string) {
    this.path = path;
    this.db = db;
    this.toolVersion = toolVersion;
  }

  /**
   * Opens (and, in write mode, creates) the store at `path`, refusing newer formats, foreign and
   * damaged files, then applies any pending migration.
   */
  static open(path: string, opts: OpenOptions): EvidenceStore {
    // Setting up a connection (the first read, the switch to WAL, a migration) can meet a lock
    // that SQLite reports as busy at once instead of waiting: when two runs create or upgrade a
    // store together, the one that loses retries the whole opening until the busy timeout.
    const deadline = Date.now() + (opts.busyTimeoutMs ?? 15_000);
    for (let attempt = 0; ; attempt++) {
      try {
        return EvidenceStore.openOnce(path, opts);
      } catch (err) {
        const busy = err instanceof StoreError && err.code === 'store-busy';
        if (!busy || Date.now() >= deadline) throw err;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(200, 10 * 2 ** attempt));
      }
    }
  }

  private static openOnce(path: string, opts: OpenOptions): EvidenceStore {
    const migrations = opts.migrations ?? MIGRATIONS;
    const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
    const exists = existsSync(path);
    if (!exists && opts.mode === 'read') {
      throw new StoreError('store-not-found', { path },
        `No evidence store at "${path}". tlsproof report creates one (unless --no-store); give --store PATH if it is elsewhere.`);
    }
    if (opts.mode === 'read') return EvidenceStore.openForReading(path, opts, migrations, latest);
    if (exists) checkHeader(path);
    else mkdirSync(dirname(path), { recursive: true });
    let db: Database.Database;
    try {
      db = new Database(path, { fileMustExist: exists });
    } catch (err) {
      throw storeFault(err, path);
    }
    try {
      // Not persistent, no write: safe before we know whose file this is.
      db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 15_000}`);
      // One read transaction, so the application id and the table count come from the same
      // snapshot: read separately, a store another process was creating at that moment looked
      // like a foreign database (tables present, application id not yet visible).
      const info = db.transaction(() => inspect(db)).deferred();
      if (info.tables > 0 && info.applicationId !== APPLICATION_ID) {
        throw new StoreError('store-foreign', { path, applicationId: info.applicationId },
          `"${path}" is an SQLite database, but not a tlsproof evidence store (application id ${info.applicationId}). It was not changed. Give --store another path.`);
      }
      if (info.version > latest) throw newerError(path, info.version, latest, info.lastTool, opts.toolVersion);
      if (String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      if (info.version < latest || info.tables === 0) migrate(db, path, opts, migrations);
    } catch (err) {
      db.close();
      throw storeFault(err, path);
    }
    return new EvidenceStore(path, db, opts.toolVersion);
  }

  /**
   * Read mode never writes the file: SQLite opens it read-only (no journal-mode switch, no
   * migration), so its bytes and modification time stay as they were and a file the user cannot
   * write (or a store on read-only media) still reads. A store in an older format is upgraded in
   * a copy in memory, never on disk.
   */
  private static openForReading(path: string, opts: OpenOptions, migrations: readonly Migration[], latest: number): EvidenceStore {
    checkHeader(path);
    const look = (db: Database.Database): Inspection => {
      db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 15_000}`);
      return db.transaction(() => inspect(db)).deferred();
    };
    let db = new Database(path, { readonly: true, fileMustExist: true });
    let info: Inspection;
    try {
      info = look(db);
    } catch (err) {
      db.close();
      // A WAL-mode store in a read-only folder: SQLite cannot create the shared-memory file it
      // needs beside it. With nobody able to write there, the file alone is the whole store.
      if (sqliteCode(err) !== 'SQLITE_CANTOPEN') throw storeFault(err, path);
      db = inMemory(readFileSync(path));
      info = look(db);
    }
    try {
      if (info.tables > 0 && info.applicationId !== APPLICATION_ID) {
        throw new StoreError('store-foreign', { path, applicationId: info.applicationId },
          `"${path}" is an SQLite database, but not a tlsproof evidence store (application id ${info.applicationId}). It was not changed. Give --store another path.`);
      }
      if (info.version > latest) throw newerError(path, info.version, latest, info.lastTool, opts.toolVersion);
      if (info.version < latest || info.tables === 0) {
        const copy = inMemory(db.serialize());
        db.close();
        db = copy;
        migrate(db, path, opts, migrations);
      }
    } catch (err) {
      if (db.open) db.close();
      throw storeFault(err, path);
    }
    return new EvidenceStore(path, db, opts.toolVersion);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Runs `fn`, turning SQLite corruption and lock timeouts into StoreErrors. */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw storeFault(err, this.path);
    }
  }

  /** Store format (schema version) of the open file. */
  format(): number {
    return this.guard(() => (this.db.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number | null }).v ?? 0);
  }

  /**
   * Stores one run in a single IMMEDIATE transaction and returns its sequence number. Input
   * compression and observation packing happen before the transaction, so the write lock is held
   * only for the inserts.
   */
  recordRun(record: RunRecord, hooks: RecordHooks = {}): { seq: number; uuid: string } {
    const blobs = record.inputs.map((i) => {
      const actual = sha256Hex(i.content);
      if (actual !== i.sha256) {
        throw new StoreError('input-changed', { file: i.file },
          `Input "${i.file}" changed while tlsproof was reading it (SHA-256 ${i.sha256.slice(0, 12)}… when read, ${actual.slice(0, 12)}… now). The run was not recorded; run the report again.`);
      }
      return { sha256: i.sha256, bytes: i.content.byteLength, ...compressInput(i.content) };
    });
    for (const a of record.attachments ?? []) blobs.push({ sha256: sha256Hex(a), bytes: a.byteLength, ...compressInput(a) });
    const observed = record.endpoints.map((e) => e.observedAt).sort();
    const runRow = [
      record.uuid, record.recordedAt, record.toolVersion, JSON.stringify(record.command), canonicalJson(record.request),
      record.reportId, q(record.period?.id), q(record.period?.label), q(record.period?.start), q(record.period?.end),
      record.reportDate, record.generatedAt, observed[0] ?? null, observed[observed.length - 1] ?? null,
      record.inputs.length, record.endpoints.length, record.endpoints.reduce((n, e) => n + e.findings.length, 0), record.problems.length,
      canonicalJson(record.summary), record.modelSha256,
    ] as const;
    const rows: RunRows = {
      run: runRow,
      inputs: record.inputs.map((i, ord) => [ord, i.file, i.kind, i.sha256, i.bytes, i.records, i.problems, i.observedAt, i.observedAtSource]),
      observations: record.endpoints.map((e) => [e.key, e.observedAt, e.observedAtSource, q(e.tool), e.scanState, e.frameworks.join(' '),
        e.findings.filter((f) => f.status === 'pass').map((f) => f.localId).join(' '), packJson(e.facts)]),
      findings: record.endpoints.flatMap((e) => e.findings.filter((f) => f.status !== 'pass').map((f) => [e.key, f.localId, f.checkId, f.status, f.severity,
        f.messageId, f.message, canonicalJson(f.data), canonicalJson(f.evidence)])),
      certificates: record.endpoints.flatMap((e) => e.certificates.map((c) => [e.key, c.index, c.commonName, c.issuer, c.serial, c.fingerprintSha256, c.notBefore, c.notAfter])),
      problems: record.problems.map((p, ord) => [ord, p.file, p.line ?? null, p.column ?? null, p.code, p.message, p.effect]),
      controls: record.controls.map((c) => [c.frameworkId, c.frameworkVersion, c.controlId, c.status]),
    };
    const contentSha = runContentHash(rows);
    hooks.onStage?.('prepared');

    const db = this.db;
    const tx = db.transaction(() => {
      const info = db.prepare(`INSERT INTO runs (uuid, recorded_at, tool_version, command, request, report_id, period_id, period_label, period_start,
        period_end, report_date, generated_at, observed_from, observed_to, input_count, endpoint_count, finding_count, problem_count, summary,
        model_sha256, content_sha256) VALUES (${Array(21).fill('?').join(', ')})`).run(...runRow, contentSha);
      const seq = Number(info.lastInsertRowid);
      hooks.onStage?.('run');

      const blob = db.prepare('INSERT INTO blobs (sha256, bytes, encoding, data) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING');
      for (const b of blobs) blob.run(b.sha256, b.bytes, b.encoding, b.data);
      const input = db.prepare('INSERT INTO run_inputs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
      for (const r of rows.inputs) input.run(seq, ...r);
      hooks.onStage?.('inputs');

      const findId = db.prepare('SELECT id FROM endpoints WHERE key = ?').pluck();
      const addEndpoint = db.prepare('INSERT INTO endpoints (key, host, ip, port, service, transport) VALUES (?, ?, ?, ?, ?, ?)');
      const ids = new Map<string, number>();
      for (const e of record.endpoints) {
        let id = findId.get(e.key) as number | undefined;
        if (id === undefined) id = Number(addEndpoint.run(e.key, e.host, e.ip, e.port, e.service, e.transport).lastInsertRowid);
        ids.set(e.key, id);
      }
      const obs = db.prepare('INSERT INTO observations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
      for (const [key, ...rest] of rows.observations) obs.run(seq, ids.get(key as string), ...rest);
      hooks.onStage?.('observations');

      const finding = db.prepare('INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
      for (const [key, ...rest] of rows.findings) finding.run(seq, ids.get(key as string), ...rest);
      const cert = db.prepare('INSERT INTO certificates VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
      for (const [key, ...rest] of rows.certificates) cert.run(seq, ids.get(key as string), ...rest);
      hooks.onStage?.('findings');

      const problem = db.prepare('INSERT INTO problems VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      for (const r of rows.problems) problem.run(seq, ...r);
      const control = db.prepare('INSERT INTO control_results VALUES (?, ?, ?, ?, ?)');
      for (const r of rows.controls) control.run(seq, ...r);
      hooks.onStage?.('before-commit');
      return seq;
    });
    const seq = this.guard(() => tx.immediate());
    return { seq, uuid: record.uuid };
  }

  /** Every run, oldest first. */
  listRuns(): RunSummary[] {
    return this.guard(() => (this.db.prepare('SELECT * FROM runs ORDER BY seq').all() as RunRowDb[]).map(toSummary));
  }

  /**
   * A run by reference: its sequence number ("12" or "#12"), a prefix of its uuid (6+ characters)
   * or its report id. Throws when nothing matches or a reference matches several runs.
   */
  findRun(ref: string): RunSummary {
    const runs = this.listRuns();
    const r = ref.trim().replace(/^#/, '');
    let matches: RunSummary[] = [];
    if (/^\d+$/.test(r)) matches = runs.filter((x) => x.seq === Number(r));
    if (matches.length === 0 && r.length >= 6) matches = runs.filter((x) => x.uuid.startsWith(r.toLowerCase()));
    if (matches.length === 0) matches = runs.filter((x) => x.reportId === r);
    if (matches.length === 1) return matches[0]!;
    if (matches.length === 0) {
      throw new StoreError('run-not-found', { ref },
        `No run "${ref}" in "${this.path}". Give a run number (see tlsproof history), a uuid prefix of 6+ characters, or a report id.${
          runs.length > 0 ? ` Runs: 1–${runs[runs.length - 1]!.seq}.` : ' The store holds no runs yet.'}`);
    }
    throw new StoreError('run-ambiguous', { ref, seqs: matches.map((m) => m.seq) },
      `"${ref}" matches runs ${matches.map((m) => m.seq).join(', ')} (the same report id regenerated). Give the run number instead.`);
  }

  runDetail(seq: number): RunDetail {
    return this.guard(() => {
      const row = this.db.prepare('SELECT * FROM runs WHERE seq = ?').get(seq) as RunRowDb | undefined;
      if (!row) throw new StoreError('run-not-found', { ref: seq }, `No run ${seq} in "${this.path}".`);
      const inputFiles = (this.db.prepare('SELECT * FROM run_inputs WHERE run_seq = ? ORDER BY ord').all(seq) as InputRowDb[]).map((i) => ({
        file: i.file, kind: i.kind, sha256: i.sha256, bytes: i.bytes, records: i.records, problems: i.problems,
        observedAt: i.observed_at, observedAtSource: i.observed_at_source,
      }));
      const endpointKeys = this.db.prepare('SELECT e.key FROM observations o JOIN endpoints e ON e.id = o.endpoint_id WHERE o.run_seq = ? ORDER BY e.key').pluck().all(seq) as string[];
      const openFindings = (this.db.prepare(`SELECT e.key AS endpointKey, f.local_id AS localId, f.check_id AS checkId, f.status, f.severity, f.message
        FROM findings f JOIN endpoints e ON e.id = f.endpoint_id WHERE f.run_seq = ? AND f.status IN ('fail', 'warn') ORDER BY e.key, f.local_id`).all(seq)) as RunDetail['openFindings'];
      const inputProblems = (this.db.prepare('SELECT * FROM problems WHERE run_seq = ? ORDER BY ord').all(seq) as ProblemRowDb[]).map((p) => ({
        file: p.file, ...(p.line === null ? {} : { line: p.line }), ...(p.col === null ? {} : { column: p.col }),
        code: p.code, message: p.message, effect: p.effect as InputProblem['effect'],
      }));
      const controls = (this.db.prepare(`SELECT framework_id AS frameworkId, framework_version AS frameworkVersion, control_id AS controlId, status
        FROM control_results WHERE run_seq = ? ORDER BY framework_id, control_id`).all(seq)) as RunDetail['controls'];
      return {
        ...toSummary(row), command: JSON.parse(row.command) as string[], request: JSON.parse(row.request) as Record<string, unknown>,
        summary: JSON.parse(row.summary) as unknown, modelSha256: row.model_sha256, contentSha256: row.content_sha256,
        inputFiles, endpointKeys, openFindings, inputProblems, controls,
      };
    });
  }

  /** A run's input files with their raw bytes, in the order the run read them. */
  inputsOf(seq: number): { file: string; kind: string; sha256: string; observedAt: string; observedAtSource: string; content: Buffer }[] {
    return this.guard(() => (this.db.prepare(`SELECT i.file, i.kind, i.sha256, i.observed_at, i.observed_at_source, b.encoding, b.data
      FROM run_inputs i JOIN blobs b ON b.sha256 = i.sha256 WHERE i.run_seq = ? ORDER BY i.ord`).all(seq) as (InputRowDb & { encoding: string; data: Buffer })[])
      .map((r) => ({ file: r.file, kind: r.kind, sha256: r.sha256, observedAt: r.observed_at, observedAtSource: r.observed_at_source, content: decompressInput(r.encoding, r.data) })));
  }

  /** The bytes of a stored blob (an input or a file a run's request cites), or undefined when the store has none with that SHA-256. */
  blob(sha256: string): Buffer | undefined {
    return this.guard(() => {
      const row = this.db.prepare('SELECT encoding, data FROM blobs WHERE sha256 = ?').get(sha256) as { encoding: string; data: Buffer } | undefined;
      return row === undefined ? undefined : decompressInput(row.encoding, row.data);
    });
  }

  /** Runs whose report had this model hash (the same inputs, options and tool), oldest first. */
  runsWithModel(modelSha256: string): number[] {
    return this.guard(() => this.db.prepare('SELECT seq FROM runs WHERE model_sha256 = ? ORDER BY seq').pluck().all(modelSha256) as number[]);
  }

  /**
   * Every endpoint's timeline of observations up to and including the UTC date `until`
   * (everything when absent), for the history computations; `excludeRuns` are left out.
   */
  loadHistoryData(until?: string, opts: { excludeRuns?: readonly number[] } = {}): HistoryData {
    return this.guard(() => {
      const before = until === undefined ? '9999' : addDays(until, 1);
      const excluded = new Set(opts.excludeRuns ?? []);
      const runs = (this.db.prepare('SELECT seq FROM runs').pluck().all() as number[]).filter((s) => !excluded.has(s)).length;
      const findings = new Map<string, Map<string, TimelineFinding>>();
      const fStmt = this.db.prepare('SELECT run_seq, endpoint_id, local_id, check_id, status, severity, message_id FROM findings').raw();
      for (const r of fStmt.iterate() as IterableIterator<[number, number, string, string, FindingStatus, Severity, string]>) {
        if (excluded.has(r[0])) continue;
        const k = `${r[0]}:${r[1]}`;
        let m = findings.get(k);
        if (!m) findings.set(k, (m = new Map()));
        // Under today's check ids: a run recorded before a check was renamed still compares.
        addStoredFinding(m, { localId: r[2], checkId: r[3], status: r[4], severity: r[5], messageId: r[6] });
      }
      const certs = new Map<string, TimelineCertificate[]>();
      const cStmt = this.db.prepare('SELECT run_seq, endpoint_id, idx, common_name, issuer, serial, fingerprint_sha256, not_after FROM certificates').raw();
      for (const r of cStmt.iterate() as IterableIterator<[number, number, number, string | null, string | null, string | null, string | null, string | null]>) {
        const k = `${r[0]}:${r[1]}`;
        let l = certs.get(k);
        if (!l) certs.set(k, (l = []));
        l.push({ index: r[2], commonName: r[3], issuer: r[4], serial: r[5], fingerprintSha256: r[6], notAfter: r[7] });
      }
      const timelines: EndpointTimeline[] = [];
      let current: { key: string; label: string; endpoint: Endpoint; points: TimelinePoint[] } | undefined;
      // A run recorded for a period speaks for that period only: its observations dated outside it
      // (file times of a copy, a late --observed-at) count in no period's state, so a later run can
      // never re-date an earlier period's evidence. They stay in the run, and are reported as set aside.
      const outside = `r.period_start IS NOT NULL AND (substr(o.observed_at, 1, 10) < r.period_start OR substr(o.observed_at, 1, 10) > r.period_end)`;
      const setAside: SetAsideRun[] = [];
      const sStmt = this.db.prepare(`SELECT r.seq, r.period_id, r.period_label, r.period_start, r.period_end, COUNT(*), MIN(o.observed_at), MAX(o.observed_at),
        GROUP_CONCAT(DISTINCT o.observed_at_source) FROM observations o JOIN runs r ON r.seq = o.run_seq WHERE ${outside} GROUP BY r.seq ORDER BY r.seq`).raw();
      for (const r of sStmt.iterate() as IterableIterator<[number, string, string, string, string, number, string, string, string]>) {
        if (excluded.has(r[0])) continue;
        setAside.push({ runSeq: r[0], period: { id: r[1], label: r[2], start: r[3], end: r[4] }, observations: r[5], from: r[6], to: r[7],
          sources: r[8].split(',').sort() as SetAsideRun['sources'] });
      }
      const oStmt = this.db.prepare(`SELECT e.id, e.key, e.host, e.ip, e.port, e.service, e.transport, o.run_seq, o.observed_at, o.scan_state, o.frameworks, o.passed
        FROM observations o JOIN endpoints e ON e.id = o.endpoint_id JOIN runs r ON r.seq = o.run_seq
        WHERE o.observed_at < ? AND NOT (${outside}) ORDER BY e.id, o.observed_at, o.run_seq`).raw();
      const none: ReadonlyMap<string, TimelineFinding> = new Map();
      let lastId = -1;
      type Row = [number, string, string, string | null, number, Endpoint['service'], Endpoint['transport'], number, string, TimelinePoint['scanState'], string, string];
      for (const r of oStmt.iterate(before) as IterableIterator<Row>) {
        if (excluded.has(r[7])) continue;
        if (r[0] !== lastId) {
          const endpoint: Endpoint = { host: r[2], ...(r[3] === null ? {} : { ip: r[3] }), port: r[4], service: r[5], transport: r[6] };
          current = { key: r[1], label: endpointLabel(endpoint), endpoint, points: [] };
          timelines.push(current);
          lastId = r[0];
        }
        const k = `${r[7]}:${r[0]}`;
        current!.points.push(new StoredPoint(r[7], r[8], r[9], r[10], r[11], findings.get(k) ?? none, certs.get(k) ?? []));
      }
      return { runs, timelines, setAside };
    });
  }

  /** Writes everything in the store as JSON lines (see export.ts for the record types). Returns the number of lines. */
  exportJsonLines(write: (line: string) => void): number {
    return this.guard(() => {
      let n = 0;
      const out = (o: unknown) => {
        write(`${JSON.stringify(o)}\n`);
        n++;
      };
      const meta = Object.fromEntries((this.db.prepare('SELECT key, value FROM store_meta ORDER BY key').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
      out({ type: 'store', application: 'tlsproof-evidence-store', format: this.format(), meta,
        migrations: this.db.prepare('SELECT version, description, applied_at AS appliedAt, tool_version AS toolVersion FROM schema_version ORDER BY version').all() });
      for (const r of this.db.prepare('SELECT * FROM runs ORDER BY seq').iterate() as IterableIterator<RunRowDb>) {
        out({ type: 'run', seq: r.seq, uuid: r.uuid, recordedAt: r.recorded_at, toolVersion: r.tool_version, command: JSON.parse(r.command) as unknown,
          request: JSON.parse(r.request) as unknown, reportId: r.report_id,
          period: r.period_label === null ? null : { id: r.period_id, label: r.period_label, start: r.period_start, end: r.period_end },
          reportDate: r.report_date, generatedAt: r.generated_at, observedFrom: r.observed_from, observedTo: r.observed_to,
          counts: { inputs: r.input_count, endpoints: r.endpoint_count, findings: r.finding_count, problems: r.problem_count },
          summary: JSON.parse(r.summary) as unknown, modelSha256: r.model_sha256, contentSha256: r.content_sha256 });
      }
      for (const r of this.db.prepare('SELECT * FROM blobs ORDER BY sha256').iterate() as IterableIterator<{ sha256: string; bytes: number; encoding: string; data: Buffer }>) {
        out({ type: 'blob', sha256: r.sha256, bytes: r.bytes, contentBase64: decompressInput(r.encoding, r.data).toString('base64') });
      }
      for (const r of this.db.prepare('SELECT * FROM run_inputs ORDER BY run_seq, ord').iterate() as IterableIterator<InputRowDb>) {
        out({ type: 'input', run: r.run_seq, ord: r.ord, file: r.file, kind: r.kind, sha256: r.sha256, bytes: r.bytes, records: r.records,
          problems: r.problems, observedAt: r.observed_at, observedAtSource: r.observed_at_source });
      }
      for (const r of this.db.prepare('SELECT * FROM endpoints ORDER BY id').iterate() as IterableIterator<{ key: string; host: string; ip: string | null; port: number; service: string; transport: string }>) {
        out({ type: 'endpoint', key: r.key, host: r.host, ip: r.ip, port: r.port, service: r.service, transport: r.transport });
      }
      for (const r of this.db.prepare(`SELECT o.*, e.key FROM observations o JOIN endpoints e ON e.id = o.endpoint_id ORDER BY o.run_seq, e.key`).iterate() as IterableIterator<ObservationRowDb & { key: string }>) {
        out({ type: 'observation', run: r.run_seq, endpoint: r.key, observedAt: r.observed_at, observedAtSource: r.observed_at_source, tool: r.tool,
          scanState: r.scan_state, frameworks: r.frameworks === '' ? [] : r.frameworks.split(' '), passed: r.passed === '' ? [] : r.passed.split(' '),
          facts: unpackJson(r.facts) });
      }
      for (const r of this.db.prepare(`SELECT f.*, e.key FROM findings f JOIN endpoints e ON e.id = f.endpoint_id ORDER BY f.run_seq, e.key, f.local_id`).iterate() as IterableIterator<FindingRowDb & { key: string }>) {
        out({ type: 'finding', run: r.run_seq, endpoint: r.key, id: r.local_id, checkId: r.check_id, status: r.status, severity: r.severity,
          messageId: r.message_id, message: r.message, data: JSON.parse(r.data) as unknown, evidence: JSON.parse(r.evidence) as unknown });
      }
      for (const r of this.db.prepare(`SELECT c.*, e.key FROM certificates c JOIN endpoints e ON e.id = c.endpoint_id ORDER BY c.run_seq, e.key, c.idx`).iterate() as IterableIterator<Record<string, unknown>>) {
        out({ type: 'certificate', run: r['run_seq'], endpoint: r['key'], index: r['idx'], commonName: r['common_name'], issuer: r['issuer'],
          serial: r['serial'], fingerprintSha256: r['fingerprint_sha256'], notBefore: r['not_before'], notAfter: r['not_after'] });
      }
      for (const r of this.db.prepare('SELECT * FROM problems ORDER BY run_seq, ord').iterate() as IterableIterator<ProblemRowDb>) {
        out({ type: 'problem', run: r.run_seq, ord: r.ord, file: r.file, line: r.line, column: r.col, code: r.code, message: r.message, effect: r.effect });
      }
      for (const r of this.db.prepare('SELECT * FROM control_results ORDER BY run_seq, framework_id, control_id').iterate() as IterableIterator<Record<string, unknown>>) {
        out({ type: 'control', run: r['run_seq'], frameworkId: r['framework_id'], frameworkVersion: r['framework_version'], controlId: r['control_id'], status: r['status'] });
      }
      return n;
    });
  }
}

export interface RunRowDb {
  seq: number; uuid: string; recorded_at: string; tool_version: string; command: string; request: string; report_id: string;
  period_id: string | null; period_label: string | null; period_start: string | null; period_end: string | null;
  report_date: string; generated_at: string; observed_from: string | null; observed_to: string | null;
  input_count: number; endpoint_count: number; finding_count: number; problem_count: number;
  summary: string; model_sha256: string; content_sha256: string;
}
export interface InputRowDb {
  run_seq: number; ord: number; file: string; kind: string; sha256: string; bytes: number; records: number; problems: number;
  observed_at: string; observed_at_source: string;
}
export interface ObservationRowDb {
  run_seq: number; endpoint_id: number; observed_at: string; observed_at_source: string; tool: string | null; scan_state: string;
  frameworks: string; passed: string; facts: Buffer;
}
export interface FindingRowDb {
  run_seq: number; endpoint_id: number; local_id: string; check_id: string; status: string; severity: string;
  message_id: string; message: string; data: string; evidence: string;
}
export interface ProblemRowDb {
  run_seq: number; ord: number; file: string; line: number | null; col: number | null; code: string; message: string; effect: string;
}

/**
 * A timeline point read from the store. The framework and pass lists are split on first use: only
 * the trend's few periods need them, and a store of 40 quarters holds ~80,000 observations.
 */
class StoredPoint implements TimelinePoint {
  readonly day: string;
  private frameworksCache: readonly string[] | undefined;
  private passedCache: readonly string[] | undefined;

  constructor(
    readonly runSeq: number,
    readonly observedAt: string,
    readonly scanState: TimelinePoint['scanState'],
    private readonly frameworksText: string,
    private readonly passedText: string,
    readonly findings: ReadonlyMap<string, TimelineFinding>,
    readonly certificates: readonly TimelineCertificate[],
  ) {
    this.day = observedAt.slice(0, 10);
  }

  get frameworks(): readonly string[] {
    return (this.frameworksCache ??= this.frameworksText === '' ? [] : this.frameworksText.split(' '));
  }

  get passed(): readonly string[] {
    return (this.passedCache ??= this.passedText === '' ? [] : this.passedText.split(' '));
  }
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

export { STORE_FORMAT };
