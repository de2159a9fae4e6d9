/**
 * Check `dh-weak`: finite-field DHE uses a group under 2048 bits (Logjam-class, NIST SP 800-52r2).
 */
import type { Check } from './types.js';
import { notTested, outcome } from './shared/outcome.js';

const MINIMUM = 2048;

export const dhWeak: Check = {
  meta: {
    id: 'dh-weak',
    title: 'Weak Diffie-Hellman group',
    passedTitle: 'Diffie-Hellman group strong enough',
    severity: 'medium',
    category: 'cipher',
    description:
      'DHE key exchange with a group under 2048 bits can be broken by well-resourced attackers (Logjam showed 1024-bit groups are within reach), exposing recorded sessions.',
    remediation:
      'Use at least 2048-bit DH parameters or drop DHE for ECDHE. Postfix: `smtpd_tls_dh1024_param_file` pointing to a 2048-bit (or larger) file, or `tls_ffdhe_auto_groups` on Postfix 3.8+; Dovecot: `ssl_dh = </etc/dovecot/dh.pem` with 2048+ bits.',
    appliesTo: 'all',
    messages: {
      weak: 'DHE uses a {{bits}}-bit group; at least {{minimum}} bits are needed',
      strong: 'DHE uses a {{bits}}-bit group',
      'no-dhe': 'DHE suites are not accepted, so no finite-field group is used',
      'not-tested': 'The DH group size was not tested',
    },
  },
  evaluate(obs) {
    const bits = obs.dhBits;
    if (bits !== undefined) {
      return [bits.value < MINIMUM
        ? outcome('fail', 'weak', { bits: bits.value, minimum: MINIMUM }, [bits])
        : outcome('pass', 'strong', { bits: bits.value }, [bits])];
    }
    const dhe = obs.dheOffered;
    if (dhe?.value === false) return [outcome('pass', 'no-dhe', {}, [dhe])];
    return [notTested()];
  },
};
