import { certNotYetValid } from '../../src/checks/cert-not-yet-valid.js';
import { OBSERVED_AT, cert, checkCases, observation } from './helpers.js';

const certs = (...c: Parameters<typeof cert>[0][]) => observation({ certificates: c.map(cert) });

checkCases(certNotYetValid, {
  fail: [
    {
      name: 'starts one second after observation',
      obs: certs({ commonName: 'mx.example.test', notBefore: '2026-09-15T10:00:01Z' }),
      messageId: 'not-yet-valid',
      severity: 'high',
      message: `Certificate #1 (mx.example.test) is valid only from 2026-09-15T10:00:01Z, after it was observed on ${OBSERVED_AT}`,
      evidence: ['"cert_notBefore <#1>","mx.example.test/192.0.2.25","25","INFO","2026-09-15T10:00:01Z","",""'],
    },
  ],
  pass: [
    { name: 'notBefore exactly at observation (inclusive)', obs: certs({ notBefore: OBSERVED_AT }), messageId: 'valid' },
    {
      name: 'started long before',
      obs: certs({ notBefore: '2026-01-01T00:00:00Z' }),
      message: `Certificate #1 was valid from 2026-01-01T00:00:00Z, before it was observed on ${OBSERVED_AT}`,
    },
  ],
  mixed: [
    {
      name: 'two certificates',
      obs: certs({ index: 1, notBefore: '2027-01-01T00:00:00Z' }, { index: 2, notBefore: '2026-01-01T00:00:00Z' }),
      outcomes: [
        { status: 'fail', data: { certificate: '#1' } },
        { status: 'pass', data: { certificate: '#2' } },
      ],
    },
  ],
  notTested: [
    { name: 'no certificates', obs: observation(), messageId: 'no-certificates' },
    { name: 'notBefore not reported', obs: certs({ notAfter: '2027-01-01T00:00:00Z' }), messageId: 'not-tested', data: { field: 'start date (notBefore)' } },
  ],
  error: [{ name: 'unparseable notBefore', obs: certs({ notBefore: '2026-13-45' }), messageId: 'invalid-date' }],
});
