/**
 * The pipeline, in order: ingest (or scan) → merge → checks → assess (scope and verdicts) → build
 * model → refuse unusable runs → compare with the store → render → write → record. The only module that knows the order;
 * every stage is a function of the previous one's output, and every command that reports or
 * records (report to files or to standard output, scan, store regenerate) goes through runReport.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { formatInTimeZone } from './time.js';
import { runChecks } from './checks/index.js';
import { ReportError } from './errors.js';
import { checkOutputFile, checkOutputFolder } from './output/location.js';
import { examineStorePath } from './store/path.js';
import { isWriteFailure, OutputSet, outputError, streamError, type OutputHooks } from './output/staged.js';
import { streamFormatsMessage } from './output/messages.js';
import { MSG } from './pipeline-messages.js';
import { ingest, observedWindow, SCAN_RESULT_FORMATS, type IngestedFile, type IngesterId } from './ingest/index.js';
import type { OwnScan } from './report/scan-context.js';
import { builtInMappingsDir, loadMappings } from './map/load.js';
import { assess } from './map/assess.js';
import { resolveAssetScopes, type ListedHost } from './map/scope.js';
import type { DomainDiscovery } from './model/discovery.js';
import { selectFrameworks } from './map/select.js';
import type { ScanOptions } from './scan/index.js';
import type { ReportConfig } from './config/schema.js';
import type { Finding } from './model/finding.js';
import type { LoadedFramework } from './model/framework.js';
import { mergeObservations } from './model/merge.js';
import type { Observation } from './model/observation.js';
import type { TlsRptReport } from './model/tls-rpt.js';
import { datedObservations, observationTimeIssues, observationTimeWarnings } from './model/observation-times.js';
import { periodSlug, resolvePeriod, type PeriodSpec } from './model/period.js';
import { openFindings, resolveDeadlines, withDeadlines, type Deadlines } from './history/deadline.js';
import type { InputProblem } from './model/problem.js';
import type { ReportModel } from './model/report-model.js';
import { buildReportModel } from './report/build-model.js';
import { OUTPUT_FORMAT_IDS, outputFormat, renderFormat, type OutputFormatId } from './report/formats/index.js';
import type { PdfSigning } from './report/types.js';
import type { ComparedRun, StoreRequest } from './store/record.js';
import type { SignatureRecord } from './store/types.js';
import { loadExceptions, parseExceptions, type LoadedExceptions } from './map/exceptions-file.js';

export interface ReportRequest {
  readonly inputs: readonly string[];
  readonly domains?: string | undefined;
  readonly organisation?: string | undefined;
  readonly title?: string | undefined;
  readonly period?: string | undefined;
  readonly frameworks?: readonly string[] | undefined;
  readonly formats: readonly OutputFormatId[];
  readonly outDir: string;
  /**
   * Write the one rendered format here instead of a file in outDir (`--out -`); the run is
   * refused and recorded exactly as one that writes files.
   */
  readonly stream?: ((bytes: Uint8Array) => void) | undefined;
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
  /**
   * The exception register (exceptions.yaml): a file to read (relative to cwd), or, to regenerate a
   * past report, the content recorded with that run (`text`, named `file` in messages). Absent: none.
   */
  readonly exceptions?: { readonly file: string; readonly text?: string | undefined } | undefined;
  // ── Evidence store ──
  /** Record the run in an evidence store and add the report's history section; absent: no store. */
  readonly store?: StoreRequest | undefined;
  /** Month (1–12) the fiscal year starts in, for FY periods (FY2027, FY2027-Q1). */
  readonly fiscalYearStartMonth?: number | undefined;
  // ── Signed evidence ──
  /** Sign the PDF (PAdES) and the bundle manifest (CMS) with this key and chain (--sign). */
  readonly sign?: PdfSigning | undefined;
  /** Also write <name>.tlsproof.zip: reports, inputs, mappings, signed manifest (--bundle). */
  readonly bundle?: boolean | undefined;
  /** Fault injection for tests: called before each file-system step of writing the outputs. */
  readonly outputHooks?: OutputHooks | undefined;
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
  /** Observation times that disagree with the period or were only guessed (checkObservationTimes). */
  readonly warnings: readonly string[];
  /** The exception register the run applied, with its content (the store keeps it); undefined when none. */
  readonly exceptions: LoadedExceptions | undefined;
}

interface ReportOutcome {
  readonly model: ReportModel;
  readonly written: string[];
  readonly problems: readonly InputProblem[];
  readonly files: readonly IngestedFile[];
  /** The run's number in the evidence store, when one was used. */
  readonly runSeq?: number | undefined;
  /** Renderer warnings (characters no PDF font can show, SVG logo parts not drawn), each once. */
  readonly warnings: readonly string[];
}

/** Everything up to the model; no files are written. */
export async function buildModel(req: ReportRequest): Promise<BuiltModel> {
  const periodSpec = req.period ? resolvePeriod(req.period, { fiscalYearStartMonth: req.fiscalYearStartMonth }) : undefined;
  const period = periodSpec ? { label: periodSpec.label, start: periodSpec.start, end: periodSpec.end } : undefined;
  const reportDate = req.reportDate ?? formatInTimeZone(req.generatedAt, 'yyyy-MM-dd');
  const forced = req.inputFormat;
  if (req.domains !== undefined && !existsSync(resolve(req.cwd, req.domains))) {
    throw new ReportError('input-not-found', { file: req.domains }, MSG.domainsNotFound(req.domains));
  }
  const inputs = [...req.inputs.map((path) => (forced ? { path, format: forced } : path)), ...(req.domains ? [req.domains] : [])];
  const ingested = await ingest(inputs, { cwd: req.cwd, ...(req.observedAt ? { observedAt: req.observedAt } : {}) });
  const problems = [...ingested.problems];
  if (req.domains && !ingested.files.some((f) => f.kind === 'domain-list-csv')) {
    throw new ReportError('domain-list-invalid', { file: req.domains }, MSG.domainsNotAList(req.domains));
  }

  const mappings = loadMappings({ builtInDir: builtInMappingsDir(), userDirs: (req.mappingsDirs ?? []).map((d) => resolve(req.cwd, d)) });
  const known = new Set(mappings.frameworks.map((f) => f.framework.id));
  // Checked before any scan: a refused register must cost nothing. Controls may name any loaded framework.
  const exceptions = await readExceptions(req, mappings.frameworks);
  const hasDomainList = ingested.files.some((f) => f.kind === 'domain-list-csv');
  const assets = hasDomainList ? resolveAssetScopes(ingested.domains, mappings.scope, known, problems) : undefined;
  // --frameworks narrows; else the domain list's frameworks; else scope.yaml's defaults.
  const frameworks = selectFrameworks(mappings.frameworks, { requested: req.frameworks, assets, scope: mappings.scope });
  let scanned = ingested.observations;
  const ownScans: OwnScan[] = [];
  const discovery: DomainDiscovery[] = [...ingested.discovery];
  const hasScanResults = ingested.files.some((f) => SCAN_RESULT_FORMATS.has(f.kind));
  // The domain list's hosts column: the scanner probes it, and attribution matches host names against it.
  const scanTargets = ingested.domains.length > 0 ? await import('./scan/targets.js') : undefined;
  const targets = scanTargets?.domainTargetsFromEntries(ingested.domains) ?? [];
  const listedHosts: ReadonlyMap<string, readonly ListedHost[]> = scanTargets?.listedHostsOf(targets) ?? new Map();
  if (!hasScanResults && ingested.domains.length > 0 && req.scan !== false) {
    // Loaded only here: the scanner's DNS, TLS and X.509 code costs start-up time a report from files does not need.
    const { scanDomains } = await import('./scan/index.js');
    const { discoveryOf } = await import('./scan/discovery.js');
    let result;
    try {
      result = await scanDomains(targets, { tool: `tlsproof ${req.toolVersion}`, ...req.scan });
    } catch (err) {
      // Only the results folder is written while scanning: a file-system error there is an output failure.
      const dir = req.scan?.outDir;
      if (dir === undefined || !isWriteFailure(err, dir)) throw err;
      throw outputError(err, dir, '--scan-out', MSG.scanResultsKept(dir));
    }
    scanned = result.observations;
    const source = result.files.find((f) => f.endsWith('.jsonl')) ?? `tlsproof scan at ${req.generatedAt}`;
    for (const d of result.domains) discovery.push(discoveryOf(d.plan, source));
    ownScans.push({ file: source, tool: `tlsproof ${req.toolVersion}`, version: req.toolVersion, observed: observedWindow(result.observations), interrupted: result.interrupted });
  }
  const merged = mergeObservations(scanned);
  // TLS-RPT reports: joined to the SMTP endpoints as what senders saw (senderReports facts).
  const senders = ingested.files.some((f) => f.kind === 'tls-rpt') ? await senderReportsOf(ingested.tlsRpt, merged, period, problems, req) : undefined;
  const observations = senders?.observations ?? merged;
  const warnings = checkObservationTimes(observations, periodSpec, req);
  const findings: Finding[] = [];
  const checkContext = { reportDate, ...(req.config?.senderFailureRateThreshold !== undefined ? { senderFailureRateThreshold: req.config.senderFailureRateThreshold } : {}) };
  for (const obs of observations) {
    for (const f of runChecks(obs, checkContext)) findings.push(f);
  }
  const assessment = assess({
    observations, findings, frameworks, assets, discovery, listedHosts, grading: mappings.grading,
    ...(exceptions !== undefined ? { exceptions: { entries: exceptions.entries, reportDate } } : {}),
    report: {
      generatedAt: req.generatedAt, toolVersion: req.toolVersion,
      inputs: ingested.files.map((f) => ({ file: f.file, sha256: f.sha256 })), inputProblems: problems.length,
    },
  });
  const model = buildReportModel(
    { observations, findings, assessment, files: ingested.files, problems, grading: mappings.grading, ownScans },
    {
      organisation: req.organisation ?? req.config?.organisation ?? 'Organisation not named (use --org)',
      title: req.title ?? req.config?.title ?? 'Email transport encryption evidence',
      period, generatedAt: req.generatedAt, reportDate, toolVersion: req.toolVersion, deadlines: deadlinesFor(req), vantage: req.config?.vantagePoint,
      frameworksRequested: req.frameworks && req.frameworks.length > 0 ? req.frameworks : undefined,
      ...(senders ? { senderReports: senders.section } : {}),
      ...(exceptions !== undefined ? { exceptions: { file: exceptions.file, sha256: exceptions.sha256, maxMonths: exceptions.maxMonths } } : {}),
    },
  );
  const userMappingFiles = mappings.frameworks.filter((f) => !f.builtIn).map((f) => f.path);
  return { model, problems, files: ingested.files, observations, findings, period: periodSpec, frameworks, userMappingFiles, warnings, exceptions };
}

/** The run's exception register, validated against the loaded mappings; named as given, relative to cwd when inside it. */
async function readExceptions(req: ReportRequest, frameworks: readonly LoadedFramework[]): Promise<LoadedExceptions | undefined> {
  if (req.exceptions === undefined) return undefined;
  const absolute = resolve(req.cwd, req.exceptions.file);
  const rel = relative(req.cwd, absolute);
  const shown = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
  const rules = { maxMonths: req.config?.exceptionMaxMonths, frameworks };
  if (req.exceptions.text !== undefined) return parseExceptions(req.exceptions.text, shown, rules);
  return loadExceptions(absolute, rules, shown);
}

/**
 * TLS-RPT reports counted in the period (those starting outside it are problems, not counted),
 * joined to the SMTP endpoints, and the report's section data.
 */
async function senderReportsOf(reports: readonly TlsRptReport[], observations: readonly Observation[],
  period: { label: string; start: string; end: string } | undefined, problems: InputProblem[], req: ReportRequest) {
  const { attachSenderReports, buildSenderReports, reportsInPeriod, DEFAULT_FAILURE_RATE_THRESHOLD } = await import('./model/sender-reports.js');
  const { inside, outside } = reportsInPeriod(reports, period);
  for (const r of outside) {
    problems.push({ file: r.file, code: 'outside-period', effect: 'file-skipped',
      message: MSG.tlsRptOutsidePeriod(r, period!) });
  }
  const joined = attachSenderReports(observations, inside);
  const scannedHosts = new Set(joined.filter((o) => o.endpoint.service === 'smtp').map((o) => o.endpoint.host.toLowerCase().replace(/\.$/, '')));
  const section = buildSenderReports(inside, {
    threshold: req.config?.senderFailureRateThreshold ?? DEFAULT_FAILURE_RATE_THRESHOLD, scannedHosts, outsidePeriod: outside.length, period,
  });
  return { observations: joined, section };
}

/**
 * The period is a fact of the evidence: observations dated outside it, and inputs dated only by
 * their files' modification times, are warnings; with --strict the first stop the run here,
 * before anything is written or recorded.
 */
function checkObservationTimes(observations: readonly Observation[], period: PeriodSpec | undefined, req: ReportRequest): string[] {
  const issues = observationTimeIssues(datedObservations(observations), period);
  const warnings = observationTimeWarnings(issues, period, period?.kind, { fiscalYearStartMonth: req.fiscalYearStartMonth });
  if (req.strict && issues.outsidePeriod.length > 0) {
    throw new ReportError('strict-period', { count: issues.outsidePeriod.length }, MSG.strictPeriod(warnings[0] ?? ''));
  }
  return warnings;
}

// ── Evidence store ──
/** A run compared with the evidence store: the model with its history and chain head, the run not yet recorded. */
interface StoreComparison {
  readonly model: ReportModel;
  readonly compared: ComparedRun | undefined;
}

/**
 * Compares the run with the evidence store (when the request has one) and returns the model with
 * its history section (the comparison with the previous period) and the store's chain head.
 * Nothing is recorded yet: recordCompared does that once every output is written. Call it after
 * the --strict and empty-input checks, before writing: a store that cannot take the run stops it here.
 */
async function compareRun(req: ReportRequest, built: BuiltModel): Promise<StoreComparison> {
  if (!req.store) return { model: built.model, compared: undefined };
  const { compareWithStore } = await import('./store/record.js');
  const compared = await compareWithStore({ ...req.store, history: { ...req.store.history, deadlines: deadlinesFor(req) } }, {
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
  const base = { ...built.model, evidence: { chainHead: compared.chainHead } };
  // The TLS-RPT trend: each earlier period's per-domain totals, from the summaries the store kept.
  const model = base.senderReports && base.report.period
    ? { ...base, senderReports: (await import('./model/sender-reports.js')).withTrend(base.senderReports, compared.earlierPeriods, base.report.period) }
    : base;
  const history = compared.history;
  if (!history) return { model, compared };
  // Deadlines count from when the store first saw each finding, the same date the history gives it.
  const firstSeen = new Map([...history.new, ...history.persisting, ...history.regressed].map((f) => [f.findingId, f.firstSeen]));
  const remediation = withDeadlines(built.model.remediation, openFindings(built.model.findings, built.model.scope.endpoints), deadlinesFor(req), firstSeen);
  return { model: { ...model, remediation, history }, compared };
}

/** Records a compared run with the signatures of its signed PDFs; its number, or undefined without a store or with --store-read-only. */
async function recordCompared(req: ReportRequest, comparison: StoreComparison, signatures: readonly SignatureRecord[] = []): Promise<number | undefined> {
  if (!req.store || !comparison.compared) return undefined;
  const { recordCompared: record } = await import('./store/record.js');
  return record(req.store, comparison.compared, signatures)?.seq;
}

/** Compares and records at once, for callers that write no outputs in between. */
export async function recordRun(req: ReportRequest, built: BuiltModel): Promise<{ model: ReportModel; runSeq: number | undefined }> {
  const comparison = await compareRun(req, built);
  return { model: comparison.model, runSeq: await recordCompared(req, comparison) };
}

/**
 * The one deadline policy of a run: report.config.yaml's remediationDeadlines over the defaults
 * (the store request carries the same values for the history).
 */
function deadlinesFor(req: ReportRequest): Deadlines {
  return resolveDeadlines({ ...req.config?.remediationDeadlines, ...req.store?.history?.deadlines });
}

/**
 * Refuses a run that must write nothing: with `strict`, any input problem; and inputs that hold no
 * scan results and no scan (a domain list alone is scope, not evidence).
 */
function refuseUnusable(req: ReportRequest, built: BuiltModel): void {
  const { problems, files, model } = built;
  if (req.strict && problems.length > 0) {
    throw new ReportError('strict-problems', { count: problems.length }, MSG.strictProblems(problems));
  }
  if (model.scope.endpoints.length === 0 && !files.some((f) => SCAN_RESULT_FORMATS.has(f.kind)) && (req.scan === false || !files.some((f) => f.kind === 'domain-list-csv'))) {
    throw new ReportError('input-empty', {}, MSG.noScanResults(files.some((f) => f.kind === 'tls-rpt')));
  }
}

/**
 * The store's own examination first: its refusals say what a store needs (--store-read-only,
 * store verify); what it does not judge (a name too long…) the generic output check catches.
 */
export function checkStoreLocation(path: string): void {
  try {
    examineStorePath(path, 'write');
  } catch (err) {
    if (err instanceof ReportError) throw err;
  }
  checkOutputFile(path, '--store');
}

/**
 * Every place the run will write, checked before any input is read or any server probed: the
 * output folder, the scan results folder and the evidence store (unless only read).
 */
function checkOutputLocations(req: ReportRequest): void {
  if (!req.stream && (req.formats.length > 0 || req.bundle)) checkOutputFolder(req.outDir, '--out');
  if (req.scan && req.scan.outDir !== undefined) checkOutputFolder(req.scan.outDir, '--scan-out');
  if (req.store && !req.store.readOnly) checkStoreLocation(req.store.path);
}

/**
 * Standard output takes one file, of a format that allows it (`toStdout`). runReport checks it
 * before any input is read; the CLI calls it as soon as it has parsed --format and --out.
 */
export function checkStream(formats: readonly OutputFormatId[], streamed: boolean): void {
  if (!streamed) return;
  const [only, ...more] = formats;
  const format = only !== undefined && more.length === 0 ? outputFormat(only) : undefined;
  if (format === undefined || !format.toStdout || Object.keys(format.files).length !== 1) {
    throw new ReportError('usage', { formats }, streamFormatsMessage(formats, OUTPUT_FORMAT_IDS.filter((id) => outputFormat(id).toStdout)));
  }
}

/**
 * Checks where it will write, builds the model, refuses an unusable run, renders every format,
 * writes them all (each to a temporary file, then all renamed), and only then records the run in
 * the store. A failure anywhere leaves earlier files as they were and the store without the run.
 */
export async function runReport(req: ReportRequest): Promise<ReportOutcome> {
  checkStream(req.formats, req.stream !== undefined);
  checkOutputLocations(req);
  const built = await buildModel(req);
  const { problems, files } = built;
  refuseUnusable(req, built);
  const comparison = await compareRun(req, built); // evidence store: history and chain head; recorded after the outputs
  const model = comparison.model;
  const signatures: SignatureRecord[] = [];
  const base = `tlsproof-${model.report.period ? periodSlug(model.report.period) : model.report.reportDate}`;
  const warnings: string[] = [...built.warnings];
  const outputs = new OutputSet(req.outputHooks);
  const reports: { name: string; bytes: Uint8Array }[] = [];
  const put = (name: string, bytes: Uint8Array): void => {
    reports.push({ name, bytes });
    if (!req.stream) outputs.stage(join(req.outDir, name), '--out', bytes);
  };
  let written: string[] = [];
  let runSeq: number | undefined;
  try {
    const renderOptions = {
      ...(req.templatesDir ? { templatesDir: req.templatesDir } : {}),
      ...(req.config ? { config: req.config } : {}),
      onWarning: (w: string) => { if (!warnings.includes(w)) warnings.push(w); },
    };
    for (const format of req.formats) {
      for (const file of await renderFormat(format, model, base, renderOptions, req.sign)) {
        put(file.name, file.bytes);
        if (file.signed && req.store) signatures.push((await import('./store/signature.js')).signatureRecord(file.name, file.bytes));
      }
    }
    if (req.bundle) {
      const { evidenceBundle, builtInRuleFiles } = await import('./report/sign/bundle.js');
      const bundle = await evidenceBundle({
        model, reports: [...reports], inputs: files, cwd: req.cwd, signing: req.sign, builtInMappingsDir: builtInMappingsDir(),
        mappings: [...built.frameworks.map((f) => f.path), ...builtInRuleFiles(builtInMappingsDir())],
        ...(built.exceptions !== undefined ? { exceptions: built.exceptions } : {}),
      });
      put(`${base}.tlsproof.zip`, bundle);
    }
    if (req.stream) {
      try {
        for (const r of reports) req.stream(r.bytes);
      } catch (err) {
        throw streamError(err);
      }
    }
    written = outputs.commit();
    // Recorded last: a run is in the store only once every output it names is in place.
    runSeq = await recordCompared(req, comparison, signatures);
  } catch (err) {
    outputs.rollback();
    throw err;
  }
  outputs.finish();
  return { model, written, problems, files, runSeq, warnings };
}
