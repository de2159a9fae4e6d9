/**
 * Check factories for protocol versions: "a legacy version is offered" and "a current version is
 * missing". Each protocol check file is one call to these.
 */
import type { Severity } from '../../model/finding.js';
import { PROTOCOLS, type Observation, type Protocol } from '../../model/observation.js';
import type { Fact } from '../../model/source.js';
import type { Check } from '../types.js';
import { notTested, outcome } from './outcome.js';

export const PROTOCOL_LABELS: Readonly<Record<Protocol, string>> = {
  SSLv2: 'SSL 2.0',
  SSLv3: 'SSL 3.0',
  'TLSv1.0': 'TLS 1.0',
  'TLSv1.1': 'TLS 1.1',
  'TLSv1.2': 'TLS 1.2',
  'TLSv1.3': 'TLS 1.3',
};

/** Shared fix for every legacy version: set a floor of TLS 1.2 rather than listing what to drop. */
export const LEGACY_PROTOCOL_REMEDIATION =
  'Allow TLS 1.2 and later only. Postfix 3.6+: `smtpd_tls_protocols = >=TLSv1.2` and ' +
  '`smtpd_tls_mandatory_protocols = >=TLSv1.2` (older Postfix: `!SSLv2, !SSLv3, !TLSv1, !TLSv1.1`; ' +
  'use the `smtp_` equivalents for outbound mail). Dovecot: `ssl_min_protocol = TLSv1.2`. ' +
  'Exim (OpenSSL): `openssl_options = +no_sslv2 +no_sslv3 +no_tlsv1 +no_tlsv1_1`. Restart the service and rescan.';

interface ProtocolCheckSpec {
  readonly id: string;
  readonly protocol: Protocol;
  readonly title: string;
  readonly passedTitle: string;
  readonly severity: Severity;
  readonly description: string;
  readonly remediation: string;
}

/** Fails when `protocol` is offered, passes when the scanner reports it is not. */
export function protocolOfferedCheck(spec: ProtocolCheckSpec): Check {
  const data = { protocol: PROTOCOL_LABELS[spec.protocol] };
  return {
    meta: {
      id: spec.id,
      title: spec.title,
      passedTitle: spec.passedTitle,
      severity: spec.severity,
      category: 'protocol',
      description: spec.description,
      remediation: spec.remediation,
      appliesTo: 'all',
      messages: {
        offered: '{{protocol}} is offered',
        'not-offered': '{{protocol}} is not offered',
        'not-tested': '{{protocol}} support was not tested',
      },
    },
    evaluate(obs) {
      const f = obs.protocols[spec.protocol];
      if (f === undefined) return [notTested(data)];
      return [f.value ? outcome('fail', 'offered', data, [f]) : outcome('pass', 'not-offered', data, [f])];
    },
  };
}

/** The protocols known to be offered, newest first: their labels (or `none`) and facts. */
function offeredProtocols(obs: Observation): { labels: string; facts: Fact<boolean>[] } {
  const labels: string[] = [];
  const facts: Fact<boolean>[] = [];
  for (let i = PROTOCOLS.length - 1; i >= 0; i--) {
    const p = PROTOCOLS[i];
    const f = p === undefined ? undefined : obs.protocols[p];
    if (p !== undefined && f?.value === true) {
      labels.push(PROTOCOL_LABELS[p]);
      facts.push(f);
    }
  }
  return { labels: labels.length > 0 ? labels.join(', ') : 'none', facts };
}

/**
 * Reports `status` (fail, or warn for an advisory) when `protocol` is known not to be offered;
 * passes when it is offered. The message lists what is offered instead.
 */
export function protocolMissingCheck(spec: ProtocolCheckSpec & { readonly status: 'fail' | 'warn' }): Check {
  const label = PROTOCOL_LABELS[spec.protocol];
  return {
    meta: {
      id: spec.id,
      title: spec.title,
      passedTitle: spec.passedTitle,
      severity: spec.severity,
      category: 'protocol',
      description: spec.description,
      remediation: spec.remediation,
      appliesTo: 'all',
      messages: {
        missing: '{{protocol}} is not offered (offered: {{offered}})',
        offered: '{{protocol}} is offered',
        'not-tested': '{{protocol}} support was not tested',
      },
    },
    evaluate(obs) {
      const f = obs.protocols[spec.protocol];
      if (f === undefined) return [notTested({ protocol: label })];
      if (f.value) return [outcome('pass', 'offered', { protocol: label }, [f])];
      // The other offered versions are cited too: the message names them.
      const offered = offeredProtocols(obs);
      return [outcome(spec.status, 'missing', { protocol: label, offered: offered.labels }, [f, ...offered.facts])];
    },
  };
}
