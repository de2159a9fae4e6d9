/**
 * Check `tls-rpt-reports-absent`: the domain publishes a TLS-RPT record, TLS-RPT reports were
 * given, yet none of them is for this domain. Large senders send a report a day to every domain
 * they delivered to with a record, so silence usually means the rua mailbox or endpoint does not
 * receive them (a wrong address, a full or filtered mailbox), or the wrong mailbox was exported.
 * A warning: a domain that receives no mail from reporting senders also gets no report.
 */
import type { Check } from './types.js';
import { DOMAIN_POLICY_MESSAGES, perDomain } from './shared/domain-policy-check.js';
import { notTested, outcome } from './shared/outcome.js';

export const tlsRptReportsAbsent: Check = {
  meta: {
    id: 'tls-rpt-reports-absent',
    title: 'TLS-RPT published but no report received',
    passedTitle: 'TLS-RPT reports received',
    severity: 'low',
    category: 'transport',
    description:
      'A TLS-RPT record asks senders to report TLS failures; reports that never arrive (or are not kept) mean nobody sees what senders met, which defeats the record.',
    remediation:
      'Check that the rua address in `_smtp._tls.<domain>` receives mail (not filtered as bulk, not full), export that mailbox for the report period, and give it to tlsproof with the scan results.',
    appliesTo: ['smtp'],
    messages: {
      ...DOMAIN_POLICY_MESSAGES,
      'no-reports-given': 'No TLS-RPT reports were among the inputs, so their arrival for {{domain}} was not checked',
      'no-record': '{{domain}} publishes no valid TLS-RPT record (see tls-rpt-missing)',
      absent: '{{domain}} publishes TLS-RPT (rua {{rua}}) but none of the {{reports}} reports read ({{range}}) is for it',
      received: '{{domain}}: {{reports}} TLS-RPT reports received from {{organisations}}',
    },
  },
  evaluate(obs) {
    const sender = obs.senderReports;
    return perDomain(obs, (p, data) => {
      const rec = p.tlsRpt;
      if (rec === undefined) return notTested();
      if (rec.value.record !== 'valid') return outcome('not-tested', 'no-record', data, [rec]);
      if (sender === undefined) return notTested(data, 'no-reports-given');
      const d = sender.value.domains.find((x) => x.domain === data.domain.toLowerCase().replace(/\.$/, ''));
      if (d && d.reports > 0) return outcome('pass', 'received', { ...data, reports: d.reports, organisations: d.organisations.join(', ') }, [rec, sender]);
      const range = sender.value.start ? `${sender.value.start} to ${sender.value.end}` : 'none in the period';
      return outcome('warn', 'absent', { ...data, rua: (rec.value.rua ?? []).join(', '), reports: sender.value.reportsRead, range }, [rec, sender]);
    });
  },
};
