/**
 * The pipeline, in order: ingest → merge → checks → map → build model → render → write.
 * The only module that knows the order; every stage is a function of the previous one's output.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { formatInTimeZone } from './time.js';
import { runChecks } from './checks/index.js';
import { ReportError } from './errors.js';
import { ingest, type IngestedFile } from './ingest/index.js';
import { builtInMappingsDir, loadMappings } from './map/load.js';
import { resolveAssetScopes } from './map/scope.js';
import type { Finding } from './model/finding.js';
import { mergeObservations } from './model/merge.js';
import { parsePeriod } from './model/period.js';
import { formatProblem, type InputProblem } from './model/problem.js';
import type { ReportModel } from './model/report-model.js';
import { buildReportModel } from './report/build-model.js';
import type { Renderer } from './report/types.js';

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
  readonly mappingsDirs?: readonly string[] | undefined;
  readonly templatesDir?: string | undefined;
  readonly cwd: string;
  readonly toolVersion: string;
}

export interface ReportOutcome {
  readonly model: ReportModel;
  readonly written: string[];
  readonly problems: readonly InputProblem[];
  readonly files: readonly IngestedFile[];
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
export async function buildModel(req: ReportRequest): Promise<{ model: ReportModel; problems: InputProblem[]; files: IngestedFile[] }> {
  const period = req.period ? parsePeriod(req.period) : undefined;
  const reportDate = req.reportDate ?? formatInTimeZone(req.generatedAt, 'yyyy-MM-dd');
  const inputs = req.domains ? [...req.inputs, req.domains] : [...req.inputs];
  const ingested = await ingest(inputs, { cwd: req.cwd, ...(req.observedAt ? { observedAt: req.observedAt } : {}) });
  const problems = [...ingested.problems];
  if (req.domains && !ingested.files.some((f) => f.kind === 'domain-list-csv')) {
    throw new ReportError('domain-list-invalid', { file: req.domains },
      `--domains "${req.domains}" is not a domain list: it needs a header row with at least a "domain" column (also read: owner, business_unit, data_classes, frameworks, notes).`);
  }

  const mappings = loadMappings({ builtInDir: builtInMappingsDir(), userDirs: (req.mappingsDirs ?? []).map((d) => resolve(req.cwd, d)) });
  const known = new Set(mappings.frameworks.map((f) => f.framework.id));
  let frameworks = mappings.frameworks;
  if (req.frameworks && req.frameworks.length > 0) {
    const unknown = req.frameworks.filter((f) => !known.has(f));
    if (unknown.length > 0) {
      throw new ReportError('framework-unknown', { unknown },
        `Unknown framework${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} in --frameworks. Available: ${[...known].sort().join(', ')}.`);
    }
    const wanted = new Set(req.frameworks);
    frameworks = frameworks.filter((f) => wanted.has(f.framework.id));
  }

  const hasDomainList = ingested.files.some((f) => f.kind === 'domain-list-csv');
  const assets = hasDomainList ? resolveAssetScopes(ingested.domains, mappings.scope, known, problems) : undefined;
  const observations = mergeObservations(ingested.observations);
  const findings: Finding[] = [];
  for (const obs of observations) {
    for (const f of runChecks(obs, { reportDate })) findings.push(f);
  }
  const model = buildReportModel(
    { observations, findings, frameworks, assets, files: ingested.files, problems },
    {
      organisation: req.organisation ?? 'Organisation not named (use --org)',
      title: req.title ?? 'Email transport encryption evidence',
      period, generatedAt: req.generatedAt, reportDate, toolVersion: req.toolVersion,
      frameworksRequested: req.frameworks && req.frameworks.length > 0 ? req.frameworks : undefined,
    },
  );
  return { model, problems, files: ingested.files };
}

/** Builds the model, then renders and writes each format. With `strict`, any problem stops before writing. */
export async function runReport(req: ReportRequest): Promise<ReportOutcome> {
  const { model, problems, files } = await buildModel(req);
  if (req.strict && problems.length > 0) {
    throw new ReportError('strict-problems', { count: problems.length },
      `--strict: ${problems.length} input problem${problems.length === 1 ? '' : 's'}, nothing written:\n${problems.slice(0, 20).map((p) => `  ${formatProblem(p)}`).join('\n')}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''}`);
  }
  if (model.scope.endpoints.length === 0 && !files.some((f) => f.kind === 'testssl-csv')) {
    throw new ReportError('input-empty', {}, 'No scan results among the inputs: give at least one testssl.sh CSV file (a domain list alone describes scope, not evidence).');
  }
  await mkdir(req.outDir, { recursive: true });
  const base = `tlsproof-${model.report.period ? model.report.period.label.replace(/[^A-Za-z0-9]+/g, '-') : model.report.reportDate}`;
  const written: string[] = [];
  for (const format of req.formats) {
    const renderer = await rendererFor(format);
    const bytes = await renderer.render(model, req.templatesDir ? { templatesDir: req.templatesDir } : {});
    const target = join(req.outDir, `${base}${renderer.extension}`);
    // Write-then-rename: a crash never leaves a half-written report under the final name.
    const tmp = `${target}.partial`;
    await writeFile(tmp, bytes);
    await rename(tmp, target);
    written.push(target);
  }
  return { model, written, problems, files };
}
