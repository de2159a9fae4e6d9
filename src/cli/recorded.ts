/** The line a command prints after recording its run in the evidence store. */
import type { ReportHistory } from '../model/history.js';

/**
 * Unverified findings (open before, not testable now) and superseded ones (now reported worse by
 * another check) are neither fixed nor open: named only when there are some, so the counts still
 * add up to what the previous period had open.
 */
const ifAny = (n: number, word: string): string => (n > 0 ? `${n} ${word}, ` : '');

/** "Recorded as run 4 in …; Q2 2027 against Q1 2027: 5 new, …". */
export function recordedLine(seq: number, path: string, h: ReportHistory | null): string {
  const where = `Recorded as run ${seq} in ${path}`;
  if (!h) return `${where}.\n`;
  return `${where}; ${h.period.label} against ${h.previousPeriod.label}: ${h.new.length} new, ${h.resolved.length} resolved, ` +
    `${h.regressed.length} regressed, ${h.persisting.length} persisting, ${ifAny(h.unverified.length, 'unverified')}${ifAny(h.superseded.length, 'superseded')}${h.remediation.overdue.length} overdue (tlsproof diff ${h.period.id} for details).\n`;
}
