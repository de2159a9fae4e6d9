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
 *
 * This class only holds the connection and turns SQLite's faults into ReportErrors; each job lives
 * in its own module: open.ts, migrate.ts, insert.ts, query.ts, timeline.ts, export.ts.
 */
import type Database from 'better-sqlite3';
import type { HistoryData } from '../history/timeline.js';
import { exportJsonLines } from './export.js';
import { insertRun } from './insert.js';
import { closeDatabase, openDatabase, storeFault } from './open.js';
import { blobContent, findRun, inputsOf, listRuns, runDetail, runSummaryJson, runsWithModel, storeFormat } from './query.js';
import { loadHistoryData } from './timeline.js';
import { chainHead, type ChainHead } from './chain.js';
import type { OpenOptions, RecordedRun, RecordHooks, RunDetail, RunRecord, RunSummary } from './types.js';

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
    return new EvidenceStore(path, openDatabase(path, opts), opts.toolVersion);
  }

  close(): void {
    closeDatabase(this.db, this.path);
  }

  /** Runs `fn`, turning SQLite corruption and lock timeouts into ReportErrors. */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw storeFault(err, this.path);
    }
  }

  /** Store format (schema version) of the open file. */
  format(): number {
    return this.guard(() => storeFormat(this.db));
  }

  /**
   * Stores one run in a single IMMEDIATE transaction and returns its sequence number. Input
   * compression and observation packing happen before the transaction, so the write lock is held
   * only for the inserts.
   */
  recordRun(record: RunRecord, hooks: RecordHooks = {}): RecordedRun {
    return this.guard(() => insertRun(this.db, this.path, record, hooks));
  }

  /** The newest link of the chain of runs (leaving out the runs `excluding`), or null in a store without runs. */
  chainHead(excluding: readonly number[] = []): ChainHead | null {
    return this.guard(() => chainHead(this.db, excluding));
  }

  /** The bytes of a stored blob (an input or a file a run's request cites, such as its exceptions file). */
  blob(sha256: string): Buffer | undefined {
    return this.guard(() => blobContent(this.db, sha256));
  }

  /** Every run, oldest first. */
  listRuns(): RunSummary[] {
    return this.guard(() => listRuns(this.db));
  }

  /**
   * A run by reference: its sequence number ("12" or "#12"), a prefix of its uuid (6+ characters)
   * or its report id. Throws when nothing matches or a reference matches several runs.
   */
  findRun(ref: string): RunSummary {
    return this.guard(() => findRun(this.db, this.path, ref));
  }

  runDetail(seq: number): RunDetail {
    return this.guard(() => runDetail(this.db, this.path, seq));
  }

  /** The run's stored summary alone: what the trend reads of earlier periods' reports. */
  runSummary(seq: number): unknown {
    return this.guard(() => runSummaryJson(this.db, this.path, seq));
  }

  /** A run's input files with their raw bytes, in the order the run read them. */
  inputsOf(seq: number): ReturnType<typeof inputsOf> {
    return this.guard(() => inputsOf(this.db, seq));
  }

  /** Runs whose report had this model hash (the same inputs, options and tool), oldest first. */
  runsWithModel(modelSha256: string): number[] {
    return this.guard(() => runsWithModel(this.db, modelSha256));
  }

  /**
   * Every endpoint's timeline of observations up to and including the UTC date `until`
   * (everything when absent), for the history computations; `excludeRuns` are left out.
   */
  loadHistoryData(until?: string, opts: { excludeRuns?: readonly number[] } = {}): HistoryData {
    return this.guard(() => loadHistoryData(this.db, until, opts));
  }

  /** Writes everything in the store as JSON lines. Returns the number of lines. */
  exportJsonLines(write: (line: string) => void): number {
    return this.guard(() => exportJsonLines(this.db, write));
  }
}
