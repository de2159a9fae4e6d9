/**
 * The cases the two advisory expiry windows (60 and 90 days, status warn) share: the same
 * boundaries, cumulative windows, expired-by-report-date and already-expired handling, differing
 * only in the window's last day and severity. cert-expiry-30d (status fail) has its own file.
 */
import type { Severity } from '../../src/model/finding.js';
import { OBSERVED_AT, REPORT_DATE, cert, observation, type Cases } from './helpers.js';

const certs = (...c: Parameters<typeof cert>[0][]) => observation({ certificates: c.map(cert) });

export interface AdvisoryWindow {
  readonly days: number;
  /** The window's last day (report date + days), and the first day after it. */
  readonly lastDay: string;
  readonly nextDay: string;
  readonly severity: Severity;
}

export function advisoryWindowCases(w: AdvisoryWindow): Cases {
  return {
    warn: [
      {
        name: `expires on day ${w.days}, last second`,
        obs: certs({ notAfter: `${w.lastDay}T23:59:59Z` }),
        messageId: 'expiring',
        severity: w.severity,
        message: `Certificate #1 expires on ${w.lastDay}T23:59:59Z, ${w.days} days after the report date ${REPORT_DATE} (window: ${w.days} days)`,
        data: { daysLeft: w.days, window: w.days },
      },
      { name: 'windows are cumulative: 10 days left also warns here', obs: certs({ notAfter: '2026-10-11T00:00:00Z' }), messageId: 'expiring', data: { daysLeft: 10 } },
      { name: 'expired by the report date', obs: certs({ notAfter: '2026-09-30T00:00:00Z' }), messageId: 'expired-by-report-date', data: { daysAgo: 1 } },
      {
        name: 'already expired when observed',
        obs: certs({ notAfter: '2026-09-15T09:59:59Z' }),
        messageId: 'already-expired',
        severity: w.severity,
        data: { observedAt: OBSERVED_AT },
      },
    ],
    pass: [{ name: `expires on day ${w.days + 1}`, obs: certs({ notAfter: `${w.nextDay}T00:00:00Z` }), messageId: 'valid', data: { daysLeft: w.days + 1 } }],
    mixed: [
      {
        name: 'two certificates',
        obs: certs({ index: 1, notAfter: '2026-10-20T00:00:00Z' }, { index: 2, notAfter: '2028-01-01T00:00:00Z' }),
        outcomes: [
          { status: 'warn', data: { certificate: '#1' } },
          { status: 'pass', data: { certificate: '#2' } },
        ],
      },
    ],
    notTested: [
      { name: 'no certificates', obs: observation(), messageId: 'no-certificates' },
      { name: 'no notAfter', obs: certs({}), messageId: 'not-tested' },
    ],
    error: [{ name: 'bad notAfter', obs: certs({ notAfter: 'never' }), messageId: 'invalid-date' }],
  };
}
