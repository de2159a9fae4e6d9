/**
 * The `tls-rpt` entry of the ingest registry: TLS-RPT aggregate reports (RFC 8460) as a `.json`
 * report, a `.json.gz` one (§5.3 names them `sender!domain!begin!end[!id].json.gz`), an e-mail
 * carrying one (.eml or a Maildir message file), or an mbox of such e-mails. Recognised by the
 * bytes, never by the name: gzip is opened and its JSON looked at, e-mail by its headers.
 * Reports read twice within one file are counted once here; across files, ingest() does it.
 */
import { constants, gunzipSync } from 'node:zlib';
import type { InputProblem } from '../model/problem.js';
import type { TlsRptReport } from '../model/tls-rpt.js';
import { duplicateOf, isGzip, parseTlsRptBytes } from './tls-rpt.js';
import { looksLikeMbox, looksLikeMessage, MAX_MESSAGE_BYTES, reportsInMessage, splitMbox } from './tls-rpt-mail.js';
import type { BytesIngester, IngestContext, IngestResult } from './types.js';
import { PROBLEM } from './messages.js';

/** RFC 8460 §4.4 top-level keys; two of them in the first bytes of a JSON object make it a report. */
const REPORT_KEYS = /"(organization-name|date-range|report-id|policies|contact-info)"\s*:/g;

function looksLikeReportJson(text: string): boolean {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (!t.startsWith('{')) return false;
  return new Set([...t.slice(0, 64 * 1024).matchAll(REPORT_KEYS)].map((m) => m[1])).size >= 2;
}

/** The start of a gzip member's content, from however much of it the first chunk holds. */
function gunzipHead(first: Buffer): string {
  // maxOutputLength throws instead of truncating, and a whole first chunk of a real report
  // (compressed ~70:1) expands far past it; so growing prefixes are read and the last that fits is kept.
  let head = '';
  for (let n = 32; ; n *= 2) {
    try {
      // Z_SYNC_FLUSH: a member cut off by the end of the prefix yields what it has instead of throwing.
      head = gunzipSync(first.subarray(0, n), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 64 * 1024 }).toString('utf8');
    } catch {
      return head;
    }
    if (n >= first.length) return head;
  }
}

type Shape = 'report' | 'mbox' | 'message';

function shapeOf(first: Buffer): Shape | undefined {
  if (isGzip(first)) return looksLikeReportJson(gunzipHead(first)) ? 'report' : undefined;
  const head = first.toString('latin1');
  if (looksLikeReportJson(head)) return 'report';
  if (looksLikeMbox(head)) return 'mbox';
  if (looksLikeMessage(head)) return 'message';
  return undefined;
}

/** Collects a whole file up to `max` bytes; undefined beyond (the rest is still drained by ingest for the hash). */
async function collect(bytes: AsyncIterable<Buffer>, max: number): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const b of bytes) {
    size += b.length;
    if (size > max) return undefined;
    parts.push(b);
  }
  return Buffer.concat(parts, size);
}

async function consume(bytes: AsyncIterable<Buffer>, ctx: IngestContext, first: Buffer): Promise<IngestResult> {
  const seen = new Map<string, TlsRptReport>();
  const reports: TlsRptReport[] = [];
  const problem = (p: InputProblem) => {
    const { file: _file, ...rest } = p;
    ctx.problem(rest);
  };
  const keep = (found: { reports: TlsRptReport[]; problems: InputProblem[] }, line?: number) => {
    found.problems.forEach(problem);
    for (const r of found.reports) {
      const dup = duplicateOf(seen, r, { file: ctx.file, ...(line !== undefined ? { line } : {}) });
      if (dup) problem(dup);
      else reports.push(r);
    }
  };
  // A forced format (a Maildir's messages) may be anything: it is read as an e-mail unless its bytes say otherwise.
  const shape = shapeOf(first) ?? (isGzip(first) || first.toString('latin1').trimStart().startsWith('{') ? 'report' : 'message');
  if (shape === 'mbox') {
    await splitMbox(bytes, async (message, line) => keep(await reportsInMessage(message, { file: ctx.file, line }), line),
      (line, size) => ctx.problem({ line, code: 'too-large', effect: 'row-skipped',
        message: PROBLEM.mailTooLarge(Math.ceil(size / 1024 / 1024), MAX_MESSAGE_BYTES / 1024 / 1024) }));
    return { kind: 'tls-rpt', reports, records: reports.length };
  }
  const whole = await collect(bytes, MAX_MESSAGE_BYTES);
  if (whole === undefined) {
    ctx.problem({ code: 'too-large', effect: 'file-skipped',
      message: PROBLEM.reportTooLarge(MAX_MESSAGE_BYTES / 1024 / 1024) });
    return { kind: 'tls-rpt', reports, records: 0 };
  }
  keep(shape === 'report' ? parseTlsRptBytes(whole, { file: ctx.file }) : await reportsInMessage(whole, { file: ctx.file }));
  return { kind: 'tls-rpt', reports, records: reports.length };
}

export const tlsRpt: BytesIngester = {
  id: 'tls-rpt',
  syntax: 'bytes',
  describe: 'TLS-RPT aggregate reports (RFC 8460): report .json / .json.gz, or the e-mails they arrive in (.eml, mbox, a Maildir folder)',
  sniffBytes: (first) => shapeOf(first) !== undefined,
  consumeBytes: (bytes, ctx) => consumeFirst(bytes, ctx),
};

/** consumeBytes without a separate first chunk: the first chunk is peeked from the stream. */
async function consumeFirst(bytes: AsyncIterable<Buffer>, ctx: IngestContext): Promise<IngestResult> {
  const it = bytes[Symbol.asyncIterator]();
  const head = await it.next();
  const first = head.done ? Buffer.alloc(0) : head.value;
  async function* all(): AsyncGenerator<Buffer> {
    if (first.length > 0) yield first;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return consume(all(), ctx, first);
}
