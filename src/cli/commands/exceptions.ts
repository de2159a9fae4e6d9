/**
 * `tlsproof exceptions check [FILE]`: validates an exception register the way a report run does,
 * then rebuilds the latest run in the evidence store from its stored inputs (read-only: nothing is
 * recorded or written) and lists what each entry matches there, for CI before a report.
 * Exit 0: valid, every entry in force and matching; 1: valid, but some entry is expired, stale or not yet approved;
 * 2: refused (the file:line:column of each problem is printed).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ReportError } from '../../errors.js';
import type { ReportExceptionEntry, ReportExceptions } from '../../model/exceptions.js';
import type { ReportFinding } from '../../model/report-model.js';
import type { RecordedRequest } from '../../store/record.js';
import { DEFAULT_STORE_PATH } from '../../store/defaults.js';
import type { CliIo } from '../io.js';
import { shortTime, storePathFrom } from './history.js';
import { EXIT_OK, EXIT_PROBLEMS, type ExitCode } from '../exit-codes.js';
import { MSG, OUT } from '../messages.js';

const EXCEPTIONS_HELP = `Usage: tlsproof exceptions check [FILE] [options]

Validates an exception register (exceptions.yaml) as a report run would: required fields, known
check ids and controls, dates, expiry at most the maximum duration after approval, unique ids.
Then lists what each entry matches in the latest run of the evidence store (rebuilt from its
stored inputs; the store is only read), judged on --report-date (default: today, UTC).

FILE defaults to exceptions.yaml next to the report.config.yaml in use, else ./exceptions.yaml.

Options:
  --config FILE        report.config.yaml (exceptions.maxMonths); default ./report.config.yaml when present
  --mappings DIR       extra or overriding mapping files, as given to tlsproof report (repeatable)
  --store PATH         evidence store (default ${DEFAULT_STORE_PATH})
  --no-store           validate only
  --report-date DATE   the date approval and expiry are judged on (yyyy-mm-dd)
  --json               the register as the report model carries it, plus the run it was matched against

Exit codes: 0 valid, every entry in force and matching · 1 valid, some entry expired, stale or not yet approved
            · 2 refused (each problem with file:line:column) or the store unreadable`;

export async function exceptionsCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: {
      config: { type: 'string' }, mappings: { type: 'string', multiple: true }, store: { type: 'string' }, 'no-store': { type: 'boolean' },
      'report-date': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${EXCEPTIONS_HELP}\n`);
    return EXIT_OK;
  }
  const [sub, fileArg, ...extra] = positionals;
  if (sub !== 'check' || extra.length > 0) {
    throw new ReportError('usage', { args }, MSG.exceptionsUsage());
  }
  const reportDate = values['report-date'] ?? io.now().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(reportDate)) throw new ReportError('date-invalid', {}, MSG.dateOnly('--report-date', reportDate));
  if (values['no-store'] && values.store !== undefined) throw new ReportError('usage', {}, MSG.storeAndNoStore());

  const { resolveReportConfig } = await import('../../config/load.js');
  const { exceptionsPathFor, DEFAULT_EXCEPTIONS_FILE, loadExceptions } = await import('../../map/exceptions-file.js');
  const { builtInMappingsDir, loadMappings } = await import('../../map/load.js');
  const config = await resolveReportConfig(values.config, io.cwd);
  const local = resolve(io.cwd, DEFAULT_EXCEPTIONS_FILE);
  const file = exceptionsPathFor(fileArg, config?.source, io.cwd) ?? (existsSync(local) ? local : undefined);
  if (file === undefined) {
    throw new ReportError('usage', {}, MSG.exceptionsNoFile(DEFAULT_EXCEPTIONS_FILE));
  }
  const shown = displayName(file, io.cwd);
  const mappingsDirs = (values.mappings ?? []).map((d) => resolve(io.cwd, d));
  const mappings = loadMappings({ builtInDir: builtInMappingsDir(), userDirs: mappingsDirs });
  const loaded = await loadExceptions(file, { maxMonths: config?.exceptionMaxMonths, frameworks: mappings.frameworks }, shown);
  const count = `${loaded.entries.length} exception${loaded.entries.length === 1 ? '' : 's'}`;

  const run = values['no-store'] ? undefined : await latestRun(storePathFrom(values.store, io), io);
  if (run === undefined) {
    if (values.json) io.stdout(`${JSON.stringify({ file: shown, sha256: loaded.sha256, maxMonths: loaded.maxMonths, run: null, entries: loaded.entries }, null, 2)}\n`);
    else {
      io.stdout(OUT.exceptionsValid(shown, count, loaded.maxMonths));
      io.stdout(OUT.exceptionsNotMatched(values['no-store'] === true));
    }
    return EXIT_OK;
  }
  const model = await rebuild(run, loaded.text, shown, reportDate, mappingsDirs, config);
  const register = model.exceptions;
  const findings = new Map(model.findings.map((f) => [f.id, f]));
  if (values.json) {
    io.stdout(`${JSON.stringify({ run: { seq: run.seq, reportId: run.reportId, recordedAt: run.recordedAt }, reportDate, ...register }, null, 2)}\n`);
  } else {
    io.stdout(OUT.exceptionsValid(shown, count, register.maxMonths));
    io.stdout(OUT.exceptionsMatched(run.seq, run.reportId, shortTime(run.recordedAt), reportDate));
    for (const entry of register.entries) io.stdout(describeEntry(entry, findings));
    io.stdout(summaryLine(register));
  }
  // An expired, stale or not yet approved entry is a problem to fix before the report, as skipped input is.
  return register.entries.some((e) => e.state === 'expired' || e.state === 'stale' || e.state === 'not-yet-approved') ? EXIT_PROBLEMS : EXIT_OK;
}

function displayName(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

const STATE_TEXT: Readonly<Record<ReportExceptionEntry['state'], string>> = {
  active: 'active', 'expiring-soon': 'EXPIRING SOON', expired: 'EXPIRED', stale: 'STALE', 'not-yet-approved': 'NOT YET APPROVED',
};

function describeEntry(entry: ReportExceptionEntry, findings: ReadonlyMap<string, ReportFinding>): string {
  const n = entry.matchedFindingIds.length;
  const what = entry.state === 'stale'
    ? 'matches no failing or warning finding: the risk is gone or the match is wrong; remove the entry or correct it'
    : entry.state === 'expired'
      ? `expired on ${entry.expires}; ${n === 0 ? 'it matched nothing either' : `${n} finding${n === 1 ? ' is' : 's are'} open again`}: renew it with a new approval or fix the findings`
      : entry.state === 'not-yet-approved'
        ? `approved on ${entry.approvedOn}, after the report date, so it accepts nothing yet; ${n === 0 ? 'it matches nothing either' : `${n} finding${n === 1 ? ' is' : 's are'} open`}`
      : `${n} finding${n === 1 ? '' : 's'} accepted until ${entry.expires}${entry.state === 'expiring-soon' ? ' (within 30 days: renew or fix)' : ''}`;
  const lines = [`  ${entry.id}  ${STATE_TEXT[entry.state]}  line ${entry.line}: ${what}\n`];
  for (const id of entry.matchedFindingIds) {
    const f = findings.get(id);
    lines.push(`      ${f === undefined ? id : `${f.status.toUpperCase().padEnd(4)} ${f.checkId} on ${f.endpoint.host}:${f.endpoint.port} (${f.endpoint.service}): ${f.message}`}\n`);
  }
  return lines.join('');
}

function summaryLine(register: ReportExceptions): string {
  const by = (s: ReportExceptionEntry['state']) => register.entries.filter((e) => e.state === s).length;
  return `${by('active')} active, ${by('expiring-soon')} expiring within 30 days, ${by('expired')} expired, ${by('stale')} stale` +
    `${by('not-yet-approved') === 0 ? '' : `, ${by('not-yet-approved')} not yet approved`}; ` +
    `findings: ${register.counts.accepted} accepted, ${register.counts.open} open (${register.counts.lapsed} of them after an exception expired).\n`;
}

interface StoredRun {
  readonly seq: number;
  readonly reportId: string;
  readonly recordedAt: string;
  readonly request: RecordedRequest;
  readonly inputs: { file: string; kind: string; observedAt: string; content: Buffer }[];
}

/** The newest run with its request and inputs, or undefined when there is no store or it is empty. */
async function latestRun(path: string, io: CliIo): Promise<StoredRun | undefined> {
  if (!existsSync(path)) {
    io.stderr(`tlsproof exceptions: ${MSG.exceptionsNoStore(path)}\n`);
    return undefined;
  }
  const { EvidenceStore } = await import('../../store/store.js');
  const { packageVersion } = await import('../../version.js');
  const store = EvidenceStore.open(path, { toolVersion: packageVersion(), mode: 'read' });
  try {
    const runs = store.listRuns();
    const last = runs[runs.length - 1];
    if (last === undefined) return undefined;
    const detail = store.runDetail(last.seq);
    return {
      seq: last.seq, reportId: last.reportId, recordedAt: last.recordedAt, request: detail.request as unknown as RecordedRequest,
      inputs: store.inputsOf(last.seq),
    };
  } finally {
    store.close();
  }
}

/**
 * Rebuilds the run's model from its stored inputs in a temporary folder, as `store regenerate`
 * does, with the register applied and nothing written or recorded.
 */
async function rebuild(run: StoredRun, text: string, shown: string, reportDate: string, mappingsDirs: readonly string[],
  config: import('../../config/schema.js').ReportConfig | undefined) {
  const { restoreInputs } = await import('../../store/restore.js');
  const { buildModel } = await import('../../pipeline.js');
  const { packageVersion } = await import('../../version.js');
  const req = run.request;
  const work = await mkdtemp(join(tmpdir(), 'tlsproof-exceptions-'));
  try {
    // The run's own --mappings files are not restored: the register is checked against the mappings given here.
    const { files, domains } = await restoreInputs(run.inputs, req, work, { mappings: false });
    const built = await buildModel({
      inputs: files, domains, organisation: req.organisation ?? undefined, title: req.title ?? undefined, period: req.period ?? undefined,
      frameworks: req.frameworks ?? undefined, formats: [], outDir: work, strict: false,
      generatedAt: `${reportDate}T00:00:00.000Z`, reportDate, observedAt: req.observedAt ?? undefined,
      mappingsDirs, cwd: work, toolVersion: packageVersion(), fiscalYearStartMonth: req.fiscalYearStartMonth ?? undefined,
      scan: false, config, exceptions: { file: shown, text },
    });
    return built.model;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
