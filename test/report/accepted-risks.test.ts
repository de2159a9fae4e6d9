/**
 * The accepted-risks section and the exception register, in the PDF (read back with pdftotext)
 * and the HTML (rendered, then parsed): each accepted finding with its evidence and the exception
 * cited in full, never shown as passed; the expiring, expired (finding reverted) and stale
 * entries; the register as an appendix; open against accepted counts in the summary. Neither
 * appears when the report applied no exceptions file.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportModel } from '../../src/model/report-model.js';
import { renderHtml } from '../../src/report/html/render.js';
import { renderPdf } from '../../src/report/pdf/render.js';
import { HOSTILE_SUBJECT, makeReportModel } from '../support/model-factory.js';
import { EXCEPTIONS_FILE, EXCEPTIONS_SHA, modelWithExceptions } from './exceptions-fixture.js';
import { lacks } from '../support/tools.js';

const run = promisify(execFile);
let dir = '';
let model: ReportModel;

async function pdfPages(m: ReportModel, name: string): Promise<string[]> {
  const file = join(dir, name);
  await writeFile(file, await renderPdf(m, { compress: false } as never));
  // Reading order, not layout: a table cell's lines stay together.
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return stdout.split('\f');
}

/** The text from `start` up to (not including) the first later `end`, after the cover and contents pages, spaces collapsed. */
function between(pages: readonly string[], start: RegExp, end: RegExp): string {
  const all = pages.slice(2).join('\n');
  const from = all.search(start);
  expect(from, `${start} in the PDF`).toBeGreaterThanOrEqual(0);
  const rest = all.slice(from + 1);
  const to = rest.search(end);
  return (to < 0 ? rest : rest.slice(0, to)).replace(/\s+/g, ' ');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-accepted-risks-'));
  model = modelWithExceptions();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(lacks('pdftotext'))('PDF: accepted risks and the exception register', () => {
  let pages: string[];
  let section: string;
  let register: string;
  beforeAll(async () => {
    pages = await pdfPages(model, 'accepted.pdf');
    section = between(pages, /^\s*Accepted risks\s*$/m, /^\s*Appendix A: Input problems\s*$/m);
    register = between(pages, /^\s*Appendix C: Exception register\s*$/m, /^\s*Page \d+ of \d+\s*$/m);
  });

  it('lists both in the contents', () => {
    const contents = pages.find((p) => /^\s*Contents\s*$/m.test(p)) ?? '';
    expect(contents).toMatch(/Accepted risks/);
    expect(contents).toMatch(/Appendix C: Exception register/);
  });

  it('cites each exception in full: id, approver name and role, approval date, ticket, expiry, justification, compensating control', () => {
    for (const text of ['EXC-2026-001: 1 accepted finding', 'Jane Roe, Chief Information Security Officer, on 2026-04-02', 'RISK-4', '2027-03-31',
      'Partner relay needs TLS 1.0 until its March upgrade', "Inbound restricted to the partner's two IP addresses", `${EXCEPTIONS_FILE}:4`]) {
      expect(section).toContain(text);
    }
    expect(section).toContain('EXC-2026-002: 2 accepted findings');
  });

  it('shows an accepted finding with its status word and evidence, never as passed', () => {
    expect(section).toContain('FAIL, RISK ACCEPTED');
    expect(section).toContain('WARN, RISK ACCEPTED');
    // The evidence kept: the summary and the file:line it came from.
    expect(section).toMatch(/TLSv1\.0 is offered on legacy\.例え\.test/);
    // (pdftotext breaks a long path after its slash)
    expect(section).toMatch(/samples\/testssl\/ ?legacy\.例え\.test\.csv:12/);
    expect(section).not.toMatch(/\bPASS(ED)?\b/);
  });

  it('flags the exception expiring within 30 days, the expired one with its finding reverted, and the stale one', () => {
    expect(section).toMatch(/Expiring within 30 days \(1\)/);
    expect(section).toMatch(/EXC-2026-002 .*EXPIRES WITHIN 30 DAYS/);
    expect(section).toMatch(/Expired exceptions \(1\)/);
    expect(section).toMatch(/EXC-2025-009 .*EXPIRED .*expired on 2026-09-15; 1 finding open again \(below\)/);
    expect(section).toContain('exception EXC-2025-009 expired on 2026-09-15');
    expect(section).toMatch(/exception EXC-2025-009 expired on 2026-09-15 Certificate name does not match host .*does not match imap\.bücher-gesundheit\.test/);
    expect(section).toMatch(/Stale exceptions \(1\)/);
    expect(section).toMatch(/EXC-2026-004 .*STALE: MATCHES NOTHING .*matches check cipher-rc4/);
  });

  it('lists every entry in the register appendix, with the file and its SHA-256', () => {
    for (const id of ['EXC-2026-001', 'EXC-2026-002', 'EXC-2025-009', 'EXC-2026-004']) expect(register).toContain(id);
    expect(register).toContain('4 entries in policy/exceptions.yaml');
    expect(register).toContain(EXCEPTIONS_SHA.slice(0, 32));
    expect(register).toMatch(/EXPIRED/);
    expect(register).toContain('Compensating control: Compensating control of EXC-2026-004');
  });

  it('gives open against accepted counts in the summary', () => {
    const summary = between(pages, /^\s*Summary\s*$/m, /^\s*Scope\s*$/m);
    expect(summary).toContain('Open and accepted: 3 open findings (failing or warning, no exception in force), 3 findings accepted as risk under an exception, 1 of the open ones because its exception expired.');
  });

  it('names the exception under an accepted or reverted finding\'s status in the endpoint details', () => {
    const details = between(pages, /^\s*Endpoint details\s*$/m, /^\s*Remediation plan\s*$/m);
    // (reading order interleaves the table's columns: the status word comes first, the note under the title)
    expect(details).toMatch(/FAIL TLS 1\.0 offered \S+ MEDIUM Risk accepted under EXC-2026-001 until 2027-03-31/);
    expect(details).toContain('Exception EXC-2025-009 expired on 2026-09-15: open again');
  });

  it('leaves both out when the report applied no exceptions file', async () => {
    const none = (await pdfPages(makeReportModel(), 'none.pdf')).join('\n');
    expect(none).not.toMatch(/Accepted risks|Exception register|Open and accepted/);
  });
});

describe('HTML: accepted risks and the exception register', () => {
  let document: ReturnType<typeof parseHTML>['document'];
  let html: string;
  const text = (sel: string) => document.querySelector(sel)?.textContent?.replace(/\s+/g, ' ') ?? '';
  beforeAll(async () => {
    html = await renderHtml(model);
    document = parseHTML(html).document;
  });

  it('places the section after the remediation plan and the register after the methodology, both in the contents', () => {
    const majors = [...document.querySelectorAll('main > section.major')].map((s) => s.getAttribute('id'));
    expect(majors.indexOf('accepted-risks')).toBe(majors.indexOf('remediation') + 1);
    expect(majors.indexOf('exception-register')).toBe(majors.indexOf('methodology') + 1);
    expect(document.querySelector('nav.toc a[href="#accepted-risks"]')?.textContent).toBe('Accepted risks');
    expect(document.querySelector('nav.toc a[href="#exception-register"]')?.textContent).toBe('Exception register');
  });

  it('cites each exception in full and keeps the evidence of each accepted finding', () => {
    const s = text('#accepted-risks');
    for (const t of ['EXC-2026-001: 1 accepted finding', 'Jane Roe, Chief Information Security Officer, on 2 Apr 2026', 'RISK-4', '31 Mar 2027',
      'Partner relay needs TLS 1.0 until its March upgrade', "Inbound restricted to the partner's two IP addresses", `${EXCEPTIONS_FILE}:4`,
      'samples/testssl/legacy.例え.test.csv:12']) {
      expect(s).toContain(t);
    }
  });

  it('never shows an accepted finding as passed', () => {
    const rows = [...document.querySelectorAll('#accepted-risks article.exception tbody tr')];
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(['fail', 'warn']).toContain(r.getAttribute('data-status'));
      expect(r.querySelector('.badge')?.textContent).toMatch(/^(FAIL|WARN), RISK ACCEPTED$/);
      expect(r.textContent).not.toMatch(/\bpass(ed)?\b/i);
    }
  });

  it('flags the expiring, expired (finding reverted) and stale exceptions', () => {
    const s = text('#accepted-risks');
    expect(s).toMatch(/Expiring within 30 days \(1\) .*EXC-2026-002.*EXPIRES WITHIN 30 DAYS/);
    expect(s).toMatch(/EXC-2025-009line 30.*EXPIREDmatches check cert-hostname-mismatch · host imap\.\*; expired on 15 Sep 2026; 1 finding open again/);
    expect(s).toContain('exception EXC-2025-009 expired on 2026-09-15');
    expect(s).toMatch(/Stale exceptions \(1\) .*EXC-2026-004.*STALE: MATCHES NOTHING/);
    const reverted = document.querySelector('#accepted-risks tr[data-finding*="cert-hostname-mismatch"]');
    expect(reverted?.querySelector('.badge')?.textContent).toBe('FAIL');
  });

  it('lists every entry in the register with its state, and escapes what the file says', () => {
    const rows = [...document.querySelectorAll('#exception-register tbody tr')];
    expect(rows.map((r) => [r.getAttribute('id'), r.getAttribute('data-state')])).toEqual([
      ['exc-EXC-2026-001', 'active'], ['exc-EXC-2026-002', 'expiring-soon'], ['exc-EXC-2025-009', 'expired'], ['exc-EXC-2026-004', 'stale']]);
    expect(text('#exception-register')).toContain(EXCEPTIONS_SHA);
    expect(html).not.toContain(HOSTILE_SUBJECT);
    expect(text('#exception-register')).toContain(HOSTILE_SUBJECT);
    // Every link of the section resolves in the page.
    for (const a of document.querySelectorAll('#accepted-risks a[href^="#"], #exception-register a[href^="#"]')) {
      expect(document.getElementById(a.getAttribute('href')!.slice(1)), a.getAttribute('href')!).not.toBeNull();
    }
  });

  it('names the exception on an accepted or reverted finding in the endpoint details', () => {
    const card = (check: string, host: string) => [...document.querySelectorAll(`article.finding[id^="f-${check}-"]`)]
      .find((a) => a.getAttribute('data-endpoint')?.startsWith(host));
    expect(card('proto-tls10', 'legacy.')?.querySelector('.exc-note')?.textContent).toBe('Risk accepted under EXC-2026-001 until 2027-03-31 (see Accepted risks)');
    expect(card('proto-tls10', 'legacy.')?.getAttribute('data-status')).toBe('fail');
    expect(card('cert-hostname-mismatch', 'imap.')?.querySelector('.exc-note')?.textContent).toBe('Exception EXC-2025-009 expired on 2026-09-15: open again (see Accepted risks)');
    expect(card('proto-tls10', 'imap.')?.querySelector('.exc-note')).toBeNull();
  });

  it('gives open against accepted counts in the summary, and leaves everything out without an exceptions file', async () => {
    expect(text('#summary .exc-counts')).toContain('3 open findings (failing or warning, no exception in force), 3 findings accepted as risk under an exception');
    const none = parseHTML(await renderHtml(makeReportModel())).document;
    expect(none.querySelector('#accepted-risks')).toBeNull();
    expect(none.querySelector('#exception-register')).toBeNull();
    expect(none.querySelector('#summary .exc-counts')).toBeNull();
  });
});
