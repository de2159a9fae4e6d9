/**
 * Bad input in every format: truncated files, a wrong delimiter, missing required columns (named),
 * unknown plugin ids (counted, not errors), empty hosts — each reported with file:line and a
 * reason, with everything else in the file still read. Also: files that match no format are
 * refused with the list of formats and what was seen, and a forced format that does not fit says
 * what is missing.
 */
import { describe, expect, it } from 'vitest';
import { ReportError } from '../../src/errors.js';
import { ingest } from '../../src/ingest/index.js';
import { INGEST_OPTS } from './support.js';

const bad = (name: string) => `test/fixtures/ingest/bad/${name}`;
const where = (p: { line?: number | undefined; code: string; effect: string }) => `${p.line ?? '-'}:${p.code}:${p.effect}`;

describe('truncated files keep what was read', () => {
  it('Nessus CSV cut inside a quoted Plugin Output', async () => {
    const out = await ingest([bad('nessus-truncated.csv')], INGEST_OPTS);
    expect(out.problems.map(where)).toEqual(['158:unclosed-quote:row-skipped']);
    expect(out.problems[0]!.message).toMatch(/never closed \(the file may be truncated\)/);
    expect(out.problems[0]!.file).toBe(bad('nessus-truncated.csv'));
    const [obs] = out.observations;
    // Everything before the cut: versions, ciphers, vulnerabilities from the earlier rows.
    expect(obs!.protocols['TLSv1.0']?.value).toBe(true);
    expect(obs!.vulnerabilities.rc4?.value.cve).toBe('CVE-2013-2566, CVE-2015-2808');
    expect(obs!.certificates).toEqual([]);
  });

  it('testssl JSON cut inside a finding', async () => {
    const out = await ingest([bad('testssl-truncated.json')], INGEST_OPTS);
    expect(out.files[0]).toMatchObject({ kind: 'testssl-json', records: 50 });
    expect(out.problems.map(where)).toEqual(['358:truncated:row-skipped']);
    expect(out.problems[0]!.message).toContain('starts on line 358 (truncated?)');
    expect(out.observations[0]!.protocols['TLSv1.3']?.value).toBe(true);
  });

  it('nmap XML cut inside a <port>', async () => {
    const out = await ingest([bad('nmap-truncated.xml')], INGEST_OPTS);
    expect(out.problems.map(where)).toEqual(['404:truncated:row-skipped']);
    expect(out.problems[0]!.message).toMatch(/ends inside <port> 993 that starts on line 290/);
    expect(out.observations.map((o) => o.endpoint.port)).toEqual([25]);
  });

  it('SSLyze JSON with one unreadable server result: the others are read', async () => {
    const out = await ingest([bad('sslyze-malformed-server.json')], INGEST_OPTS);
    expect(out.problems.map(where)).toEqual(['2:sslyze-invalid-server:row-skipped', '1111:malformed-json:row-skipped']);
    expect(out.observations.map((o) => o.endpoint.port)).toEqual([993, 587, 25]);
  });
});

describe('rows that cannot be used', () => {
  it('rows separated by another delimiter than the header are named as such', async () => {
    const out = await ingest([bad('nessus-mixed-delimiters.csv')], INGEST_OPTS);
    expect(out.problems.map(where)).toEqual(['2:wrong-delimiter:row-skipped', '4:wrong-delimiter:row-skipped']);
    expect(out.problems[0]!.message).toBe('the record is separated by ";" but the header by "," (wrong delimiter?)');
    expect(out.observations[0]!.protocols['TLSv1.2']?.value).toBe(true);
  });

  it('unknown plugin ids are counted as not TLS-related; empty host, bad id and port 0 are file:line problems', async () => {
    const out = await ingest([bad('nessus-unknown-plugins-and-bad-rows.csv')], INGEST_OPTS);
    expect(out.problems.map((p) => `${p.line}:${p.column}:${p.code}`)).toEqual(['7:5:missing-host', '8:1:bad-plugin-id', '9:7:no-port']);
    expect(out.problems[0]!.message).toBe('the "Host" field is empty');
    const skipped = out.files[0]!.skipped ?? [];
    expect(skipped).toEqual([{
      reason: 'not-tls-related', records: 4, moreIds: 0,
      ids: [
        { id: '11219', name: 'Nessus SYN scanner', records: 2 },
        { id: '10107', name: 'HTTP Server Type and Version', records: 1 },
        { id: '99999999', name: 'A plugin tlsproof does not know', records: 1 },
      ],
    }]);
    expect(out.observations).toHaveLength(1);
    expect(out.observations[0]!.protocols['TLSv1.3']?.value).toBe(true);
  });

  it('a header without required columns skips the file with the columns named', async () => {
    const out = await ingest([bad('nessus-missing-columns.csv')], INGEST_OPTS);
    expect(out.files[0]).toMatchObject({ kind: 'nessus-csv', records: 0 });
    expect(out.problems.map(where)).toEqual(['1:missing-columns:file-skipped']);
    expect(out.problems[0]!.message).toContain('lacks the required columns "Host", "Port"');
    expect(out.observations).toEqual([]);
  });
});

describe('files that match no format', () => {
  it('are refused with the formats tlsproof reads and what was seen', async () => {
    const err = await ingest([bad('not-a-scan.csv')], INGEST_OPTS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect((err as ReportError).code).toBe('input-unrecognised');
    const msg = (err as ReportError).message;
    expect(msg).toContain('Its first line is "Name","Email","Phone"');
    for (const id of ['testssl-csv', 'testssl-json', 'nessus-csv', 'greenbone-csv', 'nmap-xml', 'sslyze-json', 'domain-list-csv']) expect(msg).toContain(`  - ${id}: `);
    expect(msg).toContain('--input-format');
  });

  it('say when the separator is one tlsproof does not read', async () => {
    const err = await ingest([bad('pipe-delimited.csv')], INGEST_OPTS).catch((e: unknown) => e);
    expect((err as ReportError).message).toContain('is it separated by "|"?');
  });

  it('name XML and JSON documents by their root', async () => {
    const err = await ingest(['test/fixtures/testssl/MANIFEST.json'], INGEST_OPTS).catch((e: unknown) => e);
    expect((err as ReportError).message).toMatch(/It is JSON with keys "generator"/);
  });

  it('a forced format reads the file as that format, and refuses a file that does not fit, saying what does not', async () => {
    // Skipping it would leave an empty report: the user named the format, so a mismatch is an error.
    const err = await ingest([{ path: bad('not-a-scan.csv'), format: 'greenbone-csv' }], INGEST_OPTS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect((err as ReportError).code).toBe('input-unrecognised');
    expect((err as ReportError).message).toContain('cannot be read as greenbone-csv: line 1: read as greenbone-csv, but the header lacks the required columns "IP", "Port", "NVT OID"');
    const forced = await ingest(['test/fixtures/ingest/nessus-csv/semicolon-crlf.csv'], { ...INGEST_OPTS, format: 'nessus-csv' });
    expect(forced.files[0]?.kind).toBe('nessus-csv');
    await expect(ingest(['x.csv'], { ...INGEST_OPTS, format: 'rapid7-csv' as never })).rejects.toThrow(/Input format "rapid7-csv" is not one of/);
  });
});
