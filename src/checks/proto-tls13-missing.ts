/**
 * Check `proto-tls13-missing`: TLS 1.3 not offered (advisory, so a warning rather than a failure).
 */
import type { Check } from './types.js';
import { protocolMissingCheck } from './shared/protocol-check.js';

export const protoTls13Missing: Check = protocolMissingCheck({
  id: 'proto-tls13-missing',
  protocol: 'TLSv1.3',
  // Advisory: TLS 1.2 with good suites is still acceptable, but RFC 9325 asks for TLS 1.3 and
  // NIST SP 800-52r2 expected it on government servers from 2024.
  status: 'warn',
  title: 'TLS 1.3 not offered',
  passedTitle: 'TLS 1.3 offered',
  severity: 'low',
  description:
    'TLS 1.3 removes legacy algorithms, encrypts more of the handshake and always provides forward secrecy; RFC 9325 recommends supporting it.',
  remediation:
    'Link the mail server against OpenSSL 1.1.1 or later (Postfix 3.4+ and Dovecot 2.3+ then negotiate TLS 1.3 by default) ' +
    'and do not cap the maximum protocol version, e.g. remove `!TLSv1.3` from `smtpd_tls_protocols`.',
});
