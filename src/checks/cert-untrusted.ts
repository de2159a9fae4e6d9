/**
 * Check `cert-untrusted`: the certificate chain does not lead to a trusted root. On an MX
 * authenticated by DANE-EE senders do not use the WebPKI (RFC 7672), so it passes, saying why.
 */
import type { Check } from './types.js';
import { CERTIFICATE_MESSAGES, fieldNotTested, perCertificate } from './shared/certificate-check.js';
import { daneEeAuthenticated, matchedRecord } from './shared/dane.js';
import { outcome } from './shared/outcome.js';

export const certUntrusted: Check = {
  meta: {
    id: 'cert-untrusted',
    title: 'Certificate chain not trusted',
    passedTitle: 'Certificate chain trusted',
    severity: 'high',
    category: 'certificate',
    description:
      'If the chain does not lead to a trusted root, clients cannot authenticate the server: validating senders and clients refuse the connection, and users learn to click through warnings.',
    remediation:
      'Use a certificate from a publicly trusted CA and serve the full chain (leaf plus intermediates): Postfix `smtpd_tls_chain_files = /path/privkey.pem, /path/fullchain.pem`, Dovecot `ssl_cert = </path/fullchain.pem`.',
    appliesTo: 'all',
    messages: {
      ...CERTIFICATE_MESSAGES,
      untrusted: 'Certificate {{certificate}} does not chain to a trusted root: {{detail}}',
      'self-signed': 'Certificate {{certificate}} is self-signed, so it does not chain to a trusted root (see cert-self-signed): {{detail}}',
      trusted: 'Certificate {{certificate}} chains to a trusted root: {{detail}}',
      'dane-ee': 'Certificate {{certificate}} does not chain to a trusted root ({{detail}}), but this MX is authenticated by DANE-EE (DNSSEC-validated TLSA {{matched}} matches it), which senders use instead of the WebPKI (RFC 7672 §3.1-3.2)',
    },
  },
  evaluate(obs) {
    const dane = daneEeAuthenticated(obs);
    return perCertificate(obs, (cert, data) => {
      const trust = cert.chainTrust;
      if (trust === undefined) return fieldNotTested(data, 'chain trust');
      const { trusted, selfSigned, detail } = trust.value;
      const d = { ...data, detail: detail.trim() !== '' ? detail.trim() : trusted ? 'trusted' : 'not trusted' };
      if (trusted) return outcome('pass', 'trusted', d, [trust]);
      if (dane !== undefined) return outcome('pass', 'dane-ee', { ...d, matched: matchedRecord(dane) }, [trust, dane], 'info');
      // A self-signed certificate still fails here (citing cert-self-signed): passing it would
      // tell a control mapped only to this check that an untrusted certificate is trusted.
      return outcome('fail', selfSigned ? 'self-signed' : 'untrusted', d, [trust]);
    });
  },
};
