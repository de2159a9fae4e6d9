/**
 * Helpers for certificate checks: one outcome per server certificate, each labelled so the
 * auditor can tell which certificate (servers may present RSA and ECDSA ones side by side).
 */
import type { CertificateFacts, Observation } from '../../model/observation.js';
import type { Fact } from '../../model/source.js';
import type { CheckOutcome } from '../types.js';
import { notTested, outcome, type OutcomeData } from './outcome.js';
import { toInstant } from '../../time.js';

/** Data every certificate outcome carries: `certificate` is the label messages use. */
type CertificateData = Readonly<Record<string, string | number>> & {
  readonly certificate: string;
  readonly certificateIndex: number;
};

/** Messages every certificate check defines (merged into its own). */
export const CERTIFICATE_MESSAGES = {
  'no-certificates': 'No server certificate was reported',
  'not-tested': 'Certificate {{certificate}}: the {{field}} was not reported',
} as const;

/** Messages for checks that compare dates. */
export const DATE_MESSAGES = {
  'invalid-date': 'Certificate {{certificate}}: the {{field}} "{{value}}" is not an ISO 8601 date',
} as const;

const WHITESPACE_RUN = /\s+/g;

/**
 * `#1 (mx.example.com)`, or `#1` when the common name is unknown. When the endpoint presented
 * several certificates (RSA and ECDSA side by side usually share a common name) the key goes in
 * too, `#2 (RSA 2048, mx.example.com)`, so a finding says which one. The label folds whitespace
 * (a subject can hold line breaks) so messages stay one line; `commonName` keeps the raw value.
 */
function certificateData(cert: CertificateFacts, several = false): CertificateData {
  const cn = cert.commonName?.value;
  const alg = cert.keyAlgorithm?.value;
  const key = several && alg !== undefined ? `${alg}${cert.keyBits ? ` ${cert.keyBits.value}` : ''}` : undefined;
  const parts = [...(key !== undefined ? [key] : []), ...(cn !== undefined ? [cn.replace(WHITESPACE_RUN, ' ').trim()] : [])];
  return {
    certificate: parts.length > 0 ? `#${cert.index} (${parts.join(', ')})` : `#${cert.index}`,
    certificateIndex: cert.index,
    ...(cn !== undefined ? { commonName: cn } : {}),
    ...(key !== undefined ? { keyType: key } : {}),
  };
}

/**
 * Runs `judge` on every certificate; an endpoint without certificates gets one not-tested outcome
 * (no certificate can mean TLS failed or the input had no certificate rows: either way, untested).
 */
export function perCertificate(
  obs: Observation,
  judge: (cert: CertificateFacts, data: CertificateData) => CheckOutcome,
): CheckOutcome[] {
  if (obs.certificates.length === 0) return [notTested({}, 'no-certificates')];
  const several = obs.certificates.length > 1;
  return obs.certificates.map((cert) => judge(cert, certificateData(cert, several)));
}

/** Not tested because the certificate lacks `field` (a readable name, e.g. "expiry date"). */
export function fieldNotTested(data: CertificateData, field: string): CheckOutcome {
  return notTested({ ...data, field });
}

/**
 * What every expiry judgement starts from: the certificate's notAfter and the observation time as
 * instants, with notAfter as the evidence; or the outcome to return instead (field not known, or
 * a date that does not parse).
 */
export function expiryInstants(obs: Observation, cert: CertificateFacts, data: CertificateData):
  { notAfter: Fact<string>; endMs: number; observedMs: number; evidence: Fact<unknown>[] } | { outcome: CheckOutcome } {
  const notAfter = cert.notAfter;
  if (notAfter === undefined) return { outcome: fieldNotTested(data, 'expiry date (notAfter)') };
  const evidence: Fact<unknown>[] = [notAfter];
  const end = instantOrError(notAfter.value, 'expiry date (notAfter)', data, evidence);
  if ('error' in end) return { outcome: end.error };
  const observed = instantOrError(obs.observedAt, 'observation time', data, evidence);
  if ('error' in observed) return { outcome: observed.error };
  return { notAfter, endMs: end.ms, observedMs: observed.ms, evidence };
}

/**
 * Parses a date the check needs; on failure, the error outcome to return instead. Dates in the
 * model are ISO 8601 by contract, so a bad one is an ingest bug, reported rather than guessed at.
 */
export function instantOrError(
  value: string,
  field: string,
  data: OutcomeData,
  evidence: readonly Fact<unknown>[],
): { ms: number } | { error: CheckOutcome } {
  const ms = toInstant(value);
  return ms === undefined ? { error: outcome('error', 'invalid-date', { ...data, field, value }, evidence) } : { ms };
}
