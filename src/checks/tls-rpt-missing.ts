/**
 * Check `tls-rpt-missing`: the email domain publishes no valid TLS-RPT record (RFC 8460), so it
 * never hears about senders failing to negotiate TLS with its MX hosts.
 */
import type { Check } from './types.js';
import { DOMAIN_POLICY_MESSAGES, perDomain } from './shared/domain-policy-check.js';
import { notTested, outcome } from './shared/outcome.js';

export const tlsRptMissing: Check = {
  meta: {
    id: 'tls-rpt-missing',
    title: 'No TLS-RPT reporting',
    passedTitle: 'TLS-RPT reporting published',
    severity: 'low',
    category: 'transport',
    description:
      'TLS-RPT asks sending servers to report failed TLS connections (downgrades, bad certificates, MTA-STS or DANE failures); without it such failures go unnoticed.',
    remediation:
      'Publish `_smtp._tls.<domain>` TXT `v=TLSRPTv1; rua=mailto:tls-reports@<domain>` (one record; rua URIs must be mailto: or https:).',
    appliesTo: ['smtp'],
    messages: {
      ...DOMAIN_POLICY_MESSAGES,
      missing: '{{domain}} has no valid TLS-RPT record ({{state}}): {{detail}}',
      valid: '{{domain}} publishes TLS-RPT, reports go to {{rua}}',
    },
  },
  evaluate(obs) {
    return perDomain(obs, (p, data) => {
      const f = p.tlsRpt;
      if (f === undefined) return notTested();
      const r = f.value;
      if (r.record === 'valid') return outcome('pass', 'valid', { ...data, rua: (r.rua ?? []).join(', ') }, [f]);
      return outcome('warn', 'missing', { ...data, state: r.record, detail: r.problem ?? r.record }, [f]);
    });
  },
};
