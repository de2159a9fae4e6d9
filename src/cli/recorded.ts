/** The line a command prints after recording its run in the evidence store. */
import type { ReportHistory } from '../model/history.js';

/**
 * Findings open before that this period's scans could not test are neither fixed nor open: named
 * only when there are some, so the counts still add up to what the previous period had open.
 */
const unverified = (h: ReportHistory): string => (h.unverified.length > 0 ? `${h.unverified.length} unverified, ` : '');
/** Findings now reported worse by another check: named only when there are some, for the same reason. */
const superseded = (h: ReportHistory): string => (h.superseded.length > 0 ? `${h.superseded.length} superseded, ` : '');

/** "Recorded as run 4 in …; Q2 2027 against Q1 2027: 5 new, …". */
export function recordedLine(seq: number, path: string, h: ReportHistory | null): string {
  const where = `Recorded as run ${seq} in ${path}`;
  if (!h) return `${where}.\n`;
  return `${where}; ${h.period.label} against ${h.previousPeriod.label}: ${h.new.length} new, ${h.resolved.length} resolved, ` +
    `${h.regressed.length} regressed, ${h.persisting.length} persisting, ${unverified(h)}${superseded(h)}${h.remediation.overdue.length} overdue (tlsproof diff ${h.period.id} for details).\n`;
}
