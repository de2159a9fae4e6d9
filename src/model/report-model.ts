/**
 * ReportModel: the versioned contract between the pipeline and every renderer (HTML templates,
 * PDF code, JSON output). Renderers see nothing else. Adding a field is a minor change; renaming
 * or removing one bumps `schemaVersion`. The JSON Schema is generated from this definition.
 */
import { z } from 'zod';
import { EndpointSchema, ServiceSchema, TransportSchema } from './endpoint.js';
import { FindingSchema, FindingStatusSchema, SeveritySchema } from './finding.js';
import { InputProblemSchema } from './problem.js';

export const REPORT_SCHEMA_VERSION = 1 as const;

export const ControlStatusSchema = z.enum(['fail', 'warn', 'pass', 'not-assessed']);
export type ControlStatus = z.infer<typeof ControlStatusSchema>;

const StatusCounts = z.strictObject({
  fail: z.number().int(), warn: z.number().int(), pass: z.number().int(), 'not-assessed': z.number().int(),
});
const FindingCounts = z.strictObject({
  fail: z.number().int(), warn: z.number().int(), pass: z.number().int(),
  'not-tested': z.number().int(), error: z.number().int(),
});
const SeverityCounts = z.strictObject({
  info: z.number().int(), low: z.number().int(), medium: z.number().int(), high: z.number().int(), critical: z.number().int(),
});

export const CertificateSummarySchema = z.strictObject({
  index: z.number().int(),
  commonName: z.string().nullable(),
  subjectAltNames: z.array(z.string()),
  issuer: z.string().nullable(),
  notBefore: z.string().nullable(),
  notAfter: z.string().nullable(),
  /** Whole days from the report date to notAfter; negative once expired. */
  daysLeft: z.number().int().nullable(),
  /** e.g. "RSA 2048 bits". */
  key: z.string().nullable(),
  signatureAlgorithm: z.string().nullable(),
  trusted: z.boolean().nullable(),
  selfSigned: z.boolean().nullable(),
  hostnameMatch: z.boolean().nullable(),
  fingerprintSha256: z.string().nullable(),
});
export type CertificateSummary = z.infer<typeof CertificateSummarySchema>;

export const EndpointSummarySchema = z.strictObject({
  key: z.string(),
  /** Anchor-safe id for deep links (`ep-…`). */
  anchor: z.string(),
  label: z.string(),
  host: z.string(),
  ip: z.string().nullable(),
  port: z.number().int(),
  service: ServiceSchema,
  transport: TransportSchema,
  /** Domain-list asset this endpoint belongs to, if any. */
  asset: z.string().nullable(),
  frameworks: z.array(z.string()),
  observedAt: z.string(),
  observedAtSource: z.enum(['input', 'option', 'file-mtime']),
  tool: z.string().nullable(),
  scanState: z.enum(['completed', 'partial', 'failed']),
  scanProblems: z.array(z.string()),
  /** Worst severity among failing/warning findings; null when none. */
  worstSeverity: SeveritySchema.nullable(),
  counts: FindingCounts,
  tlsAvailable: z.boolean().nullable(),
  startTlsOffered: z.boolean().nullable(),
  protocols: z.array(z.strictObject({ protocol: z.string(), offered: z.boolean().nullable() })),
  cipherClasses: z.array(z.strictObject({ cipherClass: z.string(), label: z.string(), offered: z.boolean().nullable() })),
  forwardSecrecy: z.boolean().nullable(),
  preferredCipher: z.string().nullable(),
  certificates: z.array(CertificateSummarySchema),
  /** Ids of this endpoint's findings, worst first (all statuses). */
  findingIds: z.array(z.string()),
  sourceFiles: z.array(z.string()),
});
export type EndpointSummary = z.infer<typeof EndpointSummarySchema>;

export const AssetSchema = z.strictObject({
  domain: z.string(),
  owner: z.string(),
  businessUnit: z.string(),
  dataClasses: z.array(z.string()),
  /** Frameworks that apply, each with the reason (explicit column or a data class rule). */
  frameworks: z.array(z.strictObject({ id: z.string(), reason: z.string() })),
  notes: z.string(),
  /** Columns the domain list had that tlsproof does not interpret, kept as given. */
  extra: z.record(z.string(), z.string()),
  endpointKeys: z.array(z.string()),
  source: z.strictObject({ file: z.string(), line: z.number().int() }),
});
export type Asset = z.infer<typeof AssetSchema>;

export const ControlCheckLinkSchema = z.strictObject({
  checkId: z.string(),
  checkTitle: z.string(),
  coverage: z.enum(['full', 'partial']),
  rationale: z.string(),
});

export const ControlResultSchema = z.strictObject({
  frameworkId: z.string(),
  id: z.string(),
  /** Anchor-safe id for deep links (`ctl-…`). */
  anchor: z.string(),
  title: z.string(),
  /** Our paraphrase of the control; never a quotation. */
  paraphrase: z.string(),
  /** Required / addressable / shall / should… as the framework classifies it. */
  obligation: z.string().nullable(),
  status: ControlStatusSchema,
  /** One sentence that says why the status is what it is. */
  statusReason: z.string(),
  checks: z.array(ControlCheckLinkSchema),
  /** Failing and warning findings behind the status, worst first. */
  findingIds: z.array(z.string()),
  counts: FindingCounts,
  endpointsAssessed: z.number().int(),
});
export type ControlResult = z.infer<typeof ControlResultSchema>;

export const FrameworkResultSchema = z.strictObject({
  id: z.string(),
  version: z.string(),
  title: z.string(),
  anchor: z.string(),
  source: z.strictObject({ document: z.string(), url: z.string(), retrieved: z.string() }),
  /** Endpoints this framework was evaluated on, and why. */
  scope: z.strictObject({ endpointKeys: z.array(z.string()), reason: z.string() }),
  counts: StatusCounts,
  controls: z.array(ControlResultSchema),
});
export type FrameworkResult = z.infer<typeof FrameworkResultSchema>;

export const ReportFindingSchema = FindingSchema.extend({
  title: z.string(),
  category: z.string(),
  remediation: z.string(),
  /** Anchor-safe id for deep links (`f-…`). */
  anchor: z.string(),
  controls: z.array(z.strictObject({ frameworkId: z.string(), controlId: z.string(), anchor: z.string() })),
});
export type ReportFinding = z.infer<typeof ReportFindingSchema>;

export const InputFileSchema = z.strictObject({
  file: z.string(),
  sha256: z.string(),
  bytes: z.number().int(),
  kind: z.string(),
  records: z.number().int(),
  problems: z.number().int(),
});
export type InputFile = z.infer<typeof InputFileSchema>;

export const RemediationItemSchema = z.strictObject({
  checkId: z.string(),
  title: z.string(),
  severity: SeveritySchema,
  remediation: z.string(),
  endpointKeys: z.array(z.string()),
  /** Controls that fail or warn because of this check; fixing it closes them. */
  controls: z.array(z.strictObject({ frameworkId: z.string(), controlId: z.string() })),
});

export const ReportModelSchema = z.strictObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  report: z.strictObject({
    id: z.string(),
    title: z.string(),
    organisation: z.string(),
    period: z.strictObject({ label: z.string(), start: z.string(), end: z.string() }).nullable(),
    /** When the report was generated (ISO 8601, UTC). */
    generatedAt: z.string(),
    /** The date the report speaks for (yyyy-MM-dd): expiry windows count from it. */
    reportDate: z.string(),
  }),
  tool: z.strictObject({ name: z.string(), version: z.string() }),
  scope: z.strictObject({
    assets: z.array(AssetSchema),
    endpoints: z.array(EndpointSummarySchema),
    inputs: z.array(InputFileSchema),
    /** `--frameworks` as given, or null when every loaded framework was used. */
    frameworksRequested: z.array(z.string()).nullable(),
    /** Endpoints seen in scan results that no domain-list row covers (only when a list was given). */
    unlistedEndpointKeys: z.array(z.string()),
    /** Domain-list rows for which no scan result was found. */
    assetsWithoutResults: z.array(z.string()),
  }),
  summary: z.strictObject({
    endpoints: z.number().int(),
    endpointsCompleted: z.number().int(),
    /** Failing and warning findings by severity. */
    findingsBySeverity: SeverityCounts,
    findingsByStatus: FindingCounts,
    endpointsByWorstSeverity: SeverityCounts.extend({ none: z.number().int() }),
    frameworks: z.array(z.strictObject({ id: z.string(), title: z.string(), version: z.string(), counts: StatusCounts })),
  }),
  frameworks: z.array(FrameworkResultSchema),
  findings: z.array(ReportFindingSchema),
  remediation: z.array(RemediationItemSchema),
  checks: z.array(z.strictObject({
    id: z.string(), title: z.string(), severity: SeveritySchema, category: z.string(),
    description: z.string(), remediation: z.string(), mapped: z.boolean(),
  })),
  problems: z.array(InputProblemSchema),
});
export type ReportModel = z.infer<typeof ReportModelSchema>;

export { EndpointSchema, FindingStatusSchema };
