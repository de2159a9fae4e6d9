/**
 * Check `reneg-client-initiated`: the server honours renegotiations a client starts. Each one
 * costs the server far more than the client, so a few clients can exhaust it (CVE-2011-1473).
 */
import type { Check } from './types.js';
import { vulnerabilityCheck } from './shared/vulnerability-check.js';

export const renegClientInitiated: Check = vulnerabilityCheck({
  id: 'reneg-client-initiated',
  vulnerability: 'client-renegotiation',
  name: 'client-initiated renegotiation',
  reference: 'CVE-2011-1473',
  title: 'Client-initiated renegotiation accepted',
  passedTitle: 'No client-initiated renegotiation',
  severity: 'low',
  description:
    'A server that renegotiates whenever a client asks spends a full handshake\'s work each time, which lets a handful of clients tie it up (CVE-2011-1473); mail servers never need it.',
  remediation:
    'Refuse client-initiated renegotiation: Postfix and Dovecot on OpenSSL 1.1.1+ do by default (OpenSSL `SSL_OP_NO_RENEGOTIATION`); Node.js servers can end the socket on the TLSSocket `renegotiation` limit (`tls.CLIENT_RENEG_LIMIT = 0`); or offer TLS 1.3, which has no renegotiation.',
});
