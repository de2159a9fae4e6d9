/**
 * The `.nessus` reader beyond its fixture pairs: the same finding gives the same verdicts from the
 * CSV export and from the .nessus file (one plugin table, both readers), detection by content, the
 * scan context, and broken files (DOCTYPE, truncation, malformed XML) with line and column.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/index.js';
import { ingest, type IngestOutput } from '../../src/ingest/index.js';
import { ROOT } from './support.js';

const REPORT_DATE = '2026-10-01';

/** Each .nessus fixture was converted from the CSV fixture named here (see the folder's README). */
const PAIRS = [
  { csv: 'legacy-header.csv', nessus: 'two-relays.nessus', hostEnd: '2026-09-15T08:52:40.000Z' },
  { csv: 'current-header-optional-columns.csv', nessus: 'old-relay.nessus', hostEnd: '2026-09-15T08:51:03.000Z' },
  { csv: 'tenable-io-legacy.csv', nessus: 'fqdn-host-end.nessus', hostEnd: '2026-09-14T10:24:03.000Z' },
] as const;

/** What an auditor reads: every finding's check, endpoint, verdict, severity and message. */
function verdicts(out: IngestOutput): string[] {
  return out.observations
    .flatMap((o) => runChecks(o, { reportDate: REPORT_DATE }))
    .map((f) => `${f.id} ${f.status} ${f.severity} ${f.messageId}: ${f.message}`)
    .sort();
}

describe('nessus-xml', () => {
  describe('the same findings as the CSV export of the same scan', () => {
    for (const pair of PAIRS) {
      it(`${pair.nessus} ≡ ${pair.csv}`, async () => {
        // The CSV export carries no host times (except Tenable.io's Host End), so it is dated as the .nessus dates itself.
        const csv = await ingest([`test/fixtures/ingest/nessus-csv/${pair.csv}`], { cwd: ROOT, observedAt: pair.hostEnd });
        const xml = await ingest([`test/fixtures/ingest/nessus-xml/${pair.nessus}`], { cwd: ROOT });
        expect(xml.files[0]?.kind).toBe('nessus-xml');
        const fromCsv = verdicts(csv);
        expect(fromCsv.filter((v) => / fail /.test(v)).length).toBeGreaterThan(0);
        expect(verdicts(xml)).toEqual(fromCsv);
        // The facts themselves, not only the verdicts: each observation, sources aside.
        const facts = (o: IngestOutput) => JSON.stringify(o.observations.map(({ sources: _s, tool: _t, observedAtSource: _a, ...f }) => f),
          (k, v: unknown) => (k === 'source' ? undefined : v));
        expect(facts(xml)).toBe(facts(csv));
        expect(xml.observations.every((o) => o.observedAtSource === 'input' && o.observedAt === pair.hostEnd)).toBe(true);
      });
    }
  });

  it('takes the Nessus version, plugin feed, policy and scanner address into the tool and the scan context', async () => {
    const out = await ingest(['test/fixtures/ingest/nessus-xml/edge-cases.nessus'], { cwd: ROOT });
    expect(out.files[0]?.context).toEqual({
      tool: 'Nessus 10.7.4', version: '10.7.4', feed: 'plugin feed 202609080412', policy: 'Mail & IMAP TLS (monthly)',
      startedAt: '2026-09-08T06:58:10.000Z', endedAt: '2026-09-08T08:27:10.000Z', scannerAddress: '10.30.0.2',
    });
    expect(new Set(out.observations.map((o) => o.tool))).toEqual(new Set(['Nessus 10.7.4']));
    const two = await ingest(['test/fixtures/ingest/nessus-xml/two-relays.nessus'], { cwd: ROOT });
    expect(two.files[0]?.context).toMatchObject({ tool: 'Nessus 10.7.3', feed: 'plugin feed 202609140312', policy: 'Advanced Scan - mail TLS' });
  });

  describe('files on disk', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'tlsproof-nessus-xml-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });
    const write = async (name: string, text: string): Promise<string> => {
      const p = join(dir, name);
      await writeFile(p, text);
      return p;
    };
    const fixture = (name: string) => readFile(join(ROOT, 'test/fixtures/ingest/nessus-xml', name), 'utf8');

    it('is recognised by its content whatever the file is called, and found in folders', async () => {
      for (const name of ['export.xml', 'scan-results.txt', 'noext']) {
        const p = join(dir, name);
        await copyFile(join(ROOT, 'test/fixtures/ingest/nessus-xml/old-relay.nessus'), p);
        const out = await ingest([p], { cwd: dir });
        expect(out.files[0]?.kind, name).toBe('nessus-xml');
        await rm(p);
      }
      // In a folder: .nessus files are taken, XML that is no scanner export is left alone.
      const folder = join(dir, 'folder');
      await mkdir(folder);
      await copyFile(join(ROOT, 'test/fixtures/ingest/nessus-xml/old-relay.nessus'), join(folder, 'old-relay.nessus'));
      await writeFile(join(folder, 'notes.xml'), '<?xml version="1.0"?>\n<notes><note>quarterly scan</note></notes>\n');
      const out = await ingest([folder], { cwd: dir });
      expect(out.files.map((f) => `${f.file} ${f.kind}`)).toEqual(['folder/old-relay.nessus nessus-xml']);
    });

    it('refuses a DOCTYPE (no entity is ever expanded) with line and column', async () => {
      const text = (await fixture('old-relay.nessus')).replace('<NessusClientData_v2>',
        '<!DOCTYPE NessusClientData_v2 [\n <!ENTITY a "aaaaaaaaaa">\n <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n<NessusClientData_v2>');
      const out = await ingest([await write('laughs.nessus', text.replace('<policyName>Basic Network Scan', '<policyName>&b;'))], { cwd: dir });
      expect(out.files[0]?.kind).toBe('nessus-xml');
      expect(out.observations).toEqual([]);
      expect(out.problems).toHaveLength(1);
      expect(out.problems[0]).toMatchObject({ file: 'laughs.nessus', line: 5, code: 'doctype', effect: 'file-skipped' });
      expect(out.problems[0]?.column).toBeGreaterThan(0);
      expect(out.problems[0]?.message).toMatch(/DOCTYPE.*Re-export/);
    });

    it('keeps the hosts read before a truncation and says where the file ends', async () => {
      const text = await fixture('two-relays.nessus');
      const cut = text.slice(0, text.indexOf('<ReportHost name="10.20.0.30"') + 200);
      const out = await ingest([await write('cut.nessus', cut)], { cwd: dir });
      expect(out.problems).toHaveLength(1);
      const p = out.problems[0]!;
      expect(p).toMatchObject({ code: 'truncated', effect: 'row-skipped', line: cut.split('\n').length });
      expect(p.message).toMatch(/the file ends inside <ReportHost name="10\.20\.0\.30"> that starts on line \d+.*1 host read before the end are kept/);
      expect(out.observations.map((o) => `${o.endpoint.host}:${o.endpoint.port}`)).toEqual(['10.20.0.25:25', '10.20.0.25:993']);
    });

    it('reports malformed XML at its line and column and reads nothing after it', async () => {
      const text = (await fixture('two-relays.nessus')).replace('<ReportHost name="10.20.0.30">', '<ReportHost name="10.20.0.30" <oops>');
      const out = await ingest([await write('bad.nessus', text)], { cwd: dir });
      const line = text.slice(0, text.indexOf('<oops>')).split('\n').length;
      expect(out.problems).toHaveLength(1);
      expect(out.problems[0]).toMatchObject({ code: 'malformed-xml', line });
      expect(out.problems[0]?.column).toBeGreaterThan(0);
    });

    it('says so when the file holds no host', async () => {
      const out = await ingest([await write('empty.nessus', '<?xml version="1.0" ?>\n<NessusClientData_v2>\n<Policy><policyName>x</policyName></Policy>\n<Report name="r"></Report>\n</NessusClientData_v2>\n')], { cwd: dir });
      expect(out.problems.map((p) => p.code)).toEqual(['no-records']);
    });
  });
});
