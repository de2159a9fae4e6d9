/**
 * Ingest entry point: expands the user's inputs (files, folders, globs), opens each file once
 * (hash, encoding), recognises its format from the first bytes (XML/JSON) or the header row
 * (CSV) unless a format is forced, and streams it through the matching ingester. A file that
 * matches no format is refused with the list of formats tlsproof reads and what it saw; bad
 * records become problems.
 */
import { stat } from 'node:fs/promises';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { glob } from 'tinyglobby';
import { ReportError } from '../errors.js';
import { INGEST, PROBLEM } from './messages.js';
import type { InputProblem } from '../model/problem.js';
import type { DomainDiscovery } from '../model/discovery.js';
import type { Observation } from '../model/observation.js';
import { deriveFacts } from '../model/derive.js';
import { readCsv, sniffCsvHeader } from './csv.js';
import { domainListCsv } from './domain-list-csv.js';
import type { DomainListEntry } from '../model/domain-list.js';
import { greenboneCsv } from './greenbone-csv.js';
import { greenboneXml } from './greenbone-xml.js';
import { describeKind, FileRefusedError } from '../fs-guard.js';
import { openInput, readHead, readHeadBytes } from './input.js';
import type { InputFile, ObservedWindow } from '../model/input-file.js';
import { nessusCsv } from './nessus-csv.js';
import { nessusXml } from './nessus-xml.js';
import { nmapXml } from './nmap-xml.js';
import { qualysCsv } from './qualys-csv.js';
import { qualysXml } from './qualys-xml.js';
import { sslyzeJson } from './sslyze-json.js';
import { testsslCsv } from './testssl-csv.js';
import { tlsproofJsonl } from './tlsproof-results.js';
import { tlsRpt as tlsRptIngester } from './tls-rpt-input.js';
import { duplicateOf } from './tls-rpt.js';
import { maildirMessages } from './tls-rpt-mail.js';
import type { TlsRptReport } from '../model/tls-rpt.js';
import { testsslJson } from './testssl-json.js';
import {
  isBytesIngester, isDocumentIngester, type CsvIngester, type IngestContext, type Ingester, type IngestResult, type RecordSink,
} from './types.js';


/** Every format, in detection order (most specific header first; the domain list last). */
export const ingesters = {
  'testssl-csv': testsslCsv,
  'nessus-csv': nessusCsv,
  'greenbone-csv': greenboneCsv,
  'nmap-xml': nmapXml,
  'nessus-xml': nessusXml,
  'greenbone-xml': greenboneXml,
  'qualys-csv': qualysCsv,
  'qualys-xml': qualysXml,
  'testssl-json': testsslJson,
  'sslyze-json': sslyzeJson,
  'tlsproof-jsonl': tlsproofJsonl,
  'tls-rpt': tlsRptIngester,
  'domain-list-csv': domainListCsv,
} as const satisfies Record<string, Ingester>;
export type IngesterId = keyof typeof ingesters;
export const INGESTER_IDS = Object.keys(ingesters) as IngesterId[];

/**
 * Formats whose files are scan results (everything but the domain list and TLS-RPT reports: those
 * say what senders saw, and need endpoints from a scan to be joined to).
 */
export const SCAN_RESULT_FORMATS: ReadonlySet<string> = new Set(INGESTER_IDS.filter((id) => id !== 'domain-list-csv' && id !== 'tls-rpt'));

export function isIngesterId(s: string): s is IngesterId {
  return Object.hasOwn(ingesters, s);
}

/** What one file contributed, with the format id narrowed to this registry's. */
export interface IngestedFile extends InputFile {
  readonly kind: IngesterId | 'empty';
}

const SOURCE_STRENGTH: Readonly<Record<Observation['observedAtSource'], number>> = { input: 2, option: 1, 'file-mtime': 0 };

/** The window of `observations`' times (undefined for none). */
export function observedWindow(observations: readonly Observation[]): ObservedWindow | undefined {
  let w: { first: string; last: string; source: Observation['observedAtSource'] } | undefined;
  for (const o of observations) {
    if (!w) w = { first: o.observedAt, last: o.observedAt, source: o.observedAtSource };
    else {
      // Compared as instants: inputs write times with different offsets.
      if (Date.parse(o.observedAt) < Date.parse(w.first)) w.first = o.observedAt;
      if (Date.parse(o.observedAt) > Date.parse(w.last)) w.last = o.observedAt;
      if (SOURCE_STRENGTH[o.observedAtSource] < SOURCE_STRENGTH[w.source]) w.source = o.observedAtSource;
    }
  }
  return w;
}

export interface IngestOutput {
  readonly files: IngestedFile[];
  readonly observations: Observation[];
  readonly domains: DomainListEntry[];
  /** What scan results recorded about each domain's mail hosts (tlsproof scan results only). */
  readonly discovery: DomainDiscovery[];
  /** TLS-RPT aggregate reports, each report-id once (a report delivered twice is a problem, counted once). */
  readonly tlsRpt: TlsRptReport[];
  readonly problems: InputProblem[];
}

interface IngestOptions {
  /** ISO time for observations whose format carries none; else each file's modification time. */
  readonly observedAt?: string;
  /** Base for display paths (paths inside it are shown relative). */
  readonly cwd: string;
  /**
   * Read every input as this format instead of detecting it (`--input-format`). Inputs given as
   * `{ path, format }` override it per file.
   */
  readonly format?: IngesterId;
}

/** An input path, optionally with the format to read it as. */
type IngestInput = string | { readonly path: string; readonly format?: IngesterId };

const GLOB_CHARS = /[*?[\]{}]/;
const FOLDER_PATTERN = '**/*.{csv,xml,json,jsonl,nessus,gz,eml,mbox}';

/**
 * In a folder, every CSV is taken as input (and refused when it is no known format), but an XML or
 * JSON file only when it starts like a scanner export: folders of scans often hold manifests and
 * notes in JSON or XML.
 */
async function scanDocument(abs: string): Promise<boolean> {
  if (/\.csv$/i.test(abs)) return true;
  const first = await readHeadBytes(abs).catch(() => Buffer.alloc(0));
  if (tlsRptIngester.sniffBytes(first)) return true;
  const head = (await readHead(abs).catch(() => '')).replace(/^\s+/, '');
  return Object.values(ingesters).some((i) => isDocumentIngester(i) && i.sniff(head));
}

/** Files, folders (their *.csv, and *.xml / *.json / *.nessus scanner exports, recursively) and globs → sorted, de-duplicated file paths. */
async function expandInputs(inputs: readonly string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    if (GLOB_CHARS.test(input)) {
      const matches = await glob(input, { cwd, onlyFiles: true, absolute: true, expandDirectories: false });
      if (matches.length === 0) throw new ReportError('input-not-found', { input }, INGEST.noGlobMatch(input));
      out.push(...matches.sort());
      continue;
    }
    const abs = isAbsolute(input) ? input : join(cwd, input);
    const info = await stat(abs).catch(() => undefined);
    if (!info) throw new ReportError('input-not-found', { input }, INGEST.notFound(input));
    if (!info.isFile() && !info.isDirectory()) {
      throw new ReportError('input-unreadable', { input, kind: describeKind(info) },
        INGEST.notFileOrFolder(input, describeKind(info)));
    }
    if (info.isDirectory()) {
      const found = await glob(FOLDER_PATTERN, { cwd: abs, onlyFiles: true, absolute: true, caseSensitiveMatch: false });
      const matches: string[] = [];
      const sorted = found.sort();
      // A tlsproof results folder holds scan.jsonl and its summary.csv: the summary repeats the
      // JSON lines for spreadsheets and is not an input of its own.
      const resultsDirs = new Set(sorted.filter((m) => /(^|[\\/])scan\.jsonl$/.test(m)).map((m) => dirname(m)));
      for (const m of sorted) {
        if (/(^|[\\/])summary\.csv$/.test(m) && resultsDirs.has(dirname(m))) continue;
        if (await scanDocument(m)) matches.push(m);
      }
      if (matches.length === 0) throw new ReportError('input-not-found', { input }, INGEST.emptyFolder(input));
      out.push(...matches);
    } else {
      out.push(abs);
    }
  }
  return [...new Set(out)];
}

function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel.startsWith('..') || isAbsolute(rel) ? abs : rel;
}

/** The list of formats for "tlsproof reads: …". */
function formatList(): string {
  return INGESTER_IDS.map((id) => `  - ${id}: ${ingesters[id].describe}`).join('\n');
}

/** What the start of an unrecognised file looks like, in a few words the user can act on. */
function describeSeen(head: string): string {
  const t = head.replace(/^\s+/, '');
  if (t === '') return INGEST.seenBlank();
  if (t.startsWith('<')) {
    const root = /<(?!\?|!)([A-Za-z_][\w.-]*)/.exec(t)?.[1];
    return INGEST.seenXml(root ?? '?');
  }
  if (t.startsWith('{') || t.startsWith('[')) {
    const keys = [...t.slice(0, 2000).matchAll(/"([^"\\]{1,40})"\s*:/g)].slice(0, 6).map((m) => `"${m[1]}"`);
    return INGEST.seenJson(keys);
  }
  // Qualys puts report lines ("Scan Results", company, date) above the CSV header.
  if (/^"?(Scan Results|Scan Report)"?\s*,/i.test(t)) {
    return INGEST.seenQualysTitle();
  }
  const header = sniffCsvHeader(t);
  const first = header ? header.fields.slice(0, 8).map((h) => JSON.stringify(h)).join(',') : JSON.stringify(t.slice(0, 80));
  const separator = header && header.fields.length === 1 && /[|:]/.test(header.text) ? (/[|]/.test(header.text) ? '|' : ':') : undefined;
  return INGEST.seenFirstLine(first, separator);
}

/** Reads one file with the forced format, or whichever ingester recognises it. */
async function ingestFile(abs: string, opts: IngestOptions, problems: InputProblem[], forced?: IngesterId) {
  const file = displayPath(abs, opts.cwd);
  const observedAt = opts.observedAt ?? (await stat(abs)).mtime.toISOString();
  let fileProblems = 0;
  const mine: InputProblem[] = [];
  const ctx: IngestContext = {
    file,
    observedAt,
    observedAtSource: opts.observedAt ? 'option' : 'file-mtime',
    problem(p) {
      fileProblems++;
      mine.push({ file, ...p });
    },
  };
  const unreadable = (err: unknown): never => {
    if (err instanceof FileRefusedError) throw new ReportError('input-unreadable', { file, reason: err.reason }, err.message, { cause: err });
    throw new ReportError('input-unreadable', { file }, INGEST.unreadable(file, err instanceof Error ? err.message : String(err)), { cause: err });
  };
  const input = await openInput(abs).catch(unreadable);
  const head = input.head;
  const csvHeader = sniffCsvHeader(head);
  const t = head.replace(/^\s+/, '');
  const detectedId = INGESTER_IDS.find((k) => {
    const i: Ingester = ingesters[k];
    return isBytesIngester(i)
      ? i.sniffBytes(input.first)
      : isDocumentIngester(i)
      ? i.sniff(t)
      : !t.startsWith('<') && !t.startsWith('{') && !t.startsWith('[') && csvHeader !== undefined && i.detect(csvHeader.fields);
  });
  const detected: Ingester | undefined = detectedId === undefined ? undefined : ingesters[detectedId];
  const id: IngesterId | undefined = forced ?? detectedId;
  const forcedIngester: Ingester | undefined = forced ? ingesters[forced] : undefined;
  // A forced format that cannot be this file's (CSV forced on XML, XML on JSON…) would only skip
  // it and leave an empty report: refuse, saying what the file is.
  if (forced && forcedIngester && t !== '') {
    const syntax = t.startsWith('<') ? 'xml' : t.startsWith('{') || t.startsWith('[') ? 'json' : 'csv';
    const expected = isBytesIngester(forcedIngester) ? syntax : isDocumentIngester(forcedIngester) ? forcedIngester.syntax : 'csv';
    if (syntax !== expected) {
      input.abort();
      const seen = describeSeen(head);
      throw forcedMismatch(file, forced, INGEST.forcedWrongSyntax(forced, expected, seen), detectedId, detected);
    }
  }
  const ingester: Ingester | undefined = id === undefined ? undefined : ingesters[id];
  const finish = async (kind: IngesterId | 'empty', result: IngestResult | undefined) => {
    const summary = await input.finish().catch(unreadable);
    if (summary.invalidUtf8) {
      ctx.problem({ code: 'invalid-utf8', effect: 'value-ignored',
        message: PROBLEM.invalidUtf8() });
    }
    // csv-parse reports unreadable records as it meets them, ahead of buffered good ones: restore file order.
    mine.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    problems.push(...mine);
    const skipped = result?.kind === 'scan-results' ? result.skipped ?? [] : [];
    const context = result?.kind === 'scan-results' ? result.context ?? { tool: result.observations[0]?.tool ?? kind } : undefined;
    const observed = result?.kind === 'scan-results' ? observedWindow(result.observations) : undefined;
    const info: IngestedFile = {
      file, kind, sha256: summary.sha256, bytes: summary.bytes, records: result?.records ?? 0, problems: fileProblems,
      encoding: input.encoding, skipped, ...(context ? { context } : {}), ...(observed ? { observed } : {}),
    };
    return { info, result };
  };

  if (head.trim() === '' && !ingester) {
    ctx.problem({ code: 'empty-file', effect: 'file-skipped', message: PROBLEM.emptyFile() });
    return finish('empty', undefined);
  }
  if (!ingester || id === undefined) {
    input.abort();
    throw new ReportError('input-unrecognised', { file, header: csvHeader?.fields ?? [] },
      INGEST.unrecognised(file, describeSeen(head), formatList()));
  }

  if (isBytesIngester(ingester)) {
    const result = await ingester.consumeBytes(input.rawBytes(), ctx).catch(unreadable);
    return finish(id, result);
  }
  if (isDocumentIngester(ingester)) {
    const result = await ingester.consume(input.text(), ctx).catch(unreadable);
    return finish(id, result);
  }
  const result = await readCsvFile(ingester, input, csvHeader?.delimiter ?? ',', ctx).catch(unreadable);
  const wrongHeader = forced ? mine.find((p) => p.code === 'missing-columns') : undefined;
  if (forced && wrongHeader) {
    await input.finish().catch(() => undefined);
    throw forcedMismatch(file, forced, INGEST.forcedWrongHeader(wrongHeader.line ?? 1, wrongHeader.message), detectedId, detected);
  }
  return finish(id, result);
}

/** `--input-format X` on a file that is not X: what the file is, and what tlsproof would read it as. */
function forcedMismatch(file: string, forced: IngesterId, why: string, detectedId: IngesterId | undefined, detected: Ingester | undefined): ReportError {
  return new ReportError('input-unrecognised', { file, forced, detected: detectedId ?? null },
    INGEST.forcedMismatch(file, forced, why,
      detected && detectedId !== undefined && detectedId !== forced ? { id: detectedId, describe: detected.describe } : undefined, formatList()));
}

/** Streams a CSV through `ingester`: the first record is the header, the rest go to its sink. */
async function readCsvFile(
  ingester: CsvIngester, input: Awaited<ReturnType<typeof openInput>>, delimiter: string, ctx: IngestContext,
): Promise<IngestResult | undefined> {
  let sink: RecordSink | undefined;
  let refused = false;
  await readCsv(input.bytes(), {
    delimiter,
    raw: ingester.rawRecords ?? true,
    onRecord(r) {
      if (refused) return;
      if (sink) {
        sink.record(r.fields, r.line, r.raw);
        return;
      }
      const missing = ingester.missingColumns?.(r.fields) ?? [];
      if (missing.length > 0) {
        refused = true;
        ctx.problem({ line: r.line, code: 'missing-columns', effect: 'file-skipped',
          message: PROBLEM.missingColumns(ingester.id, missing, r.fields) });
        return;
      }
      sink = ingester.start(r.fields, ctx);
    },
    onProblem(p) {
      ctx.problem({ line: p.line, ...(p.column !== undefined ? { column: p.column } : {}), code: p.code, message: p.message, effect: 'row-skipped' });
    },
  });
  if (refused) return undefined;
  if (!sink) {
    ctx.problem({ code: 'empty-file', effect: 'file-skipped', message: PROBLEM.emptyFile() });
    return undefined;
  }
  const result = sink.end();
  if (result.records === 0) {
    ctx.problem({ code: 'no-records', effect: 'file-skipped', message: PROBLEM.noRecords() });
  }
  return result;
}

/** Ingests every input; files are read one after another so problems keep file order. */
export async function ingest(inputs: readonly IngestInput[], opts: IngestOptions): Promise<IngestOutput> {
  const files: IngestedFile[] = [];
  const observations: Observation[] = [];
  const domains: DomainListEntry[] = [];
  const discovery: DomainDiscovery[] = [];
  const tlsRpt: TlsRptReport[] = [];
  const problems: InputProblem[] = [];
  const work: { abs: string; format: IngesterId | undefined }[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    const path = typeof input === 'string' ? input : input.path;
    const format = (typeof input === 'string' ? undefined : input.format) ?? opts.format;
    if (format !== undefined && !isIngesterId(format)) {
      throw new ReportError('format-unknown', { format }, INGEST.formatUnknown(String(format), INGESTER_IDS));
    }
    // A Maildir (cur/, new/): its message files have no extension a folder scan would pick, and
    // a mailbox that receives reports also receives other mail, so each is read as a TLS-RPT e-mail.
    const abs = isAbsolute(path) ? path : join(opts.cwd, path);
    const messages = GLOB_CHARS.test(path) ? undefined : await maildirMessages(abs);
    for (const m of messages ?? await expandInputs([path], opts.cwd)) {
      if (seen.has(m)) continue;
      seen.add(m);
      work.push({ abs: m, format: messages ? 'tls-rpt' : format });
    }
  }
  const reportIds = new Map<string, TlsRptReport>();
  for (const { abs, format } of work) {
    const { info, result } = await ingestFile(abs, opts, problems, format);
    files.push(info);
    // Facts that follow from others (SWEET32 from 64-bit ciphers…), filled the same way for every format.
    if (result?.kind === 'scan-results') {
      for (const o of result.observations) observations.push(deriveFacts(o));
      for (const d of result.discovery ?? []) discovery.push(d);
    } else if (result?.kind === 'domain-list') for (const d of result.entries) domains.push(d);
    else if (result?.kind === 'tls-rpt') {
      for (const r of result.reports) {
        const dup = duplicateOf(reportIds, r, { file: info.file });
        if (dup) problems.push(dup);
        else tlsRpt.push(r);
      }
    }
  }
  return { files, observations, domains, discovery, tlsRpt, problems };
}
