/**
 * Check `cert-revoked`: the OCSP response the server stapled says its own certificate is revoked.
 * Only a stapled response is read (tlsproof never contacts the CA's responder), so most servers,
 * which staple nothing, get "not tested": no staple is no evidence either way.
 */
import type { Check } from './types.js';
import { CERTIFICATE_MESSAGES, DATE_MESSAGES, instantOrError, perCertificate } from './shared/certificate-check.js';
import { notTested, outcome } from './shared/outcome.js';

/** Placeholder for a date the response left out (or the reader could not parse). */
const NOT_STATED = 'not stated';

export const certRevoked: Check = {
  meta: {
    id: 'cert-revoked',
    title: 'Certificate revoked',
    passedTitle: 'Certificate not revoked',
    severity: 'critical',
    category: 'certificate',
    description:
      'A revoked certificate has been withdrawn by its CA, often because its private key was compromised: clients that check revocation refuse it, and clients that do not may be talking to whoever holds the key. Judged from the OCSP response the server staples, so only servers that staple can be assessed.',
    remediation:
      'Replace the certificate now: have a new one issued for a new key pair (the old key may be compromised), install it with its chain, reload the service (Postfix `postfix reload`, Dovecot `doveadm reload`) and rescan. ' +
      'Find out from the CA why it was revoked and retire every other certificate that uses the same key. ' +
      'Where the server software staples OCSP responses (Exim `tls_ocsp_file`, nginx `ssl_stapling on`), keep the stapled response current, so it vouches for the certificate in service.',
    appliesTo: 'all',
    messages: {
      ...CERTIFICATE_MESSAGES,
      ...DATE_MESSAGES,
      'not-tested':
        'Certificate {{certificate}}: revocation status not tested (the input holds no stapled OCSP response for it; without one nothing is known either way)',
      'no-staple':
        'Certificate {{certificate}}: revocation status not established, because the server stapled no OCSP response; most mail servers do not staple, and no staple is no evidence that the certificate is revoked or that it is not',
      'no-status':
        'Certificate {{certificate}}: revocation status not established; a stapled OCSP response was seen, but no status for this certificate was read from it (see the evidence)',
      revoked:
        'Certificate {{certificate}} is revoked according to its stapled OCSP response (revocation time {{revokedAt}}, this update {{thisUpdate}}; responder signature not verified by tlsproof)',
      unknown:
        'Certificate {{certificate}}: its stapled OCSP response gives the status unknown (the responder does not know this certificate), so the staple does not vouch for it and its revocation status is not established',
      stale:
        'Certificate {{certificate}}: its stapled OCSP response says good but was out of date when observed on {{observedAt}} (next update was due {{nextUpdate}}), so it does not establish current revocation status',
      good:
        'Certificate {{certificate}}: its stapled OCSP response says good (this update {{thisUpdate}}, next update {{nextUpdate}}; responder signature not verified by tlsproof)',
    },
  },
  evaluate(obs) {
    return perCertificate(obs, (cert, data) => {
      const status = cert.ocspStatus;
      if (status === undefined) {
        const stapling = cert.ocspStapling;
        if (stapling === undefined) return notTested(data);
        return outcome('not-tested', stapling.value ? 'no-status' : 'no-staple', data, [stapling]);
      }
      const { revokedAt, thisUpdate, nextUpdate } = status.value;
      const d = { ...data, thisUpdate: thisUpdate ?? NOT_STATED, nextUpdate: nextUpdate ?? NOT_STATED };
      const evidence = [status];
      switch (status.value.status) {
        // Revocation is final: an old response that says revoked still says so.
        case 'revoked':
          return outcome('fail', 'revoked', { ...d, revokedAt: revokedAt ?? NOT_STATED }, evidence);
        // RFC 6960 §2.2: the responder does not know the certificate (a wrong responder or issuer,
        // or a certificate its CA has no record of). Not evidence of revocation, but not a pass.
        case 'unknown':
          return outcome('warn', 'unknown', d, evidence, 'medium');
        case 'good': {
          // A response past its nextUpdate is one clients must not rely on (RFC 6960 §4.2.2.1).
          if (nextUpdate !== undefined) {
            const next = instantOrError(nextUpdate, 'OCSP next update', data, evidence);
            if ('error' in next) return next.error;
            const observed = instantOrError(obs.observedAt, 'observation time', data, evidence);
            if ('error' in observed) return observed.error;
            if (next.ms < observed.ms) return outcome('not-tested', 'stale', { ...d, observedAt: obs.observedAt }, evidence);
          }
          return outcome('pass', 'good', d, evidence);
        }
      }
    });
  },
};
