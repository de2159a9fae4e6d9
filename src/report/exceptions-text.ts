/**
 * The wording of accepted risks, shared by the PDF and the HTML report so both say the same
 * thing: what an exception entry matches, what state it is in on the report date, and what an
 * accepted or lapsed finding is. An accepted finding is never called passed: it failed or warned,
 * its evidence stands, and the organisation accepted the risk for a time.
 */
import type { ReportModel } from '../model/report-model.js';
import { EXPIRING_SOON_DAYS, type ExceptionState } from '../model/exceptions.js';

type ExceptionsView = ReportModel['exceptions'];
export type RegisterEntry = ExceptionsView['entries'][number];
type ReportFinding = ReportModel['findings'][number];

export { EXPIRING_SOON_DAYS };

export const EXCEPTION_STATE_LABEL: Readonly<Record<ExceptionState, { text: string; color: string; tone: string }>> = {
  active: { text: 'ACTIVE', color: '#1c4b82', tone: 'active' },
  'expiring-soon': { text: `EXPIRES WITHIN ${EXPIRING_SOON_DAYS} DAYS`, color: '#a15c07', tone: 'expiring' },
  expired: { text: 'EXPIRED', color: '#b42318', tone: 'expired' },
  stale: { text: 'STALE: MATCHES NOTHING', color: '#5b6675', tone: 'stale' },
  'not-yet-approved': { text: 'NOT YET APPROVED', color: '#b42318', tone: 'expired' },
};

/** Why a not yet approved entry accepts nothing (the HTML partial accepted-risks.hbs says the same). */
export const NOT_YET_APPROVED_TEXT = 'Approved after the report date: on that date nobody had accepted these risks yet, so these '
  + 'exceptions accept nothing in this report and the findings they match count as open.';

const MATCH_LABELS: readonly [keyof RegisterEntry['match'], string, string][] = [
  ['checks', 'check', 'checks'],
  ['controls', 'control', 'controls'],
  ['hosts', 'host', 'hosts'],
  ['ips', 'IP', 'IPs'],
  ['ports', 'port', 'ports'],
  ['services', 'service', 'services'],
  ['domains', 'domain', 'domains'],
];

/** "checks proto-tls10, proto-tls11 · host relay*.example.com · port 25": every criterion the entry gives. */
function matchParts(match: RegisterEntry['match']): string[] {
  const parts: string[] = [];
  for (const [key, one, many] of MATCH_LABELS) {
    const values = match[key] as readonly (string | number)[] | undefined;
    if (values === undefined || values.length === 0) continue;
    parts.push(`${values.length === 1 ? one : many} ${values.map(String).join(', ')}`);
  }
  return parts;
}

export function matchText(match: RegisterEntry['match']): string {
  const parts = matchParts(match);
  return parts.length === 0 ? 'every finding' : parts.join(' · ');
}

/** "Jane Roe, CISO" */
export function approverText(e: Pick<RegisterEntry, 'approver'>): string {
  return `${e.approver.name}, ${e.approver.role}`;
}

/** The finding's status word with its acceptance: "FAIL, RISK ACCEPTED" — the status stays in front. */
export function acceptedStatusText(f: Pick<ReportFinding, 'status'>): string {
  return `${f.status.toUpperCase()}, RISK ACCEPTED`;
}

interface AcceptedGroup {
  readonly entry: RegisterEntry;
  readonly findings: ReportFinding[];
}

/** Accepted findings grouped under the exception that accepts them, in register order; entries with none are left out. */
export function acceptedGroups(model: Pick<ReportModel, 'exceptions' | 'findings'>): AcceptedGroup[] {
  const byId = new Map<string, ReportFinding[]>();
  for (const f of model.findings) {
    if (f.acceptance === undefined) continue;
    const list = byId.get(f.acceptance.exceptionId);
    if (list) list.push(f);
    else byId.set(f.acceptance.exceptionId, [f]);
  }
  return model.exceptions.entries.flatMap((entry) => {
    const findings = byId.get(entry.id);
    return findings === undefined ? [] : [{ entry, findings }];
  });
}

/** Findings an exception covered until it expired: they count as open again. */
export function lapsedFindings(model: Pick<ReportModel, 'findings'>): ReportFinding[] {
  return model.findings.filter((f) => f.lapsedException !== undefined);
}

/** Whether the report has anything to say about exceptions (a file was applied, or entries exist). */
export function hasExceptions(model: Pick<ReportModel, 'exceptions'>): boolean {
  return model.exceptions.source !== null || model.exceptions.entries.length > 0;
}

/** One sentence for the summary: open against accepted findings, and lapsed ones. */
export function acceptanceSummary(model: Pick<ReportModel, 'exceptions'>): string {
  const c = model.exceptions.counts;
  const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  return `${n(c.open, 'open finding')} (failing or warning, no exception in force), ${n(c.accepted, 'finding')} accepted as risk under an exception`
    + (c.lapsed > 0 ? `, ${c.lapsed} of the open ones because ${c.lapsed === 1 ? 'its exception' : 'their exceptions'} expired` : '') + '.';
}

/**
 * What an exception does to one finding, for the places a finding is listed (endpoint details):
 * "risk accepted under X until …", "exception X expired on …: open again", or null.
 */
export function findingExceptionNote(f: Pick<ReportFinding, 'acceptance' | 'lapsedException'>): string | null {
  if (f.acceptance !== undefined) return `Risk accepted under ${f.acceptance.exceptionId} until ${f.acceptance.expires}`;
  if (f.lapsedException !== undefined) return `Exception ${f.lapsedException.exceptionId} expired on ${f.lapsedException.expiredOn}: open again`;
  return null;
}

export interface ExceptionChangeRow {
  readonly change: 'added' | 'approved' | 'expired' | 'removed' | 'changed';
  readonly label: string;
  readonly id: string;
  readonly detail: string;
}

/**
 * The history section's exception register changes as rows (added, approved since, expired,
 * removed, changed terms), the same facts `tlsproof diff` prints; null when the comparison carries none.
 */
export function exceptionChangeRows(h: Pick<NonNullable<ReportModel['history']>, 'exceptions'>): ExceptionChangeRow[] | null {
  const c = h.exceptions;
  if (c === undefined) return null;
  const who = (e: { approver: string; ticket: string }) => `approved by ${e.approver}, ticket ${e.ticket}`;
  const pending = (e: { pendingApproval: string | null }) => (e.pendingApproval === null || c.current === null ? ''
    : `not yet approved on the report date, ${c.current.reportDate} (approval dated ${e.pendingApproval}), so it accepts nothing yet; `);
  return [
    ...c.added.map((e): ExceptionChangeRow => ({ change: 'added', label: 'Added', id: e.id,
      detail: `${pending(e)}${e.lapsed ? `already past its last day, ${e.expires}` : `${e.pendingApproval === null ? 'in force' : 'runs'} until ${e.expires}`}; ${who(e)}` })),
    ...c.approved.map((e): ExceptionChangeRow => ({ change: 'approved', label: 'Approved', id: e.id,
      detail: `listed before its approval; approved ${e.approvedOn} and in force from then until ${e.expires}; ${who(e)}` })),
    ...c.expired.map((e): ExceptionChangeRow => ({ change: 'expired', label: 'Expired', id: e.id,
      detail: `last day ${e.expiredOn}; ${e.stillListed ? 'still listed, accepts nothing now' : 'then removed from the file'}; ${who(e)}` })),
    ...c.removed.map((e): ExceptionChangeRow => ({ change: 'removed', label: 'Removed', id: e.id,
      detail: e.alreadyLapsed ? `had expired (last day ${e.expires}) before the previous period's report` : `was in force until ${e.expires}; what it accepted is no longer accepted` })),
    ...c.changed.map((e): ExceptionChangeRow => ({ change: 'changed', label: 'Changed', id: e.id,
      detail: `${e.fields.map((f) => `${f.field} ${f.from} → ${f.to}`).join('; ')}${e.pendingApproval === null ? '' : `; ${pending(e).replace(/; $/, '')}`}` })),
  ];
}
