/**
 * Check `cipher-static-rsa`: static-RSA key exchange suites are accepted (no forward secrecy for
 * the clients that pick them; the ROBOT family of attacks targets them).
 */
import type { Check } from './types.js';
import { notTested, outcome } from './shared/outcome.js';

export const cipherStaticRsa: Check = {
  meta: {
    id: 'cipher-static-rsa',
    title: 'Static RSA key exchange accepted',
    passedTitle: 'No static RSA key exchange',
    severity: 'low',
    category: 'cipher',
    description:
      'Sessions negotiated with static-RSA key exchange have no forward secrecy: whoever obtains the server key later can decrypt recorded traffic. NIST SP 800-52r2 and TLS 1.3 drop these suites.',
    remediation:
      'Remove `kRSA` suites: Postfix `smtpd_tls_exclude_ciphers = kRSA, aNULL, eNULL, EXPORT, LOW, 3DES, RC4` with `tls_preempt_cipherlist = yes`; Dovecot `ssl_cipher_list = HIGH:!kRSA:!aNULL:!eNULL`.',
    appliesTo: 'all',
    messages: {
      accepted: 'Static-RSA key exchange suites are accepted',
      refused: 'Static-RSA key exchange suites are refused',
      'not-tested': 'Static-RSA key exchange was not tested',
    },
  },
  evaluate(obs) {
    const f = obs.staticRsa;
    if (f === undefined) return [notTested()];
    return [f.value ? outcome('fail', 'accepted', {}, [f]) : outcome('pass', 'refused', {}, [f])];
  },
};
