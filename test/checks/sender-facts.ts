/**
 * TLS-RPT reports for check tests, joined to an endpoint by the production join
 * (attachSenderReports), so the checks read facts as the pipeline builds them.
 */
import { attachSenderReports } from '../../src/model/sender-reports.js';
import type { Observation } from '../../src/model/observation.js';
import type { TlsRptFailure, TlsRptReport } from '../../src/model/tls-rpt.js';

/** A one-policy report for `domain` on `date` (yyyy-MM-dd) from `org`. */
export function report(date: string, ok: number, failures: readonly TlsRptFailure[], opts: { domain?: string; org?: string; mx?: readonly string[]; failed?: number } = {}): TlsRptReport {
  const domain = opts.domain ?? 'example.test';
  const org = opts.org ?? 'Google Inc.';
  return {
    reportId: `${date}_${domain}_${org}`, organization: org, start: `${date}T00:00:00.000Z`, end: `${date}T23:59:59.000Z`,
    file: `reports/${org.split(' ')[0]!.toLowerCase()}!${domain}!${date}.json.gz`,
    policies: [{
      policyType: 'sts', policyDomain: domain, policyStrings: [], mxHosts: opts.mx ?? ['mx.example.test'],
      successfulSessions: ok, failedSessions: opts.failed ?? failures.reduce((n, f) => n + f.failedSessionCount, 0), failures,
    }],
  };
}

export function failure(resultType: string, n: number, mx = 'mx.example.test'): TlsRptFailure {
  return { resultType, failedSessionCount: n, receivingMxHostname: mx, sendingMtaIp: '209.85.220.41' };
}

/** `obs` with the reports joined as the pipeline joins them. */
export function withReports(obs: Observation, reports: readonly TlsRptReport[]): Observation {
  return attachSenderReports([obs], reports)[0]!;
}
