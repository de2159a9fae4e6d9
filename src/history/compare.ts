/**
 * Period comparison: one period's state against the previous one's, with each finding followed
 * through every stored observation of its endpoint. Pure: the store supplies the timelines, the
 * caller the periods, the as-of date and the deadlines.
 *
 * Definitions (all on observations, never on runs):
 * - A finding is open when its status is fail or warn. An observation that could not test it
 *   (status not-tested/error, or a failed scan) neither opens nor closes it.
 * - Its streak is the unbroken run of observations in which it was open, ending at the state;
 *   firstSeen is the streak's first observation. A streak is broken by an observation that tested
 *   the finding and did not find it open: that observation is when it was "seen fixed".
 * - persisting: the streak began on or before the previous period's end; new: it began after,
 *   and the finding was never open before; regressed: it began after, and an earlier streak had
 *   been seen fixed — for certificate checks, on the same certificate (an expiry window reached
 *   again on the renewed certificate is new). resolved: open in the previous state, tested and
 *   not open in this one.
 * - Time to remediate: for every streak seen fixed inside this period (up to the as-of date), the
 *   whole UTC days from firstSeen to the observation that showed it fixed.
 */
import { checks, SUPERSEDED_BY, type CheckId } from '../checks/index.js';
import { ReportError } from '../errors.js';
import { HISTORY } from './messages.js';
import { SEVERITIES, SEVERITY_RANK, type Severity } from '../model/finding.js';
import { epochDay, shiftPeriod, type PeriodOptions, type PeriodSpec } from '../model/period.js';
import type { HistoryFinding, PeriodComparison, PeriodRef, SupersededFinding } from '../model/history.js';
import { isOpen, periodState, tested, type HistoryData, type StatePoint, type TimelinePoint } from './timeline.js';
import { buildTrend, type ReportedRun, type TrendFramework } from './trend.js';
import { dueDate as findingDueDate, resolveDeadlines, type Deadlines } from './deadline.js';


export interface CompareOptions {
  readonly current: PeriodSpec;
  /** @default the period of the same kind before `current` */
  readonly previous?: PeriodSpec | undefined;
  /** yyyy-MM-dd open findings are aged at; clipped to the period's end. @default current.end */
  readonly asOf?: string | undefined;
  /** Overrides of DEFAULT_DEADLINES; null means no deadline for that severity. */
  readonly deadlines?: Partial<Record<Severity, number | null>> | undefined;
  /** Periods in the trend, 4–8 (leading periods without data are dropped down to 4). @default 8 */
  readonly trendPeriods?: number | undefined;
  readonly periodOptions?: PeriodOptions | undefined;
  /** Frameworks whose control status the trend follows. @default none */
  readonly frameworks?: readonly TrendFramework[] | undefined;
  /** Per period start, the control counts its latest report printed, which the trend shows (src/history/trend.ts). */
  readonly reported?: ReadonlyMap<string, ReportedRun> | undefined;
  readonly notes?: readonly string[] | undefined;
}

function periodRef(p: PeriodSpec): PeriodRef {
  return { id: p.id, label: p.label, start: p.start, end: p.end };
}

const days = (fromIso: string, toIso: string) => epochDay(toIso.slice(0, 10)) - epochDay(fromIso.slice(0, 10));

interface Streak {
  /** Index of the streak's first open observation. */
  readonly start: number;
  /** Index of the observation that broke the previous streak (tested, not open), or -1. */
  readonly breakIndex: number;
}

/** Walks back from `i` (where `localId` is open) to the start of its streak. */
function streakBack(points: readonly TimelinePoint[], i: number, localId: string): Streak {
  let start = i;
  for (let j = i - 1; j >= 0; j--) {
    const p = points[j]!;
    if (isOpen(p.findings.get(localId))) start = j;
    else if (tested(p, localId)) return { start, breakIndex: j };
  }
  return { start, breakIndex: -1 };
}

/**
 * Before `breakIndex`: whether the finding was open at all — the last observation of that earlier
 * streak, and the earliest observation after it that showed it fixed (when the fix happened, as far
 * as the evidence shows).
 */
function earlierStreak(points: readonly TimelinePoint[], breakIndex: number, localId: string): { fixedAt: string; lastOpen: number } | undefined {
  let fixed = breakIndex;
  for (let m = breakIndex - 1; m >= 0; m--) {
    const p = points[m]!;
    if (isOpen(p.findings.get(localId))) return { fixedAt: points[fixed]!.observedAt, lastOpen: m };
    if (tested(p, localId)) fixed = m;
  }
  return undefined;
}

/** The certificates an observation saw, by fingerprint (or serial and issuer when there is none). */
function certificateIds(p: TimelinePoint): string {
  return p.certificates.map((c) => c.fingerprintSha256 ?? `${c.serial ?? ''}|${c.issuer ?? ''}`).sort().join(' ');
}

/**
 * A certificate finding that comes back on another certificate (an expiry window reached again a
 * year after a renewal) is a new finding, not the old one regressing: the renewal did fix it.
 */
function sameSubject(checkId: string, before: TimelinePoint, now: TimelinePoint): boolean {
  const meta = (checks as Record<string, { meta: { category: string } } | undefined>)[checkId]?.meta;
  return meta?.category !== 'certificate' || certificateIds(before) === certificateIds(now);
}

/**
 * The notAfter of the certificate a certificate finding is about: outcome `#n` is the n-th
 * certificate the endpoint presented (checks judge them in order), a finding without `#n` the
 * only one. Null for other findings.
 */
function certificateNotAfter(checkId: string, localId: string, p: TimelinePoint): string | null {
  const meta = (checks as Record<string, { meta: { category: string } } | undefined>)[checkId]?.meta;
  if (meta?.category !== 'certificate') return null;
  const n = /#(\d+)$/.exec(localId);
  const certs = [...p.certificates].sort((a, b) => a.index - b.index);
  return (n === null ? (certs.length === 1 ? certs[0] : undefined) : certs[Number(n[1]) - 1])?.notAfter ?? null;
}

function title(checkId: string): string {
  return (checks as Record<string, { meta: { title: string } } | undefined>)[checkId as CheckId]?.meta.title ?? checkId;
}

export function comparePeriods(data: HistoryData, opts: CompareOptions): PeriodComparison {
  const current = opts.current;
  const previous = opts.previous ?? shiftPeriod(current, -1, opts.periodOptions);
  if (previous.end >= current.start) {
    throw new ReportError('period-invalid', { previous: previous.id, current: current.id },
      HISTORY.previousOverlaps(previous, current));
  }
  const asOf = opts.asOf === undefined || opts.asOf > current.end ? current.end : opts.asOf < current.start ? current.start : opts.asOf;
  const deadlines: Deadlines = resolveDeadlines(opts.deadlines);
  const now = periodState(data, current);
  const before = periodState(data, previous);

  const item = (s: StatePoint, localId: string, status: HistoryFinding['status'], severity: Severity, firstSeen: string,
    lastSeenOpen: string, fixedAt: string | null, ageDays: number): HistoryFinding => {
    const checkId = localId.replace(/#\d+$/, '');
    const dueDate = findingDueDate({ severity, firstSeen, certificateNotAfter: certificateNotAfter(checkId, localId, s.timeline.points[s.index]!) }, deadlines);
    // Open: late at the as-of date. Resolved: late when it was seen fixed.
    const judged = status === 'pass' && fixedAt !== null ? fixedAt.slice(0, 10) : asOf;
    const late = dueDate === null ? null : epochDay(judged) - epochDay(dueDate);
    return {
      findingId: `${checkId}@${s.timeline.key}${localId.slice(checkId.length)}`, checkId, title: title(checkId),
      endpointKey: s.timeline.key, endpointLabel: s.timeline.label, severity, status, firstSeen, lastSeenOpen, fixedAt, ageDays,
      dueDate, daysOverdue: late !== null && late > 0 ? late : null,
    };
  };

  const fresh: HistoryFinding[] = [];
  const persisting: HistoryFinding[] = [];
  const regressed: HistoryFinding[] = [];
  for (const s of now.values()) {
    const points = s.timeline.points;
    for (const f of s.point.findings.values()) {
      if (!isOpen(f)) continue;
      const streak = streakBack(points, s.index, f.localId);
      const firstSeen = points[streak.start]!.observedAt;
      const age = Math.max(0, epochDay(asOf) - epochDay(firstSeen.slice(0, 10)));
      if (firstSeen.slice(0, 10) <= previous.end) {
        persisting.push(item(s, f.localId, f.status, f.severity, firstSeen, s.point.observedAt, null, age));
        continue;
      }
      const earlier = streak.breakIndex < 0 ? undefined : earlierStreak(points, streak.breakIndex, f.localId);
      if (earlier && sameSubject(f.checkId, points[earlier.lastOpen]!, points[streak.start]!)) regressed.push(item(s, f.localId, f.status, f.severity, firstSeen, s.point.observedAt, earlier.fixedAt, age));
      else fresh.push(item(s, f.localId, f.status, f.severity, firstSeen, s.point.observedAt, null, age));
    }
  }

  const change = new Map<string, { f: HistoryFinding; change: SupersededFinding['supersededBy']['change'] }>([
    ...fresh.map((f) => [f.findingId, { f, change: 'new' as const }] as const),
    ...persisting.map((f) => [f.findingId, { f, change: 'persisting' as const }] as const),
    ...regressed.map((f) => [f.findingId, { f, change: 'regressed' as const }] as const),
  ]);
  /** The open finding of this state that reports `localId`'s condition worse (SUPERSEDED_BY), if any. */
  const worse = (s: StatePoint, localId: string): SupersededFinding['supersededBy'] | undefined => {
    const checkId = localId.replace(/#\d+$/, '');
    for (const by of SUPERSEDED_BY[checkId as CheckId] ?? []) {
      const open = change.get(`${by}@${s.timeline.key}${localId.slice(checkId.length)}`);
      if (open) return { findingId: open.f.findingId, checkId: by, title: open.f.title, change: open.change };
    }
    return undefined;
  };

  const resolved: HistoryFinding[] = [];
  const unverified: HistoryFinding[] = [];
  const superseded: SupersededFinding[] = [];
  for (const [key, p] of before) {
    const c = now.get(key);
    if (!c) continue;
    const points = c.timeline.points;
    for (const f of p.point.findings.values()) {
      if (!isOpen(f) || isOpen(c.point.findings.get(f.localId))) continue;
      if (!tested(c.point, f.localId)) {
        const streak = streakBack(points, p.index, f.localId);
        const firstSeen = points[streak.start]!.observedAt;
        const status = c.point.findings.get(f.localId)?.status ?? 'not-tested';
        const entry = item(c, f.localId, status, f.severity, firstSeen, p.point.observedAt, null, Math.max(0, epochDay(asOf) - epochDay(firstSeen.slice(0, 10))));
        // Not tested because a worse finding now reports it: not "unknown", and not late on its
        // own deadline (the worse finding carries the deadline that applies now).
        const by = status === 'not-tested' ? worse(c, f.localId) : undefined;
        if (by) superseded.push({ ...entry, daysOverdue: null, supersededBy: by });
        else unverified.push(entry);
        continue;
      }
      // The last open observation up to this state, and the first one after it that showed the fix.
      let last = c.index;
      while (!isOpen(points[last]!.findings.get(f.localId))) last--;
      let fix = last + 1;
      while (!tested(points[fix]!, f.localId)) fix++;
      const lastOpen = points[last]!;
      const streak = streakBack(points, last, f.localId);
      const firstSeen = points[streak.start]!.observedAt;
      const fixedAt = points[fix]!.observedAt;
      resolved.push(item(c, f.localId, 'pass', lastOpen.findings.get(f.localId)!.severity, firstSeen, lastOpen.observedAt, fixedAt, days(firstSeen, fixedAt)));
    }
  }

  const endpointsAdded = [...now.values()].filter((s) => !before.has(s.timeline.key))
    .map((s) => ({ key: s.timeline.key, label: s.timeline.label, firstSeen: s.timeline.points[0]!.observedAt }));
  const endpointsRemoved = [...before.values()].filter((s) => !now.has(s.timeline.key))
    .map((s) => ({ key: s.timeline.key, label: s.timeline.label, lastSeen: s.point.observedAt,
      openFindings: [...s.point.findings.values()].filter(isOpen).length }));

  const open = [...fresh, ...persisting, ...regressed];
  const overdue = open.filter((f) => f.daysOverdue !== null)
    .sort((a, b) => b.daysOverdue! - a.daysOverdue! || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || cmp(a.findingId, b.findingId));

  return {
    period: periodRef(current), previousPeriod: periodRef(previous), asOf, runsConsidered: data.runs,
    endpoints: { current: now.size, previous: before.size },
    new: sortFindings(fresh), resolved: sortFindings(resolved), persisting: sortFindings(persisting),
    regressed: sortFindings(regressed), unverified: sortFindings(unverified), superseded: sortFindings(superseded),
    endpointsAdded: endpointsAdded.sort((a, b) => cmp(a.key, b.key)),
    endpointsRemoved: endpointsRemoved.sort((a, b) => cmp(a.key, b.key)),
    remediation: { deadlines, overdue, timeToRemediate: timeToRemediate(data, current.start, asOf) },
    certificateForecast: certificateForecast(now, shiftPeriod(current, 1, opts.periodOptions), asOf),
    trend: buildTrend(data, current, { periods: opts.trendPeriods ?? 8, periodOptions: opts.periodOptions, frameworks: opts.frameworks ?? [], reported: opts.reported }),
    notes: [...(opts.notes ?? []), ...setAsideNotes(data, [previous, current])],
  };
}

const SOURCE_WORDS = { input: 'scan time in the file', option: '--observed-at', 'file-mtime': 'file modification time' } as const;

/**
 * Runs recorded for one of `periods` whose observations are dated outside it: said, because those
 * observations count in no period (a run speaks for its own period only), so that period shows
 * fewer endpoints than the run scanned.
 */
function setAsideNotes(data: HistoryData, periods: readonly PeriodSpec[]): string[] {
  return (data.setAside ?? []).filter((r) => periods.some((p) => p.id === r.period.id)).map((r) =>
    `Run ${r.runSeq}, recorded for ${r.period.label} (${r.period.start}..${r.period.end}), has ${r.observations} endpoint observation${r.observations === 1 ? '' : 's'} ` +
    `dated outside it (${r.from.slice(0, 10) === r.to.slice(0, 10) ? r.from.slice(0, 10) : `${r.from.slice(0, 10)} to ${r.to.slice(0, 10)}`}, by ${r.sources.map((x) => SOURCE_WORDS[x]).join(' and ')}); ` +
    `they count in no period. If those scans ran in ${r.period.label}, report them again with --observed-at set to the scan time.`);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Worst first, then by check and endpoint. */
function sortFindings<T extends HistoryFinding>(list: T[]): T[] {
  return list.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || cmp(a.checkId, b.checkId) || cmp(a.findingId, b.findingId));
}

/** Every streak seen fixed between `from` and `to` (inclusive dates): days open, per severity. */
function timeToRemediate(data: HistoryData, from: string, to: string): PeriodComparison['remediation']['timeToRemediate'] {
  const bySeverity = new Map<Severity, number[]>();
  for (const t of data.timelines) {
    const streaks = new Map<string, { start: string; severity: Severity }>();
    for (const p of t.points) {
      for (const f of p.findings.values()) {
        if (!isOpen(f)) continue;
        const s = streaks.get(f.localId);
        if (s) streaks.set(f.localId, { start: s.start, severity: f.severity });
        else streaks.set(f.localId, { start: p.observedAt, severity: f.severity });
      }
      for (const [id, s] of streaks) {
        if (isOpen(p.findings.get(id)) || !tested(p, id)) continue;
        streaks.delete(id);
        if (p.day < from || p.day > to) continue;
        const list = bySeverity.get(s.severity) ?? [];
        list.push(days(s.start, p.observedAt));
        bySeverity.set(s.severity, list);
      }
    }
  }
  return [...SEVERITIES].reverse().map((severity) => {
    const list = (bySeverity.get(severity) ?? []).sort((a, b) => a - b);
    const mid = Math.floor(list.length / 2);
    const median = list.length === 0 ? null : list.length % 2 === 1 ? list[mid]! : (list[mid - 1]! + list[mid]!) / 2;
    return { severity, resolved: list.length, medianDays: median, worstDays: list.length === 0 ? null : list[list.length - 1]! };
  });
}

/** Certificates in the state that expire inside `next`, one entry per certificate (by fingerprint), by date. */
function certificateForecast(state: ReadonlyMap<string, StatePoint>, next: PeriodSpec, asOf: string): PeriodComparison['certificateForecast'] {
  const byCert = new Map<string, PeriodComparison['certificateForecast']['certificates'][number]>();
  for (const s of state.values()) {
    for (const c of s.point.certificates) {
      if (c.notAfter === null) continue;
      const day = c.notAfter.slice(0, 10);
      if (day < next.start || day > next.end) continue;
      const id = c.fingerprintSha256 ?? `${c.serial ?? ''}|${c.issuer ?? ''}|${c.commonName ?? ''}|${c.notAfter}`;
      const entry = byCert.get(id);
      if (entry) {
        if (!entry.endpointKeys.includes(s.timeline.key)) entry.endpointKeys.push(s.timeline.key);
        continue;
      }
      byCert.set(id, {
        notAfter: c.notAfter, daysLeft: epochDay(day) - epochDay(asOf), commonName: c.commonName, issuer: c.issuer,
        serial: c.serial, fingerprintSha256: c.fingerprintSha256, endpointKeys: [s.timeline.key],
      });
    }
  }
  const certificates = [...byCert.values()].sort((a, b) => cmp(a.notAfter, b.notAfter) || cmp(a.commonName ?? '', b.commonName ?? ''));
  for (const c of certificates) c.endpointKeys.sort(cmp);
  return { period: periodRef(next), certificates };
}
