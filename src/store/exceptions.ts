/**
 * The exception register a stored run applied, read back from the store (the request cites the
 * file by SHA-256, the blob holds its bytes), and the changes between two periods' registers: what
 * `tlsproof diff` prints and the report's history section shows.
 */
import { compareExceptions, parseStoredExceptions, runForPeriod, type ExceptionChanges, type ExceptionSnapshot } from '../history/exceptions.js';
import type { PeriodSpec } from '../model/period.js';
import type { EvidenceStore } from './store.js';

/** The exceptions file of a run, as its request cites it: the name the report gave it, and the SHA-256 of its stored bytes. */
export interface RecordedExceptions {
  readonly file: string;
  readonly sha256: string;
}

/**
 * Each period's register (the exceptions file of the last run recorded for it) and the changes
 * between them. `current` stands in for the later period's run when it is not in the store (a
 * read-only report run); `excludeRuns` are left out (earlier repeats of the same report).
 */
export function exceptionChangesFromStore(store: EvidenceStore, from: Pick<PeriodSpec, 'start' | 'end'>, to: Pick<PeriodSpec, 'start' | 'end'>,
  opts: { current?: ExceptionSnapshot | undefined; excludeRuns?: readonly number[] } = {}): ExceptionChanges {
  const excluded = new Set(opts.excludeRuns ?? []);
  const runs = store.listRuns().filter((r) => !excluded.has(r.seq) && r.seq !== opts.current?.runSeq);
  const notes: string[] = [];
  const snapshot = (period: Pick<PeriodSpec, 'start' | 'end'>): ExceptionSnapshot | undefined => {
    const run = runForPeriod(runs, period);
    if (run === undefined) return undefined;
    const cited = (store.runDetail(run.seq).request as { exceptions?: RecordedExceptions | null }).exceptions ?? null;
    if (cited === null) return { runSeq: run.seq, reportDate: run.reportDate, source: null, entries: [] };
    const content = store.blob(cited.sha256);
    if (content === undefined) {
      notes.push(`Run ${run.seq} applied ${cited.file} (SHA-256 ${cited.sha256.slice(0, 12)}…), but the store holds no content with that hash; run tlsproof store verify.`);
      return { runSeq: run.seq, reportDate: run.reportDate, source: cited, entries: [] };
    }
    const parsed = parseStoredExceptions(content, cited.file);
    notes.push(...parsed.notes);
    return { runSeq: run.seq, reportDate: run.reportDate, source: cited, entries: parsed.entries };
  };
  const changes = compareExceptions(snapshot(from), opts.current ?? snapshot(to));
  changes.notes.push(...notes);
  return changes;
}

/** Whether there is anything to say: a register in either period. */
export function hasExceptionRegister(c: ExceptionChanges): boolean {
  return c.previous?.source != null || c.current?.source != null;
}
