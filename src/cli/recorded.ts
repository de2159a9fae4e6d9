/** The line a command prints after recording its run in the evidence store. */
import type { ReportHistory } from '../model/history.js';

/** "Recorded as run 4 in …; Q2 2027 against Q1 2027: 5 new, …". */
export function recordedLine(seq: number, path: string, h: ReportHistory | null): string {
  const where = `Recorded as run ${seq} in ${path}`;
  if (!h) return `${where}.\n`;
  return `${where}; ${h.period.label} against ${h.previousPeriod.label}: ${h.new.length} new, ${h.resolved.length} resolved, ` +
    `${h.regressed.length} regressed, ${h.persisting.length} persisting, ${h.remediation.overdue.length} overdue (tlsproof diff ${h.period.id} for details).\n`;
}
