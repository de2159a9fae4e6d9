/**
 * tlsproof's probe against real Postfix and Dovecot from Debian on loopback, each in a good and a
 * legacy configuration started and stopped by this file, then a cross-check: testssl.sh (`-p -S`)
 * scans the same endpoints in the same run, and the protocol versions and certificate verdicts
 * must agree.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/index.js';
import type { Endpoint } from '../../src/model/endpoint.js';
import type { Observation, Protocol } from '../../src/model/observation.js';
import { ConnectionLimiter } from '../../src/scan/limiter.js';
import { probeEndpoint, type ProbeOptions, type ProbeResult } from '../../src/scan/probe.js';
import { createTrustStore } from '../../src/scan/tls-client.js';
import { makeLabPki } from '../lab/certs.js';
import { readTestsslCsv, runTestssl, type StartTlsProtocol, type TestsslRow } from '../lab/testssl.js';
import { startDovecot, type DovecotInstance } from '../lab/mail/dovecot.js';
import { startPostfix, type PostfixInstance } from '../lab/mail/postfix.js';
import { lacks } from '../support/tools.js';

/** What the lab servers of this file need (ports below 1024 need root). */
const noLab = lacks('openssl', 'postfix', 'dovecot', 'script', 'root');

const PF_GOOD = { ip: '127.0.8.10', host: 'mail.good.pf.example.test' };
const PF_LEGACY = { ip: '127.0.8.11', host: 'mail.legacy.pf.example.test' };
const DV_GOOD = { ip: '127.0.8.20', host: 'imap.good.dv.example.test' };
const DV_LEGACY = { ip: '127.0.8.21', host: 'imap.legacy.dv.example.test' };

let work = '';
let caFile = '';
const instances: (PostfixInstance | DovecotInstance)[] = [];
const results = new Map<string, ProbeResult>();
let opts: ProbeOptions;

interface Target { key: string; host: string; ip: string; port: number; service: Endpoint['service']; transport: Endpoint['transport']; starttls?: StartTlsProtocol }
const TARGETS: Target[] = [
  { key: 'pf-good-25', ...PF_GOOD, port: 25, service: 'smtp', transport: 'starttls', starttls: 'smtp' },
  { key: 'pf-good-587', ...PF_GOOD, port: 587, service: 'submission', transport: 'starttls', starttls: 'smtp' },
  { key: 'pf-good-465', ...PF_GOOD, port: 465, service: 'submissions', transport: 'implicit' },
  { key: 'pf-legacy-25', ...PF_LEGACY, port: 25, service: 'smtp', transport: 'starttls', starttls: 'smtp' },
  { key: 'pf-legacy-587', ...PF_LEGACY, port: 587, service: 'submission', transport: 'starttls', starttls: 'smtp' },
  { key: 'dv-good-143', ...DV_GOOD, port: 143, service: 'imap', transport: 'starttls', starttls: 'imap' },
  { key: 'dv-good-993', ...DV_GOOD, port: 993, service: 'imaps', transport: 'implicit' },
  { key: 'dv-good-110', ...DV_GOOD, port: 110, service: 'pop3', transport: 'starttls', starttls: 'pop3' },
  { key: 'dv-good-995', ...DV_GOOD, port: 995, service: 'pop3s', transport: 'implicit' },
  { key: 'dv-legacy-143', ...DV_LEGACY, port: 143, service: 'imap', transport: 'starttls', starttls: 'imap' },
  { key: 'dv-legacy-993', ...DV_LEGACY, port: 993, service: 'imaps', transport: 'implicit' },
];
/** The endpoints testssl also scans (it takes 12-25 s each; they run in parallel). */
const CROSS_CHECK = ['pf-good-25', 'pf-legacy-25', 'dv-good-993', 'dv-legacy-143'];

function obs(key: string): Observation {
  const r = results.get(key);
  if (!r) throw new Error(`no result for ${key}`);
  return r.observation;
}

function offered(o: Observation): Record<string, boolean | undefined> {
  return Object.fromEntries((['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as Protocol[]).map((p) => [p, o.protocols[p]?.value]));
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-real-'));
  const pki = await makeLabPki(path.join(work, 'pki'));
  caFile = pki.caCertFile;
  const dh = await pki.dhParams(1024);
  const pfGood = await pki.issue({ kind: 'good', hostname: PF_GOOD.host });
  const pfLegacy = await pki.issue({ kind: 'expired', hostname: PF_LEGACY.host });
  const dvGood = await pki.issue({ kind: 'good', hostname: DV_GOOD.host });
  const dvLegacy = await pki.issue({ kind: 'wronghost', hostname: DV_LEGACY.host });
  instances.push(await startPostfix({ dir: path.join(work, 'pf-good'), ip: PF_GOOD.ip, certFile: pfGood.certFile, keyFile: pfGood.keyFile, hostname: PF_GOOD.host, profile: 'good', ports: [25, 587, 465] }));
  instances.push(await startPostfix({ dir: path.join(work, 'pf-legacy'), ip: PF_LEGACY.ip, certFile: pfLegacy.certFile, keyFile: pfLegacy.keyFile, hostname: PF_LEGACY.host, profile: 'legacy', ports: [25, 587], dhParamFile: dh }));
  instances.push(await startDovecot({ dir: path.join(work, 'dv-good'), ip: DV_GOOD.ip, certFile: dvGood.certFile, keyFile: dvGood.keyFile, profile: 'good' }));
  instances.push(await startDovecot({ dir: path.join(work, 'dv-legacy'), ip: DV_LEGACY.ip, certFile: dvLegacy.certFile, keyFile: dvLegacy.keyFile, profile: 'legacy', dhParamFile: dh }));
  opts = {
    timeouts: { connectMs: 3000, readMs: 5000, handshakeMs: 5000 }, endpointMs: 60_000, retry: { attempts: 2, delaysMs: [500] },
    ehloName: 'scanner.example.test', trust: createTrustStore({ caFiles: [caFile], systemRoots: false }),
    limiter: new ConnectionLimiter(16, 2), now: () => new Date(), tool: 'tlsproof test',
  };
  await Promise.all(TARGETS.map(async (t) => {
    results.set(t.key, await probeEndpoint({ host: t.host, ip: t.ip, port: t.port, service: t.service, transport: t.transport }, opts));
  }));
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(instances.map((i) => i.stop()));
  if (work) await rm(work, { recursive: true, force: true });
}, 60_000);

describe.skipIf(noLab)('real Postfix', () => {
  it('every endpoint is assessed completely', () => {
    for (const t of TARGETS) expect(results.get(t.key)?.status, `${t.key}: ${results.get(t.key)?.detail}`).toBe('completed');
  });

  it('good: TLS 1.2/1.3 only, trusted, submission enforces TLS, implicit TLS on 465', () => {
    const o = obs('pf-good-25');
    expect(o.mail?.banner?.value).toMatch(/^mail\.good\.pf\.example\.test ESMTP Postfix/);
    expect(offered(o)).toEqual({ SSLv2: false, SSLv3: false, 'TLSv1.0': false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true });
    expect(o.certificates[0]?.chainTrust?.value.trusted).toBe(true);
    expect(obs('pf-good-587').mail?.mailAcceptedBeforeTls?.value).toBe(false);
    expect(obs('pf-good-587').mail?.mailAcceptedBeforeTls?.source.excerpt).toMatch(/530 5\.7\.0 Must issue a STARTTLS command first/);
    expect(obs('pf-good-465').tlsAvailable?.value).toBe(true);
    expect(obs('pf-good-465').mail?.banner?.value).toMatch(/ESMTP Postfix/);
  });

  it('legacy: TLS 1.0/1.1, CBC, static RSA, 1024-bit DH, expired certificate, submission without TLS', () => {
    const o = obs('pf-legacy-25');
    expect(offered(o)).toMatchObject({ 'TLSv1.0': true, 'TLSv1.1': true, 'TLSv1.2': true, SSLv3: false });
    expect(o.cipherClasses.cbc?.value).toBe(true);
    expect(o.staticRsa?.value).toBe(true);
    expect(o.dhBits?.value).toBe(1024);
    // The expired leaf still chains to the lab CA: trust passes, the expiry fails cert-expired alone.
    expect(o.certificates[0]?.chainTrust?.value).toMatchObject({ trusted: true, detail: expect.stringContaining('expired') });
    expect(obs('pf-legacy-587').mail?.mailAcceptedBeforeTls?.value).toBe(true);
    const checks = runChecks(o, { reportDate: new Date().toISOString().slice(0, 10) });
    for (const id of ['proto-tls10', 'proto-tls11', 'cert-expired', 'dh-weak', 'cipher-static-rsa']) {
      expect(checks.find((f) => f.checkId === id)?.status, id).toBe('fail');
    }
  });
});

describe.skipIf(noLab)('real Dovecot', () => {
  it('good: STARTTLS with LOGINDISABLED, POP3 STLS, implicit TLS, TLS 1.2+', () => {
    expect(obs('dv-good-143').mail?.loginDisabled?.value).toBe(true);
    expect(obs('dv-good-143').mail?.authBeforeTls?.value).toEqual([]);
    expect(obs('dv-good-110').startTlsOffered?.value).toBe(true);
    expect(obs('dv-good-110').mail?.authBeforeTls?.value).toEqual([]);
    expect(offered(obs('dv-good-993'))).toEqual({ SSLv2: false, SSLv3: false, 'TLSv1.0': false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true });
    expect(obs('dv-good-995').mail?.banner?.value).toMatch(/^\+OK Dovecot/);
  });

  it('legacy: LOGIN before STARTTLS, TLS 1.0, wrong host name', () => {
    const o = obs('dv-legacy-143');
    expect(o.mail?.loginDisabled?.value).toBe(false);
    expect(o.mail?.authBeforeTls?.value).toContain('LOGIN');
    expect(offered(o)['TLSv1.0']).toBe(true);
    expect(o.certificates[0]?.hostnameMatch?.value).toBe(false);
    expect(o.certificates[0]?.chainTrust?.value.trusted).toBe(true);
    const checks = runChecks(o, { reportDate: new Date().toISOString().slice(0, 10) });
    expect(checks.find((f) => f.checkId === 'auth-before-starttls')?.status).toBe('fail');
    expect(checks.find((f) => f.checkId === 'cert-hostname-mismatch')?.status).toBe('fail');
  });
});

describe.skipIf(noLab || lacks('testssl'))('cross-check with testssl.sh on the same endpoints', () => {
  const rows = new Map<string, TestsslRow[]>();

  beforeAll(async () => {
    await Promise.all(CROSS_CHECK.map(async (key) => {
      const t = TARGETS.find((x) => x.key === key)!;
      const csvFile = path.join(work, `${key}.csv`);
      await runTestssl({ ip: t.ip, host: t.host, port: t.port, ...(t.starttls ? { starttls: t.starttls } : {}), csvFile, caFile, sections: ['-p', '-S'], timeoutMs: 150_000 });
      rows.set(key, await readTestsslCsv(csvFile));
    }));
  }, 170_000);

  const TESTSSL_IDS: Record<string, Protocol> = { SSLv2: 'SSLv2', SSLv3: 'SSLv3', TLS1: 'TLSv1.0', TLS1_1: 'TLSv1.1', TLS1_2: 'TLSv1.2', TLS1_3: 'TLSv1.3' };

  it.each(CROSS_CHECK)('%s: protocol versions agree', (key) => {
    const r = rows.get(key) ?? [];
    const theirs = Object.fromEntries(Object.entries(TESTSSL_IDS).map(([id, p]) => {
      const f = r.find((x) => x.id === id)?.finding.toLowerCase() ?? '';
      return [p, f.startsWith('offered') ? true : f.startsWith('not offered') ? false : undefined];
    }));
    expect(offered(obs(key))).toEqual(theirs);
  });

  it.each(CROSS_CHECK)('%s: certificate verdicts agree (chain of trust, host name)', (key) => {
    const r = rows.get(key) ?? [];
    const chain = r.find((x) => x.id === 'cert_chain_of_trust')?.finding ?? '';
    const name = r.find((x) => x.id === 'cert_trust')?.finding ?? '';
    const cert = obs(key).certificates[0];
    // Trust is judged apart from the leaf's dates (cert-expired owns expiry): testssl's "failed (expired)"
    // means the path to a trusted root holds, as the testssl reader reads it too.
    expect(cert?.chainTrust?.value.trusted).toBe(chain.startsWith('passed') || /^failed \(expired\)\.?\s*$/i.test(chain));
    expect(cert?.hostnameMatch?.value).toBe(/^ok via/i.test(name));
    const keySize = r.find((x) => x.id === 'cert_keySize')?.finding ?? '';
    expect(keySize).toBe(`${cert?.keyAlgorithm?.value} ${cert?.keyBits?.value} bits`);
  });
});
