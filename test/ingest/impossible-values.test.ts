/**
 * Values that cannot be true (impossible dates, ports outside 1–65535, host names with shell
 * metacharacters) are input problems at file:line naming the value, never silently dropped or
 * rolled over; and a file is recognised by what it says, not by how its bytes are spaced.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ingest } from '../../src/ingest/index.js';
import { parseScannerDate } from '../../src/ingest/tls-names.js';
import { parseQualysDate } from '../../src/ingest/qualys-csv.js';
import { emptyObservation } from '../../src/model/observation.js';

const OBSERVED = '2026-10-01T09:00:00Z';
let dir: string;

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'tlsproof-impossible-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function read(name: string, content: string) {
  await writeFile(join(dir, name), content);
  return ingest([name], { cwd: dir, observedAt: OBSERVED });
}

describe('recognising files by their content', () => {
  it('a tlsproof results file re-saved with spaces between JSON tokens is still tlsproof results', async () => {
    const header = '{ "type" : "header", "format" : "tlsproof-scan/v1", "tool" : "tlsproof 0.1.0", "startedAt" : "2026-10-01T09:00:00Z", "domains" : 0, "options" : { } }';
    const footer = '{ "type" : "footer", "finishedAt" : "2026-10-01T09:05:00Z", "interrupted" : false, "counts" : { } }';
    const out = await read('spaced.jsonl', `${header}\n${footer}\n`);
    expect(out.files[0]!.kind).toBe('tlsproof-jsonl');
    expect(out.problems).toEqual([]);
  });
});

describe('ports and host entries that cannot be', () => {
  it('testssl CSV: port 0, hex and junk ports are input problems naming the value', async () => {
    const rows = ['"id","fqdn/ip","port","severity","finding","cve","cwe"',
      '"TLS1_2","mx.example.test/192.0.2.1","0","OK","offered","",""',
      '"TLS1_2","mx.example.test/192.0.2.1","0x19","OK","offered","",""',
      '"TLS1_2","mx.example.test/192.0.2.1","25abc","OK","offered","",""',
      '"TLS1_2","mx.example.test/192.0.2.1","25","OK","offered","",""'];
    const out = await read('ports.csv', `${rows.join('\n')}\n`);
    expect(out.problems.map((p) => [p.line, p.code, p.message])).toEqual([
      [2, 'bad-port', 'port "0" is not a number from 1 to 65535'],
      [3, 'bad-port', 'port "0x19" is not a number from 1 to 65535'],
      [4, 'bad-port', 'port "25abc" is not a number from 1 to 65535'],
    ]);
    expect(out.observations.map((o) => o.endpoint.port)).toEqual([25]);
  });

  it('domain list: bad ports and shell metacharacters in the hosts column are problems at file:line:column', async () => {
    const rows = ['domain,owner,hosts',
      'a.example.test,ops,mx.a.example.test:99999',
      'b.example.test,ops,mx.b.example.test:-1 mx2.b.example.test:0',
      'c.example.test,ops,mx.c.example.test:25abc',
      'd.example.test,ops,$(touch /tmp/x)',
      'e.example.test,ops,mx.e.example.test:587 [2001:db8::1]:25 192.0.2.7'];
    const out = await read('domains.csv', `${rows.join('\n')}\n`);
    expect(out.domains.map((d) => d.domain)).toHaveLength(5);
    expect(out.problems.map((p) => [p.line, p.column, p.code, p.effect])).toEqual([
      [2, 3, 'bad-host-entry', 'value-ignored'],
      [3, 3, 'bad-host-entry', 'value-ignored'],
      [3, 3, 'bad-host-entry', 'value-ignored'],
      [4, 3, 'bad-host-entry', 'value-ignored'],
      [5, 3, 'bad-host-entry', 'value-ignored'],
      [5, 3, 'bad-host-entry', 'value-ignored'],
    ]);
    expect(out.problems[0]!.message).toBe('hosts entry "mx.a.example.test:99999" is left out: port "99999" is not a number from 1 to 65535 (write host or host:port, e.g. mx1.example.com:25)');
    expect(out.problems[3]!.message).toContain('port "25abc"');
    expect(out.problems[4]!.message).toContain('"$(touch" is not a host name');
  });
});

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('impossible dates are refused, never rolled over', () => {
  it('the shared scanner date parser (Nessus, Greenbone, nmap, SSLyze, Qualys) is strict', () => {
    for (const bad of ['0000-00-00', '2026-02-30', '2026-02-30T10:00:00Z', '2026-13-01 00:00:00 UTC', '2026-04-31T00:00:00',
      'Feb 30 11:09:29 2027 GMT', '2026-01-01T24:00:00Z', '2026-01-01T10:60:00Z', '0000-01-01T00:00:00Z']) {
      expect(parseScannerDate(bad), bad).toBeUndefined();
    }
    expect(parseQualysDate('02/30/2026 10:00')).toBeUndefined();
    expect(parseScannerDate('2028-02-29')).toBe('2028-02-29T00:00:00.000Z');
    expect(parseScannerDate('Jul 20 11:09:29 2017 GMT')).toBe('2017-07-20T11:09:29.000Z');
  });

  it('nmap: a certificate notAfter of 30 February is an input problem at its line', async () => {
    const xml = (await readFile(join(root, 'test/fixtures/ingest/nmap-xml/by-address.xml'), 'utf8'))
      .replace('<elem key="notAfter">2027-11-28T19:26:03</elem>', '<elem key="notAfter">2027-02-30T19:26:03</elem>');
    const out = await read('dates.xml', xml);
    const p = out.problems.filter((x) => x.code === 'unparseable-date');
    expect(p).toHaveLength(1);
    expect(p[0]!.message).toContain('"2027-02-30T19:26:03"');
    expect(out.observations.flatMap((o) => o.certificates.map((c) => c.notAfter?.value))).not.toContain('2027-03-02T19:26:03.000Z');
  });

  it('SSLyze: a certificate not_valid_after of 0000-00-00 is an input problem, not 1899', async () => {
    const json = (await readFile(join(root, 'test/fixtures/ingest/sslyze-json/v6-mixed-results.json'), 'utf8'))
      .replace('"not_valid_after": "2027-03-03T23:59:59Z"', '"not_valid_after": "0000-00-00T00:00:00Z"');
    const out = await read('dates.json', json);
    const p = out.problems.filter((x) => x.code === 'unparseable-date');
    expect(p).toHaveLength(1);
    expect(p[0]!.message).toContain('not_valid_after "0000-00-00T00:00:00Z"');
    expect(p[0]!.line).toBeGreaterThan(1);
  });

  it('tlsproof results: an impossible certificate date is ignored with a problem; an impossible observedAt or port 0 skips the record', async () => {
    const header = JSON.stringify({ type: 'header', format: 'tlsproof-scan/v1', tool: 'tlsproof 0.1.0', startedAt: OBSERVED, domains: 1, options: {} });
    const endpoint = (host: string, observedAt: string, notAfter: string) => {
      const obs = emptyObservation({ host, port: 25, service: 'smtp', transport: 'starttls' }, observedAt, 'input');
      const source = { kind: 'probe', file: 'scan', excerpt: 'x' };
      const withCert = { ...obs, certificates: [{ index: 0, notAfter: { value: notAfter, source } }] };
      return JSON.stringify({ type: 'endpoint', key: `${host}:25`, domains: ['example.test'], status: 'completed', detail: 'ok', elapsedMs: 1, observation: withCert });
    };
    const lines = [header, endpoint('a.example.test', OBSERVED, '2026-02-30T00:00:00Z'), endpoint('b.example.test', '0000-00-00T00:00:00Z', '2027-01-01T00:00:00Z'),
      endpoint('c.example.test', OBSERVED, '2027-01-01T00:00:00Z').replace('"port":25', '"port":0')];
    const out = await read('dates.jsonl', `${lines.join('\n')}\n`);
    expect(out.problems.map((p) => [p.line, p.code, p.effect])).toEqual([
      [2, 'unparseable-date', 'value-ignored'], [3, 'unparseable-date', 'row-skipped'], [4, 'bad-port', 'row-skipped']]);
    expect(out.problems[0]!.message).toContain('notAfter "2026-02-30T00:00:00Z"');
    expect(out.observations.map((o) => [o.endpoint.host, o.certificates[0]?.notAfter])).toEqual([['a.example.test', undefined]]);
  });
});
