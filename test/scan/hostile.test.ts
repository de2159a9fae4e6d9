/**
 * Resilience: every hostile server ends as an error (or blocked) observation with a reason, within
 * the timeouts, and never as a pass or a fail; a scan that includes them still finishes the rest.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/index.js';
import type { Endpoint } from '../../src/model/endpoint.js';
import { ConnectionLimiter } from '../../src/scan/limiter.js';
import { probeEndpoint, type ProbeOptions } from '../../src/scan/probe.js';
import { scanDomains } from '../../src/scan/index.js';
import { createTrustStore } from '../../src/scan/tls-client.js';
import { makeLabPki } from '../lab/certs.js';
import { startLabServer, type LabServer } from '../lab/servers.js';
import { startHostileServer, type HostileKind, type HostileServer } from '../lab/mail/hostile.js';
import { lacks } from '../support/tools.js';

const IP = (n: number) => `127.0.5.${n}`;
const TIMEOUTS = { connectMs: 1000, readMs: 1500, handshakeMs: 1500 };
const servers: (LabServer | HostileServer)[] = [];
let work = '';
let opts: ProbeOptions;

const HOSTILE: { kind: HostileKind; port: number; ep: Pick<Endpoint, 'service' | 'transport'>; status: string; reason: string }[] = [
  { kind: 'silent', port: 25, ep: { service: 'smtp', transport: 'starttls' }, status: 'error', reason: 'read-timeout' },
  { kind: 'trickle', port: 25, ep: { service: 'smtp', transport: 'starttls' }, status: 'error', reason: 'read-timeout' },
  { kind: 'huge-banner', port: 25, ep: { service: 'smtp', transport: 'starttls' }, status: 'error', reason: 'line-too-long' },
  { kind: 'starttls-454', port: 25, ep: { service: 'smtp', transport: 'starttls' }, status: 'error', reason: 'starttls-rejected' },
  { kind: 'garbage-tls', port: 993, ep: { service: 'imaps', transport: 'implicit' }, status: 'error', reason: 'handshake-failed' },
  { kind: 'reset-handshake', port: 993, ep: { service: 'imaps', transport: 'implicit' }, status: 'error', reason: 'connection-reset' },
  { kind: 'silent', port: 995, ep: { service: 'pop3s', transport: 'implicit' }, status: 'error', reason: 'handshake-timeout' },
  { kind: 'banner-421', port: 25, ep: { service: 'smtp', transport: 'starttls' }, status: 'blocked', reason: 'rate-limited' },
  { kind: 'banner-554', port: 587, ep: { service: 'submission', transport: 'starttls' }, status: 'blocked', reason: 'blocked' },
];

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-hostile-'));
  const pki = await makeLabPki(path.join(work, 'pki'));
  const cert = await pki.issue({ kind: 'good', hostname: 'good.hostile.test' });
  let n = 10;
  for (const h of HOSTILE) servers.push(await startHostileServer({ kind: h.kind, ip: IP(n++), port: h.port }));
  const good = await startLabServer({ protocol: 'smtp', transport: 'starttls', ip: IP(40), port: 25, host: 'good.hostile.test', certs: [cert] });
  servers.push(good);
  servers.push(await startHostileServer({ kind: 'flaky-421', ip: IP(41), port: 25, failures: 1, upstream: { ip: IP(40), port: 25 } }));
  opts = {
    timeouts: TIMEOUTS, endpointMs: 20_000, retry: { attempts: 2, delaysMs: [100] }, ehloName: 'scanner.test',
    trust: createTrustStore({ caFiles: [pki.caCertFile] }), limiter: new ConnectionLimiter(32, 2), now: () => new Date(), tool: 'tlsproof test',
  };
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(servers.map((s) => s.stop()));
  if (work) await rm(work, { recursive: true, force: true });
});

describe.skipIf(lacks('openssl', 'root'))('hostile servers end as error observations with a reason', () => {
  it.each(HOSTILE.map((h, i) => [`${h.kind} on ${h.port}`, h, i] as const))('%s', async (_, h, i) => {
    const r = await probeEndpoint({ host: `${h.kind}.hostile.test`, ip: IP(10 + i), port: h.port, ...h.ep }, opts);
    expect(r.status).toBe(h.status);
    // The reason names the timer or rule that ended the attempt (read-timeout, handshake-timeout…):
    // the probe stopped by its own limits. No elapsed-time bound (a loaded CI machine stretches
    // it); a probe that hung fails by the test's timeout, twice what the timeouts and one retry allow.
    expect(r.reason).toBe(h.reason);
    const obs = r.observation;
    expect(obs.scan.state).toBe('failed');
    expect(obs.probeStatus?.value).toMatchObject({ status: h.status, reason: h.reason });
    expect(obs.scan.problems[0]?.value).toContain(h.reason);
    // No verdicts from an endpoint that could not be assessed: only scan-incomplete speaks.
    const findings = runChecks(obs, { reportDate: '2026-10-01' });
    expect(findings.filter((f) => f.status === 'pass' || f.status === 'fail' || f.status === 'warn')).toEqual([]);
    expect(findings.find((f) => f.checkId === 'scan-incomplete')?.status).toBe('error');
  }, 4 * (TIMEOUTS.connectMs + TIMEOUTS.readMs + TIMEOUTS.handshakeMs));

  it('retries a 421 and then completes the endpoint', async () => {
    const r = await probeEndpoint({ host: 'good.hostile.test', ip: IP(41), port: 25, service: 'smtp', transport: 'starttls' }, opts);
    expect(r.status).toBe('completed');
    expect(r.observation.protocols['TLSv1.2']?.value).toBe(true);
  });

  it('a scan including every hostile server still completes the good endpoint', async () => {
    const hosts = HOSTILE.map((h, i) => `${IP(10 + i)}:${h.port}`);
    const result = await scanDomains([{ domain: 'hostile.test', hosts: [...hosts, `${IP(40)}:25`] }], {
      resolver: '127.0.0.1:9', timeouts: { ...TIMEOUTS, dnsMs: 300 }, retry: { attempts: 2, delaysMs: [100] }, caFiles: [], systemRoots: false,
      ehloName: 'scanner.test', concurrency: 16,
    });
    const byIp = new Map(result.endpoints.map((e) => [e.observation.endpoint.ip, e]));
    // The good server is fully probed; only DANE is missing (no resolver answers in this test).
    const good = byIp.get(IP(40));
    expect(good?.status).toBe('partial');
    expect(good?.observation.scan.problems.map((p) => p.value)).toEqual([expect.stringMatching(/^DANE not tested/)]);
    expect(good?.observation.protocols['TLSv1.3']?.value).toBe(true);
    for (const [i, h] of HOSTILE.entries()) expect(byIp.get(IP(10 + i))?.status, h.kind).toBe(h.status);
    expect(result.counts.blocked).toBe(2);
  }, 30_000);
});
