/**
 * TLS-RPT aggregate reports (RFC 8460): what sending MTAs experienced when delivering to a
 * domain's MX hosts, per reporting organisation and date range. Not an Observation: a report is
 * the senders' view of many sessions, not one scanner's reading of one endpoint.
 */

/** Result types of RFC 8460 §4.3 (other strings are kept as the sender wrote them). */
export const TLS_RPT_RESULT_TYPES = [
  'starttls-not-supported', 'certificate-host-mismatch', 'certificate-expired', 'certificate-not-trusted',
  'validation-failure', 'tlsa-invalid', 'dnssec-invalid', 'dane-required', 'sts-policy-fetch-error',
  'sts-policy-invalid', 'sts-webpki-invalid',
] as const;
export type TlsRptResultType = (typeof TLS_RPT_RESULT_TYPES)[number];

export interface TlsRptFailure {
  /** One of TLS_RPT_RESULT_TYPES, or an unregistered type as reported. */
  readonly resultType: string;
  readonly failedSessionCount: number;
  readonly sendingMtaIp?: string;
  readonly receivingMxHostname?: string;
  readonly receivingMxHelo?: string;
  readonly receivingIp?: string;
  readonly additionalInformation?: string;
  readonly failureReasonCode?: string;
}

export interface TlsRptPolicyResult {
  /** `sts`, `tlsa` or `no-policy-found` (RFC 8460 §4.4). */
  readonly policyType: string;
  readonly policyDomain: string;
  readonly policyStrings: readonly string[];
  readonly mxHosts: readonly string[];
  readonly successfulSessions: number;
  readonly failedSessions: number;
  readonly failures: readonly TlsRptFailure[];
}

export interface TlsRptReport {
  readonly reportId: string;
  readonly organization: string;
  readonly contact?: string;
  /** ISO 8601. */
  readonly start: string;
  /** ISO 8601. */
  readonly end: string;
  readonly policies: readonly TlsRptPolicyResult[];
  /** Where it was read: the file as the user gave it (and the member, for a compressed one). */
  readonly file: string;
}
