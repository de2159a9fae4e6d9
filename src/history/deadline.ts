/**
 * One clock for remediation deadlines. A finding is due `deadlines[severity]` days after it was
 * first seen (from the evidence store when there is history, else its observation time), and a
 * certificate finding no later than the certificate's expiry: renewing after the expiry date is
 * not remediation. The remediation plan, the history section and `tlsproof diff` all take their
 * dates from here, so one finding never carries two deadlines.
 *
 * Pure: dates in, dates out (yyyy-MM-dd, UTC calendar days).
 */
import type { Severity } from '../model/finding.js';
import { addDays } from '../model/period.js';

export type Deadlines = Readonly<Record<Severity, number | null>>;

/**
 * Days allowed to fix an open finding, by severity (PCI DSS-style 30 days for critical); info
 * findings have none. report.config.yaml `remediationDeadlines` overrides them per severity.
 */
export const DEFAULT_DEADLINES: Deadlines = { critical: 30, high: 60, medium: 90, low: 180, info: null };

/** The policy in force: the defaults with the config's overrides (a config value of null drops a deadline). */
export function resolveDeadlines(overrides?: Partial<Record<Severity, number | null>>): Deadlines {
  return { ...DEFAULT_DEADLINES, ...overrides };
}

interface DeadlineInput {
  readonly severity: Severity;
  /** ISO 8601: when the finding was first seen open. */
  readonly firstSeen: string;
  /** ISO 8601 notAfter of the certificate a certificate finding is about, else null. */
  readonly certificateNotAfter?: string | null | undefined;
}

/**
 * The fix-by date: firstSeen + the severity's days, capped at the certificate's expiry when that
 * was still ahead when the finding was first seen (a certificate that had already expired gets
 * the normal allowance from first sight; it cannot be renewed in the past). Null: no deadline.
 */
export function dueDate(f: DeadlineInput, deadlines: Deadlines): string | null {
  const days = deadlines[f.severity];
  if (days === null) return null;
  const first = f.firstSeen.slice(0, 10);
  const due = addDays(first, days);
  const expiry = f.certificateNotAfter?.slice(0, 10);
  return expiry !== undefined && expiry >= first && expiry < due ? expiry : due;
}

/** What the deadline of one open finding of the report rests on. */
interface OpenFinding {
  readonly id: string;
  readonly checkId: string;
  readonly severity: Severity;
  /** The observation time of its endpoint in this report. */
  readonly observedAt: string;
  readonly certificateNotAfter: string | null;
}

interface FindingDeadline {
  readonly id: string;
  readonly firstSeen: string;
  readonly dueDate: string | null;
}

/**
 * Deadlines for a report's open findings: first seen from `firstSeenById` (the store's history)
 * where it knows the finding, else the observation time.
 */
function findingDeadlines(open: readonly OpenFinding[], deadlines: Deadlines,
  firstSeenById: ReadonlyMap<string, string> = new Map()): FindingDeadline[] {
  return open.map((f) => {
    // In the store's form (ISO 8601, milliseconds, Z), so a report with and one without history read alike.
    const seen = firstSeenById.get(f.id) ?? f.observedAt;
    const ms = Date.parse(seen);
    const firstSeen = Number.isNaN(ms) ? seen : new Date(ms).toISOString();
    return { id: f.id, firstSeen, dueDate: dueDate({ severity: f.severity, firstSeen, certificateNotAfter: f.certificateNotAfter }, deadlines) };
  });
}

/** The parts of a report finding and its endpoint a deadline reads. */
interface ReportFindingLike {
  readonly id: string;
  readonly checkId: string;
  readonly category: string;
  readonly status: string;
  readonly severity: Severity;
  readonly endpointKey: string;
  readonly data: Readonly<Record<string, string | number>>;
}
interface EndpointLike {
  readonly key: string;
  readonly observedAt: string;
  readonly certificates: readonly { readonly index: number; readonly notAfter: string | null }[];
}

/** A report's open (fail/warn) findings with what their deadlines rest on. */
export function openFindings(findings: readonly ReportFindingLike[], endpoints: readonly EndpointLike[]): OpenFinding[] {
  const byKey = new Map(endpoints.map((e) => [e.key, e]));
  return findings.filter((f) => f.status === 'fail' || f.status === 'warn').map((f) => {
    const ep = byKey.get(f.endpointKey);
    const index = f.data['certificateIndex'];
    const cert = f.category === 'certificate' && index !== undefined ? ep?.certificates.find((c) => c.index === Number(index)) : undefined;
    return { id: f.id, checkId: f.checkId, severity: f.severity, observedAt: ep?.observedAt ?? '', certificateNotAfter: cert?.notAfter ?? null };
  });
}

interface PlanItem { readonly checkId: string; readonly severity: Severity }

/**
 * Puts each open finding's deadline on the remediation item of its check; the item is due by its
 * earliest finding's date.
 */
export function withDeadlines<T extends PlanItem>(items: readonly T[], open: readonly OpenFinding[], deadlines: Deadlines,
  firstSeenById?: ReadonlyMap<string, string>): (T & { findings: FindingDeadline[]; dueDate: string | null; deadlineDays: number | null })[] {
  const dated = findingDeadlines(open, deadlines, firstSeenById);
  return items.map((item) => {
    const findings = dated.filter((_, i) => open[i]!.checkId === item.checkId);
    const dues = findings.map((f) => f.dueDate).filter((d): d is string => d !== null).sort();
    return { ...item, findings, dueDate: dues[0] ?? null, deadlineDays: deadlines[item.severity] };
  });
}
