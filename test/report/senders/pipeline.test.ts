/**
 * TLS-RPT through the whole pipeline: real testssl.sh scans of the sample MX hosts plus a Maildir,
 * a gzip report and an e-mail of sender reports → ingest → join → checks (runChecks) → controls →
 * model → PDF, HTML and JSON, recorded in an evidence store; a second quarter then reads the first
 * one's totals back from the store for the trend.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReport, type ReportRequest } from '../../../src/pipeline.js';
import type { ReportModel } from '../../../src/model/report-model.js';
import { reportEmail, reportFileName, reportGzip, writeMaildir, type ReportSpec } from '../../../bench/tls-rpt-generate.js';
import { ROOT } from '../../ingest/support.js';
import { lacks } from '../../support/tools.js';

const run = promisify(execFile);
let dir: string;
let q3: ReportModel;
let q4: ReportModel;
let q3PdfFile: string;
let q3Html: string;

const GOOD = { domain: 'good.example.test', mx: ['mail.good.example.test'] };
const WRONG = { domain: 'wronghost.example.test', mx: ['mail.wronghost.example.test'] };
const LEGACY = { domain: 'legacy.example.test', mx: ['mail.legacy.example.test'] };

function request(inputs: string[], period: string, at: string, store: string, out: string): ReportRequest {
  return {
    inputs, period, formats: ['json', 'html', 'pdf'], outDir: out, strict: false, generatedAt: at, observedAt: at.replace('T10', 'T08'),
    cwd: ROOT, toolVersion: '0.1.0-test', organisation: 'Example Health', frameworks: ['hipaa', 'nist-800-53', 'ietf'],
    store: { path: store, command: ['report', ...inputs, '--period', period], recordedAt: at },
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-senders-pipe-'));
  const store = join(dir, 'evidence.db');
  // Q3: two weeks of Google and Microsoft reports in a Maildir; a certificate for the wrong name seen
  // by senders at the wronghost MX on one day; STARTTLS missing at the legacy MX (a gzip report);
  // a report from October that falls outside Q3.
  const specs: ReportSpec[] = [];
  for (let d = 1; d <= 14; d++) {
    const date = `2026-09-${String(d).padStart(2, '0')}`;
    specs.push({ org: 'Google Inc.', date, ...GOOD, ok: 4000 + d });
    specs.push({ org: 'Microsoft Corporation', date, ...GOOD, ok: 1200 + d });
    specs.push({ org: 'Google Inc.', date, ...WRONG, ok: 270, failures: d === 10 ? [{ type: 'certificate-host-mismatch', n: 30, mx: 'mail.wronghost.example.test' }] : [] });
  }
  const maildir = await writeMaildir(join(dir, 'q3', 'Maildir'), specs);
  const legacy: ReportSpec = { org: 'Google Inc.', date: '2026-09-20', ...LEGACY, ok: 800, failures: [{ type: 'starttls-not-supported', n: 4, mx: 'mail.legacy.example.test' }] };
  await writeFile(join(dir, 'q3', reportFileName(legacy)), reportGzip(legacy));
  const october: ReportSpec = { org: 'Google Inc.', date: '2026-10-02', ...GOOD, ok: 4100 };
  await writeFile(join(dir, 'q3', 'october.eml'), reportEmail(october));
  await mkdir(join(dir, 'q3-out'));
  const one = await runReport(request(['samples/2026-Q3', maildir, join(dir, 'q3', reportFileName(legacy)), join(dir, 'q3', 'october.eml')], '2026-Q3', '2026-09-30T10:00:00Z', store, join(dir, 'q3-out')));
  q3 = one.model;
  q3PdfFile = one.written.find((f) => f.endsWith('.pdf'))!;
  q3Html = await readFile(one.written.find((f) => f.endsWith('.html'))!, 'utf8');
  // Q4: one clean week for the good domain; the trend reads Q3 back from the store.
  const q4specs: ReportSpec[] = [];
  for (let d = 1; d <= 7; d++) q4specs.push({ org: 'Google Inc.', date: `2026-12-0${d}`, ...GOOD, ok: 5000, failures: d === 3 ? [{ type: 'validation-failure', n: 5, mx: 'mail.good.example.test' }] : [] });
  const q4dir = await writeMaildir(join(dir, 'q4', 'Maildir'), q4specs);
  await mkdir(join(dir, 'q4-out'));
  q4 = (await runReport({ ...request(['samples/2026-Q4', q4dir], '2026-Q4', '2026-12-20T10:00:00Z', store, join(dir, 'q4-out')), formats: ['json'] })).model;
}, 180_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const finding = (m: ReportModel, checkId: string, host: string) => m.findings.filter((f) => f.checkId === checkId && f.endpoint.host === host);

describe('TLS-RPT through the pipeline', () => {
  it('counts each domain\'s reports in the period and says which fell outside it', () => {
    const s = q3.senderReports!;
    expect(s.reports).toBe(43);
    expect(s.outsidePeriod).toBe(1);
    expect(s.domains.map((d) => [d.domain, d.reports, d.successful, d.failed])).toEqual([
      ['good.example.test', 28, 14 * 4000 + 105 + 14 * 1200 + 105, 0],
      ['legacy.example.test', 1, 800, 4],
      ['wronghost.example.test', 14, 14 * 270, 30],
    ]);
    expect(q3.problems).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'outside-period', effect: 'file-skipped',
      message: expect.stringMatching(/covers 2026-10-02 to 2026-10-02, outside Q3 2026/) })]));
    expect(q3.scope.inputs.filter((i) => i.kind === 'tls-rpt')).toHaveLength(44);
  });

  it('judges the scanned MX hosts by what senders saw (checks run by the pipeline)', () => {
    expect(finding(q3, 'tls-rpt-failure-rate', 'mail.wronghost.example.test').map((f) => [f.status, f.message])).toEqual([
      ['warn', 'wronghost.example.test: on 1 of 14 days more than 5% of sessions failed at this MX (worst 2026-09-10: 30 of 300 sessions, 10%)'],
    ]);
    expect(finding(q3, 'tls-rpt-sender-failures', 'mail.wronghost.example.test').map((f) => f.status)).toEqual(['fail']);
    expect(finding(q3, 'tls-rpt-sender-failures', 'mail.legacy.example.test').map((f) => [f.status, f.severity])).toEqual([['fail', 'high']]);
    expect(finding(q3, 'tls-rpt-sender-failures', 'mail.good.example.test').map((f) => f.status)).toEqual(['pass']);
    // The evidence cites the report the numbers come from.
    expect(finding(q3, 'tls-rpt-sender-failures', 'mail.legacy.example.test')[0]!.evidence[0]!.source.file).toMatch(/google\.com!legacy\.example\.test!/);
    // Without domain policies from tlsproof's own scan, the arrival of reports is not judged.
    expect(new Set(q3.findings.filter((f) => f.checkId === 'tls-rpt-reports-absent').map((f) => f.status))).toEqual(new Set(['not-tested']));
    // Submission (587) is not an MX: no sender facts there.
    expect(q3.findings.filter((f) => f.checkId.startsWith('tls-rpt-') && f.endpoint.port !== 25)).toEqual([]);
  });

  it('passes findings to the controls within the verdict rules: process controls get evidence, partial links only warn', () => {
    const control = (fw: string, id: string) => q3.frameworks.find((f) => f.id === fw)!.controls.find((c) => c.id === id)!;
    const rptFindings = (c: ReturnType<typeof control>) => c.findingIds.filter((id) => id.startsWith('tls-rpt-')).sort();
    for (const [fw, id] of [['nist-800-53', 'SI-4'], ['hipaa', '164.312(b)'], ['hipaa', '164.308(a)(1)(ii)(D)']] as const) {
      expect(control(fw, id).status, `${fw} ${id}`).toBe('evidence');
      expect(rptFindings(control(fw, id)), `${fw} ${id}`).toEqual(expect.arrayContaining([
        'tls-rpt-failure-rate@mail.wronghost.example.test[127.0.77.23]:25', 'tls-rpt-sender-failures@mail.legacy.example.test[127.0.77.30]:25',
      ]));
    }
    // A technical control with a partial link of our reading lists the sender failures; it cannot fail on them alone.
    const e1 = control('hipaa', '164.312(e)(1)');
    expect(e1.checks.find((l) => l.checkId === 'tls-rpt-sender-failures')).toMatchObject({ coverage: 'partial', interpretation: true });
    expect(rptFindings(e1)).toContain('tls-rpt-sender-failures@mail.legacy.example.test[127.0.77.30]:25');
    for (const fw of q3.frameworks) {
      for (const c of fw.controls) {
        const links = c.checks.filter((l) => l.checkId.startsWith('tls-rpt-') && l.checkId !== 'tls-rpt-missing');
        if (links.length > 0 && c.kind !== 'technical') expect(['evidence', 'not-assessed'], `${fw.id} ${c.id}`).toContain(c.status);
      }
    }
    expect(q3.frameworks.some((f) => f.controls.some((c) => c.checks.some((l) => l.checkId === 'tls-rpt-sender-failures')))).toBe(true);
  });

  it.skipIf(lacks('pdftotext'))('renders the section in the PDF and the HTML', async () => {
    const q3Pdf = (await run('pdftotext', ['-layout', q3PdfFile, '-'], { maxBuffer: 32 * 1024 * 1024 })).stdout.replace(/[ \t]+/g, ' ');
    expect(q3Pdf).toContain('What sending servers saw');
    expect(q3Pdf).toMatch(/wronghost\.example\.test: failed sessions per day/);
    expect(q3Pdf).toMatch(/certificate-host-mismatch 30 100\.0% the certificate does not name the MX/);
    expect(q3Html).toContain('<section class="major senders" id="senders"');
    expect(q3Html).toMatch(/mail\.legacy\.example\.test<\/th><td class="num">4<\/td>/);
  });

  it('refuses reports alone, saying they need the scans of the MX hosts', async () => {
    await expect(runReport({ ...request([join(dir, 'q3', 'october.eml')], '2026-Q4', '2026-12-20T10:00:00Z', join(dir, 'other.db'), join(dir, 'none')), store: undefined }))
      .rejects.toThrow(/No scan results among the inputs: .* TLS-RPT reports say what senders saw at MX hosts; give the scan results of those hosts/);
  });

  it('carries the totals in the stored summary and reads them back for the next period\'s trend', () => {
    expect(q3.summary.senderSessions).toEqual(q3.senderReports!.domains.map((d) => ({ domain: d.domain, reports: d.reports, successful: d.successful, failed: d.failed })));
    const good = q4.senderReports!.domains.find((d) => d.domain === 'good.example.test')!;
    expect(good.trend.map((p) => [p.label, p.successful, p.failed, p.current])).toEqual([
      ['Q3 2026', 14 * 4000 + 105 + 14 * 1200 + 105, 0, false],
      ['Q4 2026', 35000, 5, true],
    ]);
  });
});
