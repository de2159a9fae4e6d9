/**
 * Geometry of the "What sending servers saw" charts, shared by the HTML (SVG) and PDF renderers:
 * one column per day (or per period) whose height is the share of sessions that failed, on a
 * scale that always shows the threshold line, so a reader sees at once which days crossed it.
 * Pure numbers, rounded to 2 decimals so output is stable.
 */
import { failureRate } from '../model/sender-reports.js';
import type { TlsRptResultType } from '../model/tls-rpt.js';

interface RatePoint {
  readonly label: string;
  readonly successful: number;
  readonly failed: number;
}

interface RateColumn {
  readonly label: string;
  readonly sessions: number;
  readonly failed: number;
  /** Percent; null: no session that day. */
  readonly rate: number | null;
  readonly above: boolean;
  readonly x: number;
  readonly width: number;
  readonly centre: number;
  readonly y: number;
  readonly height: number;
}

export interface RateChart {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly topY: number;
  readonly baseY: number;
  /** Percent at the top of the scale. */
  readonly max: number;
  readonly threshold: number;
  readonly thresholdY: number;
  readonly labelY: number;
  readonly columns: readonly RateColumn[];
  /** Columns whose label is drawn under the axis (first, last, and evenly between: labels never overlap). */
  readonly labelled: readonly RateColumn[];
  readonly aboveCount: number;
}

const r2 = (n: number) => Math.round(n * 100) / 100;

/** The smallest of 1, 2, 5, 10, 20, 25, 50, 100 at or above `v`. */
function niceCeil(v: number): number {
  return [1, 2, 5, 10, 20, 25, 50, 100].find((s) => s >= v) ?? 100;
}

/** Columns for `points` in a `width` × `height` box (the caller's units: SVG px or PDF pt). */
export function rateChart(points: readonly RatePoint[], threshold: number, width: number, height: number, minLabelGap = 48): RateChart {
  const left = 34;
  // Room on the right for half of the last label, centred under its column.
  const right = width - 28;
  const topY = 8;
  const baseY = height - 18;
  const rates = points.map((p) => failureRate(p.successful, p.failed));
  const max = niceCeil(Math.max(threshold * 1.5, ...rates.map((r) => r ?? 0)));
  const slot = (right - left) / Math.max(1, points.length);
  const scale = (baseY - topY) / max;
  const columns = points.map((p, i): RateColumn => {
    const rate = rates[i] ?? null;
    const h = rate === null ? 0 : Math.max(rate > 0 ? 0.8 : 0, rate * scale);
    const x = left + i * slot + slot * 0.15;
    const w = slot * 0.7;
    return { label: p.label, sessions: p.successful + p.failed, failed: p.failed, rate, above: (rate ?? 0) > threshold,
      x: r2(x), width: r2(w), centre: r2(x + w / 2), y: r2(baseY - h), height: r2(h) };
  });
  const every = Math.max(1, Math.ceil(minLabelGap / slot));
  const labelled: RateColumn[] = columns.filter((_, i) => i % every === 0);
  const last = columns.at(-1);
  if (last !== undefined && labelled.at(-1) !== last) {
    if (labelled.length > 1 && last.centre - labelled.at(-1)!.centre < minLabelGap) labelled.pop();
    labelled.push(last);
  }
  return {
    width, height, left, right: r2(right), topY, baseY, max, threshold, thresholdY: r2(baseY - Math.min(threshold, max) * scale),
    labelY: height - 6, columns, labelled, aboveCount: columns.filter((c) => c.above).length,
  };
}

/** "2026-09-14: 40 of 4,928 sessions failed (0.81%)" for every column, for alternate text. */
export function rateChartText(title: string, chart: RateChart): string {
  const cols = chart.columns.map((c) => `${c.label}: ${c.rate === null ? 'no session' : `${c.failed} of ${c.sessions} failed (${c.rate}%)`}`);
  return `${title}, threshold ${chart.threshold}%: ${cols.join('; ')}.`;
}

/** What each RFC 8460 result type means, in a few words (other types are shown as written); every registered type has its words. */
export const RESULT_TYPE_TEXT: Readonly<Record<string, string>> = {
  'starttls-not-supported': 'the MX did not offer STARTTLS',
  'certificate-host-mismatch': 'the certificate does not name the MX',
  'certificate-expired': 'the certificate had expired',
  'certificate-not-trusted': 'the certificate does not chain to a root the sender trusts',
  'validation-failure': 'the certificate failed validation for another reason',
  'tlsa-invalid': 'the TLSA record did not validate',
  'dnssec-invalid': 'DNSSEC validation failed',
  'dane-required': 'DANE was required but could not be used',
  'sts-policy-fetch-error': 'the MTA-STS policy could not be fetched',
  'sts-policy-invalid': 'the MTA-STS policy is invalid',
  'sts-webpki-invalid': 'the MTA-STS policy host\'s certificate is invalid',
} satisfies Record<TlsRptResultType, string>;
