import { certExpiring } from '../../src/checks/cert-expiring.js';
import { EXPIRY_WINDOWS } from '../../src/checks/shared/expiry.js';
import { describe, expect, it } from 'vitest';
import { OBSERVED_AT, cert, checkCases, observation } from './helpers.js';

const certs = (...c: Parameters<typeof cert>[0][]) => observation({ certificates: c.map(cert) });

// Observed 2026-09-15T10:00Z (the report date, 2026-10-01 in CTX, plays no part): day 30 is 2026-10-15,
// day 60 is 2026-11-14, day 90 is 2026-12-14.
checkCases(certExpiring, {
  warn: [
    {
      name: 'expires on the 30th day after the observation, last second: high',
      obs: certs({ commonName: 'mx.example.test', notAfter: '2026-10-15T23:59:59Z' }),
      messageId: 'expiring',
      severity: 'high',
      message: `Certificate #1 (mx.example.test) expires on 2026-10-15T23:59:59Z, 30 days after it was observed on ${OBSERVED_AT} (inside the 30-day window)`,
      data: { daysLeft: 30, window: 30 },
      evidence: ['"cert_notAfter <#1>","mx.example.test/192.0.2.25","25","INFO","2026-10-15T23:59:59Z","",""'],
    },
    { name: 'expires later on the day it was observed', obs: certs({ notAfter: '2026-09-15T12:00:00Z' }), messageId: 'expiring', severity: 'high', data: { daysLeft: 0 } },
    { name: 'notAfter exactly at observation is still valid (inclusive)', obs: certs({ notAfter: OBSERVED_AT }), messageId: 'expiring', data: { daysLeft: 0 } },
    { name: 'day 31: medium', obs: certs({ notAfter: '2026-10-16T00:00:00Z' }), messageId: 'expiring', severity: 'medium', data: { daysLeft: 31, window: 60 } },
    { name: 'day 60: medium', obs: certs({ notAfter: '2026-11-14T23:00:00Z' }), severity: 'medium', data: { daysLeft: 60, window: 60 } },
    { name: 'day 61: low', obs: certs({ notAfter: '2026-11-15T00:00:00Z' }), severity: 'low', data: { daysLeft: 61, window: 90 } },
    { name: 'day 90: low', obs: certs({ notAfter: '2026-12-14T23:59:59Z' }), severity: 'low', data: { daysLeft: 90, window: 90 } },
    {
      name: 'expired by the report date but valid when observed: the evidence decides, the report adds the rest',
      obs: certs({ notAfter: '2026-09-20T00:00:00Z' }),
      data: { daysLeft: 5, window: 30, observedAt: OBSERVED_AT },
    },
  ],
  pass: [
    {
      name: 'day 91',
      obs: certs({ notAfter: '2026-12-15T00:00:00Z' }),
      messageId: 'valid',
      message: `Certificate #1 expires on 2026-12-15T00:00:00Z, 91 days after it was observed on ${OBSERVED_AT} (outside the 90-day window)`,
      data: { daysLeft: 91, window: 90 },
    },
    { name: 'an offset that moves notAfter into the next UTC day counts the UTC day', obs: certs({ notAfter: '2026-12-14T23:30:00-01:00' }), data: { daysLeft: 91 } },
  ],
  mixed: [
    {
      name: 'RSA and ECDSA certificates judged separately, one finding each',
      obs: certs(
        { index: 1, commonName: 'mx.example.test', notAfter: '2027-06-01T00:00:00Z' },
        { index: 2, commonName: 'mx.example.test', notAfter: '2026-10-05T00:00:00Z' },
      ),
      outcomes: [
        { status: 'pass', messageId: 'valid', data: { certificateIndex: 1 } },
        { status: 'warn', messageId: 'expiring', severity: 'high', data: { certificateIndex: 2, daysLeft: 20 } },
      ],
    },
  ],
  notTested: [
    {
      name: 'already expired when observed: cert-expired owns it, so no second open finding and no pass',
      obs: certs({ notAfter: '2026-09-15T09:59:59Z' }),
      messageId: 'expired',
      message: `Certificate #1 had already expired on 2026-09-15T09:59:59Z when observed on ${OBSERVED_AT}: no expiry window applies (cert-expired reports it)`,
    },
    { name: 'no certificates', obs: observation(), messageId: 'no-certificates' },
    { name: 'no notAfter', obs: certs({ notBefore: '2026-01-01T00:00:00Z' }), messageId: 'not-tested' },
    {
      name: 'the report date never changes the verdict',
      obs: certs({ notAfter: '2026-09-01T00:00:00Z' }),
      ctx: { reportDate: '2025-01-01' },
      messageId: 'expired',
    },
  ],
  error: [
    { name: 'bad notAfter', obs: certs({ notAfter: '31/10/2026' }), messageId: 'invalid-date', data: { field: 'expiry date (notAfter)' } },
  ],
});

describe('cert-expiring windows', () => {
  it('are nearest first with rising severity, and the description the report prints lists them', () => {
    expect(EXPIRY_WINDOWS.map((w) => [w.days, w.severity])).toEqual([[30, 'high'], [60, 'medium'], [90, 'low']]);
    expect(certExpiring.meta.description).toContain('30 days or less: high; 60 days or less: medium; 90 days or less: low');
  });
});
