/**
 * Check `cipher-null`: NULL (unencrypted) cipher suites offered.
 */
import type { Check } from './types.js';
import { WEAK_CIPHER_REMEDIATION, cipherClassCheck } from './shared/cipher-check.js';

export const cipherNull: Check = cipherClassCheck({
  id: 'cipher-null',
  classes: ['null'],
  title: 'NULL cipher suites offered',
  passedTitle: 'No NULL cipher suites',
  severity: 'critical',
  description:
    'NULL cipher suites authenticate the connection but do not encrypt it: anyone on the path can read the traffic.',
  remediation: WEAK_CIPHER_REMEDIATION,
});
