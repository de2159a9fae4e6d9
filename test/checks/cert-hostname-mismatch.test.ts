import { certHostnameMismatch } from '../../src/checks/cert-hostname-mismatch.js';
import { cert, checkCases, observation } from './helpers.js';

const certs = (...c: Parameters<typeof cert>[0][]) => observation({ certificates: c.map(cert) });
const row = (id: string, value: string) => `"${id} <#1>","mx.example.test/192.0.2.25","25","INFO","${value}","",""`;

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
  ],
  pass: [
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
