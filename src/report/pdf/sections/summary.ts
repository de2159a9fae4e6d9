/**
 * Summary: what was assessed, key figures, control results per framework, findings by severity
 * and status, and the top of the remediation plan.
 */
import { drawTextBlock } from '../parts.js';
import { SEVERITIES } from '../../../model/finding.js';
import { drawBarChartPair, drawStackedBars } from '../charts.js';
import { PdfContext } from '../context.js';
import { num } from '../format.js';
import {
  COLOR, CONTROL_STATUS_LABEL, CONTROL_STATUS_ORDER, FINDING_STATUS_LABEL, SEVERITY_LABEL, SPACE, TYPE,
} from '../layout.js';
import { bold, muted, severityRun } from '../parts.js';
import { prepareTable, type Cell } from '../table.js';
import { frameworkShortName } from '../../framework-names.js';
import { acceptanceSummary, hasExceptions } from '../../exceptions-text.js';
import { ACCEPTED_RISKS_DEST } from './accepted-risks.js';

export const SUMMARY_DEST = 'sec-summary';
const TOP_PRIORITIES = 5;

export function drawSummary(ctx: PdfContext): void {
  const { model } = ctx;
  const r = model.report;
  const s = model.summary;
  ctx.heading(1, 'Summary', { dest: SUMMARY_DEST, outline: 'root', contents: true });
  drawTextBlock(ctx, 'introduction');

  const period = r.period === null ? '' : ` for ${r.period.label} (${r.period.start} to ${r.period.end})`;
  const frameworks = model.frameworks.map((f) => frameworkShortName(f));
  ctx.paragraph(
    `This report sets out the TLS evidence gathered for ${r.organisation}${period}. It covers ${num(s.endpoints)} mail and related `
    + `endpoint${s.endpoints === 1 ? '' : 's'}, ${num(s.endpointsCompleted)} of them scanned completely, and evaluates the evidence `
    + `against ${frameworks.length === 0 ? 'no framework' : frameworks.join(', ')}. Certificate expiry is judged at the observation time; certificate tables add how things stand on the report date, ${r.reportDate}.`,
  );

  drawTiles(ctx, [
    { value: s.endpoints, label: 'Endpoints assessed', color: COLOR.accent },
    { value: s.findingsByStatus.fail, label: 'Failing findings', color: FINDING_STATUS_LABEL.fail.color },
    { value: s.findingsByStatus.warn, label: 'Warnings', color: FINDING_STATUS_LABEL.warn.color },
    { value: s.frameworks.reduce((n, f) => n + f.counts.fail, 0), label: 'Controls failing', color: CONTROL_STATUS_LABEL.fail.color },
  ]);

  const statuses = CONTROL_STATUS_ORDER;
  const fwTable = prepareTable(ctx, [
    { header: 'Framework', weight: 36 },
    { header: 'Version', weight: 12 },
    ...statuses.map((st) => ({ header: CONTROL_STATUS_LABEL[st].text, weight: 13, align: 'center' as const })),
  ], s.frameworks.map((f): Cell[] => [
    { text: frameworkShortName(f, false), goTo: model.frameworks.find((x) => x.id === f.id)?.anchor ?? '', color: COLOR.link },
    f.version,
    ...statuses.map((st): Cell => countCell(f.counts[st], CONTROL_STATUS_LABEL[st].color)),
  ]));
  ctx.heading(2, 'Control results by framework', { keepWith: fwTable.startHeight });
  if (s.frameworks.length === 0) ctx.paragraph('No framework was evaluated.');
  else {
    drawStackedBars(ctx, 'Control status per framework', s.frameworks.map((f) => ({
      label: frameworkShortName(f),
      segments: statuses.map((st) => ({ label: CONTROL_STATUS_LABEL[st].text, count: f.counts[st], color: CONTROL_STATUS_LABEL[st].color })),
    })));
    ctx.y += 4;
    fwTable.draw();
  }

  const sevOrder = [...SEVERITIES].reverse();
  ctx.heading(2, 'Findings by severity', { keepWith: 110 });
  drawBarChartPair(ctx, [
    { title: 'Failing and warning findings by severity',
      bars: sevOrder.map((sv) => ({ label: SEVERITY_LABEL[sv].text, count: s.findingsBySeverity[sv], color: SEVERITY_LABEL[sv].color })) },
    { title: 'Endpoints by worst finding',
      bars: [...sevOrder.map((sv) => ({ label: SEVERITY_LABEL[sv].text, count: s.endpointsByWorstSeverity[sv], color: SEVERITY_LABEL[sv].color })),
        { label: 'NONE', count: s.endpointsByWorstSeverity.none, color: CONTROL_STATUS_LABEL.pass.color }] },
  ]);

  ctx.heading(2, 'Findings by status', { keepWith: 20 });
  ctx.runs(PdfContext.countRuns((['fail', 'warn', 'pass', 'not-tested', 'error'] as const)
    .map((st) => ({ label: FINDING_STATUS_LABEL[st], count: s.findingsByStatus[st] }))));
  // Accepted findings keep their FAIL or WARN above; this line says how many of them are accepted.
  if (hasExceptions(model)) {
    ctx.runs([bold('Open and accepted: '), { text: acceptanceSummary(model) },
      ...(ctx.canLink(ACCEPTED_RISKS_DEST) ? [{ text: ' See Accepted risks.', goTo: ACCEPTED_RISKS_DEST, color: COLOR.link }] : [])]);
  }

  if (model.remediation.length > 0) {
    const top = model.remediation.slice(0, TOP_PRIORITIES);
    const t = prepareTable(ctx, [
      { header: 'Severity', weight: 13 },
      { header: 'Issue', weight: 62 },
      { header: 'Endpoints', weight: 13, align: 'right' },
      { header: 'Controls', weight: 12, align: 'right' },
    ], top.map((item): Cell[] => [
      severityRun(item.severity),
      { runs: [bold(item.title), muted(item.remediation)] },
      num(item.endpointKeys.length),
      num(item.controls.length),
    ]));
    ctx.heading(2, 'Top priorities', { keepWith: t.startHeight });
    t.draw();
    if (model.remediation.length > top.length) {
      ctx.paragraph(`The remediation plan lists all ${num(model.remediation.length)} items.`, { size: TYPE.small, color: COLOR.muted });
    }
  }

  ctx.y += SPACE.paragraph;
  ctx.paragraph('How to read the statuses. A control FAILs when a mapped check failed on at least one endpoint in the framework\'s scope, '
    + 'and WARNs when a mapped check only warned. PASS means the mapped checks found no failing evidence on the endpoints tested. '
    + 'NOT ASSESSED means no mapped check produced evidence, so the report says nothing either way about that control.',
  { size: TYPE.small, color: COLOR.muted });
}

function countCell(n: number, color: string): Cell {
  return n > 0 ? { text: num(n), font: 'bold', color } : { text: '0', color: COLOR.faint };
}

interface Tile { value: number; label: string; color: string }

/** Key figures as a row of boxes: big number over a caption. */
function drawTiles(ctx: PdfContext, tiles: readonly Tile[]): void {
  const gap = 10;
  const h = 54;
  const w = (ctx.width - gap * (tiles.length - 1)) / tiles.length;
  ctx.ensure(h + 12);
  const y = ctx.y + 4;
  tiles.forEach((t, i) => {
    const x = ctx.left + i * (w + gap);
    ctx.fillRect(x, y, w, h, COLOR.zebra);
    ctx.fillRect(x, y, w, 2.5, t.color);
    // One paragraph per tile, read as "3 Endpoints assessed".
    ctx.tags.with('P', { actual: `${num(t.value)} ${t.label}` }, () => {
      ctx.font('bold', 18, t.color);
      ctx.text(num(t.value), x + 10, y + 11, { width: w - 20 });
      ctx.font('regular', TYPE.small, COLOR.muted);
      ctx.text(t.label, x + 10, y + 36, { width: w - 20 });
    });
  });
  ctx.y = y + h + 8;
}
