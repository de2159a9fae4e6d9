/**
 * Check `dane-missing`: no DNSSEC-authenticated, SMTP-usable TLSA record for this MX (RFC 7672),
 * so DANE-aware senders cannot authenticate it and fall back to opportunistic TLS.
 */
import type { Check } from './types.js';
import { notTested, outcome } from './shared/outcome.js';

export const daneMissing: Check = {
  meta: {
    id: 'dane-missing',
    title: 'No DANE for the MX',
    passedTitle: 'DANE published for the MX',
    severity: 'low',
    category: 'transport',
    description:
      'DANE (TLSA records in a DNSSEC-signed zone) lets sending servers authenticate the MX and refuse downgrades; without authenticated TLSA records, delivery falls back to unauthenticated opportunistic TLS.',
    remediation:
      'Sign the zone of the MX host with DNSSEC and publish `_25._tcp.<mx>` TLSA `3 1 1 <sha256 of the public key>` (or `2 1 1` for the issuing CA); roll keys with the new record published first.',
    appliesTo: ['smtp'],
    messages: {
      'no-tlsa': 'No TLSA record for {{host}} port 25: {{detail}}',
      unauthenticated: 'TLSA records exist for {{host}} but the answer is not DNSSEC-authenticated, so senders ignore them',
      unusable: 'The TLSA records for {{host}} use only PKIX usages (0/1), which SMTP senders do not use',
      present: 'DNSSEC-authenticated TLSA records are published for {{host}}',
      'not-tested': 'DANE was not tested',
    },
  },
  evaluate(obs) {
    const f = obs.dane;
    if (f === undefined) return [notTested()];
    const d = f.value;
    const host = obs.endpoint.host;
    if (d.tlsa.length === 0) return [outcome('warn', 'no-tlsa', { host, detail: d.detail }, [f])];
    if (!d.authenticated) return [outcome('warn', 'unauthenticated', { host }, [f])];
    if (!d.tlsa.some((r) => r.usage === 2 || r.usage === 3)) return [outcome('warn', 'unusable', { host }, [f])];
    return [outcome('pass', 'present', { host }, [f])];
  },
};
