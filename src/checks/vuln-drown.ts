/**
 * Check `vuln-drown`: DROWN (SSLv2 cross-protocol attack).
 */
import type { Check } from './types.js';
import { vulnerabilityCheck } from './shared/vulnerability-check.js';

export const vulnDrown: Check = vulnerabilityCheck({
  id: 'vuln-drown',
  vulnerability: 'drown',
  name: 'DROWN',
  reference: 'CVE-2016-0800',
  title: 'DROWN (SSLv2 cross-protocol attack)',
  passedTitle: 'Not vulnerable to DROWN',
  severity: 'critical',
  description:
    'A service that speaks SSL 2.0 with the same RSA key, on this or any other host or port, lets an attacker decrypt this server\'s TLS sessions (DROWN, CVE-2016-0800).',
  remediation:
    'Disable SSL 2.0 on every service that uses this certificate\'s key (web, mail, other hosts) or stop sharing the key with any service that still offers SSL 2.0; then replace the key.',
});
