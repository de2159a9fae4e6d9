/**
 * Check `cipher-rc4`: RC4 cipher suites offered. Reads the RC4 cipher class and, where the input
 * has it, the scanner's RC4 vulnerability verdict; the worse of the two wins.
 */
import type { FindingStatus } from '../model/finding.js';
import type { Check, CheckOutcome } from './types.js';
import { WEAK_CIPHER_REMEDIATION, cipherClassMessages, cipherClassOutcome } from './shared/cipher-check.js';
import { VULNERABILITY_MESSAGES, vulnerabilityOutcome } from './shared/vulnerability-check.js';

const CLASSES = ['rc4'] as const;

const BADNESS: Readonly<Record<FindingStatus, number>> = { 'not-tested': 0, pass: 1, warn: 2, error: 3, fail: 4 };

export const cipherRc4: Check = {
  meta: {
    id: 'cipher-rc4',
    title: 'RC4 cipher suites offered',
    passedTitle: 'No RC4 cipher suites',
    severity: 'high',
    category: 'cipher',
    description:
      'RC4 has statistical biases that let an attacker recover plaintext such as passwords from repeated traffic; RFC 7465 prohibits it in TLS.',
    remediation: WEAK_CIPHER_REMEDIATION,
    appliesTo: 'all',
    messages: {
      ...cipherClassMessages(CLASSES),
      vulnerable: VULNERABILITY_MESSAGES.vulnerable,
      'potentially-vulnerable': VULNERABILITY_MESSAGES['potentially-vulnerable'],
      'not-vulnerable': VULNERABILITY_MESSAGES['not-vulnerable'],
    },
  },
  evaluate(obs) {
    const fromClass = cipherClassOutcome(obs, CLASSES);
    const v = obs.vulnerabilities.rc4;
    // "unknown" from the scanner adds nothing to what the cipher class says.
    if (v === undefined || v.value.state === 'unknown') return [fromClass];
    const fromScanner = vulnerabilityOutcome(v, 'RC4', 'RFC 7465');
    // Two sources may disagree (e.g. one probe saw RC4 under a protocol the other skipped): a
    // sighting of RC4 anywhere is what counts, and both records are cited so the conflict shows.
    const [winner, other] =
      BADNESS[fromScanner.status] > BADNESS[fromClass.status] ? [fromScanner, fromClass] : [fromClass, fromScanner];
    const merged: CheckOutcome = { ...winner, evidence: [...winner.evidence, ...other.evidence] };
    return [merged];
  },
};
