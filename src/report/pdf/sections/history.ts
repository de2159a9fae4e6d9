/**
 * Changes since the previous period (only when the model carries `history`): counts of new,
 * resolved, persisting, regressed, unverified and superseded findings, the findings themselves with age and
 * due date, overdue items, endpoints added and removed, time to remediate, certificates expiring
 * next period, and the trend over recent periods.
 */
import type { ReportModel } from '../../../model/report-model.js';
import { SEVERITIES } from '../../../model/finding.js';
import { PdfContext } from '../context.js';
import { date, num } from '../format.js';
import { COLOR, CONTROL_STATUS_LABEL, CONTROL_STATUS_ORDER, FINDING_STATUS_LABEL, SEVERITY_LABEL, TYPE } from '../layout.js';
import { bold, endpointRun, findingStatusRun, muted, severityRun } from '../parts.js';
import { drawStackedBars } from '../charts.js';
import { prepareTable, type Cell } from '../table.js';
import { frameworkShortName } from '../../framework-names.js';
import { drawExceptionChanges } from './exception-changes.js';

export const HISTORY_DEST = 'sec-history';

const SUPERSEDED_WHAT = 'Open in the previous period; this period another check on the same endpoint reports the same condition worse, '
  + 'so each is counted once, as that finding (new, persisting or regressed above).';

type History = NonNullable<ReportModel['history']>;
type HistoryFinding = History['new'][number];

export function drawHistory(ctx: PdfContext, h: History): void {
  const root = ctx.sectionHeading(`Changes since ${h.previousPeriod.label}`, {
    dest: HISTORY_DEST, outlineTitle: 'Changes since the previous period',
  });
  prepareTable(ctx, [{ header: '', weight: 24, font: 'bold', color: COLOR.muted, rowHeader: true }, { header: '', weight: 76 }], [
    ['This period', `${h.period.label} (${h.period.start} to ${h.period.end})`],
    ['Compared with', `${h.previousPeriod.label} (${h.previousPeriod.start} to ${h.previousPeriod.end})`],
    ['As of', `${date(h.asOf)}: open findings are aged and judged overdue at this date`],
    ['Endpoints', `${num(h.endpoints.current)} now, ${num(h.endpoints.previous)} in the previous period; ${num(h.runsConsidered)} stored run${h.runsConsidered === 1 ? '' : 's'} read`],
  ], { header: false, zebra: false }).draw();
  ctx.runs(PdfContext.countRuns([
    { label: { text: 'NEW', color: FINDING_STATUS_LABEL.fail.color }, count: h.new.length },
    { label: { text: 'REGRESSED', color: FINDING_STATUS_LABEL.fail.color }, count: h.regressed.length },
    { label: { text: 'PERSISTING', color: FINDING_STATUS_LABEL.warn.color }, count: h.persisting.length },
    { label: { text: 'UNVERIFIED', color: COLOR.muted }, count: h.unverified.length },
    ...(h.superseded.length > 0 ? [{ label: { text: 'SUPERSEDED', color: COLOR.muted }, count: h.superseded.length }] : []),
    { label: { text: 'RESOLVED', color: FINDING_STATUS_LABEL.pass.color }, count: h.resolved.length },
  ]), { gapAfter: 8 });
  for (const note of h.notes) ctx.paragraph(note, { size: TYPE.small, color: COLOR.muted });

  const lists: [string, string, readonly HistoryFinding[]][] = [
    ['Overdue', 'Open past the deadline for their severity, most overdue first.', h.remediation.overdue],
    ['New findings', 'Open now and never open before.', h.new],
    ['Regressed', 'Open again after a scan had shown them fixed.', h.regressed],
    ['Persisting', 'Open in both periods.', h.persisting],
    ['Unverified', 'Open in the previous period; this period\'s scans could not test them, so they are neither fixed nor open.', h.unverified],
    ['Resolved', 'Open in the previous period and seen fixed in this one.', h.resolved],
  ];
  for (const [title, what, list] of lists) {
    if (list.length === 0) continue;
    const t = findingsTable(ctx, list, title === 'Resolved');
    ctx.heading(2, `${title} (${num(list.length)})`, { keepWith: t.startHeight + 16, ...(root !== undefined ? { outline: root } : {}) });
    ctx.paragraph(what, { size: TYPE.small, color: COLOR.muted, gapAfter: 4 });
    t.draw();
  }
  drawSuperseded(ctx, h, root);

  drawExceptionChanges(ctx, h, root);

  if (h.endpointsAdded.length > 0 || h.endpointsRemoved.length > 0) {
    const rows: Cell[][] = [
      ...h.endpointsAdded.map((e): Cell[] => [{ text: 'added', font: 'bold', color: FINDING_STATUS_LABEL.pass.color }, endpointCell(ctx, e.key, e.label), `first seen ${date(e.firstSeen)}`]),
      ...h.endpointsRemoved.map((e): Cell[] => [{ text: 'removed', font: 'bold', color: COLOR.muted }, endpointCell(ctx, e.key, e.label),
        `last seen ${date(e.lastSeen)}; ${num(e.openFindings)} finding${e.openFindings === 1 ? '' : 's'} open then`]),
    ];
    const t = prepareTable(ctx, [{ header: 'Change', weight: 12 }, { header: 'Endpoint', weight: 50 }, { header: 'When', weight: 38 }], rows);
    ctx.heading(2, 'Endpoints added and removed', { keepWith: t.startHeight });
    t.draw();
  }

  const ttr = h.remediation.timeToRemediate.filter((r) => r.resolved > 0);
  const deadlines = [...SEVERITIES].reverse().map((s) => {
    const d = h.remediation.deadlines[s];
    return `${SEVERITY_LABEL[s].text} ${d === null ? 'none' : `${num(d)} days`}`;
  }).join(' · ');
  const ttrTable = prepareTable(ctx, [
    { header: 'Severity', weight: 25 }, { header: 'Resolved', weight: 25, align: 'right' },
    { header: 'Median days', weight: 25, align: 'right' }, { header: 'Longest days', weight: 25, align: 'right' },
  ], ttr.map((r): Cell[] => [
    severityRun(r.severity), num(r.resolved),
    r.medianDays === null ? '—' : r.medianDays.toFixed(1), r.worstDays === null ? '—' : num(r.worstDays),
  ]));
  ctx.heading(2, 'Time to remediate', { keepWith: 30 + ttrTable.startHeight });
  ctx.paragraph(`Deadlines by severity: ${deadlines}.`, { size: TYPE.small, color: COLOR.muted });
  if (ttr.length === 0) ctx.paragraph('No finding was seen fixed during this period.');
  else ttrTable.draw();

  const certs = h.certificateForecast.certificates;
  const certTable = prepareTable(ctx, [
    { header: 'Expires', weight: 14 }, { header: 'Days left', weight: 10, align: 'right' }, { header: 'Subject CN and issuer', weight: 40 }, { header: 'Endpoints', weight: 36 },
  ], certs.map((c): Cell[] => [
    date(c.notAfter),
    { text: num(c.daysLeft), font: 'bold', color: c.daysLeft < 30 ? FINDING_STATUS_LABEL.fail.color : COLOR.ink },
    { runs: [{ text: c.commonName ?? '—' }, muted(c.issuer ?? 'issuer not recorded')] },
    { runs: c.endpointKeys.map((k) => endpointLink(ctx, k, TYPE.small)) },
  ]));
  ctx.heading(2, `Certificates expiring in ${h.certificateForecast.period.label}`, { keepWith: certTable.startHeight });
  if (certs.length === 0) ctx.paragraph('No certificate seen this period expires during the next one.');
  else certTable.draw();

  if (h.trend.length > 0) {
    const sev = [...SEVERITIES].reverse();
    const trend = prepareTable(ctx, [
      { header: 'Period', weight: 22 }, { header: 'Endpoints', weight: 12, align: 'right' },
      ...sev.map((s) => ({ header: SEVERITY_LABEL[s].text, weight: 10, align: 'right' as const })),
      { header: 'Controls failing', weight: 16, align: 'right' },
    ], h.trend.map((p): Cell[] => p.hasData
      ? [p.period.label, num(p.endpoints), ...sev.map((s) => num(p.openBySeverity[s])),
        num(p.frameworks.reduce((n, f) => n + f.counts.fail, 0))]
      : [p.period.label, { runs: [muted('no stored run')], span: 7 }]));
    ctx.heading(2, 'Trend: open findings by severity', { keepWith: 90 });
    // Bars in absolute length so periods compare; the table below carries the exact numbers.
    drawStackedBars(ctx, 'Open findings per period', h.trend.map((p) => ({
      label: p.hasData ? p.period.label : `${p.period.label} (no stored run)`,
      segments: sev.map((sv) => ({ label: SEVERITY_LABEL[sv].text, count: p.hasData ? p.openBySeverity[sv] : 0, color: SEVERITY_LABEL[sv].color })),
    })), 'absolute');
    ctx.y += 4;
    trend.draw();
    drawControlTrend(ctx, h.trend);
  }
}

/**
 * Control status per framework over the trend's periods: one 100 %-stacked bar per period, per
 * framework. Periods are judged on their endpoint findings only (report properties have no period).
 */
function drawControlTrend(ctx: PdfContext, trend: History['trend']): void {
  const keys = [...new Map(trend.flatMap((p) => p.frameworks.map((f) => [`${f.id}@${f.version}`, f] as const))).values()];
  if (keys.length === 0) return;
  ctx.heading(2, 'Trend: control status per framework', { keepWith: 110 });
  ctx.paragraph('Each period\'s controls are judged from that period\'s endpoint findings with this report\'s mappings, so periods compare ' +
    'like with like. Controls judged on the report itself (dated, hashed evidence) have no period of their own and are not assessed here.',
  { size: TYPE.small, color: COLOR.muted });
  const statuses = CONTROL_STATUS_ORDER;
  for (const fw of keys) {
    const known = ctx.model.frameworks.find((f) => f.id === fw.id && f.version === fw.version);
    drawStackedBars(ctx, frameworkShortName({ id: fw.id, version: fw.version, title: known?.title ?? fw.id }), trend.map((p) => {
      const counts = p.hasData ? p.frameworks.find((f) => f.id === fw.id && f.version === fw.version)?.counts : undefined;
      return {
        label: counts ? p.period.label : `${p.period.label} (no stored run)`,
        segments: statuses.map((st) => ({ label: CONTROL_STATUS_LABEL[st].text, count: counts?.[st] ?? 0, color: CONTROL_STATUS_LABEL[st].color })),
      };
    }));
  }
}

function endpointLink(ctx: PdfContext, key: string, size?: number) {
  const ep = ctx.endpointsByKey.get(key);
  return ep !== undefined ? endpointRun(ep, size) : muted(key, size ?? TYPE.table);
}

function endpointCell(ctx: PdfContext, key: string, label: string): Cell {
  const ep = ctx.endpointsByKey.get(key);
  return ep !== undefined ? endpointRun(ep) : label;
}

/**
 * Open before, now reported worse by another check (an expiring certificate that has expired):
 * each row names the finding that counts it now, so a reader sees one problem, not two.
 */
function drawSuperseded(ctx: PdfContext, h: History, root: ReturnType<PdfContext['sectionHeading']>): void {
  const list = h.superseded;
  if (list.length === 0) return;
  const t = prepareTable(ctx, [
    { header: 'Endpoint', weight: 26 },
    { header: 'Finding', weight: 25 },
    { header: 'First seen', weight: 12 },
    { header: 'Now reported as', weight: 37 },
  ], list.map((f): Cell[] => [
    endpointCell(ctx, f.endpointKey, f.endpointLabel),
    { runs: [bold(f.title), { text: f.checkId, font: 'mono', size: 6.5, color: COLOR.faint }] },
    date(f.firstSeen),
    { runs: [{ text: `superseded by ${f.supersededBy.title} (${f.supersededBy.change})` },
      { text: f.supersededBy.checkId, font: 'mono', size: 6.5, color: COLOR.faint }] },
  ]), { size: 7.6 });
  ctx.heading(2, `Superseded (${num(list.length)})`, { keepWith: t.startHeight + 16, ...(root !== undefined ? { outline: root } : {}) });
  ctx.paragraph(SUPERSEDED_WHAT, { size: TYPE.small, color: COLOR.muted, gapAfter: 4 });
  t.draw();
}

function findingsTable(ctx: PdfContext, list: readonly HistoryFinding[], resolved: boolean) {
  return prepareTable(ctx, [
    { header: 'Endpoint', weight: 26 },
    { header: 'Finding', weight: 25 },
    { header: 'Severity / status', weight: 12 },
    { header: 'First seen', weight: 12 },
    { header: resolved ? 'Fixed' : 'Age', weight: resolved ? 12 : 8, align: resolved ? 'left' : 'right' },
    { header: 'Due', weight: resolved ? 13 : 17 },
  ], list.map((f): Cell[] => [
    endpointCell(ctx, f.endpointKey, f.endpointLabel),
    { runs: [bold(f.title), { text: f.checkId, font: 'mono', size: 6.5, color: COLOR.faint }] },
    { runs: [severityRun(f.severity), findingStatusRun(f.status)] },
    date(f.firstSeen),
    resolved ? (f.fixedAt === null ? '—' : date(f.fixedAt)) : `${num(f.ageDays)} d`,
    f.dueDate === null ? { text: 'no deadline', color: COLOR.faint }
      : f.daysOverdue !== null && f.daysOverdue > 0
        // A resolved finding is not overdue: it was fixed late, said without the failing colour.
        ? resolved
          ? { runs: [{ text: f.dueDate }, { text: `fixed ${num(f.daysOverdue)} d late`, size: TYPE.small, color: COLOR.faint }] }
          : { runs: [{ text: f.dueDate }, { text: `${num(f.daysOverdue)} d overdue`, font: 'bold', size: TYPE.small, color: FINDING_STATUS_LABEL.fail.color }] }
        : f.dueDate,
  ]), { size: 7.6 });
}
