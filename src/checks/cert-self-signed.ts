/**
 * Check `cert-self-signed`: the server certificate is self-signed. On an MX authenticated by
 * DANE-EE the certificate's issuer does not matter to senders (RFC 7672), so it passes, saying why.
 */
import type { Check } from './types.js';
import { CERTIFICATE_MESSAGES, fieldNotTested, perCertificate } from './shared/certificate-check.js';
import { daneEeAuthenticated, matchedRecord } from './shared/dane.js';
import { outcome } from './shared/outcome.js';

export const certSelfSigned: Check = {
  meta: {
    id: 'cert-self-signed',
    title: 'Self-signed certificate',
    passedTitle: 'Certificate not self-signed',
    severity: 'high',
    category: 'certificate',
    description:
      'A self-signed certificate vouches only for itself, so clients cannot tell it from one an attacker made; validating clients reject it.',
    remediation:
      'Replace it with a certificate from a publicly trusted CA (e.g. via ACME/Let\'s Encrypt) covering the host names clients and MX records use, and serve the full chain.',
    appliesTo: 'all',
    messages: {
      ...CERTIFICATE_MESSAGES,
      'self-signed': 'Certificate {{certificate}} is self-signed: {{detail}}',
      'not-self-signed': 'Certificate {{certificate}} is not self-signed',
      'dane-ee': 'Certificate {{certificate}} is self-signed, but this MX is authenticated by DANE-EE (DNSSEC-validated TLSA {{matched}} matches it), which senders use instead of the WebPKI (RFC 7672 §3.1-3.2)',
    },
  },
  evaluate(obs) {
    const dane = daneEeAuthenticated(obs);
    return perCertificate(obs, (cert, data) => {
      const trust = cert.chainTrust;
      if (trust === undefined) return fieldNotTested(data, 'chain trust');
      const { selfSigned, detail } = trust.value;
      if (!selfSigned) return outcome('pass', 'not-self-signed', data, [trust]);
      if (dane !== undefined) return outcome('pass', 'dane-ee', { ...data, matched: matchedRecord(dane) }, [trust, dane], 'info');
      return outcome('fail', 'self-signed', { ...data, detail: detail.trim() !== '' ? detail.trim() : 'self-signed' }, [trust]);
    });
  },
};
