/**
 * Check `cert-weak-signature`: the certificate is signed with a broken hash (SHA-1, MD5, MD4, MD2).
 */
import type { Check } from './types.js';
import { CERTIFICATE_MESSAGES, fieldNotTested, perCertificate } from './shared/certificate-check.js';
import { outcome } from './shared/outcome.js';

/**
 * Matches the broken hash in the names scanners print: `sha1WithRSAEncryption`, `SHA1 with RSA`,
 * `ecdsa-with-SHA1`, `dsaWithSHA1`, `RSA-SHA1`, `md5WithRSAEncryption`. No left boundary, since
 * OID names glue the hash to the preceding word (`dsaWithSHA1`); the digit lookahead keeps
 * `SHA256`/`SHA-256`/`SHA512` out (there is no `SHA1x` digest).
 */
const WEAK_HASH = /sha[-_ ]?1(?!\d)|md[245](?!\d)/i;
const SEPARATORS = /[-_ ]/g;

/** `SHA-1`, `MD5`… from whatever spelling matched. */
function hashName(match: string): string {
  const compact = match.replace(SEPARATORS, '').toUpperCase();
  return compact === 'SHA1' ? 'SHA-1' : compact;
}

export const certWeakSignature: Check = {
  meta: {
    id: 'cert-weak-signature',
    title: 'Weak certificate signature',
    passedTitle: 'Certificate signature strong enough',
    severity: 'high',
    category: 'certificate',
    description:
      'SHA-1 and MD5 signatures can be forged with chosen-prefix collisions (SHAttered, SHA-1 is a Shambles), so a forged certificate could impersonate the server; current clients reject them.',
    remediation:
      'Have the certificate reissued with a SHA-256 (or stronger) signature; every public CA issues SHA-256 by default, so reissuing or renewing is usually enough.',
    appliesTo: 'all',
    messages: {
      ...CERTIFICATE_MESSAGES,
      weak: 'Certificate {{certificate}} is signed with {{signatureAlgorithm}}; {{hash}} signatures can be forged',
      strong: 'Certificate {{certificate}} is signed with {{signatureAlgorithm}}',
    },
  },
  evaluate(obs) {
    return perCertificate(obs, (cert, data) => {
      const sig = cert.signatureAlgorithm;
      if (sig === undefined) return fieldNotTested(data, 'signature algorithm');
      const d = { ...data, signatureAlgorithm: sig.value };
      const m = WEAK_HASH.exec(sig.value);
      return m === null ? outcome('pass', 'strong', d, [sig]) : outcome('fail', 'weak', { ...d, hash: hashName(m[0]) }, [sig]);
    });
  },
};
