/**
 * Ingest entry point: expands the user's inputs (files, folders, globs), recognises each file by
 * its header, streams it through the matching ingester, and hashes it in the same pass. Unknown
 * formats are refused with the list of formats tlsproof reads; bad records become problems.
 */
import { stat } from 'node:fs/promises';
import { join, relative, isAbsolute } from 'node:path';
import { glob } from 'tinyglobby';
import { ReportError } from '../errors.js';
import type { InputProblem } from '../model/problem.js';
import type { Observation } from '../model/observation.js';
import { readCsv } from './csv.js';
import { domainListCsv, type DomainListEntry } from './domain-list-csv.js';
import { testsslCsv } from './testssl-csv.js';
import type { CsvIngester, IngestContext, RecordSink } from './types.js';

export const ingesters = {
  'testssl-csv': testsslCsv,
  'domain-list-csv': domainListCsv,
} as const satisfies Record<string, CsvIngester>;
export type IngesterId = keyof typeof ingesters;

export interface IngestedFile {
  readonly file: string;
  readonly kind: IngesterId | 'empty';
  readonly sha256: string;
  readonly bytes: number;
  readonly records: number;
  readonly problems: number;
}

export interface IngestOutput {
  readonly files: IngestedFile[];
  readonly observations: Observation[];
  readonly domains: DomainListEntry[];
  readonly problems: InputProblem[];
}

export interface IngestOptions {
  /** ISO time for observations whose format carries none; else each file's modification time. */
  readonly observedAt?: string;
  /** Base for display paths (paths inside it are shown relative). */
  readonly cwd: string;
}

const GLOB_CHARS = /[*?[\]{}]/;

/** Files, folders (their *.csv, recursively) and globs → sorted, de-duplicated file paths. */
export async function expandInputs(inputs: readonly string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    if (GLOB_CHARS.test(input)) {
      const matches = await glob(input, { cwd, onlyFiles: true, absolute: true, expandDirectories: false });
      if (matches.length === 0) throw new ReportError('input-not-found', { input }, `No file matches "${input}". Check the pattern, or quote it so your shell does not expand it first.`);
      out.push(...matches.sort());
      continue;
    }
    const abs = isAbsolute(input) ? input : join(cwd, input);
    const info = await stat(abs).catch(() => undefined);
    if (!info) throw new ReportError('input-not-found', { input }, `Input "${input}" does not exist. Give a CSV file, a folder of CSV files, or a glob such as "scans/*.csv".`);
    if (info.isDirectory()) {
      const matches = await glob('**/*.csv', { cwd: abs, onlyFiles: true, absolute: true, caseSensitiveMatch: false });
      if (matches.length === 0) throw new ReportError('input-not-found', { input }, `Folder "${input}" holds no .csv files.`);
      out.push(...matches.sort());
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

/** Reads one file with whichever ingester recognises its header. */
export async function ingestFile(abs: string, opts: IngestOptions, problems: InputProblem[]) {
  const file = displayPath(abs, opts.cwd);
  const observedAt = opts.observedAt ?? (await stat(abs)).mtime.toISOString();
  let fileProblems = 0;
  const ctx: IngestContext = {
    file,
    observedAt,
    observedAtSource: opts.observedAt ? 'option' : 'file-mtime',
    problem(p) {
      fileProblems++;
      problems.push({ file, ...p });
    },
  };
  let sink: RecordSink | undefined;
  let ingester: CsvIngester | undefined;
  let unrecognised: string[] | undefined;
  const summary = await readCsv(abs, {
    onRecord(r) {
      if (sink) return sink.record(r.fields, r.line, r.raw);
      ingester = Object.values(ingesters).find((i) => i.detect(r.fields));
      if (!ingester) {
        unrecognised = r.fields;
        return 'stop';
      }
      sink = ingester.start(r.fields, ctx);
    },
    onProblem(p) {
      ctx.problem({ line: p.line, ...(p.column !== undefined ? { column: p.column } : {}), code: p.code, message: p.message, effect: 'row-skipped' });
    },
  }).catch((err: unknown) => {
    throw new ReportError('input-unreadable', { file }, `Cannot read "${file}": ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  });
  // csv-parse reports unreadable records as it meets them, ahead of buffered good ones: restore file order.
  const mine = problems.splice(problems.length - fileProblems, fileProblems);
  problems.push(...mine.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  if (unrecognised) {
    const seen = unrecognised.slice(0, 8).map((h) => JSON.stringify(h)).join(',');
    throw new ReportError('input-unrecognised', { file, header: unrecognised },
      `"${file}" is not a format tlsproof reads. Its first line is ${seen || '(empty)'}.\n` +
      `tlsproof reads:\n${Object.values(ingesters).map((i) => `  - ${i.describe}`).join('\n')}`);
  }
  if (!sink || !ingester) {
    ctx.problem({ code: 'empty-file', effect: 'file-skipped', message: 'the file is empty (no header row)' });
    return { info: { file, kind: 'empty' as const, sha256: summary.sha256, bytes: summary.bytes, records: 0, problems: fileProblems }, result: undefined };
  }
  const result = sink.end();
  if (result.records === 0) {
    ctx.problem({ code: 'no-records', effect: 'file-skipped', message: 'the file has a header but no records' });
  }
  return {
    info: { file, kind: ingester.id, sha256: summary.sha256, bytes: summary.bytes, records: result.records, problems: fileProblems },
    result,
  };
}

/** Ingests every input; files are read one after another so problems keep file order. */
export async function ingest(inputs: readonly string[], opts: IngestOptions): Promise<IngestOutput> {
  const paths = await expandInputs(inputs, opts.cwd);
  const files: IngestedFile[] = [];
  const observations: Observation[] = [];
  const domains: DomainListEntry[] = [];
  const problems: InputProblem[] = [];
  for (const abs of paths) {
    const { info, result } = await ingestFile(abs, opts, problems);
    files.push(info);
    if (result?.kind === 'scan-results') for (const o of result.observations) observations.push(o);
    else if (result?.kind === 'domain-list') for (const d of result.entries) domains.push(d);
  }
  return { files, observations, domains, problems };
}
