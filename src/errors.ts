/**
 * The one error class tlsproof shows to its users: a code, data, and a message that says where,
 * what, and what to do. Every layer throws it, the store and signing included; the CLI catches it
 * in one place (cli/index.ts), prints the message and exits with the code from cli/exit-codes.ts.
 *
 * The message is never written where the error is thrown: each layer keeps its prose in one
 * module, `messages.ts` in its folder (cli/, output/, ingest/, config/, map/, history/, report/,
 * evidence/, store/, model/; src/messages.ts for the file guard and YAML reader every layer
 * shares; src/pipeline-messages.ts for the run's own refusals), as functions that take the data and return the whole message. The thrower passes what
 * only it knows — the file, line, column, value — and the messages module says it.
 * test/integrity/error-messages.test.ts fails on a string or template literal given as a message
 * anywhere else (it lists the files still waiting to move, and the list may only shrink).
 */

export type ErrorCode =
  | 'input-not-found'
  | 'input-unrecognised'
  | 'input-empty'
  | 'input-unreadable'
  | 'strict-problems'
  | 'strict-period'
  | 'mapping-invalid'
  | 'mapping-unknown-check'
  | 'mapping-duplicate'
  | 'framework-unknown'
  | 'period-invalid'
  | 'date-invalid'
  | 'format-unknown'
  | 'usage'
  | 'template-error'
  | 'output-path-escape'
  | 'output-unwritable'
  | 'domain-list-invalid'
  | 'exceptions-invalid'
  | StoreErrorCode
  | EvidenceErrorCode;

/** The evidence store's codes (src/store): kept in this one union so every layer's errors are ReportErrors. */
type StoreErrorCode =
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

/** Faults of signing, time-stamping, bundling and verifying. */
type EvidenceErrorCode =
  | 'sign-key-unreadable'
  | 'sign-key-format'
  | 'tsa-failed'
  | 'bundle-invalid';

export class ReportError extends Error {
  readonly code: ErrorCode;
  readonly data: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, data: Record<string, unknown>, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReportError';
    this.code = code;
    this.data = data;
  }
}
