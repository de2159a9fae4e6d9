/**
 * Check `proto-tls12-missing`: TLS 1.2 not offered.
 */
import type { Check } from './types.js';
import { protocolMissingCheck } from './shared/protocol-check.js';

export const protoTls12Missing: Check = protocolMissingCheck({
  id: 'proto-tls12-missing',
  protocol: 'TLSv1.2',
  status: 'fail',
  title: 'TLS 1.2 not offered',
  severity: 'high',
  description:
    'TLS 1.2 is the minimum version current guidance requires servers to support (NIST SP 800-52r2, RFC 9325). Without it, peers must use an obsolete version or, for opportunistic SMTP, fall back to plaintext.',
  remediation:
    'Enable TLS 1.2: Postfix `smtpd_tls_protocols = >=TLSv1.2`, Dovecot `ssl_min_protocol = TLSv1.2`. ' +
    'Make sure the TLS library (OpenSSL 1.0.1 or later) and the system crypto policy allow TLS 1.2, then restart and rescan.',
});
