/**
 * DANE with DNSSEC: a signed zone served by NSD, validated by Unbound (AD bit), TLSA records that
 * match one MX and not the other. DANE counts only when the resolver says the answer is
 * authenticated; the same records from a non-validating server (dnsmasq, scan.test.ts) do not.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/index.js';
import { Resolver } from '../../src/scan/dns.js';
import { scanDomains, type ScanResult } from '../../src/scan/index.js';
import { makeLabPki } from '../lab/certs.js';
import { startLabServer, type LabServer } from '../lab/servers.js';
import { startDnssecLab, type DnssecLab } from '../lab/mail/dnssec.js';
import { lacks } from '../support/tools.js';

const IPS = { nsd: '127.0.9.1', unbound: '127.0.9.2' };
let work = '';
let lab: DnssecLab | undefined;
const servers: LabServer[] = [];
let result: ScanResult;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-dnssec-'));
  const pki = await makeLabPki(path.join(work, 'pki'));
  const mx1 = await pki.issue({ kind: 'good', hostname: 'mx1.signed.test' });
  const mx2 = await pki.issue({ kind: 'good', hostname: 'mx2.signed.test' });
  const spki = (f: string) => createHash('sha256').update(new X509Certificate(readFileSync(f)).publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
  const caSpki = spki(pki.caCertFile);
  servers.push(await startLabServer({ protocol: 'smtp', transport: 'starttls', ip: '127.0.9.10', port: 25, host: 'mx1.signed.test', certs: [mx1] }));
  servers.push(await startLabServer({ protocol: 'smtp', transport: 'starttls', ip: '127.0.9.11', port: 25, host: 'mx2.signed.test', certs: [mx2] }));
  servers.push(await startLabServer({ protocol: 'smtp', transport: 'starttls', ip: '127.0.9.12', port: 25, host: 'mx3.signed.test', certs: [await pki.issue({ kind: 'good', hostname: 'mx3.signed.test' })] }));
  const dir = path.join(work, 'dns');
  await mkdir(dir);
  lab = await startDnssecLab(dir, {
    name: 'signed.test',
    records: [
      '@ IN MX 10 mx1', '@ IN MX 20 mx2', '@ IN MX 30 mx3',
      'mx1 IN A 127.0.9.10', 'mx2 IN A 127.0.9.11', 'mx3 IN A 127.0.9.12',
      `_25._tcp.mx1 IN TLSA 3 1 1 ${spki(mx1.certFile)}`,
      // mx2 publishes the key of mx1: a mismatch, which DANE senders treat as an attack.
      `_25._tcp.mx2 IN TLSA 3 1 1 ${spki(mx1.certFile)}`,
      // mx3: DANE-TA, the lab CA's public key.
      `_25._tcp.mx3 IN TLSA 2 1 1 ${caSpki}`,
    ],
  }, IPS);
  result = await scanDomains([{ domain: 'signed.test' }], {
    resolver: lab.resolver, caFiles: [pki.caCertFile], systemRoots: false, ipv6: false, ehloName: 'scanner.test',
    timeouts: { connectMs: 2000, readMs: 3000, handshakeMs: 3000, dnsMs: 3000, httpsMs: 2000 }, retry: { attempts: 1, delaysMs: [100] },
  });
}, 90_000);

afterAll(async () => {
  await Promise.allSettled(servers.map((s) => s.stop()));
  await lab?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

function dane(host: string) {
  const o = result.observations.find((x) => x.endpoint.host === host);
  if (!o) throw new Error(`no observation for ${host}`);
  return { o, d: o.dane?.value, findings: runChecks(o, { reportDate: '2026-10-01' }) };
}

describe.skipIf(lacks('openssl', 'nsd', 'unbound', 'ldns-signzone', 'root'))('DANE over a validating resolver', () => {
  it('the resolver sets the AD bit for the signed zone', async () => {
    const r = new Resolver({ server: { ip: IPS.unbound, port: 53 } });
    const mx = await r.mx('signed.test');
    expect(mx.authenticated).toBe(true);
    // Resolvers rotate RRsets; discovery sorts by preference, the raw answer need not be.
    expect(mx.records.map((m) => m.exchange).sort()).toEqual(['mx1.signed.test', 'mx2.signed.test', 'mx3.signed.test']);
  });

  it('DANE-EE 3 1 1 matching the leaf: authenticated match, dane checks pass', () => {
    const { d, findings } = dane('mx1.signed.test');
    expect(d).toMatchObject({ authenticated: true, matches: true, matched: '3 1 1' });
    expect(findings.find((f) => f.checkId === 'dane-missing')?.status).toBe('pass');
    expect(findings.find((f) => f.checkId === 'dane-mismatch')?.status).toBe('pass');
  });

  it('a TLSA record for another key: authenticated mismatch fails dane-mismatch', () => {
    const { d, findings } = dane('mx2.signed.test');
    expect(d).toMatchObject({ authenticated: true, matches: false });
    expect(findings.find((f) => f.checkId === 'dane-mismatch')).toMatchObject({ status: 'fail', severity: 'high' });
    expect(findings.find((f) => f.checkId === 'dane-mismatch')?.evidence[0]?.source.excerpt).toContain('IN TLSA 3 1 1');
  });

  it('DANE-TA 2 1 1 matching the issuing CA in the chain', () => {
    const { d } = dane('mx3.signed.test');
    expect(d).toMatchObject({ authenticated: true, matches: true, matched: '2 1 1' });
  });
});
