/**
 * Check `vuln-logjam`: Logjam (weak Diffie-Hellman).
 */
import type { Check } from './types.js';
import { vulnerabilityCheck } from './shared/vulnerability-check.js';

export const vulnLogjam: Check = vulnerabilityCheck({
  id: 'vuln-logjam',
  vulnerability: 'logjam',
  name: 'Logjam',
  reference: 'CVE-2015-4000',
  title: 'Logjam (weak Diffie-Hellman)',
  passedTitle: 'Not vulnerable to Logjam',
  severity: 'high',
  description:
    'The server accepts DHE EXPORT or uses weak or widely shared Diffie-Hellman groups, so an attacker can downgrade and break the key exchange (Logjam, CVE-2015-4000).',
  remediation:
    'Remove DHE EXPORT suites and use a unique DH group of at least 2048 bits (Postfix `smtpd_tls_dh1024_param_file` pointing at a 2048-bit file from `openssl dhparam 2048`, Dovecot `ssl_dh = </etc/dovecot/dh.pem`), or prefer ECDHE.',
});
