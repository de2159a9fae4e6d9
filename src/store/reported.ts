/**
 * What each period's latest report said, read back from the store for the trends: the latest run
 * recorded for each recent period with its stored summary (the TLS-RPT trend reads its sender
 * totals), and from those summaries the control-status counts per framework as the report printed
 * them, report properties and accepted risks included (the control trend shows these, so a trend
 * row agrees with the report an auditor holds for that period). Runs recorded without a period
 * speak for none.
 */
import { z } from 'zod';
import type { ReportedRun } from '../history/trend.js';
import type { StoredRunTotals } from '../model/sender-reports.js';
import type { EvidenceStore } from './store.js';

/**
 * Periods read back: a trend shows at most 8 periods ending with the report's own, so the last 9
 * periods up to it hold every earlier one either trend can show, whether or not the report's own
 * period already has a stored run.
 */
const PERIODS_READ = 9;

/**
 * The latest run of each of the last periods starting on or before `until` (yyyy-MM-dd), oldest
 * first, with its stored summary; the runs in `exclude` are left out. Only those summaries are read.
 */
export function latestRunPerPeriod(es: EvidenceStore, until: string, exclude: readonly number[] = []): StoredRunTotals[] {
  const latest = new Map<string, { seq: number; period: NonNullable<StoredRunTotals['period']> }>();
  for (const r of es.listRuns()) {
    if (r.period === null || r.period.start > until || exclude.includes(r.seq)) continue;
    const seen = latest.get(r.period.start);
    if (seen === undefined || r.seq > seen.seq) latest.set(r.period.start, { seq: r.seq, period: r.period });
  }
  return [...latest.values()].sort((a, b) => a.period.start.localeCompare(b.period.start)).slice(-PERIODS_READ)
    .map((r) => ({ seq: r.seq, period: r.period, summary: es.runSummary(r.seq) }));
}

const SummaryFrameworks = z.looseObject({
  frameworks: z.array(z.looseObject({ id: z.string(), version: z.string(), counts: z.record(z.string(), z.number()) })),
});

/** Period start (yyyy-MM-dd) → the run that speaks for it and the control counts its report printed. */
export function reportedControlCounts(runs: readonly StoredRunTotals[]): Map<string, ReportedRun> {
  const out = new Map<string, ReportedRun>();
  for (const r of runs) {
    const parsed = SummaryFrameworks.safeParse(r.summary);
    if (r.period !== null && parsed.success) {
      out.set(r.period.start, { seq: r.seq, frameworks: parsed.data.frameworks.map((f) => ({ id: f.id, version: f.version, counts: f.counts })) });
    }
  }
  return out;
}
