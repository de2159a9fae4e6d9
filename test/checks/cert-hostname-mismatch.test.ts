import { certHostnameMismatch } from '../../src/checks/cert-hostname-mismatch.js';
import { cert, checkCases, observation } from './helpers.js';
import { dane } from './probe-facts.js';

const certs = (...c: Parameters<typeof cert>[0][]) => observation({ certificates: c.map(cert) });
const row = (id: string, value: string) => `"${id} <#1>","mx.example.test/192.0.2.25","25","INFO","${value}","",""`;


// An MX authenticated by DANE-EE (RFC 7672): DNSSEC-validated usage-3 TLSA that matches the chain.
const ee = { usage: 3, selector: 1, matchingType: 1, data: 'ab'.repeat(32) };
const ta = { usage: 2, selector: 1, matchingType: 1, data: 'cd'.repeat(32) };
const daneEe = dane({ tlsa: [ee], authenticated: true, matches: true, matched: '3 1 1', detail: 'chain matches 3 1 1' });

checkCases(certHostnameMismatch, {
  fail: [
    {
      name: 'mismatch: the names the certificate carries are cited',
      obs: certs({ commonName: 'mail.other.test', subjectAltNames: ['mail.other.test', 'www.other.test'], hostnameMatch: false }),
      messageId: 'mismatch',
      severity: 'high',
      message: 'Certificate #1 (mail.other.test) does not cover mx.example.test (names: mail.other.test, www.other.test)',
      evidence: [row('cert_trust', 'certificate does not match supplied URI'), row('cert_subjectAltName', 'mail.other.test www.other.test')],
    },
    {
      name: 'no SAN reported: falls back to the common name',
      obs: certs({ commonName: 'mail.other.test', hostnameMatch: false }),
      data: { names: 'mail.other.test' },
      evidence: [row('cert_trust', 'certificate does not match supplied URI'), row('cert_commonName', 'mail.other.test')],
    },
    { name: 'no names reported at all', obs: certs({ hostnameMatch: false }), data: { names: 'not reported', host: 'mx.example.test' } },
    {
      name: 'DANE-TA still asks for the name (RFC 7672 §3.2)',
      obs: observation({ certificates: [cert({ hostnameMatch: false })], dane: dane({ tlsa: [ta], authenticated: true, matches: true, matched: '2 1 1', detail: 'm' }) }),
      messageId: 'mismatch',
    },
  ],
  pass: [
    {
      name: 'another name on an MX authenticated by DANE-EE: senders check no name there',
      obs: observation({ certificates: [cert({ commonName: 'mail.other.test', hostnameMatch: false })], dane: daneEe }),
      messageId: 'dane-ee',
      severity: 'info',
      message: 'Certificate #1 (mail.other.test) does not name mx.example.test, but this MX is authenticated by DANE-EE (DNSSEC-validated TLSA 3 1 1 matches it), for which senders check no name (RFC 7672 §3.1-3.2)',
    },
    {
      name: 'match',
      obs: certs({ commonName: 'mx.example.test', hostnameMatch: true }),
      messageId: 'match',
      message: 'Certificate #1 (mx.example.test) covers mx.example.test',
      evidence: [row('cert_trust', 'Ok via SAN')],
    },
  ],
  notTested: [
    { name: 'no certificates', obs: observation(), messageId: 'no-certificates' },
    { name: 'match not reported', obs: certs({ commonName: 'mx.example.test' }), messageId: 'not-tested', data: { field: 'host name match' } },
  ],
});
