/**
 * Check `reneg-insecure`: the server lacks secure renegotiation (RFC 5746 renegotiation_info), so
 * an attacker in the middle can splice their own request in front of the client's session
 * (CVE-2009-3555). TLS 1.3 has no renegotiation; a TLS 1.3-only server is not vulnerable.
 */
import type { Check } from './types.js';
import { vulnerabilityCheck } from './shared/vulnerability-check.js';

export const renegInsecure: Check = vulnerabilityCheck({
  id: 'reneg-insecure',
  vulnerability: 'secure-renegotiation',
  name: 'insecure renegotiation',
  reference: 'CVE-2009-3555, RFC 5746',
  title: 'Insecure TLS renegotiation',
  passedTitle: 'Secure renegotiation supported',
  severity: 'high',
  description:
    'Without the renegotiation_info extension (RFC 5746) an attacker in the middle can inject data at the start of a victim\'s session by renegotiating it (CVE-2009-3555). RFC 9325 requires the extension.',
  remediation:
    'Update the TLS library (every OpenSSL since 0.9.8m and GnuTLS since 2.10 support RFC 5746) and do not turn safe renegotiation off (GnuTLS: no `%UNSAFE_RENEGOTIATION` or `%DISABLE_SAFE_RENEGOTIATION` in the priority string; OpenSSL: no `UnsafeLegacyRenegotiation` option).',
});
