/**
 * Check `auth-before-starttls`: the server invites credentials before TLS (SMTP AUTH advertised
 * before STARTTLS, IMAP LOGIN without LOGINDISABLED, POP3 USER or SASL before STLS).
 */
import type { Check } from './types.js';
import { notTested, outcome } from './shared/outcome.js';

export const authBeforeStarttls: Check = {
  meta: {
    id: 'auth-before-starttls',
    title: 'Authentication offered before TLS',
    passedTitle: 'No authentication before TLS',
    severity: 'high',
    category: 'transport',
    description:
      'A server that accepts user names and passwords before STARTTLS lets a client (or an attacker who strips STARTTLS) send credentials in plaintext, readable by anyone on the path.',
    remediation:
      'Offer authentication only after TLS. Postfix: `smtpd_tls_auth_only = yes` (and `smtpd_tls_security_level = encrypt` on submission). ' +
      'Dovecot: `disable_plaintext_auth = yes` (2.3) or `auth_allow_cleartext = no` (2.4), which makes IMAP advertise LOGINDISABLED and hides POP3 USER before STLS.',
    appliesTo: ['smtp', 'submission', 'imap', 'pop3'],
    messages: {
      offered: 'Before STARTTLS the server offers {{mechanisms}}, so credentials can be sent in plaintext',
      'not-offered': 'No authentication is offered before STARTTLS',
      'not-tested': 'Whether authentication is offered before STARTTLS was not tested',
    },
  },
  evaluate(obs) {
    const f = obs.mail?.authBeforeTls;
    if (f === undefined) return [notTested()];
    return [f.value.length > 0
      ? outcome('fail', 'offered', { mechanisms: f.value.join(', ') }, [f])
      : outcome('pass', 'not-offered', {}, [f])];
  },
};
