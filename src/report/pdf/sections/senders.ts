/**
 * What sending servers saw (only when the model carries TLS-RPT reports): per policy domain the
 * sessions senders reported, the failure rate, the failure types and where they happened, a
 * chart of the daily failure rate against the configured threshold, and the trend over earlier
 * periods from the evidence store.
 */
import type { ReportModel } from '../../../model/report-model.js';
import { rateChart, rateChartText, RESULT_TYPE_TEXT, type RateChart } from '../../sender-chart.js';
import { PdfContext } from '../context.js';
import { date, num } from '../format.js';
import { COLOR, FINDING_STATUS_LABEL, TYPE } from '../layout.js';
import { muted } from '../parts.js';
import { prepareTable, type Cell } from '../table.js';

export const SENDERS_DEST = 'sec-senders';

type Senders = NonNullable<ReportModel['senderReports']>;
type Domain = Senders['domains'][number];

const pct = (rate: number | null): string => (rate === null ? '—' : `${rate.toFixed(2)}%`);

export function drawSenders(ctx: PdfContext, s: Senders): void {
  const root = ctx.heading(1, 'What sending servers saw', { dest: SENDERS_DEST, outline: 'root', contents: true });
  const range = s.start ? `${date(s.start)} to ${date(s.end ?? s.start)}` : 'no day';
  ctx.paragraph(`${num(s.reports)} TLS-RPT report${s.reports === 1 ? '' : 's'} (RFC 8460) from the servers that delivered mail to these domains, covering ${range}` +
    `${s.outsidePeriod > 0 ? `; ${num(s.outsidePeriod)} more fell outside the report period and are not counted` : ''}. ` +
    'Each report counts the sessions a sender opened to the domain and which of them failed to set up the TLS the domain\'s policy asks for, and why. ' +
    `Senders count successful sessions per domain and name the receiving MX only for failures. A day above ${s.failureRateThreshold}% failed sessions at an MX is a warning (tls-rpt-failure-rate).`,
  { size: TYPE.small, color: COLOR.muted });
  if (s.domains.length === 0) {
    ctx.paragraph('None of the reports read names a policy domain.');
    return;
  }
  for (const d of s.domains) drawDomain(ctx, s, d, root);
}

function drawDomain(ctx: PdfContext, s: Senders, d: Domain, root: ReturnType<PdfContext['heading']>): void {
  ctx.heading(2, d.domain, { keepWith: 180, ...(root !== undefined ? { outline: root } : {}) });
  const above = d.daysAboveThreshold;
  prepareTable(ctx, [{ header: '', weight: 24, font: 'bold', color: COLOR.muted, rowHeader: true }, { header: '', weight: 76 }], [
    ['Sessions', `${num(d.successful + d.failed)}: ${num(d.successful)} successful, ${num(d.failed)} failed`],
    ['Failure rate', `${pct(d.failureRate)} over the period; ${num(above)} of ${num(d.days.length)} day${d.days.length === 1 ? '' : 's'} above ${s.failureRateThreshold}%`],
    ['Reports', `${num(d.reports)} from ${d.organisations.join(', ')}`],
    ['Policy', d.policyTypes.join(', ')],
  ], { header: false, zebra: false }).draw();

  const chart = rateChart(d.days.map((x) => ({ label: x.date, successful: x.successful, failed: x.failed })), s.failureRateThreshold, ctx.width, 120);
  drawRateChart(ctx, `${d.domain}: failed sessions per day`, chart);

  if (d.failuresByType.length > 0) {
    const t = prepareTable(ctx, [
      { header: 'Failure type (RFC 8460)', weight: 30 }, { header: 'Sessions', weight: 12, align: 'right' }, { header: 'Share', weight: 10, align: 'right' },
      { header: 'What it means', weight: 48 },
    ], d.failuresByType.slice(0, 8).map((f): Cell[] => [
      { text: f.resultType, font: 'mono' }, num(f.sessions), d.failed > 0 ? `${((f.sessions / d.failed) * 100).toFixed(1)}%` : '—',
      RESULT_TYPE_TEXT[f.resultType] ?? 'as the sender reported it',
    ]));
    ctx.heading(3, 'Top failure types', { keepWith: t.startHeight });
    t.draw();
  }
  if (d.mx.length > 0 || d.unattributedFailures > 0) {
    const rows: Cell[][] = d.mx.map((m): Cell[] => [
      { text: m.host, font: 'mono' }, num(m.failed),
      m.failuresByType.length > 0 ? m.failuresByType.slice(0, 3).map((f) => `${f.resultType} (${num(f.sessions)})`).join(', ') : '—',
      m.scanned ? 'yes' : { runs: [muted('no: not scanned', TYPE.table)] },
    ]);
    if (d.unattributedFailures > 0) rows.push([{ runs: [muted('no MX named', TYPE.table)] }, num(d.unattributedFailures), '—', '—']);
    const t = prepareTable(ctx, [
      { header: 'Receiving MX', weight: 28 }, { header: 'Failed', weight: 9, align: 'right' }, { header: 'Failure types', weight: 49 }, { header: 'Judged', weight: 14 },
    ], rows);
    ctx.heading(3, 'Where the failures happened', { keepWith: t.startHeight });
    t.draw();
  }
  const orgs = new Map<string, { reports: number; first: string; last: string; successful: number; failed: number }>();
  for (const r of d.ranges) {
    const o = orgs.get(r.organisation) ?? { reports: 0, first: r.start, last: r.end, successful: 0, failed: 0 };
    o.reports += r.reports;
    o.first = r.start < o.first ? r.start : o.first;
    o.last = r.end > o.last ? r.end : o.last;
    o.successful += r.successful;
    o.failed += r.failed;
    orgs.set(r.organisation, o);
  }
  const byOrg = prepareTable(ctx, [
    { header: 'Reporting organisation', weight: 30 }, { header: 'Reports', weight: 10, align: 'right' }, { header: 'Dates', weight: 26 },
    { header: 'Successful', weight: 12, align: 'right' }, { header: 'Failed', weight: 10, align: 'right' }, { header: 'Rate', weight: 12, align: 'right' },
  ], [...orgs].map(([name, o]): Cell[] => [name, num(o.reports), `${date(o.first)} to ${date(o.last)}`, num(o.successful), num(o.failed),
    pct(o.successful + o.failed === 0 ? null : Math.round((o.failed / (o.successful + o.failed)) * 10000) / 100)]));
  ctx.heading(3, 'By reporting organisation', { keepWith: byOrg.startHeight });
  byOrg.draw();

  if (d.trend.length > 1) {
    const trendChart = rateChart(d.trend.map((p) => ({ label: p.label, successful: p.successful, failed: p.failed })), s.failureRateThreshold, ctx.width, 110, 40);
    ctx.heading(3, 'Trend across periods', { keepWith: 150 });
    ctx.paragraph('Earlier periods\' totals as the evidence store kept them with their runs.', { size: TYPE.small, color: COLOR.muted });
    drawRateChart(ctx, `${d.domain}: failed sessions per period`, trendChart);
    prepareTable(ctx, [
      { header: 'Period', weight: 28 }, { header: 'Sessions', weight: 18, align: 'right' }, { header: 'Failed', weight: 18, align: 'right' },
      { header: 'Rate', weight: 18, align: 'right' }, { header: '', weight: 18 },
    ], d.trend.map((p): Cell[] => [p.label, num(p.successful + p.failed), num(p.failed), pct(p.failureRate), p.current ? { runs: [muted('this report', TYPE.table)] } : ''])).draw();
  }
}

/** Columns of the failure rate with the threshold as a dashed line; every column's numbers are in the alternate text. */
function drawRateChart(ctx: PdfContext, title: string, chart: RateChart): void {
  const titleH = 14;
  ctx.ensure(titleH + chart.height + 8);
  const top = ctx.y + 4;
  const x0 = ctx.left;
  ctx.figure(rateChartText(title, chart), () => {
    ctx.font('bold', TYPE.body, COLOR.ink);
    ctx.text(ctx.fitLine(title, 'bold', TYPE.body, ctx.width), x0, top, { width: ctx.width });
    const y0 = top + titleH;
    ctx.line(x0 + chart.left, y0 + chart.baseY, x0 + chart.right, y0 + chart.baseY, COLOR.ruleStrong);
    ctx.line(x0 + chart.left, y0 + chart.topY, x0 + chart.left, y0 + chart.baseY, COLOR.ruleStrong);
    ctx.font('regular', TYPE.small, COLOR.muted);
    ctx.text(`${chart.max}%`, x0, y0 + chart.topY - 3, { width: chart.left - 4, align: 'right' });
    ctx.text('0%', x0, y0 + chart.baseY - 3, { width: chart.left - 4, align: 'right' });
    for (const c of chart.columns) {
      if (c.height > 0) ctx.fillRect(x0 + c.x, y0 + c.y, c.width, c.height, c.above ? FINDING_STATUS_LABEL.warn.color : COLOR.accent);
      else if (c.rate === null) ctx.fillRect(x0 + c.x, y0 + chart.baseY - 0.6, c.width, 0.6, COLOR.faint);
    }
    const { doc } = ctx;
    doc.save();
    doc.moveTo(x0 + chart.left, y0 + chart.thresholdY).lineTo(x0 + chart.right, y0 + chart.thresholdY)
      .dash(3, { space: 2 }).lineWidth(0.8).strokeColor(FINDING_STATUS_LABEL.fail.color).stroke().undash();
    doc.restore();
    ctx.resetGraphicsState();
    ctx.font('regular', TYPE.small, FINDING_STATUS_LABEL.fail.color);
    ctx.text(`threshold ${chart.threshold}%`, x0 + chart.right - 70, y0 + chart.thresholdY - 9, { width: 70, align: 'right' });
    ctx.font('regular', TYPE.small, COLOR.muted);
    for (const c of chart.labelled) ctx.text(c.label, x0 + c.centre - 30, y0 + chart.labelY - 6, { width: 60, align: 'center' });
  });
  ctx.y = top + titleH + chart.height + 4;
  ctx.paragraph(chart.aboveCount > 0
    ? `${num(chart.aboveCount)} of ${num(chart.columns.length)} columns above the threshold (in amber).`
    : `No column above the threshold of ${chart.threshold}%.`, { size: TYPE.small, color: COLOR.muted });
}
