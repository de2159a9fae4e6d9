/**
 * Check `proto-tls11`: TLS 1.1 offered.
 */
import type { Check } from './types.js';
import { LEGACY_PROTOCOL_REMEDIATION, protocolOfferedCheck } from './shared/protocol-check.js';

export const protoTls11: Check = protocolOfferedCheck({
  id: 'proto-tls11',
  protocol: 'TLSv1.1',
  title: 'TLS 1.1 offered',
  passedTitle: 'TLS 1.1 not offered',
  severity: 'medium',
  description:
    'TLS 1.1 is deprecated by RFC 8996 and no longer accepted by PCI DSS or NIST SP 800-52: it lacks AEAD cipher suites and relies on SHA-1 and MD5 internally.',
  remediation: LEGACY_PROTOCOL_REMEDIATION,
});
