/**
 * Check `proto-sslv2`: SSL 2.0 offered.
 */
import type { Check } from './types.js';
import { LEGACY_PROTOCOL_REMEDIATION, protocolOfferedCheck } from './shared/protocol-check.js';

export const protoSslv2: Check = protocolOfferedCheck({
  id: 'proto-sslv2',
  protocol: 'SSLv2',
  title: 'SSL 2.0 offered',
  passedTitle: 'SSL 2.0 not offered',
  severity: 'critical',
  description:
    'SSL 2.0 is broken beyond repair and prohibited by RFC 6176: sessions can be decrypted or tampered with, and an SSL 2.0 service exposes TLS sessions using the same key to DROWN.',
  remediation: LEGACY_PROTOCOL_REMEDIATION,
});
