/**
 * The endpoint probe against real TLS servers on loopback: Node lab servers speaking SMTP, IMAP and
 * POP3 (STARTTLS and implicit TLS) with certificates made at test time (good, expired, self-signed,
 * wrong host, RSA-1024, SHA-1), a legacy profile (TLS 1.0/1.1, CBC, static RSA, 1024-bit DH), a
 * plaintext-only server, and gnutls-serv offering 3DES and RC4 (which Node's OpenSSL cannot).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/index.js';
import type { Endpoint } from '../../src/model/endpoint.js';
import type { Observation } from '../../src/model/observation.js';
import { ConnectionLimiter } from '../../src/scan/limiter.js';
import { probeEndpoint, type ProbeOptions, type ProbeResult } from '../../src/scan/probe.js';
import { createTrustStore } from '../../src/scan/tls-client.js';
import { makeLabPki, type LabCert, type LeafKind } from '../lab/certs.js';
import { startGnutlsServer, startLabServer, type GnutlsServer, type LabServer, type MailProtocol, type LabTransport, type TlsProfile } from '../lab/servers.js';
import { startNetnsBridge, type NetnsBridge } from '../lab/mail/netns-bridge.js';
import { lacks } from '../support/tools.js';

/** What the lab servers of this file need (ports below 1024 need root). */
const noLab = lacks('openssl', 'gnutls-serv', 'unshare', 'nsenter', 'root');

const IP = (n: number) => `127.0.6.${n}`;
const stops: (() => Promise<void>)[] = [];
let work = '';
let opts: ProbeOptions;
const certs = new Map<LeafKind, LabCert>();
const results = new Map<string, ProbeResult>();

interface Scenario {
  name: string;
  protocol: MailProtocol;
  transport: LabTransport;
  port: number;
  service: Endpoint['service'];
  cert: LeafKind;
  profile?: TlsProfile;
  dh?: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'smtp-good', protocol: 'smtp', transport: 'starttls', port: 25, service: 'smtp', cert: 'good' },
  { name: 'smtp-expired', protocol: 'smtp', transport: 'starttls', port: 25, service: 'smtp', cert: 'expired' },
  { name: 'smtp-selfsigned', protocol: 'smtp', transport: 'starttls', port: 25, service: 'smtp', cert: 'selfsigned' },
  { name: 'smtp-wronghost', protocol: 'smtp', transport: 'starttls', port: 25, service: 'smtp', cert: 'wronghost' },
  { name: 'smtp-weakkey', protocol: 'smtp', transport: 'starttls', port: 25, service: 'smtp', cert: 'weakkey', profile: 'weak-cert' },
  { name: 'smtp-sha1', protocol: 'smtp', transport: 'starttls', port: 25, service: 'smtp', cert: 'sha1', profile: 'weak-cert' },
  { name: 'submission', protocol: 'smtp', transport: 'starttls', port: 587, service: 'submission', cert: 'good' },
  { name: 'submissions', protocol: 'smtp', transport: 'implicit', port: 465, service: 'submissions', cert: 'ec' },
  { name: 'imap', protocol: 'imap', transport: 'starttls', port: 143, service: 'imap', cert: 'good' },
  { name: 'imaps-legacy', protocol: 'imap', transport: 'implicit', port: 993, service: 'imaps', cert: 'good', profile: 'legacy', dh: true },
  { name: 'pop3', protocol: 'pop3', transport: 'starttls', port: 110, service: 'pop3', cert: 'good' },
  { name: 'pop3s', protocol: 'pop3', transport: 'implicit', port: 995, service: 'pop3s', cert: 'good' },
  { name: 'smtp-plaintext', protocol: 'smtp', transport: 'none', port: 25, service: 'smtp', cert: 'good' },
];
const host = (s: Scenario) => `${s.name}.probe.example.test`;
const GNUTLS = { ip: IP(60), port: 4433 };

function obsOf(name: string): Observation {
  const r = results.get(name);
  if (!r) throw new Error(`no result for ${name}`);
  return r.observation;
}

function statusOf(name: string, checkId: string): string[] {
  return runChecks(obsOf(name), { reportDate: new Date().toISOString().slice(0, 10) }).filter((f) => f.checkId === checkId).map((f) => f.status);
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-probe-'));
  const pki = await makeLabPki(path.join(work, 'pki'));
  const dh = await pki.dhParams(1024);
  for (const s of SCENARIOS) {
    const c = await pki.issue({ kind: s.cert, hostname: host(s), name: s.name });
    certs.set(s.cert, c);
    const srv: LabServer = await startLabServer({
      protocol: s.protocol, transport: s.transport, ip: IP(SCENARIOS.indexOf(s) + 10), port: s.port, host: host(s),
      certs: [c], profile: s.profile ?? 'modern', ...(s.dh ? { dhParamFile: dh } : {}),
    });
    stops.push(() => srv.stop());
  }
  const gcert = await pki.issue({ kind: 'good', hostname: 'gnutls.probe.example.test' });
  const gnutls: GnutlsServer = await startGnutlsServer({ ip: '127.0.0.1', port: GNUTLS.port, certFile: gcert.certFile, keyFile: gcert.keyFile });
  stops.push(() => gnutls.stop());
  const bridge: NetnsBridge = await startNetnsBridge({ netns: gnutls.netns!, innerPort: GNUTLS.port, ...GNUTLS });
  stops.unshift(() => bridge.stop());
  opts = {
    timeouts: { connectMs: 2000, readMs: 3000, handshakeMs: 3000 }, endpointMs: 60_000, retry: { attempts: 1, delaysMs: [100] },
    ehloName: 'scanner.probe.example.test', trust: createTrustStore({ caFiles: [pki.caCertFile], systemRoots: false }),
    limiter: new ConnectionLimiter(32, 2), now: () => new Date(), tool: 'tlsproof test', stats: { handshakes: 0 },
  };
  await Promise.all([
    ...SCENARIOS.map(async (s, i) => {
      results.set(s.name, await probeEndpoint({ host: host(s), ip: IP(i + 10), port: s.port, service: s.service, transport: s.transport === 'none' ? 'starttls' : s.transport }, opts));
    }),
    (async () => {
      results.set('gnutls', await probeEndpoint({ host: 'gnutls.probe.example.test', ip: GNUTLS.ip, port: GNUTLS.port, service: 'other', transport: 'implicit' }, opts));
    })(),
  ]);
}, 120_000);

afterAll(async () => {
  for (const stop of stops) await stop().catch(() => undefined);
  if (work) await rm(work, { recursive: true, force: true });
});

describe.skipIf(noLab)('modern SMTP STARTTLS server', () => {
  it('completes and records the plaintext dialogue', () => {
    expect(results.get('smtp-good')?.status).toBe('completed');
    const o = obsOf('smtp-good');
    expect(o.mail?.banner?.value).toBe('smtp-good.probe.example.test ESMTP tlsproof-lab');
    expect(o.mail?.capabilities?.value).toContain('STARTTLS');
    expect(o.mail?.authBeforeTls?.value).toEqual([]);
    expect(o.mail?.capabilitiesAfterTls?.value).toContain('AUTH PLAIN LOGIN');
    expect(o.startTlsOffered?.value).toBe(true);
    expect(o.startTlsOffered?.source.excerpt).toMatch(/C: STARTTLS\nS: 220 2.0.0 Ready to start TLS/);
    expect(o.transcript).toMatch(/^\* connected to 127\.0\.6\.10:25\nS: 220 /);
  });

  it('finds TLS 1.2 and 1.3 only, forward secrecy, no weak classes', () => {
    const o = obsOf('smtp-good');
    expect(Object.fromEntries(Object.entries(o.protocols).map(([k, f]) => [k, f?.value]))).toEqual({
      SSLv2: false, SSLv3: false, 'TLSv1.0': false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true,
    });
    expect(Object.values(o.cipherClasses).every((f) => f?.value === false)).toBe(true);
    expect(Object.keys(o.cipherClasses).sort()).toEqual(['3des', 'anon', 'cbc', 'des', 'export', 'null', 'rc4']);
    expect(o.forwardSecrecy?.value).toBe(true);
    expect(o.staticRsa?.value).toBe(false);
    expect(o.dheOffered?.value).toBe(false);
    expect(o.preferredCipher?.value).toMatch(/^TLS_AES_/);
    expect(o.preferredCipherByProtocol?.['TLSv1.2']?.value).toMatch(/^TLS_ECDHE_RSA_WITH_AES_\d+_GCM/);
  });

  it('reads the certificate chain with the X.509 library and trusts the lab CA given as --ca-file', () => {
    const cert = obsOf('smtp-good').certificates[0]!;
    expect(cert.keyAlgorithm?.value).toBe('RSA');
    expect(cert.keyBits?.value).toBe(2048);
    expect(cert.signatureAlgorithm?.value).toBe('SHA256 with RSA');
    expect(cert.chainTrust?.value).toMatchObject({ trusted: true, selfSigned: false });
    expect(cert.hostnameMatch?.value).toBe(true);
    expect(cert.ocspStapling?.value).toBe(false);
    expect(Date.parse(cert.notAfter?.value ?? '')).toBeGreaterThan(Date.now() + 300 * 86_400_000);
    const chain = cert.chain?.value ?? [];
    expect(chain.map((c) => c.position)).toEqual([0, 1]);
    expect(chain[1]).toMatchObject({ subject: 'O=tlsproof lab, CN=tlsproof Lab Root CA', keyAlgorithm: 'RSA', keyBits: 2048, selfSigned: true });
  });

  it('cites probe records as evidence for every fact', () => {
    const o = obsOf('smtp-good');
    for (const s of o.sources) {
      expect(s.kind).toBe('probe');
      expect(s.file).toBe('probe://smtp-good.probe.example.test:25');
    }
    expect(o.protocols['TLSv1.2']?.source.excerpt).toMatch(/^ClientHello TLSv1\.2 offering \d+ suites → ServerHello TLSv1\.2 TLS_ECDHE/);
    expect(o.protocols['TLSv1.0']?.source.excerpt).toMatch(/^ClientHello TLSv1\.0 .*→ (fatal alert protocol_version|connection-reset)/);
    const findings = runChecks(o, { reportDate: '2026-01-01' });
    const verdicts = findings.filter((x) => (x.status === 'pass' || x.status === 'fail') && x.checkId !== 'scan-incomplete');
    expect(verdicts.length).toBeGreaterThan(20);
    for (const f of verdicts) expect(f.evidence[0]?.source.kind, f.checkId).toBe('probe');
  });
});

describe.skipIf(noLab)('certificate defects', () => {
  it.each([
    ['smtp-expired', 'cert-expired', 'fail'],
    // Trust is judged apart from the dates: the expired leaf chains to the lab CA, and the expiry
    // is cert-expired's alone (one fact, one failing check).
    ['smtp-expired', 'cert-untrusted', 'pass'],
    ['smtp-selfsigned', 'cert-self-signed', 'fail'],
    ['smtp-selfsigned', 'cert-untrusted', 'fail'],
    ['smtp-wronghost', 'cert-hostname-mismatch', 'fail'],
    ['smtp-wronghost', 'cert-untrusted', 'pass'],
    ['smtp-weakkey', 'cert-weak-key', 'fail'],
    ['smtp-sha1', 'cert-weak-signature', 'fail'],
    ['smtp-good', 'cert-weak-key', 'pass'],
    ['smtp-good', 'cert-hostname-mismatch', 'pass'],
  ])('%s: %s is %s', (name, check, status) => {
    expect(statusOf(name, check)).toEqual([status]);
  });

  it('names the verification error', () => {
    expect(obsOf('smtp-expired').certificates[0]?.chainTrust?.value).toMatchObject({
      trusted: true,
      detail: 'passed apart from the certificate\'s dates: chains to a trusted root (OpenSSL: certificate has expired, judged by the date checks)',
    });
    expect(obsOf('smtp-selfsigned').certificates[0]?.chainTrust?.value).toMatchObject({ trusted: false, selfSigned: true });
    expect(obsOf('smtp-weakkey').certificates[0]?.keyBits?.value).toBe(1024);
    expect(obsOf('smtp-sha1').certificates[0]?.signatureAlgorithm?.value).toBe('SHA1 with RSA');
    expect(obsOf('submissions').certificates[0]).toMatchObject({ keyAlgorithm: { value: 'EC' }, keyBits: { value: 256 }, signatureAlgorithm: { value: 'SHA256 with RSA' } });
  });
});

describe.skipIf(noLab)('mail dialogue facts', () => {
  it('submission: MAIL accepted before STARTTLS is recorded (the lab server does not enforce TLS)', () => {
    const o = obsOf('submission');
    expect(o.mail?.mailAcceptedBeforeTls?.value).toBe(true);
    expect(o.mail?.mailAcceptedBeforeTls?.source.excerpt).toMatch(/C: MAIL FROM:<tlsproof-probe@scanner\.probe\.example\.test>\nS: 250 2\.1\.0 Ok\nC: RSET/);
    expect(statusOf('submission', 'submission-tls-not-enforced')).toEqual(['fail']);
  });

  it('IMAP: CAPABILITY, STARTTLS and LOGINDISABLED', () => {
    const o = obsOf('imap');
    expect(o.mail?.capabilities?.value).toEqual(expect.arrayContaining(['IMAP4REV1', 'STARTTLS', 'LOGINDISABLED']));
    expect(o.mail?.loginDisabled?.value).toBe(true);
    expect(o.mail?.authBeforeTls?.value).toEqual([]);
    expect(o.mail?.capabilitiesAfterTls?.value).toContain('AUTH=PLAIN');
    expect(statusOf('imap', 'auth-before-starttls')).toEqual(['pass']);
  });

  it('POP3: CAPA and STLS', () => {
    const o = obsOf('pop3');
    expect(o.mail?.capabilities?.value).toContain('STLS');
    expect(o.startTlsOffered?.value).toBe(true);
    expect(o.protocols['TLSv1.3']?.value).toBe(true);
  });

  it('implicit TLS: the greeting is read over TLS', () => {
    expect(obsOf('pop3s').mail?.banner?.value).toMatch(/^\+OK pop3s\.probe/);
    expect(obsOf('submissions').mail?.banner?.value).toMatch(/ESMTP/);
    expect(obsOf('pop3s').tlsAvailable?.value).toBe(true);
  });

  it('a server without STARTTLS: startTlsOffered false, tls-not-offered fails, nothing else is guessed', () => {
    const o = obsOf('smtp-plaintext');
    expect(results.get('smtp-plaintext')?.status).toBe('completed');
    expect(o.startTlsOffered?.value).toBe(false);
    expect(o.protocols).toEqual({});
    expect(statusOf('smtp-plaintext', 'tls-not-offered')).toEqual(['fail']);
    expect(statusOf('smtp-plaintext', 'proto-tls12-missing')).toEqual(['not-tested']);
  });
});

describe.skipIf(noLab)('legacy server (TLS 1.0-1.3, CBC, static RSA, 1024-bit DH)', () => {
  it('finds every protocol, CBC, static RSA and the DH group size', () => {
    const o = obsOf('imaps-legacy');
    expect(o.protocols['TLSv1.0']?.value).toBe(true);
    expect(o.protocols['TLSv1.1']?.value).toBe(true);
    expect(o.protocols.SSLv3?.value).toBe(false);
    expect(o.cipherClasses.cbc?.value).toBe(true);
    expect(o.cipherClasses['3des']?.value).toBe(false);
    expect(o.staticRsa?.value).toBe(true);
    expect(o.dhBits?.value).toBe(1024);
    expect(o.cipherClassesByProtocol?.['TLSv1.0']?.cbc?.value).toBe(true);
    expect(o.preferredCipherByProtocol?.['TLSv1.0']?.value).toMatch(/_CBC_/);
    expect(statusOf('imaps-legacy', 'dh-weak')).toEqual(['fail']);
    expect(statusOf('imaps-legacy', 'proto-tls10')).toEqual(['fail']);
    expect(statusOf('imaps-legacy', 'cipher-static-rsa')).toEqual(['fail']);
  });
});

describe.skipIf(noLab)('GnuTLS server with 3DES and RC4 (hand-built ClientHellos)', () => {
  it('detects the classes Node cannot negotiate', () => {
    const o = obsOf('gnutls');
    expect(results.get('gnutls')?.status).toBe('completed');
    expect(o.cipherClasses['3des']?.value).toBe(true);
    expect(o.cipherClasses.rc4?.value).toBe(true);
    expect(o.cipherClasses['3des']?.source.excerpt).toMatch(/→ ServerHello TLSv1\.\d TLS_\w+_3DES_EDE_CBC_SHA/);
    expect(o.protocols['TLSv1.0']?.value).toBe(true);
    expect(statusOf('gnutls', 'cipher-rc4')).toEqual(['fail']);
    expect(statusOf('gnutls', 'cipher-64bit-block')).toEqual(['fail']);
  });
});

describe.skipIf(noLab)('politeness', () => {
  it('never opened more than 2 connections to one address', () => {
    expect(opts.limiter.peakPerIp).toBeLessThanOrEqual(2);
    expect(opts.limiter.opened).toBeGreaterThan(SCENARIOS.length * 5);
  });
});
