/**
 * ReportModel: the versioned contract between the pipeline and every renderer (HTML templates,
 * PDF code, JSON output). Renderers see nothing else. Adding a field is a minor change; renaming
 * or removing one bumps `schemaVersion`. Fields are documented with `.describe()`, so the JSON
 * Schema generated from this definition (templates/schema/, src/report/schema.ts) carries the text.
 */
import { z } from 'zod';
import { ServiceSchema, TransportSchema } from './endpoint.js';
import { FindingSchema, SeveritySchema } from './finding.js';
import { CONTROL_KINDS, COVERAGE, RELEVANCE } from './framework.js';
import { AttributionSchema, MailStateSchema } from './discovery.js';
import { InputProblemSchema } from './problem.js';
import { ReportExceptionsSchema } from './exceptions.js';
import { ReportHistorySchema } from './history.js';
import { SenderReportsSchema, SenderSessionsSchema } from './sender-reports.js';

export const REPORT_SCHEMA_VERSION = 1 as const;

/**
 * What a control's status may claim (mappings/README.md, "Verdict rules"): `pass` and `fail` only
 * for technical controls; `evidence` (shown as "Evidence supplied") when the report contributes
 * evidence but cannot decide the control; `not-graded` for definitions; `not-assessed` when
 * nothing linked could be judged; `risk-accepted` for a technical control that would fail or warn
 * but every finding that made it so is covered by an in-force exception (exceptions.yaml): still
 * not met, and never a pass.
 */
export const CONTROL_STATUSES = ['fail', 'warn', 'risk-accepted', 'pass', 'evidence', 'not-assessed', 'not-graded'] as const;
const ControlStatusSchema = z.enum(CONTROL_STATUSES);
export type ControlStatus = z.infer<typeof ControlStatusSchema>;

/** Zero for every status: the one place that knows the list. */
export function emptyControlCounts(): Record<ControlStatus, number> {
  return { fail: 0, warn: 0, 'risk-accepted': 0, pass: 0, evidence: 0, 'not-assessed': 0, 'not-graded': 0 };
}

const StatusCounts = z.strictObject({
  fail: z.number().int(), warn: z.number().int(),
  'risk-accepted': z.number().int().describe('Controls that would fail or warn, where every finding that made them so is an accepted risk (exceptions.yaml).'),
  pass: z.number().int(),
  evidence: z.number().int().describe('Controls the report supplies evidence for without grading them (process controls, and technical ones no full link decides).'),
  'not-assessed': z.number().int(),
  'not-graded': z.number().int().describe('Definitions: listed, never graded.'),
});
const FindingCounts = z.strictObject({
  fail: z.number().int(), warn: z.number().int(), pass: z.number().int(),
  'not-tested': z.number().int(), error: z.number().int(),
});
const SeverityCounts = z.strictObject({
  info: z.number().int(), low: z.number().int(), medium: z.number().int(), high: z.number().int(), critical: z.number().int(),
});

const CertificateSummarySchema = z.strictObject({
  index: z.number().int(),
  commonName: z.string().nullable(),
  subjectAltNames: z.array(z.string()),
  issuer: z.string().nullable(),
  notBefore: z.string().nullable(),
  notAfter: z.string().nullable(),
  daysLeft: z.number().int().nullable().describe('Whole days from the report date to notAfter; negative once expired.'),
  key: z.string().nullable().describe('e.g. "RSA 2048 bits".'),
  signatureAlgorithm: z.string().nullable(),
  trusted: z.boolean().nullable(),
  selfSigned: z.boolean().nullable(),
  hostnameMatch: z.boolean().nullable(),
  fingerprintSha256: z.string().nullable(),
  ocsp: z.strictObject({
    stapled: z.boolean().nullable().describe('Whether the server stapled an OCSP response; null when the input does not say.'),
    status: z.enum(['good', 'revoked', 'unknown']).nullable().describe('This certificate\'s status in the stapled response (the responder signature is not verified); null without one.'),
    revokedAt: z.string().nullable(),
    thisUpdate: z.string().nullable(),
    nextUpdate: z.string().nullable(),
  }).describe('OCSP stapling and the stapled status, as the scan input reported them.'),
});
export type CertificateSummary = z.infer<typeof CertificateSummarySchema>;

const EndpointSummarySchema = z.strictObject({
  key: z.string(),
  anchor: z.string().describe('Anchor-safe id for deep links (`ep-…`).'),
  label: z.string(),
  host: z.string(),
  ip: z.string().nullable(),
  port: z.number().int(),
  service: ServiceSchema,
  transport: TransportSchema,
  asset: z.string().nullable().describe('First (alphabetical) domain-list asset this endpoint belongs to, if any; `attribution` lists them all.'),
  attribution: z.array(AttributionSchema).describe('Every domain-list asset this endpoint belongs to (a shared MX belongs to each domain that uses it), each with the rule that tied it; empty when unlisted or without a domain list.'),
  frameworks: z.array(z.string()),
  observedAt: z.string(),
  observedAtSource: z.enum(['input', 'option', 'file-mtime']),
  tool: z.string().nullable(),
  scanState: z.enum(['completed', 'partial', 'failed']),
  scanProblems: z.array(z.string()),
  worstSeverity: SeveritySchema.nullable().describe('Worst severity among failing/warning findings; null when none.'),
  counts: FindingCounts,
  tlsAvailable: z.boolean().nullable(),
  startTlsOffered: z.boolean().nullable(),
  protocols: z.array(z.strictObject({ protocol: z.string(), offered: z.boolean().nullable() })),
  cipherClasses: z.array(z.strictObject({ cipherClass: z.string(), label: z.string(), offered: z.boolean().nullable() })),
  forwardSecrecy: z.boolean().nullable(),
  preferredCipher: z.string().nullable(),
  certificates: z.array(CertificateSummarySchema),
  findingIds: z.array(z.string()).describe('Ids of this endpoint\'s findings, worst first (all statuses).'),
  sourceFiles: z.array(z.string()),
});
export type EndpointSummary = z.infer<typeof EndpointSummarySchema>;

const AssetSchema = z.strictObject({
  domain: z.string(),
  owner: z.string(),
  businessUnit: z.string(),
  dataClasses: z.array(z.string()),
  frameworks: z.array(z.strictObject({ id: z.string(), reason: z.string() })).describe('Frameworks that apply, each with the reason (explicit column or a data class rule).'),
  notes: z.string(),
  extra: z.record(z.string(), z.string()).describe('Columns the domain list had that tlsproof does not interpret, kept as given.'),
  endpointKeys: z.array(z.string()).describe('Endpoints attributed to this asset (see EndpointSummary.attribution for why).'),
  mail: MailStateSchema.describe('accepts-mail: DNS named a mail host; null-mx: the domain takes no mail (RFC 7505), reached, not missing; dns-failed; no-mail-host: DNS named none (e.g. NXDOMAIN); unknown: no scan discovery among the inputs.'),
  source: z.strictObject({ file: z.string(), line: z.number().int() }),
});
export type Asset = z.infer<typeof AssetSchema>;

const ControlCheckLinkSchema = z.strictObject({
  checkId: z.string(),
  checkTitle: z.string(),
  coverage: z.enum(COVERAGE),
  rationale: z.string(),
  interpretation: z.boolean().describe('The link is our reading of the control, not its text.'),
  services: z.array(ServiceSchema).nullable().describe('Only findings on these services count for this link; null = every service.'),
  grading: z.string().nullable().describe('Id of the grading rule (ReportModel.grading) that limits what a failure of this check does here.'),
});

/** A property of the report itself that is evidence for a control, with its verdict for this framework. */
const ControlEvidenceSchema = z.strictObject({
  property: z.string(),
  title: z.string(),
  coverage: z.enum(COVERAGE),
  rationale: z.string(),
  interpretation: z.boolean(),
  status: z.enum(['pass', 'warn', 'fail', 'not-tested']).describe('`not-tested`: outside what tlsproof can see (e.g. where the report is stored).'),
  detail: z.string().describe('What was looked at and what was found.'),
});

const ControlResultSchema = z.strictObject({
  frameworkId: z.string(),
  id: z.string(),
  anchor: z.string().describe('Anchor-safe id for deep links (`ctl-…`).'),
  title: z.string(),
  paraphrase: z.string().describe('Our paraphrase of the control; never a quotation.'),
  obligation: z.string().nullable().describe('Required / addressable / shall / should… as the framework classifies it.'),
  aliases: z.array(z.strictObject({
    id: z.string(),
    text: z.string().describe('How the alias reads next to the control id, e.g. "formerly NASD Rule 3010 (superseded by FINRA 3110)".'),
  })).describe('Other ids for the same requirement (a superseded predecessor, a parallel numbering).'),
  effective: z.string().nullable().describe('Dates that matter, e.g. when a future-dated requirement became mandatory.'),
  source: z.string().nullable().describe('Document and section the citation was checked against.'),
  confidence: z.enum(['high', 'medium', 'low']),
  interpretation: z.boolean().describe('True when any link to this control is our reading rather than the text.'),
  unconfirmed: z.boolean().describe('The citation itself could not be confirmed; show it as such.'),
  kind: z.enum(CONTROL_KINDS).describe('technical: a TLS observation can decide it; process: the report supplies evidence, never a grade; definition: not graded.'),
  status: ControlStatusSchema,
  statusReason: z.string().describe('One sentence that says why the status is what it is.'),
  gradingNote: z.string().nullable().describe('Set when a grading rule changed what a finding did to this control (e.g. opportunistic STARTTLS).'),
  acceptedFrom: z.enum(['fail', 'warn']).nullable().describe('For a risk-accepted control: the status it would have without the exceptions; null otherwise.'),
  exceptionIds: z.array(z.string()).describe('In-force exceptions (exceptions.yaml) covering failing or warning findings of this control, sorted.'),
  checks: z.array(ControlCheckLinkSchema),
  evidence: z.array(ControlEvidenceSchema).describe('Report properties linked to this control, each with its verdict.'),
  findingIds: z.array(z.string()).describe('Failing and warning findings behind the status, worst first.'),
  counts: FindingCounts,
  endpointsAssessed: z.number().int(),
  domains: z.array(z.string()).describe('Domain-list assets in this framework\'s scope whose endpoints gave the findings behind the status (the failing and warning ones, else the passing ones); empty without a domain list.'),
});
export type ControlResult = z.infer<typeof ControlResultSchema>;

const FrameworkResultSchema = z.strictObject({
  id: z.string(),
  version: z.string(),
  title: z.string(),
  anchor: z.string(),
  versionDate: z.string().describe('Date of this version of the standard (yyyy, yyyy-mm or yyyy-mm-dd).'),
  relevance: z.enum(RELEVANCE).describe('direct: requires protection of data in transit; supporting: TLS results support other controls, not key controls; evidence: governs the evidence (dated, hashed, complete, retained) and is judged on properties of this report, not on TLS. /'),
  appliesTo: z.string().describe('Who the framework applies to.'),
  notes: z.string().nullable().describe('Caveats about the mapping as a whole (sources, dates, what is deliberately not mapped).'),
  source: z.strictObject({ document: z.string(), url: z.string(), retrieved: z.string() }),
  /** Endpoints this framework was evaluated on, and why; `assets` says it per domain-list asset. */
  scope: z.strictObject({
    endpointKeys: z.array(z.string()),
    reason: z.string(),
    assets: z.array(z.strictObject({ domain: z.string(), reason: z.string(), endpointKeys: z.array(z.string()), mail: MailStateSchema })),
  }),
  counts: StatusCounts,
  controls: z.array(ControlResultSchema),
});
export type FrameworkResult = z.infer<typeof FrameworkResultSchema>;

const ReportFindingSchema = FindingSchema.extend({
  title: z.string(),
  category: z.string(),
  remediation: z.string(),
  anchor: z.string().describe('Anchor-safe id for deep links (`f-…`).'),
  controls: z.array(z.strictObject({ frameworkId: z.string(), controlId: z.string(), anchor: z.string() })),
});
export type ReportFinding = z.infer<typeof ReportFindingSchema>;

const InputFileSchema = z.strictObject({
  file: z.string(),
  sha256: z.string(),
  bytes: z.number().int(),
  kind: z.string(),
  records: z.number().int(),
  problems: z.number().int(),
  notEvaluated: z.array(z.strictObject({ id: z.string(), records: z.number().int() }))
    .describe('Records read but not used because they carry a scanner verdict no tlsproof check evaluates, counted by row id (testssl.sh), most first.'),
});

const RemediationItemSchema = z.strictObject({
  checkId: z.string(),
  title: z.string(),
  severity: SeveritySchema,
  remediation: z.string(),
  endpointKeys: z.array(z.string()),
  controls: z.array(z.strictObject({ frameworkId: z.string(), controlId: z.string() })).describe('Controls that fail or warn because of this check; fixing it closes them.'),
  owners: z.array(z.strictObject({
    domain: z.string(),
    owner: z.string().describe('The owner column of the domain list; empty when the row names none.'),
    ticket: z.string().nullable().describe('The ticket column of the domain list (any header spelled "ticket"); null when there is none.'),
  })).describe('Who answers for the fix: each domain-list row whose endpoints the item affects, with its owner and ticket.'),
  findings: z.array(z.strictObject({
    id: z.string(),
    firstSeen: z.string().describe('When the finding was first seen open: from the evidence store\'s history, else the observation time.'),
    dueDate: z.string().nullable().describe('firstSeen + the deadline for its severity, never after the certificate\'s expiry (yyyy-MM-dd); null: no deadline.'),
  })).describe('Each open finding of this check with its own deadline (the same date the history section and tlsproof diff give it).'),
  dueDate: z.string().nullable().describe('The earliest due date among its findings: fix by then.'),
  deadlineDays: z.number().int().nullable().describe('Days the deadline policy allows for its severity (report.config.yaml remediationDeadlines, else the defaults).'),
});

export const VANTAGE_NETWORKS = ['internal', 'external', 'both'] as const;

const ScanSourceSchema = z.strictObject({
  file: z.string().describe('The input file (as given), or where tlsproof wrote the scan it made during this run.'),
  kind: z.string().describe('The input format (ingester id), or "tlsproof-scan" for a scan made during this run.'),
  tool: z.string().describe('The scanner as the input names it, with its version when known, e.g. "Nessus 10.7.3", "testssl.sh 3.0.8 with OpenSSL 3.0.19".'),
  version: z.string().nullable().describe('The scanner version alone; null when the input does not record it (testssl.sh CSV, Nessus CSV, Qualys).'),
  feed: z.string().nullable().describe('Plugin or vulnerability-test feed version, where the export states it.'),
  policy: z.string().nullable().describe('Scan policy, task, report template or command line, where the export states it.'),
  startedAt: z.string().nullable().describe('When the scan started (ISO 8601): from the export, else the earliest observation time; null without observations.'),
  endedAt: z.string().nullable().describe('When the scan ended (ISO 8601): from the export, else the latest observation time.'),
  timesFrom: z.enum(['export', 'observations', 'option', 'file-mtime']).nullable().describe(
    'Where startedAt/endedAt come from: the export\'s own scan times; the observations\' times stated in the input; --observed-at; or the file\'s modification time (no scan time at all).'),
  scannerAddress: z.string().nullable().describe('The address the scanner reports scanning from (Nessus "Scanner IP").'),
  note: z.string().nullable().describe('Anything else the input says about the run, e.g. that it was interrupted.'),
});
export type ScanSource = z.infer<typeof ScanSourceSchema>;

const ScanContextSchema = z.strictObject({
  sources: z.array(ScanSourceSchema).describe('One entry per scan-result input and per scan tlsproof made during the run, in input order.'),
  vantage: z.strictObject({
    network: z.enum(VANTAGE_NETWORKS).nullable().describe('Where the scans ran from, as report.config.yaml vantagePoint.network states it: internal, external or both; null when not stated.'),
    description: z.string().nullable().describe('report.config.yaml vantagePoint.description: the scanning host, network and firewall path in the user\'s words.'),
    known: z.array(z.string()).describe('What tlsproof itself knows about where scans ran from (its own scans, scanner addresses in the exports).'),
  }),
  caveats: z.array(z.string()).describe('Caveats that apply to these inputs, e.g. the time zone of testssl.sh certificate dates.'),
  limitations: z.array(z.string()).describe('What a TLS scan cannot show; always stated.'),
});
export type ScanContextModel = z.infer<typeof ScanContextSchema>;

export const ReportModelSchema = z.strictObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  report: z.strictObject({
    id: z.string(),
    title: z.string(),
    organisation: z.string(),
    period: z.strictObject({ label: z.string(), start: z.string(), end: z.string() }).nullable(),
    generatedAt: z.string().describe('When the report was generated (ISO 8601, UTC).'),
    reportDate: z.string().describe('The date the report speaks for (yyyy-MM-dd): expiry windows count from it.'),
  }),
  tool: z.strictObject({ name: z.string(), version: z.string() }),
  scope: z.strictObject({
    assets: z.array(AssetSchema),
    endpoints: z.array(EndpointSummarySchema),
    inputs: z.array(InputFileSchema),
    frameworksRequested: z.array(z.string()).nullable().describe('`--frameworks` as given, or null when the domain list (or scope.yaml\'s defaults) chose them.'),
    unlistedEndpointKeys: z.array(z.string()).describe('Endpoints seen in scan results that no domain-list row covers (only when a list was given).'),
    assetsWithoutResults: z.array(z.string()).describe('Domain-list rows for which no scan result was found (domains that take no mail are not among them).'),
    domainsWithoutMail: z.array(z.string()).describe('Domain-list rows whose DNS publishes a null MX (RFC 7505): they accept no mail, so there is no mail endpoint to assess.'),
  }),
  summary: z.strictObject({
    endpoints: z.number().int(),
    endpointsCompleted: z.number().int(),
    findingsBySeverity: SeverityCounts.describe('Failing and warning findings by severity.'),
    findingsByStatus: FindingCounts,
    endpointsByWorstSeverity: SeverityCounts.extend({ none: z.number().int() }),
    frameworks: z.array(z.strictObject({ id: z.string(), title: z.string(), version: z.string(), counts: StatusCounts })),
    senderSessions: SenderSessionsSchema.optional().describe('TLS-RPT totals per policy domain for this run; kept with the run in the evidence store, from which later runs draw the trend. Absent when no reports were given.'),
  }),
  frameworks: z.array(FrameworkResultSchema),
  findings: z.array(ReportFindingSchema),
  remediation: z.array(RemediationItemSchema),
  checks: z.array(z.strictObject({
    id: z.string(), title: z.string(),
    passedTitle: z.string().describe('What a passing outcome verified ("SSL 2.0 not offered"); the title names the problem looked for.'),
    severity: SeveritySchema, category: z.string(),
    description: z.string(), remediation: z.string(), mapped: z.boolean(),
  })),
  problems: z.array(InputProblemSchema),
  scanContext: ScanContextSchema.describe('Scan context and limitations: every tool and version behind the inputs, scan times, where the scans ran from, and what a TLS scan cannot show.'),
  /** Grading rules applied to every control (mappings/grading.yaml), for the methodology section. */
  grading: z.array(z.strictObject({
    id: z.string(), title: z.string(), statement: z.string(), basis: z.string(),
    services: z.array(ServiceSchema), failAs: z.string(),
  })),
  exceptions: ReportExceptionsSchema,
  history: ReportHistorySchema.nullable().optional().describe('Comparison with the previous period from the evidence store; null or absent when no store was used or it held no earlier run.'),
  evidence: z.strictObject({
    chainHead: z.strictObject({
      seq: z.number().int().describe('Run number of that run in the store.'),
      sha256: z.string().describe('Its chain hash: SHA-256 over the previous run\'s chain hash and every stored row of runs 1..seq, as `tlsproof store verify` recomputes it.'),
    }).nullable().describe('The newest run in the evidence store when this report was made (earlier runs of this same report left out), which the history section was read from; this report\'s own run is recorded after it. Null when the store held no run yet. An auditor who keeps this value can later check, with `tlsproof store verify --head SEQ:SHA256`, that runs 1..seq were not changed or removed.'),
  }).nullable().optional().describe('The evidence store behind this report; null when no store was used (--no-store), absent in models made before this field.'),
  senderReports: SenderReportsSchema.nullable().optional().describe('What sending servers saw: TLS-RPT aggregate reports (RFC 8460) per policy domain, receiving MX, reporting organisation and date range. Null or absent when no reports were among the inputs.'),
});
export type ReportModel = z.infer<typeof ReportModelSchema>;
