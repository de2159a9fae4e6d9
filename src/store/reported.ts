/**
 * What each period's report said of its controls: the control-status counts per framework of the
 * latest stored run recorded for that period (its summary, as the report printed it, report
 * properties and accepted risks included). The trend shows these, so a trend row agrees with the
 * report an auditor holds for that period, and the current period's row with this report's own
 * summary. Runs recorded without a period speak for none.
 */
import { z } from 'zod';
import type { ReportedRun } from '../history/trend.js';
import type { EvidenceStore } from './store.js';

const SummaryFrameworks = z.looseObject({
  frameworks: z.array(z.looseObject({ id: z.string(), version: z.string(), counts: z.record(z.string(), z.number()) })),
});

/** Period start (yyyy-MM-dd) → the latest run and its framework counts, for the runs not in `exclude`. */
export function reportedControlCounts(es: EvidenceStore, exclude: readonly number[] = []): Map<string, ReportedRun> {
  const latest = new Map<string, number>();
  for (const r of es.listRuns()) {
    if (r.period === null || exclude.includes(r.seq)) continue;
    if ((latest.get(r.period.start) ?? 0) < r.seq) latest.set(r.period.start, r.seq);
  }
  const out = new Map<string, ReportedRun>();
  for (const [start, seq] of latest) {
    const parsed = SummaryFrameworks.safeParse(es.runDetail(seq).summary);
    if (parsed.success) out.set(start, { seq, frameworks: parsed.data.frameworks.map((f) => ({ id: f.id, version: f.version, counts: f.counts })) });
  }
  return out;
}
