/**
 * Check `vuln-starttls-injection`: STARTTLS command injection.
 */
import type { Check } from './types.js';
import { vulnerabilityCheck } from './shared/vulnerability-check.js';

export const vulnStarttlsInjection: Check = vulnerabilityCheck({
  id: 'vuln-starttls-injection',
  vulnerability: 'starttls-injection',
  name: 'STARTTLS command injection',
  reference: 'CVE-2011-0411 et al.',
  title: 'STARTTLS command injection',
  passedTitle: 'No STARTTLS command injection',
  severity: 'medium',
  description:
    'The server runs commands that were sent in plaintext before STARTTLS as if they came inside the encrypted session, so an attacker in the middle can inject commands (CVE-2011-0411 and later variants in other mail servers).',
  remediation:
    'Upgrade the mail server to a release that discards buffered plaintext input after STARTTLS (Postfix 2.8.0 or later; check your vendor for the CVE listed in the evidence).',
  // Only a STARTTLS transport has a plaintext phase to inject into; implicit-TLS endpoints get no outcome.
  transports: ['starttls'],
});
