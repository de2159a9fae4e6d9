/**
 * Pure parts of the scanner: cipher-suite classes, ClientHello bytes and reply parsing, MTA-STS
 * and TLS-RPT parsers, MX pattern matching, resolver and host-entry syntax, the connection
 * limiter, duration parsing, and the domain-list → target mapping.
 */
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli/commands/scan.js';
import { parseHostEntry, splitHosts } from '../../src/scan/discover.js';
import { parseResolver } from '../../src/scan/dns.js';
import { bitLength, buildClientHello, buildSsl2ClientHello, readHelloOutcome, readSsl2Outcome } from '../../src/scan/hello.js';
import { ConnectionLimiter, mapLimit } from '../../src/scan/limiter.js';
import { mxMatches, parseMtaStsPolicy, parseMtaStsTxt, parseTlsRptTxt } from '../../src/scan/policy.js';
import { formatProgress } from '../../src/scan/progress.js';
import { SUITES, suiteByCode, suitesFor } from '../../src/scan/suites.js';
import { domainTargetsFromEntries } from '../../src/scan/targets.js';

function reader(buf: Buffer): (n: number) => Promise<Buffer | undefined> {
  let at = 0;
  return async (n) => {
    if (at + n > buf.length) return undefined;
    const out = buf.subarray(at, at + n);
    at += n;
    return out;
  };
}

function record(type: number, body: Buffer, version = 0x0303): Buffer {
  const h = Buffer.alloc(5);
  h[0] = type;
  h.writeUInt16BE(version, 1);
  h.writeUInt16BE(body.length, 3);
  return Buffer.concat([h, body]);
}

function handshake(type: number, body: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h[0] = type;
  h.writeUIntBE(body.length, 1, 3);
  return Buffer.concat([h, body]);
}

function serverHello(version: number, suite: number, supportedVersion?: number): Buffer {
  const ext = supportedVersion === undefined ? Buffer.alloc(0) : Buffer.from([0x00, 0x2b, 0x00, 0x02, supportedVersion >> 8, supportedVersion & 0xff]);
  const body = Buffer.concat([
    Buffer.from([version >> 8, version & 0xff]), Buffer.alloc(32, 7), Buffer.from([0]),
    Buffer.from([suite >> 8, suite & 0xff, 0]), Buffer.from([ext.length >> 8, ext.length & 0xff]), ext,
  ]);
  return handshake(2, body);
}

describe('cipher suites', () => {
  it('classifies by name', () => {
    expect(suiteByCode(0x000a)).toMatchObject({ name: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', family: '3des', staticRsa: true, forwardSecret: false });
    expect(suiteByCode(0x0003)).toMatchObject({ family: 'export', staticRsa: true });
    expect(suiteByCode(0xc011)).toMatchObject({ family: 'rc4', forwardSecret: true });
    expect(suiteByCode(0x0034)).toMatchObject({ anon: true, dhe: true, forwardSecret: false, family: 'cbc' });
    expect(suiteByCode(0xc02f)).toMatchObject({ family: 'aead', tls12Only: true, forwardSecret: true });
    expect(suiteByCode(0x1301)).toMatchObject({ tls13: true, forwardSecret: true });
    expect(new Set(SUITES.map((s) => s.code)).size).toBe(SUITES.length);
  });

  it('offers TLS 1.2-only suites only in TLS 1.2 hellos, TLS 1.3 suites only in TLS 1.3', () => {
    expect(suitesFor('TLSv1.0').some((s) => s.tls12Only || s.tls13)).toBe(false);
    expect(suitesFor('TLSv1.3').every((s) => s.tls13)).toBe(true);
    expect(suitesFor('TLSv1.2').some((s) => s.code === 0xc02f)).toBe(true);
  });
});

describe('ClientHello and replies', () => {
  it('builds a TLS 1.2 ClientHello with SNI and the offered suites', () => {
    const hello = buildClientHello({ protocol: 'TLSv1.2', suites: [suiteByCode(0xc02f)!, suiteByCode(0x000a)!], serverName: 'mx.example.test' });
    expect(hello[0]).toBe(22);
    expect(hello.readUInt16BE(1)).toBe(0x0301);
    expect(hello.readUInt16BE(3)).toBe(hello.length - 5);
    expect(hello[5]).toBe(1);
    expect(hello.readUInt16BE(9)).toBe(0x0303);
    expect(hello.readUInt16BE(44)).toBe(4);
    expect(hello.readUInt16BE(46)).toBe(0xc02f);
    expect(hello.includes(Buffer.from('mx.example.test'))).toBe(true);
  });

  it('SSLv3 hellos carry no extensions; IP literals get no SNI', () => {
    const ssl3 = buildClientHello({ protocol: 'SSLv3', suites: [suiteByCode(0x000a)!], serverName: 'mx.example.test' });
    expect(ssl3.readUInt16BE(1)).toBe(0x0300);
    expect(ssl3.includes(Buffer.from('mx.example.test'))).toBe(false);
    const ip = buildClientHello({ protocol: 'TLSv1.2', suites: [suiteByCode(0xc02f)!], serverName: '192.0.2.1' });
    expect(ip.includes(Buffer.from('192.0.2.1'))).toBe(false);
  });

  it('reads a ServerHello, a TLS 1.3 supported_versions, an alert, garbage and a close', async () => {
    expect(await readHelloOutcome(reader(record(22, serverHello(0x0301, 0x000a))), false)).toMatchObject({ kind: 'server-hello', protocol: 'TLSv1.0', suiteName: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA' });
    expect(await readHelloOutcome(reader(record(22, serverHello(0x0303, 0x1302, 0x0304))), false)).toMatchObject({ protocol: 'TLSv1.3', suiteName: 'TLS_AES_256_GCM_SHA384' });
    expect(await readHelloOutcome(reader(record(21, Buffer.from([2, 70]))), false)).toMatchObject({ kind: 'alert', text: 'fatal alert protocol_version' });
    expect(await readHelloOutcome(reader(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')), false)).toMatchObject({ kind: 'garbage' });
    expect(await readHelloOutcome(reader(Buffer.alloc(0)), false)).toMatchObject({ kind: 'closed' });
  });

  it('reads the DH group size from a ServerKeyExchange, across records', async () => {
    const p = Buffer.concat([Buffer.from([0x00, 0x80]), Buffer.alloc(127, 0xff)]);
    const ske = handshake(12, Buffer.concat([Buffer.from([0, p.length]), p, Buffer.from([0, 1, 2, 0, 1, 5])]));
    const flight = Buffer.concat([serverHello(0x0303, 0x009e), handshake(11, Buffer.from([0, 0, 0])), ske, handshake(14, Buffer.alloc(0))]);
    const two = Buffer.concat([record(22, flight.subarray(0, 50)), record(22, flight.subarray(50))]);
    expect(await readHelloOutcome(reader(two), true)).toMatchObject({ kind: 'server-hello', suiteName: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', dhBits: 1024 });
    expect(bitLength(Buffer.from([0, 0, 1]))).toBe(1);
    expect(bitLength(Buffer.from([0x80, 0]))).toBe(16);
  });

  it('SSLv2: builds a CLIENT-HELLO and recognises a SERVER-HELLO', async () => {
    const hello = buildSsl2ClientHello();
    expect(hello[0]! & 0x80).toBe(0x80);
    expect(hello[2]).toBe(1);
    const sh = Buffer.from([0x80, 0x20, 4, 0, 1, 0x00, 0x02, 0, 0, 0, 3, ...Buffer.alloc(29)]);
    expect(await readSsl2Outcome(reader(sh))).toMatchObject({ kind: 'server-hello', protocol: 'SSLv2' });
    expect(await readSsl2Outcome(reader(record(21, Buffer.from([2, 40]))))).toMatchObject({ kind: 'alert' });
    expect(await readSsl2Outcome(reader(Buffer.from('220 smtp\r\n')))).toMatchObject({ kind: 'garbage' });
  });
});

describe('MTA-STS and TLS-RPT parsers', () => {
  it('TXT: exactly one v=STSv1 record with an id', () => {
    expect(parseMtaStsTxt(['v=STSv1; id=20260101T000000;'])).toMatchObject({ status: 'valid', value: { id: '20260101T000000' } });
    expect(parseMtaStsTxt(['v=spf1 -all'])).toMatchObject({ status: 'missing' });
    expect(parseMtaStsTxt(['v=STSv1; id=1', 'v=STSv1; id=2'])).toMatchObject({ status: 'multiple' });
    expect(parseMtaStsTxt(['v=STSv1;'])).toMatchObject({ status: 'invalid', problem: 'no id= field' });
    expect(parseMtaStsTxt(['v=STSv1; id=has-dash'])).toMatchObject({ status: 'invalid' });
  });

  it('policy: version, mode, max_age, mx lines; CRLF or LF', () => {
    expect(parseMtaStsPolicy('version: STSv1\r\nmode: enforce\r\nmx: mx1.example.test\r\nmx: *.example.test\r\nmax_age: 86400\r\n'))
      .toEqual({ ok: true, policy: { mode: 'enforce', maxAge: 86400, mx: ['mx1.example.test', '*.example.test'] } });
    expect(parseMtaStsPolicy('version: STSv1\nmode: none\nmax_age: 1\n')).toMatchObject({ ok: true });
    expect(parseMtaStsPolicy('version: STSv2\nmode: enforce\nmx: a\nmax_age: 1')).toMatchObject({ ok: false });
    expect(parseMtaStsPolicy('version: STSv1\nmode: strict\nmx: a\nmax_age: 1')).toMatchObject({ ok: false });
    expect(parseMtaStsPolicy('version: STSv1\nmode: enforce\nmax_age: 1')).toMatchObject({ ok: false, problem: 'mode enforce needs at least one mx: line' });
    expect(parseMtaStsPolicy('version: STSv1\nmode: enforce\nmx: a\nmax_age: 99999999')).toMatchObject({ ok: false });
    expect(parseMtaStsPolicy('<html>')).toMatchObject({ ok: false });
  });

  it('mx patterns: exact names and one-label wildcards', () => {
    expect(mxMatches('mx1.example.test', ['mx1.example.test'])).toBe(true);
    expect(mxMatches('MX1.Example.Test.', ['mx1.example.test'])).toBe(true);
    expect(mxMatches('mx1.example.test', ['*.example.test'])).toBe(true);
    expect(mxMatches('a.mx1.example.test', ['*.example.test'])).toBe(false);
    expect(mxMatches('example.test', ['*.example.test'])).toBe(false);
  });

  it('TLS-RPT: one v=TLSRPTv1 record with mailto:/https: rua', () => {
    expect(parseTlsRptTxt(['v=TLSRPTv1; rua=mailto:a@example.test,https://r.example.test/x'])).toMatchObject({ status: 'valid', value: { rua: ['mailto:a@example.test', 'https://r.example.test/x'] } });
    expect(parseTlsRptTxt(['v=TLSRPTv1;'])).toMatchObject({ status: 'invalid' });
    expect(parseTlsRptTxt(['v=TLSRPTv1; rua=http://x'])).toMatchObject({ status: 'invalid' });
    expect(parseTlsRptTxt([])).toMatchObject({ status: 'missing' });
    expect(parseTlsRptTxt(['v=TLSRPTv1; rua=mailto:a@b', 'v=TLSRPTv1; rua=mailto:c@d'])).toMatchObject({ status: 'multiple' });
  });
});

describe('syntax of options and inputs', () => {
  it('--resolver IP[:PORT]', () => {
    expect(parseResolver('127.0.0.53')).toEqual({ ip: '127.0.0.53', port: 53 });
    expect(parseResolver('127.0.0.1:5353')).toEqual({ ip: '127.0.0.1', port: 5353 });
    expect(parseResolver('[::1]:53')).toEqual({ ip: '::1', port: 53 });
    expect(() => parseResolver('dns.example.test')).toThrow(/not a resolver address/);
    expect(() => parseResolver('127.0.0.1:99999')).toThrow();
  });

  it('hosts entries host[:port]', () => {
    expect(parseHostEntry('relay.internal')).toEqual({ host: 'relay.internal', port: 25 });
    expect(parseHostEntry('Relay.Internal.:587')).toEqual({ host: 'relay.internal', port: 587 });
    expect(parseHostEntry('10.0.0.5:465')).toEqual({ host: '10.0.0.5', port: 465 });
    expect(parseHostEntry('[2001:db8::1]:993')).toEqual({ host: '2001:db8::1', port: 993 });
    expect(parseHostEntry('bad host')).toBeUndefined();
    expect(parseHostEntry('h:0')).toBeUndefined();
    expect(splitHosts('a:25, b;c | d  e')).toEqual(['a:25', 'b', 'c', 'd', 'e']);
  });

  it('the hosts column of a domain list, whatever its header spelling', () => {
    const entry = { domain: 'example.test', owner: '', businessUnit: '', dataClasses: [], frameworks: [], notes: '', file: 'd.csv', line: 2 };
    expect(domainTargetsFromEntries([{ ...entry, extra: { Hosts: 'relay.example.test:587 10.0.0.5' } }, { ...entry, domain: 'b.test', extra: {} }]))
      .toEqual([{ domain: 'example.test', hosts: ['relay.example.test:587', '10.0.0.5'] }, { domain: 'b.test' }]);
  });

  it('durations', () => {
    expect(parseDuration('10s', '--x')).toBe(10_000);
    expect(parseDuration('500ms', '--x')).toBe(500);
    expect(parseDuration('2m', '--x')).toBe(120_000);
    expect(parseDuration('1.5', '--x')).toBe(1500);
    expect(() => parseDuration('soon', '--x')).toThrow(/not a duration/);
  });

  it('progress line', () => {
    expect(formatProgress({ done: 5, total: 10, errors: 1, blocked: 0, elapsedMs: 2000 }, 10)).toBe('[#####.....] 5/10 endpoints  2.5/s  errors 1  blocked 0');
  });
});

describe('connection limiter', () => {
  it('never exceeds the per-IP or global cap, and serves everyone', async () => {
    const limiter = new ConnectionLimiter(3, 2);
    let active = 0;
    let peak = 0;
    const perIp = new Map<string, number>();
    let peakIp = 0;
    await mapLimit(Array.from({ length: 40 }, (_, i) => `10.0.0.${i % 4}`), 40, (ip) => limiter.with(ip, async () => {
      active++;
      perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
      peak = Math.max(peak, active);
      peakIp = Math.max(peakIp, perIp.get(ip)!);
      await new Promise((r) => setTimeout(r, 2));
      active--;
      perIp.set(ip, perIp.get(ip)! - 1);
    }));
    expect(peak).toBeLessThanOrEqual(3);
    expect(peakIp).toBeLessThanOrEqual(2);
    expect(limiter.peakPerIp).toBe(peakIp);
    expect(limiter.opened).toBe(40);
  });
});
