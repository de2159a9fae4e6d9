/**
 * The Greenbone XML report reader beyond its fixture pairs: the same results give the same facts
 * and verdicts as the "CSV Results" report of the same scan (one VT table, both readers), the GMP
 * get_reports response wrapper, nested detection results, the scan context, and broken files.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/index.js';
import { ingest, type IngestOutput } from '../../src/ingest/index.js';
import { ROOT } from './support.js';

const REPORT_DATE = '2026-10-01';
const SAME_TIME = '2026-09-15T00:00:00.000Z';

/** Each XML fixture was converted from the CSV fixture named here (see the folder's README). */
const PAIRS = [
  { csv: 'current-multiline-prefixed.csv', xml: 'gmp22-mail-quarterly.xml', starts: ['2026-09-14T10:22:36.000Z'] },
  { csv: 'legacy-without-qod.csv', xml: 'omp7-legacy-relay.xml', starts: ['2019-03-12T08:14:42.000Z'] },
  { csv: 'newest-epss-crlf.csv', xml: 'gmp22-no-starttls.xml', starts: ['2026-09-16T00:41:30.000Z', '2026-09-16T00:42:15.000Z'] },
] as const;

/**
 * Check verdicts on the facts alone: the CSV report dates each row by its Timestamp, the XML
 * report each host by its scan start, so both are put at one time before the checks run.
 */
function verdicts(out: IngestOutput): string[] {
  return out.observations
    .flatMap((o) => runChecks({ ...o, observedAt: SAME_TIME }, { reportDate: REPORT_DATE }))
    .map((f) => `${f.id} ${f.status} ${f.severity} ${f.messageId}: ${f.message}`)
    .sort();
}

const facts = (o: IngestOutput): string => JSON.stringify(
  o.observations.map(({ sources: _s, observedAt: _a, ...f }) => f),
  (k, v: unknown) => (k === 'source' ? undefined : v),
);

describe('greenbone-xml', () => {
  describe('the same facts and verdicts as the CSV Results report of the same scan', () => {
    for (const pair of PAIRS) {
      it(`${pair.xml} ≡ ${pair.csv}`, async () => {
        const csv = await ingest([`test/fixtures/ingest/greenbone-csv/${pair.csv}`], { cwd: ROOT });
        const xml = await ingest([`test/fixtures/ingest/greenbone-xml/${pair.xml}`], { cwd: ROOT });
        expect(xml.files[0]?.kind).toBe('greenbone-xml');
        expect(xml.problems.map((p) => p.code)).toEqual(csv.problems.map((p) => p.code));
        const fromCsv = verdicts(csv);
        expect(fromCsv.some((v) => / fail /.test(v))).toBe(true);
        expect(verdicts(xml)).toEqual(fromCsv);
        expect(facts(xml)).toBe(facts(csv));
        expect([...new Set(xml.observations.map((o) => o.observedAt))].sort()).toEqual([...pair.starts]);
        expect(xml.observations.every((o) => o.observedAtSource === 'input')).toBe(true);
      });
    }
  });

  it('takes the protocol version, task and scan times into the scan context', async () => {
    const out = await ingest(['test/fixtures/ingest/greenbone-xml/gmp22-mail-quarterly.xml'], { cwd: ROOT });
    expect(out.files[0]?.context).toEqual({
      tool: 'Greenbone (GMP 22.6)', policy: 'task "Mail servers quarterly"',
      startedAt: '2026-09-14T10:22:36.000Z', endedAt: '2026-09-14T10:31:36.000Z',
    });
    const old = await ingest(['test/fixtures/ingest/greenbone-xml/omp7-legacy-relay.xml'], { cwd: ROOT });
    expect(old.files[0]?.context?.tool).toBe('Greenbone (OMP 7.0)');
  });

  describe('files on disk', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'tlsproof-greenbone-xml-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });
    const write = async (name: string, text: string): Promise<string> => {
      const p = join(dir, name);
      await writeFile(p, text);
      return p;
    };
    const fixture = (name: string) => readFile(join(ROOT, 'test/fixtures/ingest/greenbone-xml', name), 'utf8');

    it('reads a GMP get_reports response, and ignores results nested in a detection', async () => {
      const text = await fixture('gmp22-mail-quarterly.xml');
      const body = text.replace(/^<\?xml[^>]*>\n/, '');
      // gvmd nests the product detection's own <result> inside a result; it is not a finding.
      const nested = body.replace('<scan_nvt_version>', '<detection><result id="0d6f"><details><detail><name>product</name><value>cpe:/a:postfix:postfix</value></detail></details></result></detection>\n        <scan_nvt_version>');
      const wrapped = `<?xml version="1.0" encoding="UTF-8"?>\n<get_reports_response status="200" status_text="OK">\n${nested}<filters id=""><term>apply_overrides=0 min_qod=70 first=1 rows=-1</term></filters>\n<report_count>1<filtered>1</filtered><page>1</page></report_count>\n</get_reports_response>\n`;
      const plain = await ingest(['test/fixtures/ingest/greenbone-xml/gmp22-mail-quarterly.xml'], { cwd: ROOT });
      const out = await ingest([await write('gmp-response.xml', wrapped)], { cwd: dir });
      expect(out.files[0]).toMatchObject({ kind: 'greenbone-xml', records: 8, problems: 0 });
      expect(facts(out)).toBe(facts(plain));
    });

    it('refuses a DOCTYPE with line and column', async () => {
      const text = (await fixture('gmp22-no-starttls.xml')).replace('<report ', '<!DOCTYPE report [\n <!ENTITY x "xxxxxxxx">\n]>\n<report ');
      const out = await ingest([await write('dtd.xml', text)], { cwd: dir });
      expect(out.observations).toEqual([]);
      expect(out.problems).toHaveLength(1);
      expect(out.problems[0]).toMatchObject({ code: 'doctype', effect: 'file-skipped', line: 4 });
      expect(out.problems[0]?.column).toBeGreaterThan(0);
    });

    it('keeps the results read before a truncation and says where', async () => {
      const text = await fixture('gmp22-no-starttls.xml');
      const cut = text.slice(0, text.indexOf('<result id=', text.indexOf('1.3.6.1.4.1.25623.1.0.108551')) + 300);
      const out = await ingest([await write('cut.xml', cut)], { cwd: dir });
      expect(out.problems).toHaveLength(1);
      expect(out.problems[0]).toMatchObject({ code: 'truncated', effect: 'row-skipped', line: cut.split('\n').length });
      expect(out.problems[0]?.message).toMatch(/the file ends inside the <result> that starts on line \d+/);
      // Results before the cut are kept (their hosts' start times were after the cut: dated by the file).
      expect(out.observations.map((o) => `${o.endpoint.host}:${o.endpoint.port}`)).toEqual(['mx2.example-health.test:25', 'mx2.example-health.test:143']);
    });

    it('reports a result on general/tcp and a bad port at the result\'s line and column', async () => {
      const text = (await fixture('gmp22-mail-quarterly.xml')).replace('<port>465/tcp</port>', '<port>general/tcp</port>').replace('<port>25/tcp</port>', '<port>smtp/tcp</port>');
      const out = await ingest([await write('ports.xml', text)], { cwd: dir });
      expect(out.problems.some((p) => p.code === 'no-port' && /general\/tcp/.test(p.message))).toBe(true);
      const bad = out.problems.find((p) => p.code === 'bad-port')!;
      expect(bad.message).toContain('"smtp/tcp"');
      expect(text.split('\n')[bad.line! - 1]!.slice(bad.column! - 1)).toMatch(/^<result id=/);
    });
  });
});
