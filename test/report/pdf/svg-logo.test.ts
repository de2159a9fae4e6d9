/**
 * SVG logos on the PDF cover: drawn as vectors (read back as pixels with pdftoppm), nothing
 * outside the file followed, malformed files rejected at config load with file, line and column,
 * and never a crash at render time.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReportConfig } from '../../../src/config/load.js';
import type { ReportConfig } from '../../../src/config/schema.js';
import { renderPdf } from '../../../src/report/pdf/render.js';
import { parseSvg } from '../../../src/config/svg.js';
import { makeReportModel } from '../../support/model-factory.js';
import { lacks } from '../../support/tools.js';

const run = promisify(execFile);
let dir = '';

/** 200×80 user units into the 130×52 pt logo box: the same aspect ratio, so it fills the box. */
const LOGO = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 200 80" width="200" height="80">
  <style>.brand { fill: #0a8f3c } #mark { fill: rgb(228, 0, 43) }</style>
  <rect class="brand" x="0" y="0" width="200" height="80"/>
  <path id="mark" d="M10 70 L45 10 L80 70 Z"/>
  <g transform="translate(150 40)"><circle r="12" fill="#1d4ed8"/></g>
  <path d="M120 78 Q135 62 150 78 T180 78" fill="none" stroke="#000" stroke-width="1"/>
  <text x="95" y="75" font-size="14" font-weight="bold" fill="#ffffff">ACME</text>
</svg>`;

/** Logo box on the cover in points (cover.ts LOGO_BOX; A4 width 595.28, right margin 56). */
const BOX = { x: 595.28 - 56 - 130, y: 22, w: 130, h: 52 };

interface Image { width: number; height: number; rgb(x: number, y: number): [number, number, number] }

/** Page 1 rendered at `dpi` as PPM (pdftoppm without -png writes P6). */
async function page1(pdf: string, dpi: number): Promise<Image> {
  await run('pdftoppm', ['-r', String(dpi), '-f', '1', '-l', '1', pdf, join(dir, 'p')]);
  const data = await readFile(join(dir, 'p-01.ppm')).catch(() => readFile(join(dir, 'p-1.ppm')));
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(data.subarray(0, 40).toString('latin1'));
  if (header?.[0] === undefined) throw new Error('unexpected PPM header');
  const width = Number(header[1]);
  const off = header[0].length;
  return {
    width, height: Number(header[2]),
    rgb: (x, y) => {
      const i = off + (Math.round(y) * width + Math.round(x)) * 3;
      return [data[i] ?? -1, data[i + 1] ?? -1, data[i + 2] ?? -1];
    },
  };
}

/** The pixel at a point of the logo's 200×80 coordinate system. */
function logoPixel(img: Image, dpi: number, ux: number, uy: number): [number, number, number] {
  const k = dpi / 72;
  return img.rgb((BOX.x + (ux / 200) * BOX.w) * k, (BOX.y + (uy / 80) * BOX.h) * k);
}

function near(actual: [number, number, number], expected: [number, number, number], tolerance = 40): boolean {
  return actual.every((c, i) => Math.abs(c - (expected[i] ?? 0)) <= tolerance);
}

async function configWith(svg: string, name = 'logo.svg'): Promise<ReportConfig> {
  await writeFile(join(dir, name), svg);
  await writeFile(join(dir, 'report.config.yaml'), `logo: ${name}\n`);
  return loadReportConfig(join(dir, 'report.config.yaml'));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tlsproof-svg-logo-'));
});

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe('SVG logo in the PDF', () => {
  it.skipIf(lacks('pdftoppm', 'pdftotext'))('draws the shapes in their colours in the logo box, deterministically and without warnings', async () => {
    const config = await configWith(LOGO);
    const warnings: string[] = [];
    const bytes = await renderPdf(makeReportModel(), { config, onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([]);
    const again = await renderPdf(makeReportModel(), { config });
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(again))).toBe(0);
    const pdf = join(dir, 'logo.pdf');
    await writeFile(pdf, bytes);
    const img = await page1(pdf, 50);
    // Green background (the .brand class rule), red triangle (#mark rule), blue circle inside a translated group.
    expect(logoPixel(img, 50, 185, 8)).toSatisfy((p: [number, number, number]) => near(p, [10, 143, 60]));
    expect(logoPixel(img, 50, 45, 55)).toSatisfy((p: [number, number, number]) => near(p, [228, 0, 43]));
    expect(logoPixel(img, 50, 150, 40)).toSatisfy((p: [number, number, number]) => near(p, [29, 78, 216]));
    // The band around the white plate keeps the accent colour: the logo stays in its box.
    expect(near(img.rgb((BOX.x - 20) * 50 / 72, 40 * 50 / 72), [10, 143, 60])).toBe(false);
    // The text is real text in the embedded font.
    const { stdout } = await run('pdftotext', ['-f', '1', '-l', '1', pdf, '-'], { encoding: 'utf8' });
    expect(stdout).toContain('ACME');
  });

  it('follows no external reference and says what it left out', async () => {
    await writeFile(join(dir, 'secret.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">
  <image href="secret.png" width="10" height="10"/>
  <use xlink:href="other.svg#shape"/>
  <rect width="10" height="10" fill="url(http://example.test/paint.svg#g)"/>
  <rect width="5" height="5" fill="#000" filter="url(#blur)"/>
</svg>`;
    const config = await configWith(svg, 'external.svg');
    const warnings: string[] = [];
    const bytes = await renderPdf(makeReportModel(), { config, onWarning: (w) => warnings.push(w), compress: false });
    expect(warnings).toHaveLength(1);
    const w = warnings[0] ?? '';
    expect(w).toContain(join(dir, 'external.svg'));
    expect(w).toMatch(/<image>: embedded and linked images are not drawn \(line 2\)/);
    expect(w).toMatch(/external reference "other\.svg#shape" \(never loaded\) \(line 3\)/);
    expect(w).toMatch(/external reference "http:\/\/example\.test\/paint\.svg#g"/);
    expect(w).toMatch(/filter effects/);
    expect(Buffer.from(bytes).toString('latin1')).not.toMatch(/\/Subtype \/Image/);
  });

  it('rejects a malformed SVG when the config is loaded, naming the file, line and column', async () => {
    await expect(configWith('<svg xmlns="http://www.w3.org/2000/svg">\n  <rect width="1" height="1">\n</svg>', 'broken.svg'))
      .rejects.toThrow(/report\.config\.yaml: logo: .*broken\.svg is not a well-formed SVG file: line 3 column \d+: /);
    await expect(configWith('<?xml version="1.0"?><html><svg></svg></html>', 'html.svg'))
      .rejects.toThrow(/html\.svg is not a well-formed SVG file: .*the root element is <html>, not <svg>/);
    await expect(configWith('<svg xmlns="http://www.w3.org/2000/svg"><text>&nbsp;</text></svg>', 'entity.svg'))
      .rejects.toThrow(/entity\.svg is not a well-formed SVG file: line 1 column \d+: undefined entity/);
  });

  it('leaves out a logo that cannot be parsed, with a warning, when the config was built in code', async () => {
    const config: ReportConfig = {
      source: 'test', colours: {}, font: {}, text: {}, signOff: {}, remediationDeadlines: {},
      logo: { file: '/nowhere/bad.svg', mime: 'image/svg+xml', bytes: new TextEncoder().encode('<svg><g></svg>') },
    };
    const warnings: string[] = [];
    const bytes = await renderPdf(makeReportModel(), { config, onWarning: (w) => warnings.push(w) });
    expect(bytes.length).toBeGreaterThan(1000);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^logo \/nowhere\/bad\.svg: not drawn in the PDF: not a well-formed SVG file: line 1/);
  });

  it('survives hostile content: bad numbers, reference loops, deep nesting caps', async () => {
    const loop = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
  <g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>
  <path d="M 1e999 0 L 5 5"/><path d="M0 0 Lx"/><polygon points="1,2,3"/>
  <rect width="NaN" height="-4"/><circle r="1e400"/><g transform="rotate(banana)"><rect width="1" height="1"/></g>
</svg>`;
    const config = await configWith(loop, 'hostile.svg');
    const warnings: string[] = [];
    await expect(renderPdf(makeReportModel(), { config, onWarning: (w) => warnings.push(w) })).resolves.toBeInstanceOf(Uint8Array);
    expect(warnings.join('\n')).toMatch(/unreadable transform/);
    expect(() => parseSvg(`<svg xmlns="http://www.w3.org/2000/svg">${'<g>'.repeat(100)}${'</g>'.repeat(100)}</svg>`)).toThrow(/nested more than 64 deep/);
  });
});
