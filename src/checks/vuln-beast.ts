/**
 * Check `vuln-beast`: BEAST (TLS 1.0 CBC).
 */
import type { Check } from './types.js';
import { vulnerabilityCheck } from './shared/vulnerability-check.js';

export const vulnBeast: Check = vulnerabilityCheck({
  id: 'vuln-beast',
  vulnerability: 'beast',
  name: 'BEAST',
  reference: 'CVE-2011-3389',
  title: 'BEAST (TLS 1.0 CBC)',
  passedTitle: 'Not vulnerable to BEAST',
  severity: 'low',
  description:
    'CBC suites in TLS 1.0 and earlier allow a chosen-plaintext attack on the session (BEAST, CVE-2011-3389); current clients mitigate it, hence the low severity.',
  remediation:
    'Disable TLS 1.0 and SSL 3.0 (Postfix `smtpd_tls_protocols = >=TLSv1.2`, Dovecot `ssl_min_protocol = TLSv1.2`), or at least prefer AEAD suites for them.',
});
