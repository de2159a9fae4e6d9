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
