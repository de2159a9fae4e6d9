/**
 * The ingest seam. Every input file is opened once (input.ts): its encoding is sniffed and its
 * first chunk decoded. Ingesters come in two shapes:
 * - a CsvIngester recognises its CSV by the header row and consumes records one by one;
 * - a DocumentIngester (XML, JSON) recognises its file from the first characters and consumes
 *   the decoded text as a stream of chunks.
 * Files are streamed, never read whole. Bad records become InputProblems with file:line(:column);
 * an ingester throws only when the whole file is unusable.
 */
import type { InputProblem } from '../model/problem.js';
import type { DomainDiscovery } from '../model/discovery.js';
import type { Observation } from '../model/observation.js';
import type { DomainListEntry } from '../model/domain-list.js';
import type { ScanContext, SkippedRecords } from '../model/input-file.js';

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
  | {
    readonly kind: 'scan-results';
    readonly observations: Observation[];
    readonly records: number;
    readonly skipped?: readonly SkippedRecords[];
    /** Per-domain discovery, from formats that record it (tlsproof's own scan results). */
    readonly discovery?: readonly DomainDiscovery[];
    readonly context?: ScanContext;
  }
  | { readonly kind: 'domain-list'; readonly entries: DomainListEntry[]; readonly records: number };

export interface RecordSink {
  /** `fields` as parsed; `line` the 1-based line where the record starts; `raw` the record text (when requested). */
  record(fields: readonly string[], line: number, raw: string): void;
  end(): IngestResult;
}

interface IngesterBase {
  /** Its key in the registry (index.ts), which is the one list of format ids. */
  readonly id: string;
  /** What the user should see in "tlsproof reads: …" when a file matches nothing. */
  readonly describe: string;
}

export interface CsvIngester extends IngesterBase {
  /** Cheap test on the header row (field names as in the file). */
  detect(header: readonly string[]): boolean;
  /**
   * Required columns the header lacks (names as the user should look for them). A non-empty
   * answer skips the file with a problem that names them. Absent: nothing is required.
   */
  missingColumns?(header: readonly string[]): string[];
  /** Pass each record's raw text to `record` (default true). Formats that build their own excerpts save a copy. */
  readonly rawRecords?: boolean;
  start(header: readonly string[], ctx: IngestContext): RecordSink;
}

export interface DocumentIngester extends IngesterBase {
  readonly syntax: 'xml' | 'json';
  /** Cheap test on the decoded start of the file (up to 64 KiB, BOM removed, not trimmed). */
  sniff(head: string): boolean;
  /** Consumes the whole decoded text; problems go to `ctx`. */
  consume(text: AsyncIterable<string>, ctx: IngestContext): Promise<IngestResult>;
}

export type Ingester = CsvIngester | DocumentIngester;

export function isDocumentIngester(i: Ingester): i is DocumentIngester {
  return 'sniff' in i;
}
