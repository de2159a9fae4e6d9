/**
 * The `tlsproof` command line: argv → pipeline → files, with exit codes 0 (report written, no
 * input problems), 1 (report written, but some input was skipped), 2 (nothing written) and 3
 * (report written, and --fail-on found findings at or above its threshold).
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
/** Report written, and --fail-on found findings at or above its threshold (CI gate). */
export const EXIT_GATE = 3;

const HELP = `tlsproof — audit-ready evidence that your mail servers encrypt email in transit

Usage:
  tlsproof report <inputs...> [options]   build HTML/PDF/JSON reports from scan results
  tlsproof scan <domains.csv> --out DIR    discover and assess every mail endpoint of the listed domains
  tlsproof templates init DIR              copy the report templates, a commented report.config.yaml and exceptions.example.yaml
  tlsproof exceptions check [FILE]        validate an exception register and list what each entry matches in the store's latest run
  tlsproof frameworks [--json]            the frameworks tlsproof maps to, with versions and control counts
  tlsproof controls <framework> [--json]  a framework's controls and the checks that give evidence for them
  tlsproof explain <check-id> [--json]    every control a check touches, across frameworks, and why
  tlsproof history [show RUN]             list the runs in the evidence store, or show one
  tlsproof diff [FROM] TO                 compare two periods from the evidence store (e.g. 2026-Q2 2026-Q3)
  tlsproof store verify|export|regenerate|bundle  check the store, export it, rebuild or bundle a past report
  tlsproof verify FILE [--ca-file FILE]   check a signed PDF report or evidence bundle: what was altered, signature, chain
  tlsproof --version | --help

Inputs are scanner exports, folders of them, or globs ("scans/*.csv"): testssl.sh CSV and JSON, Nessus CSV and
.nessus, Greenbone/OpenVAS CSV and XML, Qualys VM CSV and XML, nmap XML (ssl-enum-ciphers, ssl-cert), SSLyze JSON
and tlsproof's own scan results;
or a domain list, which tlsproof then scans itself.

Report options:
  --domains FILE        domain list CSV (domain, owner, business_unit, data_classes, frameworks, notes):
                        sets the report's scope and which frameworks apply to each domain
  --org NAME            organisation named on the cover
  --title TEXT          report title (default: "Email transport encryption evidence")
  --period P            2026-Q3 | 2026-H2 | 2026-09 | 2026 | 2026-07-01..2026-09-30 | FY2027 | FY2027-Q1;
                        with a store, the history section compares this period's state with the previous one
  --frameworks LIST     only these frameworks, e.g. hipaa,pci-dss (default: those the --domains list
                        brings into scope by data class; without a list, the technical baselines
                        nist-800-52 and ietf, as mappings/scope.yaml sets)
  --format LIST         any of html,pdf,json,csv,oscal (default: html,pdf); csv writes <name>-findings.csv
                        (one row per finding) and <name>-controls.csv (one row per control); oscal writes
                        <name>.oscal.json, an OSCAL 1.1.3 Assessment Results document
  --out DIR             output folder (default: ./report)
  --strict              any input problem, or an observation dated outside --period, stops the run
                        before anything is written or recorded (exit 2)
  --generated-at ISO    generation time to print (default: SOURCE_DATE_EPOCH, else now);
                        with the same inputs, the same value gives byte-identical reports
  --report-date DATE    date expiry windows count from (default: the generation date, UTC)
  --observed-at ISO     when the scans ran, for inputs that carry no time (default: file mtime)
  --mappings DIR        extra or overriding mapping files (repeatable)
  --templates DIR       HTML templates overriding the built-in ones of the same name
  --config FILE         report.config.yaml: branding, classification, sections, text blocks, sign-off
                        (default: ./report.config.yaml when present)
  --exceptions FILE     exception register (accepted risks: what, why, compensating control, approver,
                        expiry); default: exceptions.yaml next to the report.config.yaml in use, when present
  --no-exceptions       apply no exception register
  --quiet               print nothing but errors
  --input-format NAME   read every input as this format instead of detecting it
  --fail-on LEVEL       for CI: exit 3 when a finding trips the gate: fail (any failing finding), warn
                        (any failing or warning one), or a severity info|low|medium|high|critical
                        (failing or warning findings at or above it); the report is written first;
                        findings accepted by an exception in force do not count, lapsed ones do

Signing and evidence bundles (checked by PDF readers, openssl and tlsproof verify):
  --bundle              also write <name>.tlsproof.zip: the reports, every input, the mapping files used and
                        manifest.json (SHA-256 of each, tool version), signed (manifest.json.p7s) with --sign
  --sign FILE           sign the PDF (PAdES) and the bundle manifest (detached CMS) with one PEM file
                        holding the signer's private key and certificate chain
                        (from PKCS#12: openssl pkcs12 -in signer.p12 -out signer.pem)
  --tsa URL             add an RFC 3161 time-stamp from this authority to the signatures (PAdES B-T)
  --sign-passphrase-file FILE
                        passphrase of an encrypted key, first line of FILE; else the
                        TLSPROOF_SIGN_PASSPHRASE environment variable (never on the command line)

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
  tlsproof report samples/2026-Q3 --domains samples/domains.csv --org "Example Health" --period 2026-Q3
  tlsproof report 'scans/**/*.csv' --frameworks hipaa --format pdf --out evidence/2026-Q3
  tlsproof report domains.csv --org "Example Health" --scan-out scans/2026-Q3   (scan, then report)
  tlsproof report scan.csv --strict --format json --out -    (JSON model to standard output)

Exit codes: 0 report written · 1 report written, some input skipped (listed in its appendix) · 2 nothing written
            · 3 report written, and --fail-on found findings at or above its threshold (wins over 1)
tlsproof verify: 0 verified · 1 something altered or not trusted · 2 file unreadable`;

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
      exceptions: { type: 'string' }, 'no-exceptions': { type: 'boolean' },
      // Signed evidence (issue 15)
      sign: { type: 'string' }, 'sign-passphrase-file': { type: 'string' }, 'fail-on': { type: 'string' }, bundle: { type: 'boolean' }, tsa: { type: 'string' },
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
  if (values['no-exceptions'] && values.exceptions !== undefined) throw new ReportError('usage', {}, '--exceptions and --no-exceptions contradict each other; give one.');
  // --exceptions FILE, else exceptions.yaml next to the config file in use (never the .example file).
  const { exceptionsPathFor } = await import('../exceptions/load.js');
  const exceptionsFile = values['no-exceptions'] ? undefined : exceptionsPathFor(values.exceptions, config?.source, io.cwd);
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
    ...(exceptionsFile !== undefined ? { exceptions: { file: exceptionsFile } } : {}),
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
  const gate = (await import('./fail-on.js')).parseFailOn(values['fail-on']);
  const sign = await signingFor(values.sign, values['sign-passphrase-file'], values.bundle === true ? [...formats, 'bundle'] : formats, io, values.tsa);
  if (values.bundle && toStdout) throw new ReportError('usage', {}, '--bundle writes a file; it does not work with --out -.');
  if (values['no-store'] && values.store !== undefined) {
    throw new ReportError('usage', {}, '--store and --no-store contradict each other; give one.');
  }
  // Standard output is one more place to write to: the run is refused, recorded and rendered as any other.
  const outcome = await runReport({
    ...common, sign, bundle: values.bundle, formats: formats as typeof OUTPUT_FORMATS[number][],
    outDir: toStdout ? io.cwd : resolve(io.cwd, values.out ?? 'report'),
    stream: toStdout ? (bytes: Uint8Array) => io.stdout(new TextDecoder().decode(bytes)) : undefined,
  });
  if (!values.quiet && !toStdout) {
    const m = outcome.model;
    const s = m.summary;
    io.stdout(`Report ${m.report.id}: ${s.endpoints} endpoint${s.endpoints === 1 ? '' : 's'}, ` +
      `${s.findingsByStatus.fail} failing and ${s.findingsByStatus.warn} warning findings, ${m.frameworks.length} framework${m.frameworks.length === 1 ? '' : 's'}.\n`);
    for (const fw of m.frameworks) {
      io.stdout(`  ${fw.title} ${fw.version}: ${fw.counts.fail} fail, ${fw.counts.warn} warn, ${fw.counts['risk-accepted'] > 0 ? `${fw.counts['risk-accepted']} risk accepted, ` : ''}${fw.counts.pass} pass, ${fw.counts.evidence} evidence supplied, ${fw.counts['not-assessed']} not assessed, ${fw.counts['not-graded']} not graded\n`);
    }
    if (m.exceptions.source !== null) io.stdout(`${(await import('./exceptions-summary.js')).exceptionsSummaryLine(m.exceptions)}\n`);
    for (const w of outcome.written) io.stdout(`Wrote ${w}\n`);
    if (outcome.runSeq !== undefined && common.store) io.stdout(recordedLine(outcome.runSeq, common.store.path, m.history ?? null));
  }
  // Warnings go to stderr even with --quiet: the report was written but does not look as intended.
  for (const w of outcome.warnings) io.stderr(`tlsproof: warning: ${w}\n`);
  // An exception that lapsed or matches nothing is never passed over in silence.
  for (const w of (await import('./exceptions-summary.js')).exceptionWarnings(outcome.model.exceptions)) io.stderr(`tlsproof: warning: ${w}\n`);
  reportProblems(outcome.problems, io);
  return await gateExit(outcome.model, gate, outcome.problems.length > 0 ? EXIT_PROBLEMS : EXIT_OK, io);
}

/** --fail-on: exit 3 (after the report is written) when findings trip the gate; else the exit code as it was. */
async function gateExit(model: import('../model/report-model.js').ReportModel, gate: import('./fail-on.js').FailOn | undefined, code: number, io: CliIo): Promise<number> {
  if (gate === undefined) return code;
  const { gateFindings, describeGate } = await import('./fail-on.js');
  const tripped = gateFindings(model, gate);
  if (tripped.length === 0) return code;
  io.stderr(`tlsproof: --fail-on: ${tripped.length} ${describeGate(gate)}:\n`);
  for (const f of tripped.slice(0, 10)) io.stderr(`  ${f.severity.padEnd(8)} ${f.status.padEnd(4)} ${f.checkId} on ${f.endpoint.host}:${f.endpoint.port}\n`);
  if (tripped.length > 10) io.stderr(`  … and ${tripped.length - 10} more\n`);
  return EXIT_GATE;
}

/** --sign: the key and chain, loaded before anything runs so a wrong passphrase costs no scan. */
async function signingFor(file: string | undefined, passphraseFile: string | undefined, formats: readonly string[], io: CliIo, tsa?: string) {
  if (file === undefined) {
    if (passphraseFile !== undefined) throw new ReportError('usage', {}, '--sign-passphrase-file is only read with --sign FILE.');
    if (tsa !== undefined) throw new ReportError('usage', {}, '--tsa time-stamps a signature: give --sign FILE too.');
    return undefined;
  }
  if (tsa !== undefined && !/^https?:\/\/./.test(tsa)) throw new ReportError('usage', {}, `--tsa "${tsa}" is not an http:// or https:// URL of an RFC 3161 time-stamp authority.`);
  if (!formats.includes('pdf') && !formats.includes('bundle')) throw new ReportError('usage', {}, '--sign signs the PDF report and the evidence bundle: add pdf to --format, or --bundle.');
  const { loadSigningCredentials, readPassphrase } = await import('../evidence/credentials.js');
  const passphrase = await readPassphrase(passphraseFile === undefined ? undefined : resolve(io.cwd, passphraseFile), io.env);
  const credentials = await loadSigningCredentials(resolve(io.cwd, file), passphrase);
  const timestamp = tsa === undefined ? undefined : (await import('../evidence/tsa.js')).timestamper(tsa);
  return { credentials, signingTime: io.now(), timestamp };
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
    // Signed evidence (issue 15)
    if (command === 'verify') return await (await import('./commands/verify.js')).verifyCommand(rest, io);
    if (command === 'templates') return await (await import('./commands/templates.js')).templatesCommand(rest, io);
    if (command === 'exceptions') return await (await import('./commands/exceptions.js')).exceptionsCommand(rest, io);
    // Built-in scanner (issue 4)
    if (command === 'scan') return await (await import('./commands/scan.js')).scanCommand(rest, io);
    // Control catalogue (issue 3)
    if (command === 'frameworks') return await (await import('./commands/frameworks.js')).frameworksCommand(rest, io);
    if (command === 'controls') return await (await import('./commands/controls.js')).controlsCommand(rest, io);
    if (command === 'explain') return await (await import('./commands/explain.js')).explainCommand(rest, io);
    throw new ReportError('usage', { command }, `Unknown command "${command}". Commands: report, scan, templates, exceptions, frameworks, controls, explain, history, diff, store, verify. See tlsproof --help.`);
  } catch (err) {
    if (err instanceof ReportError || err instanceof StoreError || (err instanceof Error && err.name === 'EvidenceError')) {
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
