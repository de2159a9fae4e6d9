/**
 * `tlsproof store verify | export | regenerate`: check the evidence store, write everything in it
 * as JSON lines, and rebuild a past report from the inputs it kept.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ReportError } from '../../errors.js';
import { checkOutputFile } from '../../output/location.js';
import { OutputSet } from '../../output/staged.js';
import type { RecordedRequest } from '../../store/record.js';
import type { EvidenceStore } from '../../store/store.js';
import { STORE } from '../../store/messages.js';
import type { CliIo } from '../io.js';
import { storePathFrom } from './history.js';
import type { PdfSigning } from '../../report/types.js';
import { parseCommandArgs } from '../args.js';
import { parseFormats } from '../formats.js';
import { DEFAULT_FORMATS, OUTPUT_FORMAT_IDS, type OutputFormatId } from '../../report/formats/index.js';
import { MSG, OUT } from '../messages.js';
import { EXIT_FATAL, EXIT_OK, EXIT_PROBLEMS, type ExitCode } from '../exit-codes.js';

/** What `store bundle` regenerates unless --format says otherwise: the PDF to file and the JSON model behind it. */
const BUNDLE_FORMATS: readonly OutputFormatId[] = ['pdf', 'json'];

const STORE_HELP = `Usage:
  tlsproof store verify [--store PATH] [--head SEQ:SHA256] [--json]
        SQLite integrity and foreign keys, the store format, append-only triggers, each run's row
        counts and content hash, the chain of runs and its head, the stored signatures, and every
        stored input against its SHA-256. --head: the chain head a report printed, checked against
        the store. Exit 0 when all hold, 1 if not. It also says what it cannot detect.
  tlsproof store export [--store PATH] [--out FILE]
        everything in the store as JSON lines (runs, inputs as base64, endpoints, observations,
        findings, certificates, problems, control results); to standard output unless --out
  tlsproof store regenerate RUN --out DIR [--format LIST] [--store PATH]
        rebuild run RUN's report (default formats ${DEFAULT_FORMATS.join(',')}; any of ${OUTPUT_FORMAT_IDS.join(',')}) from the
        inputs (and exceptions file) the store kept, with the options it was run with, and say
        whether it is identical to the recorded one
  tlsproof store bundle RUN --out DIR [--format LIST] [--sign FILE] [--sign-passphrase-file FILE]
        regenerate run RUN's report (default formats ${BUNDLE_FORMATS.join(',')}) and write the evidence bundle
        <name>.tlsproof.zip beside it: reports, the stored inputs, mapping files and a manifest,
        signed with --sign (passphrase from TLSPROOF_SIGN_PASSPHRASE or --sign-passphrase-file)`;

export async function storeCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs({
    args, allowPositionals: true, strict: true,
    options: {
      store: { type: 'string' }, json: { type: 'boolean' }, out: { type: 'string' }, format: { type: 'string' },
      help: { type: 'boolean', short: 'h' }, sign: { type: 'string' }, 'sign-passphrase-file': { type: 'string' }, head: { type: 'string' },
    },
  }, MSG.seeHelp('store'));
  const [sub, ...rest] = positionals;
  if (values.help || sub === undefined) {
    io.stdout(`${STORE_HELP}\n`);
    return sub === undefined && !values.help ? EXIT_FATAL : EXIT_OK;
  }
  const path = storePathFrom(values.store, io);
  if (sub === 'verify' && rest.length === 0) return verify(path, values.json ?? false, io, values.head);
  if (sub === 'export' && rest.length === 0) return exportStore(path, values.out, io);
  if (sub === 'regenerate' && rest.length === 1) {
    if (!values.out) throw new ReportError('usage', {}, MSG.storeNeedsOut('regenerate'));
    return regenerate(path, rest[0]!, resolve(io.cwd, values.out), parseFormats(values.format), io);
  }
  if (sub === 'bundle' && rest.length === 1) {
    if (!values.out) throw new ReportError('usage', {}, MSG.storeNeedsOut('bundle'));
    const sign = values.sign === undefined ? undefined : await signing(values.sign, values['sign-passphrase-file'], io);
    return regenerate(path, rest[0]!, resolve(io.cwd, values.out), parseFormats(values.format, BUNDLE_FORMATS), io, { bundle: true, sign });
  }
  throw new ReportError('usage', { sub }, MSG.storeUnknown(positionals.join(' ')));
}

/** The exceptions file a run applied, from the store's blobs; undefined when the run applied none. */
function storedExceptions(store: EvidenceStore, seq: number, req: RecordedRequest): { file: string; content: Buffer } | undefined {
  const cited = req.exceptions;
  if (cited === undefined || cited === null) return undefined;
  const content = store.blob(cited.sha256);
  if (content === undefined) {
    throw new ReportError('store-corrupt', { path: store.path, seq, sha256: cited.sha256 },
      STORE.storedExceptionsMissing(seq, cited.file, cited.sha256));
  }
  return { file: cited.file, content };
}

async function signing(file: string, passphraseFile: string | undefined, io: CliIo): Promise<PdfSigning> {
  const { loadSigningCredentials, readPassphrase } = await import('../../evidence/credentials.js');
  const passphrase = await readPassphrase(passphraseFile === undefined ? undefined : resolve(io.cwd, passphraseFile), io.env);
  return { credentials: await loadSigningCredentials(resolve(io.cwd, file), passphrase), signingTime: io.now() };
}

async function verify(path: string, json: boolean, io: CliIo, head: string | undefined): Promise<ExitCode> {
  const { verifyStore } = await import('../../store/verify.js');
  const m = head === undefined ? null : /^#?(\d+)[: ]([0-9a-fA-F]{64})$/.exec(head.trim());
  if (head !== undefined && m === null) {
    throw new ReportError('usage', { head }, MSG.storeHead(head));
  }
  const result = verifyStore(path, m === null ? {} : { expectHead: { seq: Number(m[1]), sha256: m[2]!.toLowerCase() } });
  if (json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else {
    io.stdout(OUT.storeHeader(path, result));
    for (const c of result.checks) io.stdout(OUT.storeCheck(c.ok, c.id, c.detail));
    if (result.head !== null) io.stdout(OUT.chainHead(result.head.seq, result.head.sha256));
    io.stdout(OUT.storeOutcome(result.ok));
    io.stdout(OUT.storeLimits(result.limits));
  }
  return result.ok ? EXIT_OK : EXIT_PROBLEMS;
}

async function exportStore(path: string, out: string | undefined, io: CliIo): Promise<ExitCode> {
  const { EvidenceStore } = await import('../../store/store.js');
  const { packageVersion } = await import('../../version.js');
  if (out !== undefined && out !== '-') checkOutputFile(resolve(io.cwd, out), '--out');
  const store = EvidenceStore.open(path, { toolVersion: packageVersion(), mode: 'read' });
  try {
    if (out === undefined || out === '-') {
      store.exportJsonLines(io.stdout);
      return EXIT_OK;
    }
    const target = resolve(io.cwd, out);
    // Written whole or not at all: a full disk leaves no truncated export under the name.
    const outputs = new OutputSet(io.outputHooks);
    let n = 0;
    try {
      outputs.stage(target, '--out', (write) => { n = store.exportJsonLines(write); });
      outputs.commit();
    } catch (err) {
      outputs.rollback();
      throw err;
    }
    outputs.finish();
    io.stdout(OUT.exported(n, target));
    return EXIT_OK;
  } finally {
    store.close();
  }
}

/**
 * Writes the run's inputs into a temporary folder under the names the run gave them (with their
 * recorded modification times, which may be their observation times), then runs the report with
 * the recorded options there, without recording it again.
 */
async function regenerate(path: string, ref: string, outDir: string, formats: readonly OutputFormatId[], io: CliIo,
  evidence: { bundle?: boolean; sign?: PdfSigning | undefined } = {}): Promise<ExitCode> {
  const { EvidenceStore } = await import('../../store/store.js');
  const { modelSha256 } = await import('../../store/record.js');
  const { restoreInputs } = await import('../../store/restore.js');
  const { runReport } = await import('../../pipeline.js');
  const { packageVersion } = await import('../../version.js');

  const store = EvidenceStore.open(path, { toolVersion: packageVersion(), mode: 'read' });
  let detail;
  let inputs;
  let exceptions: { file: string; content: Buffer } | undefined;
  try {
    detail = store.runDetail(store.findRun(ref).seq);
    inputs = store.inputsOf(detail.seq);
    exceptions = storedExceptions(store, detail.seq, detail.request as unknown as RecordedRequest);
  } finally {
    store.close();
  }
  const req = detail.request as unknown as RecordedRequest;
  const work = await mkdtemp(join(tmpdir(), 'tlsproof-regenerate-'));
  try {
    const { files, domains, moved, mappingsDirs } = await restoreInputs(inputs, req, work, { mappings: true });
    const outcome = await runReport({
      inputs: files, domains, organisation: req.organisation ?? undefined, title: req.title ?? undefined, period: req.period ?? undefined,
      frameworks: req.frameworks ?? undefined, formats, outDir, strict: false,
      generatedAt: req.generatedAt, reportDate: req.reportDate, observedAt: req.observedAt ?? undefined,
      mappingsDirs: mappingsDirs ?? [],
      cwd: work, toolVersion: packageVersion(), fiscalYearStartMonth: req.fiscalYearStartMonth ?? undefined,
      sign: evidence.sign, bundle: evidence.bundle, outputHooks: io.outputHooks,
      // The exceptions file as it was when the run was recorded, under the name the report cited;
      // never one found beside a report.config.yaml today.
      ...(exceptions !== undefined ? { exceptions: { file: exceptions.file, text: exceptions.content.toString('utf8') } } : {}),
    });
    const same = modelSha256(outcome.model) === detail.modelSha256;
    for (const w of outcome.written) io.stdout(OUT.wrote(w));
    io.stdout(OUT.regenerated(same, detail.seq, detail.modelSha256, detail.toolVersion, packageVersion(), moved));
    return same ? EXIT_OK : EXIT_PROBLEMS;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
