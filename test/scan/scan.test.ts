/**
 * scanDomains end to end on loopback: a real DNS server (dnsmasq) serving MX, SRV, TXT, A and TLSA,
 * a local HTTPS MTA-STS policy host, and Node lab mail servers. Covers discovery (MX by preference,
 * null MX, implicit MX, SRV, the hosts column), MTA-STS / TLS-RPT / DANE facts, results streamed to
 * disk, the CSV summary, the reader, and resume after an interruption or a kill -9.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { runChecks } from '../../src/checks/index.js';
import { readTlsproofResults, readTlsproofResultsDetailed } from '../../src/ingest/tlsproof-results.js';
import { scanDomains, type ScanOptions, type ScanResult } from '../../src/scan/index.js';
import { parse } from 'csv-parse/sync';
import { makeLabPki } from '../lab/certs.js';
import { startLabServer, type LabServer } from '../lab/servers.js';
import { startDnsmasq } from '../lab/mail/dnsmasq.js';
import { startMtaStsServer } from '../lab/mail/mta-sts-server.js';
import { lacks } from '../support/tools.js';

/** What the lab servers of this file need (ports below 1024 need root). */
const noLab = lacks('openssl', 'dnsmasq', 'root');

const IP = (n: number) => `127.0.7.${n}`;
const DNS = { ip: IP(53), port: 53 };
const stops: (() => Promise<void>)[] = [];
const lab = new Map<string, LabServer>();
let work = '';
let caFile = '';
let base: ScanOptions;
let first: ScanResult;
let outDir = '';

const DOMAINS = [
  { domain: 'alpha.test' },
  { domain: 'beta.test' },
  { domain: 'nullmx.test' },
  { domain: 'implicit.test' },
  { domain: 'hosts.test', hosts: ['relay.hosts.test:587', `${IP(17)}:995`, 'bad entry!'] },
  { domain: 'redirect.test' },
  { domain: 'huge.test' },
  { domain: 'badcert.test' },
  { domain: 'html.test' },
];

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-scan-'));
  const pki = await makeLabPki(path.join(work, 'pki'));
  caFile = pki.caCertFile;
  const servers = [
    { name: 'mx1.alpha.test', ip: IP(10), port: 25, protocol: 'smtp', transport: 'starttls' },
    { name: 'mx2.alpha.test', ip: IP(11), port: 25, protocol: 'smtp', transport: 'starttls' },
    { name: 'sub.alpha.test', ip: IP(12), port: 587, protocol: 'smtp', transport: 'starttls' },
    { name: 'imap.alpha.test', ip: IP(13), port: 993, protocol: 'imap', transport: 'implicit' },
    { name: 'implicit.test', ip: IP(14), port: 25, protocol: 'smtp', transport: 'starttls' },
    { name: 'relay.hosts.test', ip: IP(15), port: 587, protocol: 'smtp', transport: 'starttls' },
    { name: 'pop.hosts.test', ip: IP(17), port: 995, protocol: 'pop3', transport: 'implicit' },
  ] as const;
  let spki = '';
  for (const s of servers) {
    const c = await pki.issue({ kind: 'good', hostname: s.name });
    if (s.name === 'mx1.alpha.test') {
      spki = createHash('sha256').update(new X509Certificate(readFileSync(c.certFile)).publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
    }
    const srv = await startLabServer({ protocol: s.protocol, transport: s.transport, ip: s.ip, port: s.port, host: s.name, certs: [c] });
    lab.set(s.name, srv);
    stops.push(() => srv.stop());
  }
  const stsCert = await pki.issue({ kind: 'good', hostname: 'mta-sts.alpha.test' });
  const stsCerts = {
    'mta-sts.alpha.test': stsCert,
    'mta-sts.redirect.test': await pki.issue({ kind: 'good', hostname: 'mta-sts.redirect.test' }),
    'mta-sts.huge.test': await pki.issue({ kind: 'good', hostname: 'mta-sts.huge.test' }),
    'mta-sts.badcert.test': await pki.issue({ kind: 'selfsigned', hostname: 'mta-sts.badcert.test' }),
    'mta-sts.html.test': await pki.issue({ kind: 'good', hostname: 'mta-sts.html.test' }),
  };
  const sts = await startMtaStsServer(IP(20), 443, {
    'mta-sts.alpha.test': { kind: 'policy', mode: 'enforce', mx: ['mx1.alpha.test'] },
    'mta-sts.redirect.test': { kind: 'redirect', location: 'https://mta-sts.alpha.test/.well-known/mta-sts.txt' },
    'mta-sts.huge.test': { kind: 'huge' },
    'mta-sts.badcert.test': { kind: 'policy', mode: 'enforce', mx: ['mx.badcert.test'] },
    'mta-sts.html.test': { kind: 'raw', body: '<html>policy</html>', contentType: 'text/html' },
  }, stsCerts);
  stops.push(() => sts.stop());
  const dns = await startDnsmasq(DNS.ip, DNS.port, {
    zones: ['alpha.test', 'beta.test', 'nullmx.test', 'implicit.test', 'hosts.test', 'redirect.test', 'huge.test', 'badcert.test', 'html.test'],
    hosts: [
      { name: 'mx1.alpha.test', ip: IP(10) }, { name: 'mx2.alpha.test', ip: IP(11) }, { name: 'sub.alpha.test', ip: IP(12) },
      { name: 'imap.alpha.test', ip: IP(13) }, { name: 'implicit.test', ip: IP(14) }, { name: 'relay.hosts.test', ip: IP(15) },
      { name: 'mta-sts.alpha.test', ip: IP(20) }, { name: 'mta-sts.redirect.test', ip: IP(20) }, { name: 'mta-sts.huge.test', ip: IP(20) },
      { name: 'mta-sts.badcert.test', ip: IP(20) }, { name: 'mta-sts.html.test', ip: IP(20) },
    ],
    mx: [
      { domain: 'alpha.test', target: 'mx2.alpha.test', preference: 20 },
      { domain: 'alpha.test', target: 'mx1.alpha.test', preference: 10 },
      { domain: 'beta.test', target: 'mx1.alpha.test', preference: 5 },
    ],
    srv: [
      { name: '_submission._tcp.alpha.test', target: 'sub.alpha.test', port: 587 },
      { name: '_imaps._tcp.alpha.test', target: 'imap.alpha.test', port: 993 },
      { name: '_pop3s._tcp.alpha.test', target: '.', port: 0 },
    ],
    txt: [
      { name: '_mta-sts.alpha.test', text: 'v=STSv1; id=20260101T000000' },
      { name: '_smtp._tls.alpha.test', text: 'v=TLSRPTv1; rua=mailto:tls-reports@alpha.test' },
      { name: '_smtp._tls.beta.test', text: 'v=TLSRPTv1; rua=ftp://reports.beta.test' },
      { name: '_mta-sts.redirect.test', text: 'v=STSv1; id=1' },
      { name: '_mta-sts.huge.test', text: 'v=STSv1; id=1' },
      { name: '_mta-sts.badcert.test', text: 'v=STSv1; id=1' },
      { name: '_mta-sts.html.test', text: 'v=STSv1; id=1' },
    ],
    raw: [
      { name: 'nullmx.test', type: 15, hex: '000000' },
      { name: '_25._tcp.mx1.alpha.test', type: 52, hex: `030101${spki}` },
    ],
  });
  stops.push(() => dns.stop());
  outDir = path.join(work, 'results');
  base = {
    resolver: `${DNS.ip}:${DNS.port}`, caFiles: [caFile], systemRoots: false, ipv6: false, ehloName: 'scanner.test',
    timeouts: { connectMs: 2000, readMs: 3000, handshakeMs: 3000, dnsMs: 2000, httpsMs: 3000 }, retry: { attempts: 1, delaysMs: [100] },
    now: () => new Date(), tool: 'tlsproof test',
  };
  first = await scanDomains(DOMAINS, { ...base, outDir });
}, 120_000);

afterAll(async () => {
  for (const stop of stops) await stop().catch(() => undefined);
  if (work && !process.env['KEEP']) await rm(work, { recursive: true, force: true });
});

function plan(domain: string) {
  const d = first.domains.find((x) => x.domain === domain);
  if (!d) throw new Error(`no plan for ${domain}`);
  return d.plan;
}

function endpoint(host: string, port: number) {
  const e = first.endpoints.find((x) => x.observation.endpoint.host === host && x.observation.endpoint.port === port);
  if (!e) throw new Error(`no endpoint ${host}:${port}`);
  return e;
}

describe.skipIf(noLab)('discovery', () => {
  it('MX hosts by preference, each with its addresses', () => {
    expect(plan('alpha.test').mx.map((m) => [m.preference, m.exchange, m.ips])).toEqual([
      [10, 'mx1.alpha.test', [IP(10)]], [20, 'mx2.alpha.test', [IP(11)]],
    ]);
    expect(plan('alpha.test').evidence.join('\n')).toContain('alpha.test. IN MX 10 mx1.alpha.test.');
  });

  it('null MX (RFC 7505): the domain takes no mail and gets no endpoints', () => {
    expect(plan('nullmx.test')).toMatchObject({ nullMx: true, endpoints: [] });
    expect(plan('nullmx.test').mtaSts).toBeUndefined();
  });

  it('implicit MX: no MX record means the domain\'s own address', () => {
    expect(plan('implicit.test')).toMatchObject({ implicitMx: true });
    expect(plan('implicit.test').endpoints).toEqual([expect.objectContaining({ host: 'implicit.test', ip: IP(14), port: 25, origin: 'implicit-mx' })]);
  });

  it('SRV records for submission and access; a "." target means not offered', () => {
    const srv = plan('alpha.test').endpoints.filter((e) => e.origin === 'srv');
    expect(srv.map((e) => [e.host, e.port, e.service, e.transport])).toEqual([
      ['sub.alpha.test', 587, 'submission', 'starttls'], ['imap.alpha.test', 993, 'imaps', 'implicit'],
    ]);
    expect(plan('alpha.test').srv.find((s) => s.name.startsWith('_pop3s'))).toMatchObject({ target: '', port: 0 });
  });

  it('the hosts column adds host[:port] entries and reports bad ones', () => {
    const p = plan('hosts.test');
    expect(p.endpoints.map((e) => [e.host, e.ip, e.port, e.service])).toEqual([
      ['relay.hosts.test', IP(15), 587, 'submission'], [IP(17), IP(17), 995, 'pop3s'],
    ]);
    expect(p.problems).toContain('hosts entry "bad entry!" is not host[:port]');
  });

  it('probes an MX shared by two domains once, naming both', () => {
    const mx1 = first.endpoints.filter((e) => e.observation.endpoint.host === 'mx1.alpha.test');
    expect(mx1).toHaveLength(1);
    expect(mx1[0]?.domains).toEqual(['alpha.test', 'beta.test']);
  });
});

describe.skipIf(noLab)('domain policies and DANE', () => {
  it.each([
    ['redirect.test', 'fetch-failed', /HTTP 301 .*redirects are not followed/],
    ['huge.test', 'fetch-failed', /policy larger than 65536 bytes/],
    ['badcert.test', 'fetch-failed', /self.signed|certificate/i],
    ['html.test', 'invalid', /Content-Type is "text\/html"/],
  ])('MTA-STS policy fetch refuses %s (%s)', (domain, state, detail) => {
    expect(plan(domain).mtaSts).toMatchObject({ record: 'valid', policy: state });
    expect(plan(domain).mtaSts?.policyDetail).toMatch(detail);
  });

  it('MTA-STS: record, fetched policy, mode and MX match per MX', () => {
    const mx1 = endpoint('mx1.alpha.test', 25).observation;
    const alpha = mx1.domainPolicies?.find((p) => p.domain === 'alpha.test');
    expect(alpha?.mtaSts?.value).toMatchObject({ record: 'valid', id: '20260101T000000', policy: 'valid', mode: 'enforce', maxAge: 604800, mx: ['mx1.alpha.test'], mxMatch: true });
    expect(alpha?.mtaSts?.source.excerpt).toContain('mode: enforce');
    const mx2 = endpoint('mx2.alpha.test', 25).observation;
    expect(mx2.domainPolicies?.[0]?.mtaSts?.value.mxMatch).toBe(false);
    const findings = runChecks(mx2, { reportDate: '2026-10-01' });
    expect(findings.find((f) => f.checkId === 'mta-sts-mx-mismatch')).toMatchObject({ status: 'fail', severity: 'high' });
  });

  it('beta.test: no MTA-STS record and an invalid TLS-RPT record, on the shared MX', () => {
    const beta = endpoint('mx1.alpha.test', 25).observation.domainPolicies?.find((p) => p.domain === 'beta.test');
    expect(beta?.mtaSts?.value).toMatchObject({ record: 'missing', policy: 'not-fetched' });
    expect(beta?.tlsRpt?.value).toMatchObject({ record: 'invalid' });
    const findings = runChecks(endpoint('mx1.alpha.test', 25).observation, { reportDate: '2026-10-01' });
    expect(findings.filter((f) => f.checkId === 'mta-sts-missing').map((f) => [f.status, f.data['domain']])).toEqual([['pass', 'alpha.test'], ['fail', 'beta.test']]);
    expect(findings.filter((f) => f.checkId === 'tls-rpt-missing').map((f) => f.status)).toEqual(['pass', 'warn']);
  });

  it('DANE: the TLSA record matches the chain, but dnsmasq does not validate, so it does not count', () => {
    const dane = endpoint('mx1.alpha.test', 25).observation.dane?.value;
    expect(dane).toMatchObject({ authenticated: false, matches: true, matched: '3 1 1' });
    expect(endpoint('mx2.alpha.test', 25).observation.dane?.value.tlsa).toEqual([]);
    const findings = runChecks(endpoint('mx1.alpha.test', 25).observation, { reportDate: '2026-10-01' });
    expect(findings.find((f) => f.checkId === 'dane-missing')).toMatchObject({ status: 'warn', messageId: 'unauthenticated' });
    expect(findings.find((f) => f.checkId === 'dane-mismatch')?.status).toBe('not-tested');
  });
});

describe.skipIf(noLab)('results on disk', () => {
  it('writes one JSON line per record and reads them back as Observations', async () => {
    const lines = readFileSync(path.join(outDir, 'scan.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(lines[0]?.type).toBe('header');
    expect(lines.at(-1)?.type).toBe('footer');
    expect(lines.filter((l) => l.type === 'domain')).toHaveLength(DOMAINS.length);
    expect(lines.filter((l) => l.type === 'endpoint')).toHaveLength(first.endpoints.length);
    const back = await readTlsproofResults(outDir);
    expect(back).toEqual(JSON.parse(JSON.stringify(first.observations)));
    expect(first.endpoints.length).toBe(7);
    expect(first.counts.completed + first.counts.partial).toBe(7);
  });

  it('writes a CSV summary, one endpoint per line, through the shared cell rule', () => {
    const text = readFileSync(path.join(outDir, 'summary.csv'), 'utf8');
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(/^domains,host,ip,port,service,transport,status/);
    expect(lines).toHaveLength(8);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r['host'] === 'mx2.alpha.test')?.['mta_sts']).toBe('alpha.test:enforce (mx mismatch)');
    expect(rows).toHaveLength(7);
  });
});

describe.skipIf(noLab)('resume', () => {
  it('after an interruption (Ctrl-C): finishes the rest without redoing finished endpoints', async () => {
    const dir = path.join(work, 'interrupted');
    const controller = new AbortController();
    let seen = 0;
    const partial = await scanDomains(DOMAINS, {
      ...base, outDir: dir, concurrency: 1, signal: controller.signal,
      onEndpoint: () => { if (++seen === 3) controller.abort(); },
    });
    expect(partial.interrupted).toBe(true);
    const done = partial.endpoints.length;
    expect(done).toBeGreaterThanOrEqual(3);
    expect(done).toBeLessThan(7);
    const before = [...lab.values()].reduce((n, s) => n + s.stats.connections, 0);
    const resumed = await scanDomains(DOMAINS, { ...base, outDir: dir, resume: true });
    expect(resumed.counts.resumed).toBe(done);
    expect(resumed.endpoints).toHaveLength(7);
    const probedAgain = resumed.counts.completed + resumed.counts.partial + resumed.counts.error + resumed.counts.blocked;
    expect(probedAgain).toBe(7 - done);
    expect([...lab.values()].reduce((n, s) => n + s.stats.connections, 0)).toBeGreaterThan(before);
    const back = await readTlsproofResultsDetailed(dir);
    expect(back.observations).toHaveLength(7);
    expect(back.problems).toEqual([]);
    expect(new Set(back.observations.map((o) => `${o.endpoint.host}:${o.endpoint.port}`)).size).toBe(7);
  }, 60_000);

  it('after kill -9 (whole lines plus a torn last line): drops the torn line, keeps the rest', async () => {
    const dir = path.join(work, 'killed');
    await scanDomains(DOMAINS, { ...base, outDir: dir });
    const file = path.join(dir, 'scan.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    // What a kill -9 leaves: the header, the domains, two finished endpoints, half of a third.
    const keep = lines.filter((l) => !l.includes('"type":"endpoint"') && !l.includes('"type":"footer"'));
    const eps = lines.filter((l) => l.includes('"type":"endpoint"'));
    writeFileSync(file, `${[...keep, eps[0], eps[1]].join('\n')}\n${eps[2]!.slice(0, 200)}`);
    const torn = await readTlsproofResultsDetailed(dir);
    expect(torn.observations).toHaveLength(2);
    expect(torn.problems).toEqual([expect.objectContaining({ code: 'bad-result-line', message: expect.stringContaining('torn last line') })]);
    expect(torn.finished).toBe(false);
    const resumed = await scanDomains(DOMAINS, { ...base, outDir: dir, resume: true });
    expect(resumed.counts.resumed).toBe(2);
    expect(resumed.counts.completed + resumed.counts.partial).toBe(5);
    const back = await readTlsproofResultsDetailed(dir);
    expect(back.problems).toEqual([]);
    expect(back.observations).toHaveLength(7);
    const csv = readFileSync(path.join(dir, 'summary.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(8);
  }, 60_000);
});
