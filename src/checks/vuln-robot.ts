/**
 * Check `vuln-robot`: ROBOT (RSA padding oracle).
 */
import type { Check } from './types.js';
import { vulnerabilityCheck } from './shared/vulnerability-check.js';

export const vulnRobot: Check = vulnerabilityCheck({
  id: 'vuln-robot',
  vulnerability: 'robot',
  name: 'ROBOT',
  reference: 'CVE-2017-13099 et al.',
  title: 'ROBOT (RSA padding oracle)',
  passedTitle: 'Not vulnerable to ROBOT',
  severity: 'critical',
  description:
    'The server\'s RSA key exchange answers like a Bleichenbacher padding oracle (ROBOT; CVE-2017-13099 and vendor-specific CVEs), letting an attacker decrypt recorded sessions or sign with the server\'s key.',
  remediation:
    'Disable RSA key exchange (TLS_RSA_* suites) in favour of ECDHE, e.g. Dovecot `ssl_cipher_list` with `!kRSA`, Postfix `smtpd_tls_exclude_ciphers` with `kRSA`; and apply the TLS library or appliance vendor\'s ROBOT patch.',
});
