/**
 * Check `vuln-sweet32`: SWEET32 (64-bit block ciphers).
 */
import type { Check } from './types.js';
import { vulnerabilityCheck } from './shared/vulnerability-check.js';

export const vulnSweet32: Check = vulnerabilityCheck({
  id: 'vuln-sweet32',
  vulnerability: 'sweet32',
  name: 'SWEET32',
  reference: 'CVE-2016-2183',
  title: 'SWEET32 (64-bit block ciphers)',
  passedTitle: 'Not vulnerable to SWEET32',
  severity: 'medium',
  description:
    'With 64-bit block ciphers such as 3DES, an attacker who observes enough traffic in one long session can recover plaintext through block collisions (SWEET32, CVE-2016-2183).',
  remediation:
    'Remove 3DES, DES and IDEA suites: Postfix `smtpd_tls_exclude_ciphers` with `3DES, IDEA, DES`, Dovecot `ssl_cipher_list` with `!3DES:!IDEA:!DES`.',
});
