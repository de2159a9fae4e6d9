/**
 * The `history` section of the ReportModel (and the output of `tlsproof diff --json`): what changed
 * since the previous period, how long problems stayed open, what is overdue, which certificates
 * expire next, and the trend over the last periods. The computation lives in src/history;
 * this is only the shape, part of the model every stage shares.
 */
import { z } from 'zod';
import { FindingStatusSchema, SeveritySchema } from './finding.js';

const int = () => z.number().int();

const PeriodRefSchema = z.strictObject({
  /** Canonical form: "2026-Q3", "FY2027-Q1", "2026-07-01..2026-09-30". */
  id: z.string(),
  label: z.string(),
  /** yyyy-MM-dd, inclusive. */
  start: z.string(),
  /** yyyy-MM-dd, inclusive. */
  end: z.string(),
});
export type PeriodRef = z.infer<typeof PeriodRefSchema>;

/** One finding (one check on one endpoint) followed across periods. */
const HistoryFindingSchema = z.strictObject({
  /** `<checkId>@<endpointKey>` (plus `#n` for a check with one outcome per certificate). */
  findingId: z.string(),
  checkId: z.string(),
  title: z.string(),
  endpointKey: z.string(),
  endpointLabel: z.string(),
  severity: SeveritySchema,
  /** Status in the period's state (`pass` for a resolved finding, `not-tested` when it could not be re-checked). */
  status: FindingStatusSchema,
  /** First observation (ISO 8601) of the unbroken run of observations in which it was open. */
  firstSeen: z.string(),
  /** Last observation in which it was open. */
  lastSeenOpen: z.string(),
  /**
   * Resolved: the first observation that showed it fixed. Regressed: when the earlier occurrence was
   * seen fixed before it came back. Otherwise null.
   */
  fixedAt: z.string().nullable(),
  /** Open: whole days from firstSeen to the as-of date. Resolved: days from firstSeen to fixedAt. */
  ageDays: int(),
  /** firstSeen + the deadline for its severity (yyyy-MM-dd); null when the severity has none. */
  dueDate: z.string().nullable(),
  /** Days past dueDate (at the as-of date, or when fixed); null when not late. */
  daysOverdue: int().nullable(),
});
export type HistoryFinding = z.infer<typeof HistoryFindingSchema>;

/** A finding of the previous period that a worse finding of another check on the same endpoint now reports. */
const SupersededFindingSchema = HistoryFindingSchema.extend({
  supersededBy: z.strictObject({
    findingId: z.string(),
    checkId: z.string(),
    title: z.string(),
    /** The list of this comparison that counts the worse finding. */
    change: z.enum(['new', 'persisting', 'regressed']),
  }),
});
export type SupersededFinding = z.infer<typeof SupersededFindingSchema>;

const SeverityDays = z.strictObject({
  info: int().nullable(), low: int().nullable(), medium: int().nullable(), high: int().nullable(), critical: int().nullable(),
});
const SeverityCounts = z.strictObject({ info: int(), low: int(), medium: int(), high: int(), critical: int() });
// `evidence` and `not-graded` came with the verdict rules, `risk-accepted` with the exception
// register; comparisons kept from before read as 0.
const ControlCounts = z.strictObject({
  fail: int(), warn: int(), 'risk-accepted': int().default(0), pass: int(), evidence: int().default(0), 'not-assessed': int(), 'not-graded': int().default(0),
});

const ExceptionRegisterRef = z.strictObject({
  runSeq: int(),
  /** The date the run's report judged its register on. */
  reportDate: z.string(),
  /** The exceptions file the run applied (as its report cited it) and the SHA-256 of the content the store kept; null: none applied. */
  source: z.strictObject({ file: z.string(), sha256: z.string() }).nullable(),
}).nullable();

const ExceptionChange = {
  id: z.string(),
  /** yyyy-MM-dd: the last day the exception applies. */
  expires: z.string(),
  /** "Name (role)". */
  approver: z.string(),
  ticket: z.string(),
};

/**
 * The entry's approval date (yyyy-MM-dd) when it is after the later register's report date: nobody
 * had approved it on that date, so it accepted nothing yet; null when it was approved by then.
 */
const PendingApproval = z.string().nullable().default(null);

/**
 * The exception register's changes between the two periods: each period's register is the
 * exceptions file kept with the last run recorded for it, judged on that run's report date.
 */
const ExceptionChangesSchema = z.strictObject({
  /** The earlier period's run and its register; null when no run speaks for that period. */
  previous: ExceptionRegisterRef,
  current: ExceptionRegisterRef,
  /** In the later register, not in the earlier one (`lapsed`: already past its expiry on the later report date). */
  added: z.array(z.strictObject({ ...ExceptionChange, lapsed: z.boolean(), pendingApproval: PendingApproval })),
  /**
   * In both registers, approved after the earlier report date and by the later one: not in force
   * then, in force from its approval date (`approvedOn`). Comparisons kept from before read as empty.
   */
  approved: z.array(z.strictObject({ ...ExceptionChange, approvedOn: z.string() })).default([]),
  /** In force on the earlier report date, lapsed by the later one (`stillListed`: still in the file). */
  expired: z.array(z.strictObject({ ...ExceptionChange, expiredOn: z.string(), stillListed: z.boolean() })),
  /** In the earlier register, gone from the later one without lapsing in between (`alreadyLapsed`: it had lapsed before the earlier report date). */
  removed: z.array(z.strictObject({ ...ExceptionChange, alreadyLapsed: z.boolean() })),
  /** In both, with different terms: each field that changed, old and new. */
  changed: z.array(z.strictObject({ ...ExceptionChange, fields: z.array(z.strictObject({ field: z.string(), from: z.string(), to: z.string() })), pendingApproval: PendingApproval })),
  notes: z.array(z.string()),
});
export type ExceptionChanges = z.infer<typeof ExceptionChangesSchema>;

export const PeriodComparisonSchema = z.strictObject({
  period: PeriodRefSchema,
  previousPeriod: PeriodRefSchema,
  /** The date open findings are aged and judged overdue at: the period's end, or the report date if earlier. */
  asOf: z.string(),
  /** Stored runs the comparison read. */
  runsConsidered: int(),
  /** Endpoints in each period's state (the last observation of each endpoint inside the period). */
  endpoints: z.strictObject({ current: int(), previous: int() }),
  /** Open (failing or warning) in this period's state and not in the previous one's, never open before. */
  new: z.array(HistoryFindingSchema),
  /** Open in the previous period's state, re-checked and not open in this one's. */
  resolved: z.array(HistoryFindingSchema),
  /** Open in both periods' states (or open since before the previous period ended). */
  persisting: z.array(HistoryFindingSchema),
  /** Open again after an observation had shown it fixed. */
  regressed: z.array(HistoryFindingSchema),
  /** Open in the previous period's state, but this period's scan could not test it: neither fixed nor open. */
  unverified: z.array(HistoryFindingSchema),
  /**
   * Open in the previous period's state and not tested in this one because another check on the
   * same endpoint now reports the same condition worse (an expiring certificate that has since
   * expired): neither fixed nor unknown, and counted once, as the finding in `supersededBy`.
   * Comparisons kept from before read as empty.
   */
  superseded: z.array(SupersededFindingSchema).default([]),
  endpointsAdded: z.array(z.strictObject({ key: z.string(), label: z.string(), firstSeen: z.string() })),
  endpointsRemoved: z.array(z.strictObject({ key: z.string(), label: z.string(), lastSeen: z.string(), openFindings: int() })),
  remediation: z.strictObject({
    /** Days allowed per severity (null: no deadline). */
    deadlines: SeverityDays,
    /** Open findings past their due date at the as-of date, most overdue first. */
    overdue: z.array(HistoryFindingSchema),
    /** Findings seen fixed during this period: days from first seen to seen fixed, per severity. */
    timeToRemediate: z.array(z.strictObject({
      severity: SeveritySchema,
      resolved: int(),
      medianDays: z.number().nullable(),
      worstDays: int().nullable(),
    })),
  }),
  /** Certificates in this period's state that expire during the next period, by date. */
  certificateForecast: z.strictObject({
    period: PeriodRefSchema,
    certificates: z.array(z.strictObject({
      notAfter: z.string(),
      /** Whole days from the as-of date to notAfter. */
      daysLeft: int(),
      commonName: z.string().nullable(),
      issuer: z.string().nullable(),
      serial: z.string().nullable(),
      fingerprintSha256: z.string().nullable(),
      endpointKeys: z.array(z.string()),
    })),
  }),
  /** Oldest first, ending with this period: open findings by severity and control status per framework. */
  trend: z.array(z.strictObject({
    period: PeriodRefSchema,
    hasData: z.boolean(),
    endpoints: int(),
    openBySeverity: SeverityCounts,
    frameworks: z.array(z.strictObject({ id: z.string(), version: z.string(), counts: ControlCounts })),
  })),
  /** Caveats a reader needs, e.g. observations of this run that fall outside the period. */
  notes: z.array(z.string()),
  /** Exceptions added, expired, removed and changed between the periods (tlsproof diff); absent when not computed. */
  exceptions: ExceptionChangesSchema.optional(),
});
export type PeriodComparison = z.infer<typeof PeriodComparisonSchema>;

/** ReportModel.history: the comparison, or null when no earlier run is stored. */
export const ReportHistorySchema = PeriodComparisonSchema;
export type ReportHistory = PeriodComparison;
