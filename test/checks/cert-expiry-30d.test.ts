import { certExpiry30d } from '../../src/checks/cert-expiry-30d.js';
import { OBSERVED_AT, REPORT_DATE, cert, checkCases, observation } from './helpers.js';

const certs = (...c: Parameters<typeof cert>[0][]) => observation({ certificates: c.map(cert) });

// Observed 2026-09-15T10:00Z, report date 2026-10-01: day 30 is 2026-10-31, day 31 is 2026-11-01.
checkCases(certExpiry30d, {
  fail: [
    {
      name: 'expires on the 30th day after the report date, last second',
      obs: certs({ commonName: 'mx.example.test', notAfter: '2026-10-31T23:59:59Z' }),
      messageId: 'expiring',
      severity: 'high',
      message: `Certificate #1 (mx.example.test) expires on 2026-10-31T23:59:59Z, 30 days after the report date ${REPORT_DATE} (window: 30 days)`,
      data: { daysLeft: 30, window: 30 },
      evidence: ['"cert_notAfter <#1>","mx.example.test/192.0.2.25","25","INFO","2026-10-31T23:59:59Z","",""'],
    },
    { name: 'expires on the report date itself', obs: certs({ notAfter: '2026-10-01T08:00:00Z' }), messageId: 'expiring', data: { daysLeft: 0 } },
    {
      name: 'valid when observed, expired by the report date: the message says so',
      obs: certs({ notAfter: '2026-09-20T00:00:00Z' }),
      messageId: 'expired-by-report-date',
      message: `Certificate #1 was valid when observed on ${OBSERVED_AT} but expired on 2026-09-20T00:00:00Z, 11 days before the report date ${REPORT_DATE}`,
      data: { daysAgo: 11 },
    },
    {
      name: 'notAfter exactly at observation: valid then, expired by the report date',
      obs: certs({ notAfter: OBSERVED_AT }),
      messageId: 'expired-by-report-date',
      data: { daysAgo: 16 },
    },
    {
      name: 'already expired when observed: still fails (never kinder than a near expiry), points to cert-expired',
      obs: certs({ notAfter: '2026-09-01T00:00:00Z' }),
      messageId: 'already-expired',
      severity: 'high',
      message: `Certificate #1 had already expired on 2026-09-01T00:00:00Z when observed on ${OBSERVED_AT} (see cert-expired)`,
    },
  ],
  pass: [
    {
      name: 'expires on the 31st day',
      obs: certs({ notAfter: '2026-11-01T00:00:00Z' }),
      messageId: 'valid',
      message: `Certificate #1 expires on 2026-11-01T00:00:00Z, 31 days after the report date ${REPORT_DATE} (window: 30 days)`,
      data: { daysLeft: 31 },
    },
    {
      name: 'an offset that moves notAfter into the next UTC day counts the UTC day',
      obs: certs({ notAfter: '2026-10-31T23:30:00-01:00' }),
      data: { daysLeft: 31 },
    },
  ],
  mixed: [
    {
      name: 'RSA and ECDSA certificates judged separately',
      obs: certs(
        { index: 1, commonName: 'mx.example.test', notAfter: '2027-06-01T00:00:00Z' },
        { index: 2, commonName: 'mx.example.test', notAfter: '2026-10-15T00:00:00Z' },
      ),
      outcomes: [
        { status: 'pass', messageId: 'valid', data: { certificateIndex: 1 } },
        { status: 'fail', messageId: 'expiring', data: { certificateIndex: 2, daysLeft: 14 } },
      ],
    },
  ],
  notTested: [
    { name: 'no certificates', obs: observation(), messageId: 'no-certificates' },
    { name: 'no notAfter', obs: certs({ notBefore: '2026-01-01T00:00:00Z' }), messageId: 'not-tested' },
  ],
  error: [
    { name: 'bad notAfter', obs: certs({ notAfter: '31/10/2026' }), messageId: 'invalid-date', data: { field: 'expiry date (notAfter)' } },
    {
      name: 'bad report date',
      obs: certs({ notAfter: '2026-10-15T00:00:00Z' }),
      ctx: { reportDate: 'Q4' },
      messageId: 'invalid-date',
      data: { field: 'report date', value: 'Q4' },
    },
  ],
});
