/**
 * Geometry and rows for the report's charts (severity bars, control-status stacks, the history
 * trend). Numbers are rounded to 2 decimals so the same model always gives the same SVG.
 */
import type { Severity } from '../../model/finding.js';
import { count, CONTROL_STATUS_ORDER, SEVERITY_ORDER, severityLabel, statusLabel } from './labels.js';

interface Bar { key: string; label: string; count: number; cls: string; x: number; width: number }

const pct = (n: number): number => Math.round(n * 100) / 100;

/**
 * Rows for a severity bar chart, worst first, scaled to the largest count (0–100). Accepts the
 * `endpointsByWorstSeverity` shape too, whose extra `none` bucket comes last.
 */
export function severityBars(counts: Readonly<Record<string, number>>): Bar[] {
  const keys: string[] = [...SEVERITY_ORDER];
  if (Object.hasOwn(counts, 'none')) keys.push('none');
  const values = keys.map((k) => counts[k] ?? 0);
  const max = Math.max(1, ...values);
  return keys.map((k, i) => ({
    key: k, label: k === 'none' ? 'None' : severityLabel(k), count: values[i] ?? 0,
    cls: `sev-${k}`, x: 0, width: pct(((values[i] ?? 0) / max) * 100),
  }));
}

/** Segments of a 100 %-stacked bar of control statuses (fail, warn, pass, evidence supplied, not assessed, not graded). */
export function statusSegments(counts: Readonly<Record<string, number>>): Bar[] {
  const total = CONTROL_STATUS_ORDER.reduce((s, k) => s + (counts[k] ?? 0), 0);
  let x = 0;
  return CONTROL_STATUS_ORDER.map((k) => {
    const n = counts[k] ?? 0;
    const width = total === 0 ? 0 : pct((n / total) * 100);
    const bar = { key: k, label: statusLabel(k), count: n, cls: `st-${k}`, x, width };
    x = pct(x + width);
    return bar;
  });
}

/** The same counts as words, for the chart's accessible name. */
export function statusSummary(counts: Readonly<Record<string, number>>): string {
  return CONTROL_STATUS_ORDER.map((k) => `${count(counts[k] ?? 0)} ${statusLabel(k).toLowerCase()}`).join(', ');
}
/** Failing controls over every framework of one trend period. */
export function failingControls(frameworks: readonly { counts: Readonly<Record<string, number>> }[]): number {
  if (!Array.isArray(frameworks)) throw new Error('failingControls expects a list of frameworks');
  return frameworks.reduce((n, f) => n + (f.counts['fail'] ?? 0), 0);
}

interface ControlTrendRow {
  id: string;
  version: string;
  periods: { label: string; hasData: boolean; counts: Readonly<Record<string, number>> }[];
}

/**
 * The trend pivoted per framework: for each framework the report evaluates, its control counts in
 * every period of the trend (one stacked bar per period). A framework missing from a period's
 * data counts as no data there.
 */
export function controlTrend(trend: readonly { period: { label: string }; hasData: boolean; frameworks: readonly { id: string; version: string; counts: Readonly<Record<string, number>> }[] }[]): ControlTrendRow[] {
  if (!Array.isArray(trend as unknown)) throw new Error('controlTrend expects the trend list');
  const rows = new Map<string, ControlTrendRow>();
  for (const p of trend) for (const f of p.frameworks) if (!rows.has(`${f.id}@${f.version}`)) rows.set(`${f.id}@${f.version}`, { id: f.id, version: f.version, periods: [] });
  for (const row of rows.values()) {
    row.periods = trend.map((p) => {
      const f = p.frameworks.find((x) => x.id === row.id && x.version === row.version);
      return { label: p.period.label, hasData: p.hasData && f !== undefined, counts: f?.counts ?? {} };
    });
  }
  return [...rows.values()];
}

interface TrendPeriodIn {
  period: { id: string; label: string };
  hasData: boolean;
  openBySeverity: Readonly<Record<Severity, number>>;
}

interface TrendChart {
  width: number;
  height: number;
  /** Baseline and top of the plot area (SVG y). */
  baseY: number;
  topY: number;
  left: number;
  right: number;
  max: number;
  labelY: number;
  bars: {
    label: string; hasData: boolean; total: number; x: number; width: number; centre: number; totalY: number;
    segments: { cls: string; label: string; count: number; y: number; height: number }[];
  }[];
  /** The severities drawn, worst first, for the legend. */
  legend: { cls: string; label: string }[];
}

/**
 * Geometry for the history trend: one stacked bar of open findings per period (worst severity at
 * the bottom), scaled to the largest total. Numbers are rounded to 2 decimals so output is stable.
 */
export function trendChart(trend: readonly TrendPeriodIn[]): TrendChart {
  if (!Array.isArray(trend)) throw new Error('trendChart expects the trend list');
  const slot = 64; const left = 36; const right = 8; const topY = 12; const baseY = 132;
  const totals = trend.map((p) => (p.hasData ? SEVERITY_ORDER.reduce((n, s) => n + (p.openBySeverity[s] ?? 0), 0) : 0));
  const max = Math.max(1, ...totals);
  const scale = (baseY - topY) / max;
  const bars = trend.map((p, i) => {
    const x = pct(left + i * slot + slot * 0.2);
    const width = pct(slot * 0.6);
    let y = baseY;
    const segments = p.hasData ? SEVERITY_ORDER.flatMap((s) => {
      const n = p.openBySeverity[s] ?? 0;
      if (n === 0) return [];
      const h = pct(n * scale);
      y = pct(y - h);
      return [{ cls: `sev-${s}`, label: severityLabel(s), count: n, y, height: h }];
    }) : [];
    const total = totals[i] ?? 0;
    return { label: p.period.label, hasData: p.hasData, total, x, width, centre: pct(x + width / 2), totalY: pct(y - 3), segments };
  });
  return {
    width: left + trend.length * slot + right, height: 152, baseY, topY, left, right: left + trend.length * slot, max,
    labelY: 146, bars, legend: SEVERITY_ORDER.map((s) => ({ cls: `sev-${s}`, label: severityLabel(s) })),
  };
}
