/**
 * A real TLS 1.3-only mail server (Node, minVersion TLSv1.3) through the built-in scanner, the
 * checks and every shipped mapping: RFC 8446 and RFC 9325 allow a server without TLS 1.2, so no
 * control may fail or warn for "TLS 1.2 missing". Binds 127.0.102.x only.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/index.js';
import { evaluateControl } from '../../src/map/evaluate.js';
import { builtInMappingsDir, loadMappings } from '../../src/map/load.js';
import type { Finding } from '../../src/model/finding.js';
import type { Observation } from '../../src/model/observation.js';
import { scanDomains } from '../../src/scan/index.js';
import { makeLabPki } from '../lab/certs.js';
import { startDnsmasq } from '../lab/mail/dnsmasq.js';
import { startLabServer } from '../lab/servers.js';
import { lacks } from '../support/tools.js';

const IP = (n: number) => `127.0.102.${n}`;
const stops: (() => Promise<void>)[] = [];
let work = '';
let obs: Observation;
let findings: Finding[];

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-tls13-'));
  const pki = await makeLabPki(path.join(work, 'pki'));
  const cert = await pki.issue({ kind: 'good', hostname: 'mx.tls13.test' });
  const mx = await startLabServer({
    protocol: 'smtp', transport: 'starttls', ip: IP(10), port: 25, host: 'mx.tls13.test', certs: [cert],
    tlsOverrides: { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' },
  });
  stops.push(() => mx.stop());
  const dns = await startDnsmasq(IP(53), 53, {
    zones: ['tls13.test'], hosts: [{ name: 'mx.tls13.test', ip: IP(10) }],
    mx: [{ domain: 'tls13.test', target: 'mx.tls13.test', preference: 10 }],
  });
  stops.push(() => dns.stop());
  const result = await scanDomains([{ domain: 'tls13.test' }], {
    resolver: `${IP(53)}:53`, caFiles: [pki.caCertFile], systemRoots: false, ipv6: false, ehloName: 'scanner.test',
    timeouts: { connectMs: 2000, readMs: 3000, handshakeMs: 3000, dnsMs: 2000, httpsMs: 3000 }, retry: { attempts: 1, delaysMs: [100] },
    now: () => new Date(), tool: 'tlsproof test',
  });
  const record = result.endpoints.find((e) => e.observation.endpoint.host === 'mx.tls13.test' && e.observation.endpoint.port === 25);
  if (record === undefined) throw new Error('the scanner did not reach mx.tls13.test:25');
  obs = record.observation;
  findings = runChecks(obs, { reportDate: new Date().toISOString().slice(0, 10) });
}, 120_000);

afterAll(async () => {
  for (const stop of stops) await stop().catch(() => undefined);
  if (work) await rm(work, { recursive: true, force: true });
});

describe.skipIf(lacks('openssl', 'dnsmasq', 'root'))('a TLS 1.3-only MX', () => {
  it('is seen by the scanner as offering TLS 1.3 and not TLS 1.2', () => {
    expect(obs.protocols['TLSv1.3']?.value).toBe(true);
    expect(obs.protocols['TLSv1.2']?.value).toBe(false);
  });

  it('passes proto-tls12-missing, with the informational note', () => {
    const f = findings.find((x) => x.checkId === 'proto-tls12-missing')!;
    expect(f).toMatchObject({ status: 'pass', messageId: 'tls13-only', severity: 'info' });
    expect(f.message).toContain('RFC 8446, RFC 9325');
  });

  it('fails and warns no control of any shipped framework for TLS 1.2 missing', () => {
    const { frameworks, grading } = loadMappings({ builtInDir: builtInMappingsDir() });
    const byCheck = new Map<string, Finding[]>();
    for (const f of findings) byCheck.set(f.checkId, [...(byCheck.get(f.checkId) ?? []), f]);
    const grades = new Map(grading.map((r) => [r.id, r]));
    const endpoints = [{ key: findings[0]!.endpointKey, service: obs.endpoint.service }];
    const linked = frameworks.flatMap((fw) => fw.controls.filter((c) => c.checks.some((l) => l.check === 'proto-tls12-missing')));
    // Guards against passing with nothing linked: the check is mapped, full and partial.
    expect(linked.length).toBeGreaterThan(5);
    for (const fw of frameworks) {
      for (const c of fw.controls) {
        const ev = evaluateControl(c, byCheck, { grading: grades, endpoints });
        expect(ev.findings.filter((f) => f.checkId === 'proto-tls12-missing'), `${fw.framework.id} ${c.id}`).toEqual([]);
      }
    }
  });
});
