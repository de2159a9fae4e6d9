/**
 * Probe failures. Inside the scanner a failure travels as a ProbeError (so a dialogue can stop at
 * any step); at the probe seam it becomes an outcome value with a reason, never a thrown error
 * (STYLE rule 5: partial failure is an outcome).
 */
import type { ProbeErrorReason } from '../model/observation.js';

export class ProbeError extends Error {
  readonly reason: ProbeErrorReason;
  /** SMTP/IMAP/POP3 reply that caused it, when there was one (for retry decisions). */
  readonly reply?: string;
  /** True for temporary refusals (SMTP 4xx, 421) that a later attempt may get past. */
  readonly temporary: boolean;
  /** Where it happened on the primary connection: before TLS or in the TLS handshake. */
  stage?: 'dialogue' | 'tls';
  /** Transcript up to the failure. */
  transcript?: string[];

  constructor(reason: ProbeErrorReason, message: string, opts: { reply?: string; temporary?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ProbeError';
    this.reason = reason;
    if (opts.reply !== undefined) this.reply = opts.reply;
    this.temporary = opts.temporary ?? false;
  }
}

/** A socket or TLS error as a ProbeError with the closest reason. */
export function probeErrorFrom(err: unknown, during: 'connect' | 'read' | 'handshake'): ProbeError {
  if (err instanceof ProbeError) return err;
  const e = err as NodeJS.ErrnoException & { library?: string; reason?: string };
  const code = e?.code ?? '';
  const msg = e instanceof Error ? e.message : String(err);
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') {
    return new ProbeError('connect-failed', `${code}: ${msg}`, { cause: err });
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') return new ProbeError('connection-reset', `connection reset by the server during ${during}`, { cause: err });
  if (during === 'handshake') return new ProbeError('handshake-failed', `TLS handshake failed: ${msg}`, { cause: err });
  return new ProbeError(during === 'connect' ? 'connect-failed' : 'protocol-error', msg, { cause: err });
}
