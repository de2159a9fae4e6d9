/**
 * The HTML report in a real browser: Debian's chromium driven by playwright-core. The page must
 * render with no console errors and no network requests, the filters must work by real clicks and
 * selects, print must show every section with numbered pages and a running header, a hostile
 * certificate subject must show as text and run nothing, and with JavaScript off everything stays
 * visible. The layout is judged by facts read from the laid-out page (scroll width, column boxes),
 * on the factory model and on the shipped sample run through the production pipeline.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_CONFIG, parseReportConfig } from '../../src/config/load.js';
import type { ReportModel } from '../../src/model/report-model.js';
import { buildModel } from '../../src/pipeline.js';
import { renderHtml } from '../../src/report/html/render.js';
import { HOSTILE_SUBJECT, makeReportModel } from '../support/model-factory.js';
import { lacks } from '../support/tools.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(import.meta.dirname, '..', '..');
const MARKING = 'Confidential – internal audit evidence, need to know';
const run = promisify(execFile);
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let browser: Browser | undefined;
let dir = '';
let plainUrl = '';
let configuredUrl = '';
let sampleUrl = '';
let historyUrl = '';
let largeUrl = '';
let large: ReportModel;
let sample: ReportModel;

interface Watched { page: Page; errors: string[]; requests: string[]; dialogs: string[] }

async function open(url: string, javaScriptEnabled = true): Promise<Watched> {
  if (browser === undefined) throw new Error('browser not started');
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  const w: Watched = { page, errors: [], requests: [], dialogs: [] };
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') w.errors.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => w.errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => { if (r.url() !== url && !r.url().startsWith('data:')) w.requests.push(r.url()); });
  page.on('dialog', (d) => { w.dialogs.push(d.message()); void d.dismiss(); });
  await page.goto(url, { waitUntil: 'load' });
  return w;
}

/** The ids of the elements matching `selector` that are laid out (not hidden by a filter). */
async function shownIds(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (els) => els.filter((el) => el.getClientRects().length > 0).map((el) => el.id));
}

/**
 * Layout facts of the page as laid out now: the document's scroll width, and every column of a
 * data table that is hidden or reaches past the box that holds its table (a scrolling wrapper
 * hides what lies past its edge). A table shown as cards (a phone) has its header row hidden:
 * there every cell must carry its column's name, shown before its value, with a box of its own.
 */
async function layoutFacts(page: Page): Promise<{ scrollWidth: number; clipped: string[]; columns: number; stacked: number }> {
  // A string, as the tests are compiled without the DOM library.
  return page.evaluate(`(() => {
    const clipped = [];
    let columns = 0;
    let stacked = 0;
    const name = (table, what) => (table.querySelector('caption')?.textContent ?? 'table').trim().slice(0, 40) + ': ' + what;
    for (const table of document.querySelectorAll('table.data')) {
      if (table.getClientRects().length === 0) continue;
      const holder = (table.closest('.table-wrap') ?? table.parentElement ?? table).getBoundingClientRect();
      const heads = [...table.querySelectorAll('thead th')];
      const firstRow = table.querySelector('tbody tr');
      if (firstRow && getComputedStyle(firstRow).display === 'block') {
        stacked++;
        const names = heads.map((h) => (h.textContent ?? '').trim());
        const seen = new Set();
        for (const row of table.querySelectorAll('tbody tr')) {
          for (const cell of row.children) {
            // A cell spanning every column ("no stored run") stands for the whole row.
            if (cell.hasAttribute('colspan')) continue;
            columns++;
            const label = cell.dataset.label;
            const r = cell.getBoundingClientRect();
            const shown = getComputedStyle(cell, '::before').content;
            // The row's own name heads its card; every other cell shows its column's name.
            const heading = cell.tagName === 'TH' && cell === row.firstElementChild;
            if (label === undefined || !names.includes(label) || (!heading && shown !== JSON.stringify(label))
              || r.width < 8 || r.height < 4 || r.right > holder.right + 1) {
              clipped.push(name(table, (label ?? 'unlabelled cell') + ' (card shows ' + shown + ')'));
            } else {
              seen.add(label);
            }
          }
        }
        if (seen.size > 0) for (const n of names) if (!seen.has(n)) clipped.push(name(table, n + ' (no card shows this column)'));
        continue;
      }
      for (const th of heads) {
        const r = th.getBoundingClientRect();
        columns++;
        if (r.width < 8 || r.height < 4 || r.left < holder.left - 1 || r.right > holder.right + 1 || r.right > window.innerWidth + 1) {
          clipped.push(name(table, (th.textContent ?? '').trim()));
        }
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, clipped, columns, stacked };
  })()`);
}

describe.skipIf(lacks(CHROMIUM, 'pdftotext'))('HTML report in chromium', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tlsproof-browser-'));
    const model = makeReportModel();
    await writeFile(join(dir, 'plain.html'), await renderHtml(model));
    await writeFile(join(dir, 'logo.png'), PNG_1X1);
    const config = await parseReportConfig([
      'logo: logo.png',
      'classification: \'Secret "</style><script>alert(2)</script>\'',
      'colours: { accent: "#7a1f5c" }',
      'text: { introduction: "Intro {{report.organisation}}" }',
      'signOff: { preparedBy: { name: "Ana Müller", role: "Engineer" } }',
      'remediationDeadlines: { high: 30 }',
    ].join('\n'), join(dir, 'report.config.yaml'));
    await writeFile(join(dir, 'configured.html'), await renderHtml(model, { config }));
    // The shipped sample through the production pipeline, with a long classification marking.
    ({ model: sample } = await buildModel({
      inputs: ['samples/2026-Q3'], domains: 'samples/domains.csv', organisation: 'Example Health', period: '2026-Q3',
      formats: ['html'], outDir: dir, strict: false, generatedAt: '2026-10-01T09:00:00.000Z', cwd: ROOT, toolVersion: '0.1.0',
    }));
    await writeFile(join(dir, 'sample.html'), await renderHtml(sample, { config: { ...EMPTY_CONFIG, classification: MARKING } }));
    sampleUrl = pathToFileURL(join(dir, 'sample.html')).href;
    await writeFile(join(dir, 'history.html'), await renderHtml(makeReportModel({ history: true })));
    historyUrl = pathToFileURL(join(dir, 'history.html')).href;
    large = makeReportModel({ extraEndpoints: 220 });
    await writeFile(join(dir, 'large.html'), await renderHtml(large));
    largeUrl = pathToFileURL(join(dir, 'large.html')).href;
    plainUrl = pathToFileURL(join(dir, 'plain.html')).href;
    configuredUrl = pathToFileURL(join(dir, 'configured.html')).href;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it.each([['without a config', () => plainUrl], ['with a config (logo, classification, sign-off)', () => configuredUrl], ['the sample', () => sampleUrl]])(
    'renders %s with no console errors, no network requests and no dialogs', async (_name, url) => {
      const w = await open(url());
      expect(w.errors).toEqual([]);
      expect(w.requests).toEqual([]);
      expect(w.dialogs).toEqual([]);
      expect(await w.page.title()).toContain('Email transport encryption evidence');
      await w.page.context().close();
    });

  it('shows the hostile certificate subject as text and runs nothing from it', async () => {
    const w = await open(plainUrl);
    const text = await w.page.evaluate('document.body.innerText');
    expect(text).toContain(HOSTILE_SUBJECT);
    expect(await w.page.locator('img[src="x"]').count()).toBe(0);
    expect(await w.page.evaluate('document.scripts.length')).toBe(1);
    expect(w.dialogs).toEqual([]);
    await w.page.context().close();
  });

  it('filters controls and every check result from the top of the page, by real selects and clicks', async () => {
    const w = await open(sampleUrl);
    const { page } = w;
    const form = page.locator('#report-filters');
    await expect.poll(() => form.isVisible()).toBe(true);
    // At the top: before the first section, not at the endpoint details.
    const formTop = (await form.boundingBox())?.y ?? Infinity;
    expect(formTop).toBeLessThan((await page.locator('#summary').boundingBox())?.y ?? 0);

    const controls = sample.frameworks.flatMap((f) => f.controls);
    const checks = sample.findings;
    const sorted = (xs: string[]): string[] => [...xs].sort();
    const count = async (): Promise<string> => (await page.textContent('#filter-count')) ?? '';
    expect(await count()).toBe(`Showing all ${controls.length} controls and all ${checks.length} check results on ${sample.scope.endpoints.length} endpoints. Nothing is hidden.`);
    expect(sorted(await shownIds(page, '[data-check]'))).toEqual(sorted(checks.map((f) => f.anchor)));

    // Passed checks can be shown, and the count says what is hidden.
    await page.selectOption('#filter-status', 'pass');
    const passes = checks.filter((f) => f.status === 'pass');
    const passingControls = controls.filter((c) => c.status === 'pass');
    expect(passes.length).toBeGreaterThan(100);
    expect(sorted(await shownIds(page, '[data-check]'))).toEqual(sorted(passes.map((f) => f.anchor)));
    expect(sorted(await shownIds(page, 'article.control'))).toEqual(sorted(passingControls.map((c) => c.anchor)));
    expect(await count()).toContain(`Showing ${passingControls.length} of ${controls.length} controls and ${passes.length} of ${checks.length} check results (status Pass). Hidden: `);
    expect(await count()).toContain(`${checks.filter((f) => f.status === 'fail').length} fail`);
    expect(await page.textContent('#endpoints .filter-notice')).toContain(`hide ${checks.length - passes.length} of ${checks.length} check results`);

    await page.selectOption('#filter-status', 'not-tested');
    const untested = checks.filter((f) => f.status === 'not-tested');
    expect(untested.length).toBeGreaterThan(0);
    expect(sorted(await shownIds(page, '[data-check]'))).toEqual(sorted(untested.map((f) => f.anchor)));

    // A framework: its controls only, other framework sections gone, passes of its endpoints kept.
    await page.selectOption('#filter-status', '');
    await page.selectOption('#filter-framework', 'pci-dss');
    const pci = sample.frameworks.find((f) => f.id === 'pci-dss')!;
    expect(await shownIds(page, 'section.framework')).toEqual([pci.anchor]);
    expect(sorted(await shownIds(page, 'article.control'))).toEqual(sorted(pci.controls.map((c) => c.anchor)));
    const pciEndpoints = new Set(sample.scope.endpoints.filter((e) => e.frameworks.includes('pci-dss')).map((e) => e.key));
    const pciShown = new Set(await shownIds(page, '[data-check]'));
    for (const f of checks) if (pciShown.has(f.anchor)) expect(pciEndpoints.has(f.endpointKey), f.anchor).toBe(true);
    for (const f of checks.filter((x) => x.controls.some((c) => c.frameworkId === 'pci-dss'))) expect(pciShown.has(f.anchor), f.anchor).toBe(true);
    expect(checks.some((f) => f.status === 'pass' && pciShown.has(f.anchor))).toBe(true);
    expect(await page.isVisible('#frameworks .filter-notice')).toBe(true);

    // A domain: exactly the check results of its endpoints.
    await page.click('#report-filters button[type="reset"]');
    await page.selectOption('#filter-domain', 'legacy.example.test');
    const legacy = new Set(sample.scope.endpoints.filter((e) => e.attribution.some((a) => a.domain === 'legacy.example.test')).map((e) => e.key));
    expect(legacy.size).toBeGreaterThan(0);
    expect(sorted(await shownIds(page, '[data-check]'))).toEqual(sorted(checks.filter((f) => legacy.has(f.endpointKey)).map((f) => f.anchor)));
    expect(sorted(await shownIds(page, 'article.control'))).toEqual(sorted(controls.filter((c) => c.domains.includes('legacy.example.test')).map((c) => c.anchor)));

    // Severity with "fail and warning": the failing and warning findings of that severity.
    await page.selectOption('#filter-domain', '');
    await page.selectOption('#filter-status', 'problems');
    await page.selectOption('#filter-severity', 'high');
    const high = checks.filter((f) => f.severity === 'high' && (f.status === 'fail' || f.status === 'warn'));
    expect(high.length).toBeGreaterThan(0);
    expect(sorted(await shownIds(page, '[data-check]'))).toEqual(sorted(high.map((f) => f.anchor)));
    expect(await count()).toContain('(status Fail and warning, severity High)');

    await page.click('#report-filters button[type="reset"]');
    await expect.poll(async () => (await shownIds(page, '[data-check]')).length).toBe(checks.length);
    expect(await count()).toContain('Nothing is hidden.');
    expect(await page.isVisible('#endpoints .filter-notice')).toBe(false);
    expect(w.errors).toEqual([]);
    await page.context().close();
  });

  it('shows every section and every finding when printed, even with a filter set', async () => {
    const w = await open(configuredUrl);
    const { page } = w;
    await page.selectOption('#filter-severity', 'critical');
    await page.emulateMedia({ media: 'print' });
    const sections = await page.$$eval('section.major', (els) => els.map((el) => ({ id: el.id, visible: el.getClientRects().length > 0 })));
    expect(sections.map((s) => s.id)).toEqual(['summary', 'scope', 'context', 'frameworks', 'endpoints', 'remediation', 'problems', 'methodology', 'signoff']);
    for (const s of sections) expect(s, s.id).toMatchObject({ visible: true });
    const hidden = await page.$$eval('[data-check], article.control, section.framework, article.endpoint', (els) => els.filter((el) => el.getClientRects().length === 0).length);
    expect(hidden).toBe(0);
    expect(await page.isVisible('#report-filters')).toBe(false);
    expect(await page.isVisible('.classification-banner')).toBe(true);
    // Chromium's own print: the classification sits in the top margin of every page (@page rule).
    const pdf = await page.pdf({ format: 'A4' });
    await writeFile(join(dir, 'printed.pdf'), pdf);
    const { stdout } = await run('pdftotext', [join(dir, 'printed.pdf'), '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const pages = stdout.split('\f').filter((p) => p.trim() !== '');
    expect(pages.length).toBeGreaterThan(3);
    for (const [i, p] of pages.entries()) expect(p, `printed page ${i + 1}`).toContain('SECRET "</STYLE><SCRIPT>ALERT(2)</SCRIPT>');
    await page.context().close();
  });

  it.each([
    [1366, 'factory', () => plainUrl], [390, 'factory', () => plainUrl], [390, 'configured', () => configuredUrl],
    [1366, 'sample', () => sampleUrl], [1000, 'sample', () => sampleUrl], [768, 'sample', () => sampleUrl], [390, 'sample', () => sampleUrl],
    [1366, 'with history', () => historyUrl], [390, 'with history', () => historyUrl],
  ])('fits %i px (%s): no sideways scrolling, every table column visible, on cards at phone width', async (width, _name, url) => {
    const w = await open(url());
    const { page } = w;
    await page.setViewportSize({ width, height: 900 });
    expect(await page.isVisible('#report-filters')).toBe(true);
    const facts = await layoutFacts(page);
    expect(facts.scrollWidth, 'document scroll width').toBeLessThanOrEqual(width);
    expect(await page.evaluate('window.innerWidth')).toBe(width);
    expect(facts.clipped).toEqual([]);
    expect(facts.columns).toBeGreaterThan(20);
    // Wide tables are cards on a phone and tables on a desktop.
    if (width < 640) expect(facts.stacked).toBeGreaterThan(3);
    else expect(facts.stacked).toBe(0);
    // No filter control is wider than the page (the framework drop-down was 790 px at 390).
    const widest = await page.$$eval('#report-filters select, #report-filters button', (els) => Math.max(...els.map((el) => el.getBoundingClientRect().right)));
    expect(widest).toBeLessThanOrEqual(width);
    // A key-value table's labels ("Compared with") stay whole: each sits on one line.
    const labelLines = await page.evaluate(`[...document.querySelectorAll('table.keyvalue th[scope="row"]')].map((el) => {
      const r = document.createRange();
      r.selectNodeContents(el);
      return [el.textContent, new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size];
    })`) as [string, number][];
    for (const [label, lines] of labelLines) expect(lines, `${label}`).toBe(1);
    await page.context().close();
  });

  it('shows the Scope table\'s "Listed in" column at 1366 px and in print', async () => {
    const w = await open(sampleUrl);
    const { page } = w;
    const listedIn = page.locator('#scope table.data thead th', { hasText: 'Listed in' });
    const firstCell = page.locator('#scope table.data tbody tr:first-child td[data-label="Listed in"]');
    for (const media of ['screen', 'print'] as const) {
      await page.emulateMedia({ media });
      await page.setViewportSize({ width: media === 'screen' ? 1366 : Math.floor((210 - 28) / 25.4 * 96), height: 900 });
      const head = await listedIn.boundingBox();
      const cell = await firstCell.boundingBox();
      const box = await page.locator('#scope').boundingBox();
      expect(head?.width, media).toBeGreaterThan(30);
      expect((head?.x ?? 0) + (head?.width ?? 0), media).toBeLessThanOrEqual((box?.x ?? 0) + (box?.width ?? 0) + 1);
      expect(await firstCell.textContent(), media).toMatch(/domains\.csv:\d+/);
      expect(cell?.width, media).toBeGreaterThan(30);
    }
    await page.context().close();
  });

  it('prints with every column visible, a running head with the classification and "Page X of N" on every page', async () => {
    const w = await open(configuredUrl);
    const { page } = w;
    await page.emulateMedia({ media: 'print' });
    // The printable width of A4 with the stylesheet's 14 mm side margins, in CSS pixels.
    await page.setViewportSize({ width: Math.floor((210 - 28) / 25.4 * 96), height: 1100 });
    const facts = await layoutFacts(page);
    expect(facts.clipped).toEqual([]);
    expect(facts.stacked).toBe(0);
    const pdf = await page.pdf({ preferCSSPageSize: true });
    await writeFile(join(dir, 'printed-numbered.pdf'), pdf);
    const { stdout } = await run('pdftotext', ['-layout', join(dir, 'printed-numbered.pdf'), '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const pages = stdout.split('\f').filter((p) => p.trim() !== '');
    expect(pages.length).toBeGreaterThan(3);
    for (const [i, p] of pages.entries()) {
      expect(p, `printed page ${i + 1}`).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(p, `printed page ${i + 1}`).toContain('Email transport encryption evidence');
    }
    await page.context().close();
  });

  it('prints the sample from the browser with page numbers and a running header: organisation, period and the whole marking', async () => {
    const w = await open(sampleUrl);
    const { page } = w;
    // A filter set on screen changes nothing on paper.
    await page.selectOption('#filter-status', 'fail');
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: Math.floor((210 - 28) / 25.4 * 96), height: 1100 });
    const facts = await layoutFacts(page);
    expect(facts.clipped).toEqual([]);
    expect(facts.stacked).toBe(0);
    const pdf = await page.pdf({ preferCSSPageSize: true });
    await writeFile(join(dir, 'sample.pdf'), pdf);
    const { stdout } = await run('pdftotext', ['-layout', join(dir, 'sample.pdf'), '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const pages = stdout.split('\f').filter((p) => p.trim() !== '');
    expect(pages.length).toBeGreaterThan(10);
    const flat = (p: string): string => p.replace(/\s+/g, ' ');
    for (const [i, p] of pages.entries()) {
      expect(p, `printed page ${i + 1}`).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(flat(p), `printed page ${i + 1}`).toContain('Example Health · Q3 2026');
      expect(flat(p), `printed page ${i + 1}`).toContain(MARKING.toUpperCase());
    }
    // Every check result is on paper, the passed ones too, whatever the screen filter.
    const text = flat(pages.join(' '));
    for (const f of sample.findings.filter((x) => x.status === 'pass').slice(0, 20)) expect(text).toContain(f.message);
    await page.context().close();
  });

  it('applies the config: logo decodes, label and colour apply, hostile label stays text', async () => {
    const w = await open(configuredUrl);
    const { page } = w;
    expect(await page.$eval('img.cover-logo', (img) => Number(Reflect.get(img, 'naturalWidth')))).toBe(1);
    expect(await page.textContent('.classification-banner')).toContain('Secret "</style><script>alert(2)</script>');
    expect(await page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()")).toBe('#7a1f5c');
    expect(await page.evaluate('document.scripts.length')).toBe(1);
    expect(w.dialogs).toEqual([]);
    expect(await page.isVisible('#signoff')).toBe(true);
    await page.context().close();
  });

  it('filters a large report, laid out lazily on screen, and prints all of it', async () => {
    const w = await open(largeUrl);
    const { page } = w;
    expect(await page.evaluate("getComputedStyle(document.querySelector('article.endpoint')).contentVisibility")).toBe('auto');
    await page.selectOption('#filter-status', 'pass');
    const passes = large.findings.filter((f) => f.status === 'pass');
    expect(await page.textContent('#filter-count')).toContain(`${passes.length} of ${large.findings.length} check results (status Pass)`);
    expect((await shownIds(page, '[data-check]')).sort()).toEqual(passes.map((f) => f.anchor).sort());
    await page.emulateMedia({ media: 'print' });
    expect(await page.evaluate("getComputedStyle(document.querySelector('article.endpoint')).contentVisibility")).toBe('visible');
    expect(await shownIds(page, '[data-check]')).toHaveLength(large.findings.length);
    expect(w.errors).toEqual([]);
    await page.context().close();
  });

  it.each([['factory', () => plainUrl], ['sample', () => sampleUrl]])(
    'shows everything with JavaScript disabled (%s): no filters, every control and check result present', async (_name, url) => {
      const w = await open(url(), false);
      const { page } = w;
      expect(await page.isVisible('#report-filters')).toBe(false);
      expect(await page.locator('.filter-notice:visible').count()).toBe(0);
      const checks = await page.locator('[data-check]').count();
      const controls = await page.locator('article.control').count();
      expect(await shownIds(page, '[data-check]')).toHaveLength(checks);
      expect(await shownIds(page, 'article.control')).toHaveLength(controls);
      if (url() === sampleUrl) {
        expect(checks).toBe(sample.findings.length);
        expect(controls).toBe(sample.frameworks.reduce((n, f) => n + f.controls.length, 0));
      }
      await page.setViewportSize({ width: 390, height: 900 });
      expect((await layoutFacts(page)).scrollWidth).toBeLessThanOrEqual(390);
      await page.context().close();
    });
});
