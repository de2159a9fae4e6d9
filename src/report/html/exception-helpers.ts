/**
 * Helpers for the accepted-risks section and the exception register (HTML). They hand templates
 * complete view objects, every field present, because strict templates cannot test optional
 * fields such as a finding's `acceptance`. Wording comes from report/exceptions-text.ts, shared
 * with the PDF.
 */
import type { ReportModel } from '../../model/report-model.js';
import type { ExceptionState } from '../../model/exceptions.js';
import {
  acceptanceSummary, acceptedGroups, acceptedStatusText, approverText, EXCEPTION_STATE_LABEL, EXPIRING_SOON_DAYS, exceptionChangeRows, findingExceptionNote, hasExceptions, lapsedFindings,
  matchText, type RegisterEntry,
} from '../exceptions-text.js';

type ReportFinding = ReportModel['findings'][number];

function asModel(model: unknown): ReportModel {
  if (typeof model !== 'object' || model === null || !('exceptions' in model) || !('findings' in model)) {
    throw new Error('the first argument must be the report model: pass @root');
  }
  return model as ReportModel;
}

interface EntryView {
  readonly id: string;
  readonly anchor: string;
  readonly state: ExceptionState;
  readonly stateLabel: string;
  readonly stateClass: string;
  /** file:line of the entry, or null when no file was applied. */
  readonly where: string | null;
  readonly line: number;
  /** Findings the entry covered until it expired, open again (expired entries only). */
  readonly reverted: number;
  readonly match: string;
  readonly approver: string;
  readonly approvedOn: string;
  readonly ticket: string;
  readonly expires: string;
  readonly justification: string;
  readonly compensatingControl: string;
  readonly findings: number;
}

interface FindingView {
  readonly finding: ReportFinding;
  /** "FAIL, RISK ACCEPTED" for an accepted finding; the plain status word for a reverted one. */
  readonly statusWord: string;
  readonly statusCss: string;
  /** For a reverted finding: "exception X expired on …"; else null. */
  readonly lapsedNote: string | null;
}

/** Anchor of an entry in the register. */
function exceptionAnchor(id: string): string {
  return `exc-${id.replace(/[^A-Za-z0-9_-]/g, (ch) => `_${ch.codePointAt(0)?.toString(16) ?? ''}`)}`;
}

function entryView(model: ReportModel, e: RegisterEntry): EntryView {
  const source = model.exceptions.source;
  const label = EXCEPTION_STATE_LABEL[e.state];
  return {
    id: e.id, anchor: exceptionAnchor(e.id), state: e.state, stateLabel: label.text, stateClass: `exc-${label.tone}`,
    where: source === null ? null : `${source.file}:${e.line}`, line: e.line,
    reverted: model.findings.filter((f) => f.lapsedException?.exceptionId === e.id).length,
    match: matchText(e.match), approver: approverText(e), approvedOn: e.approvedOn, ticket: e.ticket, expires: e.expires,
    justification: e.justification, compensatingControl: e.compensatingControl, findings: e.matchedFindingIds.length,
  };
}

function findingView(f: ReportFinding): FindingView {
  const lapsed = f.lapsedException;
  return {
    finding: f,
    statusWord: f.acceptance !== undefined ? acceptedStatusText(f) : f.status.toUpperCase(),
    statusCss: `st-${f.status}`,
    lapsedNote: lapsed === undefined ? null : `exception ${lapsed.exceptionId} expired on ${lapsed.expiredOn}`,
  };
}

/** Whether to show the section and the register: an exceptions file was applied. */
function exceptionsShown(model: unknown): boolean {
  return hasExceptions(asModel(model));
}

function acceptedRiskGroups(model: unknown): { entry: EntryView; findings: FindingView[] }[] {
  const m = asModel(model);
  return acceptedGroups(m).map((g) => ({ entry: entryView(m, g.entry), findings: g.findings.map(findingView) }));
}

function lapsedFindingViews(model: unknown): FindingView[] {
  return lapsedFindings(asModel(model)).map(findingView);
}

/** Register entries, all of them or those in `state`. */
function exceptionEntries(model: unknown, state?: unknown): EntryView[] {
  const m = asModel(model);
  const wanted = typeof state === 'string' ? state : undefined;
  return m.exceptions.entries.filter((e) => wanted === undefined || e.state === wanted).map((e) => entryView(m, e));
}

function exceptionSummary(model: unknown): string {
  return acceptanceSummary(asModel(model));
}

/** The helpers, by the names templates use (spread into htmlHelpers). */
export const exceptionHelpers = {
  exceptionsShown, acceptedRiskGroups, lapsedFindingViews, exceptionEntries, exceptionSummary, exceptionAnchor, findingExceptionNote, exceptionChangeRows,
  expiringSoonDays: () => EXPIRING_SOON_DAYS,
} as const;
