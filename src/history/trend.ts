/**
 * The trend: for each of the last 4–8 periods (of the same kind as the report's), the period's
 * state summarised as open findings by severity and the control status of each framework.
 *
 * Control status is what the period's report said: the counts its latest stored run recorded
 * (`reported`, from the store's run summaries; the current period's from this report), so a trend
 * row agrees with the report an auditor holds for that period, report properties and accepted
 * risks included. A change of mappings between periods therefore shows as a change, as it did in
 * the reports. A period whose state mixes several runs' observations (no one report printed it),
 * or whose runs recorded no counts for a framework (runs without a period, older summaries), is
 * re-evaluated from the state's findings with today's mappings
 * (src/map/evaluate.ts); report properties belong to a report, not a period, and are not part of
 * that re-evaluation. */
import { evaluateControl } from '../map/evaluate.js';
import type { Endpoint } from '../model/endpoint.js';
import type { Finding, FindingStatus, Severity } from '../model/finding.js';
import type { Control } from '../model/framework.js';
import { shiftPeriod, type PeriodOptions, type PeriodSpec } from '../model/period.js';
import { emptyControlCounts, type ControlStatus } from '../model/report-model.js';
import type { PeriodComparison } from '../model/history.js';
import { currentCheckId } from './renamed-checks.js';
import { isOpen, periodState, type HistoryData } from './timeline.js';

export interface TrendFramework {
  readonly id: string;
  readonly version: string;
  readonly controls: readonly Control[];
}

/** One framework's control-status counts as a stored report printed them. */
export interface ReportedFramework {
  readonly id: string;
  readonly version: string;
  readonly counts: Readonly<Partial<Record<string, number>>>;
}

/** The latest run of a period and the counts its report printed. */
export interface ReportedRun {
  readonly seq: number;
  readonly frameworks: readonly ReportedFramework[];
}

interface TrendOptions {
  /** 4–8; values outside are clamped. */
  readonly periods: number;
  readonly periodOptions?: PeriodOptions | undefined;
  readonly frameworks: readonly TrendFramework[];
  /** Period start (yyyy-MM-dd) → its latest run and the counts its report printed (src/store/reported.ts). */
  readonly reported?: ReadonlyMap<string, ReportedRun> | undefined;
}

/** The counts a report printed for `fw`, as a full record; undefined when it printed none. */
function reportedCounts(reported: readonly ReportedFramework[] | undefined, fw: TrendFramework): Record<ControlStatus, number> | undefined {
  const said = reported?.find((r) => r.id === fw.id && r.version === fw.version);
  if (said === undefined) return undefined;
  const counts = emptyControlCounts();
  for (const status of Object.keys(counts) as ControlStatus[]) counts[status] = said.counts[status] ?? 0;
  return counts;
}

const MIN_TREND_PERIODS = 4;
const MAX_TREND_PERIODS = 8;

/** check id → the findings of one representative endpoint per kind of endpoint seen. */
type Representatives = Map<string, Finding[]>;

/**
 * A control's status depends on the (status, service) pairs its linked checks produced and, for a
 * pass, on whether every endpoint passed a deciding check (evaluate.ts). Two endpoints with the same
 * service and the same status for every check are therefore interchangeable: each period's
 * thousands of endpoints are reduced to one representative per such signature before
 * evaluateControl runs, which keeps the verdict exact.
 */
function represent(into: Representatives, seen: Set<string>, endpoint: Endpoint, key: string,
  results: readonly { checkId: string; status: FindingStatus; severity: Severity }[]): void {
  const signature = `${endpoint.service}|${results.map((r) => `${r.checkId}:${r.status}`).sort().join(' ')}`;
  if (seen.has(signature)) return;
  seen.add(signature);
  results.forEach((r, i) => {
    const list = into.get(r.checkId) ?? [];
    list.push({ id: `${r.checkId}@${key}#${i}`, checkId: r.checkId, endpoint, endpointKey: key, status: r.status, severity: r.severity, messageId: '', message: '', data: {}, evidence: [] });
    into.set(r.checkId, list);
  });
}

export function buildTrend(data: HistoryData, current: PeriodSpec, opts: TrendOptions): PeriodComparison['trend'] {
  const n = Math.min(MAX_TREND_PERIODS, Math.max(MIN_TREND_PERIODS, Math.round(opts.periods)));
  const out: PeriodComparison['trend'] = [];
  for (let i = n - 1; i >= 0; i--) {
    const p = shiftPeriod(current, -i, opts.periodOptions);
    const state = periodState(data, p);
    const openBySeverity: Record<Severity, number> = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
    // Endpoints with the same frameworks in scope share one set of representatives.
    const byScope = new Map<string, { frameworks: ReadonlySet<string>; reps: Representatives; seen: Set<string> }>();
    for (const s of state.values()) {
      const scopeKey = s.point.frameworks.join(' ');
      let group = byScope.get(scopeKey);
      if (!group) byScope.set(scopeKey, (group = { frameworks: new Set(s.point.frameworks), reps: new Map(), seen: new Set() }));
      const { endpoint, key } = s.timeline;
      const results: { checkId: string; status: FindingStatus; severity: Severity }[] = [];
      for (const f of s.point.findings.values()) {
        if (isOpen(f)) openBySeverity[f.severity]++;
        results.push({ checkId: f.checkId, status: f.status, severity: f.severity });
      }
      for (const localId of s.point.passed) results.push({ checkId: currentCheckId(localId.replace(/#\d+$/, '')), status: 'pass', severity: 'info' });
      represent(group.reps, group.seen, endpoint, key, results);
    }
    // A report speaks for the period only when the period's state is its own observations: when
    // earlier runs of the period saw endpoints the latest did not, no one report printed these counts.
    const latest = opts.reported?.get(p.start);
    const reported = latest !== undefined && state.size > 0 && [...state.values()].every((s) => s.point.runSeq === latest.seq)
      ? latest.frameworks : undefined;
    const frameworks = opts.frameworks.map((fw) => {
      const said = reportedCounts(reported, fw);
      if (said !== undefined) return { id: fw.id, version: fw.version, counts: said };
      const byCheck = new Map<string, Finding[]>();
      for (const group of byScope.values()) {
        if (!group.frameworks.has(fw.id)) continue;
        for (const [checkId, reps] of group.reps) {
          const list = byCheck.get(checkId) ?? [];
          list.push(...reps);
          byCheck.set(checkId, list);
        }
      }
      const counts: Record<ControlStatus, number> = emptyControlCounts();
      for (const control of fw.controls) counts[evaluateControl(control, byCheck).status]++;
      return { id: fw.id, version: fw.version, counts };
    });
    out.push({ period: { id: p.id, label: p.label, start: p.start, end: p.end }, hasData: state.size > 0, endpoints: state.size, openBySeverity, frameworks });
  }
  while (out.length > MIN_TREND_PERIODS && !out[0]!.hasData) out.shift();
  return out;
}
