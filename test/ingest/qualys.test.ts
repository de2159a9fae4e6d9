/**
 * The Qualys readers beyond their fixture pairs: the CSV and XML reports of the same scan give the
 * same facts and verdicts (one QID table, both readers), the QID table cites a source for every
 * entry, Qualys dates, and broken XML.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/index.js';
import { ingest, type IngestOutput } from '../../src/ingest/index.js';
import { parseQualysDate } from '../../src/ingest/qualys-csv.js';
import { QUALYS_TLS_QIDS } from '../../src/ingest/qualys-qids.js';
import { ROOT } from './support.js';

const CSV = 'test/fixtures/ingest/qualys-csv/mail-relays-scan-report.csv';
const XML = 'test/fixtures/ingest/qualys-xml/mail-relays-asset-data-report.xml';

function verdicts(out: IngestOutput): string[] {
  return out.observations
    .flatMap((o) => runChecks(o, { reportDate: '2026-10-01' }))
    .map((f) => `${f.id} ${f.status} ${f.severity} ${f.messageId}: ${f.message}`)
    .sort();
}

const facts = (o: IngestOutput): string => JSON.stringify(
  o.observations.map(({ sources: _s, ...f }) => f),
  (k, v: unknown) => (k === 'source' ? undefined : v),
);

describe('qualys', () => {
  it('gives the same facts and verdicts from the CSV and the XML report of one scan', async () => {
    const csv = await ingest([CSV], { cwd: ROOT });
    const xml = await ingest([XML], { cwd: ROOT });
    expect(csv.files[0]?.kind).toBe('qualys-csv');
    expect(xml.files[0]?.kind).toBe('qualys-xml');
    const fromCsv = verdicts(csv);
    expect(fromCsv.filter((v) => / fail /.test(v)).length).toBeGreaterThanOrEqual(5);
    expect(verdicts(xml)).toEqual(fromCsv);
    expect(facts(xml)).toBe(facts(csv));
    expect(xml.problems.map((p) => p.code)).toEqual(csv.problems.map((p) => p.code));
    // Fixed detections are no longer present: counted apart, never turned into facts.
    for (const out of [csv, xml]) {
      expect(out.files[0]?.skipped?.find((s) => s.reason === 'fixed')?.ids.map((i) => i.id)).toEqual(['38601']);
      expect(out.observations.every((o) => o.cipherClasses.rc4 === undefined && o.vulnerabilities.rc4 === undefined)).toBe(true);
    }
  });

  it('states nothing but "potentially vulnerable" from a Potential detection', async () => {
    const out = await ingest([CSV], { cwd: ROOT });
    const submission = out.observations.find((o) => o.endpoint.port === 587)!;
    expect(submission.vulnerabilities.poodle?.value.state).toBe('potentially-vulnerable');
    expect(submission.protocols.SSLv3).toBeUndefined();
    expect(submission.tlsAvailable).toBeUndefined();
  });

  it('names its public source for every QID it maps', () => {
    for (const [qid, entry] of Object.entries(QUALYS_TLS_QIDS)) {
      expect(['ruby-qualys', 'qualys-blog-2019', 'qualys-notice-2021'], qid).toContain(entry.source);
      expect(entry.facts !== undefined || entry.vuln !== undefined, qid).toBe(true);
    }
  });

  it('reads Qualys dates: MM/DD/YYYY, DD/MM/YYYY when the first number cannot be a month, ISO', () => {
    expect(parseQualysDate('05/25/2021 07:36:58')).toBe('2021-05-25T07:36:58.000Z');
    expect(parseQualysDate('22/09/2022 13:01')).toBe('2022-09-22T13:01:00.000Z');
    expect(parseQualysDate('2019-07-31T21:57:48Z')).toBe('2019-07-31T21:57:48.000Z');
    expect(parseQualysDate('13/13/2022')).toBeUndefined();
    expect(parseQualysDate('yesterday')).toBeUndefined();
  });

  describe('files on disk', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'tlsproof-qualys-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('accepts the report\'s external DOCTYPE but refuses an internal DTD subset', async () => {
      const text = await readFile(join(ROOT, XML), 'utf8');
      expect(text).toContain('<!DOCTYPE ASSET_DATA_REPORT SYSTEM');
      const evil = text.replace(/<!DOCTYPE[^>]*>/, '<!DOCTYPE ASSET_DATA_REPORT [\n <!ENTITY a "aaaa">\n]>');
      const p = join(dir, 'dtd.xml');
      await writeFile(p, evil);
      const out = await ingest([p], { cwd: dir });
      expect(out.observations).toEqual([]);
      expect(out.problems).toHaveLength(1);
      expect(out.problems[0]).toMatchObject({ code: 'doctype', effect: 'file-skipped', line: 5 });
    });

    it('says what to do with a CSV that keeps Qualys\' title lines above the header', async () => {
      const p = join(dir, 'with-preamble.csv');
      await writeFile(p, `"Scan Results","09/15/2026 at 06:00:12 (GMT)"\n""\n"Example Bank"\n${await readFile(join(ROOT, CSV), 'utf8')}`);
      const err = await ingest([p], { cwd: dir }).catch((e: unknown) => e);
      expect((err as Error).message).toMatch(/Qualys report with its title lines above the column header: delete the lines above/);
    });

    it('keeps the hosts read before a truncation', async () => {
      const text = await readFile(join(ROOT, XML), 'utf8');
      const cut = text.slice(0, text.indexOf('<IP>10.40.0.11</IP>'));
      const p = join(dir, 'cut.xml');
      await writeFile(p, cut);
      const out = await ingest([p], { cwd: dir });
      expect(out.problems.map((x) => x.code)).toContain('truncated');
      expect(out.problems.find((x) => x.code === 'truncated')?.line).toBe(cut.split('\n').length);
      expect(new Set(out.observations.map((o) => o.endpoint.host))).toEqual(new Set(['mx1.example-bank.test']));
    });
  });
});
