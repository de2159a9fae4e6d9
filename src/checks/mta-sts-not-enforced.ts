/**
 * Check `mta-sts-not-enforced`: the MTA-STS policy is in `testing` or `none` mode, so senders
 * report failures but still deliver over unauthenticated or plaintext connections.
 */
import type { Check } from './types.js';
import { DOMAIN_POLICY_MESSAGES, perDomain } from './shared/domain-policy-check.js';
import { notTested, outcome } from './shared/outcome.js';

export const mtaStsNotEnforced: Check = {
  meta: {
    id: 'mta-sts-not-enforced',
    title: 'MTA-STS policy not enforced',
    passedTitle: 'MTA-STS policy enforced',
    severity: 'low',
    category: 'transport',
    description:
      'In testing mode senders only report TLS failures and deliver anyway; in none mode the policy is withdrawn. Neither protects mail against downgrade or interception.',
    remediation:
      'After a period in testing mode with clean TLS-RPT reports, set `mode: enforce` in the policy file and change the `id=` in the `_mta-sts` TXT record so senders fetch it again.',
    appliesTo: ['smtp'],
    messages: {
      ...DOMAIN_POLICY_MESSAGES,
      testing: '{{domain}} MTA-STS policy is in testing mode: senders deliver even when TLS fails',
      none: '{{domain}} MTA-STS policy is in mode none: the policy is withdrawn',
      enforce: '{{domain}} MTA-STS policy is enforced (mode enforce)',
      'no-policy': '{{domain}} has no valid MTA-STS policy to enforce (see mta-sts-missing)',
    },
  },
  evaluate(obs) {
    return perDomain(obs, (p, data) => {
      const f = p.mtaSts;
      if (f === undefined) return notTested();
      const s = f.value;
      if (s.policy !== 'valid' || s.mode === undefined) return outcome('not-tested', 'no-policy', data, [f]);
      if (s.mode === 'enforce') return outcome('pass', 'enforce', data, [f]);
      return s.mode === 'testing' ? outcome('warn', 'testing', data, [f]) : outcome('fail', 'none', data, [f]);
    });
  },
};
