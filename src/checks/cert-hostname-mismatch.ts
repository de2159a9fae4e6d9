/**
 * Check `cert-hostname-mismatch`: the certificate does not name the host that was scanned.
 */
import type { Fact } from '../model/source.js';
import type { Check } from './types.js';
import { CERTIFICATE_MESSAGES, fieldNotTested, perCertificate } from './shared/certificate-check.js';
import { outcome } from './shared/outcome.js';

export const certHostnameMismatch: Check = {
  meta: {
    id: 'cert-hostname-mismatch',
    title: 'Certificate does not match host name',
    severity: 'high',
    category: 'certificate',
    description:
      'Clients that verify names reject a certificate that does not cover the host they connected to, and clients that do not verify cannot detect an attacker in the middle.',
    remediation:
      'Issue a certificate whose Subject Alternative Names include every name clients use for this service: the MX host names, and the names in mail client settings (e.g. imap.example.com, smtp.example.com).',
    appliesTo: 'all',
    messages: {
      ...CERTIFICATE_MESSAGES,
      mismatch: 'Certificate {{certificate}} does not cover {{host}} (names: {{names}})',
      match: 'Certificate {{certificate}} covers {{host}}',
    },
  },
  evaluate(obs) {
    const host = obs.endpoint.host;
    return perCertificate(obs, (cert, data) => {
      const match = cert.hostnameMatch;
      if (match === undefined) return fieldNotTested(data, 'host name match');
      if (match.value) return outcome('pass', 'match', { ...data, host }, [match]);
      // The names the certificate does carry are cited too: they are what the auditor will check.
      const evidence: Fact<unknown>[] = [match];
      let names = 'not reported';
      const san = cert.subjectAltNames;
      if (san !== undefined && san.value.length > 0) {
        names = san.value.join(', ');
        evidence.push(san);
      } else if (cert.commonName !== undefined) {
        names = cert.commonName.value;
        evidence.push(cert.commonName);
      }
      return outcome('fail', 'mismatch', { ...data, host, names }, evidence);
    });
  },
};
