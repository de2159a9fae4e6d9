/**
 * Servers with more than one certificate, and OCSP stapling, against real TLS servers on loopback.
 *
 * - Node lab servers holding an RSA and an ECDSA certificate side by side (TLS 1.3, where the
 *   client's signature algorithms pick the certificate, and TLS 1.2 only, where the suite does),
 *   over SMTP and POP3 STARTTLS and implicit TLS, next to single-certificate servers that must
 *   still yield exactly one certificate and no problem.
 * - Debian's Dovecot with `ssl_cert` (ECDSA) and `ssl_alt_cert` (RSA, expiring), STARTTLS and implicit.
 * - Debian's Postfix with `smtpd_tls_chain_files` holding an RSA certificate that expires in 10
 *   days behind a good ECDSA one: the scan reports both and the expiry check names the RSA one;
 *   then the same through scanDomains (DNS from dnsmasq, TLSA matching only the ECDSA key), the
 *   results file, its reader, the report ingester and --resume; testssl.sh `-S` on the same
 *   Postfix must see the same two certificates.
 * - OCSP responses made by `openssl ocsp` from the lab CA's database and stapled by a Node
 *   server (good, revoked, and one response for two certificates of which one is revoked): the
 *   per-certificate status, the cert-revoked finding, scan.jsonl and back; the OCSP reader on its own.
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { runChecks } from '../../src/checks/index.js';
import { runReport } from '../../src/pipeline.js';
import { ingest } from '../../src/ingest/index.js';
import { readTlsproofResults } from '../../src/ingest/tlsproof-results.js';
import type { Endpoint } from '../../src/model/endpoint.js';
import type { CertificateFacts, Observation } from '../../src/model/observation.js';
import { scanDomains, type ScanResult } from '../../src/scan/index.js';
import { ConnectionLimiter } from '../../src/scan/limiter.js';
import { describeOcspStaple, readOcspStaple } from '../../src/scan/ocsp.js';
import { probeEndpoint, type ProbeOptions, type ProbeResult } from '../../src/scan/probe.js';
import { RESULTS_FORMAT } from '../../src/scan/results-schema.js';
import { ResultsWriter } from '../../src/scan/results.js';
import { createTrustStore } from '../../src/scan/tls-client.js';
import { makeLabPki, type LabCert, type LabPki } from '../lab/certs.js';
import { startDnsmasq } from '../lab/mail/dnsmasq.js';
import { startDovecot } from '../lab/mail/dovecot.js';
import { startPostfix } from '../lab/mail/postfix.js';
import { startLabServer, type LabServerOptions } from '../lab/servers.js';
import { readTestsslCsv, runTestssl, type TestsslRow } from '../lab/testssl.js';
import { lacks } from '../support/tools.js';

/** What the lab servers of this file need (ports below 1024 need root). */
const noLab = lacks('openssl', 'dnsmasq', 'postfix', 'dovecot', 'script', 'root');

const IP = (n: number) => `127.0.40.${n}`;
const DNS = { ip: IP(53), port: 53 };
const PF = { ip: IP(20), host: 'mx.dual.test' };
const DV = { ip: IP(21), host: 'imap.dual.test' };
const REPORT_DATE = new Date().toISOString().slice(0, 10);

const stops: (() => Promise<void>)[] = [];
let work = '';
let pki: LabPki;
const results = new Map<string, { result: ProbeResult; handshakes: number; connections: number }>();
const ocsp = new Map<string, Buffer>();
let pfRsa: LabCert;
let pfEc: LabCert;
let scanned: ScanResult;
let outDir = '';

interface Scenario {
  readonly name: string;
  readonly protocol: LabServerOptions['protocol'];
  readonly transport: 'starttls' | 'implicit';
  readonly port: number;
  readonly service: Endpoint['service'];
  /** Certificates the server holds, in this order. */
  readonly certs: readonly ('rsa' | 'rsa-soon' | 'ec')[];
  readonly tls12Only?: boolean;
  /** Staple an OCSP response; `revoked` revokes every certificate first, `revoked-rsa` only the RSA one. */
  readonly staple?: 'good' | 'revoked' | 'revoked-rsa';
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'dual-smtp', protocol: 'smtp', transport: 'starttls', port: 25, service: 'smtp', certs: ['rsa-soon', 'ec'] },
  { name: 'dual-tls12', protocol: 'imap', transport: 'implicit', port: 993, service: 'imaps', certs: ['ec', 'rsa'], tls12Only: true, staple: 'good' },
  { name: 'dual-pop3', protocol: 'pop3', transport: 'starttls', port: 110, service: 'pop3', certs: ['rsa', 'ec'] },
  { name: 'rsa-only', protocol: 'smtp', transport: 'starttls', port: 25, service: 'smtp', certs: ['rsa'] },
  { name: 'ec-only', protocol: 'smtp', transport: 'starttls', port: 25, service: 'smtp', certs: ['ec'] },
  { name: 'ocsp-good', protocol: 'smtp', transport: 'starttls', port: 25, service: 'smtp', certs: ['rsa'], staple: 'good' },
  { name: 'ocsp-revoked', protocol: 'smtp', transport: 'implicit', port: 465, service: 'submissions', certs: ['rsa'], staple: 'revoked' },
  { name: 'ocsp-dual-revoked', protocol: 'smtp', transport: 'starttls', port: 25, service: 'smtp', certs: ['ec', 'rsa'], staple: 'revoked-rsa' },
];
const hostOf = (s: Scenario) => `${s.name}.certs.example.test`;

function result(name: string): ProbeResult {
  const r = results.get(name)?.result;
  if (!r) throw new Error(`no result for ${name}`);
  return r;
}

const certsOf = (name: string): CertificateFacts[] => result(name).observation.certificates;
const byKey = (o: Observation, alg: 'RSA' | 'EC') => o.certificates.find((c) => c.keyAlgorithm?.value === alg);

function probeOptions(caFile: string, stats: { handshakes: number }, limiter: ConnectionLimiter): ProbeOptions {
  return {
    timeouts: { connectMs: 2000, readMs: 3000, handshakeMs: 3000 }, endpointMs: 60_000, retry: { attempts: 1, delaysMs: [100] },
    ehloName: 'scanner.certs.example.test', trust: createTrustStore({ caFiles: [caFile], systemRoots: false }),
    limiter, now: () => new Date(), tool: 'tlsproof test', stats,
  };
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-certs-'));
  pki = await makeLabPki(path.join(work, 'pki'));

  await Promise.all(SCENARIOS.map(async (s, i) => {
    const host = hostOf(s);
    const certs = await Promise.all(s.certs.map((k) => pki.issue({
      kind: k === 'ec' ? 'ec' : k === 'rsa-soon' ? 'expiring' : 'good', daysLeft: 10, hostname: host, name: `${s.name}-${k}`,
    })));
    if (s.staple === 'revoked') for (const c of certs) await pki.revoke(c);
    if (s.staple === 'revoked-rsa') for (const [j, c] of certs.entries()) if (s.certs[j] === 'rsa') await pki.revoke(c);
    // Made before the server starts (stapling must not wait on openssl). Node hands the OCSPRequest
    // handler the context's certificate, not the one chosen for the connection, so a server with
    // two certificates staples one response that covers both.
    const staple = s.staple ? await pki.ocspResponse(certs) : undefined;
    if (staple) ocsp.set(s.name, staple);
    const srv = await startLabServer({
      protocol: s.protocol, transport: s.transport, ip: IP(10 + i), port: s.port, host, certs, profile: 'modern',
      ...(s.tls12Only ? { tlsOverrides: { maxVersion: 'TLSv1.2' } } : {}),
      ...(staple ? { ocspStaple: () => staple } : {}),
    });
    stops.push(() => srv.stop());
  }));

  pfRsa = await pki.issue({ kind: 'expiring', daysLeft: 10, hostname: PF.host, name: 'pf-rsa' });
  pfEc = await pki.issue({ kind: 'ec', hostname: PF.host, name: 'pf-ec' });
  const pf = await startPostfix({
    dir: path.join(work, 'pf-dual'), ip: PF.ip, hostname: PF.host, certFile: pfRsa.certFile, keyFile: pfRsa.keyFile,
    moreCerts: [{ certFile: pfEc.certFile, keyFile: pfEc.keyFile }], profile: 'good', ports: [25],
  });
  stops.push(() => pf.stop());
  const dvEc = await pki.issue({ kind: 'ec', hostname: DV.host, name: 'dv-ec' });
  const dvRsa = await pki.issue({ kind: 'expiring', daysLeft: 10, hostname: DV.host, name: 'dv-rsa' });
  const dv = await startDovecot({
    dir: path.join(work, 'dv-dual'), ip: DV.ip, certFile: dvEc.certFile, keyFile: dvEc.keyFile,
    altCert: { certFile: dvRsa.certFile, keyFile: dvRsa.keyFile }, profile: 'good',
  });
  stops.push(() => dv.stop());

  // Each endpoint gets its own counters, so the cost of the extra handshake can be read per endpoint.
  const targets = [
    ...SCENARIOS.map((s, i) => ({ name: s.name, t: { host: hostOf(s), ip: IP(10 + i), port: s.port, service: s.service, transport: s.transport } })),
    { name: 'postfix', t: { host: PF.host, ip: PF.ip, port: 25, service: 'smtp' as const, transport: 'starttls' as const } },
    { name: 'dovecot-143', t: { host: DV.host, ip: DV.ip, port: 143, service: 'imap' as const, transport: 'starttls' as const } },
    { name: 'dovecot-995', t: { host: DV.host, ip: DV.ip, port: 995, service: 'pop3s' as const, transport: 'implicit' as const } },
  ];
  await Promise.all(targets.map(async ({ name, t }) => {
    const stats = { handshakes: 0 };
    const limiter = new ConnectionLimiter(8, 2);
    const r = await probeEndpoint(t, probeOptions(pki.caCertFile, stats, limiter));
    results.set(name, { result: r, handshakes: stats.handshakes, connections: limiter.opened });
  }));

  const spki = (c: LabCert) => createHash('sha256')
    .update(new X509Certificate(readFileSync(c.certFile)).publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
  const dns = await startDnsmasq(DNS.ip, DNS.port, {
    zones: ['dual.test'],
    hosts: [{ name: PF.host, ip: PF.ip }],
    mx: [{ domain: 'dual.test', target: PF.host, preference: 10 }],
    // DANE-EE for the ECDSA key only: senders that get the RSA certificate cannot match it.
    raw: [{ name: `_25._tcp.${PF.host}`, type: 52, hex: `030101${spki(pfEc)}` }],
  });
  stops.push(() => dns.stop());
  outDir = path.join(work, 'results');
  scanned = await scanDomains([{ domain: 'dual.test' }], {
    resolver: `${DNS.ip}:${DNS.port}`, caFiles: [pki.caCertFile], systemRoots: false, ipv6: false, ehloName: 'scanner.test',
    timeouts: { connectMs: 2000, readMs: 3000, handshakeMs: 3000, dnsMs: 2000, httpsMs: 2000 }, retry: { attempts: 1, delaysMs: [100] },
    now: () => new Date(), tool: 'tlsproof test', outDir,
  });
}, 150_000);

afterAll(async () => {
  for (const stop of stops) await stop().catch(() => undefined);
  if (work && !process.env['KEEP']) await rm(work, { recursive: true, force: true });
}, 60_000);

describe.skipIf(noLab)('RSA and ECDSA certificates side by side (Node lab servers)', () => {
  it('every endpoint is assessed completely, with no problem from the extra handshake', () => {
    for (const s of SCENARIOS) {
      expect(result(s.name).status, `${s.name}: ${result(s.name).detail}`).toBe('completed');
      expect(result(s.name).observation.scan.problems).toEqual([]);
    }
  });

  it.each(['dual-smtp', 'dual-tls12', 'dual-pop3'])('%s: both certificates are recorded, each with every fact', (name) => {
    const certs = certsOf(name);
    expect(certs.map((c) => c.index)).toEqual([1, 2]);
    expect(certs.map((c) => c.keyAlgorithm?.value).sort()).toEqual(['EC', 'RSA']);
    expect(certs[0]?.fingerprintSha256?.value).not.toBe(certs[1]?.fingerprintSha256?.value);
    // The staple's status is a fact only where a response was stapled.
    const stapled = SCENARIOS.find((s) => s.name === name)?.staple !== undefined;
    for (const c of certs) {
      expect(Object.keys(c).sort()).toEqual([
        'chain', 'chainTrust', 'commonName', 'fingerprintSha256', 'hostnameMatch', 'index', 'issuer', 'keyAlgorithm', 'keyBits',
        'notAfter', 'notBefore', 'ocspStapling', ...(stapled ? ['ocspStatus'] : []), 'serial', 'signatureAlgorithm', 'subjectAltNames',
      ]);
      expect(c.chainTrust?.value.trusted).toBe(true);
      expect(c.hostnameMatch?.value).toBe(true);
      expect(c.chain?.value.map((x) => x.position)).toEqual([0, 1]);
    }
  });

  it('certificate 2 cites the handshake that produced it', () => {
    const second = certsOf('dual-smtp')[1]!;
    const other = second.keyAlgorithm?.value === 'RSA' ? 'RSA' : 'ECDSA';
    expect(second.notAfter?.source.excerpt).toMatch(new RegExp(`^certificate #0: subject CN=dual-smtp\\.certs\\.example\\.test;.*\\n\\(certificate 2: second handshake offering only ${other} signature algorithms and suites\\)`));
    expect(second.notAfter?.source.excerpt).toMatch(/C: STARTTLS\nS: 220 2\.0\.0 Ready to start TLS\n\* TLS handshake offering only (RSA|ECDSA) signature algorithms/);
    expect(second.chainTrust?.source.excerpt).toMatch(/^chain verification .*: passed: chains to a trusted root\n\(certificate 2: second handshake/);
    expect(result('dual-smtp').observation.sources).toContain(second.notAfter?.source);
    // Certificate 1's evidence is what it always was.
    expect(certsOf('dual-smtp')[0]?.notAfter?.source.excerpt).toMatch(/^certificate #0: [^\n]*$/);
  });

  it('TLS 1.2 only: the suite picks the certificate, and the extra handshake gets the other one', () => {
    const o = result('dual-tls12').observation;
    expect(o.protocols['TLSv1.3']?.value).toBe(false);
    expect(byKey(o, 'RSA')?.keyBits?.value).toBe(2048);
    expect(byKey(o, 'EC')?.keyBits?.value).toBe(256);
  });

  it('a server with one certificate still yields exactly one, and the refusal leaves no trace', () => {
    expect(certsOf('rsa-only').map((c) => c.keyAlgorithm?.value)).toEqual(['RSA']);
    expect(certsOf('ec-only').map((c) => c.keyAlgorithm?.value)).toEqual(['EC']);
    const findings = runChecks(result('rsa-only').observation, { reportDate: REPORT_DATE });
    expect(findings.find((f) => f.checkId === 'scan-incomplete')?.status).toBe('pass');
  });

  it('costs one full handshake per endpoint with a second certificate, one connection per TLS endpoint', () => {
    const dual = results.get('dual-smtp')!;
    const single = results.get('rsa-only')!;
    expect(dual.handshakes - single.handshakes).toBe(1);
    expect(dual.connections).toBe(single.connections);
  });

  it('findings name the certificate by key and common name', () => {
    const findings = runChecks(result('dual-smtp').observation, { reportDate: REPORT_DATE });
    const expiry = findings.filter((f) => f.checkId === 'cert-expiring');
    expect(expiry.map((f) => f.status).sort()).toEqual(['pass', 'warn']);
    const fail = expiry.find((f) => f.status === 'warn')!;
    expect(fail.data).toMatchObject({ certificate: expect.stringMatching(/^#[12] \(RSA 2048, dual-smtp\.certs\.example\.test\)$/), keyType: 'RSA 2048' });
    expect(fail.evidence[0]?.summary).toMatch(/^certificate #0: subject CN=dual-smtp\.certs\.example\.test; /);
    expect(fail.evidence[0]?.source.excerpt).toMatch(/; RSA 2048 bits; SHA256 with RSA; /);
  });
});

describe.skipIf(noLab)('real Postfix with smtpd_tls_chain_files holding RSA (expiring) and ECDSA', () => {
  it('reports both certificates', () => {
    const r = result('postfix');
    expect(r.status, r.detail).toBe('completed');
    const o = r.observation;
    expect(o.certificates).toHaveLength(2);
    expect(byKey(o, 'RSA')?.fingerprintSha256?.value).toBe(pfRsa.fingerprintSha256);
    expect(byKey(o, 'EC')?.fingerprintSha256?.value).toBe(pfEc.fingerprintSha256);
    expect(byKey(o, 'RSA')?.notAfter?.value).toBe(pfRsa.notAfter);
  });

  it('the expiry check warns (high) naming the RSA certificate; the ECDSA one passes', () => {
    const findings = runChecks(result('postfix').observation, { reportDate: REPORT_DATE });
    const expiry = findings.filter((f) => f.checkId === 'cert-expiring');
    expect(expiry).toHaveLength(2);
    const rsa = expiry.find((f) => String(f.data['certificate']).includes('RSA'));
    const ec = expiry.find((f) => String(f.data['certificate']).includes('EC'));
    expect(rsa).toMatchObject({ status: 'warn', severity: 'high', messageId: 'expiring', data: { daysLeft: expect.any(Number) } });
    expect(rsa?.data['certificate']).toMatch(/^#[12] \(RSA 2048, mx\.dual\.test\)$/);
    expect(Number(rsa?.data['daysLeft'])).toBeGreaterThanOrEqual(9);
    expect(Number(rsa?.data['daysLeft'])).toBeLessThanOrEqual(10);
    expect(ec).toMatchObject({ status: 'pass', data: { certificate: expect.stringMatching(/^#[12] \(EC 256, mx\.dual\.test\)$/) } });
    expect(findings.filter((f) => f.checkId === 'cert-expired').map((f) => f.status)).toEqual(['pass', 'pass']);
  });
});

describe.skipIf(noLab || lacks('testssl'))('cross-check with testssl.sh (-S) on the same Postfix', () => {
  let rows: TestsslRow[] = [];

  beforeAll(async () => {
    const csvFile = path.join(work, 'pf-dual.csv');
    await runTestssl({ ip: PF.ip, host: PF.host, port: 25, starttls: 'smtp', csvFile, caFile: pki.caCertFile, sections: ['-S'], timeoutMs: 150_000 });
    rows = await readTestsslCsv(csvFile);
  }, 170_000);

  it('both tools see the same two certificates', () => {
    const theirs = rows.filter((r) => /^cert_fingerprintSHA256 <cert#\d>$/.test(r.id)).map((r) => r.finding.toUpperCase()).sort();
    const ours = result('postfix').observation.certificates.map((c) => (c.fingerprintSha256?.value ?? '').replace(/:/g, '')).sort();
    expect(theirs).toEqual(ours);
    const keys = rows.filter((r) => /^cert_keySize <cert#\d>$/.test(r.id)).map((r) => r.finding).sort();
    expect(keys).toEqual(['EC 256 bits', 'RSA 2048 bits']);
  });
});

describe.skipIf(noLab)('real Dovecot with ssl_cert (ECDSA) and ssl_alt_cert (RSA, expiring)', () => {
  it.each(['dovecot-143', 'dovecot-995'])('%s: both certificates, the expiry check names the RSA one', (name) => {
    const r = result(name);
    expect(r.status, r.detail).toBe('completed');
    expect(r.observation.certificates.map((c) => c.keyAlgorithm?.value).sort()).toEqual(['EC', 'RSA']);
    const fails = runChecks(r.observation, { reportDate: REPORT_DATE }).filter((f) => f.checkId === 'cert-expiring' && f.status === 'warn');
    expect(fails.map((f) => f.data['certificate'])).toEqual([expect.stringMatching(/^#[12] \(RSA 2048, imap\.dual\.test\)$/)]);
  });
});

describe.skipIf(noLab)('scanDomains: the second certificate in DANE, the results file, the report reader and --resume', () => {
  const obsOf = (r: ScanResult) => {
    const e = r.endpoints.find((x) => x.observation.endpoint.host === PF.host);
    if (!e) throw new Error('no Postfix endpoint');
    return e.observation;
  };

  it('scans both certificates and counts the extra handshake', () => {
    expect(obsOf(scanned).certificates.map((c) => c.keyAlgorithm?.value).sort()).toEqual(['EC', 'RSA']);
    expect(scanned.counts.handshakes).toBe(results.get('postfix')!.handshakes);
  });

  it('DANE: a TLSA record for the ECDSA key alone does not cover the RSA chain', () => {
    const dane = obsOf(scanned).dane?.value;
    expect(dane?.matches).toBe(false);
    expect(dane?.detail).toMatch(/not every presented chain matches; certificate [12] \(EC\) matches 3 1 1, certificate [12] \(RSA\) matches no record|not every presented chain matches; certificate [12] \(RSA\) matches no record, certificate [12] \(EC\) matches 3 1 1/);
  });

  it('the results file gives back both certificates, through the reader and the report ingester', async () => {
    const original = obsOf(scanned);
    const back = await readTlsproofResults(outDir);
    expect(back).toHaveLength(1);
    expect(back[0]).toEqual(JSON.parse(JSON.stringify(original)));
    const ingested = await ingest([path.join(outDir, 'scan.jsonl')], { cwd: work });
    const o = ingested.observations.find((x) => x.endpoint.host === PF.host);
    expect(o?.certificates.map((c) => [c.index, c.keyAlgorithm?.value, c.fingerprintSha256?.value]))
      .toEqual(original.certificates.map((c) => [c.index, c.keyAlgorithm?.value, c.fingerprintSha256?.value]));
    const findings = runChecks(o!, { reportDate: REPORT_DATE });
    expect(findings.find((f) => f.checkId === 'cert-expiring' && f.status === 'warn')?.data['certificate']).toMatch(/RSA 2048/);
  });

  it('--resume keeps the finished endpoint with both certificates', async () => {
    const again = await scanDomains([{ domain: 'dual.test' }], {
      resolver: `${DNS.ip}:${DNS.port}`, caFiles: [pki.caCertFile], systemRoots: false, ipv6: false,
      timeouts: { connectMs: 2000, readMs: 3000, handshakeMs: 3000, dnsMs: 2000, httpsMs: 2000 }, retry: { attempts: 1, delaysMs: [100] },
      now: () => new Date(), tool: 'tlsproof test', outDir, resume: true,
    });
    expect(again.counts).toMatchObject({ resumed: 1, handshakes: 0 });
    expect(obsOf(again)).toEqual(JSON.parse(JSON.stringify(obsOf(scanned))));
    const summary = readFileSync(path.join(outDir, 'summary.csv'), 'utf8');
    expect(summary.trim().split('\n')).toHaveLength(2);
    // The CSV row names both certificates, in certificate order.
    const keys = obsOf(scanned).certificates.map((c) => `${c.keyAlgorithm?.value} ${c.keyBits?.value}`).join(' | ');
    const [row] = parse(summary, { columns: true }) as Record<string, string>[];
    expect(row?.['cert_key']).toBe(keys);
    expect(row?.['cert_subject']).toBe('mx.dual.test | mx.dual.test');
  });
});

describe.skipIf(noLab)('OCSP stapling', () => {
  const revocation = (name: string) => runChecks(result(name).observation, { reportDate: REPORT_DATE }).filter((f) => f.checkId === 'cert-revoked');
  const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

  it('a stapled "good" response: ocspStapling true, the status as a fact of the same record, cert-revoked passes', () => {
    const cert = certsOf('ocsp-good')[0]!;
    expect(cert.ocspStapling?.value).toBe(true);
    expect(cert.ocspStapling?.source.excerpt).toMatch(
      /^OCSP status request sent: stapled response received: good \(this update \d{4}-\d\d-\d\dT[\d:]+Z, next update \d{4}-\d\d-\d\dT[\d:]+Z\); responder signature not verified$/,
    );
    expect(cert.ocspStatus?.value).toEqual({ status: 'good', thisUpdate: expect.stringMatching(ISO), nextUpdate: expect.stringMatching(ISO) });
    expect(cert.ocspStatus?.source).toBe(cert.ocspStapling?.source);
    expect(revocation('ocsp-good')).toMatchObject([{ status: 'pass', messageId: 'good' }]);
  });

  it('a stapled "revoked" response: the status with its revocation time, and cert-revoked fails naming the certificate', () => {
    const cert = certsOf('ocsp-revoked')[0]!;
    expect(cert.ocspStapling?.value).toBe(true);
    expect(cert.ocspStapling?.source.excerpt).toMatch(/stapled response received: revoked on \d{4}-\d\d-\d\dT[\d:]+Z \(this update /);
    const said = readOcspStaple(ocsp.get('ocsp-revoked')!)?.responses[0];
    expect(cert.ocspStatus?.value).toEqual({ status: 'revoked', revokedAt: said?.revokedAt, thisUpdate: said?.thisUpdate, nextUpdate: said?.nextUpdate });
    expect(cert.ocspStatus?.value.revokedAt).toMatch(ISO);
    // Node does not judge the staple, so the chain verdict stays as it was: only cert-revoked reports it.
    expect(cert.chainTrust?.value.trusted).toBe(true);
    const [finding, ...rest] = revocation('ocsp-revoked');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      status: 'fail', severity: 'critical', messageId: 'revoked',
      data: { certificate: '#1 (ocsp-revoked.certs.example.test)', revokedAt: said?.revokedAt },
    });
    expect(finding?.message).toBe(`Certificate #1 (ocsp-revoked.certs.example.test) is revoked according to its stapled OCSP response (revocation time ${said?.revokedAt}, this update ${said?.thisUpdate}; responder signature not verified by tlsproof)`);
    expect(finding?.evidence.map((e) => e.source.excerpt)).toEqual([cert.ocspStapling?.source.excerpt]);
  });

  it('both certificates of a dual server get their own staple', () => {
    for (const c of certsOf('dual-tls12')) {
      expect(c.ocspStapling?.value, c.keyAlgorithm?.value).toBe(true);
      expect(c.ocspStapling?.source.excerpt).toMatch(/stapled response received: good/);
      expect(c.ocspStatus?.value.status, c.keyAlgorithm?.value).toBe('good');
    }
    expect(revocation('dual-tls12').map((f) => f.status)).toEqual(['pass', 'pass']);
  });

  it('one response for two certificates, only the RSA one revoked: the finding names the RSA certificate, the ECDSA one passes', () => {
    const o = result('ocsp-dual-revoked').observation;
    expect(byKey(o, 'RSA')?.ocspStatus?.value).toMatchObject({ status: 'revoked', revokedAt: expect.stringMatching(ISO) });
    expect(byKey(o, 'EC')?.ocspStatus?.value.status).toBe('good');
    const findings = revocation('ocsp-dual-revoked');
    expect(findings).toHaveLength(2);
    const fail = findings.find((f) => f.status === 'fail');
    expect(fail?.data['certificate']).toMatch(/^#[12] \(RSA 2048, ocsp-dual-revoked\.certs\.example\.test\)$/);
    expect(fail?.data['revokedAt']).toBe(byKey(o, 'RSA')?.ocspStatus?.value.revokedAt);
    expect(findings.find((f) => f.status === 'pass')?.data['certificate']).toMatch(/^#[12] \(EC 256, ocsp-dual-revoked\.certs\.example\.test\)$/);
  });

  it('servers that staple nothing: ocspStapling false, no status, and cert-revoked says no staple is no evidence', () => {
    for (const c of certsOf('dual-smtp')) {
      expect(c.ocspStapling?.value).toBe(false);
      expect(c.ocspStapling?.source.excerpt).toMatch(/^OCSP status request sent: no stapled response/);
      expect(c.ocspStatus).toBeUndefined();
    }
    const findings = revocation('dual-smtp');
    expect(findings.map((f) => [f.status, f.messageId])).toEqual([['not-tested', 'no-staple'], ['not-tested', 'no-staple']]);
    expect(findings[0]?.message).toMatch(/no staple is no evidence that the certificate is revoked or that it is not$/);
  });

  it('scan.jsonl round trip: the status survives the results file, its reader and the report ingester', async () => {
    const original = result('ocsp-dual-revoked').observation;
    const dir = path.join(work, 'ocsp-results');
    const writer = new ResultsWriter(dir, undefined);
    writer.write({ type: 'header', format: RESULTS_FORMAT, tool: 'tlsproof test', startedAt: original.observedAt, domains: 1, options: {} });
    writer.write({
      type: 'endpoint', key: 'ocsp-dual-revoked', domains: ['certs.example.test'], status: 'completed', detail: 'completed', elapsedMs: 1,
      observation: original,
    });
    writer.write({ type: 'footer', finishedAt: original.observedAt, interrupted: false, counts: { completed: 1 } });
    writer.close();
    const file = path.join(dir, 'scan.jsonl');
    expect(await readFile(file, 'utf8')).toContain('"ocspStatus":{"value":{"status":"revoked","revokedAt":"');

    const back = await readTlsproofResults(dir);
    expect(back).toEqual([JSON.parse(JSON.stringify(original))]);
    const ingested = await ingest([file], { cwd: work });
    const o = ingested.observations.find((x) => x.endpoint.host === original.endpoint.host)!;
    expect(o.certificates.map((c) => c.ocspStatus?.value)).toEqual(original.certificates.map((c) => c.ocspStatus?.value));
    const findings = runChecks(o, { reportDate: REPORT_DATE }).filter((f) => f.checkId === 'cert-revoked');
    expect(findings.map((f) => f.status).sort()).toEqual(['fail', 'pass']);

    // …and into both reports, in the same words.
    const out = await runReport({
      inputs: [file], formats: ['html', 'pdf'], outDir: path.join(work, 'ocsp-report'), strict: false,
      generatedAt: `${REPORT_DATE}T12:00:00.000Z`, cwd: work, toolVersion: 'test', scan: false,
    });
    const revokedAt = byKey(original, 'RSA')!.ocspStatus!.value.revokedAt!.slice(0, 10);
    const html = await readFile(out.written.find((w) => w.endsWith('.html'))!, 'utf8');
    expect(html).toContain(`<span class="badge st-fail">Stapled: REVOKED on ${revokedAt}`);
    const pdfText = execFileSync('pdftotext', ['-enc', 'UTF-8', out.written.find((w) => w.endsWith('.pdf'))!, '-']).toString().replace(/\s+/g, ' ');
    expect(pdfText).toContain(`Stapled: REVOKED on ${revokedAt}`);

    // The schema is strict: a status outside good / revoked / unknown is a bad line, never a guess.
    const tampered = path.join(dir, 'tampered.jsonl');
    await writeFile(tampered, (await readFile(file, 'utf8')).replace('"status":"revoked"', '"status":"REVOKED"'));
    const bad = await ingest([tampered], { cwd: work });
    expect(bad.observations.filter((x) => x.endpoint.host === original.endpoint.host)).toEqual([]);
    expect(bad.problems).toEqual([expect.objectContaining({ code: 'bad-result-line' })]);
  });
});

describe.skipIf(noLab)('OCSP response reader', () => {
  it('reads status, serial and dates of a response made by openssl ocsp', () => {
    const der = ocsp.get('ocsp-revoked')!;
    const staple = readOcspStaple(der);
    expect(staple?.responseStatus).toBe('successful');
    expect(staple?.producedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(staple?.responses).toHaveLength(1);
    expect(staple?.responses[0]).toMatchObject({ status: 'revoked', revokedAt: expect.stringMatching(/Z$/), thisUpdate: expect.stringMatching(/Z$/), nextUpdate: expect.stringMatching(/Z$/) });
    const good = readOcspStaple(ocsp.get('ocsp-good')!);
    expect(good?.responses[0]?.status).toBe('good');
  });

  it('one response may cover several certificates', () => {
    const staple = readOcspStaple(ocsp.get('dual-tls12')!);
    expect(staple?.responses.map((r) => r.status)).toEqual(['good', 'good']);
    expect(new Set(staple?.responses.map((r) => r.serial)).size).toBe(2);
  });

  it('says when the response is about another certificate', () => {
    const der = ocsp.get('ocsp-good')!;
    expect(describeOcspStaple(der, '00DEADBEEF')).toMatch(/^no status for this certificate \(serial DEADBEEF; the response covers [0-9A-F]+\)$/);
  });

  it('a responder error carries no certificate status', () => {
    // OCSPResponse { responseStatus tryLater(3) }
    const der = Buffer.from('30030a0103', 'hex');
    expect(readOcspStaple(der)).toEqual({ responseStatus: 'tryLater', responses: [] });
    expect(describeOcspStaple(der, '01')).toBe('responder error: tryLater');
  });

  it('garbage, truncated or oversized input is "not readable", never a throw', () => {
    const der = ocsp.get('ocsp-good')!;
    for (const bad of [
      Buffer.alloc(0), Buffer.from('not ocsp'), der.subarray(0, der.length - 1), der.subarray(0, 20),
      Buffer.concat([der, Buffer.from([0])]), Buffer.from('3084ffffffff', 'hex'), Buffer.from('30800a0100', 'hex'),
    ]) {
      expect(readOcspStaple(bad), bad.toString('hex').slice(0, 40)).toBeUndefined();
      expect(describeOcspStaple(bad, '01')).toMatch(/^not a readable OCSP response/);
    }
  });
});
