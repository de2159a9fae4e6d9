/**
 * Every pdfkit internal tlsproof relies on, in one place. pdfkit has no public API for three
 * things the report needs: drawing characters the current font lacks with a fallback font
 * (font-fallback.ts wraps `widthOfString` and `_fragment` and swaps `_font`), a PAdES signature
 * field in the document catalogue (signature-field.ts: `ref`, `_root`, `_acroform`), and valid XMP
 * metadata (render.ts wraps `endMetadata`), plus one for speed: the chunk list of a page's
 * content stream (context.ts joins it as it grows). Each access goes through a function here that checks
 * the shape it expects and throws a PdfkitInternalsError naming what changed, never a silent
 * fallback. pdfkit is pinned exactly in package.json; test/report/pdf/pdfkit-internals.test.ts
 * checks every internal on a fresh document and fails when the installed pdfkit is not the version
 * this file was written for, so an upgrade is a deliberate, re-checked step.
 */

/** The pdfkit release whose internals this file was checked against. */
export const PDFKIT_VERSION_CHECKED = '0.20.2';

class PdfkitInternalsError extends Error {
  constructor(what: string) {
    super(`pdfkit internals changed (tlsproof was checked against pdfkit ${PDFKIT_VERSION_CHECKED}): ${what}; ` +
      'see src/report/pdf/pdfkit-internals.ts');
    this.name = 'PdfkitInternalsError';
  }
}

/** The parts of a pdfkit EmbeddedFont tlsproof reads. */
export interface PdfkitFont {
  readonly id: string;
  readonly ascender: number;
  readonly descender: number;
  readonly xHeight: number;
  readonly font: { hasGlyphForCodePoint(cp: number): boolean };
  widthOfString(text: string, size: number, features?: unknown): number;
}

/** pdfkit's text options as far as `_fragment` reads them. */
export interface FragmentOptions {
  width?: number; lineWidth?: number; textWidth?: number; wordCount?: number; align?: string;
  baseline?: number | string; characterSpacing?: number; horizontalScaling?: number; features?: unknown;
  destination?: string; [key: string]: unknown;
}

type WidthOfString = (this: unknown, text: string, options?: FragmentOptions) => number;
type Fragment = (this: unknown, text: string, x: number, y: number, options: FragmentOptions) => void;

/** A pdfkit indirect object: `end()` writes it. */
export interface PdfRef { end(): void; readonly data: Record<string, unknown> }

function isPdfkitFont(v: unknown): v is PdfkitFont {
  if (typeof v !== 'object' || v === null) return false;
  const font: unknown = Reflect.get(v, 'font');
  return typeof Reflect.get(v, 'widthOfString') === 'function' && typeof Reflect.get(v, 'id') === 'string'
    && typeof font === 'object' && font !== null && typeof Reflect.get(font, 'hasGlyphForCodePoint') === 'function';
}

function method<F>(doc: object, name: string): F {
  const m: unknown = Reflect.get(doc, name);
  if (typeof m !== 'function') throw new PdfkitInternalsError(`PDFDocument has no method ${name}`);
  return m as F;
}

/** Replaces a document method with `make(original)`; the original is called with the document as `this`. */
function wrap<F>(doc: PDFKit.PDFDocument, name: string, make: (original: F) => F): void {
  Reflect.set(doc, name, make(method<F>(doc, name)));
}

export function wrapWidthOfString(doc: PDFKit.PDFDocument, make: (original: WidthOfString) => WidthOfString): void {
  wrap(doc, 'widthOfString', make);
}

/** `_fragment` draws one line of text: every text call ends there. */
export function wrapFragment(doc: PDFKit.PDFDocument, make: (original: Fragment) => Fragment): void {
  wrap(doc, '_fragment', make);
}

/** `endMetadata` builds the XMP packet from `info` when the document ends. */
export function wrapEndMetadata(doc: PDFKit.PDFDocument, make: (original: (this: PDFKit.PDFDocument) => unknown) => (this: PDFKit.PDFDocument) => unknown): void {
  wrap(doc, 'endMetadata', make);
}

/** Appends raw XML to the XMP packet being built (only inside endMetadata). */
export function appendXmp(doc: PDFKit.PDFDocument, xml: string): void {
  method<(xml: string) => void>(doc, 'appendXML').call(doc, xml);
}

/** The document's Info dictionary values (Title, Author, ModDate…), as pdfkit keeps them. */
export function infoDictionary(doc: PDFKit.PDFDocument): Record<string, unknown> {
  const info: unknown = Reflect.get(doc, 'info');
  if (typeof info !== 'object' || info === null) throw new PdfkitInternalsError('PDFDocument.info is not an object');
  return info as Record<string, unknown>;
}

export function currentFont(doc: PDFKit.PDFDocument): PdfkitFont {
  const f: unknown = Reflect.get(doc, '_font');
  if (!isPdfkitFont(f)) throw new PdfkitInternalsError('PDFDocument._font is not an embedded font');
  return f;
}

export function setCurrentFont(doc: PDFKit.PDFDocument, font: PdfkitFont): void {
  Reflect.set(doc, '_font', font);
}

export function currentFontSize(doc: PDFKit.PDFDocument): number {
  const s: unknown = Reflect.get(doc, '_fontSize');
  if (typeof s !== 'number') throw new PdfkitInternalsError('PDFDocument._fontSize is not a number');
  return s;
}

/** Runs `fn` (which may change the font) and restores the font state pdfkit keeps. */
export function keepingFont<T>(doc: PDFKit.PDFDocument, fn: () => T): T {
  const saved = ['_font', '_fontSource', '_fontFamily'].map((key) => [key, Reflect.get(doc, key)] as const);
  try {
    return fn();
  } finally {
    for (const [key, value] of saved) Reflect.set(doc, key, value);
  }
}

/** A new indirect object in the document. */
export function newRef(doc: PDFKit.PDFDocument, data: Record<string, unknown>): PdfRef {
  return method<(data: Record<string, unknown>) => PdfRef>(doc, 'ref').call(doc, data);
}

/** The document catalogue. */
export function catalogue(doc: PDFKit.PDFDocument): PdfRef {
  const root: unknown = Reflect.get(doc, '_root');
  if (typeof root !== 'object' || root === null || typeof Reflect.get(root, 'data') !== 'object') {
    throw new PdfkitInternalsError('PDFDocument._root is not the catalogue object');
  }
  return root as PdfRef;
}

/** pdfkit's endAcroForm runs only when `_acroform` is set; a signature field needs it to. */
export function enableAcroForm(doc: PDFKit.PDFDocument): void {
  Reflect.set(doc, '_acroform', { fonts: {}, defaultFont: 'none' });
}

/** The chunks pdfkit has buffered for an indirect object's stream (a page's content). */
export function streamChunks(ref: object): unknown[] {
  const chunks: unknown = Reflect.get(ref, 'buffer');
  if (!Array.isArray(chunks)) throw new PdfkitInternalsError('a PDFReference has no buffer array');
  return chunks;
}

/** Checks every internal above on `doc` (a fresh document with a font set); throws on the first that changed. */
export function checkPdfkitInternals(doc: PDFKit.PDFDocument): void {
  for (const name of ['widthOfString', '_fragment', 'endMetadata', 'appendXML', 'ref', 'endAcroForm']) method(doc, name);
  infoDictionary(doc);
  currentFont(doc);
  currentFontSize(doc);
  catalogue(doc);
  streamChunks(Reflect.get(doc.page, 'content') as object);
}
