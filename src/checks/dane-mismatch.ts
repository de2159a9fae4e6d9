/**
 * Check `dane-mismatch`: authenticated TLSA records exist but none matches the certificate chain
 * the server presents, so DANE-validating senders refuse to deliver.
 */
import type { Check } from './types.js';
import { notTested, outcome } from './shared/outcome.js';

export const daneMismatch: Check = {
  meta: {
    id: 'dane-mismatch',
    title: 'DANE TLSA does not match the certificate',
    passedTitle: 'DANE TLSA matches the certificate',
    severity: 'high',
    category: 'certificate',
    description:
      'When the published TLSA records do not match the presented chain, every DANE-validating sender (Postfix with dane, large mailbox providers) treats the MX as compromised and defers mail to it.',
    remediation:
      'Publish a TLSA record for the certificate actually served (`3 1 1` = SHA-256 of its public key), or restore the certificate the records describe; keep old and new records side by side during key rollovers.',
    appliesTo: ['smtp'],
    messages: {
      mismatch: 'None of the {{count}} TLSA record(s) for {{host}} matches the presented certificate chain',
      // A server with RSA and ECDSA certificates shows senders either chain; each must match (RFC 7672 §3.1).
      'mismatch-some': 'Not every certificate chain {{host}} presents ({{chains}}) matches one of its {{count}} TLSA record(s): senders offered an unmatched one defer mail',
      match: 'TLSA record {{matched}} matches the presented certificate chain',
      'no-dane': 'No authenticated, usable TLSA records to match (see dane-missing)',
      'not-tested': 'DANE was not tested',
    },
  },
  evaluate(obs) {
    const f = obs.dane;
    if (f === undefined) return [notTested()];
    const d = f.value;
    if (!d.authenticated || d.matches === undefined) return [outcome('not-tested', 'no-dane', {}, [f])];
    if (d.matches) return [outcome('pass', 'match', { matched: d.matched ?? 'a record' }, [f])];
    if (obs.certificates.length > 1) {
      return [outcome('fail', 'mismatch-some', { count: d.tlsa.length, host: obs.endpoint.host, chains: obs.certificates.length }, [f])];
    }
    return [outcome('fail', 'mismatch', { count: d.tlsa.length, host: obs.endpoint.host }, [f])];
  },
};
