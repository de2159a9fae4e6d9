/**
 * Scope attribution on a real multi-domain scan: dnsmasq on loopback serves four listed domains,
 * lab mail servers answer, and tlsproof scans the domain list itself (`report domains.csv`), then
 * reports again from the saved scan.jsonl. The shared MX belongs to both domains that name it
 * (its frameworks are the union of theirs and control results name both), the SRV target and the
 * hosts-column relay belong to their domains although their names are under no listed domain, and
 * the null-MX domain is reported as taking no mail, not as missing. Loopback range 127.0.101.x.
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

/** What the lab servers of this file need (ports below 1024 need root). */
const noLab = lacks('openssl', 'dnsmasq', 'root');

const IP = (n: number) => `127.0.101.${n}`;
const DNS = { ip: IP(53), port: 53 };
const stops: (() => Promise<void>)[] = [];
let work = '';
let scanned: ReportModel;
let ingested: ReportModel;

const SHARED = `mx.shared.test[${IP(10)}]:25`;
const SUB = `sub.clinic-mail.test[${IP(11)}]:587`;
const RELAY = `relay.corp-internal.test[${IP(12)}]:587`;
const OPS_MX = `mx.ops.test[${IP(13)}]:25`;

function request(inputs: string[], extra: Partial<ReportRequest>): ReportRequest {
  return {
    inputs, formats: [], outDir: work, strict: false, generatedAt: '2026-10-01T09:00:00.000Z', cwd: work, toolVersion: 'test',
    reportDate: '2026-10-01', ...extra,
  };
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-attribution-'));
  const pki = await makeLabPki(path.join(work, 'pki'));
  const servers = [
    // The shared MX serves an expired certificate, so controls of both domains' frameworks have a failure to name.
    { name: 'mx.shared.test', ip: IP(10), port: 25, kind: 'expired' },
    { name: 'sub.clinic-mail.test', ip: IP(11), port: 587, kind: 'good' },
    { name: 'relay.corp-internal.test', ip: IP(12), port: 587, kind: 'good' },
    { name: 'mx.ops.test', ip: IP(13), port: 25, kind: 'good' },
  ] as const;
  for (const s of servers) {
    const cert = await pki.issue({ kind: s.kind, hostname: s.name });
    const srv = await startLabServer({ protocol: 'smtp', transport: 'starttls', ip: s.ip, port: s.port, host: s.name, certs: [cert] });
    stops.push(() => srv.stop());
  }
  const dns = await startDnsmasq(DNS.ip, DNS.port, {
    zones: ['card.test', 'clinic.test', 'ops.test', 'parked.test', 'shared.test', 'clinic-mail.test', 'corp-internal.test'],
    hosts: [
      { name: 'mx.shared.test', ip: IP(10) }, { name: 'sub.clinic-mail.test', ip: IP(11) },
      { name: 'relay.corp-internal.test', ip: IP(12) }, { name: 'mx.ops.test', ip: IP(13) },
    ],
    mx: [
      { domain: 'card.test', target: 'mx.shared.test', preference: 10 },
      { domain: 'clinic.test', target: 'mx.shared.test', preference: 10 },
      { domain: 'ops.test', target: 'mx.ops.test', preference: 10 },
    ],
    srv: [{ name: '_submission._tcp.clinic.test', target: 'sub.clinic-mail.test', port: 587 }],
    txt: [],
    raw: [{ name: 'parked.test', type: 15, hex: '000000' }],
  });
  stops.push(() => dns.stop());
  await writeFile(path.join(work, 'domains.csv'), [
    'domain,data_classes,hosts',
    'card.test,PAN; PHI,',
    'clinic.test,PHI,',
    'ops.test,NPI,relay.corp-internal.test:587',
    'parked.test,PAN,',
  ].join('\n'));
  const scan = {
    resolver: `${DNS.ip}:${DNS.port}`, caFiles: [pki.caCertFile], systemRoots: false, ipv6: false, ehloName: 'scanner.test',
    outDir: path.join(work, 'scan'), timeouts: { connectMs: 5000, readMs: 15_000, handshakeMs: 15_000, dnsMs: 5000, httpsMs: 5000 },
    retry: { attempts: 1, delaysMs: [100] },
  };
  scanned = (await runReport(request(['domains.csv'], { scan }))).model;
  ingested = (await runReport(request([path.join('scan', 'scan.jsonl')], { domains: 'domains.csv', scan: false }))).model;
}, 180_000);

afterAll(async () => {
  for (const stop of stops) await stop().catch(() => undefined);
  if (work && !process.env['KEEP']) await rm(work, { recursive: true, force: true });
});

const endpoint = (m: ReportModel, key: string) => {
  const e = m.scope.endpoints.find((x) => x.key === key);
  if (!e) throw new Error(`no endpoint ${key} among ${m.scope.endpoints.map((x) => x.key).join(', ')}`);
  return e;
};
const rules = (m: ReportModel, key: string) => endpoint(m, key).attribution.map((a) => `${a.domain} ${a.rule} ${a.origin}`);

describe.skipIf(noLab).each([['a fresh scan of the domain list', () => scanned], ['its saved scan.jsonl, ingested', () => ingested]])('attribution from %s', (_, model) => {
  it('ties the shared MX to both domains that name it, by the scan\'s own record', () => {
    expect(rules(model(), SHARED)).toEqual(['card.test scan mx', 'clinic.test scan mx']);
    // Its frameworks are the union of both domains': PAN brings PCI DSS through card.test only.
    expect(endpoint(model(), SHARED).frameworks).toEqual(['hipaa', 'hitech', 'pci-dss']);
  });

  it('ties the SRV target and the hosts-column relay to their domains although no name suffix would', () => {
    expect(rules(model(), SUB)).toEqual(['clinic.test scan srv']);
    expect(rules(model(), RELAY)).toEqual(['ops.test scan hosts']);
    expect(rules(model(), OPS_MX)).toEqual(['ops.test scan mx']);
    expect(model().scope.unlistedEndpointKeys).toEqual([]);
  });

  it('names the domains behind each control result', () => {
    const control = (fw: string, id: string) => model().frameworks.find((f) => f.id === fw)!.controls.find((c) => c.id === id)!;
    // HIPAA transmission security: the expired certificate on the MX both domains use. HIPAA links it
    // partially (encryption is addressable), so it warns; PCI DSS 4.2.1 requires valid certificates and fails.
    expect(control('hipaa', '164.312(e)(1)')).toMatchObject({ status: 'warn', domains: ['card.test', 'clinic.test'] });
    const pci = control('pci-dss', '4.2.1');
    expect(pci.status).toBe('fail');
    expect(pci.domains).toEqual(['card.test']);
    const glba = model().frameworks.find((f) => f.id === 'glba')!;
    expect(glba.scope.endpointKeys).toEqual([OPS_MX, RELAY].sort());
    expect(model().findings.find((f) => f.checkId === 'cert-expired' && f.endpointKey === SHARED)?.controls.map((c) => c.frameworkId))
      .toEqual(expect.arrayContaining(['hipaa', 'pci-dss']));
    // Every control with tested evidence names its domains, passing ones included, and only domains its framework scopes.
    let passing = 0;
    for (const f of model().frameworks) {
      const inScope = f.scope.assets.map((a) => a.domain);
      for (const c of f.controls) {
        if (c.endpointsAssessed > 0) expect(c.domains.length, `${f.id} ${c.id}`).toBeGreaterThan(0);
        if (c.status === 'pass' && c.endpointsAssessed > 0) passing++;
        for (const d of c.domains) expect(inScope).toContain(d);
      }
    }
    expect(passing).toBeGreaterThan(0);
  });

  it('reports the null-MX domain as taking no mail, with no completeness warning', () => {
    const m = model();
    expect(m.scope.assets.find((a) => a.domain === 'parked.test')).toMatchObject({ mail: 'null-mx', endpointKeys: [] });
    expect(m.scope.domainsWithoutMail).toEqual(['parked.test']);
    expect(m.scope.assetsWithoutResults).toEqual([]);
    const pci = m.frameworks.find((f) => f.id === 'pci-dss')!;
    expect(pci.scope.reason).toContain('parked.test: data class PAN');
    expect(pci.scope.reason).toContain('(does not accept mail: null MX)');
    const complete = pci.controls.flatMap((c) => c.evidence).filter((e) => e.property === 'scope-complete');
    expect(complete.length).toBeGreaterThan(0);
    for (const e of complete) expect(e.detail).not.toContain('parked.test');
  });
});

it.skipIf(noLab)('attributes the same way from the saved results as from the scan itself', () => {
  const table = (m: ReportModel) => m.scope.endpoints.map((e) => [e.key, e.attribution, e.frameworks]);
  expect(table(ingested)).toEqual(table(scanned));
  expect(scanned.scope.endpoints).toHaveLength(4);
});
