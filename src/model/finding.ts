/**
 * A finding is the verdict of one check on one endpoint, with the evidence behind it.
 */
import { z } from 'zod';
import { EndpointSchema } from './endpoint.js';
import { SourceRefSchema } from './source.js';
import { FindingAcceptanceSchema, LapsedExceptionSchema } from './exceptions.js';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

/** Rank for sorting: higher is worse. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

const FINDING_STATUSES = ['fail', 'warn', 'pass', 'not-tested', 'error'] as const;
export const FindingStatusSchema = z.enum(FINDING_STATUSES);
export type FindingStatus = z.infer<typeof FindingStatusSchema>;

const EvidenceSchema = z.strictObject({
  /** One line saying what the record shows, e.g. "TLS1: offered". */
  summary: z.string(),
  source: SourceRefSchema,
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const FindingSchema = z.strictObject({
  /** Stable id within a report: `<checkId>@<endpointKey>`. */
  id: z.string(),
  checkId: z.string(),
  endpoint: EndpointSchema,
  endpointKey: z.string(),
  status: FindingStatusSchema,
  severity: SeveritySchema,
  messageId: z.string(),
  /** The check's message with its data filled in. */
  message: z.string(),
  data: z.record(z.string(), z.union([z.string(), z.number()])),
  evidence: z.array(EvidenceSchema),
  /** Set when an in-force exception (exceptions.yaml) covers this failing or warning finding; status and evidence stay as found. */
  acceptance: FindingAcceptanceSchema.optional(),
  /** Set when an exception covered this finding but expired before the report date: it is open again. */
  lapsedException: LapsedExceptionSchema.optional(),
});
export type Finding = z.infer<typeof FindingSchema>;
