/**
 * The `tlsproof` command line: argv → pipeline → files, with exit codes 0 (report written, no
 * input problems), 1 (report written, but some input was skipped) and 2 (nothing written).
 * Heavy modules load only for the command that needs them, so --help and --version start fast.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ReportError } from '../errors.js';
import { packageVersion } from '../version.js';

export { packageVersion };
import type { IngesterId } from '../ingest/index.js';
// Evidence store (issue 6): errors and the default path only; SQLite loads with the commands that use it.
import { StoreError } from '../store/errors.js';
import { DEFAULT_STORE_PATH } from '../store/defaults.js';
import { recordedLine } from './recorded.js';

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_FATAL = 2;

const HELP = `tlsproof — audit-ready evidence that your mail servers encrypt email in transit

Usage:
  tlsproof report <inputs...> [options]   build HTML/PDF/JSON reports from scan results
  tlsproof scan <domains.csv> --out DIR    discover and assess every mail endpoint of the listed domains
  tlsproof templates init DIR              copy the report templates and a commented report.config.yaml to edit
  tlsproof frameworks [--json]            the frameworks tlsproof maps to, with versions and control counts
  tlsproof controls <framework> [--json]  a framework's controls and the checks that give evidence for them
  tlsproof explain <check-id> [--json]    every control a check touches, across frameworks, and why
  tlsproof history [show RUN]             list the runs in the evidence store, or show one
  tlsproof diff [FROM] TO                 compare two periods from the evidence store (e.g. 2026-Q2 2026-Q3)
  tlsproof store verify|export|regenerate check the evidence store, export it as JSON lines, rebuild a past report
  tlsproof --version | --help

Inputs are scanner exports, folders of them, or globs ("scans/*.csv"): testssl.sh CSV and JSON, Nessus CSV,
Greenbone/OpenVAS CSV, nmap XML (ssl-enum-ciphers, ssl-cert), SSLyze JSON and tlsproof's own scan results;
or a domain list, which tlsproof then scans itself.

Report options:
  --domains FILE        domain list CSV (domain, owner, business_unit, data_classes, frameworks, notes):
                        sets the report's scope and which frameworks apply to each domain
  --org NAME            organisation named on the cover
  --title TEXT          report title (default: "Email transport encryption evidence")
  --period P            2026-Q3 | 2026-H2 | 2026-09 | 2026 | 2026-07-01..2026-09-30 | FY2027 | FY2027-Q1;
                        with a store, the history section compares this period's state with the previous one
  --frameworks LIST     only these frameworks, e.g. hipaa,pci-dss (default: all loaded)
  --format LIST         any of html,pdf,json (default: html,pdf)
  --out DIR             output folder (default: ./report)
  --strict              any input problem stops the run before anything is written (exit 2)
  --generated-at ISO    generation time to print (default: SOURCE_DATE_EPOCH, else now);
                        with the same inputs, the same value gives byte-identical reports
  --report-date DATE    date expiry windows count from (default: the generation date, UTC)
  --observed-at ISO     when the scans ran, for inputs that carry no time (default: file mtime)
  --mappings DIR        extra or overriding mapping files (repeatable)
  --templates DIR       HTML templates overriding the built-in ones of the same name
  --config FILE         report.config.yaml: branding, classification, sections, text blocks, sign-off
                        (default: ./report.config.yaml when present)
  --quiet               print nothing but errors
  --input-format NAME   read every input as this format instead of detecting it

Scanning (when the inputs are a domain list and no scan results, tlsproof scans the domains first):
  --resolver IP[:PORT]  DNS server for every lookup (default: the system's)
  --ca-file FILE        extra trusted CA (internal mail relays); repeatable
  --scan-out DIR        keep the scan results (scan.jsonl, summary.csv) in DIR
  --ipv4-only           do not probe AAAA addresses
  --no-scan             never scan; a domain list alone is then an error
  --store PATH          evidence store that records every run (default ${DEFAULT_STORE_PATH});
                        with earlier runs in it, the report compares its period with the previous one
  --no-store            do not record this run
  --store-read-only     compare with the store's runs (history section) without recording this one; the store is not written
  --fiscal-year-start M month (1-12 or a name) the fiscal year starts in, for --period FY2027 / FY2027-Q1
                        (default: fiscalYearStart in report.config.yaml, else January)

Examples:
  tlsproof report samples/testssl --domains samples/domains.csv --org "Example Health" --period 2026-Q3
  tlsproof report 'scans/**/*.csv' --frameworks hipaa --format pdf --out evidence/2026-Q3
  tlsproof report domains.csv --org "Example Health" --scan-out scans/2026-Q3   (scan, then report)
  tlsproof report scan.csv --strict --format json --out -    (JSON model to standard output)

Exit codes: 0 report written · 1 report written, some input skipped (listed in its appendix) · 2 nothing written`;

export 
async function reportConfig(file: string | undefined, org: string | undefined, title: string | undefined, cwd: string) {
  const { resolveReportConfig } = await import('../config/load.js');
  const loaded = await resolveReportConfig(file, cwd);
  if (loaded === undefined || (org === undefined && title === undefined)) return loaded;
  return { ...loaded, ...(org !== undefined ? { organisation: org } : {}), ...(title !== undefined ? { title } : {}) };
}

async function inputFormat(value: string): Promise<IngesterId> {
  // Loaded here, not at start-up: the ingesters pull in csv-parse, saxes and iconv-lite.
  const { INGESTER_IDS, isIngesterId } = await import('../ingest/index.js');
  if (!isIngesterId(value)) {
    throw new ReportError('format-unknown', { value }, `--input-format "${value}" is not one of ${INGESTER_IDS.join(', ')}.`);
  }
  return value;
}

function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);
}

function isoInstant(value: string, option: string): string {
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(d.getTime())) {
    throw new ReportError('date-invalid', { option, value }, `${option} "${value}" is not an ISO 8601 date or time, e.g. 2026-10-01T09:00:00Z.`);
  }
  return d.toISOString();
}

export interface CliIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
}

async function reportCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: {
      domains: { type: 'string' }, org: { type: 'string' }, title: { type: 'string' }, period: { type: 'string' },
      frameworks: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, strict: { type: 'boolean' },
      'generated-at': { type: 'string' }, 'report-date': { type: 'string' }, 'observed-at': { type: 'string' },
      mappings: { type: 'string', multiple: true }, templates: { type: 'string' }, quiet: { type: 'boolean' },
      store: { type: 'string' }, 'no-store': { type: 'boolean' }, 'store-read-only': { type: 'boolean' }, 'fiscal-year-start': { type: 'string' },
      'no-scan': { type: 'boolean' }, resolver: { type: 'string' }, 'ca-file': { type: 'string', multiple: true },
      'scan-out': { type: 'string' }, 'ipv4-only': { type: 'boolean' }, 'input-format': { type: 'string' }, config: { type: 'string' },
    },
  });
  if (positionals.length === 0) {
    throw new ReportError('usage', {}, 'tlsproof report needs at least one input: a testssl.sh CSV file, a folder or a glob. See tlsproof --help.');
  }
  const { OUTPUT_FORMATS, runReport } = await import('../pipeline.js');
  const formats = list(values.format) ?? ['html', 'pdf'];
  const bad = formats.filter((f) => !(OUTPUT_FORMATS as readonly string[]).includes(f));
  if (bad.length > 0) {
    throw new ReportError('format-unknown', { bad }, `--format ${bad.map((b) => `"${b}"`).join(', ')} is not one of ${OUTPUT_FORMATS.join(', ')}.`);
  }
  const toStdout = values.out === '-';
  if (toStdout && (formats.length !== 1 || formats[0] !== 'json')) {
    throw new ReportError('usage', {}, '--out - (standard output) works only with --format json.');
  }
  const epoch = io.env['SOURCE_DATE_EPOCH'];
  const generatedAt = values['generated-at'] ? isoInstant(values['generated-at'], '--generated-at')
    : epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000).toISOString()
    : io.now().toISOString();
  if (values['report-date'] && !/^\d{4}-\d{2}-\d{2}$/.test(values['report-date'])) {
    throw new ReportError('date-invalid', {}, `--report-date "${values['report-date']}" must be a date like 2026-09-30.`);
  }
  // --config FILE, else ./report.config.yaml when present; --org and --title beat the file's values.
  const config = await reportConfig(values.config, values.org, values.title, io.cwd);
  const deadlines = config !== undefined && Object.keys(config.remediationDeadlines).length > 0 ? config.remediationDeadlines : undefined;
  const common = {
    inputs: positionals, domains: values.domains, organisation: values.org, title: values.title, period: values.period,
    frameworks: list(values.frameworks), strict: values.strict ?? false, generatedAt, reportDate: values['report-date'],
    observedAt: values['observed-at'] ? isoInstant(values['observed-at'], '--observed-at') : undefined,
    mappingsDirs: values.mappings, templatesDir: values.templates === undefined ? undefined : resolve(io.cwd, values.templates), cwd: io.cwd, toolVersion: packageVersion(),
    // Evidence store (issue 6)
    store: values['no-store'] ? undefined : {
      path: resolve(io.cwd, values.store ?? DEFAULT_STORE_PATH), command: ['report', ...args], recordedAt: io.now().toISOString(),
      ...(values['store-read-only'] ? { readOnly: true } : {}),
      // The config's remediation deadlines decide what the history comparison calls overdue.
      ...(deadlines !== undefined ? { history: { deadlines } } : {}),
    },
    fiscalYearStartMonth: (await import('./commands/diff.js')).parseMonth(values['fiscal-year-start'], '--fiscal-year-start') ?? config?.fiscalYearStartMonth,
    config,
    inputFormat: values['input-format'] === undefined ? undefined : await inputFormat(values['input-format']),
    // Built-in scanner, used when the inputs are a domain list without scan results (issue 4)
    scan: values['no-scan'] ? false as const : {
      ...(values.resolver ? { resolver: values.resolver } : {}),
      ...(values['ca-file'] ? { caFiles: values['ca-file'].map((f) => resolve(io.cwd, f)) } : {}),
      ...(values['scan-out'] ? { outDir: resolve(io.cwd, values['scan-out']) } : {}),
      ...(values['ipv4-only'] ? { ipv6: false } : {}),
    },
  };
  if (values['no-store'] && values['store-read-only']) {
    throw new ReportError('usage', {}, '--store-read-only reads the store and --no-store leaves it out; give one.');
  }
  if (values['no-store'] && values.store !== undefined) {
    throw new ReportError('usage', {}, '--store and --no-store contradict each other; give one.');
  }
  if (toStdout) {
    const { buildModel, recordRun } = await import('../pipeline.js');
    const { jsonRenderer } = await import('../report/json.js');
    const request = { ...common, formats: ['json'] as const, outDir: io.cwd };
    const built = await buildModel(request);
    const { problems } = built;
    if (common.strict && problems.length > 0) return strictFail(problems.length, io);
    const { model } = await recordRun(request, built);
    io.stdout(new TextDecoder().decode(await jsonRenderer.render(model, {})));
    reportProblems(problems, io);
    return problems.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
  }
  const outcome = await runReport({ ...common, formats: formats as typeof OUTPUT_FORMATS[number][], outDir: resolve(io.cwd, values.out ?? 'report') });
  if (!values.quiet) {
    const m = outcome.model;
    const s = m.summary;
    io.stdout(`Report ${m.report.id}: ${s.endpoints} endpoint${s.endpoints === 1 ? '' : 's'}, ` +
      `${s.findingsByStatus.fail} failing and ${s.findingsByStatus.warn} warning findings, ${m.frameworks.length} framework${m.frameworks.length === 1 ? '' : 's'}.\n`);
    for (const fw of m.frameworks) {
      io.stdout(`  ${fw.title} ${fw.version}: ${fw.counts.fail} fail, ${fw.counts.warn} warn, ${fw.counts.pass} pass, ${fw.counts['not-assessed']} not assessed\n`);
    }
    for (const w of outcome.written) io.stdout(`Wrote ${w}\n`);
    if (outcome.runSeq !== undefined && common.store) io.stdout(recordedLine(outcome.runSeq, common.store.path, m.history ?? null));
  }
  // Warnings go to stderr even with --quiet: the report was written but does not look as intended.
  for (const w of outcome.warnings) io.stderr(`tlsproof: warning: ${w}\n`);
  reportProblems(outcome.problems, io);
  return outcome.problems.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

function strictFail(n: number, io: CliIo): number {
  io.stderr(`tlsproof: --strict: ${n} input problem${n === 1 ? '' : 's'}; nothing written.\n`);
  return EXIT_FATAL;
}

function reportProblems(problems: readonly { file: string; line?: number | undefined; column?: number | undefined; message: string; effect: string }[], io: CliIo): void {
  if (problems.length === 0) return;
  io.stderr(`tlsproof: ${problems.length} input problem${problems.length === 1 ? '' : 's'} (listed in the report's appendix):\n`);
  for (const p of problems.slice(0, 10)) {
    io.stderr(`  ${[p.file, p.line, p.column].filter((x) => x !== undefined).join(':')}: ${p.message} (${p.effect.replace('-', ' ')})\n`);
  }
  if (problems.length > 10) io.stderr(`  … and ${problems.length - 10} more\n`);
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(`${HELP}\n`);
      return command === undefined ? EXIT_FATAL : EXIT_OK;
    }
    if (command === '--version' || command === '-v') {
      io.stdout(`tlsproof ${packageVersion()}\n`);
      return EXIT_OK;
    }
    if (command === 'report') {
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout(`${HELP}\n`);
        return EXIT_OK;
      }
      return await reportCommand(rest, io);
    }
    // Evidence store commands (issue 6)
    if (command === 'history') return await (await import('./commands/history.js')).historyCommand(rest, io);
    if (command === 'diff') return await (await import('./commands/diff.js')).diffCommand(rest, io);
    if (command === 'store') return await (await import('./commands/store.js')).storeCommand(rest, io);
    if (command === 'templates') return await (await import('./commands/templates.js')).templatesCommand(rest, io);
    // Built-in scanner (issue 4)
    if (command === 'scan') return await (await import('./commands/scan.js')).scanCommand(rest, io);
    // Control catalogue (issue 3)
    if (command === 'frameworks') return await (await import('./commands/frameworks.js')).frameworksCommand(rest, io);
    if (command === 'controls') return await (await import('./commands/controls.js')).controlsCommand(rest, io);
    if (command === 'explain') return await (await import('./commands/explain.js')).explainCommand(rest, io);
    throw new ReportError('usage', { command }, `Unknown command "${command}". Commands: report, scan, templates, frameworks, controls, explain, history, diff, store. See tlsproof --help.`);
  } catch (err) {
    if (err instanceof ReportError || err instanceof StoreError) {
      io.stderr(`tlsproof: ${err.message}\n`);
      return EXIT_FATAL;
    }
    if (err instanceof TypeError && 'code' in err && typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`tlsproof: ${err.message}. See tlsproof --help.\n`);
      return EXIT_FATAL;
    }
    io.stderr(`tlsproof: internal error, please report it with the command you ran:\n${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    return EXIT_FATAL;
  }
}
