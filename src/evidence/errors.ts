/** Errors of signing and verification that the user can act on; the message says what to do. */
export type EvidenceErrorCode =
  | 'sign-key-unreadable'
  | 'sign-key-format'
  | 'tsa-failed'
  | 'verify-unreadable'
  | 'verify-not-signed'
  | 'bundle-invalid';

export class EvidenceError extends Error {
  readonly code: EvidenceErrorCode;

  constructor(code: EvidenceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EvidenceError';
    this.code = code;
  }
}
