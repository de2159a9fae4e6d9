/**
 * Check `no-forward-secrecy`: no (EC)DHE key exchange, so recorded traffic can be decrypted later.
 */
import type { Check } from './types.js';
import { notTested, outcome } from './shared/outcome.js';

export const noForwardSecrecy: Check = {
  meta: {
    id: 'no-forward-secrecy',
    title: 'No forward secrecy',
    passedTitle: 'Forward secrecy offered',
    severity: 'medium',
    category: 'cipher',
    description:
      'Without ephemeral (EC)DHE key exchange, anyone who records traffic today and obtains the server\'s private key later can decrypt all of it.',
    remediation:
      'Offer and prefer ECDHE suites. Postfix: `tls_preempt_cipherlist = yes` and the default `smtpd_tls_eecdh_grade = auto` (Postfix 3.6+: `tls_eecdh_auto_curves`). ' +
      'Dovecot: put ECDHE suites first in `ssl_cipher_list` and set `ssl_prefer_server_ciphers = yes`. Enabling TLS 1.3 also guarantees forward secrecy.',
    appliesTo: 'all',
    messages: {
      missing: 'No cipher suite with forward secrecy is offered',
      offered: 'Cipher suites with forward secrecy are offered',
      'not-tested': 'Forward secrecy was not tested',
    },
  },
  evaluate(obs) {
    const f = obs.forwardSecrecy;
    if (f === undefined) return [notTested()];
    return [f.value ? outcome('pass', 'offered', {}, [f]) : outcome('fail', 'missing', {}, [f])];
  },
};
