/**
 * Exception register changes between two periods, for `tlsproof diff`: which accepted-risk
 * entries were added, which lapsed, which were removed and which were changed (an expiry pushed
 * back is a new approval an auditor will want to see). Pure: the caller picks the run that speaks
 * for each period and reads its stored exceptions file.
 *
 * Each period's register is the exceptions file of the last run recorded for that period, judged
 * on that run's report date, the same date its report judged it on. An entry lapses after its expiry
 * date (the last day it applies).
 */
import { parse as parseYaml } from 'yaml';
import { ExceptionEntrySchema, type ExceptionEntry } from '../model/exceptions.js';
import type { PeriodSpec } from '../model/period.js';
import type { ExceptionChanges } from '../model/history.js';

export type { ExceptionChanges };

/** A stored run, as far as choosing the one that speaks for a period needs it. */
interface ExceptionRunRef {
  readonly seq: number;
  readonly reportDate: string;
  /** The period the run was recorded for (--period), or null. */
  readonly period: { readonly start: string; readonly end: string } | null;
  /** UTC date-time of the run's latest observation, or null when it has none. */
  readonly observedTo: string | null;
}

/** The register one period's run applied. */
export interface ExceptionSnapshot {
  readonly runSeq: number;
  readonly reportDate: string;
  /** The file as the report cited it, and the SHA-256 of its stored content; null when the run applied no exceptions file. */
  readonly source: { readonly file: string; readonly sha256: string } | null;
  readonly entries: readonly ExceptionEntry[];
}

type ExceptionChange = Pick<ExceptionChanges['added'][number], 'id' | 'expires' | 'approver' | 'ticket'>;

/**
 * The run that speaks for `period`: the last recorded of the runs made for it (--period inside it)
 * or, without --period, whose latest observation falls in it. Undefined when no run does.
 */
export function runForPeriod<R extends ExceptionRunRef>(runs: readonly R[], period: Pick<PeriodSpec, 'start' | 'end'>): R | undefined {
  const inPeriod = (day: string) => day >= period.start && day <= period.end;
  const chosen = runs.filter((r) => (r.period !== null
    ? r.period.start >= period.start && r.period.end <= period.end
    : r.observedTo !== null && inPeriod(r.observedTo.slice(0, 10))));
  return chosen.reduce<R | undefined>((best, r) => (best === undefined || r.seq > best.seq ? r : best), undefined);
}

/** Whether an entry has lapsed on `day` (yyyy-MM-dd): its expiry date is the last day it applies. */
export function lapsedOn(entry: Pick<ExceptionEntry, 'expires'>, day: string): boolean {
  return day > entry.expires;
}

/** Whether an entry was not yet approved on `day` (yyyy-MM-dd): its approval is dated after it. */
function approvedAfter(entry: Pick<ExceptionEntry, 'approvedOn'>, day: string): boolean {
  return entry.approvedOn > day;
}

const approverOf = (e: ExceptionEntry) => `${e.approver.name} (${e.approver.role})`;
const change = (e: ExceptionEntry): ExceptionChange => ({ id: e.id, expires: e.expires, approver: approverOf(e), ticket: e.ticket });
const meta = (s: ExceptionSnapshot | undefined) => (s === undefined ? null : { runSeq: s.runSeq, reportDate: s.reportDate, source: s.source });

/** Fields compared between periods, with how each reads in a change line. */
const FIELDS: readonly [string, (e: ExceptionEntry) => string][] = [
  ['expires', (e) => e.expires],
  ['approvedOn', (e) => e.approvedOn],
  ['approver', approverOf],
  ['ticket', (e) => e.ticket],
  ['match', (e) => JSON.stringify(e.match)],
  ['justification', (e) => e.justification],
  ['compensatingControl', (e) => e.compensatingControl],
];

/** The register changes from `previous` to `current`; either may be undefined (no run for that period). */
export function compareExceptions(previous: ExceptionSnapshot | undefined, current: ExceptionSnapshot | undefined): ExceptionChanges {
  const notes: string[] = [];
  if (previous === undefined) notes.push('No run was recorded for the earlier period, so every exception of the later one counts as added.');
  if (current === undefined) notes.push('No run was recorded for the later period, so its exceptions are unknown: nothing is counted as removed.');
  const before = new Map((previous?.entries ?? []).map((e) => [e.id, e]));
  const after = new Map((current?.entries ?? []).map((e) => [e.id, e]));
  const out: ExceptionChanges = { previous: meta(previous), current: meta(current), added: [], approved: [], expired: [], removed: [], changed: [], notes };
  if (current === undefined) return out;
  const today = current.reportDate;
  const pendingApproval = (e: ExceptionEntry) => (approvedAfter(e, today) ? e.approvedOn : null);
  for (const e of after.values()) {
    const old = before.get(e.id);
    if (old === undefined) {
      out.added.push({ ...change(e), lapsed: lapsedOn(e, today), pendingApproval: pendingApproval(e) });
      continue;
    }
    const fields = FIELDS.map(([field, read]) => ({ field, from: read(old), to: read(e) })).filter((f) => f.from !== f.to);
    if (fields.length > 0) out.changed.push({ ...change(e), fields, pendingApproval: pendingApproval(e) });
    // Listed before it was approved, approved since: it took effect between the two reports.
    if (previous !== undefined && approvedAfter(old, previous.reportDate) && !approvedAfter(e, today)) {
      out.approved.push({ ...change(e), approvedOn: e.approvedOn });
    }
    if (previous !== undefined && !lapsedOn(old, previous.reportDate) && lapsedOn(e, today)) {
      out.expired.push({ ...change(e), expiredOn: e.expires, stillListed: true });
    }
  }
  for (const old of before.values()) {
    if (after.has(old.id)) continue;
    // Removed after its expiry date: it lapsed in this period (an auditor's question is the same).
    const alreadyLapsed = previous !== undefined && lapsedOn(old, previous.reportDate);
    // Removed after its expiry date: it lapsed in this period, whether or not it is still listed.
    if (!alreadyLapsed && lapsedOn(old, today)) out.expired.push({ ...change(old), expiredOn: old.expires, stillListed: false });
    else out.removed.push({ ...change(old), alreadyLapsed });
  }
  const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  out.added.sort(byId);
  out.expired.sort((a, b) => (a.expiredOn < b.expiredOn ? -1 : a.expiredOn > b.expiredOn ? 1 : byId(a, b)));
  out.removed.sort(byId);
  out.changed.sort(byId);
  return out;
}

/**
 * The entries of a stored exceptions file. Read leniently: the file was valid for the tlsproof
 * that recorded it, and an entry today's rules refuse (a check renamed since) is still compared
 * by what it says, with a note, rather than failing the whole comparison.
 */
export function parseStoredExceptions(content: Uint8Array, file: string): { entries: ExceptionEntry[]; notes: string[] } {
  const notes: string[] = [];
  let doc: unknown;
  try {
    doc = parseYaml(Buffer.from(content).toString('utf8'));
  } catch (err) {
    return { entries: [], notes: [`The stored exceptions file ${file} could not be read as YAML (${err instanceof Error ? err.message : String(err)}).`] };
  }
  const list = typeof doc === 'object' && doc !== null && Array.isArray((doc as { exceptions?: unknown }).exceptions)
    ? (doc as { exceptions: unknown[] }).exceptions : [];
  const entries: ExceptionEntry[] = [];
  for (const raw of list) {
    const parsed = ExceptionEntrySchema.safeParse(raw);
    if (parsed.success) {
      entries.push(parsed.data);
      continue;
    }
    const loose = raw as Partial<ExceptionEntry> | null;
    if (loose && typeof loose.id === 'string' && typeof loose.expires === 'string') {
      entries.push({ ...loose, approver: loose.approver ?? { name: '?', role: '?' }, ticket: loose.ticket ?? '?', match: loose.match ?? {} } as ExceptionEntry);
      notes.push(`Entry ${loose.id} of the stored ${file} does not meet today's rules (${parsed.error.issues[0]?.message ?? 'invalid'}); compared as written.`);
    } else notes.push(`An entry of the stored ${file} has no id or expiry date and was left out of the comparison.`);
  }
  return { entries, notes };
}
