/**
 * Cover page: title band, organisation, the report's identity (id, period, dates, tool) and the
 * control status counts per framework. The cover carries no running header or footer.
 */
import type { PdfContext } from '../context.js';
import { date, dateTime, num } from '../format.js';
import { COLOR, CONTROL_STATUS_LABEL, MARGIN, PAGE, TYPE } from '../layout.js';
import { bold, muted } from '../parts.js';
import { prepareTable, type Cell } from '../table.js';
import { drawLogoImage } from '../logo.js';
import { domainCoverageLine } from '../../scope-text.js';
import { periodTitle } from '../../../model/period.js';

const BAND_HEIGHT = 250;

export function drawCover(ctx: PdfContext): void {
  const { model } = ctx;
  const r = model.report;
  ctx.fillRect(0, 0, PAGE.width, BAND_HEIGHT, ctx.accent);
  ctx.fillRect(0, BAND_HEIGHT, PAGE.width, 4, '#c8a951');

  if (ctx.config.logo !== undefined) ctx.figure(`Logo of ${r.organisation}`, () => drawLogo(ctx));
  if (ctx.config.classification !== undefined) {
    ctx.font('bold', 10, '#ffffff');
    const label = ctx.fitLine(ctx.config.classification.toUpperCase(), 'bold', 10, ctx.width / 2);
    ctx.tags.with('P', {}, () => ctx.text(label, MARGIN.left, 40, { width: ctx.width / 2 }));
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
  const identity: Cell[][] = [
    ['Report ID', { runs: [bold(r.id)] }],
    ...(ctx.config.classification !== undefined ? [['Classification', { runs: [bold(ctx.config.classification)] }] satisfies Cell[]] : []),
    // "FY2027 Q1 (1 Oct 2026 – 31 Dec 2026)": the name and its dates, said once.
    ['Period', r.period === null ? 'not stated' : periodTitle(r.period)],
    ['Report date', date(r.reportDate)],
    ['Generated', dateTime(r.generatedAt)],
    ['Scope', `${num(endpoints)} endpoint${endpoints === 1 ? '' : 's'} (${num(model.summary.endpointsCompleted)} scanned completely), ${num(model.scope.inputs.length)} input file${model.scope.inputs.length === 1 ? '' : 's'}`],
    ...((line) => (line === null ? [] : [['Domains', line] satisfies Cell[]]))(domainCoverageLine(model)),
    ['Frameworks', model.frameworks.map((f) => `${f.title} ${f.version}`).join('; ') || 'none'],
    ['Prepared with', `${model.tool.name} ${model.tool.version}`],
  ];
  prepareTable(ctx, [{ header: '', weight: 26, font: 'bold', color: COLOR.muted, rowHeader: true }, { header: '', weight: 74 }], identity,
    { header: false, zebra: false, size: 9.5 }).draw();

  if (model.summary.frameworks.length > 0) {
    ctx.y += 8;
    ctx.font('bold', 10, COLOR.ink);
    const at = ctx.y;
    ctx.tags.with('P', {}, () => ctx.text('Control results at a glance', MARGIN.left, at, { width: ctx.width }));
    ctx.y += 18;
    const statuses = ['fail', 'warn', 'pass', 'not-assessed'] as const;
    const rows: Cell[][] = model.summary.frameworks.map((f) => [
      { runs: [bold(f.title), muted(`version ${f.version}`)] },
      ...statuses.map((s): Cell => ({
        text: num(f.counts[s]), font: 'bold', size: 11,
        color: f.counts[s] > 0 ? CONTROL_STATUS_LABEL[s].color : COLOR.faint,
      })),
    ]);
    prepareTable(ctx, [
      { header: 'Framework', weight: 40 },
      ...statuses.map((s) => ({ header: CONTROL_STATUS_LABEL[s].text, weight: 15, align: 'center' as const })),
    ], rows, { size: 9 }).draw();
  }

  // Anchored to the bottom of the cover so it reads as a standing notice, not as body text.
  const note = 'Control statuses are FAIL, WARN, PASS or NOT ASSESSED. PASS means the mapped checks found no failing '
    + 'evidence on the endpoints tested; NOT ASSESSED means no mapped check produced evidence. This report records what '
    + 'the TLS evidence shows; it is not a certification or an attestation.';
  const noteH = ctx.measure(note, 'regular', TYPE.small, ctx.width);
  const noteY = PAGE.height - MARGIN.bottom - noteH;
  if (noteY > ctx.y + 10) {
    ctx.line(MARGIN.left, noteY - 8, MARGIN.left + ctx.width, noteY - 8, COLOR.rule);
    ctx.font('regular', TYPE.small, COLOR.muted);
    ctx.tags.with('P', {}, () => ctx.drawText(note, MARGIN.left, noteY, ctx.width, noteH));
  }
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
