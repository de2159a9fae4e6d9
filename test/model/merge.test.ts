/**
 * Merging readings of one endpoint, for the certificate's stapled OCSP status: a tool's reading
 * is never lost to a tool that has none, and between tools that disagree the worse one decides.
 */
import { describe, expect, it } from 'vitest';
import { mergeObservations } from '../../src/model/merge.js';
import { emptyObservation, type CertificateFacts, type Observation, type OcspCertificateStatus } from '../../src/model/observation.js';
import type { SourceKind } from '../../src/model/source.js';

const ENDPOINT = { host: 'mx.example.test', ip: '192.0.2.25', port: 25, service: 'smtp', transport: 'starttls' } as const;
const FINGERPRINT = 'AB:CD:EF';

function reading(kind: SourceKind, observedAt: string, ocsp: OcspCertificateStatus | undefined): Observation {
  const source = { kind, file: `${kind}.out`, excerpt: `${kind} certificate #1`, observedAt };
  const cert: CertificateFacts = { index: 1, fingerprintSha256: { value: FINGERPRINT, source } };
  if (ocsp !== undefined) cert.ocspStatus = { value: ocsp, source };
  return { ...emptyObservation(ENDPOINT, observedAt, 'input'), certificates: [cert], sources: [source] };
}

const GOOD: OcspCertificateStatus = { status: 'good', thisUpdate: '2026-09-15T06:00:00Z', nextUpdate: '2026-09-22T06:00:00Z' };
const REVOKED: OcspCertificateStatus = { status: 'revoked', revokedAt: '2026-09-01T12:30:00Z', thisUpdate: '2026-09-15T06:00:00Z' };

describe('mergeObservations: ocspStatus', () => {
  it('keeps the scanner\'s status when another tool read the same certificate without one', () => {
    const [merged] = mergeObservations([reading('testssl-csv', '2026-09-15T10:00:00Z', undefined), reading('probe', '2026-09-15T09:00:00Z', REVOKED)]);
    expect(merged?.certificates).toHaveLength(1);
    expect(merged?.certificates[0]?.ocspStatus?.value).toEqual(REVOKED);
  });

  it('between tools, revoked decides over good, and the other reading is kept as a conflict', () => {
    const [merged] = mergeObservations([reading('sslyze-json', '2026-09-15T10:00:00Z', GOOD), reading('probe', '2026-09-15T09:00:00Z', REVOKED)]);
    const fact = merged?.certificates[0]?.ocspStatus;
    expect(fact?.value).toEqual(REVOKED);
    expect(fact?.source.kind).toBe('probe');
    expect(fact?.conflicts).toEqual([{ value: GOOD, source: expect.objectContaining({ kind: 'sslyze-json' }) }]);
  });

  it('within one tool, the newer reading replaces the older one (a rescan after the fix)', () => {
    const [merged] = mergeObservations([reading('probe', '2026-09-16T10:00:00Z', GOOD), reading('probe', '2026-09-15T10:00:00Z', REVOKED)]);
    expect(merged?.certificates[0]?.ocspStatus?.value).toEqual(GOOD);
    expect(merged?.certificates[0]?.ocspStatus?.conflicts).toBeUndefined();
  });
});

/**
 * Between two tools the worse reading of each fact decides, whichever tool is listed first and
 * whichever is newer: a legacy protocol offered, a modern one missing, a weak cipher class
 * offered, a vulnerability found, a TLS service unavailable.
 */
describe('mergeObservations: the worse reading decides between tools', () => {
  const fact = <T>(kind: SourceKind, value: T) => ({ value, source: { kind, file: `${kind}.out`, excerpt: `${kind} row`, observedAt: '2026-09-15T10:00:00Z' } });
  function tool(kind: SourceKind, observedAt: string, patch: Partial<Observation>): Observation {
    return { ...emptyObservation(ENDPOINT, observedAt, 'input'), ...patch, sources: [{ kind, file: `${kind}.out`, excerpt: `${kind}` }] };
  }
  const cases: { name: string; worse: Partial<Observation>; better: Partial<Observation>; read: (o: Observation) => unknown; expected: unknown }[] = [
    { name: 'TLS 1.0 offered', worse: { protocols: { 'TLSv1.0': fact('nmap-xml', true) } }, better: { protocols: { 'TLSv1.0': fact('sslyze-json', false) } }, read: (o) => o.protocols['TLSv1.0']?.value, expected: true },
    { name: 'TLS 1.2 missing', worse: { protocols: { 'TLSv1.2': fact('nmap-xml', false) } }, better: { protocols: { 'TLSv1.2': fact('sslyze-json', true) } }, read: (o) => o.protocols['TLSv1.2']?.value, expected: false },
    { name: '3DES offered', worse: { cipherClasses: { '3des': fact('nmap-xml', true) } }, better: { cipherClasses: { '3des': fact('sslyze-json', false) } }, read: (o) => o.cipherClasses['3des']?.value, expected: true },
    { name: 'Logjam found', worse: { vulnerabilities: { logjam: fact('nmap-xml', { state: 'vulnerable' as const, detail: 'DH 512' }) } }, better: { vulnerabilities: { logjam: fact('sslyze-json', { state: 'not-vulnerable' as const, detail: 'ok' }) } }, read: (o) => o.vulnerabilities.logjam?.value.state, expected: 'vulnerable' },
    { name: 'TLS unavailable', worse: { tlsAvailable: fact('nmap-xml', false) }, better: { tlsAvailable: fact('sslyze-json', true) }, read: (o) => o.tlsAvailable?.value, expected: false },
  ];
  for (const c of cases) {
    it(`${c.name}: decides in either order and at either age`, () => {
      for (const [first, second] of [[c.worse, c.better], [c.better, c.worse]] as const) {
        for (const [t1, t2] of [['2026-09-15T10:00:00Z', '2026-09-16T10:00:00Z'], ['2026-09-16T10:00:00Z', '2026-09-15T10:00:00Z']] as const) {
          const [merged] = mergeObservations([tool(first === c.worse ? 'nmap-xml' : 'sslyze-json', t1, first), tool(first === c.worse ? 'sslyze-json' : 'nmap-xml', t2, second)]);
          expect(merged && c.read(merged), `${c.name} (${t1} first)`).toEqual(c.expected);
        }
      }
    });
  }
});
