/**
 * The HTML report in a real browser: Debian's chromium driven by playwright-core. The page must
 * render with no console errors and no network requests, the filters must work, print emulation
 * must show every section, a hostile certificate subject must show as text and run nothing, and
 * with JavaScript off everything stays visible.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReportConfig } from '../../src/config/load.js';
import { renderHtml } from '../../src/report/html/render.js';
import { HOSTILE_SUBJECT, makeReportModel } from '../support/model-factory.js';
import { missingTool } from '../support/tools.js';

const CHROMIUM = '/usr/bin/chromium';
const run = promisify(execFile);
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let browser: Browser | undefined;
let dir = '';
let plainUrl = '';
let configuredUrl = '';

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

async function visibleFindings(page: Page): Promise<{ severity: string | null; endpoint: string | null }[]> {
  return page.$$eval('article.finding[data-severity]', (els) => els
    .filter((el) => el.getClientRects().length > 0)
    .map((el) => ({ severity: el.getAttribute('data-severity'), endpoint: el.getAttribute('data-endpoint') })));
}

/**
 * Layout facts of the page as laid out now: the document's scroll width, and every header cell
 * of a data table that is hidden or reaches past the box that holds its table (a scrolling
 * wrapper hides what lies past its edge).
 */
async function layoutFacts(page: Page): Promise<{ scrollWidth: number; clipped: string[]; columns: number }> {
  // A string, as the tests are compiled without the DOM library.
  return page.evaluate(`(() => {
    const clipped = [];
    let columns = 0;
    for (const table of document.querySelectorAll('table.data')) {
      if (table.getClientRects().length === 0) continue;
      const holder = (table.closest('.table-wrap') ?? table.parentElement ?? table).getBoundingClientRect();
      for (const th of table.querySelectorAll('thead th')) {
        const r = th.getBoundingClientRect();
        columns++;
        if (r.width < 8 || r.left < holder.left - 1 || r.right > holder.right + 1 || r.right > window.innerWidth + 1) {
          clipped.push((table.querySelector('caption')?.textContent ?? 'table').trim().slice(0, 40) + ': ' + (th.textContent ?? '').trim());
        }
      }
    }
    return { scrollWidth: document.scrollingElement.scrollWidth, clipped, columns };
  })()`);
}

describe.skipIf(missingTool(CHROMIUM, 'chromium'))('HTML report in chromium', () => {
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
    plainUrl = pathToFileURL(join(dir, 'plain.html')).href;
    configuredUrl = pathToFileURL(join(dir, 'configured.html')).href;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it.each([['without a config', () => plainUrl], ['with a config (logo, classification, sign-off)', () => configuredUrl]])(
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

  it('filters findings by severity, status, framework and endpoint', async () => {
    const w = await open(plainUrl);
    const { page } = w;
    await expect.poll(() => page.isVisible('#finding-filters')).toBe(true);
    const all = await visibleFindings(page);
    expect(all.length).toBeGreaterThan(2);

    await page.selectOption('#filter-severity', 'high');
    const high = await visibleFindings(page);
    expect(high.length).toBeGreaterThan(0);
    expect(high.length).toBeLessThan(all.length);
    expect(high.every((f) => f.severity === 'high')).toBe(true);
    expect(await page.textContent('#filter-count')).toContain(`Showing ${high.length} of ${all.length}`);

    await page.selectOption('#filter-severity', '');
    const host = all[0]?.endpoint ?? '';
    await page.fill('#filter-endpoint', host);
    const byHost = await visibleFindings(page);
    expect(byHost.length).toBeGreaterThan(0);
    expect(byHost.every((f) => (f.endpoint ?? '').toLowerCase().includes(host.toLowerCase()))).toBe(true);

    await page.fill('#filter-endpoint', 'no-such-endpoint.invalid');
    expect(await visibleFindings(page)).toEqual([]);
    await page.click('#finding-filters button[type="reset"]');
    await expect.poll(async () => (await visibleFindings(page)).length).toBe(all.length);

    await page.selectOption('#filter-status', 'warn');
    expect((await visibleFindings(page)).length).toBeLessThan(all.length);
    await page.selectOption('#filter-status', '');
    const fw = await page.$eval('#filter-framework option:nth-child(2)', (o) => o.getAttribute('value') ?? '');
    await page.selectOption('#filter-framework', fw);
    expect((await visibleFindings(page)).length).toBeLessThanOrEqual(all.length);
    expect(w.errors).toEqual([]);
    await page.context().close();
  });

  it('shows every section and every finding when printed, even with a filter set', async () => {
    const w = await open(configuredUrl);
    const { page } = w;
    await page.selectOption('#filter-severity', 'critical');
    await page.emulateMedia({ media: 'print' });
    const sections = await page.$$eval('section.major', (els) => els.map((el) => ({ id: el.id, visible: el.getClientRects().length > 0 })));
    expect(sections.map((s) => s.id)).toEqual(['summary', 'scope', 'frameworks', 'endpoints', 'remediation', 'problems', 'methodology', 'signoff']);
    for (const s of sections) expect(s, s.id).toMatchObject({ visible: true });
    const hidden = await page.$$eval('article.finding[data-severity]', (els) => els.filter((el) => el.getClientRects().length === 0).length);
    expect(hidden).toBe(0);
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

  it.each([[1366, () => plainUrl], [390, () => plainUrl], [390, () => configuredUrl]])(
    'fits %i px: no sideways scrolling, every table column inside its table box', async (width, url) => {
      const w = await open(url());
      const { page } = w;
      await page.setViewportSize({ width, height: 900 });
      const facts = await layoutFacts(page);
      expect(facts.scrollWidth, 'document scroll width').toBeLessThanOrEqual(width);
      expect(facts.clipped).toEqual([]);
      expect(facts.columns).toBeGreaterThan(20);
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

  it('shows everything with JavaScript disabled (no filters, nothing hidden)', async () => {
    const w = await open(plainUrl, false);
    const { page } = w;
    expect(await page.isVisible('#finding-filters')).toBe(false);
    const total = await page.locator('article.finding[data-severity]').count();
    expect((await visibleFindings(page)).length).toBe(total);
    await page.context().close();
  });
});
