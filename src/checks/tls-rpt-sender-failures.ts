/**
 * Check `tls-rpt-sender-failures`: sending servers reported sessions to this MX that failed
 * because STARTTLS was not offered or the certificate did not validate (RFC 8460 §4.3 result
 * types starttls-not-supported, certificate-expired, certificate-host-mismatch,
 * certificate-not-trusted, validation-failure).
 *
 * These are what real senders met, on days the scan may not have seen: a node behind the MX
 * without TLS, a certificate that expired and was renewed since. STARTTLS missing or a
 * certificate expired or for the wrong name is a fault of the MX (fail); "not trusted" and
 * "validation failure" can also come from the sender's own trust store, so they warn.
 */
import { CERTIFICATE_RESULT_TYPES } from '../model/tls-rpt.js';
import type { Check, CheckOutcome } from './types.js';
import { notTested, outcome } from './shared/outcome.js';

/** Result types that are the MX's fault whoever the sender. */
const MX_FAULTS: ReadonlySet<string> = new Set(['starttls-not-supported', 'certificate-expired', 'certificate-host-mismatch']);
const WATCHED: ReadonlySet<string> = new Set(['starttls-not-supported', ...CERTIFICATE_RESULT_TYPES]);

export const tlsRptSenderFailures: Check = {
  meta: {
    id: 'tls-rpt-sender-failures',
    title: 'Sending servers met no STARTTLS or a bad certificate',
    passedTitle: 'Sending servers met STARTTLS and a valid certificate',
    severity: 'medium',
    category: 'transport',
    description:
      'TLS-RPT reports say which sessions failed and why. STARTTLS not offered means senders without a policy delivered in clear; certificate failures mean senders with MTA-STS or DANE could not deliver, and others could not authenticate the server.',
    remediation:
      'Find the MX node or period named in the reports: make every node behind the MX offer STARTTLS with a valid certificate for the MX name, renew certificates before expiry, and check the chain is complete.',
    appliesTo: ['smtp'],
    messages: {
      'not-tested': 'No TLS-RPT reports were among the inputs',
      'no-domain': 'None of the {{reports}} TLS-RPT reports read concerns this MX',
      failures: '{{domain}}: senders reported {{sessions}} sessions to this MX that failed for {{types}}',
      none: '{{domain}}: senders reported no STARTTLS or certificate failure at this MX ({{sessions}} sessions to the domain)',
    },
  },
  evaluate(obs) {
    const f = obs.senderReports;
    if (f === undefined) return [notTested()];
    if (f.value.domains.length === 0) return [outcome('not-tested', 'no-domain', { reports: f.value.reportsRead }, [f])];
    return f.value.domains.map((d): CheckOutcome => {
      const seen = d.failuresHere.filter((x) => WATCHED.has(x.resultType) && x.sessions > 0);
      if (seen.length === 0) return outcome('pass', 'none', { domain: d.domain, sessions: d.successful + d.failed }, [f]);
      const sessions = seen.reduce((n, x) => n + x.sessions, 0);
      const types = seen.map((x) => `${x.resultType} (${x.sessions})`).join(', ');
      const fault = seen.some((x) => MX_FAULTS.has(x.resultType));
      const severity = seen.some((x) => x.resultType === 'starttls-not-supported') ? 'high' : undefined;
      return outcome(fault ? 'fail' : 'warn', 'failures', { domain: d.domain, sessions, types }, [f], severity);
    });
  },
};
