/**
 * The PDF renderer: draws a ReportModel with pdfkit into an A4 audit report (cover, contents,
 * summary, changes since the previous period when the model has history, scope, framework
 * results, endpoint details, remediation plan, input problems, methodology and integrity) with embedded DejaVu fonts, bookmarks, internal links and a
 * running header and "Page X of Y" footer.
 *
 * Deterministic: the creation and modification dates come from `report.generatedAt`, and pdfkit
 * derives the file ID from the info dictionary, so the same model gives byte-identical output.
 */
import PDFDocument from 'pdfkit';
import type { ReportModel } from '../../model/report-model.js';
import type { Renderer, RenderOptions } from '../types.js';
import { PdfContext } from './context.js';
import { fontPaths } from './fonts.js';
import { dateTime } from './format.js';
import { COLOR, MARGIN, PAGE, RUNNING } from './layout.js';
import { drawContents, reserveContents } from './sections/contents.js';
import { drawCover } from './sections/cover.js';
import { drawEndpoints, ENDPOINTS_DEST } from './sections/endpoints.js';
import { drawFrameworks, FRAMEWORKS_DEST, hasFindingsTable } from './sections/frameworks.js';
import { drawHistory, HISTORY_DEST } from './sections/history.js';
import { drawMethodology, METHODOLOGY_DEST } from './sections/methodology.js';
import { drawProblems, PROBLEMS_DEST } from './sections/problems.js';
import { drawRemediation, REMEDIATION_DEST } from './sections/remediation.js';
import { drawScope, SCOPE_DEST } from './sections/scope.js';
import { drawSummary, SUMMARY_DEST } from './sections/summary.js';

/** Test-only knobs; not part of RenderOptions because users never need them. */
export interface PdfInternalOptions {
  /** Leave content streams uncompressed so tests can read them. */
  readonly compress?: boolean;
}

export const pdfRenderer: Renderer = {
  id: 'pdf',
  extension: '.pdf',
  render(model: ReportModel, _opts: RenderOptions): Promise<Uint8Array> {
    return renderPdf(model);
  },
};

export function renderPdf(model: ReportModel, internal: PdfInternalOptions = {}): Promise<Uint8Array> {
  const fonts = fontPaths();
  const when = new Date(model.report.generatedAt);
  const doc = new PDFDocument({
    size: PAGE.size,
    margins: { ...MARGIN },
    bufferPages: true,
    compress: internal.compress ?? true,
    pdfVersion: '1.7',
    lang: 'en',
    displayTitle: true,
    // The default font would otherwise be Helvetica, which cannot show most non-Latin text.
    font: fonts.regular,
    info: {
      Title: model.report.title,
      Author: model.report.organisation,
      Subject: `TLS evidence report ${model.report.id} for ${model.report.organisation}`,
      Keywords: ['TLS', 'email', 'STARTTLS', 'evidence', ...model.frameworks.map((f) => `${f.id} ${f.version}`), model.report.id].join('; '),
      Creator: `${model.tool.name} ${model.tool.version}`,
      CreationDate: when,
      ModDate: when,
    },
  });

  const chunks: Uint8Array[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const ctx = new PdfContext(doc, model, fonts);
  planDestinations(ctx);
  drawCover(ctx);
  const contentsPage = reserveContents(ctx);
  drawSummary(ctx);
  if (model.history != null) drawHistory(ctx, model.history);
  drawScope(ctx);
  drawFrameworks(ctx);
  drawEndpoints(ctx);
  drawRemediation(ctx);
  drawProblems(ctx);
  drawMethodology(ctx);
  drawContents(ctx, contentsPage);
  stampRunningHeads(ctx);
  ctx.assertDestinationsPlaced();
  doc.end();
  return done;
}

/**
 * Links are drawn before their targets exist (the Scope table links to endpoint sections), so
 * every destination the sections will place is declared first.
 */
function planDestinations(ctx: PdfContext): void {
  const m = ctx.model;
  ctx.planDestinations([
    SUMMARY_DEST, SCOPE_DEST, FRAMEWORKS_DEST, ENDPOINTS_DEST, REMEDIATION_DEST, PROBLEMS_DEST, METHODOLOGY_DEST,
    ...(m.history != null ? [HISTORY_DEST] : []),
    ...m.scope.endpoints.map((e) => e.anchor),
    ...m.frameworks.map((f) => f.anchor),
    ...m.frameworks.flatMap((f) => f.controls.filter(hasFindingsTable).map((c) => c.anchor)),
  ]);
}

/** Header (title, organisation) and footer (report id, date, page X of Y) on every page but the cover. */
function stampRunningHeads(ctx: PdfContext): void {
  const { doc, model } = ctx;
  const range = doc.bufferedPageRange();
  const total = range.count;
  const half = ctx.width / 2 - 10;
  const footerLeft = `Report ${model.report.id} · generated ${dateTime(model.report.generatedAt)} · ${model.tool.name} ${model.tool.version}`;
  for (let i = range.start + 1; i < range.start + total; i++) {
    doc.switchToPage(i);
    ctx.resetGraphicsState();
    const margins = doc.page.margins;
    const bottom = margins.bottom;
    // Writing inside the bottom margin would make pdfkit start a new page.
    margins.bottom = 0;
    const right = ctx.left + ctx.width;

    ctx.font('bold', RUNNING.size, COLOR.muted);
    doc.text(ctx.fitLine(model.report.title, 'bold', RUNNING.size, half), ctx.left, RUNNING.headerY, { width: half, lineBreak: false });
    ctx.font('regular', RUNNING.size, COLOR.muted);
    doc.text(ctx.fitLine(model.report.organisation, 'regular', RUNNING.size, half), right - half, RUNNING.headerY, { width: half, align: 'right', lineBreak: false });
    const headRule = RUNNING.headerY + RUNNING.size + RUNNING.ruleGap;
    ctx.line(ctx.left, headRule, right, headRule, COLOR.rule);

    const footRule = RUNNING.footerY - RUNNING.ruleGap;
    ctx.line(ctx.left, footRule, right, footRule, COLOR.rule);
    ctx.font('regular', RUNNING.size, COLOR.muted);
    doc.text(ctx.fitLine(footerLeft, 'regular', RUNNING.size, ctx.width - 90), ctx.left, RUNNING.footerY, { width: ctx.width - 90, lineBreak: false });
    ctx.font('bold', RUNNING.size, COLOR.ink);
    doc.text(`Page ${i + 1} of ${total}`, right - 90, RUNNING.footerY, { width: 90, align: 'right', lineBreak: false });

    margins.bottom = bottom;
  }
}
