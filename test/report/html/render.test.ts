/**
 * HTML renderer: renders factory models and inspects the result as a DOM (linkedom), plus
 * template overrides, strictness, determinism and volume.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ReportError } from '../../../src/errors.js';
import type { ReportModel } from '../../../src/model/report-model.js';
import { TEMPLATE_FILES, builtinTemplatesDir, htmlRenderer, renderHtml } from '../../../src/report/html/render.js';
import { HOSTILE_SUBJECT, makeReportModel } from '../../support/model-factory.js';

type Doc = ReturnType<typeof parseHTML>['document'];

let model: ReportModel;
let html: string;
let document: Doc;

beforeAll(async () => {
  model = makeReportModel();
  html = await renderHtml(model);
  document = parseHTML(html).document;
});

const text = (selector: string): string => document.querySelector(selector)?.textContent ?? '';

describe('html renderer: document structure', () => {
  it('returns UTF-8 bytes of the page', async () => {
    const bytes = await htmlRenderer.render(model, {});
    expect(new TextDecoder().decode(bytes)).toBe(html);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  it('has header, nav, main and footer landmarks at the top level', () => {
    for (const tag of ['header', 'nav', 'main', 'footer']) {
      expect(document.querySelector(`body > ${tag}`), tag).not.toBeNull();
    }
    expect(document.querySelector('html')?.getAttribute('lang')).toBe('en');
    expect(text('title')).toContain(model.report.title);
  });

  it('gives every framework, control, endpoint and finding its anchor id, once', () => {
    const anchors = [
      ...model.frameworks.map((f) => f.anchor),
      ...model.frameworks.flatMap((f) => f.controls.map((c) => c.anchor)),
      ...model.scope.endpoints.map((e) => e.anchor),
      ...model.findings.map((f) => f.anchor),
    ];
    expect(anchors.length).toBeGreaterThan(10);
    for (const id of anchors) expect(document.querySelectorAll(`[id="${id}"]`).length, id).toBe(1);
    const ids = [...document.querySelectorAll('[id]')].map((el) => el.getAttribute('id'));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('links only to anchors that exist in the page', () => {
    const links = [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href') ?? '');
    expect(links.length).toBeGreaterThan(20);
    for (const href of links) {
      expect(href.startsWith('#'), href).toBe(true);
      expect(document.getElementById(href.slice(1)), href).not.toBeNull();
    }
    // The tables link to the detail sections.
    expect(document.querySelector(`#summary a[href="#${model.frameworks[0]!.anchor}"]`)).not.toBeNull();
    expect(document.querySelector(`#scope a[href="#${model.scope.endpoints[2]!.anchor}"]`)).not.toBeNull();
    const control = model.frameworks[0]!.controls[0]!;
    expect(document.querySelector(`#${model.frameworks[0]!.anchor} table a[href="#${control.anchor}"]`)).not.toBeNull();
    expect(document.querySelector(`#${control.anchor} a[href="#${model.findings.find((f) => f.status === 'fail')!.anchor}"]`)).not.toBeNull();
  });

  it('uses th scope and captions in every data table', () => {
    const tables = [...document.querySelectorAll('table')];
    expect(tables.length).toBeGreaterThan(5);
    for (const t of tables) expect(t.querySelector('caption')?.textContent?.trim(), t.outerHTML.slice(0, 80)).toBeTruthy();
    for (const th of document.querySelectorAll('th')) expect(['col', 'row']).toContain(th.getAttribute('scope'));
  });

  it('shows status and severity as words, not only colour', () => {
    for (const badge of document.querySelectorAll('.badge')) expect(badge.textContent?.trim()).not.toBe('');
    const control = document.getElementById(model.frameworks[0]!.controls[0]!.anchor);
    expect(control?.querySelector('.badge')?.textContent).toBe('Fail');
    expect(document.getElementById(model.frameworks[0]!.controls[1]!.anchor)?.querySelector('.badge')?.textContent).toBe('Not assessed');
    expect(text(`#${model.findings.find((f) => f.status === 'fail')!.anchor} .badges`)).toMatch(/Severity: (High|Medium)/);
  });
});

describe('html renderer: safety', () => {
  it('prints the hostile certificate subject as text and creates no element from it', () => {
    expect(document.body.textContent).toContain(HOSTILE_SUBJECT);
    expect(document.querySelectorAll('script')).toHaveLength(1);
    expect(document.querySelectorAll('img, iframe, object, embed, link, base, form[action]')).toHaveLength(0);
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.attributes) expect(attr.name.startsWith('on'), `${el.tagName} ${attr.name}`).toBe(false);
    }
    expect(html).not.toContain('<img src=x');
  });

  it('references nothing on the network from any attribute, style or script', () => {
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        expect(attr.value, `${el.tagName} ${attr.name}`).not.toMatch(/https?:|^\s*\/\/|^\s*(ftp|file|javascript):/i);
      }
    }
    expect(text('style')).not.toMatch(/url\(|@import/i);
    expect(text('script')).not.toMatch(/https?:|fetch\(|XMLHttpRequest|import\(/);
    // The framework source URL is shown for the auditor, as text only.
    expect(document.body.textContent).toContain(model.frameworks[0]!.source.url);
  });

  it('has a CSP meta that allows exactly the inline script by its sha256 hash', () => {
    const meta = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
    const csp = meta?.getAttribute('content') ?? '';
    expect(csp).toMatch(/^default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-[A-Za-z0-9+/]+=*'$/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const script = document.querySelector('script')?.textContent ?? '';
    expect(script.length).toBeGreaterThan(100);
    const hash = createHash('sha256').update(script, 'utf8').digest('base64');
    expect(csp).toContain(`'sha256-${hash}'`);
    // The policy must come before anything it governs.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
  });

  it('works without JavaScript: only the filter form and its notices start hidden, every row is present', () => {
    const hidden = [...document.querySelectorAll('[hidden]')];
    expect(hidden.map((el) => el.getAttribute('id') ?? el.getAttribute('class'))).toEqual(['report-filters', 'filter-notice', 'filter-notice']);
    for (const name of ['framework', 'domain', 'status', 'severity']) {
      expect(document.querySelector(`#report-filters [name="${name}"]`), name).not.toBeNull();
    }
    // Every check result and control is in the page, whatever its status.
    expect(document.querySelectorAll('[data-check]').length).toBe(model.findings.length);
    expect(document.querySelectorAll('article.control[data-control]').length).toBe(model.frameworks.reduce((n, f) => n + f.controls.length, 0));
  });

  it('filters controls and check results by framework, domain, status and severity when the script runs', () => {
    const { document: doc, window } = parseHTML(html);
    // linkedom has no form-control values; give the four fields settable ones.
    const values: Record<string, string> = { framework: '', domain: '', status: '', severity: '' };
    for (const name of Object.keys(values)) {
      Object.defineProperty(doc.querySelector(`[name="${name}"]`), 'value', { get: () => values[name], configurable: true });
    }
    const script = doc.querySelector('script')?.textContent ?? '';
    new Function('document', 'window', script)(doc, window);
    const form = doc.getElementById('report-filters')!;
    const shown = (selector: string): string[] => [...doc.querySelectorAll(selector)]
      .filter((el) => !el.classList.contains('filtered-out') && el.closest('.filtered-out') === null).map((el) => el.id);
    const filter = (next: Partial<typeof values>): void => {
      Object.assign(values, { framework: '', domain: '', status: '', severity: '' }, next);
      form.dispatchEvent(new window.Event('input'));
    };
    const all = model.findings.length;
    const controls = model.frameworks.reduce((n, f) => n + f.controls.length, 0);
    expect(form.hidden).toBe(false);
    expect(shown('[data-check]')).toHaveLength(all);
    expect(doc.getElementById('filter-count')?.textContent).toBe(`Showing all ${controls} controls and all ${all} check results on 3 endpoints. Nothing is hidden.`);

    filter({ severity: 'high' });
    expect(shown('article.finding')).toEqual(['f-cert-hostname-mismatch-ep-1', 'f-cert-hostname-mismatch-ep-2']);
    // With every status, a high-severity check that passed shows too, and so does its endpoint.
    const highs = model.findings.filter((f) => f.severity === 'high');
    expect(shown('[data-check]')).toEqual(highs.map((f) => f.anchor));
    expect(shown('article.endpoint')).toEqual(model.scope.endpoints.filter((e) => highs.some((f) => f.endpointKey === e.key)).map((e) => e.anchor));
    filter({ severity: 'high', status: 'problems' });
    expect(shown('article.endpoint')).toEqual(['ep-1', 'ep-2']);

    // Passing checks can be shown, and the count says what is hidden, by status.
    filter({ status: 'pass' });
    const passes = model.findings.filter((f) => f.status === 'pass').map((f) => f.anchor);
    expect(shown('[data-check]')).toEqual(passes);
    expect(shown('article.control')).toEqual(model.frameworks.flatMap((f) => f.controls).filter((c) => c.status === 'pass').map((c) => c.anchor));
    const fails = model.findings.filter((f) => f.status === 'fail').length;
    expect(doc.getElementById('filter-count')?.textContent).toContain(`of ${all} check results (status Pass). Hidden:`);
    expect(doc.getElementById('filter-count')?.textContent).toContain(`${fails} fail`);
    expect(doc.querySelector('#endpoints .filter-notice')?.hasAttribute('hidden')).toBe(false);

    filter({ status: 'not-tested' });
    expect(shown('[data-check]')).toEqual(model.findings.filter((f) => f.status === 'not-tested').map((f) => f.anchor));

    filter({ framework: 'pci-dss' });
    expect(shown('section.framework')).toEqual(['fw-pci-dss']);
    filter({ framework: 'hipaa', status: 'problems' });
    expect(shown('article.finding')).toHaveLength(6);

    // A domain shows the check results of its endpoints only.
    const domain = model.scope.endpoints[1]!.attribution[0]!.domain;
    filter({ domain });
    const inDomain = model.scope.endpoints.filter((e) => e.attribution.some((a) => a.domain === domain));
    expect(shown('article.endpoint')).toEqual(inDomain.map((e) => e.anchor));
    expect(shown('[data-check]')).toHaveLength(inDomain.reduce((n, e) => n + e.findingIds.length, 0));

    filter({});
    expect(shown('article.endpoint')).toEqual(['ep-0', 'ep-1', 'ep-2']);
    expect(doc.querySelector('#endpoints .filter-notice')?.hasAttribute('hidden')).toBe(true);
  });

  it('filters the endpoints no domain-list row covers, which no control matches', async () => {
    const m = makeReportModel();
    const unlisted = m.scope.endpoints.find((e) => e.key === m.scope.unlistedEndpointKeys[0])!;
    unlisted.attribution = [];
    const { document: doc, window } = parseHTML(await renderHtml(m));
    const select = doc.querySelector('[name="domain"]')!;
    expect(doc.querySelector('#filter-domain option[value="-"]')?.textContent).toBe('Endpoints not in the domain list');
    Object.defineProperty(select, 'value', { get: () => '-', configurable: true });
    new Function('document', 'window', doc.querySelector('script')?.textContent ?? '')(doc, window);
    const shown = (selector: string): string[] => [...doc.querySelectorAll(selector)]
      .filter((el) => !el.classList.contains('filtered-out') && el.closest('.filtered-out') === null).map((el) => el.id);
    expect(shown('article.endpoint')).toEqual([unlisted.anchor]);
    expect(shown('[data-check]')).toHaveLength(unlisted.findingIds.length);
    expect(shown('article.control')).toEqual([]);
  });

  it('keeps escaping on: no built-in template uses triple-stash or raw blocks', async () => {
    const dir = builtinTemplatesDir();
    for (const name of TEMPLATE_FILES.filter((n) => n.endsWith('.hbs'))) {
      const source = await import('node:fs/promises').then((fs) => fs.readFile(path.join(dir, name), 'utf8'));
      expect(source, name).not.toMatch(/\{\{\{|\{\{&/);
    }
  });

  it('has a print stylesheet that hides navigation and shows everything', () => {
    const css = text('style');
    const print = css.slice(css.indexOf('@media print'));
    expect(print).toMatch(/\.toc, \.filters, \.filter-notice/);
    expect(print).toMatch(/break-before: page/);
    // What the filters hide is hidden on screen only.
    expect(css).toMatch(/@media screen \{ \.filtered-out \{ display: none !important; \} \}/);
  });
});

describe('html renderer: content', () => {
  it('prints Unicode names intact', () => {
    const body = document.body.textContent ?? '';
    for (const s of ['Example Health — 東京 Clinic', 'Zoë Ångström', 'imap.bücher-gesundheit.test', 'legacy.例え.test']) expect(body).toContain(s);
  });

  it('lists input rows read but not evaluated, by id', () => {
    expect(document.body.textContent).toContain('samples/testssl/mail.csv: rows read but not evaluated (a scanner verdict no tlsproof check judges): fallback_scsv ×1.');
  });

  it('never uses the word "compliant"', () => {
    expect(html).not.toMatch(/compliant/i);
  });

  it('shows the cover facts, with times in UTC', () => {
    const cover = text('header.cover');
    expect(cover).toContain(model.report.organisation);
    expect(cover).toContain('Q3 2026');
    expect(cover).toContain('1 Oct 2026, 09:00 UTC');
    expect(cover).toContain(model.report.id);
  });

  it('lists every control id with its paraphrase, status reason and linked checks', () => {
    for (const fw of model.frameworks) {
      for (const c of fw.controls) {
        const el = document.getElementById(c.anchor);
        expect(el?.querySelector('.control-id')?.textContent).toBe(c.id);
        expect(el?.textContent).toContain(c.paraphrase);
        expect(el?.textContent).toContain(c.statusReason);
        expect(el?.textContent).toContain(c.checks[0]!.rationale);
      }
    }
  });

  it('shows failing findings in full with evidence file:line, and passing ones compactly', () => {
    const failing = model.findings.find((f) => f.status === 'fail')!;
    const el = document.getElementById(failing.anchor)!;
    expect(el.tagName).toBe('ARTICLE');
    expect(el.querySelector('pre code')?.textContent).toBe(failing.evidence[0]!.source.excerpt);
    expect(el.textContent).toContain(`${failing.evidence[0]!.source.file}:${failing.evidence[0]!.source.line}`);
    expect(el.textContent).toContain(failing.remediation);
    const passing = model.findings.find((f) => f.status === 'pass')!;
    const li = document.getElementById(passing.anchor)!;
    expect(li.tagName).toBe('LI');
    expect(li.querySelector('pre')).toBeNull();
    expect(document.querySelectorAll('article.finding')).toHaveLength(model.findings.filter((f) => f.status === 'fail' || f.status === 'warn').length);
  });

  it('gives each endpoint its protocol table, certificate table and counts', () => {
    const ep = model.scope.endpoints[2]!;
    const el = document.getElementById(ep.anchor)!;
    const protocols = [...el.querySelectorAll('table.matrix')[0]!.querySelectorAll('th')].map((th) => th.textContent);
    expect(protocols).toEqual(ep.protocols.map((p) => p.protocol));
    expect(el.querySelector('table.cert')?.textContent).toContain('Name matches host: No');
    expect(el.querySelector('.badges')?.textContent).toMatch(/2 fail\s+1 warning\s+1 pass/);
    expect(el.querySelector('table.cert')?.textContent).toContain('OCSP staplingNot stapled (no revocation evidence either way)');
  });

  it('shows a revoked OCSP staple as a failure badge, in the same words as the PDF', async () => {
    const ep = model.scope.endpoints[0]!;
    const revoked = { ...ep.certificates[0]!, ocsp: { stapled: true, status: 'revoked' as const, revokedAt: '2026-09-10T08:00:00.000Z', thisUpdate: '2026-09-15T06:00:00.000Z', nextUpdate: '2026-09-22T06:00:00.000Z' } };
    const endpoints = [{ ...ep, certificates: [revoked] }, ...model.scope.endpoints.slice(1)];
    const doc = parseHTML(await renderHtml({ ...model, scope: { ...model.scope, endpoints } })).document;
    const badge = doc.getElementById(ep.anchor)!.querySelector('table.cert .badge.st-fail');
    expect(badge?.textContent).toBe('Stapled: REVOKED on 2026-09-10 as of 2026-09-15');
  });

  it('lists input problems by file:line:column with why and effect', () => {
    const appendix = text('#problems');
    expect(appendix).toContain('samples/testssl/mail.csv:17:4');
    expect(appendix).toContain('severity "SEVERE" is not one of');
    expect(appendix).toContain('Row skipped');
  });

  it('shows scope, remediation and integrity data', () => {
    expect(text('#scope')).toContain('payments.example.test');
    expect(text('#scope')).toContain('samples/domains.csv:2');
    expect(document.querySelector(`#scope a[href="#${model.scope.endpoints[2]!.anchor}"]`)).not.toBeNull();
    expect(text('#remediation')).toContain('Issue a certificate whose SAN covers the MX name.');
    const methodology = text('#methodology');
    expect(methodology).toContain(model.scope.inputs[0]!.sha256);
    expect(methodology).toContain('tlsproof 0.1.0');
    expect(methodology).toContain(model.report.id);
  });

  it('is deterministic: the same model renders to the same bytes, also from a copy', async () => {
    const again = await renderHtml(model);
    expect(again).toBe(html);
    const copy = JSON.parse(JSON.stringify(model)) as ReportModel;
    expect(await renderHtml(copy)).toBe(html);
  });

  it('renders a model with no findings, problems, assets or frameworks', async () => {
    const empty = makeReportModel();
    empty.findings = [];
    empty.problems = [];
    empty.remediation = [];
    empty.frameworks = [];
    empty.scope.assets = [];
    empty.scope.unlistedEndpointKeys = [];
    empty.report.period = null;
    for (const e of empty.scope.endpoints) { e.findingIds = []; e.counts.pass = 0; e.counts.fail = 0; e.counts.warn = 0; }
    const out = parseHTML(await renderHtml(empty)).document;
    expect(out.querySelector('#problems')?.textContent).toContain('no input problems');
    expect(out.querySelector('#remediation')?.textContent).toContain('nothing to remediate');
    expect(out.querySelector('header.cover')?.textContent).toContain('Not stated');
  });
});

describe('html renderer: template overrides', () => {
  const dirs: string[] = [];
  const tempDir = async (): Promise<string> => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tlsproof-tpl-'));
    dirs.push(dir);
    return dir;
  };
  const withFiles = async (files: Record<string, string>): Promise<string> => {
    const dir = await tempDir();
    for (const [name, body] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), body);
    }
    return dir;
  };
  const renderError = async (templatesDir: string): Promise<ReportError> => {
    try {
      await renderHtml(model, { templatesDir });
    } catch (err) {
      expect(err).toBeInstanceOf(ReportError);
      return err as ReportError;
    }
    throw new Error('expected the render to fail');
  };
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('ships exactly the built-in files it declares', async () => {
    const dir = builtinTemplatesDir();
    const partials = (await readdir(path.join(dir, 'partials'))).map((f) => `partials/${f}`);
    const top = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name);
    expect([...top, ...partials].sort()).toEqual([...TEMPLATE_FILES].sort());
  });

  it('finds the built-in templates from src/ and from a compiled dist/src/ module', () => {
    const root = path.resolve(builtinTemplatesDir(), '..', '..');
    expect(builtinTemplatesDir(path.join(root, 'dist', 'src', 'report', 'html', 'render.js'))).toBe(builtinTemplatesDir());
    expect(() => builtinTemplatesDir(path.join(path.parse(root).root, 'no-such-package', 'x.js'))).toThrow(/Cannot find the built-in HTML templates/);
  });

  it('replaces a built-in partial with a file of the same relative path', async () => {
    const dir = await withFiles({ 'partials/cover.hbs': '<header class="cover" id="cover"><h1>ACME audit pack for {{report.organisation}}</h1></header>\n' });
    const out = await renderHtml(model, { templatesDir: dir });
    expect(out).toContain('<h1>ACME audit pack for Example Health — 東京 Clinic</h1>');
    expect(out).not.toContain('TLS evidence report</p>');
    expect(out).toContain('id="summary"');
    // The override does not leak into later renders without it.
    expect(await renderHtml(model)).toBe(html);
  });

  it('overrides the stylesheet and script, and the CSP follows the script', async () => {
    const dir = await withFiles({ 'report.css': 'body { color: black; }\n', 'report.js': 'document.title += "!";\r\n' });
    const doc = parseHTML(await renderHtml(model, { templatesDir: dir })).document;
    expect(doc.querySelector('style')?.textContent).toContain('body { color: black; }');
    const script = doc.querySelector('script')?.textContent ?? '';
    expect(script).toBe('document.title += "!";\n');
    const hash = createHash('sha256').update(script).digest('base64');
    expect(doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toContain(`'sha256-${hash}'`);
  });

  it('rejects an unknown file name and lists the valid names', async () => {
    const dir = await withFiles({ 'partials/covr.hbs': 'x' });
    const err = await renderError(dir);
    expect(err.code).toBe('template-error');
    expect(err.message).toContain('partials/covr.hbs');
    for (const name of TEMPLATE_FILES) expect(err.message).toContain(name);
    expect(err.data['valid']).toEqual(TEMPLATE_FILES);
  });

  it('fails on a misspelt field, naming the override file and line', async () => {
    const dir = await withFiles({ 'partials/cover.hbs': '<header>\n<h1>{{report.title}}</h1>\n<p>{{report.organisaton}}</p>\n</header>\n' });
    const err = await renderError(dir);
    expect(err.code).toBe('template-error');
    expect(err.message).toContain(path.join(dir, 'partials/cover.hbs'));
    expect(err.message).toMatch(/cover\.hbs:3:\d+: "organisaton" is not a field here/);
    expect(err.data).toMatchObject({ file: 'partials/cover.hbs', line: 3 });
  });

  it('fails on a misspelt field passed to a helper, which Handlebars strict mode alone lets through', async () => {
    const dir = await withFiles({ 'partials/scope.hbs': '<section id="scope">\n{{#each scope.endpionts}}{{label}}{{/each}}\n</section>\n' });
    const err = await renderError(dir);
    expect(err.message).toMatch(/partials\/scope\.hbs:2:\d+: #each: the value is undefined/);
    const dir2 = await withFiles({ 'partials/problems.hbs': '<section id="problems">{{#each problems}}\n\n{{location this}} {{effectLabel efect}}{{/each}}</section>' });
    expect((await renderError(dir2)).message).toMatch(/partials\/problems\.hbs:3:\d+: effectLabel: argument 1 is undefined/);
  });

  it('names the inner partial when the error is in a nested partial', async () => {
    const dir = await withFiles({ 'partials/control.hbs': '<article id="{{anchor}}">{{titel}}</article>' });
    const err = await renderError(dir);
    expect(err.data['file']).toBe('partials/control.hbs');
  });

  it('reports template syntax errors with file and line', async () => {
    const dir = await withFiles({ 'report.hbs': '<html>\n{{#if report.title}}\n<p>x</p>\n' });
    const err = await renderError(dir);
    expect(err.message).toContain('report.hbs');
    expect(err.data['line']).toEqual(expect.any(Number));
  });

  it('refuses a template that resolves outside the folder (../ symlink)', async () => {
    const outside = await withFiles({ 'secret.hbs': '<header>{{report.id}}</header>' });
    const dir = await tempDir();
    await mkdir(path.join(dir, 'partials'));
    await symlink(path.join('..', '..', path.basename(outside), 'secret.hbs'), path.join(dir, 'partials', 'cover.hbs'));
    const err = await renderError(dir);
    expect(err.code).toBe('template-error');
    expect(err.message).toMatch(/outside the template folder/);
  });

  it('refuses a partials folder that links outside the template folder', async () => {
    const outside = await withFiles({ 'cover.hbs': '<header>{{report.id}}</header>' });
    const dir = await tempDir();
    await symlink(path.join('..', path.basename(outside)), path.join(dir, 'partials'));
    expect((await renderError(dir)).message).toMatch(/outside the template folder/);
  });

  it('rejects a stylesheet that loads from the network, however the keyword is spelled', async () => {
    for (const css of [
      'body { background: url(https://example.test/x.png); }',
      '@\\69mport "https://example.test/x.css";',
      '@\\000069 mport "https://example.test/x.css";',
      'body { background: u\\72l(https://example.test/x.png); }',
      'body { background: \\75\\72\\6C(https://example.test/x.png); }',
      'body { background: image-set("https://example.test/x.png" 1x); }',
    ]) {
      const dir = await withFiles({ 'report.css': css });
      expect((await renderError(dir)).message, css).toMatch(/self-contained/);
    }
  });

  it('rejects a templates folder that does not exist', async () => {
    const err = await renderError(path.join(tmpdir(), 'tlsproof-no-such-folder-xyz'));
    expect(err.message).toMatch(/does not exist/);
  });
});

describe('html renderer: volume', () => {
  // Speed is measured by `npm run bench`, not asserted here: timed tests flake on shared machines.
  it('keeps every endpoint anchor at volume', async () => {
    const big = makeReportModel({ extraEndpoints: 2000 });
    const out = await renderHtml(big);
    const ids = new Set([...out.matchAll(/<article class="endpoint" id="([^"]+)"/g)].map((m) => m[1]));
    expect(ids.size).toBe(big.scope.endpoints.length);
    for (const e of big.scope.endpoints) expect(ids.has(e.anchor), e.anchor).toBe(true);
    // Large enough for lazy layout on screen; the small report is not.
    expect(out).toMatch(/^<!DOCTYPE html>\n<html lang="en" class="large">/);
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
  });
});
