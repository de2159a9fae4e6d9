/**
 * The one error class tlsproof shows to its users: a code, data, and a message that says where,
 * what, and what to do. Every layer throws it (the store and signing included); the CLI catches it
 * in one place (cli/index.ts), prints the message and exits with the code from cli/exit-codes.ts.
 * Each layer keeps its prose in one module of its own: cli/messages.ts for the command line,
 * output/messages.ts for writing files; the readers, loaders and the store write theirs where
 * the fault is found, since only there are the file, line and value known.
 */
import type { StoreErrorCode } from './store/errors.js';

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

/** Faults of signing, time-stamping, bundling and verifying. */
export type EvidenceErrorCode =
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
