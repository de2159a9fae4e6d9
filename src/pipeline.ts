/**
 * The pipeline, in order: ingest → merge → checks → map → build model → render → write.
 * The only module that knows the order; every stage is a function of the previous one's output.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { formatInTimeZone } from './time.js';
import { runChecks } from './checks/index.js';
import { ReportError } from './errors.js';
import { ingest, SCAN_RESULT_FORMATS, type IngestedFile, type IngesterId } from './ingest/index.js';
import { builtInMappingsDir, loadMappings } from './map/load.js';
import { resolveAssetScopes } from './map/scope.js';
import { selectFrameworks } from './map/select.js';
import type { ScanOptions } from './scan/index.js';
import type { ReportConfig } from './config/schema.js';
import type { Finding } from './model/finding.js';
import type { LoadedFramework } from './model/framework.js';
import { mergeObservations } from './model/merge.js';
import type { Observation } from './model/observation.js';
import { periodSlug, resolvePeriod, type PeriodSpec } from './model/period.js';
import { openFindings, resolveDeadlines, withDeadlines, type Deadlines } from './history/deadline.js';
import { formatProblem, type InputProblem } from './model/problem.js';
import type { ReportModel } from './model/report-model.js';
import { buildReportModel } from './report/build-model.js';
import type { Renderer } from './report/types.js';
import type { StoreRequest } from './store/record.js';

export const OUTPUT_FORMATS = ['html', 'pdf', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface ReportRequest {
  readonly inputs: readonly string[];
  readonly domains?: string | undefined;
  readonly organisation?: string | undefined;
  readonly title?: string | undefined;
  readonly period?: string | undefined;
  readonly frameworks?: readonly string[] | undefined;
  readonly formats: readonly OutputFormat[];
  readonly outDir: string;
  readonly strict: boolean;
  /** ISO instant; the caller decides (option, SOURCE_DATE_EPOCH or the clock). */
  readonly generatedAt: string;
  /** yyyy-MM-dd; defaults to the UTC date of generatedAt. */
  readonly reportDate?: string | undefined;
  readonly observedAt?: string | undefined;
  /** Read every scan input as this format instead of detecting it (`--input-format`); the domain list is never forced. */
  readonly inputFormat?: IngesterId | undefined;
  readonly mappingsDirs?: readonly string[] | undefined;
  readonly templatesDir?: string | undefined;
  readonly cwd: string;
  readonly toolVersion: string;
  /**
   * When the inputs hold a domain list but no scan results, tlsproof scans the listed domains
   * itself with these options (`tlsproof report domains.csv`); `false` refuses instead.
   */
  readonly scan?: ScanOptions | false | undefined;
  /** report.config.yaml: branding, classification, sections, text blocks, sign-off (both renderers obey it). */
  readonly config?: ReportConfig | undefined;
  // ── Evidence store (issue 6) ──
  /** Record the run in an evidence store and add the report's history section; absent: no store. */
  readonly store?: StoreRequest | undefined;
  /** Month (1–12) the fiscal year starts in, for FY periods (FY2027, FY2027-Q1). */
  readonly fiscalYearStartMonth?: number | undefined;
}

/** What buildModel gathered; the store records all of it. */
export interface BuiltModel {
  readonly model: ReportModel;
  readonly problems: InputProblem[];
  readonly files: IngestedFile[];
  readonly observations: Observation[];
  readonly findings: Finding[];
  readonly period: PeriodSpec | undefined;
  readonly frameworks: readonly LoadedFramework[];
  /** Absolute paths of the mapping files loaded from --mappings folders (the store keeps their content). */
  readonly userMappingFiles: readonly string[];
}

export interface ReportOutcome {
  readonly model: ReportModel;
  readonly written: string[];
  readonly problems: readonly InputProblem[];
  readonly files: readonly IngestedFile[];
  /** The run's number in the evidence store, when one was used. */
  readonly runSeq?: number | undefined;
  /** Renderer warnings (characters no PDF font can show, SVG logo parts not drawn), each once. */
  readonly warnings: readonly string[];
}

/** Renderers load lazily: pdfkit and handlebars cost start-up time a JSON-only run should not pay. */
async function rendererFor(format: OutputFormat): Promise<Renderer> {
  switch (format) {
    case 'html': return (await import('./report/html/render.js')).htmlRenderer;
    case 'pdf': return (await import('./report/pdf/render.js')).pdfRenderer;
    case 'json': return (await import('./report/json.js')).jsonRenderer;
  }
}

/** Everything up to the model; no files are written. */
export async function buildModel(req: ReportRequest): Promise<BuiltModel> {
  const periodSpec = req.period ? resolvePeriod(req.period, { fiscalYearStartMonth: req.fiscalYearStartMonth }) : undefined;
  const period = periodSpec ? { label: periodSpec.label, start: periodSpec.start, end: periodSpec.end } : undefined;
  const reportDate = req.reportDate ?? formatInTimeZone(req.generatedAt, 'yyyy-MM-dd');
  const forced = req.inputFormat;
  const inputs = [...req.inputs.map((path) => (forced ? { path, format: forced } : path)), ...(req.domains ? [req.domains] : [])];
  const ingested = await ingest(inputs, { cwd: req.cwd, ...(req.observedAt ? { observedAt: req.observedAt } : {}) });
  const problems = [...ingested.problems];
  if (req.domains && !ingested.files.some((f) => f.kind === 'domain-list-csv')) {
    throw new ReportError('domain-list-invalid', { file: req.domains },
      `--domains "${req.domains}" is not a domain list: it needs a header row with at least a "domain" column (also read: owner, business_unit, data_classes, frameworks, notes).`);
  }

  const mappings = loadMappings({ builtInDir: builtInMappingsDir(), userDirs: (req.mappingsDirs ?? []).map((d) => resolve(req.cwd, d)) });
  const known = new Set(mappings.frameworks.map((f) => f.framework.id));
  const hasDomainList = ingested.files.some((f) => f.kind === 'domain-list-csv');
  const assets = hasDomainList ? resolveAssetScopes(ingested.domains, mappings.scope, known, problems) : undefined;
  // --frameworks narrows; else the domain list's frameworks; else scope.yaml's defaults.
  const frameworks = selectFrameworks(mappings.frameworks, { requested: req.frameworks, assets, scope: mappings.scope });
  let scanned = ingested.observations;
  const hasScanResults = ingested.files.some((f) => SCAN_RESULT_FORMATS.has(f.kind));
  if (!hasScanResults && ingested.domains.length > 0 && req.scan !== false) {
    // Loaded only here: the scanner's DNS, TLS and X.509 code costs start-up time a report from files does not need.
    const { scanDomains } = await import('./scan/index.js');
    const { domainTargetsFromEntries } = await import('./scan/targets.js');
    const result = await scanDomains(domainTargetsFromEntries(ingested.domains), { tool: `tlsproof ${req.toolVersion}`, ...req.scan });
    scanned = result.observations;
  }
  const observations = mergeObservations(scanned);
  const findings: Finding[] = [];
  for (const obs of observations) {
    for (const f of runChecks(obs, { reportDate })) findings.push(f);
  }
  const model = buildReportModel(
    { observations, findings, frameworks, assets, files: ingested.files, problems, grading: mappings.grading },
    {
      organisation: req.organisation ?? req.config?.organisation ?? 'Organisation not named (use --org)',
      title: req.title ?? req.config?.title ?? 'Email transport encryption evidence',
      period, generatedAt: req.generatedAt, reportDate, toolVersion: req.toolVersion, deadlines: deadlinesFor(req),
      frameworksRequested: req.frameworks && req.frameworks.length > 0 ? req.frameworks : undefined,
    },
  );
  const userMappingFiles = mappings.frameworks.filter((f) => !f.builtIn).map((f) => f.path);
  return { model, problems, files: ingested.files, observations, findings, period: periodSpec, frameworks, userMappingFiles };
}

// ── Evidence store (issue 6) ──
/**
 * Records the run in the evidence store (when the request has one) and returns the model with its
 * history section: the comparison with the previous period, from every run in the store. Call it
 * after the --strict and empty-input checks, before writing: a run that cannot be recorded writes nothing.
 */
export async function recordRun(req: ReportRequest, built: BuiltModel): Promise<{ model: ReportModel; runSeq: number | undefined }> {
  if (!req.store) return { model: built.model, runSeq: undefined };
  const { recordAndCompare } = await import('./store/record.js');
  const { seq, history } = await recordAndCompare({ ...req.store, history: { ...req.store.history, deadlines: deadlinesFor(req) } }, {
    toolVersion: req.toolVersion, cwd: req.cwd, period: built.period, periodOptions: { fiscalYearStartMonth: req.fiscalYearStartMonth },
    request: {
      inputs: [...req.inputs], domains: req.domains ?? null, organisation: req.organisation ?? null, title: req.title ?? null,
      period: req.period ?? null, frameworks: req.frameworks ? [...req.frameworks] : null, reportDate: built.model.report.reportDate,
      generatedAt: req.generatedAt, observedAt: req.observedAt ?? null, mappingsDirs: (req.mappingsDirs ?? []).map((d) => resolve(req.cwd, d)),
      fiscalYearStartMonth: req.fiscalYearStartMonth ?? null,
    },
    model: built.model, files: built.files, mappingFiles: built.userMappingFiles, observations: built.observations, findings: built.findings, problems: built.problems,
    frameworks: built.frameworks.map((f) => ({ id: f.framework.id, version: f.framework.version, controls: f.controls })),
  });
  const runSeq = req.store.readOnly ? undefined : seq;
  if (!history) return { model: built.model, runSeq };
  // Deadlines count from when the store first saw each finding, the same date the history gives it.
  const firstSeen = new Map([...history.new, ...history.persisting, ...history.regressed].map((f) => [f.findingId, f.firstSeen]));
  const remediation = withDeadlines(built.model.remediation, openFindings(built.model.findings, built.model.scope.endpoints), deadlinesFor(req), firstSeen);
  return { model: { ...built.model, remediation, history }, runSeq };
}

/**
 * The one deadline policy of a run: report.config.yaml's remediationDeadlines over the defaults
 * (the store request carries the same values for the history).
 */
function deadlinesFor(req: ReportRequest): Deadlines {
  return resolveDeadlines({ ...req.config?.remediationDeadlines, ...req.store?.history?.deadlines });
}

/** Builds the model, then renders and writes each format. With `strict`, any problem stops before writing. */
export async function runReport(req: ReportRequest): Promise<ReportOutcome> {
  const built = await buildModel(req);
  const { problems, files } = built;
  let model = built.model;
  if (req.strict && problems.length > 0) {
    throw new ReportError('strict-problems', { count: problems.length },
      `--strict: ${problems.length} input problem${problems.length === 1 ? '' : 's'}, nothing written:\n${problems.slice(0, 20).map((p) => `  ${formatProblem(p)}`).join('\n')}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''}`);
  }
  if (model.scope.endpoints.length === 0 && !files.some((f) => SCAN_RESULT_FORMATS.has(f.kind)) && (req.scan === false || !files.some((f) => f.kind === 'domain-list-csv'))) {
    throw new ReportError('input-empty', {}, 'No scan results among the inputs: give at least one scanner export (testssl.sh CSV/JSON, Nessus CSV, Greenbone CSV, nmap XML, SSLyze JSON); a domain list alone describes scope, not evidence.');
  }
  const recorded = await recordRun(req, built); // evidence store (issue 6)
  model = recorded.model;
  await mkdir(req.outDir, { recursive: true });
  const base = `tlsproof-${model.report.period ? periodSlug(model.report.period) : model.report.reportDate}`;
  const written: string[] = [];
  const warnings: string[] = [];
  for (const format of req.formats) {
    const renderer = await rendererFor(format);
    const bytes = await renderer.render(model, {
      ...(req.templatesDir ? { templatesDir: req.templatesDir } : {}),
      ...(req.config ? { config: req.config } : {}),
      onWarning: (w) => { if (!warnings.includes(w)) warnings.push(w); },
    });
    const target = join(req.outDir, `${base}${renderer.extension}`);
    // Write-then-rename: a crash never leaves a half-written report under the final name.
    const tmp = `${target}.partial`;
    await writeFile(tmp, bytes);
    await rename(tmp, target);
    written.push(target);
  }
  return { model, written, problems, files, runSeq: recorded.runSeq, warnings };
}
