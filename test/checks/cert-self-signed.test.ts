import { certSelfSigned } from '../../src/checks/cert-self-signed.js';
import { cert, checkCases, observation } from './helpers.js';

const certs = (...c: Parameters<typeof cert>[0][]) => observation({ certificates: c.map(cert) });

checkCases(certSelfSigned, {
  fail: [
    {
      name: 'self-signed',
      obs: certs({ commonName: 'localhost', chainTrust: { trusted: false, selfSigned: true, detail: 'failed (self signed).' } }),
      messageId: 'self-signed',
      severity: 'high',
      message: 'Certificate #1 (localhost) is self-signed: failed (self signed).',
      evidence: ['"cert_chain_of_trust <#1>","mx.example.test/192.0.2.25","25","INFO","failed (self signed).","",""'],
    },
    {
      name: 'self-signed even if somehow trusted (a root served as leaf)',
      obs: certs({ chainTrust: { trusted: true, selfSigned: true, detail: '' } }),
      message: 'Certificate #1 is self-signed: self-signed',
    },
  ],
  pass: [
    { name: 'CA-issued', obs: certs({ chainTrust: { trusted: true, selfSigned: false, detail: 'passed.' } }), messageId: 'not-self-signed', message: 'Certificate #1 is not self-signed' },
    { name: 'untrusted but not self-signed is not this check\'s failure', obs: certs({ chainTrust: { trusted: false, selfSigned: false, detail: 'chain incomplete' } }), messageId: 'not-self-signed' },
  ],
  notTested: [
    { name: 'no certificates', obs: observation(), messageId: 'no-certificates' },
    { name: 'chain trust not reported', obs: certs({}), messageId: 'not-tested' },
  ],
});
