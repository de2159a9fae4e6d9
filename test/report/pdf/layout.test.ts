/**
 * Page layout of the shipped sample report, read back page by page with pdftotext -layout: the
 * cover is one page, no page but a section's last is nearly empty, no page carries only a
 * table's last row, and the classification marking and the footer's identifiers are printed
 * whole on every page. The model is built from samples/ by the production pipeline.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../../src/config/load.js';
import type { ReportModel } from '../../../src/model/report-model.js';
import { buildModel } from '../../../src/pipeline.js';
import { renderPdf } from '../../../src/report/pdf/render.js';
import { writeSampleCopies } from '../../../bench/sample-copies.js';
import { lacks } from '../../support/tools.js';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** 58 characters: near the schema's limit of 60, far wider than a third of the header. */
const MARKING = 'Confidential – internal audit evidence – do not distribute';
/** Long enough that the footer cannot hold id, date and version on one line. */
const TOOL_VERSION = '0.1.0-rc.17+build.2026-10-01.ffa0b15174.linux-x64';
/** Body lines (header and footer excluded) every page but a section's last must carry. */
const MIN_BODY_LINES = 12;
/** Level-1 headings: a page that starts with one starts a section. */
const SECTION_START = /^(Contents|Summary|Scope|Framework results|Endpoint details|Remediation plan|Appendix [A-Z]:|Changes since|Sign-off)/;

async function pagesOf(path: string): Promise<string[]> {
  const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'], { maxBuffer: 64 * 1024 * 1024 });
  return stdout.split('\f').slice(0, -1);
}

/** A page's non-empty lines without the running header (marking, title line) and footer. */
function body(page: string, model: ReportModel): string[] {
  const marking = MARKING.toUpperCase();
  return page.split('\n').map((l) => l.trim()).filter((l) => l !== '' && l !== marking
    && !l.startsWith(model.report.title) && !l.startsWith(`Report ${model.report.id}`) && !/^Page \d+ of \d+$/.test(l)
    && !l.includes(TOOL_VERSION.slice(0, 12)));
}

describe.skipIf(lacks('pdftotext'))('PDF layout of the sample report', () => {
  let dir = '';
  let model: ReportModel;
  let pages: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tlsproof-pdf-layout-'));
    ({ model } = await buildModel({
      inputs: ['samples/2026-Q3'], domains: 'samples/domains.csv', organisation: 'Example Health', period: '2026-Q3',
      formats: ['pdf'], outDir: dir, strict: false, generatedAt: '2026-10-01T09:00:00.000Z', cwd: root, toolVersion: TOOL_VERSION,
    }));
    const path = join(dir, 'sample.pdf');
    await writeFile(path, await renderPdf(model, { config: { ...EMPTY_CONFIG, classification: MARKING } }));
    pages = await pagesOf(path);
  });

  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('keeps the cover on one page: the contents start on page 2', () => {
    expect(pages.length).toBeGreaterThan(10);
    expect(body(pages[1] ?? '', model)[0]).toBe('Contents');
    expect(pages[0]).toContain('Control results at a glance');
  });

  it('prints the classification marking whole on the cover and in the header and footer of every page', () => {
    const marking = MARKING.toUpperCase();
    expect(pages[0]).toContain(marking);
    pages.slice(1).forEach((page, i) => {
      const lines = page.split('\n').filter((l) => l.trim() !== '');
      expect(lines[0]?.trim(), `header of page ${i + 2}`).toBe(marking);
      expect(lines[lines.length - 1]?.trim(), `footer of page ${i + 2}`).toBe(marking);
    });
  });

  it('prints the report id, the generation time and the whole tool version in every footer', () => {
    pages.slice(1).forEach((page, i) => {
      const flat = page.replace(/\s+/g, ' ');
      expect(flat, `page ${i + 2}`).toContain(`Report ${model.report.id}`);
      expect(flat, `page ${i + 2}`).toContain('generated 2026-10-01 09:00 UTC');
      expect(flat, `page ${i + 2}`).toContain(`tlsproof ${TOOL_VERSION}`);
      const footer = page.split('\n').filter((l) => l.trim() !== '').slice(-3).join(' ');
      expect(footer, `page ${i + 2}`).not.toContain('…');
    });
  });

  it('leaves no nearly empty page except where a section ends', () => {
    const sparse: string[] = [];
    pages.forEach((page, i) => {
      if (i === 0 || i === pages.length - 1) return;
      const next = body(pages[i + 1] ?? '', model)[0] ?? '';
      if (SECTION_START.test(next)) return;
      const lines = body(page, model);
      if (lines.length < MIN_BODY_LINES) sparse.push(`page ${i + 1} (${lines.length} lines): ${lines.slice(0, 3).join(' | ')}`);
    });
    expect(sparse).toEqual([]);
  });

  it('names passed checks by what was verified', () => {
    const flat = pages.join('\n').replace(/\s+/g, ' ');
    const withPasses = model.scope.endpoints.filter((e) => e.counts.pass > 0).length;
    expect(flat.match(/Passed \(\d+\)/g)?.length).toBe(withPasses);
    // Every passed check is listed with its evidence line; a failing check's title never is.
    expect(flat.match(/SSL 2\.0 not offered \(line \d+\)/g)?.length).toBe(withPasses);
    expect(flat).not.toMatch(/(SSL 2\.0 offered|TLS 1\.0 offered|Certificate expired) \(line \d+\)/);
  });

  it('prints each evidence excerpt once on the endpoint pages', () => {
    // The legacy relay's TLS 1.0 record, as testssl's JSON finding starts (only that relay offers TLS 1.0).
    const text = pages.join('\n');
    const record = '{"id":"TLS1"';
    expect(text.split(record).length - 1).toBe(1);
  });

  it('lists with a remediation item only controls of frameworks that apply to its endpoints', () => {
    const applies = new Map(model.scope.endpoints.map((e) => [e.key, new Set(e.frameworks)]));
    let checked = 0;
    for (const item of model.remediation) {
      for (const c of item.controls) {
        expect(item.endpointKeys.some((k) => applies.get(k)?.has(c.frameworkId)), `${item.checkId}: ${c.frameworkId} ${c.controlId}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('uses short framework names on the cover, the full title in the framework section', () => {
    const full = 'Guidelines for the Selection, Configuration, and Use of Transport Layer Security';
    expect(pages[0]).toContain('NIST SP 800-52r2');
    expect(pages[0]).not.toContain(full);
    expect(pages.join('\n').replace(/\s+/g, ' ')).toContain(full);
  });

  it('breaks no cipher-class name inside a word on the endpoint pages', () => {
    const text = pages.join('\n');
    // One per endpoint that reports the class, whole on its line.
    expect(text.match(/(^|\s)\(?authentication\)/gm)?.length).toBe(model.scope.endpoints.length);
    expect(text).not.toMatch(/(authenticatio|encrypti)(\s|$)/m);
  });

  it('starts no section with a lone heading or a lone table tail on its last page', () => {
    // A section's last page may be short, but not a heading with a line or two under it.
    const lonely: string[] = [];
    pages.forEach((page, i) => {
      if (i === 0) return;
      const lines = body(page, model);
      const next = body(pages[i + 1] ?? '', model)[0] ?? '';
      const startsSection = SECTION_START.test(lines[0] ?? '');
      const endsSection = i === pages.length - 1 || SECTION_START.test(next);
      if (endsSection && !startsSection && lines.length < 6) lonely.push(`page ${i + 1}: ${lines.join(' | ')}`);
    });
    expect(lonely).toEqual([]);
  });
});

describe.skipIf(lacks('pdftotext'))('PDF layout of a 21-endpoint report (three copies of the sample)', () => {
  let dir = '';
  let model: ReportModel;
  let pages: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tlsproof-pdf-layout21-'));
    const input = await writeSampleCopies(join(root, 'samples'), join(dir, 'in'), 3);
    ({ model } = await buildModel({
      inputs: [input.scans], domains: input.domains, organisation: 'Example Health', period: '2026-Q3',
      formats: ['pdf'], outDir: dir, strict: false, generatedAt: '2026-10-01T09:00:00.000Z', cwd: root, toolVersion: TOOL_VERSION,
    }));
    const path = join(dir, 'copies.pdf');
    await writeFile(path, await renderPdf(model, { config: { ...EMPTY_CONFIG, classification: MARKING } }));
    pages = await pagesOf(path);
  }, 120_000);

  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('prints the marking whole in the header and footer of every page', () => {
    const marking = MARKING.toUpperCase();
    expect(model.scope.endpoints).toHaveLength(21);
    pages.slice(1).forEach((page, i) => {
      const lines = page.split('\n').filter((l) => l.trim() !== '');
      expect(lines[0]?.trim(), `header of page ${i + 2}`).toBe(marking);
      expect(lines[lines.length - 1]?.trim(), `footer of page ${i + 2}`).toBe(marking);
    });
  });

  it('leaves no nearly empty page except where a section ends', () => {
    const sparse: string[] = [];
    pages.forEach((page, i) => {
      if (i === 0 || i === pages.length - 1) return;
      if (SECTION_START.test(body(pages[i + 1] ?? '', model)[0] ?? '')) return;
      const lines = body(page, model);
      if (lines.length < MIN_BODY_LINES) sparse.push(`page ${i + 1} (${lines.length} lines): ${lines.slice(0, 3).join(' | ')}`);
    });
    expect(sparse).toEqual([]);
  });

  it('keeps the report identity table on one page', () => {
    const at = pages.findIndex((p) => /^\s*Report identity\s*$/m.test(p));
    expect(at).toBeGreaterThan(0);
    expect(pages[at]).toContain('Reproducibility');
  });
});
