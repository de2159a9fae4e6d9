/**
 * "What sending servers saw" (TLS-RPT) in both renderers: present only with sender reports,
 * listed in the contents, per domain the sessions, failure rate, top failure types, where they
 * happened, the organisations, a daily chart against the threshold and the trend across periods,
 * read back from the HTML DOM and from the PDF's text (pdftotext). Set SENDERS_PREVIEW=dir to
 * keep the files for a look.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportModel } from '../../../src/model/report-model.js';
import { renderHtml } from '../../../src/report/html/render.js';
import { renderPdf } from '../../../src/report/pdf/render.js';
import { makeReportModel } from '../../support/model-factory.js';
import { lacks } from '../../support/tools.js';

const run = promisify(execFile);
let dir: string;
let model: ReportModel;
let html: string;
let pdfText: string;

beforeAll(async () => {
  dir = process.env['SENDERS_PREVIEW'] ?? await mkdtemp(join(tmpdir(), 'tlsproof-senders-'));
  model = makeReportModel({ senderReports: true });
  html = await renderHtml(model);
  const pdf = await renderPdf(model, { compress: false });
  await writeFile(join(dir, 'senders.html'), html);
  await writeFile(join(dir, 'senders.pdf'), pdf);
}, 60_000);

afterAll(async () => {
  if (!process.env['SENDERS_PREVIEW']) await rm(dir, { recursive: true, force: true });
});

describe('What sending servers saw: HTML', () => {
  const doc = () => parseHTML(html).document;
  const text = () => doc().querySelector('section#senders')?.textContent?.replace(/\s+/g, ' ') ?? '';
  /** Each row's cells (or a list's terms and details) joined by single spaces. */
  const cells = (selector: string, parts = 'th, td'): string[] => [...doc().querySelectorAll(selector)]
    .map((r) => [...r.querySelectorAll(parts)].map((c) => c.textContent?.replace(/\s+/g, ' ').trim()).join(' '));

  it('is absent without sender reports, and listed in the contents with them', async () => {
    const none = parseHTML(await renderHtml(makeReportModel())).document;
    expect(none.querySelector('#senders')).toBeNull();
    expect(none.querySelector('a[href="#senders"]')).toBeNull();
    expect(doc().querySelector('nav.toc a[href="#senders"]')?.textContent).toBe('What sending servers saw');
    const majors = [...doc().querySelectorAll('main > section.major')].map((s) => s.getAttribute('id'));
    expect(majors.indexOf('senders')).toBe(majors.indexOf('endpoints') + 1);
  });

  it('gives per domain the sessions, the failure rate and the days above the threshold', () => {
    const d = model.senderReports!.domains[0]!;
    expect(d.daysAboveThreshold).toBe(7);
    const [facts] = cells('#senders-0 dl.facts', 'dt, dd');
    expect(facts).toBe(`Sessions ${d.successful.toLocaleString('en-US')} successful, ${d.failed.toLocaleString('en-US')} failed ` +
      `Failure rate ${d.failureRate!.toFixed(2)}% over the period; 7 of 30 days above 5% Reports 60 from Google Inc., Microsoft Corporation Policy sts`);
    expect(text()).toContain('60 TLS-RPT reports (RFC 8460)');
  });

  it('lists the top failure types with their meaning, and where they happened', () => {
    const rows = cells('table.senders-types tbody tr');
    expect(rows[0]).toMatch(/^certificate-expired 1,379 9\d\.\d% the certificate had expired$/);
    expect(rows.map((r) => r?.split(' ')[0])).toEqual(['certificate-expired', 'validation-failure', 'starttls-not-supported']);
    const mx = cells('table.senders-mx tbody tr');
    expect(mx).toEqual(['mx1.example-health.test 21 validation-failure (21) yes', 'mx2.example-health.test 1,397 certificate-expired (1,379), starttls-not-supported (18) yes']);
  });

  it('draws the daily chart as an accessible SVG whose columns above the threshold are marked', () => {
    const svg = doc().querySelector('#senders svg.trend-chart')!;
    expect(svg.getAttribute('aria-labelledby')).toBe('senders-chart-0-title senders-chart-0-desc');
    expect(svg.querySelectorAll('rect.bar-fill')).toHaveLength(30);
    expect(svg.querySelectorAll('rect.bar-fill.st-warn')).toHaveLength(7);
    expect(doc().querySelector('#senders-chart-0-desc')?.textContent).toMatch(/^Threshold 5%\. 2026-09-01: 0 of 3,308 sessions failed \(0\.00%\);/);
    expect(svg.querySelector('line.senders-threshold')).not.toBeNull();
  });

  it('shows the trend across periods from the store, this period last', () => {
    const rows = cells('table.senders-trend tbody tr');
    expect(rows.map((r) => r?.split(' ').slice(0, 2).join(' '))).toEqual(['Q4 2025', 'Q1 2026', 'Q2 2026', 'Q3 2026']);
    expect(rows[1]).toBe('Q1 2026 298,000 15,400 4.91%');
    expect(rows[3]).toContain('(this report)');
    expect(doc().querySelectorAll('#senders-trend-0-desc')).toHaveLength(1);
  });

  it.skipIf(lacks('pdftotext'))('says so when the reports name no domain (a mailbox of other mail)', async () => {
    const m = makeReportModel({ senderReports: true });
    m.senderReports = { ...m.senderReports!, reports: 0, start: null, end: null, domains: [] };
    const section = parseHTML(await renderHtml(m)).document.querySelector('section#senders')!;
    expect(section.textContent).toContain('None of the reports read names a policy domain.');
    const pdf = join(dir, 'empty.pdf');
    await writeFile(pdf, await renderPdf(m, { compress: false }));
    expect((await run('pdftotext', [pdf, '-'])).stdout).toContain('None of the reports read names a policy domain.');
  });

  it('escapes what senders wrote', async () => {
    const m = makeReportModel({ senderReports: true });
    m.senderReports!.domains[0]!.organisations[0] = '<img src=x onerror=alert(1)>';
    const out = await renderHtml(m);
    expect(out).not.toContain('<img src=x');
    expect(out).toMatch(/&lt;img src(=|&#x3D;)x onerror(=|&#x3D;)alert\(1\)&gt;/);
  });
});

describe.skipIf(lacks('pdftotext'))('What sending servers saw: PDF', () => {
  beforeAll(async () => {
    pdfText = (await run('pdftotext', ['-layout', '-enc', 'UTF-8', join(dir, 'senders.pdf'), '-'], { maxBuffer: 16 * 1024 * 1024 })).stdout;
  });

  it('has the section with its facts, tables, chart caption and trend', () => {
    const t = pdfText.replace(/[ \t]+/g, ' ');
    expect(t).toContain('What sending servers saw');
    expect(t).toMatch(/60 TLS-RPT reports \(RFC 8460\) from the servers that delivered mail/);
    expect(t).toMatch(/Failure rate \d\.\d\d% over the period; 7 of 30 days above 5%/);
    expect(t).toContain('example-health.test: failed sessions per day');
    expect(t).toContain('7 of 30 columns above the threshold (in amber).');
    expect(t).toMatch(/certificate-expired 1,379 9\d\.\d% the certificate had expired/);
    expect(t).toMatch(/mx2\.example-health\.test 1,397 certificate-expired \(1,379\), starttls-not-supported \(18\) yes/);
    expect(t).toMatch(/Q1 2026 313,400 15,400 4\.91%/);
    expect(t).toContain('threshold 5%');
  });

  it('lists the section in the contents only when there are sender reports', async () => {
    const contents = pdfText.slice(0, pdfText.indexOf('Summary', pdfText.indexOf('Contents') + 10) + 400);
    expect(pdfText.indexOf('Contents')).toBeGreaterThanOrEqual(0);
    expect(contents.length).toBeGreaterThan(0);
    const p = join(dir, 'none.pdf');
    await writeFile(p, await renderPdf(makeReportModel(), { compress: false }));
    const none = (await run('pdftotext', ['-layout', p, '-'])).stdout;
    expect(none).not.toContain('What sending servers saw');
  });
});
