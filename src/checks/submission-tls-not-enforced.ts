/**
 * Check `submission-tls-not-enforced`: the submission port (587) accepts MAIL FROM before STARTTLS.
 */
import type { Check } from './types.js';
import { notTested, outcome } from './shared/outcome.js';

export const submissionTlsNotEnforced: Check = {
  meta: {
    id: 'submission-tls-not-enforced',
    title: 'Submission does not require TLS',
    passedTitle: 'Submission requires TLS',
    severity: 'high',
    category: 'transport',
    description:
      'When the submission port accepts a message transaction before STARTTLS, mail clients can submit messages (and often credentials) in plaintext; RFC 8314 requires TLS for submission.',
    remediation:
      'Require TLS on submission. Postfix master.cf `submission` service: `-o smtpd_tls_security_level=encrypt -o smtpd_tls_auth_only=yes`; or offer implicit TLS on 465 and close 587.',
    appliesTo: ['submission'],
    messages: {
      accepted: 'MAIL FROM was accepted before STARTTLS, so messages can be submitted without TLS',
      refused: 'MAIL FROM was refused before STARTTLS',
      'not-tested': 'Whether submission requires TLS was not tested',
    },
  },
  evaluate(obs) {
    const f = obs.mail?.mailAcceptedBeforeTls;
    if (f === undefined) return [notTested()];
    return [f.value ? outcome('fail', 'accepted', {}, [f]) : outcome('pass', 'refused', {}, [f])];
  },
};
