/**
 * Errors of the evidence store: its codes. The class is tlsproof's one error class (src/errors.ts),
 * under the name the store's modules use; the CLI catches it with every other.
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

export { ReportError as StoreError } from '../errors.js';
