/**
 * The ingest seam. An ingester recognises its CSV by the header row and consumes records one by
 * one (files are streamed, never read whole). Bad records become InputProblems with file:line:
 * column; an ingester throws only when the whole file is unusable.
 */
import type { InputProblem } from '../model/problem.js';
import type { Observation } from '../model/observation.js';
import type { DomainListEntry } from './domain-list-csv.js';

export interface IngestContext {
  /** The path as the user gave it; used in every message and evidence citation. */
  readonly file: string;
  /** Time to stamp on observations when the format carries none (ISO 8601). */
  readonly observedAt: string;
  readonly observedAtSource: 'option' | 'file-mtime';
  /** Collects problems; ingesters never throw for a single bad record. */
  problem(p: Omit<InputProblem, 'file'>): void;
}

/** What one file contributed. */
export type IngestResult =
  | { readonly kind: 'scan-results'; readonly observations: Observation[]; readonly records: number }
  | { readonly kind: 'domain-list'; readonly entries: DomainListEntry[]; readonly records: number };

export interface RecordSink {
  /** `fields` as parsed; `line` the 1-based line where the record starts; `raw` the record text. */
  record(fields: readonly string[], line: number, raw: string): void;
  end(): IngestResult;
}

export interface CsvIngester {
  readonly id: 'testssl-csv' | 'domain-list-csv';
  /** What the user should see in "tlsproof reads: …" when a file matches nothing. */
  readonly describe: string;
  /** Cheap test on the header row (field names as in the file). */
  detect(header: readonly string[]): boolean;
  start(header: readonly string[], ctx: IngestContext): RecordSink;
}
