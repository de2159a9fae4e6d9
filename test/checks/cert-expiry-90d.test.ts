import { certExpiry90d } from '../../src/checks/cert-expiry-90d.js';
import { OBSERVED_AT, REPORT_DATE, cert, checkCases, observation } from './helpers.js';

const certs = (...c: Parameters<typeof cert>[0][]) => observation({ certificates: c.map(cert) });

// Report date 2026-10-01: day 90 is 2026-12-30, day 91 is 2026-12-31.
checkCases(certExpiry90d, {
  warn: [
    {
      name: 'expires on day 90, last second',
      obs: certs({ notAfter: '2026-12-30T23:59:59Z' }),
      messageId: 'expiring',
      severity: 'low',
      message: `Certificate #1 expires on 2026-12-30T23:59:59Z, 90 days after the report date ${REPORT_DATE} (window: 90 days)`,
      data: { daysLeft: 90, window: 90 },
    },
    { name: 'windows are cumulative: 10 days left also warns here', obs: certs({ notAfter: '2026-10-11T00:00:00Z' }), messageId: 'expiring', data: { daysLeft: 10 } },
    { name: 'expired by the report date', obs: certs({ notAfter: '2026-09-30T00:00:00Z' }), messageId: 'expired-by-report-date', data: { daysAgo: 1 } },
    {
      name: 'already expired when observed',
      obs: certs({ notAfter: '2026-09-15T09:59:59Z' }),
      messageId: 'already-expired',
      severity: 'low',
      data: { observedAt: OBSERVED_AT },
    },
  ],
  pass: [{ name: 'expires on day 91', obs: certs({ notAfter: '2026-12-31T00:00:00Z' }), messageId: 'valid', data: { daysLeft: 91 } }],
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
});
