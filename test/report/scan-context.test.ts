/**
 * The scan context reaches the ReportModel from every reader: the real pipeline (ingest → model)
 * over the fixture exports of each format, and a tlsproof results file written here. Each case
 * names what its export states (tool version, feed, policy, scan times, scanner address) and what
 * it does not (null, never a guess).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../src/pipeline.js';
import { parseReportConfig } from '../../src/config/load.js';
import { ReportModelSchema, type ScanSource } from '../../src/model/report-model.js';
import { SCAN_LIMITATIONS, TESTSSL_TIME_ZONE_CAVEAT } from '../../src/report/scan-context.js';
import { ROOT } from '../ingest/support.js';

const GENERATED = '2026-10-01T09:00:00.000Z';

async function contextOf(inputs: string[], extra: { observedAt?: string; config?: Awaited<ReturnType<typeof parseReportConfig>> } = {}) {
  const { model } = await buildModel({
    inputs, formats: [], outDir: tmpdir(), strict: false, generatedAt: GENERATED, cwd: ROOT, toolVersion: '0.1.0', scan: false, ...extra,
  });
  ReportModelSchema.parse(model);
  return model.scanContext;
}

const CASES: { input: string; expected: Partial<ScanSource> }[] = [
  {
    input: 'test/fixtures/testssl/smtp-good.csv',
    // testssl.sh CSV records neither its version nor when it ran.
    expected: { kind: 'testssl-csv', tool: 'testssl.sh', version: null, startedAt: '2026-09-15T10:00:00.000Z', timesFrom: 'option' },
  },
  {
    input: 'test/fixtures/ingest/testssl-json/smtp-legacy.pretty.json',
    expected: {
      kind: 'testssl-json', tool: 'testssl.sh 3.0.8 with OpenSSL 3.0.19', version: '3.0.8',
      startedAt: '2026-11-28T19:26:11.000Z', endedAt: '2026-11-28T19:30:19.000Z', timesFrom: 'export', note: null,
    },
  },
  {
    input: 'test/fixtures/ingest/testssl-json/mass-scan.pretty.json',
    expected: { version: '3.0.8', startedAt: '2026-11-28T19:30:19.000Z', endedAt: null, note: 'testssl.sh recorded the scan as interrupted' },
  },
  {
    input: 'test/fixtures/ingest/nmap-xml/good-by-name.xml',
    expected: {
      kind: 'nmap-xml', tool: 'nmap 7.93', version: '7.93', startedAt: '2026-11-28T19:26:07.000Z', endedAt: '2026-11-28T19:26:08.000Z',
      timesFrom: 'export', policy: expect.stringContaining('--script ssl-enum-ciphers,ssl-cert') as unknown as string,
    },
  },
  {
    input: 'test/fixtures/ingest/sslyze-json/v6-mixed-results.json',
    expected: { kind: 'sslyze-json', tool: 'SSLyze 6.1.0', version: '6.1.0', startedAt: '2026-09-15T07:12:40.000Z', endedAt: '2026-09-15T07:13:02.000Z', timesFrom: 'export' },
  },
  {
    input: 'test/fixtures/ingest/sslyze-json/v5-smtp-starttls-legacy.json',
    expected: { tool: 'SSLyze 5.2.0', version: '5.2.0', timesFrom: 'export' },
  },
  {
    input: 'test/fixtures/ingest/nessus-xml/two-relays.nessus',
    expected: {
      kind: 'nessus-xml', tool: 'Nessus 10.7.3', version: '10.7.3', feed: 'plugin feed 202609140312', policy: 'Advanced Scan - mail TLS',
      startedAt: '2026-09-15T08:31:37.000Z', endedAt: '2026-09-15T08:52:40.000Z', timesFrom: 'export', scannerAddress: '10.20.0.5',
    },
  },
  {
    input: 'test/fixtures/ingest/greenbone-xml/gmp22-mail-quarterly.xml',
    expected: {
      kind: 'greenbone-xml', tool: 'Greenbone (GMP 22.6)', policy: 'task "Mail servers quarterly"',
      startedAt: '2026-09-14T10:22:36.000Z', endedAt: '2026-09-14T10:31:36.000Z', timesFrom: 'export',
    },
  },
  {
    input: 'test/fixtures/ingest/qualys-xml/mail-relays-asset-data-report.xml',
    // The report template is stated; scan times are not, so the detections' LAST_FOUND times bound it.
    expected: {
      kind: 'qualys-xml', tool: 'Qualys VM', version: null, policy: 'report template "Mail relays - TLS (confirmed and potential)"',
      startedAt: '2026-09-15T02:31:47.000Z', endedAt: '2026-09-15T02:44:05.000Z', timesFrom: 'observations',
    },
  },
  {
    input: 'test/fixtures/ingest/qualys-csv/mail-relays-scan-report.csv',
    expected: { kind: 'qualys-csv', tool: 'Qualys', version: null, timesFrom: 'observations' },
  },
  {
    input: 'test/fixtures/ingest/nessus-csv/legacy-header.csv',
    expected: { kind: 'nessus-csv', tool: 'Nessus', version: null, feed: null, timesFrom: 'option' },
  },
];

describe('scan context in the ReportModel', () => {
  for (const c of CASES) {
    it(`${c.input}: tool, version and scan times`, async () => {
      const ctx = await contextOf([c.input], { observedAt: '2026-09-15T10:00:00.000Z' });
      expect(ctx.sources).toHaveLength(1);
      expect(ctx.sources[0]).toMatchObject({ file: c.input, ...c.expected });
      expect(ctx.limitations).toEqual(SCAN_LIMITATIONS);
    });
  }

  it('states the testssl.sh time-zone caveat only when a testssl.sh file is among the inputs', async () => {
    expect((await contextOf(['test/fixtures/testssl/smtp-good.csv'], { observedAt: GENERATED })).caveats).toContain(TESTSSL_TIME_ZONE_CAVEAT);
    expect((await contextOf(['test/fixtures/ingest/nmap-xml/good-by-name.xml'])).caveats).not.toContain(TESTSSL_TIME_ZONE_CAVEAT);
  });

  it('says when scan times are only file modification times', async () => {
    const ctx = await contextOf(['test/fixtures/testssl/smtp-good.csv']);
    expect(ctx.sources[0]?.timesFrom).toBe('file-mtime');
    expect(ctx.caveats.some((c) => c.includes('modification time'))).toBe(true);
  });

  it('keeps one source per input in input order, and the scanner address among what tlsproof knows of the vantage point', async () => {
    const ctx = await contextOf(['test/fixtures/ingest/nessus-xml/two-relays.nessus', 'test/fixtures/ingest/nmap-xml/good-by-name.xml']);
    expect(ctx.sources.map((s) => s.kind)).toEqual(['nessus-xml', 'nmap-xml']);
    expect(ctx.vantage.known).toEqual(['Nessus 10.7.3 reports scanning from 10.20.0.5 (test/fixtures/ingest/nessus-xml/two-relays.nessus).']);
    expect(ctx.vantage.network).toBeNull();
  });

  it('takes the vantage point from report.config.yaml', async () => {
    const config = await parseReportConfig('vantagePoint:\n  network: external\n  description: Audit VM in a public cloud, outside the firewall\n', join(ROOT, 'report.config.yaml'));
    const ctx = await contextOf(['test/fixtures/ingest/nmap-xml/good-by-name.xml'], { config });
    expect(ctx.vantage).toMatchObject({ network: 'external', description: 'Audit VM in a public cloud, outside the firewall' });
  });

  describe('tlsproof scan results', () => {
    let dir = '';
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'tlsproof-scan-context-'));
    });
    afterAll(async () => {
      if (dir !== '') await rm(dir, { recursive: true, force: true });
    });

    it('takes tlsproof\'s version and the scan\'s start and end from the results file', async () => {
      const endpoint = {
        type: 'endpoint', key: 'mx.example.test[192.0.2.1]:25', domains: ['example.test'], status: 'completed', elapsedMs: 12,
        observation: {
          endpoint: { host: 'mx.example.test', ip: '192.0.2.1', port: 25, service: 'smtp', transport: 'starttls' },
          observedAt: '2026-09-15T10:00:05.000Z', observedAtSource: 'input', tool: 'tlsproof 0.0.9',
          scan: { state: 'completed', problems: [] }, protocols: {}, cipherClasses: {}, certificates: [], vulnerabilities: {}, sources: [],
        },
      };
      const lines = [
        { type: 'header', format: 'tlsproof-scan/v1', tool: 'tlsproof 0.0.9', startedAt: '2026-09-15T10:00:00.000Z', domains: 1, options: {} },
        endpoint,
        { type: 'footer', finishedAt: '2026-09-15T10:00:09.000Z', interrupted: false, counts: {} },
      ];
      const file = join(dir, 'scan.jsonl');
      await writeFile(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
      const ctx = await contextOf([file]);
      expect(ctx.sources[0]).toMatchObject({
        kind: 'tlsproof-jsonl', tool: 'tlsproof 0.0.9', version: '0.0.9',
        startedAt: '2026-09-15T10:00:00.000Z', endedAt: '2026-09-15T10:00:09.000Z', timesFrom: 'export',
      });
      expect(ctx.vantage.known.join(' ')).toContain('from the machine that ran "tlsproof scan"');
    });
  });
});
