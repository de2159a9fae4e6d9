/**
 * Check `vuln-poodle`: POODLE (SSL 3.0 CBC padding).
 */
import type { Check } from './types.js';
import { vulnerabilityCheck } from './shared/vulnerability-check.js';

export const vulnPoodle: Check = vulnerabilityCheck({
  id: 'vuln-poodle',
  vulnerability: 'poodle',
  name: 'POODLE',
  reference: 'CVE-2014-3566',
  title: 'POODLE (SSL 3.0 CBC padding)',
  passedTitle: 'Not vulnerable to POODLE',
  severity: 'high',
  description:
    'With SSL 3.0 and CBC suites, an attacker in the middle can decrypt secrets such as login credentials one byte at a time (POODLE, CVE-2014-3566).',
  remediation:
    'Disable SSL 3.0: Postfix `smtpd_tls_protocols = >=TLSv1.2`, Dovecot `ssl_min_protocol = TLSv1.2`.',
});
