/**
 * Both renderers obey the same report.config.yaml: organisation and title, logo, colours,
 * classification, sections and their order, text blocks over the model, sign-off people and
 * remediation deadlines. The PDF is read back with pdftotext.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templatesCommand } from '../../src/cli/commands/templates.js';
import { main } from '../../src/cli/index.js';
import type { CliIo } from '../../src/cli/io.js';
import { loadReportConfig, parseReportConfig } from '../../src/config/load.js';
import type { ReportConfig } from '../../src/config/schema.js';
import { renderHtml } from '../../src/report/html/render.js';
import { renderPdf } from '../../src/report/pdf/render.js';
import { makeReportModel } from '../support/model-factory.js';
import { lacks } from '../support/tools.js';

const run = promisify(execFile);
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const CONFIG = `
organisation: "Zürich Mail AG <b>&</b> 東京"
logo: logo.png
colours: { accent: "#7a1f5c" }
classification: Strictly Confidential
sections: [summary, remediation, signoff, scope]
text:
  introduction: "Intro for {{report.organisation}}: {{summary.endpoints}} endpoints, report {{report.id}}."
  scope: "Scope statement: internet-facing MX hosts only."
  closing: "Closing words: rescan after fixing."
signOff:
  preparedBy: { name: "Ana Müller", role: "Security Engineer" }
  approvedBy: { name: "Jiří Novák", role: "CISO" }
remediationDeadlines: { critical: 7, high: 30 }
`;

let dir = '';
let config: ReportConfig;

async function pdfText(bytes: Uint8Array, name: string): Promise<string[]> {
  const file = join(dir, name);
  await writeFile(file, bytes);
  const { stdout } = await run('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return stdout.split('\f').filter((p, i, all) => i < all.length - 1 || p.trim() !== '');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-report-config-'));
  await writeFile(join(dir, 'logo.png'), PNG_1X1);
  await writeFile(join(dir, 'report.config.yaml'), CONFIG);
  config = await loadReportConfig(join(dir, 'report.config.yaml'));
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('HTML obeys report.config.yaml', () => {
  it('brands, classifies, orders sections and fills text blocks', async () => {
    const html = await renderHtml(makeReportModel(), { config });
    expect(html).toContain('Zürich Mail AG &lt;b&gt;&amp;&lt;/b&gt; 東京');
    expect(html).not.toContain('<b>&</b>');
    expect(html).toContain(`src="data:image/png;base64,${PNG_1X1.toString('base64').replace(/=/g, '&#x3D;')}"`);
    expect(html).toContain('--accent: #7a1f5c;');
    expect(html).toMatch(/class="classification-banner"[^>]*>.*Strictly Confidential/);
    const order = [...html.matchAll(/<section class="major[^"]*" id="([a-z]+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['summary', 'remediation', 'signoff', 'scope']);
    expect(html).not.toContain('id="endpoints"');
    expect(html).toContain('Intro for Zürich Mail AG &lt;b&gt;&amp;&lt;/b&gt; 東京: 3 endpoints, report TP-2026Q3-0123abcd.');
    expect(html).toContain('Scope statement: internet-facing MX hosts only.');
    expect(html).toContain('Closing words: rescan after fixing.');
    expect(html).toMatch(/Prepared by<\/th>\s*<td[^>]*>Ana Müller<\/td>\s*<td[^>]*>Security Engineer<\/td>/);
    expect(html).toMatch(/Reviewed by<\/th>\s*<td[^>]*><\/td>/);
    expect(html).toContain('<time datetime="2026-11-29">');
  });

  it('renders exactly as before without a config', async () => {
    const model = makeReportModel();
    const html = await renderHtml(model);
    const order = [...html.matchAll(/<section class="major[^"]*" id="([a-z]+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['summary', 'scope', 'context', 'frameworks', 'endpoints', 'remediation', 'problems', 'methodology']);
    expect(html).not.toContain('classification-banner"');
  });

  it('fails a misspelt field in a text block with the config file and block', async () => {
    const bad = await parseReportConfig('text: { scope: "{{report.organization}}" }', join(dir, 'bad.yaml'));
    await expect(renderHtml(makeReportModel(), { config: bad })).rejects.toThrow(/bad\.yaml: text\.scope: .*organization/);
    await expect(renderPdf(makeReportModel(), { config: bad })).rejects.toThrow(/bad\.yaml: text\.scope/);
  });
});

describe('PDF obeys the same report.config.yaml', () => {
  it.skipIf(lacks('pdftotext'))('puts the classification on every page, the sections in order, text blocks, sign-off and deadlines', async () => {
    const pages = await pdfText(await renderPdf(makeReportModel(), { config }), 'configured.pdf');
    const all = pages.join('\n');
    expect(pages[0]).toContain('STRICTLY CONFIDENTIAL');
    for (const [i, p] of pages.entries()) expect(p, `page ${i + 1}`).toContain('STRICTLY CONFIDENTIAL');
    expect(all).toContain('Zürich Mail AG <b>&</b> 東京'.replace(/東京/, '')); // DejaVu has no CJK glyphs; the Latin part reads back
    const headings = ['Summary', 'Remediation plan', 'Sign-off', 'Scope'].map((h) => all.search(new RegExp(`^\\s*${h}\\s*$`, 'm')));
    for (const h of headings) expect(h).toBeGreaterThan(0);
    expect([...headings].sort((a, b) => a - b)).toEqual(headings);
    expect(all).not.toMatch(/^\s*Endpoint details\s*$/m);
    expect(all).not.toMatch(/Appendix A: Input problems/);
    expect(all).toContain('Intro for Zürich Mail AG');
    expect(all).toContain('3 endpoints, report TP-2026Q3-0123abcd.');
    expect(all).toContain('Scope statement: internet-facing MX hosts only.');
    expect(all).toContain('Closing words: rescan after fixing.');
    expect(all).toContain('Ana Müller');
    expect(all).toContain('Jiří Novák');
    expect(all).toContain('Security Engineer');
    expect(all).toMatch(/Fix by[\s\S]{0,200}2026-11-29/);
    // The date is the model's (one clock for every renderer and the history); the config's deadlines state the policy.
    expect(all).toMatch(/first seen[\s\S]{0,300}7 days, [\s\S]{0,20}30 days/);
  });

  it('is byte-identical for the same model and config (logo included)', async () => {
    const a = await renderPdf(makeReportModel(), { config });
    const b = await renderPdf(makeReportModel(), { config });
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
    const h1 = await renderHtml(makeReportModel(), { config });
    const h2 = await renderHtml(makeReportModel(), { config });
    expect(h1).toBe(h2);
  });
});

describe('fonts from report.config.yaml', () => {
  const ttf = '/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf';
  // fonts-liberation provides a second TTF to embed; without it there is nothing to test with.
  it.skipIf(lacks(ttf, 'pdffonts'))('embeds the configured TTF in the PDF and leads the HTML font stack with the family', async () => {
    await writeFile(join(dir, 'font.yaml'), `font: { regular: ${ttf}, family: Liberation Serif }`);
    const cfg = await loadReportConfig(join(dir, 'font.yaml'));
    const file = join(dir, 'font.pdf');
    await writeFile(file, await renderPdf(makeReportModel(), { config: cfg }));
    const { stdout } = await run('pdffonts', [file], { encoding: 'utf8' });
    expect(stdout).toMatch(/LiberationSerif/);
    expect(stdout).toMatch(/DejaVuSansMono/);
    expect(await renderHtml(makeReportModel(), { config: cfg })).toContain('--sans: "Liberation Serif", system-ui');
  });

  it('rejects a file that is not a font, with the key path', async () => {
    await expect(parseReportConfig('font: { bold: report.config.yaml }', join(dir, 'report.config.yaml')))
      .rejects.toThrow(/font\.bold: .*is not a TrueType or OpenType font/);
    await expect(parseReportConfig('font: { family: "x; } body { }" }', join(dir, 'f.yaml'))).rejects.toThrow(/font\.family: must be a font family name/);
  });
});

describe('PDF archival metadata', () => {
  it.skipIf(lacks('pdfinfo'))('writes PDF/A-2 with well-formed XMP mirroring the info dictionary, even for awkward names', async () => {
    const bytes = await renderPdf(makeReportModel(), { config });
    const file = join(dir, 'pdfa.pdf');
    await writeFile(file, bytes);
    const raw = Buffer.from(bytes).toString('latin1');
    expect(raw).toContain('/GTS_PDFA1');
    const { stdout: info } = await run('pdfinfo', ['-isodates', file], { encoding: 'utf8' });
    expect(info).toMatch(/^Author:\s+Zürich Mail AG <b>&<\/b> 東京$/m);
    expect(info).toMatch(/^Keywords:.*Strictly Confidential/m);
    const { stdout: xmp } = await run('pdfinfo', ['-meta', file], { encoding: 'utf8' });
    const parser = new SaxesParser();
    const text: string[] = [];
    parser.on('text', (t) => text.push(t));
    parser.write(xmp).close();
    const all = text.join('');
    expect(all).toContain('Zürich Mail AG <b>&</b> 東京');
    expect(xmp).toContain('<pdfaid:part>2</pdfaid:part>');
    expect(xmp).toContain('<xmp:ModifyDate>2026-10-01T09:00:00Z</xmp:ModifyDate>');
  });
});

describe('tlsproof templates init DIR', () => {
  const io = (out: string[]): CliIo => ({
    stdout: (s) => out.push(s), stderr: (s) => out.push(s), cwd: dir, env: {}, now: () => new Date(0),
  });

  it.skipIf(lacks('pdftotext'))('copies templates and a commented config that both renderers accept', async () => {
    const out: string[] = [];
    expect(await templatesCommand(['init', 'mine'], io(out))).toBe(0);
    const text = await readFile(join(dir, 'mine', 'report.config.yaml'), 'utf8');
    expect(text).toMatch(/^# report\.config\.yaml/);
    // The JSON Schemas come along, where the config's yaml-language-server comment points.
    expect(text).toContain('# yaml-language-server: $schema=schema/report-config.v1.json');
    const modelSchema = JSON.parse(await readFile(join(dir, 'mine', 'schema', 'report-model.v1.json'), 'utf8')) as { title: string; properties: Record<string, unknown> };
    expect(modelSchema.title).toBe('tlsproof ReportModel (schemaVersion 1)');
    expect(Object.keys(modelSchema.properties)).toContain('findings');
    expect(JSON.parse(await readFile(join(dir, 'mine', 'schema', 'report-config.v1.json'), 'utf8'))).toHaveProperty('properties.fiscalYearStart');
    await writeFile(join(dir, 'mine', 'templates', 'partials', 'cover.hbs'), '<header id="cover"><h1>Own cover {{report.id}}</h1></header>\n');
    const cfg = await loadReportConfig(join(dir, 'mine', 'report.config.yaml'));
    const html = await renderHtml(makeReportModel(), { config: cfg });
    expect(html).toContain('Own cover TP-2026Q3-0123abcd');
    expect(html).toContain('id="signoff"');
    const pages = await pdfText(await renderPdf(makeReportModel(), { config: cfg }), 'init.pdf');
    // Empty sign-off lines to sign by hand, never a fictional signatory; the introduction dates the evidence.
    const all = pages.join('\n');
    expect(all).toMatch(/Prepared by[\s\S]*Reviewed by[\s\S]*Approved by/);
    expect(all).not.toMatch(/Ana Müller|Jean Dupont/);
    expect(all).toMatch(/as\s+observed on 15 Sep\s+2026/);
  });

  it('refuses to overwrite and explains usage', async () => {
    const out: string[] = [];
    expect(await main(['templates', 'init', 'mine'], io(out))).toBe(2);
    expect(out.join('')).toMatch(/not overwriting existing files: .*report\.config\.yaml/);
    const out2: string[] = [];
    expect(await main(['templates', 'copy'], io(out2))).toBe(2);
    expect(out2.join('')).toMatch(/unknown subcommand "copy"/);
  });
});

describe('a config that leaves sections out', () => {
  it('leaves no link to an anchor the page does not have', async () => {
    // CONFIG keeps summary, remediation, sign-off and scope: no endpoint details, no framework results.
    const html = await renderHtml(makeReportModel(), { config });
    const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
    const targets = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.filter((t) => !ids.has(t))).toEqual([]);
  });
});
