/**
 * User-facing errors: a code plus data. The prose lives in cli/messages.ts so every message says
 * where, what, and what is allowed, in one voice.
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
  | 'exceptions-invalid';

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
