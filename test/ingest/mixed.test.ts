/**
 * Mixed inputs in one report: the same endpoint seen by two tools becomes one observation with
 * evidence from both, and where they disagree the worse reading decides while the other is kept.
 * The pair in test/fixtures/ingest/mixed/ is real: one endpoint behind a balancer with two
 * backends; testssl.sh met the modern backend, nmap the legacy one (same name, address, port and
 * certificate). See test/lab/formats/make-format-fixtures.ts.
 */
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/index.js';
import { ingest } from '../../src/ingest/index.js';
import { mergeObservations } from '../../src/model/merge.js';
import type { Observation } from '../../src/model/observation.js';
import { fact, type SourceRef } from '../../src/model/source.js';
import { emptyObservation } from '../../src/model/observation.js';
import { INGEST_OPTS } from './support.js';

const TESTSSL = 'test/fixtures/ingest/mixed/smtp-balanced.testssl.csv';
const NMAP = 'test/fixtures/ingest/mixed/smtp-balanced.nmap.xml';

describe('testssl.sh CSV + nmap XML of one endpoint', () => {
  it('becomes one observation whose evidence comes from both tools', async () => {
    const out = await ingest([TESTSSL, NMAP], INGEST_OPTS);
    expect(out.problems).toEqual([]);
    expect(out.files.map((f) => f.kind)).toEqual(['testssl-csv', 'nmap-xml']);
    expect(out.observations).toHaveLength(2);
    const merged = mergeObservations(out.observations);
    expect(merged).toHaveLength(1);
    const obs = merged[0]!;
    expect(obs.endpoint).toEqual({ host: 'mail.balanced.example.test', ip: '127.0.61.40', port: 25, service: 'smtp', transport: 'starttls' });
    expect(obs.tool).toBe('testssl.sh + nmap 7.93');
    expect(new Set(obs.sources.map((s) => s.kind))).toEqual(new Set(['testssl-csv', 'nmap-xml']));
    // Facts only one tool gives are kept from that tool.
    expect(obs.certificates[0]?.chainTrust?.source.kind).toBe('testssl-csv');
    expect(obs.protocols.SSLv2?.source.kind).toBe('testssl-csv');
    // Facts both give and agree on keep the first reading, without a conflict.
    expect(obs.protocols['TLSv1.2']).toMatchObject({ value: true });
    expect(obs.protocols['TLSv1.2']?.conflicts).toBeUndefined();
    expect(obs.certificates).toHaveLength(1);
    expect(obs.certificates[0]?.notAfter?.conflicts).toBeUndefined();
  });

  it('lets the worse reading decide and keeps the other as a conflict', async () => {
    const out = await ingest([TESTSSL, NMAP], INGEST_OPTS);
    const [obs] = mergeObservations(out.observations);
    const tls10 = obs!.protocols['TLSv1.0']!;
    expect(tls10.value).toBe(true);
    expect(tls10.source.kind).toBe('nmap-xml');
    expect(tls10.conflicts?.map((c) => [c.value, c.source.kind])).toEqual([[false, 'testssl-csv']]);
    expect(obs!.cipherClasses.cbc).toMatchObject({ value: true, source: { kind: 'nmap-xml' } });
    // The 1024-bit DH group nmap saw is the group-size fact (dh-weak's), not a Logjam verdict:
    // both tools agree there is no DHE EXPORT, so Logjam carries no conflict.
    expect(obs!.dhBits).toMatchObject({ value: 1024, source: { kind: 'nmap-xml' } });
    expect(obs!.vulnerabilities.logjam?.value.state).toBe('not-vulnerable');
    expect(obs!.vulnerabilities.logjam?.conflicts).toBeUndefined();

    const findings = runChecks(obs!, { reportDate: '2026-11-28' });
    const tls10Finding = findings.find((f) => f.checkId === 'proto-tls10')!;
    expect(tls10Finding.status).toBe('fail');
    expect(tls10Finding.evidence[0]?.source).toMatchObject({ kind: 'nmap-xml', file: NMAP });
    // The reading that lost is cited too, marked as disagreeing.
    expect(tls10Finding.evidence[1]).toMatchObject({ summary: expect.stringMatching(/^disagrees: /), source: { kind: 'testssl-csv', file: TESTSSL } });
    const trust = findings.find((f) => f.checkId === 'cert-untrusted')!;
    expect(trust.evidence[0]?.source).toMatchObject({ kind: 'testssl-csv', file: TESTSSL });
  });

  it('joins an endpoint nmap knew only by address to the named endpoint with that address', async () => {
    const out = await ingest(['test/fixtures/ingest/testssl-json/smtp-good.flat.json', 'test/fixtures/ingest/nmap-xml/by-address.xml'], INGEST_OPTS);
    const merged = mergeObservations(out.observations);
    const good = merged.filter((o) => o.endpoint.port === 25 && (o.endpoint.ip === '127.0.61.11' || o.endpoint.host === '127.0.61.11'));
    expect(good).toHaveLength(1);
    expect(good[0]!.endpoint.host).toBe('mail.good.example.test');
    expect(new Set(good[0]!.sources.map((s) => s.kind))).toEqual(new Set(['testssl-json', 'nmap-xml']));
    // Same certificate seen by both (fingerprints agree): one certificate, no conflicts.
    expect(good[0]!.certificates).toHaveLength(1);
    expect(good[0]!.certificates[0]!.fingerprintSha256?.conflicts).toBeUndefined();
  });
});

describe('mergeObservations rules', () => {
  const endpoint = { host: 'mx.example.test', ip: '192.0.2.1', port: 25, service: 'smtp', transport: 'starttls' } as const;
  const src = (kind: SourceRef['kind'], line: number): SourceRef => ({ kind, file: `${kind}.in`, line, excerpt: `${kind} row ${line}` });
  const obs = (kind: SourceRef['kind'], at: string, fill: (o: Observation, s: SourceRef) => void): Observation => {
    const o = emptyObservation(endpoint, at, 'input');
    const s = src(kind, 1);
    o.sources.push(s);
    fill(o, s);
    return o;
  };

  it('same tool: the newer reading replaces the older one (a rescan after a fix)', () => {
    const before = obs('testssl-csv', '2026-01-01T00:00:00Z', (o, s) => { o.protocols['TLSv1.0'] = fact(true, s); });
    const after = obs('testssl-json', '2026-02-01T00:00:00Z', (o, s) => { o.protocols['TLSv1.0'] = fact(false, s); });
    const [m] = mergeObservations([after, before]);
    expect(m!.protocols['TLSv1.0']).toMatchObject({ value: false, source: { kind: 'testssl-json' } });
    expect(m!.protocols['TLSv1.0']?.conflicts).toBeUndefined();
    expect(m!.sources).toHaveLength(2);
  });

  it('different tools: the worse reading decides, whichever is newer', () => {
    const nessus = obs('nessus-csv', '2026-01-01T00:00:00Z', (o, s) => {
      o.protocols['TLSv1.2'] = fact(false, s);
      o.forwardSecrecy = fact(true, s);
      o.certificates.push({ index: 1, notAfter: fact('2027-01-01T00:00:00.000Z', s), keyBits: fact(2048, s) });
    });
    const sslyze = obs('sslyze-json', '2026-02-01T00:00:00Z', (o, s) => {
      o.protocols['TLSv1.2'] = fact(true, s);
      o.forwardSecrecy = fact(false, s);
      o.vulnerabilities.robot = fact({ state: 'vulnerable', detail: 'VULNERABLE_WEAK_ORACLE' }, s);
      o.certificates.push({ index: 1, notAfter: fact('2026-12-01T00:00:00.000Z', s), keyBits: fact(4096, s) });
    });
    const [m] = mergeObservations([nessus, sslyze]);
    expect(m!.protocols['TLSv1.2']).toMatchObject({ value: false, source: { kind: 'nessus-csv' } });
    expect(m!.forwardSecrecy).toMatchObject({ value: false, source: { kind: 'sslyze-json' } });
    expect(m!.vulnerabilities.robot?.value.state).toBe('vulnerable');
    expect(m!.certificates).toHaveLength(1);
    expect(m!.certificates[0]!.notAfter).toMatchObject({ value: '2026-12-01T00:00:00.000Z', conflicts: [{ value: '2027-01-01T00:00:00.000Z' }] });
    expect(m!.certificates[0]!.keyBits).toMatchObject({ value: 2048, conflicts: [{ value: 4096 }] });
    expect(m!.observedAt).toBe('2026-02-01T00:00:00Z');
  });

  it('a tool that could not scan does not make the other tool\'s complete scan incomplete', () => {
    const failed = obs('sslyze-json', '2026-01-01T00:00:00Z', (o, s) => { o.scan = { state: 'failed', problems: [fact('timed out', s)] }; });
    const done = obs('nmap-xml', '2026-01-01T00:00:00Z', (o, s) => { o.tlsAvailable = fact(true, s); });
    const [m] = mergeObservations([failed, done]);
    expect(m!.scan.state).toBe('completed');
    expect(m!.sources.map((s) => s.kind)).toEqual(['sslyze-json', 'nmap-xml']);
  });
});
