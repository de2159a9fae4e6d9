/**
 * The pdfkit internals the PDF renderer relies on (src/report/pdf/pdfkit-internals.ts) are all
 * present on a fresh document of the installed pdfkit, and the installed pdfkit is the release
 * they were checked against: upgrading pdfkit fails here, loudly, before any report loses its
 * fallback fonts, its signature field or its valid XMP.
 */
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { checkPdfkitInternals, PDFKIT_VERSION_CHECKED, wrapFragment } from '../../../src/report/pdf/pdfkit-internals.js';

const ROOT = new URL('../../../', import.meta.url);
// The bundled TTF: pdfkit's built-in Helvetica is not an embedded font and has no glyph table.
const FONT = new URL('assets/fonts/DejaVuSans.ttf', ROOT).pathname;

describe('pdfkit internals', () => {
  it('the installed pdfkit is the release the internals were checked against', () => {
    const installed = (JSON.parse(readFileSync(new URL('node_modules/pdfkit/package.json', ROOT), 'utf8')) as { version: string }).version;
    expect(installed, 'pdfkit changed: re-check every access in src/report/pdf/pdfkit-internals.ts, then update PDFKIT_VERSION_CHECKED').toBe(PDFKIT_VERSION_CHECKED);
    const pinned = (JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { dependencies: Record<string, string> }).dependencies['pdfkit'];
    expect(pinned, 'pdfkit must be pinned exactly').toBe(PDFKIT_VERSION_CHECKED);
  });

  it('every internal is present on a fresh document', () => {
    const doc = new PDFDocument({ autoFirstPage: true }).font(FONT);
    expect(() => checkPdfkitInternals(doc)).not.toThrow();
    doc.end();
  });

  it('names what changed when an internal is missing', () => {
    const doc = new PDFDocument({ autoFirstPage: true }).font(FONT);
    Reflect.set(doc, '_fragment', undefined);
    expect(() => checkPdfkitInternals(doc)).toThrow(/pdfkit internals changed.*no method _fragment/);
    expect(() => wrapFragment(doc, (f) => f)).toThrow(/no method _fragment/);
    Reflect.set(doc, '_fragment', () => undefined);
    Reflect.set(doc, '_root', null);
    expect(() => checkPdfkitInternals(doc)).toThrow(/_root is not the catalogue/);
  });
});
