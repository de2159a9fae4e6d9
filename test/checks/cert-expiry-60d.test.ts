import { certExpiry60d } from '../../src/checks/cert-expiry-60d.js';
import { OBSERVED_AT, REPORT_DATE, cert, checkCases, observation } from './helpers.js';

const certs = (...c: Parameters<typeof cert>[0][]) => observation({ certificates: c.map(cert) });

// Report date 2026-10-01: day 60 is 2026-11-30, day 61 is 2026-12-01.
checkCases(certExpiry60d, {
  warn: [
    {
      name: 'expires on day 60, last second',
      obs: certs({ notAfter: '2026-11-30T23:59:59Z' }),
      messageId: 'expiring',
      severity: 'medium',
      message: `Certificate #1 expires on 2026-11-30T23:59:59Z, 60 days after the report date ${REPORT_DATE} (window: 60 days)`,
      data: { daysLeft: 60, window: 60 },
    },
    { name: 'windows are cumulative: 10 days left also warns here', obs: certs({ notAfter: '2026-10-11T00:00:00Z' }), messageId: 'expiring', data: { daysLeft: 10 } },
    { name: 'expired by the report date', obs: certs({ notAfter: '2026-09-30T00:00:00Z' }), messageId: 'expired-by-report-date', data: { daysAgo: 1 } },
    {
      name: 'already expired when observed',
      obs: certs({ notAfter: '2026-09-15T09:59:59Z' }),
      messageId: 'already-expired',
      severity: 'medium',
      data: { observedAt: OBSERVED_AT },
    },
  ],
  pass: [{ name: 'expires on day 61', obs: certs({ notAfter: '2026-12-01T00:00:00Z' }), messageId: 'valid', data: { daysLeft: 61 } }],
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
