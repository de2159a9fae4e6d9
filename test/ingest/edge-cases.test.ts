/**
 * Hand-written edge cases for CSV ingest: encodings, line endings, malformed rows, hostile text
 * and files that are not ours. Real scanner output is covered in testssl-csv.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ingest } from '../../src/ingest/index.js';
import { ReportError } from '../../src/errors.js';

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
