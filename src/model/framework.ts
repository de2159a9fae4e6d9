/**
 * The mapping file format (`mappings/<framework-id>/<version>.yaml`): a framework, its controls,
 * and for each control the evidence for it — tlsproof checks, and for frameworks that govern the
 * evidence itself, properties of the report. One definition serves the loader (zod strictObject:
 * an unknown key is an error) and the published JSON Schemas (src/map/schema.ts). The same goes
 * for the two other data files, `mappings/scope.yaml` and `mappings/grading.yaml`.
 */
import { z } from 'zod';
import { ServiceSchema } from './endpoint.js';

export const MAPPING_FORMAT = 'tlsproof-mapping/v1' as const;
export const SCOPE_FORMAT = 'tlsproof-scope/v1' as const;
export const GRADING_FORMAT = 'tlsproof-grading/v1' as const;

/**
 * Properties of the report itself, for the controls of frameworks that govern records and evidence
 * (SEC 17a-4, FINRA 4511, FRCP/FRE, SOX 802) rather than TLS. build-model evaluates them from the
 * report's own content (src/map/evidence.ts); none is a check, and none looks at a server.
 */
export const EVIDENCE_PROPERTIES = {
  'report-dated': {
    title: 'Report and observations are dated',
    description: 'The report records when it was generated and, for every endpoint, when the scan behind it ran.',
  },
  'inputs-hashed': {
    title: 'Inputs identified by SHA-256 digest',
    description: 'Every input file is recorded with its SHA-256 digest, so a retained copy can be shown to be unaltered.',
  },
  'tool-identified': {
    title: 'Tools and versions identified',
    description: 'The report names the tlsproof version that built it and the scanner that produced each result.',
  },
  'crypto-inventory': {
    title: 'Protocol, cipher and certificate inventory',
    description: 'For every in-scope endpoint the report lists the protocol versions and cipher classes it accepts and its certificates (issuer, key, signature, validity dates).',
  },
  'scope-complete': {
    title: 'Requested scope reached',
    description: 'Every in-scope asset of the domain list has scan results, every scan completed, and no input row was skipped.',
  },
  'records-retained': {
    title: 'Report retained for the required period',
    description: 'The report is kept for the period the rule sets, on storage that meets it. tlsproof cannot see where reports are stored, so this is never assessed by the tool.',
  },
} as const satisfies Record<string, { title: string; description: string }>;
export type EvidencePropertyId = keyof typeof EVIDENCE_PROPERTIES;
export const EVIDENCE_PROPERTY_IDS = Object.keys(EVIDENCE_PROPERTIES) as [EvidencePropertyId, ...EvidencePropertyId[]];

/**
 * How much of a control a link speaks to. Only `full` links decide a technical control (PASS or
 * FAIL); `partial` and `indirect` links can raise it to WARN and are shown as supporting evidence.
 */
export const COVERAGE = ['full', 'partial', 'indirect'] as const;
export type Coverage = (typeof COVERAGE)[number];
const Coverage = z.enum(COVERAGE)
  .describe('full: a failing result is, on its own, a breach of a clause the control states; partial: evidence for part of the control, or evidence that needs context or our reading; indirect: supporting evidence only (the control does not itself speak to TLS); its rationale starts "Indirect evidence".');
const Rationale = z.string().min(10)
  .describe('One line an auditor can read: why this is evidence for this control. Start it with "Our reading:" when interpretation is true.');
const Interpretation = z.boolean().default(false)
  .describe('True when this link is our reading of the control, not its text (marked "interp." in the reference).');

export const CheckLinkSchema = z.strictObject({
  // Any string here: the model does not list the checks. The loader (map/load.ts) refuses an id the
  // check registry does not know, and the published JSON Schema (map/schema.ts) lists the ids.
  check: z.string().min(1).describe('A tlsproof check id (the registry in src/checks/index.ts).'),
  coverage: Coverage,
  rationale: Rationale,
  interpretation: Interpretation,
  /** Only findings on these services count for this control (e.g. IMAP for an IMAP-only RFC). */
  services: z.array(ServiceSchema).min(1).optional()
    .describe('Only findings on these services count for this link (e.g. [imap] for a rule about IMAP); all services when left out.'),
  /** Id of a rule in mappings/grading.yaml that limits what a failing result does to this control. */
  grading: z.string().min(1).optional()
    .describe('Id of a rule in mappings/grading.yaml (e.g. opportunistic-starttls): a failing result of this check counts as the rule says, not as a failure.'),
});
export type CheckLink = z.infer<typeof CheckLinkSchema>;

const EvidenceLinkSchema = z.strictObject({
  property: z.enum(EVIDENCE_PROPERTY_IDS).describe('A property of the report itself, evaluated by tlsproof from the report content.'),
  coverage: Coverage,
  rationale: Rationale,
  interpretation: Interpretation,
});
export type EvidenceLink = z.infer<typeof EvidenceLinkSchema>;

const CONFIDENCE_LEVELS = ['high', 'medium', 'low'] as const;

/**
 * Another id for a control. A bare string is a parallel numbering (a CMMC practice id); an object
 * says how the other id relates, so that a superseded rule never reads as a current citation.
 */
const AliasSchema = z.union([
  z.string().min(1),
  z.strictObject({
    id: z.string().min(1),
    relation: z.enum(['also', 'formerly'])
      .describe('also: a parallel id for the same requirement; formerly: a predecessor this control replaced.'),
    note: z.string().min(3).optional().describe('Shown after the id in brackets, e.g. "superseded by FINRA 3110".'),
  }),
]);
type Alias = z.infer<typeof AliasSchema>;

/** The alias as reports and the CLI print it: "also cited as X" or "formerly X (note)". */
export function aliasText(alias: Alias): string {
  const a = typeof alias === 'string' ? { id: alias, relation: 'also' as const, note: undefined } : alias;
  const base = a.relation === 'formerly' ? `formerly ${a.id}` : `also cited as ${a.id}`;
  return a.note === undefined ? base : `${base} (${a.note})`;
}

export function aliasId(alias: Alias): string {
  return typeof alias === 'string' ? alias : alias.id;
}

/**
 * What a TLS observation can say about a control, decided once per control with an auditor's eye:
 * - `technical`: the requirement is about transmission security, strong cryptography, certificates
 *   or protocol configuration, so a TLS observation can decide it: the only kind that can PASS or FAIL;
 * - `process`: a programme, governance, records or legal provision (risk analysis, board reports, ASV
 *   scans, patching, inventories, retention, breach-notification safe harbours): the report supplies
 *   evidence for it and never grades it;
 * - `definition`: a term the rule defines; not graded and links no evidence.
 */
export const CONTROL_KINDS = ['technical', 'process', 'definition'] as const;
export type ControlKind = (typeof CONTROL_KINDS)[number];

export const ControlSchema = z.strictObject({
  /** Exactly as the standard prints it, e.g. "164.312(e)(1)", "4.2.1", "314.4(c)(3)". */
  id: z.string().min(1).describe('The control id exactly as the standard prints it, e.g. "164.312(e)(1)", "4.2.1".'),
  kind: z.enum(CONTROL_KINDS)
    .describe('technical: a TLS observation can decide it (the only kind that can pass or fail); process: programme, governance, records or legal provision, for which the report supplies evidence and never a grade; definition: a defined term, not graded, links nothing.'),
  /** Other ids for the same requirement: a predecessor rule, a parallel numbering (CMMC practice ids). */
  aliases: z.array(AliasSchema).optional()
    .describe('Other ids for the same requirement: a parallel numbering (a plain string) or a superseded predecessor ({ id, relation: formerly, note }).'),
  title: z.string().min(3),
  /** Our own words, never a quotation. */
  paraphrase: z.string().min(10).describe('The control in our own words; never a quotation.'),
  /** required / addressable / standard / shall / should… as the framework classifies it. */
  obligation: z.string().optional().describe('How binding the control is, in the framework\'s own terms: required, addressable, standard, shall…'),
  /** Dates that matter for this control, e.g. when a future-dated requirement became mandatory. */
  effective: z.string().optional().describe('Dates that matter, e.g. when a future-dated requirement became mandatory.'),
  /** Section or paragraph of the source document the citation was checked against. */
  source: z.string().optional().describe('Document and section the citation was checked against.'),
  confidence: z.enum(CONFIDENCE_LEVELS).describe('high: read in the primary text; medium: consistent secondary sources; low: one secondary source.'),
  /** The reference could not confirm the citation (marked (U)); reports flag it. */
  unconfirmed: z.boolean().default(false)
    .describe('True when the citation itself could not be confirmed (marked (U) in the reference); reports flag it.'),
  checks: z.array(CheckLinkSchema).default([]),
  /** Properties of the report itself that are evidence for the control. */
  evidence: z.array(EvidenceLinkSchema).default([])
    .describe('Properties of the report itself that are evidence for this control (for rules about records and evidence).'),
});
export type Control = z.infer<typeof ControlSchema>;

/**
 * How a framework relates to email TLS, said once so the report can say it too:
 * `direct` — it requires protection of data in transit; `supporting` — TLS results support other
 * controls (SOX ITGCs) but are not key controls; `evidence` — it governs the evidence (dating,
 * integrity, retention, completeness), not TLS, and maps only to properties of the report.
 */
export const RELEVANCE = ['direct', 'supporting', 'evidence'] as const;
export type Relevance = (typeof RELEVANCE)[number];

const FrameworkSchema = z.strictObject({
  /** Must equal the folder name. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).describe('Lower-case id; must equal the folder name.'),
  /** Must equal the file name (without .yaml). */
  version: z.string().min(1).describe('The standard\'s own version or date; must equal the file name without .yaml. Quote it.'),
  /** Date of this version of the standard; the newest version of an id is the default. */
  versionDate: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/)
    .describe('Date of this version of the standard (yyyy, yyyy-mm or yyyy-mm-dd); when several versions of one id are loaded, the newest is used unless id@version is asked for.'),
  title: z.string().min(3),
  /** Document cited, e.g. "45 CFR Part 164, Subpart C". */
  document: z.string().min(3),
  sourceUrl: z.string().url(),
  /** When the source text was read (yyyy-mm-dd). */
  retrieved: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe('When the source text was read (yyyy-mm-dd). Quote it.'),
  /** Who this framework applies to, said once for the report. */
  appliesTo: z.string().min(10),
  relevance: z.enum(RELEVANCE).default('direct')
    .describe('direct: requires protection of data in transit; supporting: TLS results support other controls but are not key; evidence: governs the evidence, maps only to report properties.'),
  /** Sources beyond the shared reference for any citation in this file. */
  notes: z.string().optional(),
});

export const MappingFileSchema = z.strictObject({
  schema: z.literal(MAPPING_FORMAT),
  framework: FrameworkSchema,
  controls: z.array(ControlSchema).min(1),
});
export type MappingFile = z.infer<typeof MappingFileSchema>;

/** A loaded framework: the file's content plus where it came from. */
export interface LoadedFramework extends MappingFile {
  readonly path: string;
  readonly builtIn: boolean;
}

/** `mappings/scope.yaml`: which frameworks a domain's data classes bring into scope. */
export const ScopeRulesSchema = z.strictObject({
  schema: z.literal(SCOPE_FORMAT),
  /** Used when the user gives neither a domain list nor --frameworks. */
  defaultFrameworks: z.array(z.string()).min(1)
    .describe('Frameworks used when the user gives neither a domain list nor --frameworks.'),
  dataClasses: z.record(z.string(), z.strictObject({
    description: z.string(),
    frameworks: z.array(z.string()).min(1),
  })),
});
export type ScopeRules = z.infer<typeof ScopeRulesSchema>;

/**
 * `mappings/grading.yaml`: rules that keep grading fair to mail. A check link that names a rule
 * (`grading: <id>`) has its failing results on the rule's services counted as `failAs` instead.
 */
const GradingRuleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  title: z.string().min(3),
  /** The rule in our words, for the report's methodology. */
  statement: z.string().min(10),
  /** Citations the rule rests on. */
  basis: z.string().min(3),
  /** Services (endpoint kinds) whose findings the rule applies to, e.g. smtp (an MX on port 25). */
  services: z.array(ServiceSchema).min(1),
  /** What a failing result of a linked check counts as on those services. */
  failAs: z.enum(['warn']),
  /** Checks the rule is about. Every link to one of them is either `coverage: full` (the control is about exactly this) or names the rule. */
  checks: z.array(CheckLinkSchema.shape.check),
});
export type GradingRule = z.infer<typeof GradingRuleSchema>;

export const GradingFileSchema = z.strictObject({
  schema: z.literal(GRADING_FORMAT),
  rules: z.array(GradingRuleSchema),
});
