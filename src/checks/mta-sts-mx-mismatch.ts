/**
 * Check `mta-sts-mx-mismatch`: this MX host is not covered by the domain's MTA-STS `mx` patterns,
 * so enforcing senders refuse to deliver to it.
 */
import type { Check } from './types.js';
import { DOMAIN_POLICY_MESSAGES, perDomain } from './shared/domain-policy-check.js';
import { notTested, outcome } from './shared/outcome.js';

export const mtaStsMxMismatch: Check = {
  meta: {
    id: 'mta-sts-mx-mismatch',
    title: 'MX not covered by MTA-STS policy',
    passedTitle: 'MX covered by MTA-STS policy',
    severity: 'high',
    category: 'transport',
    description:
      'MTA-STS senders deliver only to MX hosts that match the policy\'s mx patterns; an unmatched MX loses mail under mode enforce and is reported as a failure in testing mode.',
    remediation:
      'Add an `mx:` line for this host (or a `*.` pattern covering it) to the policy at https://mta-sts.<domain>/.well-known/mta-sts.txt and change the `id=` in the `_mta-sts` TXT record.',
    appliesTo: ['smtp'],
    messages: {
      ...DOMAIN_POLICY_MESSAGES,
      mismatch: 'MX {{host}} matches none of the {{domain}} MTA-STS mx patterns ({{patterns}}; mode {{mode}})',
      match: 'MX {{host}} matches the {{domain}} MTA-STS mx patterns ({{patterns}})',
      'no-policy': '{{domain}} has no valid MTA-STS policy to match against (see mta-sts-missing)',
    },
  },
  evaluate(obs) {
    return perDomain(obs, (p, data) => {
      const f = p.mtaSts;
      if (f === undefined) return notTested();
      const s = f.value;
      if (s.policy !== 'valid' || s.mxMatch === undefined) return outcome('not-tested', 'no-policy', data, [f]);
      const d = { ...data, host: obs.endpoint.host, patterns: (s.mx ?? []).join(', ') || 'none', mode: s.mode ?? 'unknown' };
      if (s.mxMatch) return outcome('pass', 'match', d, [f]);
      // In testing mode nothing bounces yet; the mismatch is still reported, one level lower.
      return outcome('fail', 'mismatch', d, [f], s.mode === 'enforce' ? undefined : 'medium');
    });
  },
};
