/**
 * Executive summary, at most two pages: what was assessed, key figures, what needs fixing (every
 * remediation item with its severity, fix-by date, endpoints and owners), control results per
 * framework, findings by severity and status, and how to read statuses and severities.
 */
import { drawTextBlock } from '../parts.js';
import { SEVERITIES } from '../../../model/finding.js';
import { drawBarChartPair, drawStackedBars } from '../charts.js';
import { PdfContext, type Run } from '../context.js';
import { num } from '../format.js';
import {
  COLOR, CONTROL_STATUS_LABEL, CONTROL_STATUS_ORDER, controlStatusesShown, FINDING_STATUS_LABEL, SEVERITY_LABEL, TYPE,
} from '../layout.js';
import { bold, endpointRun, muted, severityRun } from '../parts.js';
import { prepareTable, type Cell } from '../table.js';
import { frameworkShortName } from '../../framework-names.js';
import { coverageGapLine } from '../../scope-text.js';
import { drawNotice } from '../notice.js';
import { acceptanceSummary, hasExceptions } from '../../exceptions-text.js';
import { ACCEPTED_RISKS_DEST } from './accepted-risks.js';

export const SUMMARY_DEST = 'sec-summary';

export function drawSummary(ctx: PdfContext): void {
  const { model } = ctx;
  const r = model.report;
  const s = model.summary;
  ctx.sectionHeading('Summary', { dest: SUMMARY_DEST });
  drawTextBlock(ctx, 'introduction');

  const period = r.period === null ? '' : ` for ${r.period.label} (${r.period.start} to ${r.period.end})`;
  const frameworks = model.frameworks.map((f) => frameworkShortName(f));
  const opening = `This report sets out the TLS evidence gathered for ${r.organisation}${period}. It covers ${num(s.endpoints)} mail and related `
    + `endpoint${s.endpoints === 1 ? '' : 's'}, ${num(s.endpointsCompleted)} of them scanned completely, and evaluates the evidence `
    + `against ${frameworks.length === 0 ? 'no framework' : frameworks.join(', ')}. Certificate expiry is judged at the observation time; certificate tables add how things stand on the report date, ${r.reportDate}.`;
  ctx.paragraph(opening);
  // What the report cannot speak for comes before any figure.
  const gap = coverageGapLine(model);
  if (gap !== null) drawNotice(ctx, 'Coverage gap', gap);

  drawTiles(ctx, [
    { value: s.endpoints, label: 'Endpoints assessed', color: COLOR.accent },
    { value: s.findingsByStatus.fail, label: 'Failing findings', color: FINDING_STATUS_LABEL.fail.color },
    { value: s.findingsByStatus.warn, label: 'Warnings', color: FINDING_STATUS_LABEL.warn.color },
    { value: s.frameworks.reduce((n, f) => n + f.counts.fail, 0), label: 'Controls failing', color: CONTROL_STATUS_LABEL.fail.color },
  ]);
  drawWhatToFix(ctx);

  const statuses = controlStatusesShown(model);
  const fwTable = prepareTable(ctx, [
    { header: 'Framework', weight: 26 },
    { header: 'Version', weight: 10 },
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
  // The status counts head the severity charts rather than closing the summary under a heading of
  // their own, which could be left alone on a page.
  ctx.heading(2, 'Findings by status and severity', { keepWith: 130 });
  ctx.runs(PdfContext.countRuns((['fail', 'warn', 'pass', 'not-tested', 'error'] as const)
    .map((st) => ({ label: FINDING_STATUS_LABEL[st], count: s.findingsByStatus[st] }))));
  // Accepted findings keep their FAIL or WARN above; this line says how many of them are accepted.
  if (hasExceptions(model)) {
    ctx.runs([bold('Open and accepted: '), { text: acceptanceSummary(model) },
      ...(ctx.canLink(ACCEPTED_RISKS_DEST) ? [{ text: ' See Accepted risks.', goTo: ACCEPTED_RISKS_DEST, color: COLOR.link }] : [])]);
  }
  ctx.y += 4;
  drawBarChartPair(ctx, [
    { title: 'Failing and warning findings by severity',
      bars: sevOrder.map((sv) => ({ label: SEVERITY_LABEL[sv].text, count: s.findingsBySeverity[sv], color: SEVERITY_LABEL[sv].color })) },
    { title: 'Endpoints by worst finding',
      bars: [...sevOrder.map((sv) => ({ label: SEVERITY_LABEL[sv].text, count: s.endpointsByWorstSeverity[sv], color: SEVERITY_LABEL[sv].color })),
        { label: 'NONE', count: s.endpointsByWorstSeverity.none, color: CONTROL_STATUS_LABEL.pass.color }] },
  ]);

  // The statuses are defined by the cover's standing notice and Appendix B; the severity rule is
  // stated under "What needs fixing", where severity and fix-by dates are printed.
}

/**
 * Status and severity answer different questions; readers expect one to follow the other, so the
 * rule is stated wherever both are printed side by side.
 */
export const SEVERITY_RULE = 'Status and severity are independent: the status says what the evidence shows on an endpoint, the severity '
  + 'how serious the weakness is wherever it is present. So a WARN can be HIGH (a certificate about to expire still works today) and a '
  + 'FAIL can be LOW (a weakness that is present but hard to exploit, such as LUCKY13); fix-by dates follow the severity.';

/** Endpoints named per item in the summary; the remediation plan names more, Endpoint details all. */
const SUMMARY_ENDPOINTS_SHOWN = 3;

/**
 * What is wrong, where, by when and who owns it: every remediation item on one line each, in
 * priority order. The remediation plan gives the action and the controls each fix closes.
 */
function drawWhatToFix(ctx: PdfContext): void {
  const { model } = ctx;
  if (model.remediation.length === 0) {
    ctx.heading(2, 'What needs fixing', { keepWith: 20 });
    ctx.paragraph('Nothing: no check failed or warned on any endpoint.');
    return;
  }
  const size = 7.4;
  const t = prepareTable(ctx, [
    { header: 'Severity, fix by', weight: 14 },
    { header: 'What is wrong', weight: 30 },
    { header: 'Where', weight: 32 },
    { header: 'Owner (ticket)', weight: 24 },
  ], model.remediation.map((item): Cell[] => {
    // host:port is enough to find the endpoint (the link leads to its details).
    const shown = item.endpointKeys.slice(0, SUMMARY_ENDPOINTS_SHOWN).map((k): Run => {
      const ep = ctx.endpointsByKey.get(k);
      return ep !== undefined ? { ...endpointRun(ep, size), text: `${ep.host}:${ep.port}` } : { text: k, size };
    });
    const rest = item.endpointKeys.length - shown.length;
    const findings = item.findings.length;
    return [
      { runs: [severityRun(item.severity, true, size), item.dueDate === null ? muted('no deadline', size) : { text: item.dueDate, size }] },
      { runs: [bold(item.title, size), muted(`${num(findings)} finding${findings === 1 ? '' : 's'} · ${num(item.controls.length)} control${item.controls.length === 1 ? '' : 's'} affected`, size)] },
      { runs: [...shown, ...(rest > 0 ? [muted(`and ${num(rest)} more`, size)] : [])] },
      { runs: item.owners.length === 0 ? [muted('no owner recorded (not in the domain list)', size)] : ownerRuns(item.owners, size) },
    ];
  }), { size, padY: 2.2 });
  ctx.heading(2, `What needs fixing (${num(model.remediation.length)})`, { keepWith: t.startHeight + 14 });
  ctx.paragraph(`In priority order; the remediation plan gives each action and the controls it closes. ${SEVERITY_RULE}`, { size: TYPE.small, color: COLOR.muted, gapAfter: 3 });
  t.draw();
}

/** One line per owner: the domains they answer for here (named when one) and their tickets. */
function ownerRuns(owners: readonly { domain: string; owner: string; ticket: string | null }[], size: number): Run[] {
  const byOwner = new Map<string, { domains: string[]; tickets: string[] }>();
  for (const o of owners) {
    const name = o.owner || 'owner not named';
    const e = byOwner.get(name) ?? { domains: [], tickets: [] };
    e.domains.push(o.domain);
    if (o.ticket !== null) e.tickets.push(o.ticket);
    byOwner.set(name, e);
  }
  return [...byOwner].flatMap(([name, e]): Run[] => [
    { text: name, size },
    muted(`${e.domains.length === 1 ? e.domains[0] : `${num(e.domains.length)} domains`}${e.tickets.length > 0 ? ` · ${e.tickets.join(', ')}` : ''}`, size),
  ]);
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
