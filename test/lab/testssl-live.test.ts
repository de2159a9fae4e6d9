/**
 * Live check that the lab still works on this machine: fresh certificates, one good SMTP STARTTLS
 * server and one legacy implicit-TLS IMAP server on loopback, each scanned by the real testssl.sh
 * with quick sections only (`-p -S`). Asserts on raw CSV rows, i.e. on testssl's own words.
 *
 * Needs root (ports 25 and 993) and testssl.sh; fails, rather than skips, without testssl so a
 * machine that lost it is noticed. Each scan takes 10-15 s on an idle machine; the generous
 * timeouts are for a loaded one (testssl's speed follows the CPU).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLabPki } from './certs.js';
import type { LabCert } from './certs.js';
import { startLabServer } from './servers.js';
import type { LabServer } from './servers.js';
import { readTestsslCsv, runTestssl } from './testssl.js';
import { lacks } from '../support/tools.js';
import type { TestsslRow } from './testssl.js';

/** Own /24 so the live test can run beside make-fixtures (127.0.77.x) on one machine. */
const GOOD = { host: 'mail.good.live.example.test', ip: '127.0.78.1', port: 25 };
const LEGACY = { host: 'imap.legacy.live.example.test', ip: '127.0.78.2', port: 993 };

let work = '';
let caFile = '';
let goodCert: LabCert | undefined;
const servers: LabServer[] = [];

function finding(rows: readonly TestsslRow[], id: string): string | undefined {
  return rows.find((r) => r.id === id)?.finding;
}

describe.skipIf(lacks('testssl', 'openssl', 'root'))('lab servers scanned by testssl.sh', () => {
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-live-'));
    const pki = await makeLabPki(path.join(work, 'pki'));
    caFile = pki.caCertFile;
    goodCert = await pki.issue({ kind: 'good', hostname: GOOD.host });
    const legacyCert = await pki.issue({ kind: 'good', hostname: LEGACY.host });
    servers.push(await startLabServer({
      protocol: 'smtp', transport: 'starttls', profile: 'modern', certs: [goodCert], ...GOOD,
    }));
    servers.push(await startLabServer({
      protocol: 'imap', transport: 'implicit', profile: 'legacy', certs: [legacyCert], ...LEGACY,
    }));
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(servers.map((s) => s.stop()));
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('good SMTP STARTTLS server: TLS 1.2/1.3 only, trusted certificate', async () => {
    const csvFile = path.join(work, 'good.csv');
    const run = await runTestssl({ ...GOOD, starttls: 'smtp', csvFile, caFile, sections: ['-p', '-S'], timeoutMs: 150_000 });
    expect(run.timedOut, run.output.slice(-2000)).toBe(false);
    const rows = await readTestsslCsv(csvFile);
    expect(finding(rows, 'service')).toBe('smtp');
    expect(rows[0]?.fqdnIp).toBe(`${GOOD.host}/${GOOD.ip}`);
    expect(finding(rows, 'SSLv2')).toBe('not offered');
    expect(finding(rows, 'SSLv3')).toBe('not offered');
    expect(finding(rows, 'TLS1')).toBe('not offered');
    expect(finding(rows, 'TLS1_1')).toBe('not offered');
    expect(finding(rows, 'TLS1_2')).toBe('offered');
    expect(finding(rows, 'TLS1_3')).toMatch(/^offered/);
    expect(finding(rows, 'cert_chain_of_trust')).toMatch(/^passed/);
    expect(finding(rows, 'cert_commonName')).toBe(GOOD.host);
    expect(finding(rows, 'cert_keySize')).toBe('RSA 2048 bits');
    // testssl prints notAfter as "YYYY-MM-DD HH:MM" in UTC.
    expect(finding(rows, 'cert_notAfter')).toBe(goodCert!.notAfter.slice(0, 16).replace('T', ' '));
  }, 170_000);

  it('legacy implicit-TLS IMAP server: TLS 1.0/1.1 offered, flagged by testssl', async () => {
    const csvFile = path.join(work, 'legacy.csv');
    const run = await runTestssl({ ...LEGACY, csvFile, caFile, sections: ['-p'], timeoutMs: 150_000 });
    expect(run.timedOut, run.output.slice(-2000)).toBe(false);
    const rows = await readTestsslCsv(csvFile);
    expect(finding(rows, 'service')).toMatch(/IMAP/);
    const tls1 = rows.find((r) => r.id === 'TLS1');
    expect(tls1?.finding).toMatch(/^offered/);
    expect(tls1?.severity).toBe('LOW');
    expect(finding(rows, 'TLS1_1')).toMatch(/^offered/);
    expect(finding(rows, 'TLS1_2')).toBe('offered');
    expect(finding(rows, 'SSLv3')).toBe('not offered');
  }, 170_000);
});
