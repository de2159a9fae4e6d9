/**
 * Check `proto-tls12-missing`: neither TLS 1.2 nor TLS 1.3 is offered, so the server can only
 * speak deprecated versions (or none).
 *
 * A server that offers TLS 1.3 and not TLS 1.2 passes: RFC 8446 is a complete protocol and RFC 9325
 * requires TLS 1.2 support of implementations, not of every deployment, so a TLS 1.3-only server
 * is current, not broken. The finding says so, and notes that a profile asking for TLS 1.2 as well
 * (NIST SP 800-52r2 §3.1) and peers limited to TLS 1.2 are left out: an informational note, never
 * a failure of any control.
 */
import { PROTOCOLS } from '../model/observation.js';
import type { Fact } from '../model/source.js';
import type { Check } from './types.js';
import { PROTOCOL_LABELS } from './shared/protocol-check.js';
import { notTested, outcome } from './shared/outcome.js';

export const protoTls12Missing: Check = {
  meta: {
    id: 'proto-tls12-missing',
    title: 'TLS 1.2 not offered (and no TLS 1.3)',
    passedTitle: 'TLS 1.2 offered',
    severity: 'high',
    category: 'protocol',
    description:
      'TLS 1.2 is the minimum version current guidance requires servers to support (NIST SP 800-52r2, RFC 9325) unless they offer TLS 1.3. '
      + 'A server with neither can only use obsolete versions or, for opportunistic SMTP, fall back to plaintext. A TLS 1.3-only server passes.',
    remediation:
      'Enable TLS 1.2: Postfix `smtpd_tls_protocols = >=TLSv1.2`, Dovecot `ssl_min_protocol = TLSv1.2`. ' +
      'Make sure the TLS library (OpenSSL 1.0.1 or later) and the system crypto policy allow TLS 1.2, then restart and rescan.',
    appliesTo: 'all',
    messages: {
      missing: 'TLS 1.2 is not offered, nor TLS 1.3 (offered: {{offered}})',
      'missing-tls13-unknown': 'TLS 1.2 is not offered and TLS 1.3 support was not tested (offered: {{offered}})',
      offered: 'TLS 1.2 is offered',
      'tls13-only': 'TLS 1.2 is not offered, but TLS 1.3 is: a TLS 1.3-only server is allowed (RFC 8446, RFC 9325). '
        + 'Note only: a profile that also asks for TLS 1.2 (NIST SP 800-52r2 §3.1) and peers limited to TLS 1.2 are left out',
      'not-tested': 'TLS 1.2 support was not tested',
    },
  },
  evaluate(obs) {
    const tls12 = obs.protocols['TLSv1.2'];
    if (tls12 === undefined) return [notTested()];
    if (tls12.value) return [outcome('pass', 'offered', {}, [tls12])];
    const tls13 = obs.protocols['TLSv1.3'];
    if (tls13?.value === true) return [outcome('pass', 'tls13-only', {}, [tls12, tls13], 'info')];
    // The other offered versions are cited too: the message names them.
    const offered = offeredProtocols(obs);
    return [outcome('fail', tls13 === undefined ? 'missing-tls13-unknown' : 'missing', { offered: offered.labels }, [tls12, ...offered.facts])];
  },
};

/** The protocols known to be offered, newest first: their labels (or `none`) and facts. */
function offeredProtocols(obs: Parameters<Check['evaluate']>[0]): { labels: string; facts: Fact<boolean>[] } {
  const labels: string[] = [];
  const facts: Fact<boolean>[] = [];
  for (const p of [...PROTOCOLS].reverse()) {
    const f = obs.protocols[p];
    if (f?.value === true) {
      labels.push(PROTOCOL_LABELS[p]);
      facts.push(f);
    }
  }
  return { labels: labels.length > 0 ? labels.join(', ') : 'none', facts };
}
