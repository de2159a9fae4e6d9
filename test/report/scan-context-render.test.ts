/**
 * What the reader sees of the scan context, the coverage gap and the sections a configuration
 * left out, in the PDF (read back with pdftotext, page by page) and the HTML (parsed), built by
 * the real pipeline from the sample inputs (testssl.sh JSON, one run interrupted; a domain list
 * with one domain that has no scan results).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReportConfig } from '../../src/config/load.js';
import type { ReportConfig } from '../../src/config/schema.js';
import type { ReportModel } from '../../src/model/report-model.js';
import { buildModel } from '../../src/pipeline.js';
import { renderHtml } from '../../src/report/html/render.js';
import { renderPdf } from '../../src/report/pdf/render.js';
import { ROOT } from '../ingest/support.js';
import { lacks } from '../support/tools.js';

const run = promisify(execFile);
const HOSTILE = 'Audit VM <script>alert(1)</script> outside the firewall';
const GAP = 'Coverage gap: 1 of 5 in-scope domains has no evidence: portal.example.test. Nothing in this report speaks for it.';

let dir = '';
let model: ReportModel;

/** pdftotext pages with runs of whitespace made single spaces, so wrapped lines read as sentences. */
async function pdfPages(bytes: Uint8Array, name: string): Promise<string[]> {
  const file = join(dir, name);
  await writeFile(file, bytes);
  const { stdout } = await run('pdftotext', [file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return stdout.split('\f').map((p) => p.replace(/\s+/g, ' ').trim());
}

function text(el: { textContent: string | null } | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

async function config(yaml: string): Promise<ReportConfig> {
  return parseReportConfig(yaml, join(dir, 'report.config.yaml'));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-scan-context-render-'));
  const cfg = await config(`vantagePoint:\n  network: external\n  description: "${HOSTILE}"\n`);
  ({ model } = await buildModel({
    inputs: ['samples/2026-Q3'], domains: 'samples/domains.csv', organisation: 'Example Health', period: '2026-Q3',
    formats: [], outDir: dir, strict: false, generatedAt: '2026-10-01T09:00:00.000Z', cwd: ROOT, toolVersion: '0.1.0', config: cfg,
  }));
});
afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe('scan context and limitations', () => {
  it.skipIf(lacks('pdftotext'))('is a PDF section with tools, scan times, vantage point, caveats and limitations', async () => {
    const pages = await pdfPages(await renderPdf(model, {}), 'context.pdf');
    const at = pages.findIndex((p) => p.includes('Scan context and limitations Tools and scan times'));
    expect(at, 'the section follows the contents and summary').toBeGreaterThan(1);
    const section = pages.slice(at, at + 2).join(' ');
    expect(section).toContain('6 files (testssl-json)');
    expect(section).toContain('testssl.sh 3.0.8 with OpenSSL');
    expect(section).toMatch(/2026-09-15 09:00 UTC – 2026-09-15 09:0\d UTC/);
    expect(section).toContain('Note: testssl.sh recorded the scan as interrupted');
    expect(section).toContain('External: from the internet');
    expect(section).toContain(HOSTILE);
    expect(section).toContain('testssl.sh prints certificate validity dates (notBefore, notAfter) without a time zone');
    expect(section).toContain('Internal relays');
    expect(section).toContain('tlsproof is not a PCI SSC Approved Scanning Vendor (ASV) scan');
    // Listed in the contents with its page.
    expect(pages[1]).toMatch(new RegExp(`Scan context and limitations ${at + 1}\\b`));
  });

  it('is an HTML section, escaped', async () => {
    const html = await renderHtml(model, {});
    const { document } = parseHTML(html);
    const section = document.querySelector('section#context');
    expect(section).not.toBeNull();
    const t = text(section);
    expect(t).toContain('testssl.sh 3.0.8 with OpenSSL');
    expect(t).toContain('Note: testssl.sh recorded the scan as interrupted');
    const facts = [...section!.querySelectorAll('dl.facts > div')].map((d) => [text(d.querySelector('dt')), text(d.querySelector('dd'))]);
    expect(facts).toEqual([
      ['Network', 'External: from the internet, as a sending server sees the endpoints'],
      ['Description', HOSTILE],
      ['What tlsproof knows', 'The inputs do not record where the scans ran from.'],
    ]);
    expect(t).toContain('not a PCI SSC Approved Scanning Vendor (ASV) scan');
    expect(section!.querySelectorAll('ul.limitations li')).toHaveLength(model.scanContext.limitations.length);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(document.querySelector('nav.toc a[href="#context"]')?.textContent).toBe('Scan context and limitations');
  });
});

describe('coverage gap', () => {
  it.skipIf(lacks('pdftotext'))('is on the PDF cover and at the top of the summary, with the domain names', async () => {
    const pages = await pdfPages(await renderPdf(model, {}), 'gap.pdf');
    expect(pages[0]).toContain(GAP);
    const summary = pages.find((p) => p.startsWith('Email transport encryption evidence Example Health Summary'));
    expect(summary).toBeDefined();
    expect(summary!.indexOf(GAP)).toBeGreaterThan(0);
    expect(summary!.indexOf(GAP)).toBeLessThan(summary!.indexOf('Endpoints assessed'));
  });

  it('is on the HTML cover and in the summary', async () => {
    const { document } = parseHTML(await renderHtml(model, {}));
    expect(text(document.querySelector('#cover .coverage-gap'))).toBe(GAP);
    expect(text(document.querySelector('#summary .coverage-gap'))).toBe(GAP);
  });

  it('is absent when every listed domain has evidence', async () => {
    const covered: ReportModel = { ...model, scope: { ...model.scope, assetsWithoutResults: [] } };
    const { document } = parseHTML(await renderHtml(covered, {}));
    expect(document.querySelector('.coverage-gap')).toBeNull();
  });
});

describe('sections the configuration leaves out', () => {
  it.skipIf(lacks('pdftotext'))('are named on the PDF contents page and in the HTML contents', async () => {
    const cfg = await config('sections: [summary, scope, frameworks, endpoints, remediation]\n');
    const pages = await pdfPages(await renderPdf(model, { config: cfg }), 'omitted.pdf');
    const line = 'Not in this report: Scan context and limitations, Input problems, Methodology and integrity, Sign-off. '
      + 'The sections list of the report configuration left them out; the evidence behind them was still read.';
    expect(pages[1]).toContain(line);
    const { document } = parseHTML(await renderHtml(model, { config: cfg }));
    expect(text(document.querySelector('nav.toc .toc-omitted'))).toBe(line);
    expect(document.querySelector('section#problems')).toBeNull();
  });

  it.skipIf(lacks('pdftotext'))('are not claimed when the configuration lists every section or none', async () => {
    for (const cfg of [await config('organisation: Example Health\n'),
      await config('sections: [summary, history, scope, context, frameworks, endpoints, remediation, problems, methodology, signoff]\n')]) {
      const pages = await pdfPages(await renderPdf(model, { config: cfg }), 'all.pdf');
      expect(pages[1]).not.toContain('Not in this report');
      const { document } = parseHTML(await renderHtml(model, { config: cfg }));
      expect(document.querySelector('.toc-omitted')).toBeNull();
    }
  });
});
