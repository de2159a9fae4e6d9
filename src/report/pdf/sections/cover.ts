/**
 * Cover page: title band, organisation, the report's identity (id, period, dates, tool) and the
 * control status counts per framework. The cover carries no running header or footer.
 */
import type { PdfContext } from '../context.js';
import { date, dateTime, num } from '../format.js';
import { COLOR, CONTROL_STATUS_LABEL, CONTROL_STATUS_ORDER, controlStatusesShown, MARGIN, PAGE, TYPE } from '../layout.js';
import { bold, muted } from '../parts.js';
import { prepareTable, type Cell } from '../table.js';
import { drawLogoImage } from '../logo.js';
import { coverageGapLine, domainCoverageLine } from '../../scope-text.js';
import { drawNotice } from '../notice.js';
import { periodTitle } from '../../../model/period.js';
import { evidenceDates } from '../../evidence-dates.js';
import { frameworkShortName } from '../../framework-names.js';

const BAND_HEIGHT = 250;

export function drawCover(ctx: PdfContext): void {
  const { model } = ctx;
  const r = model.report;
  ctx.fillRect(0, 0, PAGE.width, BAND_HEIGHT, ctx.accent);
  ctx.fillRect(0, BAND_HEIGHT, PAGE.width, 4, '#c8a951');

  if (ctx.config.logo !== undefined) ctx.figure(`Logo of ${r.organisation}`, () => drawLogo(ctx));
  if (ctx.config.classification !== undefined) {
    // Never shortened: it shrinks, then wraps, beside the logo when there is one.
    const marking = ctx.config.classification.toUpperCase();
    const width = ctx.config.logo === undefined ? ctx.width : ctx.width - LOGO_BOX.width - 2 * LOGO_BOX.pad - 12;
    const fit = ctx.fitSize(marking, 'bold', 10, 7, width);
    ctx.font('bold', fit.size, '#ffffff');
    ctx.tags.with('P', {}, () => ctx.drawText(marking, MARGIN.left, 40, width, fit.height));
  }

  let y = 92;
  ctx.font('bold', 8.5, '#c9d7ea');
  ctx.tags.with('P', {}, () => ctx.text('TLS EVIDENCE REPORT  ·  EMAIL TRANSPORT ENCRYPTION', MARGIN.left, y, { width: ctx.width, characterSpacing: 1.2 }));
  y += 22;
  const titleH = ctx.measure(r.title, 'bold', TYPE.coverTitle, ctx.width);
  ctx.font('bold', TYPE.coverTitle, '#ffffff');
  ctx.tags.with('P', {}, () => ctx.drawText(r.title, MARGIN.left, y, ctx.width, titleH));
  y += titleH + 8;
  const orgH = ctx.measure(r.organisation, 'regular', TYPE.coverSub, ctx.width);
  ctx.font('regular', TYPE.coverSub, '#ffffff');
  ctx.tags.with('P', {}, () => ctx.drawText(r.organisation, MARGIN.left, y, ctx.width, orgH));

  ctx.y = BAND_HEIGHT + 36;
  const endpoints = model.summary.endpoints;
  const evidence = evidenceDates(model);
  const identity: Cell[][] = [
    ['Report ID', { runs: [bold(r.id)] }],
    ...(ctx.config.classification !== undefined ? [['Classification', { runs: [bold(ctx.config.classification)] }] satisfies Cell[]] : []),
    // "FY2027 Q1 (1 Oct 2026 – 31 Dec 2026)": the name and its dates, said once.
    ['Period', r.period === null ? 'not stated' : periodTitle(r.period)],
    ['Evidence dates', evidence === null ? 'no observation' : evidence.from.slice(0, 10) === evidence.to.slice(0, 10)
      ? `${date(evidence.from)} (when the endpoints were observed)` : `${date(evidence.from)} – ${date(evidence.to)} (when the endpoints were observed)`],
    ['Report date', `${date(r.reportDate)} (the day the report speaks for)`],
    ['Generated', dateTime(r.generatedAt)],
    ['Scope', `${num(endpoints)} endpoint${endpoints === 1 ? '' : 's'} (${num(model.summary.endpointsCompleted)} scanned completely), ${num(model.scope.inputs.length)} input file${model.scope.inputs.length === 1 ? '' : 's'}`],
    ...((line) => (line === null ? [] : [['Domains', line] satisfies Cell[]]))(domainCoverageLine(model)),
    ['Frameworks', model.frameworks.map((f) => frameworkShortName(f)).join('; ') || 'none'],
    ['Prepared with', `${model.tool.name} ${model.tool.version}`],
  ];
  prepareTable(ctx, [{ header: '', weight: 26, font: 'bold', color: COLOR.muted, rowHeader: true }, { header: '', weight: 74 }], identity,
    { header: false, zebra: false, size: 9.5 }).draw();
  // A listed domain without evidence is the first thing an auditor must know, so it is not left to a table row.
  const gap = coverageGapLine(model);
  if (gap !== null) {
    ctx.y += 6;
    drawNotice(ctx, 'Coverage gap', gap, { size: 9.5 });
  }

  // Anchored to the bottom of the cover so it reads as a standing notice, not as body text.
  const note = 'Only technical controls are graded FAIL, WARN or PASS; PASS means every in-scope endpoint passed the checks that '
    + 'decide the control. Process and governance controls receive EVIDENCE SUPPLIED, never a grade; definitions are NOT GRADED; '
    + 'NOT ASSESSED means nothing linked produced evidence. This report records what the TLS evidence shows; it is not a '
    + 'certification or an attestation.';
  const noteH = ctx.measure(note, 'regular', TYPE.small, ctx.width);
  const noteY = PAGE.height - MARGIN.bottom - noteH;

  if (model.summary.frameworks.length > 0) drawGlance(ctx, noteY - 18);
  if (noteY > ctx.y + 10) {
    ctx.line(MARGIN.left, noteY - 8, MARGIN.left + ctx.width, noteY - 8, COLOR.rule);
    ctx.font('regular', TYPE.small, COLOR.muted);
    ctx.tags.with('P', {}, () => ctx.drawText(note, MARGIN.left, noteY, ctx.width, noteH));
  }
}

/**
 * The control status counts per framework, in the room left above `limit`: the cover is one page,
 * so a table that would not fit is drawn compactly (one line per framework), and when even that
 * does not fit, the cover points to the same table in the summary instead of spilling a row onto
 * a page of its own.
 */
function drawGlance(ctx: PdfContext, limit: number): void {
  const { model } = ctx;
  const statuses = controlStatusesShown(model);
  const columns = [
    { header: 'Framework', weight: 34 },
    ...statuses.map((s) => ({ header: CONTROL_STATUS_LABEL[s].text, weight: 11, align: 'center' as const })),
  ];
  const table = (compact: boolean) => prepareTable(ctx, columns, model.summary.frameworks.map((f): Cell[] => [
    compact ? { runs: [{ text: frameworkShortName(f), font: 'bold', size: 7.5 }] } : { runs: [bold(frameworkShortName(f, false)), muted(`version ${f.version}`)] },
    ...statuses.map((s): Cell => ({
      text: num(f.counts[s]), font: 'bold', size: compact ? 8.5 : 11,
      color: f.counts[s] > 0 ? CONTROL_STATUS_LABEL[s].color : COLOR.faint,
    })),
  ]), { size: compact ? 7.5 : 9, keepTogether: true, gapAfter: 0 });
  const titleH = 18;
  const room = limit - (ctx.y + 8 + titleH);
  const full = table(false);
  const chosen = full.height <= room ? full : ((t) => (t.height <= room ? t : undefined))(table(true));
  ctx.y += 8;
  ctx.font('bold', 10, COLOR.ink);
  const at = ctx.y;
  ctx.tags.with('P', {}, () => ctx.text('Control results at a glance', MARGIN.left, at, { width: ctx.width }));
  ctx.y += titleH;
  if (chosen !== undefined) {
    chosen.draw();
    return;
  }
  const n = model.summary.frameworks.length;
  ctx.paragraph(`The control results of all ${num(n)} frameworks are in the Summary: too many to list on this page.`, { size: TYPE.body });
}

const LOGO_BOX = { width: 130, height: 52, pad: 6, top: 22 } as const;

/**
 * The configured logo, top right of the band on a white plate so any logo colour reads: PNG and
 * JPEG embedded, SVG drawn as vectors (logo.ts).
 */
function drawLogo(ctx: PdfContext): void {
  if (ctx.config.logo === undefined) return;
  const x = PAGE.width - MARGIN.right - LOGO_BOX.width;
  ctx.fillRect(x - LOGO_BOX.pad, LOGO_BOX.top - LOGO_BOX.pad, LOGO_BOX.width + 2 * LOGO_BOX.pad, LOGO_BOX.height + 2 * LOGO_BOX.pad, '#ffffff');
  drawLogoImage(ctx.doc, ctx.config, { x, y: LOGO_BOX.top, width: LOGO_BOX.width, height: LOGO_BOX.height });
}
