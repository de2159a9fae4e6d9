/**
 * Template helpers of the "What sending servers saw" partial (senders.hbs): chart geometry from
 * the shared rate chart, per-organisation totals, and wording of RFC 8460 result types.
 */
import { failureRate } from '../../model/sender-reports.js';
import { rateChart, RESULT_TYPE_TEXT, type RateChart } from '../sender-chart.js';

interface DayIn { date: string; successful: number; failed: number }
interface PeriodIn { label: string; successful: number; failed: number }
interface RangeIn { organisation: string; start: string; end: string; reports: number; successful: number; failed: number }

/** A chart with the ids and title its SVG is labelled by. */
type LabelledChart = RateChart & { readonly id: string; readonly title: string };

/** The daily failure-rate chart of the `index`th domain (SVG units). */
function senderDayChart(days: readonly DayIn[], threshold: number, index: number, domain: string): LabelledChart {
  if (!Array.isArray(days)) throw new Error('senderDayChart expects the days list');
  return { ...rateChart(days.map((d) => ({ label: d.date, successful: d.successful, failed: d.failed })), threshold, 720, 150),
    id: `senders-chart-${index}`, title: `${domain}: failed sessions per day` };
}

/** The failure rate per period (trend from the evidence store); null with fewer than two periods. */
function senderTrendChart(trend: readonly PeriodIn[], threshold: number, index: number, domain: string): LabelledChart | null {
  if (!Array.isArray(trend)) throw new Error('senderTrendChart expects the trend list');
  if (trend.length < 2) return null;
  return { ...rateChart(trend.map((p) => ({ label: p.label, successful: p.successful, failed: p.failed })), threshold, Math.max(260, 40 + trend.length * 80), 140, 40),
    id: `senders-trend-${index}`, title: `${domain}: failed sessions per period` };
}

/** "1.23%", or "—" without sessions. */
function percent(rate: number | null): string {
  return rate === null ? '—' : `${rate.toFixed(2)}%`;
}

/** A failure count as a share of all failures ("12.5%"). */
function shareOf(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '—';
}

function resultTypeText(type: string): string {
  return RESULT_TYPE_TEXT[type] ?? 'as the sender reported it';
}

/** The per-organisation totals of a domain's date ranges, first organisation by name. */
function senderOrganisations(ranges: readonly RangeIn[]): { organisation: string; reports: number; first: string; last: string; successful: number; failed: number; rate: number | null }[] {
  const orgs = new Map<string, { organisation: string; reports: number; first: string; last: string; successful: number; failed: number; rate: number | null }>();
  for (const r of ranges) {
    const o = orgs.get(r.organisation) ?? { organisation: r.organisation, reports: 0, first: r.start, last: r.end, successful: 0, failed: 0, rate: null };
    o.reports += r.reports;
    if (r.start < o.first) o.first = r.start;
    if (r.end > o.last) o.last = r.end;
    o.successful += r.successful;
    o.failed += r.failed;
    o.rate = failureRate(o.successful, o.failed);
    orgs.set(r.organisation, o);
  }
  return [...orgs.values()].sort((a, b) => a.organisation.localeCompare(b.organisation));
}

export const senderHelpers = { senderDayChart, senderTrendChart, percent, shareOf, resultTypeText, senderOrganisations } as const;
