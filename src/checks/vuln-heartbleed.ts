/**
 * Check `vuln-heartbleed`: Heartbleed (OpenSSL heartbeat memory leak).
 */
import type { Check } from './types.js';
import { vulnerabilityCheck } from './shared/vulnerability-check.js';

export const vulnHeartbleed: Check = vulnerabilityCheck({
  id: 'vuln-heartbleed',
  vulnerability: 'heartbleed',
  name: 'Heartbleed',
  reference: 'CVE-2014-0160',
  title: 'Heartbleed (OpenSSL heartbeat memory leak)',
  passedTitle: 'Not vulnerable to Heartbleed',
  severity: 'critical',
  description:
    'A bug in OpenSSL\'s heartbeat extension (CVE-2014-0160) lets anyone read server memory, including private keys, passwords and other users\' mail.',
  remediation:
    'Upgrade OpenSSL to a fixed release (1.0.1g or later) and restart every service linked against it. Then assume the key leaked: generate a new private key, have the certificate reissued, revoke the old one and reset exposed passwords.',
});
