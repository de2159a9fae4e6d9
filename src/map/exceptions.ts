/**
 * The exception register applied to one report: which failing and warning findings each entry
 * matches, which entries are in force on the report date, and what acceptance does to a control.
 *
 * - An exception accepts findings. It names them by check and endpoint, or by control (every
 *   failing or warning finding that counts against that control), narrowed by endpoint (host, IP,
 *   port, service, domain; globs allowed). Every key given must match. Passed or untested findings
 *   are no risk, so an entry that matches only those is stale.
 * - An entry is in force from its approval date up to and including its expiry date. Before its
 *   approval it covers nothing (a report cannot rely on a decision taken after its date: the
 *   findings are open and the entry is listed as not yet approved); once the report date is past
 *   the expiry, the findings it matched are open again and carry `lapsedException`.
 * - Acceptance never changes a finding's status or evidence, and never makes a control pass: a
 *   control whose every failing or warning finding is accepted is `risk-accepted` (not met, the
 *   exception cited); one with any finding left open keeps its status.
 *
 * Pure: no I/O, no clock (the report date comes in).
 */
import type { Attribution } from '../model/discovery.js';
import {
  EXPIRING_SOON_DAYS, type ExceptionState, type FindingAcceptance, type LapsedException, type LoadedExceptionEntry,
} from '../model/exceptions.js';
import type { Finding } from '../model/finding.js';
import type { ControlEvaluation } from './evaluate.js';

interface ExceptionContext {
  /** yyyy-mm-dd: the date the report speaks for. */
  readonly reportDate: string;
  /** Finding id → the controls its failing or warning status counted against. */
  readonly findingControls: ReadonlyMap<string, readonly { frameworkId: string; controlId: string }[]>;
  /** Framework id → the version this report assessed (for `framework@version:control`). */
  readonly frameworkVersions: ReadonlyMap<string, string>;
  /** Endpoint key → the domain-list assets it belongs to. */
  readonly attribution: ReadonlyMap<string, readonly Attribution[]>;
}

interface AppliedEntry {
  readonly entry: LoadedExceptionEntry;
  readonly state: ExceptionState;
  /** Failing and warning findings the entry matches (for an expired entry: those it would cover). */
  readonly matchedFindingIds: string[];
}

export interface ExceptionApplication {
  readonly entries: AppliedEntry[];
  /** Finding id → the in-force exception that accepts it. */
  readonly acceptance: ReadonlyMap<string, FindingAcceptance>;
  /** Finding id → the expired exception that covered it (only findings no in-force entry accepts). */
  readonly lapsed: ReadonlyMap<string, LapsedException>;
  readonly counts: { open: number; accepted: number; lapsed: number };
}

/** Whole days from `from` to `to` (yyyy-mm-dd). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Compiled globs: a register of a few dozen patterns is matched against every finding of the report. */
const globCache = new Map<string, RegExp>();

/** `*` any run of characters, `?` one; the whole name, without case. */
export function globMatches(pattern: string, value: string): boolean {
  let re = globCache.get(pattern);
  if (re === undefined) {
    // Runs of stars are one star: "**" would otherwise make the expression backtrack for nothing.
    const source = [...pattern.trim().replace(/\*+/g, '*')].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
    re = new RegExp(`^${source}$`, 'iu');
    if (globCache.size > 10_000) globCache.clear();
    globCache.set(pattern, re);
  }
  return re.test(value);
}

/** DNS names compare without a trailing dot. */
function hostName(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

function controlMatches(ref: string, counted: readonly { frameworkId: string; controlId: string }[], versions: ReadonlyMap<string, string>): boolean {
  const colon = ref.indexOf(':');
  const head = ref.slice(0, colon);
  const controlId = ref.slice(colon + 1).trim();
  const at = head.indexOf('@');
  const frameworkId = at < 0 ? head : head.slice(0, at);
  if (at >= 0 && versions.get(frameworkId) !== head.slice(at + 1)) return false;
  return counted.some((c) => c.frameworkId === frameworkId && c.controlId === controlId);
}

/** Whether `entry` names `finding` (a failing or warning one). */
function entryMatches(entry: LoadedExceptionEntry, finding: Finding, context: ExceptionContext): boolean {
  const m = entry.match;
  const e = finding.endpoint;
  if (m.checks !== undefined && !(m.checks as readonly string[]).includes(finding.checkId)) return false;
  if (m.controls !== undefined) {
    const counted = context.findingControls.get(finding.id) ?? [];
    if (!m.controls.some((ref) => controlMatches(ref, counted, context.frameworkVersions))) return false;
  }
  if (m.hosts !== undefined) {
    const host = hostName(e.host);
    if (!m.hosts.some((p) => globMatches(hostName(p), host))) return false;
  }
  if (m.ips !== undefined && (e.ip === undefined || !m.ips.some((p) => globMatches(p, e.ip!)))) return false;
  if (m.ports !== undefined && !m.ports.includes(e.port)) return false;
  if (m.services !== undefined && !m.services.includes(e.service)) return false;
  if (m.domains !== undefined) {
    const domains = (context.attribution.get(finding.endpointKey) ?? []).map((a) => hostName(a.domain));
    if (!m.domains.some((p) => domains.some((d) => globMatches(hostName(p), d)))) return false;
  }
  return true;
}

/** Matches every entry against the report's failing and warning findings and decides what is accepted. */
export function applyExceptions(entries: readonly LoadedExceptionEntry[], findings: readonly Finding[],
  context: ExceptionContext): ExceptionApplication {
  const open = findings.filter((f) => f.status === 'fail' || f.status === 'warn');
  const acceptance = new Map<string, FindingAcceptance>();
  const lapsedBy = new Map<string, LapsedException>();
  const applied: AppliedEntry[] = [];
  // In force: the report date is on or before the expiry date ("expires" is the last day it applies).
  const inForce = (e: LoadedExceptionEntry) => context.reportDate <= e.expires;
  // Most entries name their checks: look only at those checks' findings.
  const byCheck = new Map<string, Finding[]>();
  for (const f of open) {
    const list = byCheck.get(f.checkId);
    if (list) list.push(f);
    else byCheck.set(f.checkId, [f]);
  }
  for (const entry of entries) {
    const candidates = entry.match.checks === undefined ? open : [...new Set(entry.match.checks)].flatMap((c) => byCheck.get(c) ?? []);
    const matchedFindingIds = candidates.filter((f) => entryMatches(entry, f, context)).map((f) => f.id);
    let state: ExceptionState;
    if (context.reportDate < entry.approvedOn) state = 'not-yet-approved';
    else if (!inForce(entry)) state = 'expired';
    else if (matchedFindingIds.length === 0) state = 'stale';
    else state = daysBetween(context.reportDate, entry.expires) <= EXPIRING_SOON_DAYS ? 'expiring-soon' : 'active';
    applied.push({ entry, state, matchedFindingIds });
    for (const id of matchedFindingIds) {
      if (state === 'not-yet-approved') continue;
      if (state === 'expired') {
        // The most recent lapse is the one to cite.
        const prior = lapsedBy.get(id);
        if (prior === undefined || prior.expiredOn < entry.expires) lapsedBy.set(id, { exceptionId: entry.id, expiredOn: entry.expires });
        continue;
      }
      // When several exceptions cover a finding, the one that runs longest is what keeps it accepted.
      const prior = acceptance.get(id);
      if (prior === undefined || prior.expires < entry.expires) {
        acceptance.set(id, { exceptionId: entry.id, expires: entry.expires, state: state === 'expiring-soon' ? 'expiring-soon' : 'active' });
      }
    }
  }
  const lapsed = new Map([...lapsedBy].filter(([id]) => !acceptance.has(id)));
  const accepted = open.filter((f) => acceptance.has(f.id)).length;
  return { entries: applied, acceptance, lapsed, counts: { open: open.length - accepted, accepted, lapsed: lapsed.size } };
}

/**
 * The control's status once exceptions are applied. Only a control that fails or warns, solely
 * because of findings every one of which is accepted, becomes `risk-accepted`; a report property
 * that fails or warns (not a finding, so never accepted) or any finding left open keeps the
 * status as it was. Statuses other than fail and warn are untouched. The exceptions covering the
 * control's findings are recorded either way.
 */
export function acceptControl(evaluation: ControlEvaluation, acceptance: ReadonlyMap<string, FindingAcceptance>): ControlEvaluation {
  const covering = evaluation.findings.map((f) => acceptance.get(f.id)).filter((a): a is FindingAcceptance => a !== undefined);
  const exceptionIds = [...new Set(covering.map((a) => a.exceptionId))].sort();
  if (exceptionIds.length === 0) return evaluation;
  const from = evaluation.status;
  const allAccepted = covering.length === evaluation.findings.length;
  const propertyProblem = evaluation.evidence.some((e) => e.result.status === 'fail' || e.result.status === 'warn');
  if ((from !== 'fail' && from !== 'warn') || !allAccepted || propertyProblem) {
    const note = from === 'fail' || from === 'warn'
      ? ` ${covering.length} of ${evaluation.findings.length} findings behind it are accepted risks (${exceptionIds.join(', ')}); the rest are open, so the status stands.`
      : '';
    return { ...evaluation, exceptionIds, statusReason: `${evaluation.statusReason}${note}` };
  }
  const until = covering.reduce((min, a) => (a.expires < min ? a.expires : min), covering[0]!.expires);
  const word = from === 'fail' ? 'FAIL' : 'WARN';
  const reason = `Not met, risk accepted: without exceptions this control would be ${word} (${lowerFirst(evaluation.statusReason.replace(/\.$/, ''))}); ` +
    `every one of those findings is an accepted risk under ${exceptionIds.length === 1 ? 'exception' : 'exceptions'} ${exceptionIds.join(', ')} ` +
    `(in force until ${until}), so it is reported as risk accepted, never as a pass.`;
  return { ...evaluation, status: 'risk-accepted', acceptedFrom: from, exceptionIds, statusReason: reason };
}

function lowerFirst(s: string): string {
  return s.length === 0 ? s : `${s.charAt(0).toLowerCase()}${s.slice(1)}`;
}
