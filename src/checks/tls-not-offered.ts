/**
 * Check `tls-not-offered`: can a client get TLS at all, by STARTTLS or implicit TLS?
 */
import type { Service } from '../model/endpoint.js';
import type { Severity } from '../model/finding.js';
import type { Fact } from '../model/source.js';
import type { Check } from './types.js';
import { notTested, outcome } from './shared/outcome.js';

// On these services a missing STARTTLS means clients and sending servers carry on in plaintext
// (passwords, mail). Elsewhere a missing handshake mostly breaks the service rather than exposing it.
const PLAINTEXT_FALLBACK_SERVICES: ReadonlySet<Service> = new Set(['smtp', 'submission', 'imap', 'pop3']);

export const tlsNotOffered: Check = {
  meta: {
    id: 'tls-not-offered',
    title: 'TLS not offered',
    passedTitle: 'TLS offered',
    severity: 'critical',
    category: 'transport',
    description:
      'Without TLS, mail, user names and passwords cross the network in plaintext, readable and alterable by anyone on the path.',
    remediation:
      'Enable TLS with a valid certificate. Postfix: `smtpd_tls_chain_files = /etc/ssl/private/mail.pem` and `smtpd_tls_security_level = may` (port 25) or `encrypt` (submission). ' +
      'Dovecot: `ssl = required` with `ssl_cert` and `ssl_key`. Check that no firewall or proxy strips STARTTLS from the EHLO/CAPABILITY response.',
    appliesTo: 'all',
    messages: {
      'starttls-not-offered': 'STARTTLS is not offered, so {{service}} traffic can only be sent in plaintext',
      'handshake-failed': 'STARTTLS is offered but the TLS handshake after it failed',
      'tls-unavailable': 'No TLS handshake succeeded on this {{service}} endpoint',
      'plaintext-only': 'The endpoint is listed as plaintext only ({{service}} without TLS)',
      'tls-available': 'TLS is available ({{how}})',
      'not-tested': 'Whether TLS is offered was not tested',
    },
  },
  evaluate(obs) {
    const { service, transport } = obs.endpoint;
    const severity: Severity | undefined = PLAINTEXT_FALLBACK_SERVICES.has(service) ? undefined : 'high';
    const data = { service, transport };
    const tls = obs.tlsAvailable;
    if (transport === 'none') return [outcome('fail', 'plaintext-only', data, [], severity)];
    if (transport === 'implicit') {
      if (tls === undefined) return [notTested(data)];
      return [
        tls.value
          ? outcome('pass', 'tls-available', { ...data, how: 'implicit TLS' }, [tls], severity)
          : outcome('fail', 'tls-unavailable', data, [tls], severity),
      ];
    }
    const starttls = obs.startTlsOffered;
    if (starttls?.value === false) return [outcome('fail', 'starttls-not-offered', data, [starttls], severity)];
    if (tls?.value === false) {
      return [
        starttls === undefined
          ? outcome('fail', 'tls-unavailable', data, [tls], severity)
          : outcome('fail', 'handshake-failed', data, [starttls, tls], severity),
      ];
    }
    // Either fact alone shows TLS: startTlsOffered means "advertised and accepted", and
    // tlsAvailable on a STARTTLS transport means the handshake after STARTTLS succeeded.
    const facts = [starttls, tls].filter((f): f is Fact<boolean> => f !== undefined);
    if (facts.length > 0) return [outcome('pass', 'tls-available', { ...data, how: 'STARTTLS' }, facts, severity)];
    return [notTested(data)];
  },
};
