/**
 * Check `vuln-freak`: FREAK (RSA EXPORT downgrade).
 */
import type { Check } from './types.js';
import { vulnerabilityCheck } from './shared/vulnerability-check.js';

export const vulnFreak: Check = vulnerabilityCheck({
  id: 'vuln-freak',
  vulnerability: 'freak',
  name: 'FREAK',
  reference: 'CVE-2015-0204',
  title: 'FREAK (RSA EXPORT downgrade)',
  passedTitle: 'Not vulnerable to FREAK',
  severity: 'high',
  description:
    'The server accepts RSA EXPORT key exchange, so an attacker in the middle can downgrade connections to 512-bit RSA, factor it and decrypt the traffic (FREAK, CVE-2015-0204).',
  remediation:
    'Remove EXPORT suites from the cipher list (Postfix `smtpd_tls_exclude_ciphers` with `EXPORT`, Dovecot `ssl_cipher_list` with `!EXPORT`) and keep OpenSSL patched.',
});
