/**
 * Tagged PDF: the structure tree, its text, the marked content of each page and the
 * annotations are read back from the uncompressed file (structure.ts); poppler confirms the file
 * is tagged. The PDF/A-2a claim rests on `expectFullyTagged`: everything drawn is either tagged
 * content or an artifact, and every link is in the tree.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReportConfig } from '../../../src/config/load.js';
import { SECTION_IDS } from '../../../src/config/schema.js';
import { renderPdf } from '../../../src/report/pdf/render.js';
import { makeReportModel } from '../../support/model-factory.js';
import {
  children, descendants, pageMarks, pdfObjects, structureTree, textOf, untaggedAnnotations, type StructElement,
} from './structure.js';
import { lacks } from '../../support/tools.js';

const run = promisify(execFile);
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let dir = '';

async function tool(cmd: string, args: readonly string[]): Promise<string> {
  const { stdout } = await run(cmd, [...args], { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  return stdout;
}

interface Rendered { bytes: Uint8Array; path: string; tree: StructElement }

async function render(name: string, bytes: Uint8Array): Promise<Rendered> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  const tree = structureTree(pdfObjects(bytes));
  expect(tree.type).toBe('Document');
  return { bytes, path, tree };
}

const ofType = (el: StructElement, type: string) => descendants(el).filter((d) => d.type === type);

/** Every painting operator is in marked content; every link annotation is in the tree. */
function expectFullyTagged(bytes: Uint8Array): void {
  const objects = pdfObjects(bytes);
  const pages = pageMarks(objects);
  expect(pages.length).toBeGreaterThan(1);
  pages.forEach((p, i) => {
    expect(p.painted, `page ${i + 1} paints something`).toBeGreaterThan(0);
    expect(p.unmarked, `page ${i + 1}: drawn outside tagged content and artifacts`).toEqual([]);
    expect(new Set(p.mcids).size, `page ${i + 1}: MCIDs are unique`).toBe(p.mcids.length);
  });
  expect(untaggedAnnotations(objects)).toEqual([]);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-pdf-tagged-'));
});
afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe('tagged PDF', () => {
  let doc: Rendered;
  let raw: string;

  beforeAll(async () => {
    doc = await render('tagged.pdf', await renderPdf(makeReportModel(), { compress: false }));
    raw = Buffer.from(doc.bytes).toString('latin1');
  });

  it.skipIf(lacks('pdfinfo'))('is tagged, in English, shows its title and claims PDF/A-2a', async () => {
    expect(await tool('pdfinfo', [doc.path])).toMatch(/^Tagged:\s+yes$/m);
    expect(raw).toMatch(/\/MarkInfo \d+ 0 R/);
    expect(raw).toMatch(/<<\n\/Marked true\n>>/);
    expect(raw).toContain('/Lang (en)');
    expect(raw).toContain('/DisplayDocTitle true');
    const xmp = await tool('pdfinfo', ['-meta', doc.path]);
    expect(xmp).toContain('<pdfaid:part>2</pdfaid:part>');
    expect(xmp).toContain('<pdfaid:conformance>A</pdfaid:conformance>');
  });

  it('has one Sect per section, each opening with its H1, in reading order', () => {
    const sects = children(doc.tree);
    expect(sects.every((s) => s.type === 'Sect')).toBe(true);
    expect(sects.map((s) => s.title)).toEqual(['Cover', 'Contents', 'Summary', 'Scope', 'Scan context and limitations', 'Framework results', 'Endpoint details',
      'Remediation plan', 'Appendix A: Input problems', 'Appendix B: Methodology and integrity']);
    for (const s of sects.slice(1)) {
      const first = children(s)[0];
      expect(first?.type, s.title).toBe('H1');
      expect(first && textOf(first), s.title).toBe(s.title);
    }
    // The cover has no heading of its own: its title is a paragraph, the document title is in the metadata.
    expect(ofType(sects[0]!, 'H1')).toEqual([]);
  });

  it('tags headings H1 to H3 as the outline nests them', () => {
    const heads = (type: string) => ofType(doc.tree, type).map(textOf);
    expect(heads('H2')).toEqual(expect.arrayContaining(['Control results by framework', 'HIPAA Security Rule (2013)', 'PCI DSS (4.0.1)',
      '1. mail.example-health.test (127.0.0.10) port 25', '2. imap.bücher-gesundheit.test (127.0.0.11) port 993']));
    expect(heads('H3')).toEqual(expect.arrayContaining(['Controls with failing or warning evidence (1)', 'Certificate', 'Findings (3)']));
    const frameworks = children(doc.tree).find((s) => s.title === 'Framework results');
    expect(frameworks && ofType(frameworks, 'H2').map(textOf)).toEqual(['HIPAA Security Rule (2013)', 'PCI DSS (4.0.1)']);
  });

  it('tags tables with TH header cells naming the columns and TD cells with the values', () => {
    const scope = children(doc.tree).find((s) => s.title === 'Scope');
    if (scope === undefined) throw new Error('no Scope Sect');
    const table = ofType(scope, 'Table').find((t) => ofType(t, 'TH').some((th) => textOf(th) === 'Scan state'));
    if (table === undefined) throw new Error('no endpoint table in Scope');
    const [head, body] = children(table);
    expect(head?.type).toBe('THead');
    expect(body?.type).toBe('TBody');
    const ths = ofType(head!, 'TH');
    expect(ths.map(textOf)).toEqual(['#', 'Endpoint and domains (why)', 'Service', 'Observed', 'Scan state', 'Worst', 'Fail / warn / pass']);
    for (const th of ths) expect(th.attrs).toContain('/Scope /Column');
    const rows = children(body!);
    expect(rows).toHaveLength(3);
    const first = children(rows[0]!);
    expect(first.map((c) => c.type)).toEqual(['TD', 'TD', 'TD', 'TD', 'TD', 'TD', 'TD']);
    expect(first.map(textOf)).toEqual(['1', 'mail.example-health.test (127.0.0.10) port 25 example-health.test (name suffix)', 'SMTP STARTTLS', '2026-09-15', 'completed', 'none', '0 / 0 / 1']);
    // The endpoint cell links to the endpoint's section: a Link element holding the annotation.
    // Name and attribution are stacked lines, each its own P; the name's P holds the Link.
    expect(children(first[1]!).map((c) => [c.type, children(c).map((l) => [l.type, l.annotations])])).toEqual([['P', [['Link', 1]]], ['P', []]]);
  });

  it('tags the labels of key/value tables as row headers', () => {
    const cover = children(doc.tree)[0]!;
    const row = ofType(cover, 'TR').find((tr) => textOf(tr).startsWith('Report ID'));
    expect(row && children(row).map((c) => [c.type, textOf(c)])).toEqual([['TH', 'Report ID'], ['TD', 'TP-2026Q3-0123abcd']]);
    expect(row && children(row)[0]?.attrs).toContain('/Scope /Row');
  });

  it('keeps stacked lines of a cell apart as paragraphs', () => {
    const cell = ofType(doc.tree, 'TD').find((td) => textOf(td).includes('version 2013'));
    expect(cell && children(cell).map((c) => [c.type, textOf(c)])).toEqual([['P', 'HIPAA Security Rule'], ['P', 'version 2013']]);
  });

  it('gives every chart a Figure whose alternate text states the data', () => {
    const figures = ofType(doc.tree, 'Figure');
    expect(figures).toHaveLength(3);
    expect(figures.map((f) => f.alt)).toEqual(expect.arrayContaining([
      'Failing and warning findings by severity: 0 critical, 2 high, 2 medium, 2 low, 0 info.',
      'Endpoints by worst finding: 0 critical, 2 high, 0 medium, 0 low, 0 info, 1 none.',
      'Control status per framework: HIPAA Security Rule 2013: 1 fail, 0 warn, 0 pass, 0 evidence supplied, 1 not assessed, 0 not graded; PCI DSS 4.0.1: 0 fail, 0 warn, 1 pass, 0 evidence supplied, 0 not assessed, 0 not graded.',
    ]));
  });

  it('tags the contents page as a TOC of linked entries', () => {
    const contents = children(doc.tree).find((s) => s.title === 'Contents');
    const toc = contents && ofType(contents, 'TOC')[0];
    if (toc === undefined) throw new Error('no TOC');
    const entries = children(toc);
    expect(entries.every((e) => e.type === 'TOCI')).toBe(true);
    expect(entries.map((e) => textOf(e).replace(/ \d+$/, ''))).toEqual(expect.arrayContaining(['Summary', 'Scope', 'Framework results', 'PCI DSS (4.0.1)']));
    expect(children(entries[0]!).map((c) => c.type)).toEqual(['Link', 'Link']);
  });

  it('leaves the running header and footer out of the tree, as pagination artifacts', () => {
    const all = textOf(doc.tree);
    expect(all).not.toMatch(/Page \d+ of \d+/);
    expect(all).not.toContain('generated 2026-10-01 09:00 UTC · tlsproof');
    const marks = pageMarks(pdfObjects(doc.bytes));
    for (const p of marks.slice(1)) expect(p.artifacts.get('Pagination')).toBeGreaterThanOrEqual(1);
    expect(marks[0]?.artifacts.has('Pagination')).toBe(false);
  });

  it('draws nothing outside tagged content or artifacts', () => {
    expectFullyTagged(doc.bytes);
  });
});

describe('tagged PDF of a long report', () => {
  it.skipIf(lacks('pdftotext'))('tags a table header once and repeats it on later pages as an artifact', async () => {
    const doc = await render('long.pdf', await renderPdf(makeReportModel({ extraEndpoints: 300 }), { compress: false }));
    const text = await tool('pdftotext', ['-layout', '-enc', 'UTF-8', doc.path, '-']);
    const printed = text.split('\f').filter((p) => /#\s+Endpoint and domains \(why\)\s+Service\s+Observed\s+Scan\s+Worst/.test(p));
    expect(printed.length).toBeGreaterThanOrEqual(4);
    const tagged = ofType(doc.tree, 'TH').filter((th) => textOf(th) === 'Scan state');
    expect(tagged).toHaveLength(1);
    const table = ofType(doc.tree, 'Table').find((t) => ofType(t, 'TH').includes(tagged[0]!));
    const body = table && children(table)[1];
    expect(body && children(body)).toHaveLength(303);
    expectFullyTagged(doc.bytes);
  });
});

const SVG_LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 10"><rect width="20" height="10" fill="#123456"/>'
  + '<circle cx="5" cy="5" r="4" fill="#ff8800" stroke="#000" stroke-width="0.5"/></svg>';

describe('tagged PDF with every section and a branded config', () => {
  it.each(['logo.png', 'logo.svg'])('tags the logo (%s) as a Figure and keeps everything tagged', async (logo) => {
    await writeFile(join(dir, 'logo.png'), PNG_1X1);
    await writeFile(join(dir, 'logo.svg'), SVG_LOGO);
    await writeFile(join(dir, 'report.config.yaml'), [
      'organisation: "Zürich Mail AG"',
      `logo: ${logo}`,
      'classification: Strictly Confidential',
      `sections: [${SECTION_IDS.join(', ')}]`,
      'text: { introduction: "Intro text.", closing: "Closing words." }',
      'signOff: { preparedBy: { name: "Ana Müller", role: "Security Engineer" } }',
    ].join('\n'));
    const config = await loadReportConfig(join(dir, 'report.config.yaml'));
    const doc = await render(`branded-${logo}.pdf`, await renderPdf(makeReportModel(), { compress: false, config }));
    expect(ofType(doc.tree, 'Figure').map((f) => f.alt)).toContain('Logo of Zürich Mail AG');
    const cover = children(doc.tree)[0]!;
    expect(children(cover).map((c) => c.type).slice(0, 2)).toEqual(['Figure', 'P']);
    expect(textOf(children(cover)[1]!)).toBe('STRICTLY CONFIDENTIAL');
    const signoff = children(doc.tree).find((s) => s.title === 'Sign-off');
    expect(signoff && textOf(signoff)).toContain('Ana Müller');
    expect(textOf(doc.tree)).not.toMatch(/Page \d+ of \d+/);
    expectFullyTagged(doc.bytes);
  });

  it.skipIf(lacks('pdfinfo'))('writes PDF/A-2b, untagged, when tagging is turned off', async () => {
    const path = join(dir, 'untagged.pdf');
    await writeFile(path, await renderPdf(makeReportModel(), { tagged: false }));
    expect(await tool('pdfinfo', [path])).toMatch(/^Tagged:\s+no$/m);
    expect(await tool('pdfinfo', ['-meta', path])).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
  });
});
