/**
 * The exception register (`exceptions.yaml`): findings an organisation has decided, on the record,
 * not to fix yet. Each entry says which findings it covers (by check and endpoint, or by control),
 * why, what compensates, who approved it and until when. One definition serves the loader
 * (src/map/exceptions-file.ts), the published JSON Schema (templates/schema/exceptions.v1.json) and
 * the ReportModel. Rules a schema cannot state (known controls, the maximum duration, unique ids)
 * are checked by the loader with the file's line and column.
 */
import { z } from 'zod';
import { ServiceSchema } from './endpoint.js';
import { CheckLinkSchema } from './framework.js';

export const EXCEPTIONS_FORMAT = 'tlsproof-exceptions/v1' as const;

/** Longest an exception may run from approval to expiry unless report.config.yaml says otherwise. */
export const DEFAULT_EXCEPTION_MAX_MONTHS = 12;

/** Days before expiry from which an in-force exception is flagged as expiring soon. */
export const EXPIRING_SOON_DAYS = 30;

/**
 * - `active`: in force on the report date and matches at least one finding;
 * - `expiring-soon`: in force, matches, and expires within EXPIRING_SOON_DAYS of the report date;
 * - `expired`: its expiry date is before the report date, so it no longer covers anything (the
 *   findings it matched are reported as open, marked "exception expired on …");
 * - `stale`: in force but matches no finding of this report (fixed, renamed or mistyped): listed,
 *   never silently ignored;
 * - `not-yet-approved`: approved after the report date, so on that date nobody had accepted the
 *   risk yet: it covers nothing, and the findings it matches are reported open.
 */
const EXCEPTION_STATES = ['active', 'expiring-soon', 'expired', 'stale', 'not-yet-approved'] as const;
const ExceptionStateSchema = z.enum(EXCEPTION_STATES);
export type ExceptionState = z.infer<typeof ExceptionStateSchema>;

/** A calendar date written yyyy-mm-dd that exists (no 2026-02-30). */
const IsoDateSchema = z.string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written yyyy-mm-dd, e.g. "2026-03-31" (quote it)')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'is not a calendar date (check the month and the day)');

const Text = (min: number, what: string) => z.string().trim().min(min, `must not be empty: ${what}`);

/** A glob over names: `*` any run of characters, `?` one character; matched without case. */
const Pattern = z.string().trim().min(1, 'must not be empty')
  .describe('A name, or a glob where * matches any run of characters and ? one character (case-insensitive), e.g. "*.partner.example".');

/** `framework:control`, e.g. `pci-dss:4.2.1` or `hipaa:164.312(e)(1)`; the framework may name a version (`pci-dss@4.0.1:4.2.1`). */
const ControlRefSchema = z.string()
  .regex(/^[a-z0-9][a-z0-9-]*(@[^:\s]+)?:\S.*$/, 'must be written framework:control, e.g. "pci-dss:4.2.1" or "hipaa:164.312(e)(1)"')
  .describe('A control as framework:control (framework id, optionally @version), e.g. "pci-dss:4.2.1".');

const ExceptionMatchSchema = z.strictObject({
  // The mapping files' own enum instance, so an unknown id gets the same message (valid ids, closest match).
  checks: z.array(CheckLinkSchema.shape.check).min(1).optional()
    .describe('Check ids (tlsproof checks, e.g. proto-tls10) whose findings the exception covers.'),
  controls: z.array(ControlRefSchema).min(1).optional()
    .describe('Controls (framework:control) whose failing or warning findings the exception covers, whatever check produced them.'),
  hosts: z.array(Pattern).min(1).optional().describe('Endpoint host names or globs; the finding\'s host must match one.'),
  ips: z.array(Pattern).min(1).optional().describe('Endpoint IP addresses or globs (e.g. "192.0.2.*"); the finding\'s address must match one.'),
  ports: z.array(z.number().int().min(1).max(65535)).min(1).optional().describe('Endpoint ports.'),
  services: z.array(ServiceSchema).min(1).optional().describe('Endpoint services (smtp, submission, imaps…).'),
  domains: z.array(Pattern).min(1).optional()
    .describe('Domain-list domains or globs; the finding\'s endpoint must belong to one of them (needs a domain list).'),
}).refine((m) => m.checks !== undefined || m.controls !== undefined, {
  message: 'must name what is accepted: give checks (e.g. [proto-tls10]) or controls (e.g. ["pci-dss:4.2.1"]), or both',
}).describe('Which findings the exception covers: every key given must match (checks and controls are required alternatives; when both are given a finding must satisfy both).');

export const ExceptionEntrySchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be an id of letters, digits, ".", "_" and "-", e.g. "EXC-2026-001"')
    .describe('Unique id of the exception in your register, e.g. "EXC-2026-001".'),
  match: ExceptionMatchSchema,
  justification: Text(10, 'say why the risk is accepted').describe('Why the risk is accepted rather than fixed now.'),
  compensatingControl: Text(3, 'say what reduces the risk meanwhile (or "none")').describe('What reduces the risk until it is fixed.'),
  approver: z.strictObject({
    name: Text(1, 'the person who accepted the risk'),
    role: Text(1, 'their role, e.g. CISO'),
  }).describe('Who accepted the risk.'),
  approvedOn: IsoDateSchema.describe('When the risk was accepted (yyyy-mm-dd).'),
  ticket: Text(1, 'the change or risk ticket').describe('The ticket or risk-register reference.'),
  expires: IsoDateSchema.describe('Last day the exception applies (yyyy-mm-dd); required, and at most the maximum duration (default 12 months) after approvedOn.'),
});
export type ExceptionEntry = z.infer<typeof ExceptionEntrySchema>;

export const ExceptionsFileSchema = z.strictObject({
  schema: z.literal(EXCEPTIONS_FORMAT).describe('Version of this file format.'),
  exceptions: z.array(ExceptionEntrySchema).describe('The exception register; may be empty.'),
});

/** A loaded entry: the entry and the line it starts on, for messages and the register. */
export interface LoadedExceptionEntry extends ExceptionEntry {
  readonly line: number;
}

/** The ReportModel's view of the register (ReportModel.exceptions). */
const ReportExceptionEntrySchema = ExceptionEntrySchema.extend({
  line: z.number().int().describe('Line of the entry in the exceptions file.'),
  state: ExceptionStateSchema.describe('active, expiring-soon (expires within 30 days of the report date), expired (no longer applies), stale (in force, matches nothing in this report) or not-yet-approved (approved after the report date, so it does not apply yet).'),
  matchedFindingIds: z.array(z.string()).describe('Failing and warning findings the entry matches in this report, worst first (for an expired or not yet approved entry: the findings it would cover, reported open).'),
});
export type ReportExceptionEntry = z.infer<typeof ReportExceptionEntrySchema>;

export const ReportExceptionsSchema = z.strictObject({
  source: z.strictObject({ file: z.string(), sha256: z.string() }).nullable()
    .describe('The exceptions file the report used and its SHA-256; null when none was used.'),
  maxMonths: z.number().int().describe('Longest duration from approval to expiry the register allowed (report.config.yaml exceptions.maxMonths, default 12).'),
  entries: z.array(ReportExceptionEntrySchema),
  counts: z.strictObject({
    open: z.number().int().describe('Failing and warning findings no in-force exception covers (lapsed ones included).'),
    accepted: z.number().int().describe('Failing and warning findings covered by an in-force exception.'),
    lapsed: z.number().int().describe('Failing and warning findings whose exception expired before the report date (counted in open too).'),
  }),
}).describe('The exception register (exceptions.yaml) as applied to this report.');
export type ReportExceptions = z.infer<typeof ReportExceptionsSchema>;

/** A report built without an exceptions file. */
export function emptyReportExceptions(maxMonths: number = DEFAULT_EXCEPTION_MAX_MONTHS): ReportExceptions {
  return { source: null, maxMonths, entries: [], counts: { open: 0, accepted: 0, lapsed: 0 } };
}

/** On a finding covered by an in-force exception. */
export const FindingAcceptanceSchema = z.strictObject({
  exceptionId: z.string(),
  expires: z.string().describe('yyyy-mm-dd: the last day the acceptance applies.'),
  state: z.enum(['active', 'expiring-soon']),
}).describe('The finding is an accepted risk under this exception: its evidence and status are unchanged; it is not counted as open.');
export type FindingAcceptance = z.infer<typeof FindingAcceptanceSchema>;

/** On a finding an exception covered until it expired before the report date. */
export const LapsedExceptionSchema = z.strictObject({
  exceptionId: z.string(),
  expiredOn: z.string().describe('yyyy-mm-dd: the exception\'s expiry date; the finding is open again.'),
}).describe('An exception covered this finding but expired before the report date: the finding is open again.');
export type LapsedException = z.infer<typeof LapsedExceptionSchema>;
