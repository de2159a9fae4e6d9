import { certSelfSigned } from '../../src/checks/cert-self-signed.js';
import { cert, checkCases, observation } from './helpers.js';
import { dane } from './probe-facts.js';

const certs = (...c: Parameters<typeof cert>[0][]) => observation({ certificates: c.map(cert) });

// An MX authenticated by DANE-EE (RFC 7672): DNSSEC-validated usage-3 TLSA that matches the chain.
const ee = { usage: 3, selector: 1, matchingType: 1, data: 'ab'.repeat(32) };
const ta = { usage: 2, selector: 1, matchingType: 1, data: 'cd'.repeat(32) };
const daneEe = dane({ tlsa: [ee], authenticated: true, matches: true, matched: '3 1 1', detail: 'chain matches 3 1 1' });

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
    {
      name: 'DANE that is not DNSSEC-authenticated does not count',
      obs: observation({ certificates: [cert({ chainTrust: { trusted: false, selfSigned: true, detail: 'x' } })], dane: dane({ tlsa: [ee], authenticated: false, matches: true, matched: '3 1 1', detail: 'no AD' }) }),
      messageId: 'self-signed',
    },
    {
      name: 'DANE-TA published beside DANE-EE is not DANE-EE alone',
      obs: observation({ certificates: [cert({ chainTrust: { trusted: false, selfSigned: true, detail: 'x' } })], dane: dane({ tlsa: [ee, ta], authenticated: true, matches: true, matched: '3 1 1', detail: 'm' }) }),
      messageId: 'self-signed',
    },
    {
      name: 'DANE-EE records that do not match do not count',
      obs: observation({ certificates: [cert({ chainTrust: { trusted: false, selfSigned: true, detail: 'x' } })], dane: dane({ tlsa: [ee], authenticated: true, matches: false, detail: 'mismatch' }) }),
      messageId: 'self-signed',
    },
    {
      name: 'DANE is for SMTP: a submission endpoint with the same facts still fails',
      obs: observation({ endpoint: { port: 587, service: 'submission' }, certificates: [cert({ chainTrust: { trusted: false, selfSigned: true, detail: 'x' } })], dane: daneEe }),
      messageId: 'self-signed',
    },
  ],
  pass: [
    {
      name: 'self-signed on an MX authenticated by DANE-EE: senders do not use the WebPKI there',
      obs: observation({ certificates: [cert({ commonName: 'mx.example.test', chainTrust: { trusted: false, selfSigned: true, detail: 'failed (self signed).' } })], dane: daneEe }),
      messageId: 'dane-ee',
      severity: 'info',
      message: 'Certificate #1 (mx.example.test) is self-signed, but this MX is authenticated by DANE-EE (DNSSEC-validated TLSA 3 1 1 matches it), which senders use instead of the WebPKI (RFC 7672 §3.1-3.2)',
    },
    { name: 'CA-issued', obs: certs({ chainTrust: { trusted: true, selfSigned: false, detail: 'passed.' } }), messageId: 'not-self-signed', message: 'Certificate #1 is not self-signed' },
    { name: 'untrusted but not self-signed is not this check\'s failure', obs: certs({ chainTrust: { trusted: false, selfSigned: false, detail: 'chain incomplete' } }), messageId: 'not-self-signed' },
  ],
  notTested: [
    { name: 'no certificates', obs: observation(), messageId: 'no-certificates' },
    { name: 'chain trust not reported', obs: certs({}), messageId: 'not-tested' },
  ],
});
