/**
 * Check `vuln-ccs`: CCS injection (OpenSSL ChangeCipherSpec).
 */
import type { Check } from './types.js';
import { vulnerabilityCheck } from './shared/vulnerability-check.js';

export const vulnCcs: Check = vulnerabilityCheck({
  id: 'vuln-ccs',
  vulnerability: 'ccs',
  name: 'CCS injection',
  reference: 'CVE-2014-0224',
  title: 'CCS injection (OpenSSL ChangeCipherSpec)',
  passedTitle: 'Not vulnerable to CCS injection',
  severity: 'critical',
  description:
    'OpenSSL accepted an early ChangeCipherSpec message (CVE-2014-0224), letting an attacker in the middle force weak session keys and then read or alter the traffic.',
  remediation:
    'Upgrade OpenSSL to a fixed release (0.9.8za, 1.0.0m, 1.0.1h or later) and restart every service linked against it.',
});
