/**
 * Errors of the evidence store: a code plus data and a message that says where, what, and what to
 * do. Kept apart from ReportError's codes so the store can be used (and fail) outside a report run;
 * the CLI prints both the same way.
 */
export type StoreErrorCode =
  /** The file exists but is not an SQLite database, or SQLite found it damaged. */
  | 'store-corrupt'
  /** The path is not a file SQLite may open (a folder, FIFO, device, symlink loop), or tlsproof cannot write it. */
  | 'store-unusable'
  /** An SQLite database that is not a tlsproof evidence store. */
  | 'store-foreign'
  /** Written by a newer tlsproof (a store format this version does not know); never rewritten. */
  | 'store-newer'
  /** No store at the path, for a command that only reads. */
  | 'store-not-found'
  /** Another process held the store's write lock for longer than the busy timeout. */
  | 'store-busy'
  /** A run reference that matches no run, or more than one. */
  | 'run-not-found'
  | 'run-ambiguous'
  /** An input file changed between being read for the report and being stored. */
  | 'input-changed'
  /** A migration failed; the store was left at its previous version. */
  | 'migration-failed';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly data: Readonly<Record<string, unknown>>;

  constructor(code: StoreErrorCode, data: Record<string, unknown>, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
    this.data = data;
  }
}
