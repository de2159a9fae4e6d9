/**
 * Check `cipher-anon`: anonymous (unauthenticated) cipher suites offered.
 */
import type { Check } from './types.js';
import { WEAK_CIPHER_REMEDIATION, cipherClassCheck } from './shared/cipher-check.js';

export const cipherAnon: Check = cipherClassCheck({
  id: 'cipher-anon',
  classes: ['anon'],
  title: 'Anonymous cipher suites offered',
  passedTitle: 'No anonymous cipher suites',
  severity: 'high',
  description:
    'Anonymous (aNULL) suites skip server authentication, so an active attacker can impersonate the server and read the traffic without being detected.',
  remediation: WEAK_CIPHER_REMEDIATION,
});
