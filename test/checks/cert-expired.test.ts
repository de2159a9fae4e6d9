import { certExpired } from '../../src/checks/cert-expired.js';
import { OBSERVED_AT, cert, checkCases, observation } from './helpers.js';

const certs = (...c: Parameters<typeof cert>[0][]) => observation({ certificates: c.map(cert) });

checkCases(certExpired, {
  fail: [
    {
      name: 'expired one second before observation',
      obs: certs({ commonName: 'mx.example.test', notAfter: '2026-09-15T09:59:59Z' }),
      messageId: 'expired',
      severity: 'critical',
      message: `Certificate #1 (mx.example.test) expired on 2026-09-15T09:59:59Z, before it was observed on ${OBSERVED_AT}`,
      data: { certificate: '#1 (mx.example.test)', certificateIndex: 1, commonName: 'mx.example.test', notAfter: '2026-09-15T09:59:59Z' },
      evidence: ['"cert_notAfter <#1>","mx.example.test/192.0.2.25","25","INFO","2026-09-15T09:59:59Z","",""'],
    },
    {
      name: 'a time without offset is UTC, not local time',
      obs: certs({ notAfter: '2026-09-15T09:59:59' }),
      message: `Certificate #1 expired on 2026-09-15T09:59:59, before it was observed on ${OBSERVED_AT}`,
    },
    { name: 'a date-only notAfter is midnight UTC', obs: certs({ notAfter: '2026-09-15' }), messageId: 'expired' },
    {
      name: 'a common name with a line break is folded in the label, kept raw in data',
      obs: certs({ commonName: 'mail.bücher.test\nsecond line', notAfter: '2026-01-01T00:00:00Z' }),
      data: { certificate: '#1 (mail.bücher.test second line)', commonName: 'mail.bücher.test\nsecond line' },
    },
  ],
  pass: [
    {
      name: 'notAfter exactly at the observation instant is still valid (RFC 5280: inclusive)',
      obs: certs({ notAfter: OBSERVED_AT }),
      messageId: 'valid',
      message: `Certificate #1 had not expired when observed on ${OBSERVED_AT} (valid until ${OBSERVED_AT})`,
    },
    { name: 'the same instant written with an offset', obs: certs({ notAfter: '2026-09-15T12:00:00+02:00' }), messageId: 'valid' },
    { name: 'valid for months', obs: certs({ notAfter: '2027-01-01T00:00:00Z' }), messageId: 'valid' },
  ],
  mixed: [
    {
      name: 'one outcome per certificate, in order',
      obs: certs(
        { index: 1, commonName: 'mx.example.test', notAfter: '2027-01-01T00:00:00Z' },
        { index: 2, commonName: 'mx-ecdsa.example.test', notAfter: '2026-01-01T00:00:00Z' },
      ),
      outcomes: [
        { status: 'pass', data: { certificateIndex: 1 } },
        { status: 'fail', messageId: 'expired', data: { certificateIndex: 2, certificate: '#2 (mx-ecdsa.example.test)' } },
      ],
    },
    {
      name: 'RSA and ECDSA certificates with one common name are told apart by their key',
      obs: certs(
        { index: 1, commonName: 'mx.example.test', keyAlgorithm: 'EC', keyBits: 256, notAfter: '2027-01-01T00:00:00Z' },
        { index: 2, commonName: 'mx.example.test', keyAlgorithm: 'RSA', keyBits: 2048, notAfter: '2026-01-01T00:00:00Z' },
      ),
      outcomes: [
        { status: 'pass', data: { certificate: '#1 (EC 256, mx.example.test)', keyType: 'EC 256' } },
        { status: 'fail', messageId: 'expired', data: { certificate: '#2 (RSA 2048, mx.example.test)', keyType: 'RSA 2048' } },
      ],
    },
  ],
  notTested: [
    { name: 'no certificates reported', obs: observation(), messageId: 'no-certificates', message: 'No server certificate was reported', evidence: [] },
    {
      name: 'certificate without notAfter',
      obs: certs({ commonName: 'mx.example.test' }),
      messageId: 'not-tested',
      message: 'Certificate #1 (mx.example.test): the expiry date (notAfter) was not reported',
      evidence: [],
    },
  ],
  error: [
    {
      name: 'notAfter that is not a date',
      obs: certs({ notAfter: 'soon' }),
      messageId: 'invalid-date',
      message: 'Certificate #1: the expiry date (notAfter) "soon" is not an ISO 8601 date',
      evidence: ['"cert_notAfter <#1>","mx.example.test/192.0.2.25","25","INFO","soon","",""'],
    },
    {
      name: 'observation time that is not a date',
      obs: { ...certs({ notAfter: '2027-01-01T00:00:00Z' }), observedAt: 'yesterday' },
      messageId: 'invalid-date',
      data: { field: 'observation time', value: 'yesterday' },
    },
  ],
});
