/**
 * Check `cert-hostname-mismatch`: the certificate does not name the host that was scanned. On an
 * MX authenticated by DANE-EE senders check no name (RFC 7672), so it passes, saying why.
 */
import type { Fact } from '../model/source.js';
import type { Check } from './types.js';
import { CERTIFICATE_MESSAGES, fieldNotTested, perCertificate } from './shared/certificate-check.js';
import { daneEeAuthenticated, matchedRecord } from './shared/dane.js';
import { outcome } from './shared/outcome.js';

export const certHostnameMismatch: Check = {
  meta: {
    id: 'cert-hostname-mismatch',
    title: 'Certificate does not match host name',
    passedTitle: 'Certificate matches host name',
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
      'dane-ee': 'Certificate {{certificate}} does not name {{host}}, but this MX is authenticated by DANE-EE (DNSSEC-validated TLSA {{matched}} matches it), for which senders check no name (RFC 7672 §3.1-3.2)',
    },
  },
  evaluate(obs) {
    const host = obs.endpoint.host;
    const dane = daneEeAuthenticated(obs);
    return perCertificate(obs, (cert, data) => {
      const match = cert.hostnameMatch;
      if (match === undefined) return fieldNotTested(data, 'host name match');
      if (match.value) return outcome('pass', 'match', { ...data, host }, [match]);
      if (dane !== undefined) return outcome('pass', 'dane-ee', { ...data, host, matched: matchedRecord(dane) }, [match, dane], 'info');
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
