/**
 * Check `cert-expired`: a certificate had expired when the endpoint was observed.
 */
import type { Check } from './types.js';
import { CERTIFICATE_MESSAGES, DATE_MESSAGES, fieldNotTested, instantOrError, perCertificate } from './shared/certificate-check.js';
import { RENEWAL_REMEDIATION } from './shared/expiry-window-check.js';
import { outcome } from './shared/outcome.js';

export const certExpired: Check = {
  meta: {
    id: 'cert-expired',
    title: 'Certificate expired',
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
      const notAfter = cert.notAfter;
      if (notAfter === undefined) return fieldNotTested(data, 'expiry date (notAfter)');
      const evidence = [notAfter];
      const end = instantOrError(notAfter.value, 'expiry date (notAfter)', data, evidence);
      if ('error' in end) return end.error;
      const observed = instantOrError(obs.observedAt, 'observation time', data, evidence);
      if ('error' in observed) return observed.error;
      const d = { ...data, notAfter: notAfter.value, observedAt: obs.observedAt };
      // notAfter is inclusive (RFC 5280 4.1.2.5): a certificate is still valid at that very instant.
      return end.ms < observed.ms ? outcome('fail', 'expired', d, evidence) : outcome('pass', 'valid', d, evidence);
    });
  },
};
