/**
 * CSV reading: the header row is sniffed from the start of the file (delimiter `,` `;` or tab,
 * chosen by counting them outside quotes), then the whole file streams through csv-parse record by
 * record, keeping the line each record starts on (and, when asked, its raw text for evidence
 * excerpts). Records csv-parse cannot read (bad quoting) are reported with file:line:column and
 * skipped; the rest of the file still flows.
 */
import { parse, type CsvError, type Options } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';

export interface CsvRecord {
  readonly fields: string[];
  /** 1-based line the record starts on (a quoted field may span lines). */
  readonly line: number;
  /** The record as written (without its line break); empty unless `raw` was requested. */
  readonly raw: string;
}

export interface CsvReadProblem {
  readonly line: number;
  readonly column?: number;
  readonly code: string;
  readonly message: string;
}

export interface CsvReadOptions {
  readonly delimiter: string;
  /** Keep each record's raw text (costs a copy of every record; only some formats cite it). */
  readonly raw: boolean;
  readonly onRecord: (r: CsvRecord) => void;
  readonly onProblem: (p: CsvReadProblem) => void;
}

export interface CsvReadSummary {
  /** Records read, good and bad (the header included). */
  readonly records: number;
}

export const CSV_DELIMITERS = [',', ';', '\t'] as const;

export interface CsvHeader {
  readonly fields: string[];
  readonly delimiter: string;
  /** The header line as written (for "what was seen" in messages). */
  readonly text: string;
}

/**
 * The header row of a CSV from the decoded start of the file, or undefined when the start holds
 * no line at all. Leading empty lines are skipped, as csv-parse does.
 */
export function sniffCsvHeader(head: string): CsvHeader | undefined {
  let start = 0;
  while (start < head.length && (head[start] === '\n' || head[start] === '\r')) start++;
  if (start >= head.length) return undefined;
  const counts = new Map<string, number>(CSV_DELIMITERS.map((d) => [d, 0]));
  let inQuotes = false;
  let end = start;
  for (; end < head.length; end++) {
    const c = head[end]!;
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === '\n' || c === '\r')) break;
    else if (!inQuotes && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  const text = head.slice(start, end);
  let delimiter = ',';
  let best = 0;
  for (const d of CSV_DELIMITERS) {
    const n = counts.get(d)!;
    if (n > best) {
      best = n;
      delimiter = d;
    }
  }
  try {
    const rows = parseSync(text, { delimiter, relax_column_count: true, relax_quotes: true }) as string[][];
    return { fields: rows[0] ?? [text], delimiter, text };
  } catch {
    return { fields: [text], delimiter, text };
  }
}

/** Physical line breaks inside a record's fields (CRLF, LF or CR), and how many were CRLF. */
function fieldBreaks(fields: readonly string[]): { breaks: number; crlf: number } {
  let breaks = 0;
  let crlf = 0;
  for (const f of fields) {
    // Native indexOf jumps from break to break; most fields have none.
    for (let i = f.indexOf('\n'); i !== -1; i = f.indexOf('\n', i + 1)) {
      breaks++;
      if (i > 0 && f.charCodeAt(i - 1) === 13) crlf++;
    }
    for (let i = f.indexOf('\r'); i !== -1; i = f.indexOf('\r', i + 1)) {
      if (f.charCodeAt(i + 1) !== 10) breaks++; // a lone CR (old Mac line end)
    }
  }
  return { breaks, crlf };
}

/** The first `max` characters of a long text, on one line: for excerpts, without scanning the rest. */
export function headLine(text: string, max = 400): string {
  return text.slice(0, max).trim().replace(/\s*\n\s*/g, ' ');
}

const TRIM_BREAKS = /^[\r\n]+|[\r\n]+$/g;

/** Streams `source` (UTF-8 bytes, BOM already removed) through csv-parse. */
export function readCsv(source: AsyncIterable<Buffer>, opts: CsvReadOptions): Promise<CsvReadSummary> {
  return new Promise((resolve, reject) => {
    let count = 0;
    // Lines are counted here rather than with csv-parse's `info` (an object per record): each
    // record starts where the previous one ended, plus the line breaks inside its quoted fields.
    let cursor = 1;
    let doubleCounted = 0;
    const options: Options = {
      delimiter: opts.delimiter,
      // Ragged rows are judged by the ingester, which knows the expected width and can name it.
      relax_column_count: true,
      // Empty lines come through as [''] and are skipped below, so the line count stays right.
      skip_empty_lines: false,
      skip_records_with_error: true,
      raw: opts.raw,
    };
    const parser = parse(options);
    const drain = (): void => {
      let rec: string[] | { record: string[]; raw: string } | null;
      while ((rec = parser.read() as typeof rec) !== null) {
        const fields = Array.isArray(rec) ? rec : rec.record;
        const { breaks, crlf } = fieldBreaks(fields);
        // csv-parse counts a CRLF inside quotes as two lines; kept to resynchronise after errors.
        doubleCounted += crlf;
        const line = cursor;
        cursor += breaks + 1;
        if (fields.length === 1 && fields[0] === '') continue;
        count++;
        const raw = Array.isArray(rec) ? '' : rec.raw.replace(TRIM_BREAKS, '');
        opts.onRecord({ fields, line, raw });
      }
    };
    parser.on('readable', drain);
    // csv-parse may report one broken record several times (once per field it cannot read): keep the first.
    let lastProblemLine = -1;
    parser.on('skip', (err: CsvError) => {
      // Records parsed before this one may still wait in the stream's buffer: count them first.
      drain();
      const e = err as CsvError & { lines?: number; column?: number; index?: number };
      const failedAt = (e.lines ?? cursor + doubleCounted) - doubleCounted;
      if (failedAt === lastProblemLine) return;
      lastProblemLine = failedAt;
      // The broken record starts at the cursor; csv-parse resumes after the line it failed on.
      const line = cursor;
      cursor = Math.max(cursor, failedAt) + 1;
      count++;
      const got = /got "(.)"/.exec(err.message)?.[1];
      const otherDelimiter = got !== undefined && got !== opts.delimiter && (CSV_DELIMITERS as readonly string[]).includes(got);
      opts.onProblem({
        line,
        ...(typeof e.index === 'number' ? { column: e.index + 1 } : {}),
        code: err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'unclosed-quote' : otherDelimiter ? 'wrong-delimiter' : 'malformed-record',
        message: err.code === 'CSV_QUOTE_NOT_CLOSED'
          ? `a quoted field is never closed (the file may be truncated): ${err.message.replace(/^Quote Not Closed: /, '')}`
          : otherDelimiter
            ? `the record is separated by ${got === '\t' ? 'tabs' : `"${got}"`} but the header by ${opts.delimiter === '\t' ? 'tabs' : `"${opts.delimiter}"`} (wrong delimiter?)`
            : `cannot parse record: ${err.message.replace(/^Invalid [^:]+: /, '')}`,
      });
    });
    parser.on('error', (err) => reject(err));
    parser.on('end', () => resolve({ records: count }));
    void (async () => {
      try {
        for await (const chunk of source) {
          if (!parser.write(chunk)) await new Promise<void>((r) => parser.once('drain', () => r()));
        }
        parser.end();
      } catch (err) {
        parser.destroy(err as Error);
        reject(err);
      }
    })();
  });
}

/** Shortens a raw record for evidence: excerpts stay readable in a report. */
export function excerpt(raw: string, max = 300): string {
  const oneLine = raw.includes('\n') ? raw.replace(/\r?\n/g, '⏎') : raw;
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/**
 * An excerpt that owns its characters. V8 keeps the whole parent string alive behind a slice, so
 * an excerpt cut from a multi-kilobyte record would pin that record in memory for as long as the
 * observation lives; a million-row file would then be held whole.
 */
export function ownedExcerpt(text: string, max = 300): string {
  const short = excerpt(text, max);
  return short.length < 24 ? short : Buffer.from(short, 'utf8').toString('utf8');
}
