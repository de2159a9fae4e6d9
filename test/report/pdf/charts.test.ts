/**
 * Stacked-bar charts: a title too long for one line wraps, and the bars start below its last
 * line (a wrapped framework title used to overlap the first bar's label). Read back with
 * pdftotext -bbox-layout.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawStackedBars } from '../../../src/report/pdf/charts.js';
import { PdfContext } from '../../../src/report/pdf/context.js';
import { fontPaths } from '../../../src/report/pdf/fonts.js';
import { MARGIN, PAGE } from '../../../src/report/pdf/layout.js';
import { makeReportModel } from '../../support/model-factory.js';
import { lacks } from '../../support/tools.js';

const run = promisify(execFile);
const TITLE = 'Guidelines for the Selection, Configuration, and Use of Transport Layer Security (TLS) Implementations r2 — control status per period';

interface Line { readonly yMin: number; readonly yMax: number; readonly text: string }

/** Lines of page 1 with their vertical extent, from pdftotext's bbox XHTML. */
async function lines(path: string): Promise<Line[]> {
  const { stdout } = await run('pdftotext', ['-bbox-layout', '-f', '1', '-l', '1', path, '-'], { encoding: 'utf8' });
  const out: Line[] = [];
  for (const m of stdout.matchAll(/<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([\s\S]*?)<\/line>/g)) {
    const text = [...(m[3] ?? '').matchAll(/>([^<]*)<\/word>/g)].map((w) => w[1]).join(' ');
    out.push({ yMin: Number(m[1]), yMax: Number(m[2]), text });
  }
  return out;
}

describe.skipIf(lacks('pdftotext'))('stacked-bar chart with a long title', () => {
  let dir = '';
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'tlsproof-chart-')); });
  afterAll(async () => { if (dir !== '') await rm(dir, { recursive: true, force: true }); });

  it('wraps the title and starts the first bar below it', async () => {
    const doc = new PDFDocument({ size: PAGE.size, margins: { ...MARGIN }, bufferPages: true, info: { CreationDate: new Date(0) } });
    const chunks: Uint8Array[] = [];
    doc.on('data', (c: Uint8Array) => chunks.push(c));
    const ended = new Promise<void>((resolve) => doc.on('end', resolve));
    const ctx = new PdfContext(doc, makeReportModel(), fontPaths(), undefined, false);
    const rows = ['Q1 2026', 'Q2 2026'].map((label) => ({ label, segments: [{ label: 'FAIL', count: 2, color: '#b42318' }, { label: 'PASS', count: 3, color: '#067647' }] }));
    drawStackedBars(ctx, TITLE, rows);
    doc.end();
    await ended;
    const path = join(dir, 'chart.pdf');
    await writeFile(path, Buffer.concat(chunks));
    const all = await lines(path);
    const titleLines = all.filter((l) => /Guidelines|Implementations|period/.test(l.text));
    expect(titleLines.length).toBeGreaterThanOrEqual(2);
    expect(titleLines.map((l) => l.text).join(' ')).toContain('control status per period');
    const firstBar = all.find((l) => l.text.startsWith('Q1 2026'));
    if (firstBar === undefined) throw new Error(`no bar label read back: ${all.map((l) => l.text).join(' | ')}`);
    expect(firstBar.yMin).toBeGreaterThanOrEqual(Math.max(...titleLines.map((l) => l.yMax)));
  });
});
