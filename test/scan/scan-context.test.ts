/**
 * The scan context of tlsproof's own scans, on a real scan: dnsmasq on loopback names one MX, a
 * lab mail server answers, and tlsproof scans the domain list itself (`report domains.csv`), then
 * reports again from the saved scan.jsonl. Both reports name tlsproof and its version as the tool,
 * with the scan's start and end, and say what tlsproof knows of where the scan ran from.
 * Loopback range 127.0.126.x.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReport, type ReportRequest } from '../../src/pipeline.js';
import type { ReportModel } from '../../src/model/report-model.js';
import { makeLabPki } from '../lab/certs.js';
import { startLabServer } from '../lab/servers.js';
import { startDnsmasq } from '../lab/mail/dnsmasq.js';
import { lacks } from '../support/tools.js';

const IP = (n: number) => `127.0.126.${n}`;
const DNS = { ip: IP(53), port: 53 };
const stops: (() => Promise<void>)[] = [];
let work = '';
let scanned: ReportModel;
let ingested: ReportModel;
let before = 0;
let after = 0;

function request(inputs: string[], extra: Partial<ReportRequest>): ReportRequest {
  return {
    inputs, formats: [], outDir: work, strict: false, generatedAt: '2026-10-01T09:00:00.000Z', cwd: work, toolVersion: '9.8.7',
    reportDate: '2026-10-01', ...extra,
  };
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-scan-context-'));
  const pki = await makeLabPki(path.join(work, 'pki'));
  const cert = await pki.issue({ kind: 'good', hostname: 'mx.vantage.test' });
  const srv = await startLabServer({ protocol: 'smtp', transport: 'starttls', ip: IP(10), port: 25, host: 'mx.vantage.test', certs: [cert] });
  stops.push(() => srv.stop());
  const dns = await startDnsmasq(DNS.ip, DNS.port, {
    zones: ['vantage.test'], hosts: [{ name: 'mx.vantage.test', ip: IP(10) }],
    mx: [{ domain: 'vantage.test', target: 'mx.vantage.test', preference: 10 }], srv: [], txt: [], raw: [],
  });
  stops.push(() => dns.stop());
  await writeFile(path.join(work, 'domains.csv'), 'domain,data_classes\nvantage.test,PHI\n');
  const scan = {
    resolver: `${DNS.ip}:${DNS.port}`, caFiles: [pki.caCertFile], systemRoots: false, ipv6: false, ehloName: 'scanner.test',
    outDir: path.join(work, 'scan'), timeouts: { connectMs: 5000, readMs: 15_000, handshakeMs: 15_000, dnsMs: 5000, httpsMs: 5000 },
    retry: { attempts: 1, delaysMs: [100] },
  };
  before = Date.now();
  scanned = (await runReport(request(['domains.csv'], { scan }))).model;
  after = Date.now();
  ingested = (await runReport(request([path.join('scan', 'scan.jsonl')], { domains: 'domains.csv', scan: false }))).model;
}, 180_000);

afterAll(async () => {
  for (const stop of stops) await stop().catch(() => undefined);
  if (work && !process.env['KEEP']) await rm(work, { recursive: true, force: true });
});

describe.skipIf(lacks('openssl', 'dnsmasq', 'root'))('scan context of tlsproof\'s own scan', () => {
  it('names tlsproof and its version, the scan\'s times and that it ran from this machine', () => {
    const c = scanned.scanContext;
    expect(c.sources).toHaveLength(1);
    const s = c.sources[0]!;
    expect(s).toMatchObject({ kind: 'tlsproof-scan', tool: 'tlsproof 9.8.7', version: '9.8.7', timesFrom: 'observations', note: null });
    expect(s.file).toMatch(/scan\.jsonl$/);
    for (const t of [s.startedAt, s.endedAt]) {
      expect(Date.parse(t ?? '')).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(t ?? '')).toBeLessThanOrEqual(after + 1000);
    }
    expect(c.vantage.known).toEqual(['tlsproof 9.8.7 scanned from the machine that generated this report, during this run.']);
    // Not a testssl.sh input, so no testssl time-zone caveat; the scan's own times are real scan times.
    expect(c.caveats).toEqual([]);
  });

  it('reads the same tool and the header and footer times back from the saved scan.jsonl', () => {
    const c = ingested.scanContext;
    const s = c.sources.find((x) => x.kind === 'tlsproof-jsonl');
    expect(s).toMatchObject({ tool: 'tlsproof 9.8.7', version: '9.8.7', timesFrom: 'export' });
    expect(Date.parse(s!.startedAt ?? '')).toBeLessThanOrEqual(Date.parse(scanned.scanContext.sources[0]!.startedAt ?? ''));
    expect(Date.parse(s!.endedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(scanned.scanContext.sources[0]!.endedAt ?? ''));
    expect(c.vantage.known.join(' ')).toContain('scanned by tlsproof from the machine that ran "tlsproof scan"');
  });
});
