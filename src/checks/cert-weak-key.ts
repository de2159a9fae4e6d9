/**
 * Check `cert-weak-key`: the certificate's public key is too short.
 */
import type { KeyAlgorithm } from '../model/observation.js';
import type { Check } from './types.js';
import { CERTIFICATE_MESSAGES, fieldNotTested, perCertificate } from './shared/certificate-check.js';
import { outcome } from './shared/outcome.js';

/**
 * Minimum key sizes in bits (NIST SP 800-57 Part 1, 112-bit security). EdDSA keys (Ed25519,
 * Ed448) come only in strong sizes; `other` cannot be judged.
 */
const MINIMUM_BITS: Readonly<Record<KeyAlgorithm, number | 'always-strong' | 'unknown'>> = {
  RSA: 2048,
  DSA: 2048,
  EC: 224,
  EdDSA: 'always-strong',
  other: 'unknown',
};

export const certWeakKey: Check = {
  meta: {
    id: 'cert-weak-key',
    title: 'Weak certificate key',
    passedTitle: 'Certificate key strong enough',
    severity: 'high',
    category: 'certificate',
    description:
      'RSA and DSA keys shorter than 2048 bits and EC keys shorter than 224 bits fall below the NIST SP 800-57 minimum; a well-funded attacker could recover the private key and impersonate the server.',
    remediation:
      'Generate a new key (RSA 2048 bits or more, or ECDSA P-256) and have the certificate reissued for it, e.g. `openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 ...` or certbot `--key-type ecdsa`.',
    appliesTo: 'all',
    messages: {
      ...CERTIFICATE_MESSAGES,
      weak: 'The key of certificate {{certificate}} is {{key}}; {{algorithm}} needs at least {{minimum}} bits',
      strong: 'The key of certificate {{certificate}} is {{key}}',
      'unknown-algorithm': 'The key of certificate {{certificate}} is {{key}}, an algorithm this check cannot judge',
    },
  },
  evaluate(obs) {
    return perCertificate(obs, (cert, data) => {
      const alg = cert.keyAlgorithm;
      if (alg === undefined) return fieldNotTested(data, 'key algorithm');
      const bits = cert.keyBits;
      const algorithm = alg.value;
      const key = bits === undefined ? algorithm : `${algorithm} ${bits.value} bits`;
      const d = bits === undefined ? { ...data, algorithm, key } : { ...data, algorithm, bits: bits.value, key };
      const evidence = bits === undefined ? [alg] : [alg, bits];
      const minimum = MINIMUM_BITS[algorithm];
      if (minimum === 'always-strong') return outcome('pass', 'strong', d, evidence);
      if (minimum === 'unknown') return outcome('not-tested', 'unknown-algorithm', d, evidence);
      if (bits === undefined) return fieldNotTested(data, 'key size');
      return bits.value < minimum
        ? outcome('fail', 'weak', { ...d, minimum }, evidence)
        : outcome('pass', 'strong', d, evidence);
    });
  },
};
