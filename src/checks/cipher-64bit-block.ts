/**
 * Check `cipher-64bit-block`: DES, 3DES or IDEA (64-bit block) cipher suites offered.
 */
import type { Check } from './types.js';
import { WEAK_CIPHER_REMEDIATION, cipherClassCheck } from './shared/cipher-check.js';

export const cipher64bitBlock: Check = cipherClassCheck({
  id: 'cipher-64bit-block',
  // Single DES is judged here too: it is a 64-bit block cipher and, worse, has a 56-bit key.
  classes: ['3des', 'des'],
  title: '64-bit block cipher suites offered',
  passedTitle: 'No 64-bit block cipher suites',
  severity: 'medium',
  description:
    '3DES, DES and IDEA use 64-bit blocks, so long-lived connections leak plaintext through block collisions (SWEET32, CVE-2016-2183); single DES keys can also be brute-forced.',
  remediation: WEAK_CIPHER_REMEDIATION,
});
