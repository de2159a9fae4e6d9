/**
 * `tlsproof report <inputs...>`: argv → pipeline → files, then the summary, the input problems and
 * the --fail-on gate. Exit codes from ../exit-codes.ts.
 */
import { resolve } from 'node:path';
import { ReportError } from '../../errors.js';
import type { IngesterId } from '../../ingest/index.js';
import { DEFAULT_STORE_PATH } from '../../store/defaults.js';
import { packageVersion } from '../../version.js';
import { frameworkShortName } from '../../report/framework-names.js';
import { EXIT_GATE, EXIT_OK, EXIT_PROBLEMS, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { recordedLine } from '../recorded.js';
import { parseCommandArgs } from '../args.js';
import { parseFormats, signedFormats } from '../formats.js';
import type { OutputFormatId } from '../../report/formats/index.js';
import { MSG, OUT } from '../messages.js';

async function reportConfig(file: string | undefined, org: string | undefined, title: string | undefined, cwd: string) {
  const { resolveReportConfig } = await import('../../config/load.js');
  const loaded = await resolveReportConfig(file, cwd);
  if (loaded === undefined || (org === undefined && title === undefined)) return loaded;
  return { ...loaded, ...(org !== undefined ? { organisation: org } : {}), ...(title !== undefined ? { title } : {}) };
}

async function inputFormat(value: string): Promise<IngesterId> {
  // Loaded here, not at start-up: the ingesters pull in csv-parse, saxes and iconv-lite.
  const { INGESTER_IDS, isIngesterId } = await import('../../ingest/index.js');
  if (!isIngesterId(value)) {
    throw new ReportError('format-unknown', { value }, MSG.inputFormatUnknown(value, INGESTER_IDS));
  }
  return value;
}

function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);
}

function isoInstant(value: string, option: string): string {
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(d.getTime())) {
    throw new ReportError('date-invalid', { option, value }, MSG.isoInstant(option, value));
  }
  return d.toISOString();
}


export async function reportCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs({
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
      sign: { type: 'string' }, 'sign-passphrase-file': { type: 'string' }, 'fail-on': { type: 'string' }, bundle: { type: 'boolean' }, tsa: { type: 'string' },
    },
  }, MSG.seeHelp('report'));
  if (positionals.length === 0) {
    throw new ReportError('usage', {}, MSG.reportNeedsInput());
  }
  const { checkStream, runReport } = await import('../../pipeline.js');
  const formats = parseFormats(values.format);
  const toStdout = values.out === '-';
  checkStream(formats, toStdout);
  const epoch = io.env['SOURCE_DATE_EPOCH'];
  const generatedAt = values['generated-at'] ? isoInstant(values['generated-at'], '--generated-at')
    : epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000).toISOString()
    : io.now().toISOString();
  if (values['report-date'] && !/^\d{4}-\d{2}-\d{2}$/.test(values['report-date'])) {
    throw new ReportError('date-invalid', {}, MSG.dateOnly('--report-date', values['report-date']));
  }
  // --config FILE, else ./report.config.yaml when present; --org and --title beat the file's values.
  const config = await reportConfig(values.config, values.org, values.title, io.cwd);
  const deadlines = config !== undefined && Object.keys(config.remediationDeadlines).length > 0 ? config.remediationDeadlines : undefined;
  if (values['no-exceptions'] && values.exceptions !== undefined) throw new ReportError('usage', {}, MSG.exceptionsAndNoExceptions());
  // --exceptions FILE, else exceptions.yaml next to the config file in use (never the .example file).
  const { exceptionsPathFor } = await import('../../map/exceptions-file.js');
  const exceptionsFile = values['no-exceptions'] ? undefined : exceptionsPathFor(values.exceptions, config?.source, io.cwd);
  const common = {
    inputs: positionals, domains: values.domains, organisation: values.org, title: values.title, period: values.period,
    frameworks: list(values.frameworks), strict: values.strict ?? false, generatedAt, reportDate: values['report-date'],
    observedAt: values['observed-at'] ? isoInstant(values['observed-at'], '--observed-at') : undefined,
    mappingsDirs: values.mappings, templatesDir: values.templates === undefined ? undefined : resolve(io.cwd, values.templates), cwd: io.cwd, toolVersion: packageVersion(),
    store: values['no-store'] ? undefined : {
      path: resolve(io.cwd, values.store ?? DEFAULT_STORE_PATH), command: ['report', ...args], recordedAt: io.now().toISOString(),
      ...(values['store-read-only'] ? { readOnly: true } : {}),
      // The config's remediation deadlines decide what the history comparison calls overdue.
      ...(deadlines !== undefined ? { history: { deadlines } } : {}),
    },
    fiscalYearStartMonth: (await import('./diff.js')).parseMonth(values['fiscal-year-start'], '--fiscal-year-start') ?? config?.fiscalYearStartMonth,
    config,
    ...(exceptionsFile !== undefined ? { exceptions: { file: exceptionsFile } } : {}),
    inputFormat: values['input-format'] === undefined ? undefined : await inputFormat(values['input-format']),
    // Built-in scanner, used when the inputs are a domain list without scan results
    scan: values['no-scan'] ? false as const : {
      ...(values.resolver ? { resolver: values.resolver } : {}),
      ...(values['ca-file'] ? { caFiles: values['ca-file'].map((f) => resolve(io.cwd, f)) } : {}),
      ...(values['scan-out'] ? { outDir: resolve(io.cwd, values['scan-out']) } : {}),
      ...(values['ipv4-only'] ? { ipv6: false } : {}),
    },
  };
  if (values['no-store'] && values['store-read-only']) {
    throw new ReportError('usage', {}, MSG.readOnlyAndNoStore());
  }
  const gate = (await import('../fail-on.js')).parseFailOn(values['fail-on']);
  const sign = await signingFor(values.sign, values['sign-passphrase-file'], formats, values.bundle === true, io, values.tsa);
  if (values.bundle && toStdout) throw new ReportError('usage', {}, MSG.bundleToStdout());
  if (values['no-store'] && values.store !== undefined) {
    throw new ReportError('usage', {}, MSG.storeAndNoStore());
  }
  // Standard output is one more place to write to: the run is refused, recorded and rendered as any other.
  const outcome = await runReport({
    ...common, sign, bundle: values.bundle, formats,
    outDir: toStdout ? io.cwd : resolve(io.cwd, values.out ?? 'report'),
    stream: toStdout ? (bytes: Uint8Array) => io.stdout(new TextDecoder().decode(bytes)) : undefined,
    outputHooks: io.outputHooks,
  });
  if (!values.quiet && !toStdout) {
    const m = outcome.model;
    const s = m.summary;
    io.stdout(OUT.reportSummary(m.report.id, s.endpoints, s.findingsByStatus.fail, s.findingsByStatus.warn, m.frameworks.length));
    for (const fw of m.frameworks) io.stdout(OUT.frameworkCounts(frameworkShortName(fw), fw.counts));
    if (m.exceptions.source !== null) io.stdout(`${(await import('../exceptions-summary.js')).exceptionsSummaryLine(m.exceptions)}\n`);
    for (const w of outcome.written) io.stdout(OUT.wrote(w));
    if (outcome.runSeq !== undefined && common.store) io.stdout(recordedLine(outcome.runSeq, common.store.path, m.history ?? null));
  }
  // Warnings go to stderr even with --quiet: the report was written but does not look as intended.
  for (const w of outcome.warnings) io.stderr(`tlsproof: warning: ${w}\n`);
  // An exception that lapsed or matches nothing is never passed over in silence.
  for (const w of (await import('../exceptions-summary.js')).exceptionWarnings(outcome.model.exceptions)) io.stderr(`tlsproof: warning: ${w}\n`);
  reportProblems(outcome.problems, io);
  return await gateExit(outcome.model, gate, outcome.problems.length > 0 ? EXIT_PROBLEMS : EXIT_OK, io);
}

/** --fail-on: exit 3 (after the report is written) when findings trip the gate; else the exit code as it was. */
async function gateExit(model: import('../../model/report-model.js').ReportModel, gate: import('../fail-on.js').FailOn | undefined, code: ExitCode, io: CliIo): Promise<ExitCode> {
  if (gate === undefined) return code;
  const { gateFindings, describeGate } = await import('../fail-on.js');
  const tripped = gateFindings(model, gate);
  if (tripped.length === 0) return code;
  io.stderr(`tlsproof: --fail-on: ${tripped.length} ${describeGate(gate)}:\n`);
  for (const f of tripped.slice(0, 10)) io.stderr(`  ${f.severity.padEnd(8)} ${f.status.padEnd(4)} ${f.checkId} on ${f.endpoint.host}:${f.endpoint.port}\n`);
  if (tripped.length > 10) io.stderr(`  ${MSG.andMore(tripped.length - 10)}\n`);
  return EXIT_GATE;
}

/** --sign: the key and chain, loaded before anything runs so a wrong passphrase costs no scan. */
async function signingFor(file: string | undefined, passphraseFile: string | undefined, formats: readonly OutputFormatId[], bundle: boolean, io: CliIo, tsa?: string) {
  if (file === undefined) {
    if (passphraseFile !== undefined) throw new ReportError('usage', {}, MSG.passphraseWithoutSign());
    if (tsa !== undefined) throw new ReportError('usage', {}, MSG.tsaWithoutSign());
    return undefined;
  }
  if (tsa !== undefined && !/^https?:\/\/./.test(tsa)) throw new ReportError('usage', {}, MSG.tsaNotUrl(tsa));
  const signed = signedFormats();
  if (!bundle && !formats.some((f) => signed.includes(f))) throw new ReportError('usage', {}, MSG.signNeedsFormat(signed));
  const { loadSigningCredentials, readPassphrase } = await import('../../evidence/credentials.js');
  const passphrase = await readPassphrase(passphraseFile === undefined ? undefined : resolve(io.cwd, passphraseFile), io.env);
  const credentials = await loadSigningCredentials(resolve(io.cwd, file), passphrase);
  const timestamp = tsa === undefined ? undefined : (await import('../../evidence/tsa.js')).timestamper(tsa);
  return { credentials, signingTime: io.now(), timestamp };
}

function reportProblems(problems: readonly { file: string; line?: number | undefined; column?: number | undefined; message: string; effect: string }[], io: CliIo): void {
  if (problems.length === 0) return;
  io.stderr(`tlsproof: ${MSG.inputProblems(problems.length)}\n`);
  for (const p of problems.slice(0, 10)) {
    io.stderr(`  ${[p.file, p.line, p.column].filter((x) => x !== undefined).join(':')}: ${p.message} (${p.effect.replace('-', ' ')})\n`);
  }
  if (problems.length > 10) io.stderr(`  ${MSG.andMore(problems.length - 10)}\n`);
}
