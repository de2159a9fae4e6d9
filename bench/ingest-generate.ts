/**
 * Large inputs for the ingest benchmark, one per scanner format, made by repeating the records of
 * the committed fixtures for many generated hosts (addresses and names changed, everything else as
 * the scanner or the hand-written fixture has it). A "row" is the unit each format repeats most:
 * a CSV record (Nessus, Greenbone), a finding object (testssl JSON), a cipher suite entry (nmap
 * `<table>` under `ciphers`, SSLyze accepted/rejected suite).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

export const BENCH_FORMATS = ['nessus-csv', 'nessus-xml', 'greenbone-csv', 'greenbone-xml', 'qualys-csv', 'qualys-xml', 'nmap-xml', 'testssl-json', 'sslyze-json'] as const;
export type BenchFormat = (typeof BENCH_FORMATS)[number];

class Out {
  private readonly stream: WriteStream;
  private buf: string[] = [];
  private size = 0;
  constructor(path: string) {
    this.stream = createWriteStream(path);
  }
  async write(s: string): Promise<void> {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) await this.flush();
  }
  private async flush(): Promise<void> {
    if (this.buf.length === 0) return;
    const ok = this.stream.write(this.buf.join(''));
    this.buf = [];
    this.size = 0;
    if (!ok) await once(this.stream, 'drain');
  }
  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const ipFor = (h: number): string => `10.${(h >> 16) & 255}.${(h >> 8) & 255}.${(h & 255) || 1}`;

/** Informational plugins that fill most of a real Nessus export (one host, many ports), none TLS-related. */
const NESSUS_FILLER: readonly [string, string, string, string][] = [
  ['11219', 'Nessus SYN scanner', 'It is possible to determine which TCP ports are open.', 'Port {port}/tcp was found to be open'],
  ['22964', 'Service Detection', 'The remote service could be identified.', 'A web server is running on this port.'],
  ['10287', 'Traceroute Information', 'It was possible to obtain traceroute information.', 'For your information, here is the traceroute from 10.0.0.5 to {ip} : \n10.0.0.5\n10.0.0.1\n{ip}\n\nHop Count: 2'],
  ['25220', 'TCP/IP Timestamps Supported', 'The remote service implements TCP timestamps.', ''],
  ['45590', 'Common Platform Enumeration (CPE)', 'It was possible to enumerate CPE names that matched on the remote system.', '\nThe remote operating system matched the following CPE : \n\n  cpe:/o:debian:debian_linux:12 -> Debian Linux 12\n\nFollowing application CPE matched on the remote system :\n\n  cpe:/a:nginx:nginx:1.22.1 -> Nginx\n'],
  ['11936', 'OS Identification', 'It is possible to guess the remote operating system.', '\nRemote operating system : Linux Kernel 6.1 on Debian 12\nConfidence level : 95\nMethod : SSH\n'],
  ['54615', 'Device Type', 'It is possible to guess the remote device type.', 'Remote device type : general-purpose\nConfidence level : 95\n'],
  ['10114', 'ICMP Timestamp Request Remote Date Disclosure', 'It is possible to determine the exact time set on the remote host.', 'The difference between the local and remote clocks is -1 second.\n'],
  ['12053', 'Host Fully Qualified Domain Name (FQDN) Resolution', 'It was possible to resolve the name of the remote host.', '\n{ip} resolves as mx.example-health.test.\n'],
  ['10180', 'Ping the remote host', 'It was possible to identify the status of the remote host (alive or dead).', 'The remote host is up\nThe remote host replied to an ICMP echo packet'],
  ['10881', 'SSH Protocol Versions Supported', 'A SSH server is running on the remote host.', 'The remote SSH daemon supports the following versions of the\nSSH protocol :\n\n  - 1.99\n  - 2.0\n'],
  ['70657', 'SSH Algorithms and Languages Supported', 'An SSH server is listening on this port.', '\nNessus negotiated the following encryption algorithm with the server : aes256-ctr\n\nThe server supports the following options for kex_algorithms : \n\n  curve25519-sha256\n  ecdh-sha2-nistp256\n  diffie-hellman-group14-sha256\n'],
  ['10107', 'HTTP Server Type and Version', 'A web server is running on the remote host.', 'The remote web server type is :\n\nnginx/1.22.1'],
  ['24260', 'HyperText Transfer Protocol (HTTP) Information', 'Some information about the remote HTTP configuration can be extracted.', '\nResponse Code : HTTP/1.1 301 Moved Permanently\n\nProtocol version : HTTP/1.1\nSSL : no\nKeep-Alive : no\nHeaders :\n\n  Server: nginx/1.22.1\n  Location: https://{ip}/\n'],
  ['117886', 'OS Security Patch Assessment Not Available', 'OS Security Patch Assessment is not available.', '\nThe following issues were reported :\n\n  - Plugin      : no_local_checks_credentials.nasl\n    Plugin ID   : 110723\n    Message     : \nCredentials were not provided for detected SSH service.\n'],
];

/**
 * Nessus CSV (current header): per host, the fixtures' TLS rows (two mail ports), plus — in the
 * default "realistic" mix — four times as many rows of everyday informational plugins, as in a
 * real export where TLS findings are a minority. `hosts` caps distinct hosts (rows then repeat per
 * host, merged as CVE repeats), for the flat-memory run.
 */
async function nessus(root: string, out: Out, rows: number, hosts?: number, mix: 'realistic' | 'tls-only' = 'realistic'): Promise<number> {
  const files = ['legacy-header.csv', 'current-header-optional-columns.csv'];
  const template: string[][] = [];
  let header: string[] = [];
  for (const f of files) {
    const [h, ...body] = parse(await readFile(join(root, 'test/fixtures/ingest/nessus-csv', f)), { relax_column_count: true }) as string[][];
    if (header.length === 0) header = ['Plugin ID', 'CVE', 'CVSS v2.0 Base Score', ...h!.slice(3, 13)];
    for (const r of body) template.push(r.slice(0, 13));
  }
  if (mix === 'realistic') {
    const tls = template.length;
    for (let k = 0; k < tls * 4; k++) {
      const [id, name, synopsis, output] = NESSUS_FILLER[k % NESSUS_FILLER.length]!;
      const port = String([22, 80, 443, 0, 8080, 3306][k % 6]);
      template.push([id, '', '', 'None', '', 'tcp', port, name, synopsis, `${synopsis} This plugin gathers information only.`, 'n/a', '', output.replace(/\\n/g, '\n').replace('{port}', port)]);
    }
  }
  await out.write(`${header.map(q).join(',')}\n`);
  for (let i = 0; i < rows; i++) {
    const t = template[i % template.length]!;
    const hostIndex = Math.floor(i / template.length) % (hosts ?? Number.MAX_SAFE_INTEGER);
    const r = [...t];
    const ip = ipFor(hostIndex + 1);
    r[4] = ip;
    r[12] = r[12]!.replace(/\{ip\}/g, ip);
    await out.write(`${r.map(q).join(',')}\n`);
  }
  return rows;
}

const xmlEsc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A `.nessus` file: per host, the ReportItems of the two-relays fixture (TLS findings on two mail
 * ports and the 19506 scan information) and, in the realistic mix, four times as many everyday
 * informational items with their descriptions, as a real export has. A row is a ReportItem.
 * `hosts` caps distinct hosts (later ReportHosts repeat earlier ones), for the flat-memory run.
 */
async function nessusXml(root: string, out: Out, rows: number, hosts?: number): Promise<number> {
  const xml = await readFile(join(root, 'test/fixtures/ingest/nessus-xml/two-relays.nessus'), 'utf8');
  const first = xml.indexOf('<ReportHost ');
  const host = xml.slice(first, xml.indexOf('</ReportHost>', first) + '</ReportHost>'.length);
  const props = host.slice(0, host.indexOf('</HostProperties>') + '</HostProperties>'.length);
  const items = [...host.matchAll(/<ReportItem [\s\S]*?<\/ReportItem>/g)].map((m) => m[0]);
  const tls = items.length;
  for (let k = 0; k < tls * 4; k++) {
    const [id, name, synopsis, output] = NESSUS_FILLER[k % NESSUS_FILLER.length]!;
    const port = String([22, 80, 443, 0, 8080, 3306][k % 6]);
    items.push(`<ReportItem port="${port}" svc_name="general" protocol="tcp" severity="0" pluginID="${id}" pluginName="${xmlEsc(name)}" pluginFamily="General">\n` +
      `<description>${xmlEsc(synopsis)} This plugin gathers information only.</description>\n<plugin_name>${xmlEsc(name)}</plugin_name>\n<plugin_type>remote</plugin_type>\n` +
      `<risk_factor>None</risk_factor>\n<solution>n/a</solution>\n<synopsis>${xmlEsc(synopsis)}</synopsis>\n<plugin_output>${xmlEsc(output.replace(/\\n/g, '\n').replace('{port}', port))}</plugin_output>\n</ReportItem>\n`);
  }
  await out.write(xml.slice(0, first));
  let n = 0;
  for (let h = 0; n < rows; h++) {
    const ip = ipFor((h % (hosts ?? Number.MAX_SAFE_INTEGER)) + 1);
    await out.write(`${props.replace(/10\.20\.0\.25/g, ip)}\n`);
    for (const item of items) {
      if (n >= rows) break;
      await out.write(item.replace(/\{ip\}|10\.20\.0\.25/g, ip));
      n++;
    }
    await out.write('</ReportHost>\n');
  }
  await out.write('</Report>\n</NessusClientData_v2>\n');
  return n;
}

async function greenbone(root: string, out: Out, rows: number): Promise<number> {
  const [header, ...body] = parse(await readFile(join(root, 'test/fixtures/ingest/greenbone-csv/current-multiline-prefixed.csv')), { relax_column_count: true }) as string[][];
  await out.write(`${header!.join(',')}\n`);
  for (let i = 0; i < rows; i++) {
    const t = body[i % body.length]!;
    const h = Math.floor(i / body.length) + 1;
    const r = [...t];
    r[0] = ipFor(h);
    r[1] = `mx${h}.bench.example.test`;
    await out.write(`${r.map((f, c) => (c < 7 && !/[",\n]/.test(f) ? f : q(f))).join(',')}\n`);
  }
  return rows;
}

/** A Greenbone XML report: the results of the gmp22 fixture, repeated per generated host; a row is a result. */
async function greenboneXml(root: string, out: Out, rows: number): Promise<number> {
  const xml = await readFile(join(root, 'test/fixtures/ingest/greenbone-xml/gmp22-mail-quarterly.xml'), 'utf8');
  const open = xml.indexOf('<results ');
  const bodyStart = xml.indexOf('>', open) + 1;
  const bodyEnd = xml.indexOf('</results>');
  const results = [...xml.slice(bodyStart, bodyEnd).matchAll(/<result id[\s\S]*?\n {6}<\/result>\n/g)].map((m) => m[0]);
  const hostBlock = /<host>\n {6}<ip>[\s\S]*?\n {4}<\/host>\n/.exec(xml)![0];
  const tail = xml.slice(xml.indexOf('    <scan_end>'));
  await out.write(xml.slice(0, bodyStart));
  let n = 0;
  let h = 0;
  for (; n < rows; h++) {
    const ip = ipFor(h + 1);
    for (const r of results) {
      if (n >= rows) break;
      await out.write(r.replace(/10\.20\.0\.25/g, ip).replace(/mail\.example-health\.test/g, `mx${h + 1}.bench.example.test`));
      n++;
    }
  }
  await out.write('    </results>\n');
  for (let i = 0; i < h; i++) await out.write(hostBlock.replace(/10\.20\.0\.25/g, ipFor(i + 1)).replace(/mail\.example-health\.test/g, `mx${i + 1}.bench.example.test`));
  await out.write(tail);
  return n;
}

/** Qualys scan report CSV: the fixture's rows repeated per generated host (a row is a detection). */
async function qualysCsv(root: string, out: Out, rows: number): Promise<number> {
  const [header, ...all] = parse(await readFile(join(root, 'test/fixtures/ingest/qualys-csv/mail-relays-scan-report.csv')), { relax_column_count: true }) as string[][];
  // The fixture's deliberate problems (a detection without a port, Potential ones) are left out.
  const body = all.filter((r) => r[12] !== '' || r[10] === 'Ig').filter((r) => r[10] !== 'Potential');
  await out.write(`${header!.map(q).join(',')}\n`);
  for (let i = 0; i < rows; i++) {
    const r = [...body[i % body.length]!];
    const h = Math.floor(i / body.length) + 1;
    r[0] = ipFor(h);
    r[2] = r[2] ? `mx${h}.bench.example.test` : '';
    await out.write(`${r.map(q).join(',')}\n`);
  }
  return rows;
}

/** Qualys ASSET_DATA_REPORT: the fixture's hosts repeated with new addresses (a row is a VULN_INFO). */
async function qualysXml(root: string, out: Out, rows: number): Promise<number> {
  const xml = await readFile(join(root, 'test/fixtures/ingest/qualys-xml/mail-relays-asset-data-report.xml'), 'utf8');
  const start = xml.indexOf('  <HOST_LIST>\n') + '  <HOST_LIST>\n'.length;
  const end = xml.indexOf('  </HOST_LIST>');
  // The fixture's deliberate problems (a detection without a port, Potential ones) are left out.
  const hosts = [...xml.slice(start, end).matchAll(/ {4}<HOST>[\s\S]*?<\/HOST>\n/g)]
    .map((m) => m[0].replace(/ {8}<VULN_INFO>\n(?:(?! {8}<\/VULN_INFO>)[\s\S])*?(?:without a port|<TYPE>Potential<)[\s\S]*?<\/VULN_INFO>\n/g, ''));
  const perHost = hosts.map((h) => (h.match(/<VULN_INFO>/g) ?? []).length);
  await out.write(xml.slice(0, start));
  let n = 0;
  for (let k = 0; n < rows; k++) {
    const i = k % hosts.length;
    await out.write(hosts[i]!.replace(/10\.40\.0\.1[01]/g, ipFor(k + 1)).replace(/mx[12]\.example-bank\.test/g, `mx${k + 1}.bench.example.test`));
    n += perHost[i]!;
  }
  await out.write(xml.slice(end));
  return n;
}

async function nmap(root: string, out: Out, rows: number): Promise<number> {
  const xml = await readFile(join(root, 'test/fixtures/ingest/nmap-xml/legacy-by-name.xml'), 'utf8');
  const ports = [...xml.matchAll(/<port protocol="tcp" portid="(?:25|993)">[\s\S]*?<\/port>/g)].map((m) => m[0]);
  const prologue = xml.slice(0, xml.indexOf('<host '));
  const perPort = ports.map((p) => (p.match(/<elem key="name">/g) ?? []).length);
  await out.write(prologue);
  let n = 0;
  for (let h = 1; n < rows; h++) {
    await out.write(`<host starttime="1795893969" endtime="1795893970"><status state="up" reason="user-set" reason_ttl="0"/>\n<address addr="${ipFor(h)}" addrtype="ipv4"/>\n<hostnames>\n<hostname name="mx${h}.bench.example.test" type="user"/>\n</hostnames>\n<ports>`);
    for (let i = 0; i < ports.length; i++) {
      await out.write(ports[i]!);
      n += perPort[i]!;
    }
    await out.write('\n</ports>\n<times srtt="51" rttvar="3765" to="100000"/>\n</host>\n');
  }
  await out.write('<runstats><finished time="1795893971" timestr="bench" summary="bench" elapsed="1.00" exit="success"/><hosts up="1" down="0" total="1"/>\n</runstats>\n</nmaprun>\n');
  return n;
}

async function testsslJson(root: string, out: Out, rows: number): Promise<number> {
  const findings = JSON.parse(await readFile(join(root, 'test/fixtures/ingest/testssl-json/imaps-legacy.flat.json'), 'utf8')) as Record<string, string>[];
  const fmt = (o: Record<string, string>): string => `{\n${Object.entries(o).map(([k, v]) => `              ${JSON.stringify(k).padEnd(15)}: ${JSON.stringify(v)}`).join(',\n')}\n          }`;
  await out.write('[\n');
  for (let i = 0; i < rows; i++) {
    const h = Math.floor(i / findings.length) + 1;
    const f = { ...findings[i % findings.length]!, ip: `mx${h}.bench.example.test/${ipFor(h)}` };
    await out.write(`${i === 0 ? '         ' : ',         '}${fmt(f)}\n`);
  }
  await out.write(']\n');
  return rows;
}

/** Cipher suite names for SSLyze's rejected lists (it tries ~150 per version). */
function suiteNames(): string[] {
  const kx = ['RSA', 'DHE_RSA', 'ECDHE_RSA', 'ECDHE_ECDSA', 'DH_anon', 'ECDH_anon', 'PSK', 'DHE_PSK', 'RSA_PSK', 'SRP_SHA', 'DH_RSA', 'DH_DSS', 'DHE_DSS'];
  const enc = ['AES_128_CBC_SHA', 'AES_256_CBC_SHA', 'AES_128_GCM_SHA256', 'CAMELLIA_128_CBC_SHA', 'SEED_CBC_SHA', 'ARIA_128_CBC_SHA256', '3DES_EDE_CBC_SHA', 'RC4_128_SHA', 'NULL_SHA', 'DES_CBC_SHA', 'AES_256_CCM', 'CHACHA20_POLY1305_SHA256'];
  return kx.flatMap((k) => enc.map((e) => `TLS_${k}_WITH_${e}`));
}

async function sslyze(root: string, out: Out, rows: number): Promise<number> {
  const doc = JSON.parse(await readFile(join(root, 'test/fixtures/ingest/sslyze-json/v6-mixed-results.json'), 'utf8')) as { server_scan_results: Record<string, unknown>[] };
  const template = doc.server_scan_results[0]!;
  const rejected = suiteNames().map((name) => ({ cipher_suite: { name, is_anonymous: name.includes('anon'), key_size: 128, openssl_name: name }, error_message: 'TLS alert: handshake failure' }));
  const scan = template['scan_result'] as Record<string, { result?: { accepted_cipher_suites: unknown[]; rejected_cipher_suites: unknown[] } | null }>;
  let perServer = 0;
  for (const [k, v] of Object.entries(scan)) {
    if (!k.endsWith('_cipher_suites') || !v.result) continue;
    v.result.rejected_cipher_suites = rejected;
    perServer += v.result.accepted_cipher_suites.length + rejected.length;
  }
  await out.write('{\n  "invalid_server_strings": [],\n  "server_scan_results": [\n');
  let n = 0;
  for (let h = 1; n < rows; h++) {
    const loc = template['server_location'] as Record<string, unknown>;
    const server = { ...template, uuid: `00000000-0000-4000-8000-${String(h).padStart(12, '0')}`, server_location: { ...loc, hostname: `imap${h}.bench.example.test`, ip_address: ipFor(h) } };
    await out.write(`${h === 1 ? '' : ',\n'}${JSON.stringify(server, null, 2).replace(/^/gm, '    ')}`);
    n += perServer;
  }
  await out.write('\n  ],\n  "date_scans_started": "2026-09-15T07:12:40.118204Z",\n  "date_scans_completed": "2026-09-15T09:13:02.905117Z",\n  "sslyze_version": "6.1.0",\n  "sslyze_url": "https://github.com/nabla-c0d3/sslyze"\n}\n');
  return n;
}

/** Writes a file of about `rows` rows of `format`; returns the rows written. */
export async function generateBenchInput(
  root: string, format: BenchFormat, path: string, rows: number, opts: { hosts?: number; nessusMix?: 'realistic' | 'tls-only' } = {},
): Promise<number> {
  const out = new Out(path);
  let n: number;
  switch (format) {
    case 'nessus-csv': n = await nessus(root, out, rows, opts.hosts, opts.nessusMix); break;
    case 'nessus-xml': n = await nessusXml(root, out, rows, opts.hosts); break;
    case 'greenbone-csv': n = await greenbone(root, out, rows); break;
    case 'greenbone-xml': n = await greenboneXml(root, out, rows); break;
    case 'qualys-csv': n = await qualysCsv(root, out, rows); break;
    case 'qualys-xml': n = await qualysXml(root, out, rows); break;
    case 'nmap-xml': n = await nmap(root, out, rows); break;
    case 'testssl-json': n = await testsslJson(root, out, rows); break;
    case 'sslyze-json': n = await sslyze(root, out, rows); break;
  }
  await out.close();
  return n;
}
