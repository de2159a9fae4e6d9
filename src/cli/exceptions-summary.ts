/**
 * What a report run says about its exception register on the terminal: one summary line, and a
 * warning for each entry that needs someone's attention (expired, stale, not yet approved, expiring within 30 days),
 * so none is passed over in silence even with --quiet.
 */
import type { ReportExceptions } from '../model/exceptions.js';

export function exceptionsSummaryLine(register: ReportExceptions): string {
  const by = (s: string) => register.entries.filter((e) => e.state === s).length;
  const n = register.entries.length;
  return `Exceptions ${register.source?.file ?? ''}: ${n} entr${n === 1 ? 'y' : 'ies'} (${by('active')} active, ${by('expiring-soon')} expiring within 30 days, ` +
    `${by('expired')} expired, ${by('stale')} stale${by('not-yet-approved') === 0 ? '' : `, ${by('not-yet-approved')} not yet approved`}); ${register.counts.accepted} finding${register.counts.accepted === 1 ? '' : 's'} accepted, ${register.counts.open} open.`;
}

export function exceptionWarnings(register: ReportExceptions): string[] {
  const file = register.source?.file;
  if (file === undefined) return [];
  return register.entries.flatMap((e) => {
    const where = `${file}:${e.line}: exception ${e.id}`;
    if (e.state === 'expired') {
      return [`${where} expired on ${e.expires}${e.matchedFindingIds.length > 0 ? `; ${e.matchedFindingIds.length} finding${e.matchedFindingIds.length === 1 ? ' is' : 's are'} reported open again` : ''}: renew it with a new approval, or remove it.`];
    }
    if (e.state === 'not-yet-approved') {
      return [`${where} is approved on ${e.approvedOn}, after the report date, so it accepts nothing in this report and the findings it matches are open; correct approvedOn if it is wrong.`];
    }
    if (e.state === 'stale') return [`${where} matches no failing or warning finding (stale): remove it, or correct its match.`];
    if (e.state === 'expiring-soon') return [`${where} expires on ${e.expires}, within 30 days of the report date.`];
    return [];
  });
}
