import { certWeakSignature } from '../../src/checks/cert-weak-signature.js';
import { cert, checkCases, observation } from './helpers.js';

const certs = (...c: Parameters<typeof cert>[0][]) => observation({ certificates: c.map(cert) });
const weak = (signatureAlgorithm: string, hash: string) => ({
  name: signatureAlgorithm,
  obs: certs({ signatureAlgorithm }),
  messageId: 'weak',
  data: { signatureAlgorithm, hash },
});
const strong = (signatureAlgorithm: string) => ({ name: signatureAlgorithm, obs: certs({ signatureAlgorithm }), messageId: 'strong' });

checkCases(certWeakSignature, {
  fail: [
    {
      name: 'SHA1 with RSA (testssl spelling)',
      obs: certs({ commonName: 'mx.example.test', signatureAlgorithm: 'SHA1 with RSA' }),
      messageId: 'weak',
      severity: 'high',
      message: 'Certificate #1 (mx.example.test) is signed with SHA1 with RSA; SHA-1 signatures can be forged',
      evidence: ['"cert_signatureAlgorithm <#1>","mx.example.test/192.0.2.25","25","INFO","SHA1 with RSA","",""'],
    },
    weak('sha1WithRSAEncryption', 'SHA-1'),
    weak('ecdsa-with-SHA1', 'SHA-1'),
    weak('dsaWithSHA1', 'SHA-1'),
    weak('RSA-SHA-1', 'SHA-1'),
    weak('md5WithRSAEncryption', 'MD5'),
    weak('MD5 with RSA', 'MD5'),
    weak('SHA 1 with RSA', 'SHA-1'),
    weak('md2WithRSAEncryption', 'MD2'),
    weak('md4WithRSAEncryption', 'MD4'),
  ],
  pass: [
    { ...strong('SHA256 with RSA'), message: 'Certificate #1 is signed with SHA256 with RSA' },
    strong('sha256WithRSAEncryption'),
    strong('ecdsa-with-SHA384'),
    strong('ECDSA with SHA512'),
    strong('RSASSA-PSS with SHA-256'),
    strong('Ed25519'),
    strong('sha512-256WithRSAEncryption'),
    // Not a real digest: pins the digit boundary, so a longer number after SHA1 is not read as SHA-1.
    strong('SHA128 with RSA'),
  ],
  mixed: [
    {
      name: 'SHA-256 RSA certificate next to a SHA-1 one',
      obs: certs({ index: 1, signatureAlgorithm: 'SHA256 with RSA' }, { index: 2, signatureAlgorithm: 'SHA1 with RSA' }),
      outcomes: [
        { status: 'pass', data: { certificate: '#1' } },
        { status: 'fail', data: { certificate: '#2', hash: 'SHA-1' } },
      ],
    },
  ],
  notTested: [
    { name: 'no certificates', obs: observation(), messageId: 'no-certificates' },
    { name: 'signature algorithm not reported', obs: certs({ keyAlgorithm: 'RSA', keyBits: 2048 }), messageId: 'not-tested', data: { field: 'signature algorithm' } },
  ],
});
