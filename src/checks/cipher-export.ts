/**
 * Check `cipher-export`: EXPORT-grade cipher suites offered.
 */
import type { Check } from './types.js';
import { WEAK_CIPHER_REMEDIATION, cipherClassCheck } from './shared/cipher-check.js';

export const cipherExport: Check = cipherClassCheck({
  id: 'cipher-export',
  classes: ['export'],
  title: 'EXPORT cipher suites offered',
  passedTitle: 'No EXPORT cipher suites',
  severity: 'critical',
  description:
    'EXPORT suites use deliberately weakened 40- and 56-bit keys that can be broken in hours, and they enable the FREAK and Logjam downgrade attacks.',
  remediation: WEAK_CIPHER_REMEDIATION,
});
