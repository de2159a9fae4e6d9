/**
 * Check `proto-tls10`: TLS 1.0 offered.
 */
import type { Check } from './types.js';
import { LEGACY_PROTOCOL_REMEDIATION, protocolOfferedCheck } from './shared/protocol-check.js';

export const protoTls10: Check = protocolOfferedCheck({
  id: 'proto-tls10',
  protocol: 'TLSv1.0',
  title: 'TLS 1.0 offered',
  passedTitle: 'TLS 1.0 not offered',
  severity: 'medium',
  description:
    'TLS 1.0 is deprecated by RFC 8996 and no longer accepted by PCI DSS or NIST SP 800-52: it relies on SHA-1 and MD5 internally and lacks modern cipher suites.',
  remediation: LEGACY_PROTOCOL_REMEDIATION,
});
