/**
 * CSV reading: the header row is sniffed from the start of the file (delimiter `,` `;` or tab,
 * chosen by counting them outside quotes), then the whole file streams record by record, keeping
 * the line each record starts on (and, when asked, its raw text for evidence excerpts). Well-formed
 * records are read by a fast reader that gives exactly what csv-parse would; from the first record
 * that is not well formed, csv-parse reads the rest. Records csv-parse cannot read (bad quoting)
 * are reported with file:line:column and skipped; the rest of the file still flows.
 */
import { parse, type CsvError, type Options } from 'csv-parse';
import { MAX_FIELD_CHARS, oversizedMessage } from './limits.js';
import { parse as parseSync } from 'csv-parse/sync';
import { PROBLEM } from './messages.js';

interface CsvRecord {
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

interface CsvReadOptions {
  readonly delimiter: string;
  /** Keep each record's raw text (costs a copy of every record; only some formats cite it). */
  readonly raw: boolean;
  readonly onRecord: (r: CsvRecord) => void;
  readonly onProblem: (p: CsvReadProblem) => void;
}

interface CsvReadSummary {
  /** Records read, good and bad (the header included). */
  readonly records: number;
}

const CSV_DELIMITERS = [',', ';', '\t'] as const;

interface CsvHeader {
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
  const simple = splitWellFormedLine(text, delimiter);
  if (simple) return { fields: simple, delimiter, text };
  try {
    const rows = parseSync(text, { delimiter, relax_column_count: true, relax_quotes: true }) as string[][];
    return { fields: rows[0] ?? [text], delimiter, text };
  } catch {
    return { fields: [text], delimiter, text };
  }
}

/**
 * The fields of one CSV line when it is well formed (each field either unquoted and free of
 * quotes and line breaks, or wholly quoted with `""` for a quote), else undefined. For such a
 * line csv-parse returns exactly these fields. Headers nearly always are, which keeps csv-parse's
 * synchronous API out of most runs: once csv-parse's parser code has run with the sync API's
 * callbacks, V8 optimises it less well for a streaming pass over a file that falls back to it.
 */
function splitWellFormedLine(text: string, delimiter: string): string[] | undefined {
  const fields: string[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === 34 /* " */) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q === -1) return undefined;
        if (text.charCodeAt(q + 1) === 34) {
          value += `${text.slice(from, q)}"`;
          from = q + 2;
          continue;
        }
        value += text.slice(from, q);
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === n) return fields;
      if (text[i] !== delimiter) return undefined;
      i++;
    } else {
      const d = text.indexOf(delimiter, i);
      const value = text.slice(i, d === -1 ? n : d);
      if (value.includes('"') || value.includes('\n') || value.includes('\r')) return undefined;
      fields.push(value);
      if (d === -1) return fields;
      i = d + 1;
    }
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

const QUOTE = 34;
const LF = 10;
const CR = 13;
/** What WellFormedCsv.read returns instead of a record. */
const NEED_MORE = 0;
const IRREGULAR = 1;
/** Record delimiters, as csv-parse discovers them. */
const enum RecordDelimiter { Unknown, Lf, Cr, CrLf }

/**
 * Reads the records of a well-formed CSV from its bytes, as csv-parse (with readCsv's options)
 * would read them, several times faster. It stops at the first record csv-parse might read
 * differently or reject (a quote inside an unquoted field, anything but a delimiter or record
 * delimiter after a closing quote, an unclosed quote): readCsv hands the file from that record on
 * to csv-parse. Fields are decoded from their bytes one by one, as csv-parse decodes them, so each
 * is a string of its own (none keeps a larger chunk of the file alive).
 */
class WellFormedCsv {
  /** csv-parse takes the first CRLF, LF or CR outside quotes as the record delimiter. */
  private rd = RecordDelimiter.Unknown;
  /** Where the last record read ends (after its record delimiter). */
  next = 0;

  constructor(private readonly delimiter: number) {}

  /** The record delimiter found so far, as text (empty until one is seen). */
  get recordDelimiter(): string {
    return this.rd === RecordDelimiter.Lf ? '\n' : this.rd === RecordDelimiter.Cr ? '\r' : this.rd === RecordDelimiter.CrLf ? '\r\n' : '';
  }

  /**
   * The record starting at `pos` (< buf.length), or NEED_MORE when it may go on past the end of
   * `buf` (never when `final`), or IRREGULAR.
   */
  read(buf: Buffer, pos: number, final: boolean): string[] | typeof NEED_MORE | typeof IRREGULAR {
    const n = buf.length;
    const d = this.delimiter;
    const fields: string[] = [];
    let i = pos;
    for (;;) {
      if (i < n && buf[i] === QUOTE) {
        let from = i + 1;
        let j = from;
        let value: string | undefined;
        for (;;) {
          while (j < n && buf[j] !== QUOTE) j++;
          if (j >= n) return final ? IRREGULAR : NEED_MORE;
          if (j + 1 >= n) {
            if (!final) return NEED_MORE;
            break;
          }
          if (buf[j + 1] !== QUOTE) break;
          // An escaped quote: keep one.
          const part = buf.toString('utf8', from, j + 1);
          value = value === undefined ? part : value + part;
          from = j + 2;
          j = from;
        }
        const last = buf.toString('utf8', from, j);
        fields.push(value === undefined ? last : value + last);
        i = j + 1;
        if (i >= n) {
          this.next = n;
          return fields;
        }
        if (buf[i] === d) {
          i++;
          continue;
        }
        const l = this.recordEnd(buf, i, final);
        if (l < 0) return NEED_MORE;
        if (l === 0) return IRREGULAR;
        this.next = i + l;
        return fields;
      }
      let j = i;
      for (; j < n; j++) {
        const c = buf[j]!;
        if (c === d) break;
        if (c === LF || c === CR) {
          const l = this.recordEnd(buf, j, final);
          if (l < 0) return NEED_MORE;
          if (l > 0) {
            fields.push(buf.toString('utf8', i, j));
            this.next = j + l;
            return fields;
          }
          // A CR or LF that is not the record delimiter is data, as in csv-parse.
        } else if (c === QUOTE) {
          return IRREGULAR;
        }
      }
      if (j >= n) {
        if (!final) return NEED_MORE;
        fields.push(buf.toString('utf8', i, n));
        this.next = n;
        return fields;
      }
      fields.push(buf.toString('utf8', i, j));
      i = j + 1;
    }
  }

  /** Length of the record delimiter at `i` (0: none there), -1 when the next byte decides and is not read yet. */
  private recordEnd(buf: Buffer, i: number, final: boolean): number {
    const c = buf[i];
    if (c !== LF && c !== CR) return 0;
    switch (this.rd) {
      case RecordDelimiter.Lf:
        return c === LF ? 1 : 0;
      case RecordDelimiter.Cr:
        return c === CR ? 1 : 0;
      case RecordDelimiter.CrLf:
        if (c !== CR) return 0;
        if (i + 1 >= buf.length) return final ? 0 : -1;
        return buf[i + 1] === LF ? 2 : 0;
      default:
        if (c === LF) {
          this.rd = RecordDelimiter.Lf;
          return 1;
        }
        if (i + 1 >= buf.length && !final) return -1;
        if (buf[i + 1] === LF) {
          this.rd = RecordDelimiter.CrLf;
          return 2;
        }
        this.rd = RecordDelimiter.Cr;
        return 1;
    }
  }
}

/** A delimiter the fast reader handles: one ASCII character that is not a quote or line break. */
function fastDelimiter(delimiter: string): number | undefined {
  const c = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  return c > 0 && c < 128 && c !== QUOTE && c !== LF && c !== CR ? c : undefined;
}

/**
 * Streams `source` (UTF-8 bytes, BOM already removed) into records. Well-formed records are read
 * by WellFormedCsv; from the first record that is not (and for `raw`, from the start) csv-parse
 * reads the rest, and reports what it cannot read.
 */
export function readCsv(source: AsyncIterable<Buffer>, opts: CsvReadOptions): Promise<CsvReadSummary> {
  return new Promise((resolve, reject) => {
    let count = 0;
    // Lines are counted here rather than with csv-parse's `info` (an object per record): each
    // record starts where the previous one ended, plus the line breaks inside its quoted fields.
    let cursor = 1;
    let doubleCounted = 0;
    const deliver = (fields: string[], raw: string | undefined): void => {
      const { breaks, crlf } = fieldBreaks(fields);
      // csv-parse counts a CRLF inside quotes as two lines; kept to resynchronise after errors.
      doubleCounted += crlf;
      const line = cursor;
      cursor += breaks + 1;
      if (fields.length === 1 && fields[0] === '') return;
      count++;
      const big = fields.findIndex((f) => f.length > MAX_FIELD_CHARS);
      if (big >= 0) {
        opts.onProblem({ line, column: big + 1, code: 'field-too-long', message: oversizedMessage(`field ${big + 1}`, fields[big]!.length) });
        return;
      }
      opts.onRecord({ fields, line, raw: raw === undefined ? '' : raw.replace(TRIM_BREAKS, '') });
    };

    let parser: ReturnType<typeof parse> | undefined;
    /** Empty records csv-parse reads from the line breaks put before the rest of the file (see handOver). */
    let fakeRecords = 0;
    const startParser = (): ReturnType<typeof parse> => {
      const options: Options = {
        delimiter: opts.delimiter,
        // Ragged rows are judged by the ingester, which knows the expected width and can name it.
        relax_column_count: true,
        // Empty lines come through as [''] and are skipped below, so the line count stays right.
        skip_empty_lines: false,
        skip_records_with_error: true,
        raw: opts.raw,
      };
      const p = parse(options);
      const drain = (): void => {
        let rec: string[] | { record: string[]; raw: string } | null;
        while ((rec = p.read() as typeof rec) !== null) {
          if (fakeRecords > 0) {
            fakeRecords--;
            continue;
          }
          deliver(Array.isArray(rec) ? rec : rec.record, Array.isArray(rec) ? undefined : rec.raw);
        }
      };
      p.on('readable', drain);
      // csv-parse may report one broken record several times (once per field it cannot read): keep the first.
      let lastProblemLine = -1;
      p.on('skip', (err: CsvError) => {
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
            ? PROBLEM.unclosedQuote(err.message.replace(/^Quote Not Closed: /, ''))
            : otherDelimiter
              ? PROBLEM.wrongDelimiter(got, opts.delimiter)
              : PROBLEM.unparseableRecord(err.message.replace(/^Invalid [^:]+: /, '')),
        });
      });
      p.on('error', (err) => reject(err));
      p.on('end', () => resolve({ records: count }));
      return p;
    };
    const write = async (b: Buffer): Promise<void> => {
      if (!parser!.write(b)) await new Promise<void>((r) => parser!.once('drain', () => r()));
    };

    const delimiter = opts.raw ? undefined : fastDelimiter(opts.delimiter);
    const fast = delimiter === undefined ? undefined : new WellFormedCsv(delimiter);
    /** Reads the records in `buf`; returns where it stopped: the start of an incomplete or irregular record. */
    const readFast = (buf: Buffer, final: boolean): { at: number; irregular: boolean } => {
      let pos = 0;
      while (pos < buf.length) {
        const r = fast!.read(buf, pos, final);
        if (r === NEED_MORE) return { at: pos, irregular: false };
        if (r === IRREGULAR) return { at: pos, irregular: true };
        pos = fast!.next;
        deliver(r, undefined);
      }
      return { at: pos, irregular: false };
    };
    /**
     * csv-parse reads `rest` (from the start of a record) and all that follows. It is first given
     * as many line breaks as it would have counted in the records read so far, so its line numbers
     * (in its messages, and for resynchronising) are those of a csv-parse pass over the whole file;
     * the empty records they make are dropped.
     */
    const handOver = async (rest: Buffer): Promise<void> => {
      parser = startParser();
      let lines = cursor - 1 + doubleCounted;
      fakeRecords = lines;
      const unit = fast!.recordDelimiter;
      while (lines > 0) {
        const n = Math.min(lines, 1 << 16);
        await write(Buffer.from(unit.repeat(n), 'latin1'));
        lines -= n;
      }
      if (rest.length > 0) await write(rest);
    };

    void (async () => {
      try {
        if (!fast) parser = startParser();
        let pending: Buffer[] = [];
        let pendingLength = 0;
        // A record longer than a chunk is read again from its start once twice as much is in.
        let retryAt = 0;
        for await (const chunk of source) {
          if (parser) {
            await write(chunk);
            continue;
          }
          pending.push(chunk);
          pendingLength += chunk.length;
          if (pendingLength < retryAt) continue;
          const buf = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingLength);
          const stop = readFast(buf, false);
          const rest = buf.subarray(stop.at);
          if (stop.irregular) {
            pending = [];
            await handOver(rest);
            continue;
          }
          pending = rest.length > 0 ? [rest] : [];
          pendingLength = rest.length;
          retryAt = rest.length * 2;
        }
        if (!parser) {
          const buf = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingLength);
          const stop = readFast(buf, true);
          if (!stop.irregular) {
            resolve({ records: count });
            return;
          }
          await handOver(buf.subarray(stop.at));
        }
        parser!.end();
      } catch (err) {
        parser?.destroy(err as Error);
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
