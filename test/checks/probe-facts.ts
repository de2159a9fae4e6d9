/**
 * Builders for the scanner-only facts (mail dialogue, domain policies, DANE, DH) used by the
 * tables of the checks that read them. Sources are probe records, as tlsproof's scanner writes.
 */
import type { DaneFacts, DomainPolicyFacts, MtaStsFacts, TlsRptFacts } from '../../src/model/observation.js';
import type { Fact, SourceRef } from '../../src/model/source.js';

let n = 0;

export function probeSrc(excerpt: string): SourceRef {
  n++;
  return { kind: 'probe', file: 'probe://mx.example.test:25', excerpt: `${excerpt} #${n}` };
}

export function pf<T>(value: T, excerpt: string): Fact<T> {
  return { value, source: probeSrc(excerpt) };
}

export function sts(domain: string, facts: MtaStsFacts): DomainPolicyFacts {
  return { domain, mtaSts: pf(facts, `;; TXT _mta-sts.${domain}\n${facts.recordText ?? ''}`) };
}

export function rpt(domain: string, facts: TlsRptFacts): DomainPolicyFacts {
  return { domain, tlsRpt: pf(facts, `;; TXT _smtp._tls.${domain}\n${facts.recordText ?? ''}`) };
}

export const ENFORCE: MtaStsFacts = {
  record: 'valid', recordText: 'v=STSv1; id=20260101', id: '20260101', policy: 'valid', mode: 'enforce', maxAge: 604800,
  mx: ['mx.example.test', '*.backup.example.test'], mxMatch: true,
};

export function dane(facts: DaneFacts): Fact<DaneFacts> {
  return pf(facts, `;; TLSA _25._tcp.mx.example.test\n${facts.detail}`);
}
