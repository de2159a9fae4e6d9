/**
 * Check `vuln-lucky13`: LUCKY13 (CBC timing side channel).
 */
import type { Check } from './types.js';
import { vulnerabilityCheck } from './shared/vulnerability-check.js';

export const vulnLucky13: Check = vulnerabilityCheck({
  id: 'vuln-lucky13',
  vulnerability: 'lucky13',
  name: 'LUCKY13',
  reference: 'CVE-2013-0169',
  title: 'LUCKY13 (CBC timing side channel)',
  passedTitle: 'Not vulnerable to LUCKY13',
  severity: 'low',
  description:
    'A timing side channel in how CBC-mode records are checked can leak plaintext (LUCKY13, CVE-2013-0169); patched libraries make it hard to exploit, hence the low severity.',
  remediation:
    'Keep the TLS library patched and prefer AEAD suites (AES-GCM, ChaCha20-Poly1305) over CBC ones, e.g. with `tls_preempt_cipherlist = yes` (Postfix) or `ssl_prefer_server_ciphers = yes` (Dovecot).',
});
