/**
 * Check `cert-not-yet-valid`: a certificate's validity period had not started when observed.
 */
import type { Check } from './types.js';
import { CERTIFICATE_MESSAGES, DATE_MESSAGES, fieldNotTested, instantOrError, perCertificate } from './shared/certificate-check.js';
import { outcome } from './shared/outcome.js';

export const certNotYetValid: Check = {
  meta: {
    id: 'cert-not-yet-valid',
    title: 'Certificate not yet valid',
    passedTitle: 'Certificate already valid',
    severity: 'high',
    category: 'certificate',
    description:
      'Validating clients reject a certificate whose validity period has not begun; it usually means a certificate deployed too early or a wrong clock on the issuing side.',
    remediation:
      'Deploy a certificate that is already valid, or wait for its start date; check the server and CA clocks (NTP) and that the right certificate file is configured (Postfix `smtpd_tls_chain_files`, Dovecot `ssl_cert`).',
    appliesTo: 'all',
    messages: {
      ...CERTIFICATE_MESSAGES,
      ...DATE_MESSAGES,
      'not-yet-valid': 'Certificate {{certificate}} is valid only from {{notBefore}}, after it was observed on {{observedAt}}',
      valid: 'Certificate {{certificate}} was valid from {{notBefore}}, before it was observed on {{observedAt}}',
    },
  },
  evaluate(obs) {
    return perCertificate(obs, (cert, data) => {
      const notBefore = cert.notBefore;
      if (notBefore === undefined) return fieldNotTested(data, 'start date (notBefore)');
      const evidence = [notBefore];
      const start = instantOrError(notBefore.value, 'start date (notBefore)', data, evidence);
      if ('error' in start) return start.error;
      const observed = instantOrError(obs.observedAt, 'observation time', data, evidence);
      if ('error' in observed) return observed.error;
      const d = { ...data, notBefore: notBefore.value, observedAt: obs.observedAt };
      // notBefore is inclusive (RFC 5280 4.1.2.5).
      return start.ms > observed.ms ? outcome('fail', 'not-yet-valid', d, evidence) : outcome('pass', 'valid', d, evidence);
    });
  },
};
