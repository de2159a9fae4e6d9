import { certWeakKey } from '../../src/checks/cert-weak-key.js';
import { cert, checkCases, observation } from './helpers.js';

const certs = (...c: Parameters<typeof cert>[0][]) => observation({ certificates: c.map(cert) });

checkCases(certWeakKey, {
  fail: [
    {
      name: 'RSA 2047 bits',
      obs: certs({ keyAlgorithm: 'RSA', keyBits: 2047 }),
      messageId: 'weak',
      severity: 'high',
      message: 'The key of certificate #1 is RSA 2047 bits; RSA needs at least 2048 bits',
      data: { algorithm: 'RSA', bits: 2047, minimum: 2048 },
      // Algorithm and size come from the same record, which is cited once.
      evidence: ['"cert_keySize <#1>","mx.example.test/192.0.2.25","25","INFO","RSA 2047 bits","",""'],
    },
    { name: 'RSA 1024 bits', obs: certs({ keyAlgorithm: 'RSA', keyBits: 1024 }), data: { bits: 1024 } },
    { name: 'DSA 1024 bits', obs: certs({ keyAlgorithm: 'DSA', keyBits: 1024 }), data: { algorithm: 'DSA', minimum: 2048 } },
    { name: 'EC 223 bits', obs: certs({ keyAlgorithm: 'EC', keyBits: 223 }), data: { algorithm: 'EC', bits: 223, minimum: 224 } },
    { name: 'EC 160 bits', obs: certs({ keyAlgorithm: 'EC', keyBits: 160 }), messageId: 'weak' },
  ],
  pass: [
    { name: 'RSA 2048 bits', obs: certs({ keyAlgorithm: 'RSA', keyBits: 2048 }), messageId: 'strong', message: 'The key of certificate #1 is RSA 2048 bits' },
    { name: 'DSA 2048 bits', obs: certs({ keyAlgorithm: 'DSA', keyBits: 2048 }), messageId: 'strong' },
    { name: 'EC 224 bits', obs: certs({ keyAlgorithm: 'EC', keyBits: 224 }), messageId: 'strong' },
    { name: 'EC 256 bits', obs: certs({ keyAlgorithm: 'EC', keyBits: 256 }), data: { key: 'EC 256 bits' } },
    {
      name: 'EdDSA needs no size',
      obs: certs({ keyAlgorithm: 'EdDSA' }),
      message: 'The key of certificate #1 is EdDSA',
      evidence: ['"cert_keySize <#1>","mx.example.test/192.0.2.25","25","INFO","EdDSA","",""'],
    },
  ],
  mixed: [
    {
      name: 'strong RSA next to weak EC',
      obs: certs({ index: 1, keyAlgorithm: 'RSA', keyBits: 4096 }, { index: 2, keyAlgorithm: 'EC', keyBits: 192 }),
      outcomes: [
        { status: 'pass', data: { certificateIndex: 1 } },
        { status: 'fail', data: { certificateIndex: 2, bits: 192 } },
      ],
    },
  ],
  notTested: [
    { name: 'no certificates', obs: observation(), messageId: 'no-certificates' },
    { name: 'algorithm not reported', obs: certs({ keyBits: 1024 }), messageId: 'not-tested', data: { field: 'key algorithm' }, evidence: [] },
    { name: 'RSA without a size', obs: certs({ keyAlgorithm: 'RSA' }), messageId: 'not-tested', data: { field: 'key size' } },
    {
      name: 'unknown algorithm',
      obs: certs({ keyAlgorithm: 'other', keyBits: 512 }),
      messageId: 'unknown-algorithm',
      message: 'The key of certificate #1 is other 512 bits, an algorithm this check cannot judge',
    },
  ],
});
