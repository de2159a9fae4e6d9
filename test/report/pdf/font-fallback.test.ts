/**
 * Font fallback in the PDF: CJK, Korean and accented names (organisation, a domain owner, a
 * certificate subject) are read back with pdftotext, which only extracts text whose glyphs are
 * embedded with a ToUnicode map, and pdffonts must list the fallback font as embedded. Needs
 * fonts-droid-fallback (installed by .ci/run) and poppler-utils.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReportConfig } from '../../../src/config/load.js';
import type { ReportModel } from '../../../src/model/report-model.js';
import { FALLBACK_FONT_SEARCH, findFallbackFonts } from '../../../src/report/pdf/font-fallback.js';
import { renderPdf } from '../../../src/report/pdf/render.js';
import { makeReportModel } from '../../support/model-factory.js';
import { lacks } from '../../support/tools.js';

const run = promisify(execFile);
const DROID_FULL = '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf';
const DROID = '/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf';

const ORG = '東京医療センター株式会社';
const OWNER = '서울병원 정보보안팀';
const SUBJECT = 'Société Générale de Santé — 大阪';

let dir = '';

function cjkModel(): ReportModel {
  const model = makeReportModel({ organisation: ORG });
  const asset = model.scope.assets[0];
  const ep = model.scope.endpoints[1];
  const cert = ep?.certificates[0];
  if (asset === undefined || ep === undefined || cert === undefined) throw new Error('factory model changed shape');
  asset.owner = OWNER;
  ep.certificates = [{ ...cert, commonName: SUBJECT }];
  return model;
}

async function text(bytes: Uint8Array, name: string): Promise<{ path: string; text: string; fonts: string }> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const { stdout: fonts } = await run('pdffonts', [path], { encoding: 'utf8' });
  // pdftotext may break a long name across lines; compare without line breaks.
  return { path, text: stdout.replace(/\n/g, ''), fonts };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-fallback-'));
});

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe('PDF font fallback', () => {
  it('looks for the Debian fonts-droid-fallback files first', () => {
    expect(FALLBACK_FONT_SEARCH.slice(0, 2)).toEqual([DROID_FULL, DROID]);
    expect(findFallbackFonts(['/nonexistent/a.ttf', DROID_FULL, DROID_FULL], (p) => p === DROID_FULL)).toEqual([DROID_FULL]);
  });

  it.skipIf(lacks(DROID_FULL, DROID, 'pdftotext', 'pdffonts'))('draws CJK, Korean and accented names with the fallback font as real text', async () => {
    const warnings: string[] = [];
    const bytes = await renderPdf(cjkModel(), { onWarning: (w) => warnings.push(w) });
    const { text: all, fonts } = await text(bytes, 'cjk.pdf');
    for (const s of [ORG, OWNER, SUBJECT, 'imap.bücher-gesundheit.test', 'legacy.例え.test']) expect(all, s).toContain(s);
    // Both Droid faces: the Full one for Chinese/Japanese, the other for Hangul; all embedded and subset.
    const droid = fonts.split('\n').filter((l) => l.includes('DroidSansFallback'));
    expect(droid.length).toBe(2);
    for (const line of droid) expect(line).toMatch(/\byes\s+yes\s+yes\b/);
    expect(warnings).toEqual([]);
  });

  it.skipIf(lacks(DROID_FULL))('is deterministic and leaves pure-Latin reports untouched', async () => {
    const a = await renderPdf(cjkModel());
    const b = await renderPdf(cjkModel());
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
    const latin = JSON.parse(JSON.stringify(makeReportModel({ organisation: 'Example Health' })).replaceAll('例え', 'example')) as ReportModel;
    const withFallback = await renderPdf(latin);
    const without = await renderPdf(latin, { fallbackFontSearch: [] });
    expect(Buffer.compare(Buffer.from(withFallback), Buffer.from(without))).toBe(0);
  });

  it.skipIf(lacks('pdftotext', 'pdffonts'))('renders anyway and warns once, naming the package and the config key, when no fallback font exists', async () => {
    const warnings: string[] = [];
    const bytes = await renderPdf(cjkModel(), { fallbackFontSearch: ['/nonexistent/DroidSansFallbackFull.ttf'], onWarning: (w) => warnings.push(w) });
    const { text: all, fonts } = await text(bytes, 'nofallback.pdf');
    expect(all).toContain('Société Générale de Santé');
    expect(fonts).not.toMatch(/Droid/);
    // A visible replacement mark instead of .notdef (which PDF/A-2 forbids text to show).
    expect(all).toContain('\ufffd\ufffd\ufffd\ufffd');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/apt-get install fonts-droid-fallback/);
    expect(warnings[0]).toMatch(/font\.fallback in report\.config\.yaml/);
    expect(warnings[0]).toContain('東 (U+6771)');
  });

  it.skipIf(lacks(DROID_FULL, 'pdftotext', 'pdffonts'))('uses only the fonts named by font.fallback, and says so when they fall short', async () => {
    // DroidSansFallbackFull has Chinese and Japanese but almost no Hangul.
    const config = await parseReportConfig(`font: { fallback: ${DROID_FULL} }`, join(dir, 'report.config.yaml'));
    expect(config.font.fallback).toEqual([DROID_FULL]);
    const warnings: string[] = [];
    const bytes = await renderPdf(cjkModel(), { config, onWarning: (w) => warnings.push(w) });
    const { text: all } = await text(bytes, 'configured.pdf');
    expect(all).toContain(ORG);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/font\.fallback in report\.config\.yaml \(.*DroidSansFallbackFull\.ttf\) do not cover them/);
    expect(warnings[0]).toContain('서 (U+C11C)');
  });

  it('validates font.fallback like the other fonts, with the key path', async () => {
    const file = join(dir, 'report.config.yaml');
    await writeFile(join(dir, 'not-a-font.ttf'), 'hello');
    await expect(parseReportConfig('font: { fallback: not-a-font.ttf }', file)).rejects.toThrow(/font\.fallback: .*not-a-font\.ttf is not a TrueType or OpenType font/);
    await expect(parseReportConfig('font: { fallback: [missing.ttf] }', file)).rejects.toThrow(/font\.fallback\[0\]: cannot read .*missing\.ttf/);
    await expect(parseReportConfig('font: { fallback: [] }', file)).rejects.toThrow(/font\.fallback: must list at least one font file/);
  });
});
