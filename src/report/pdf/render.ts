/**
 * The PDF renderer: draws a ReportModel with pdfkit into an A4 audit report (cover, contents,
 * summary, changes since the previous period when the model has history, scope, framework
 * results, endpoint details, remediation plan, input problems, methodology and integrity) with embedded DejaVu fonts, bookmarks, internal links and a
 * running header and "Page X of Y" footer. The PDF is tagged (tags.ts): a structure tree of one
 * Sect per section with headings, paragraphs, tables, figures with alternate text and links, the
 * running heads marked as pagination artifacts.
 *
 * Deterministic: the creation and modification dates come from `report.generatedAt`, and pdfkit
 * derives the file ID from the info dictionary, so the same model gives byte-identical output.
 */
import PDFDocument from 'pdfkit';
import type { ReportModel } from '../../model/report-model.js';
import type { Renderer, RenderOptions } from '../types.js';
import type { SectionId } from '../../config/schema.js';
import { applyConfig, configOrDefault, sectionsFor } from '../config.js';
import { PdfContext } from './context.js';
import { fallbackWarning, findFallbackFonts, installFontFallback } from './font-fallback.js';
import { fontPaths } from './fonts.js';
import { dateTime } from './format.js';
import { COLOR, MARGIN, PAGE, RUNNING } from './layout.js';
import { ACCEPTED_RISKS_DEST, drawAcceptedRisks } from './sections/accepted-risks.js';
import { drawContents, reserveContents } from './sections/contents.js';
import { drawExceptionRegister, REGISTER_DEST } from './sections/exception-register.js';
import { drawCover } from './sections/cover.js';
import { drawEndpoints, ENDPOINTS_DEST } from './sections/endpoints.js';
import { drawFrameworks, FRAMEWORKS_DEST, hasFindingsTable } from './sections/frameworks.js';
import { drawHistory, HISTORY_DEST } from './sections/history.js';
import { drawMethodology, METHODOLOGY_DEST } from './sections/methodology.js';
import { drawProblems, PROBLEMS_DEST } from './sections/problems.js';
import { drawRemediation, REMEDIATION_DEST } from './sections/remediation.js';
import { drawScope, SCOPE_DEST } from './sections/scope.js';
import { drawScanContext, SCAN_CONTEXT_DEST } from './sections/scan-context.js';
import { drawSenders, SENDERS_DEST } from './sections/senders.js';
import { drawSignOff, SIGNOFF_DEST } from './sections/signoff.js';
import { drawSummary, SUMMARY_DEST } from './sections/summary.js';
import { collectWarnings, warn } from './warnings.js';
import { addSignatureField, type SignatureFieldOptions } from './signature-field.js';
import { appendXmp, infoDictionary, wrapEndMetadata } from './pdfkit-internals.js';

/** Test-only knobs; not part of RenderOptions because users never need them. */
interface PdfInternalOptions {
  /** Leave content streams uncompressed so tests can read them. */
  readonly compress?: boolean;
  /** @default true: write PDF/A-2a (PDF/A-2b when untagged). */
  readonly pdfa?: boolean;
  /** @default true: write the structure tree (tagged PDF); false only to measure what tagging costs. */
  readonly tagged?: boolean;
  /** Where to look for fallback fonts instead of FALLBACK_FONT_SEARCH (font.fallback still wins). */
  readonly fallbackFontSearch?: readonly string[];
  /** Draw an empty signature for src/report/sign to fill in (--sign); absent: unsigned. */
  readonly signatureField?: SignatureFieldOptions;
}

/** Text for pdfkit's XMP packet: XML-escaped, non-ASCII as character references. */
function xmpText(value: string): string {
  return value.replace(/[&<>"']|[^\x20-\x7e]/gu, (ch) => `&#x${(ch.codePointAt(0) ?? 0x3f).toString(16)};`);
}

/**
 * pdfkit 0.20 writes the XMP metadata packet with the info strings unescaped, so an organisation
 * "A & B" or "<Org>" makes it malformed XML (and the PDF/A claim false). The Info dictionary is
 * written first from the same `info`, so escaping `info` just before the packet is built fixes
 * the XMP without touching the dictionary. It also adds xmp:ModifyDate to mirror Info ModDate.
 */
function fixXmpMetadata(doc: PDFKit.PDFDocument): void {
  wrapEndMetadata(doc, (endMetadata) => function (this: PDFKit.PDFDocument) {
    const info = infoDictionary(this);
    const mod = info['ModDate'];
    if (mod instanceof Date) {
      // PDF/A wants the Info dictionary's ModDate mirrored in XMP; pdfkit only writes CreateDate.
      const at = `${mod.toISOString().split('.')[0] ?? ''}Z`;
      appendXmp(this, `<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:ModifyDate>${at}</xmp:ModifyDate><xmp:MetadataDate>${at}</xmp:MetadataDate></rdf:Description>`);
    }
    for (const [k, v] of Object.entries(info)) if (typeof v === 'string') info[k] = xmpText(v);
    return endMetadata.call(this);
  });
}

/**
 * Collects pdfkit's output. pdfkit emits every object as three small chunks ("N 0 obj", the
 * dictionary, "endobj"); a tagged report of thousands of endpoints has tens of thousands of
 * objects, and keeping each chunk alive until the end made garbage collection a large part of
 * the render time. Copying them into 1 MB blocks as they arrive keeps only the blocks.
 */
class OutputBlocks {
  private static readonly SIZE = 1 << 20;
  private readonly blocks: Uint8Array[] = [];
  private block = new Uint8Array(OutputBlocks.SIZE);
  private used = 0;

  push(chunk: Uint8Array): void {
    if (chunk.length > OutputBlocks.SIZE / 4) {
      this.seal();
      this.blocks.push(chunk);
      return;
    }
    if (this.used + chunk.length > this.block.length) this.seal();
    this.block.set(chunk, this.used);
    this.used += chunk.length;
  }

  bytes(): Uint8Array {
    this.seal();
    return Buffer.concat(this.blocks);
  }

  private seal(): void {
    if (this.used === 0) return;
    this.blocks.push(this.block.subarray(0, this.used));
    this.block = new Uint8Array(OutputBlocks.SIZE);
    this.used = 0;
  }
}

export const pdfRenderer: Renderer = {
  render(model: ReportModel, opts: RenderOptions): Promise<Uint8Array> {
    return renderPdf(model, opts);
  },
};

/**
 * A report section as the PDF draws it. To add a section: add its id to SECTION_IDS
 * (src/config/schema.ts: the order there is the default order), write
 * `sections/<name>.ts` exporting its destination and `draw(ctx)`, and add one entry here; the type
 * checker refuses a SectionId without an entry. The section draws its own level-1 heading with
 * `ctx.sectionHeading(entry title, { dest, … })`, which letters appendices.
 */
interface PdfSection {
  /** Named destination its heading places: the contents page and cross-references link to it. */
  readonly dest: string;
  /**
   * Reference material: titled "Appendix A: …", "Appendix B: …" in the order drawn, and run on
   * from the previous appendix when the page has room.
   */
  readonly appendix?: boolean;
  /** Destinations inside the section that other sections link to before it is drawn. */
  readonly destinations?: (model: ReportModel) => readonly string[];
  readonly draw: (ctx: PdfContext) => void;
}

const SECTIONS: Readonly<Record<SectionId, PdfSection>> = {
  summary: { dest: SUMMARY_DEST, draw: drawSummary },
  history: { dest: HISTORY_DEST, draw: (ctx) => { if (ctx.model.history != null) drawHistory(ctx, ctx.model.history); } },
  scope: { dest: SCOPE_DEST, draw: drawScope },
  context: { dest: SCAN_CONTEXT_DEST, draw: drawScanContext },
  frameworks: {
    dest: FRAMEWORKS_DEST, draw: drawFrameworks,
    destinations: (m) => [...m.frameworks.map((f) => f.anchor), ...m.frameworks.flatMap((f) => f.controls.filter(hasFindingsTable).map((c) => c.anchor))],
  },
  endpoints: { dest: ENDPOINTS_DEST, draw: drawEndpoints, destinations: (m) => m.scope.endpoints.map((e) => e.anchor) },
  senders: { dest: SENDERS_DEST, draw: (ctx) => { if (ctx.model.senderReports != null) drawSenders(ctx, ctx.model.senderReports); } },
  remediation: { dest: REMEDIATION_DEST, draw: drawRemediation },
  'accepted-risks': { dest: ACCEPTED_RISKS_DEST, draw: drawAcceptedRisks },
  problems: { dest: PROBLEMS_DEST, draw: drawProblems, appendix: true },
  methodology: { dest: METHODOLOGY_DEST, draw: drawMethodology, appendix: true },
  'exception-register': { dest: REGISTER_DEST, draw: drawExceptionRegister, appendix: true },
  signoff: { dest: SIGNOFF_DEST, draw: drawSignOff },
};

export async function renderPdf(input: ReportModel, opts: PdfInternalOptions & RenderOptions = {}): Promise<Uint8Array> {
  const internal = opts;
  const config = configOrDefault(opts.config);
  const model = applyConfig(input, config);
  const sections = sectionsFor(model, config);
  const builtin = fontPaths();
  // A configured regular font also stands in for bold, so a CJK font covers headings too.
  const fonts = {
    regular: config.font.regular ?? builtin.regular,
    bold: config.font.bold ?? config.font.regular ?? builtin.bold,
    mono: config.font.mono ?? builtin.mono,
  };
  const when = new Date(model.report.generatedAt);
  const tagged = internal.tagged !== false;
  const doc = new PDFDocument({
    size: PAGE.size,
    margins: { ...MARGIN },
    bufferPages: true,
    compress: internal.compress ?? true,
    pdfVersion: '1.7',
    // Archival: PDF/A-2 (embedded fonts, sRGB output intent, XMP with pdfaid). Deterministic:
    // pdfkit derives the XMP dates from `info` and embeds a fixed ICC profile. Level A (2a) adds
    // the logical structure, which pdfkit writes but does not check: the claim rests on every
    // drawing primitive tagging what it draws, which test/report/pdf/tagged.test.ts verifies
    // (nothing drawn outside tagged content or artifacts, every link in the tree).
    ...(internal.pdfa === false ? {} : { subset: tagged ? 'PDF/A-2a' as const : 'PDF/A-2b' as const }),
    // Tagged PDF: a structure tree in reading order, language and title for assistive technology.
    // The report text is English; report.config.yaml has no locale setting to take it from.
    tagged,
    lang: 'en',
    displayTitle: true,
    // The default font would otherwise be Helvetica, which cannot show most non-Latin text.
    font: fonts.regular,
    info: {
      Title: model.report.title,
      Author: model.report.organisation,
      Subject: `TLS evidence report ${model.report.id} for ${model.report.organisation}`,
      Keywords: ['TLS', 'email', 'STARTTLS', 'evidence', ...model.frameworks.map((f) => `${f.id} ${f.version}`), model.report.id,
        ...(config.classification !== undefined ? [config.classification] : [])].join('; '),
      Creator: `${model.tool.name} ${model.tool.version}`,
      CreationDate: when,
      ModDate: when,
    },
  });

  fixXmpMetadata(doc);
  collectWarnings(doc, opts.onWarning);
  // Characters the fonts above lack (CJK, Hangul…) are drawn with a fallback font; see font-fallback.ts.
  const fallbacks = config.font.fallback ?? findFallbackFonts(internal.fallbackFontSearch);
  const fallback = installFontFallback(doc, fallbacks);
  const output = new OutputBlocks();
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (chunk: Uint8Array) => output.push(chunk));
    doc.on('end', () => resolve(output.bytes()));
    doc.on('error', reject);
  });

  const ctx = new PdfContext(doc, model, fonts, config, tagged);
  planDestinations(ctx, sections);
  ctx.tags.section('Cover');
  drawCover(ctx);
  const contents = reserveContents(ctx);
  for (const id of sections) SECTIONS[id].draw(ctx);
  ctx.tags.finish();
  drawContents(ctx, contents);
  stampRunningHeads(ctx);
  ctx.assertDestinationsPlaced();
  const fontWarning = fallbackWarning(fallback, fallbacks, config.font.fallback !== undefined);
  if (fontWarning !== undefined) warn(doc, fontWarning);
  // Last drawing step, before doc.end() writes the metadata: the signature then covers all of it.
  if (internal.signatureField !== undefined) addSignatureField(doc, internal.signatureField);
  doc.end();
  return done;
}

/**
 * Links are drawn before their targets exist (the Scope table links to endpoint sections), so
 * every destination the sections will place is declared first; appendices get their letters.
 */
function planDestinations(ctx: PdfContext, sections: readonly SectionId[]): void {
  ctx.planDestinations(sections.flatMap((id) => [SECTIONS[id].dest, ...(SECTIONS[id].destinations?.(ctx.model) ?? [])]));
  ctx.letterAppendices(sections.filter((id) => SECTIONS[id].appendix === true).map((id) => SECTIONS[id].dest));
}

/**
 * Header (title, classification, organisation) and footer (report id, date, tool, classification,
 * page X of Y) on every page but the cover. The classification marking and the footer's
 * identifiers are never shortened: the marking shrinks or takes its own line, the footer wraps.
 */
function stampRunningHeads(ctx: PdfContext): void {
  const { doc, model } = ctx;
  const range = doc.bufferedPageRange();
  const total = range.count;
  const right = ctx.left + ctx.width;
  const marking = ctx.config.classification?.toUpperCase();
  // A marking that fits the middle third sits between title and organisation; a longer one gets
  // a line of its own above them, across the page.
  const inline = marking !== undefined && widthOf(ctx, marking, RUNNING.size) <= ctx.width / 3;
  const middle = inline ? ctx.width / 3 : 0;
  const side = inline ? (ctx.width - middle) / 2 - 10 : ctx.width / 2 - 10;
  const ownLine = marking !== undefined && !inline ? ctx.fitSize(marking, 'bold', RUNNING.size, RUNNING.minSize, ctx.width) : undefined;
  const footMarking = marking === undefined ? undefined : ctx.fitSize(marking, 'bold', RUNNING.size, RUNNING.minSize, ctx.width);
  const pageW = 70;
  const footerLines = wrapParts(ctx, [`Report ${model.report.id}`, `generated ${dateTime(model.report.generatedAt)}`, `${model.tool.name} ${model.tool.version}`],
    ctx.width - pageW - 6);
  ctx.tags.flush();
  for (let i = range.start + 1; i < range.start + total; i++) {
    doc.switchToPage(i);
    ctx.resetGraphicsState();
    ctx.tags.asArtifact('Pagination', () => stampPage(i));
  }

  function stampPage(i: number): void {
    const margins = doc.page.margins;
    const bottom = margins.bottom;
    // Writing inside the bottom margin would make pdfkit start a new page.
    margins.bottom = 0;

    if (ownLine !== undefined && marking !== undefined) {
      ctx.font('bold', ownLine.size, ctx.accent);
      doc.text(marking, ctx.left, RUNNING.headerY - 3 - ownLine.height, { width: ctx.width, align: 'center', lineGap: 0 });
    }
    ctx.font('bold', RUNNING.size, COLOR.muted);
    doc.text(ctx.fitLine(model.report.title, 'bold', RUNNING.size, side), ctx.left, RUNNING.headerY, { width: side, lineBreak: false });
    if (inline && marking !== undefined) {
      ctx.font('bold', RUNNING.size, ctx.accent);
      doc.text(marking, ctx.left + side + 10, RUNNING.headerY, { width: middle, align: 'center', lineBreak: false });
    }
    ctx.font('regular', RUNNING.size, COLOR.muted);
    doc.text(ctx.fitLine(model.report.organisation, 'regular', RUNNING.size, side), right - side, RUNNING.headerY, { width: side, align: 'right', lineBreak: false });
    const headRule = RUNNING.headerY + RUNNING.size + RUNNING.ruleGap;
    ctx.line(ctx.left, headRule, right, headRule, COLOR.rule);

    const footRule = RUNNING.footerY - RUNNING.ruleGap;
    ctx.line(ctx.left, footRule, right, footRule, COLOR.rule);
    let y = RUNNING.footerY;
    ctx.font('regular', RUNNING.size, COLOR.muted);
    for (const line of footerLines) {
      doc.text(line, ctx.left, y, { width: ctx.width - pageW, lineBreak: false });
      y += RUNNING.lineStep;
    }
    if (footMarking !== undefined && marking !== undefined) {
      ctx.font('bold', footMarking.size, ctx.accent);
      doc.text(marking, ctx.left, y, { width: ctx.width, align: 'center', lineGap: 0 });
    }
    ctx.font('bold', RUNNING.size, COLOR.ink);
    doc.text(`Page ${i + 1} of ${total}`, right - pageW, RUNNING.footerY, { width: pageW, align: 'right', lineBreak: false });

    margins.bottom = bottom;
  }
}

function widthOf(ctx: PdfContext, text: string, size: number): number {
  ctx.font('bold', size);
  return ctx.doc.widthOfString(text);
}

/** `parts` joined with " · " into as few lines of `width` as they fit, breaking only between parts. */
function wrapParts(ctx: PdfContext, parts: readonly string[], width: number): string[] {
  ctx.font('regular', RUNNING.size);
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines[lines.length - 1];
    if (last !== undefined && ctx.doc.widthOfString(`${last} · ${part}`) <= width) lines[lines.length - 1] = `${last} · ${part}`;
    else lines.push(part);
  }
  return lines;
}
