/**
 * Streams a CSV file record by record with csv-parse, keeping the line each record starts on and
 * its raw text (for evidence excerpts). Records csv-parse cannot read (bad quoting) are reported
 * with file:line:column and skipped; the rest of the file still flows.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parse, type CsvError } from 'csv-parse';

export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
  readonly raw: string;
}

export interface CsvReadProblem {
  readonly line: number;
  readonly column?: number;
  readonly code: string;
  readonly message: string;
}

export interface CsvReadOptions {
  /** Return `'stop'` to stop reading (e.g. the header shows the file is not ours). */
  readonly onRecord: (r: CsvRecord) => void | 'stop';
  readonly onProblem: (p: CsvReadProblem) => void;
}

export interface CsvReadSummary {
  /** Records read, good and bad (the header included). */
  readonly records: number;
  /** SHA-256 of the file's bytes as read (hex), computed in the same pass. */
  readonly sha256: string;
  readonly bytes: number;
  /** True when the reader stopped early on request. */
  readonly stopped: boolean;
}

export function readCsv(path: string, opts: CsvReadOptions): Promise<CsvReadSummary> {
  return new Promise((resolve, reject) => {
    let count = 0;
    let stopped = false;
    let doubleCounted = 0;
    const stream = createReadStream(path);
    const hash = createHash('sha256');
    let bytes = 0;
    stream.on('data', (chunk) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    const parser = parse({
      bom: true,
      // Ragged rows are judged by the ingester, which knows the expected width and can name it.
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      info: true,
      raw: true,
    });
    parser.on('readable', () => {
      let rec: { record: string[]; info: { lines: number }; raw: string } | null;
      while ((rec = parser.read() as typeof rec) !== null) {
        if (stopped) continue;
        count++;
        // csv-parse's info.lines is where the record ENDS, and it counts a CRLF inside quotes
        // as two lines; correct both so evidence cites the line a person sees in an editor.
        const raw = rec.raw.replace(/(\r\n|\n|\r)$/, '');
        const { breaks, crlf } = lineBreaks(raw);
        doubleCounted += crlf;
        if (opts.onRecord({ fields: rec.record, line: rec.info.lines - doubleCounted - breaks, raw }) === 'stop') {
          stopped = true;
          stream.unpipe(parser);
          stream.destroy();
          parser.end();
        }
      }
    });
    parser.on('skip', (err: CsvError) => {
      if (stopped) return;
      count++;
      const e = err as CsvError & { lines?: number; column?: number; index?: number };
      opts.onProblem({
        line: Math.max(1, (e.lines ?? 1) - doubleCounted),
        ...(typeof e.index === 'number' ? { column: e.index + 1 } : {}),
        code: err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'unclosed-quote' : 'malformed-record',
        message: `cannot parse record: ${err.message.replace(/^Invalid [^:]+: /, '')}`,
      });
    });
    parser.on('error', (err) => reject(err));
    parser.on('end', () => resolve({ records: count, sha256: hash.digest('hex'), bytes, stopped }));
    stream.on('error', (err) => reject(err));
    stream.pipe(parser);
  });
}

/** Physical line breaks inside a record (CRLF, LF or CR), and how many of them were CRLF. */
function lineBreaks(s: string): { breaks: number; crlf: number } {
  let breaks = 0;
  let crlf = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 13) {
      breaks++;
      if (s.charCodeAt(i + 1) === 10) {
        crlf++;
        i++;
      }
    } else if (c === 10) {
      breaks++;
    }
  }
  return { breaks, crlf };
}

/** Shortens a raw record for evidence: excerpts stay readable in a report. */
export function excerpt(raw: string, max = 300): string {
  const oneLine = raw.replace(/\r?\n/g, '⏎');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
