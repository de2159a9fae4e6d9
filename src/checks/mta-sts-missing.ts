/**
 * Check `mta-sts-missing`: the email domain publishes no usable MTA-STS policy (RFC 8461), so a
 * sending server cannot tell that STARTTLS to this MX must not be skipped. Where DANE is validated
 * for the MX (authenticated TLSA records that match) DANE-capable senders already insist on
 * authenticated TLS, so it passes, saying why.
 */
import type { Check } from './types.js';
import { DOMAIN_POLICY_MESSAGES, perDomain } from './shared/domain-policy-check.js';
import { daneValidated } from './shared/dane.js';
import { notTested, outcome } from './shared/outcome.js';

export const mtaStsMissing: Check = {
  meta: {
    id: 'mta-sts-missing',
    title: 'No usable MTA-STS policy',
    passedTitle: 'MTA-STS policy usable',
    severity: 'medium',
    category: 'transport',
    description:
      'Without MTA-STS (or DANE), a sending server falls back to plaintext when an attacker strips STARTTLS or presents a forged certificate; MTA-STS tells senders to insist on valid TLS.',
    remediation:
      'Publish `_mta-sts.<domain>` TXT `v=STSv1; id=<date>` and serve `https://mta-sts.<domain>/.well-known/mta-sts.txt` (text/plain, valid certificate) with `version: STSv1`, `mode: testing` then `enforce`, one `mx:` line per MX and `max_age: 604800` or more.',
    appliesTo: ['smtp'],
    messages: {
      ...DOMAIN_POLICY_MESSAGES,
      'no-record': '{{domain}} publishes no MTA-STS record (_mta-sts TXT {{state}}): {{detail}}',
      'policy-unavailable': '{{domain}} has an MTA-STS record but its policy is {{state}}: {{detail}}',
      valid: '{{domain}} publishes a valid MTA-STS policy (mode {{mode}}, max_age {{maxAge}})',
      'dane-validated': '{{domain}} publishes no usable MTA-STS policy ({{state}}), but this MX is authenticated by DANE (DNSSEC-validated TLSA {{matched}} matches it), which DANE-capable senders enforce without one (RFC 7672)',
    },
  },
  evaluate(obs) {
    const dane = daneValidated(obs);
    return perDomain(obs, (p, data) => {
      const f = p.mtaSts;
      if (f === undefined) return notTested();
      const s = f.value;
      const missing = s.record !== 'valid' ? s.record : s.policy !== 'valid' ? s.policy : undefined;
      if (missing !== undefined && dane !== undefined) {
        return outcome('pass', 'dane-validated', { ...data, state: missing, matched: dane.value.matched ?? 'a DANE record' }, [f, dane], 'info');
      }
      if (s.record !== 'valid') return outcome('fail', 'no-record', { ...data, state: s.record, detail: s.policyDetail ?? s.record }, [f]);
      if (s.policy !== 'valid') return outcome('fail', 'policy-unavailable', { ...data, state: s.policy, detail: s.policyDetail ?? s.policy }, [f]);
      return outcome('pass', 'valid', { ...data, mode: s.mode ?? 'unknown', maxAge: s.maxAge ?? 0 }, [f]);
    });
  },
};
