import { certRevoked } from '../../src/checks/cert-revoked.js';
import { OBSERVED_AT, cert, checkCases, observation } from './helpers.js';

const certs = (...c: Parameters<typeof cert>[0][]) => observation({ certificates: c.map(cert) });

const THIS_UPDATE = '2026-09-15T06:00:00Z';
const NEXT_UPDATE = '2026-09-22T06:00:00Z';
const good = { status: 'good', thisUpdate: THIS_UPDATE, nextUpdate: NEXT_UPDATE } as const;
const revoked = { status: 'revoked', revokedAt: '2026-09-01T12:30:00Z', thisUpdate: THIS_UPDATE, nextUpdate: NEXT_UPDATE } as const;
const row = (value: string, index = 1) => `"OCSP_stapling <#${index}>","mx.example.test/192.0.2.25","25","INFO","${value}","",""`;

checkCases(certRevoked, {
  fail: [
    {
      name: 'the staple says revoked: named certificate, revocation time',
      obs: certs({ commonName: 'mx.example.test', ocspStapling: true, ocspStatus: revoked }),
      messageId: 'revoked',
      severity: 'critical',
      message: `Certificate #1 (mx.example.test) is revoked according to its stapled OCSP response (revocation time 2026-09-01T12:30:00Z, this update ${THIS_UPDATE}; responder signature not verified by tlsproof)`,
      data: { certificate: '#1 (mx.example.test)', certificateIndex: 1, revokedAt: '2026-09-01T12:30:00Z', thisUpdate: THIS_UPDATE },
      evidence: [row('offered: revoked')],
    },
    {
      name: 'revoked in a stale response is still revoked (revocation is final)',
      obs: certs({ ocspStapling: true, ocspStatus: { status: 'revoked', revokedAt: '2025-01-01T00:00:00Z', thisUpdate: '2025-01-01T00:00:00Z', nextUpdate: '2025-01-08T00:00:00Z' } }),
      messageId: 'revoked',
    },
    {
      name: 'dates the response left out read "not stated", never blank',
      obs: certs({ ocspStatus: { status: 'revoked' } }),
      message: 'Certificate #1 is revoked according to its stapled OCSP response (revocation time not stated, this update not stated; responder signature not verified by tlsproof)',
    },
  ],
  warn: [
    {
      name: 'the responder does not know the certificate',
      obs: certs({ commonName: 'mx.example.test', ocspStapling: true, ocspStatus: { status: 'unknown', thisUpdate: THIS_UPDATE } }),
      messageId: 'unknown',
      severity: 'medium',
      message: 'Certificate #1 (mx.example.test): its stapled OCSP response gives the status unknown (the responder does not know this certificate), so the staple does not vouch for it and its revocation status is not established',
      evidence: [row('offered: unknown')],
    },
  ],
  pass: [
    {
      name: 'the staple says good and is current',
      obs: certs({ commonName: 'mx.example.test', ocspStapling: true, ocspStatus: good }),
      messageId: 'good',
      message: `Certificate #1 (mx.example.test): its stapled OCSP response says good (this update ${THIS_UPDATE}, next update ${NEXT_UPDATE}; responder signature not verified by tlsproof)`,
      evidence: [row('offered: good')],
    },
    {
      name: 'no nextUpdate: newer status is always available (RFC 6960), nothing to be stale against',
      obs: certs({ ocspStatus: { status: 'good', thisUpdate: THIS_UPDATE } }),
      message: `Certificate #1: its stapled OCSP response says good (this update ${THIS_UPDATE}, next update not stated; responder signature not verified by tlsproof)`,
    },
    { name: 'nextUpdate exactly at the observation instant', obs: certs({ ocspStatus: { ...good, nextUpdate: OBSERVED_AT } }), messageId: 'good' },
  ],
  mixed: [
    {
      name: 'two certificates, only one revoked: the finding names that one',
      obs: certs(
        { index: 1, commonName: 'mx.example.test', keyAlgorithm: 'EC', keyBits: 256, ocspStapling: true, ocspStatus: good },
        { index: 2, commonName: 'mx.example.test', keyAlgorithm: 'RSA', keyBits: 2048, ocspStapling: true, ocspStatus: revoked },
      ),
      outcomes: [
        { status: 'pass', messageId: 'good', data: { certificate: '#1 (EC 256, mx.example.test)' } },
        {
          status: 'fail',
          messageId: 'revoked',
          severity: 'critical',
          data: { certificate: '#2 (RSA 2048, mx.example.test)', certificateIndex: 2, revokedAt: '2026-09-01T12:30:00Z' },
          evidence: [row('offered: revoked', 2)],
        },
      ],
    },
    {
      name: 'one certificate stapled good, the other with no staple: pass and not tested, never a pass for both',
      obs: certs(
        { index: 1, commonName: 'mx.example.test', ocspStapling: true, ocspStatus: good },
        { index: 2, commonName: 'mx-rsa.example.test', ocspStapling: false },
      ),
      outcomes: [
        { status: 'pass', messageId: 'good' },
        { status: 'not-tested', messageId: 'no-staple', data: { certificate: '#2 (mx-rsa.example.test)' } },
      ],
    },
  ],
  notTested: [
    { name: 'no certificates reported', obs: observation(), messageId: 'no-certificates', evidence: [] },
    {
      name: 'the input says nothing about stapling (most ingesters)',
      obs: certs({ commonName: 'mx.example.test', notAfter: '2027-01-01T00:00:00Z' }),
      messageId: 'not-tested',
      message: 'Certificate #1 (mx.example.test): revocation status not tested (the input holds no stapled OCSP response for it; without one nothing is known either way)',
      evidence: [],
    },
    {
      name: 'the server stapled nothing: no evidence either way, said in the message',
      obs: certs({ commonName: 'mx.example.test', ocspStapling: false }),
      messageId: 'no-staple',
      message: 'Certificate #1 (mx.example.test): revocation status not established, because the server stapled no OCSP response; most mail servers do not staple, and no staple is no evidence that the certificate is revoked or that it is not',
      evidence: [row('not offered')],
    },
    {
      name: 'a staple was seen but gave no status for this certificate (responder error, other serial, other tool)',
      obs: certs({ ocspStapling: true }),
      messageId: 'no-status',
      message: 'Certificate #1: revocation status not established; a stapled OCSP response was seen, but no status for this certificate was read from it (see the evidence)',
      evidence: [row('offered: no status for this certificate')],
    },
    {
      name: 'good, but past its next update when observed',
      obs: certs({ ocspStapling: true, ocspStatus: { status: 'good', thisUpdate: '2026-09-01T00:00:00Z', nextUpdate: '2026-09-08T00:00:00Z' } }),
      messageId: 'stale',
      message: `Certificate #1: its stapled OCSP response says good but was out of date when observed on ${OBSERVED_AT} (next update was due 2026-09-08T00:00:00Z), so it does not establish current revocation status`,
      evidence: [row('offered: good')],
    },
  ],
  error: [
    {
      name: 'a next update that is not a date',
      obs: certs({ ocspStatus: { status: 'good', nextUpdate: 'next week' } }),
      messageId: 'invalid-date',
      message: 'Certificate #1: the OCSP next update "next week" is not an ISO 8601 date',
    },
  ],
});
