/**
 * Check `proto-sslv3`: SSL 3.0 offered.
 */
import type { Check } from './types.js';
import { LEGACY_PROTOCOL_REMEDIATION, protocolOfferedCheck } from './shared/protocol-check.js';

export const protoSslv3: Check = protocolOfferedCheck({
  id: 'proto-sslv3',
  protocol: 'SSLv3',
  title: 'SSL 3.0 offered',
  passedTitle: 'SSL 3.0 not offered',
  severity: 'high',
  description:
    'SSL 3.0 is prohibited by RFC 7568: its CBC padding lets an attacker recover plaintext such as login credentials (POODLE).',
  remediation: LEGACY_PROTOCOL_REMEDIATION,
});
