import { certUntrusted } from '../../src/checks/cert-untrusted.js';
import { cert, checkCases, observation } from './helpers.js';
import { dane } from './probe-facts.js';

const certs = (...c: Parameters<typeof cert>[0][]) => observation({ certificates: c.map(cert) });
const ok = { trusted: true, selfSigned: false, detail: 'passed.' };
const chainIncomplete = { trusted: false, selfSigned: false, detail: 'failed (chain incomplete).' };
const selfSigned = { trusted: false, selfSigned: true, detail: 'failed (self signed).' };

// An MX authenticated by DANE-EE (RFC 7672): DNSSEC-validated usage-3 TLSA that matches the chain.
const ee = { usage: 3, selector: 1, matchingType: 1, data: 'ab'.repeat(32) };
const ta = { usage: 2, selector: 1, matchingType: 1, data: 'cd'.repeat(32) };
const daneEe = dane({ tlsa: [ee], authenticated: true, matches: true, matched: '3 1 1', detail: 'chain matches 3 1 1' });

checkCases(certUntrusted, {
  fail: [
    {
      name: 'chain incomplete',
      obs: certs({ commonName: 'mx.example.test', chainTrust: chainIncomplete }),
      messageId: 'untrusted',
      severity: 'high',
      message: 'Certificate #1 (mx.example.test) does not chain to a trusted root: failed (chain incomplete).',
      evidence: ['"cert_chain_of_trust <#1>","mx.example.test/192.0.2.25","25","INFO","failed (chain incomplete).","",""'],
    },
    {
      name: 'self-signed is untrusted too, pointing to cert-self-signed',
      obs: certs({ chainTrust: selfSigned }),
      messageId: 'self-signed',
      message: 'Certificate #1 is self-signed, so it does not chain to a trusted root (see cert-self-signed): failed (self signed).',
    },
    {
      name: 'empty scanner detail still gives a readable message',
      obs: certs({ chainTrust: { trusted: false, selfSigned: false, detail: '  ' } }),
      message: 'Certificate #1 does not chain to a trusted root: not trusted',
    },
  ],
  pass: [
    {
      name: 'untrusted (private CA) on an MX authenticated by DANE-EE',
      obs: observation({ certificates: [cert({ chainTrust: chainIncomplete })], dane: daneEe }),
      messageId: 'dane-ee',
      severity: 'info',
      message: 'Certificate #1 does not chain to a trusted root (failed (chain incomplete).), but this MX is authenticated by DANE-EE (DNSSEC-validated TLSA 3 1 1 matches it), which senders use instead of the WebPKI (RFC 7672 §3.1-3.2)',
    },
    { name: 'self-signed on a DANE-EE MX', obs: observation({ certificates: [cert({ chainTrust: selfSigned })], dane: daneEe }), messageId: 'dane-ee' },{ name: 'trusted chain', obs: certs({ chainTrust: ok }), messageId: 'trusted', message: 'Certificate #1 chains to a trusted root: passed.' }],
  mixed: [
    {
      name: 'trusted RSA, untrusted ECDSA',
      obs: certs({ index: 1, chainTrust: ok }, { index: 2, chainTrust: chainIncomplete }),
      outcomes: [
        { status: 'pass', data: { certificateIndex: 1 } },
        { status: 'fail', data: { certificateIndex: 2 } },
      ],
    },
  ],
  notTested: [
    { name: 'no certificates', obs: observation(), messageId: 'no-certificates' },
    { name: 'chain trust not reported', obs: certs({ commonName: 'mx.example.test' }), messageId: 'not-tested', data: { field: 'chain trust' } },
  ],
});
