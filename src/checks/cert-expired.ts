/**
 * Check `cert-expired`: a certificate had expired when the endpoint was observed.
 */
import type { Check } from './types.js';
import { CERTIFICATE_MESSAGES, DATE_MESSAGES, expiryInstants, perCertificate } from './shared/certificate-check.js';
import { RENEWAL_REMEDIATION } from './shared/expiry.js';
import { outcome } from './shared/outcome.js';

export const certExpired: Check = {
  meta: {
    id: 'cert-expired',
    title: 'Certificate expired',
    passedTitle: 'Certificate not expired',
    severity: 'critical',
    category: 'certificate',
    description:
      'Clients that validate certificates refuse an expired one (MTA-STS and DANE senders stop delivering), and clients that do not cannot tell the genuine server from an impostor.',
    remediation: RENEWAL_REMEDIATION,
    appliesTo: 'all',
    messages: {
      ...CERTIFICATE_MESSAGES,
      ...DATE_MESSAGES,
      expired: 'Certificate {{certificate}} expired on {{notAfter}}, before it was observed on {{observedAt}}',
      valid: 'Certificate {{certificate}} had not expired when observed on {{observedAt}} (valid until {{notAfter}})',
    },
  },
  evaluate(obs) {
    return perCertificate(obs, (cert, data) => {
      const e = expiryInstants(obs, cert, data);
      if ('outcome' in e) return e.outcome;
      const d = { ...data, notAfter: e.notAfter.value, observedAt: obs.observedAt };
      // notAfter is inclusive (RFC 5280 4.1.2.5): a certificate is still valid at that very instant.
      return e.endMs < e.observedMs ? outcome('fail', 'expired', d, e.evidence) : outcome('pass', 'valid', d, e.evidence);
    });
  },
};
