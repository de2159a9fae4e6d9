/**
 * Hand-written edge cases for CSV ingest: encodings, line endings, malformed rows, hostile text
 * and files that are not ours. Real scanner output is covered in testssl-csv.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ingest } from '../../src/ingest/index.js';
import { ReportError } from '../../src/errors.js';
import { runChecks } from '../../src/checks/index.js';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));
const opts = { cwd: root, observedAt: '2026-09-15T10:00:00.000Z' };
const edge = (name: string) => `test/fixtures/edge/${name}`;

describe('testssl CSV edge cases', () => {
  it('reads a UTF-8 BOM, CRLF line ends, a quoted newline and an IDN host', async () => {
    const out = await ingest([edge('bom-crlf-idn.csv')], opts);
    expect(out.problems).toEqual([]);
    expect(out.files[0]).toMatchObject({ kind: 'testssl-csv', records: 4 });
    const [obs] = out.observations;
    expect(obs?.endpoint).toEqual({ host: 'mail.bücher.test', ip: '127.0.0.20', port: 25, service: 'smtp', transport: 'starttls' });
    expect(obs?.protocols['TLSv1.0']?.value).toBe(true);
    expect(obs?.protocols['TLSv1.0']?.source).toMatchObject({ file: edge('bom-crlf-idn.csv'), line: 2 });
    // The multi-line record starts on line 4; the record after it is on line 6.
    expect(obs?.certificates[0]?.commonName).toMatchObject({ value: 'mail.bücher.test\r\nsecond line', source: { line: 4 } });
    expect(obs?.certificates[0]?.notAfter).toMatchObject({ value: '2027-03-01T12:00:00.000Z', source: { line: 6 } });
    expect(obs?.startTlsOffered?.value).toBe(true);
    expect(obs?.observedAtSource).toBe('option');
  });

  it('reports each bad row with file, line, column and reason, and keeps the good rows', async () => {
    const out = await ingest([edge('bad-rows.csv')], opts);
    const where = out.problems.map((p) => `${p.line}:${p.column ?? '-'}:${p.code}:${p.effect}`);
    expect(where).toEqual([
      '3:4:unknown-severity:row-skipped',
      '4:6:ragged-row:row-skipped',
      '5:3:bad-port:row-skipped',
      '6:5:unparseable-date:value-ignored',
      expect.stringMatching(/^7:\d+:(unclosed-quote|malformed-record):row-skipped$/),
      '9:2:missing-host:row-skipped',
    ]);
    expect(out.problems[0]!.message).toBe('severity "SEVERE" is not one of OK, INFO, LOW, MEDIUM, HIGH, CRITICAL, WARN, DEBUG, FATAL');
    expect(out.problems.every((p) => p.file === edge('bad-rows.csv'))).toBe(true);
    const [obs] = out.observations;
    expect(obs?.protocols['TLSv1.0']?.value).toBe(true);
    expect(obs?.protocols['TLSv1.1']).toBeUndefined();
    expect(obs?.protocols.SSLv2?.value).toBe(false);
    expect(obs?.certificates[0]?.keyBits?.value).toBe(2048);
    expect(obs?.certificates[0]?.notAfter).toBeUndefined();
  });

  it('keeps hostile text verbatim (escaping is the renderers\' job) and reads the hint column variant', async () => {
    const out = await ingest([edge('hostile.csv')], opts);
    expect(out.problems).toEqual([]);
    const cert = out.observations[0]?.certificates[0];
    expect(cert?.commonName?.value).toBe('<script>alert(1)</script><img src=x onerror=alert(2)>');
    expect(cert?.hostnameMatch?.value).toBe(false);
    expect(out.observations[0]?.endpoint.service).toBe('submissions');
  });

  it('turns an empty file and a header-only file into problems, not crashes', async () => {
    const out = await ingest([edge('empty.csv'), edge('header-only.csv')], opts);
    expect(out.problems.map((p) => [p.file, p.code, p.effect])).toEqual([
      [edge('empty.csv'), 'empty-file', 'file-skipped'],
      [edge('header-only.csv'), 'no-records', 'file-skipped'],
    ]);
    expect(out.observations).toEqual([]);
  });

  it('refuses a file that is not a format tlsproof reads, naming the formats and what it saw', async () => {
    const err = await ingest([edge('not-a-scan.csv')], opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    const msg = (err as ReportError).message;
    expect(msg).toContain('"name","age","city"');
    expect(msg).toContain('testssl.sh CSV');
    expect(msg).toContain('domain list CSV');
    expect((err as ReportError).code).toBe('input-unrecognised');
  });

  it('refuses a missing input and an empty glob with what to do', async () => {
    await expect(ingest(['no/such/file.csv'], opts)).rejects.toThrow(/does not exist/);
    await expect(ingest(['test/fixtures/edge/*.nothing'], opts)).rejects.toThrow(/No file matches/);
  });
});

describe('domain list CSV', () => {
  it('reads case-insensitive headers, keeps unknown columns, and reports bad rows', async () => {
    const out = await ingest([edge('domains-mixed-case.csv')], opts);
    expect(out.files[0]?.kind).toBe('domain-list-csv');
    expect(out.domains.map((d) => d.domain)).toEqual(['example-health.test', 'payments.example.test', 'intranet.example.test']);
    expect(out.domains[0]).toMatchObject({ owner: 'Zoë Ångström', businessUnit: 'Clinical', dataClasses: ['PHI'], notes: 'Primary MX', extra: { Ticket: 'SEC-1' }, line: 2 });
    expect(out.domains[1]).toMatchObject({ dataClasses: ['PAN', 'NPI'], frameworks: ['nist-800-52'] });
    expect(out.problems.map((p) => `${p.line}:${p.column}:${p.code}`)).toEqual(['4:1:bad-domain', '5:1:duplicate-domain']);
    expect(out.problems[1]?.message).toContain('already listed on line 2');
  });
});

describe('testssl CSV: single DES from the LOW list, which also holds RC4', () => {
  const header = '"id","fqdn/ip","port","severity","finding","cve","cwe"';
  const row = (id: string, sev: string, finding: string) => `"${id}","mail.low.test/127.0.0.30","465","${sev}","${finding}","",""`;
  async function read(rows: string[]) {
    const dir = await mkdtemp(join(tmpdir(), 'tlsproof-low-'));
    try {
      const file = join(dir, 'low.csv');
      writeFileSync(file, `${[header, ...rows].join('\n')}\n`);
      const out = await ingest([file], opts);
      expect(out.problems).toEqual([]);
      return out.observations[0]!;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const low = row('cipherlist_LOW', 'HIGH', 'offered');
  const rc4 = (vulnerable: boolean) => row('RC4', vulnerable ? 'HIGH' : 'OK', vulnerable ? 'VULNERABLE, Detected ciphers: RC4-SHA' : 'not vulnerable');

  it('LOW offered with RC4 offered leaves DES undecided: RC4 alone explains it', async () => {
    const obs = await read([low, rc4(true)]);
    expect(obs.cipherClasses.rc4?.value).toBe(true);
    expect(obs.cipherClasses.des).toBeUndefined();
  });

  it('LOW offered with RC4 not offered means DES or RC2 is offered', async () => {
    const obs = await read([low, rc4(false)]);
    expect(obs.cipherClasses.des).toMatchObject({ value: true, source: { line: 2 } });
  });

  it('a per-cipher row naming a single-DES suite decides it, whatever RC4 does', async () => {
    const obs = await read([low, rc4(true),
      row('cipher_x05', 'INFO', 'x05     RC4-SHA                           RSA        RC4         128      TLS_RSA_WITH_RC4_128_SHA'),
      row('cipher-tls1_x09', 'INFO', 'TLSv1   x09     DES-CBC-SHA                       RSA        DES         56       TLS_RSA_WITH_DES_CBC_SHA'),
      row('cipher_x0a', 'INFO', 'x0a     DES-CBC3-SHA                      RSA        3DES        168      TLS_RSA_WITH_3DES_EDE_CBC_SHA')]);
    expect(obs.cipherClasses.des).toMatchObject({ value: true, source: { line: 5 } });
  });

  it('a listed suite marked "not a/v" (--show-each) is not offered', async () => {
    const obs = await read([low, rc4(true), row('cipher-tls1_x09', 'INFO', 'TLSv1   x09     DES-CBC-SHA   RSA   DES   56   TLS_RSA_WITH_DES_CBC_SHA   not a/v')]);
    expect(obs.cipherClasses.des).toBeUndefined();
  });

  it('LOW not offered means no DES', async () => {
    const obs = await read([row('cipherlist_LOW', 'OK', 'not offered'), rc4(true)]);
    expect(obs.cipherClasses.des).toMatchObject({ value: false, source: { line: 2 } });
  });

  it('the real gnutls server with RC4 and 3DES: the 64-bit block finding names 3DES, not DES', async () => {
    const out = await ingest(['test/fixtures/testssl/gnutls-legacy.csv'], opts);
    const obs = out.observations[0]!;
    expect(obs.cipherClasses.des?.value).not.toBe(true);
    const f = runChecks(obs, { reportDate: '2026-11-28' }).find((x) => x.checkId === 'cipher-64bit-block')!;
    expect(f.status).toBe('fail');
    // Before: "3DES/IDEA, DES cipher suites are offered", for a server that offers no single DES.
    expect(f.message).toBe('3DES/IDEA cipher suites are offered');
  });
});

describe('SSLyze JSON: the status in a stapled OCSP response', () => {
  it('reads a revoked staple into ocspStatus, and cert-revoked fails on it', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = JSON.parse(await readFile(join(fileURLToPath(new URL('../..', import.meta.url)), 'test/fixtures/ingest/sslyze-json/v6-mixed-results.json'), 'utf8')) as unknown;
    // The fixture's one stapled response, switched to "revoked" as SSLyze 5 spells it.
    const text = JSON.stringify(doc).replace('"certificate_status":"good","revocation_time":null', '"certificate_status":"REVOKED","revocation_time":"2026-09-10T08:00:00Z"');
    expect(text).toContain('"REVOKED"');
    const dir = await mkdtemp(join(tmpdir(), 'tlsproof-sslyze-ocsp-'));
    try {
      const file = join(dir, 'revoked.json');
      writeFileSync(file, text);
      const out = await ingest([file], opts);
      const cert = out.observations.flatMap((o) => o.certificates).find((c) => c.ocspStatus !== undefined)!;
      expect(cert.ocspStatus?.value).toEqual({ status: 'revoked', revokedAt: '2026-09-10T08:00:00.000Z', thisUpdate: '2026-09-15T06:00:00.000Z', nextUpdate: '2026-09-22T06:00:00.000Z' });
      const obs = out.observations.find((o) => o.certificates.includes(cert))!;
      const f = runChecks(obs, { reportDate: '2026-09-16' }).find((x) => x.checkId === 'cert-revoked')!;
      expect(f).toMatchObject({ status: 'fail', severity: 'critical' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
