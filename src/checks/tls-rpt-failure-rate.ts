/**
 * Check `tls-rpt-failure-rate`: on some days of the period, more sending servers failed to
 * establish the TLS the domain's policy asks for at this MX than the configured share of all
 * sessions (report.config.yaml senderReports.failureRateThreshold, default 5%).
 *
 * Senders count successful sessions per policy domain, not per MX (RFC 8460 §4.4), so the rate
 * is the failures the senders attributed to this MX over all the domain's sessions that day: for
 * a domain with one MX it is that MX's own rate, for several it is this MX's share of the
 * failures. A warning, not a failure: a high rate can come from one misconfigured sender; the
 * failure types (tls-rpt-sender-failures) say what went wrong.
 */
import { DEFAULT_FAILURE_RATE_THRESHOLD, failureRate } from '../model/sender-reports.js';
import type { Check, CheckOutcome } from './types.js';
import { notTested, outcome } from './shared/outcome.js';

export const tlsRptFailureRate: Check = {
  meta: {
    id: 'tls-rpt-failure-rate',
    title: 'Sending servers often failed to establish TLS',
    passedTitle: 'Sending servers rarely failed to establish TLS',
    severity: 'medium',
    category: 'transport',
    description:
      'TLS-RPT reports from sending servers (Google, Microsoft…) count the sessions that could not establish the TLS the domain asks for. A high daily share at an MX means mail was deferred, bounced or, without an enforced policy, delivered in clear.',
    remediation:
      'Look at the failure types for the days named (certificate, STARTTLS, MTA-STS or DANE failures), fix the MX or the policy, and watch the next reports; raise senderReports.failureRateThreshold only with a reason on record.',
    appliesTo: ['smtp'],
    messages: {
      'not-tested': 'No TLS-RPT reports were among the inputs',
      'no-domain': 'None of the {{reports}} TLS-RPT reports read concerns this MX',
      'no-sessions': 'The TLS-RPT reports for {{domain}} count no session',
      above: '{{domain}}: on {{days}} of {{totalDays}} days more than {{threshold}}% of sessions failed at this MX (worst {{worstDate}}: {{worstFailed}} of {{worstSessions}} sessions, {{worstRate}}%)',
      below: '{{domain}}: on each of {{totalDays}} days at most {{threshold}}% of sessions failed at this MX ({{failedHere}} of {{sessions}} sessions over the period)',
    },
  },
  evaluate(obs, ctx) {
    const f = obs.senderReports;
    if (f === undefined) return [notTested()];
    if (f.value.domains.length === 0) return [outcome('not-tested', 'no-domain', { reports: f.value.reportsRead }, [f])];
    const threshold = ctx.senderFailureRateThreshold ?? DEFAULT_FAILURE_RATE_THRESHOLD;
    return f.value.domains.map((d): CheckOutcome => {
      const days = d.days.filter((x) => x.successful + x.failed > 0);
      if (days.length === 0) return outcome('not-tested', 'no-sessions', { domain: d.domain }, [f]);
      const rated = days.map((x) => ({ ...x, rate: failureRate(x.successful + x.failed - x.failedHere, x.failedHere) ?? 0 }));
      const above = rated.filter((x) => x.rate > threshold);
      const sessions = days.reduce((n, x) => n + x.successful + x.failed, 0);
      const failedHere = days.reduce((n, x) => n + x.failedHere, 0);
      const base = { domain: d.domain, threshold, totalDays: days.length };
      if (above.length === 0) return outcome('pass', 'below', { ...base, failedHere, sessions }, [f]);
      const worst = above.reduce((a, b) => (b.rate > a.rate ? b : a));
      return outcome('warn', 'above', {
        ...base, days: above.length, worstDate: worst.date, worstFailed: worst.failedHere,
        worstSessions: worst.successful + worst.failed, worstRate: worst.rate,
      }, [f]);
    });
  },
};
