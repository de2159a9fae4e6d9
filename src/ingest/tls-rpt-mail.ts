/**
 * The e-mails TLS-RPT reports arrive in (RFC 8460 §5.3): one message (.eml, a Maildir file) or an
 * mbox of many. MIME is parsed by postal-mime, not by hand; this module only finds the report
 * parts (`application/tlsrpt+gzip` / `application/tlsrpt+json`) and splits an mbox into its
 * messages (RFC 4155: a message starts at a "From " line at the start of the file or after an
 * empty line; mboxrd's ">From " quoting is undone).
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import PostalMime, { type Email } from 'postal-mime';
import type { InputProblem } from '../model/problem.js';
import type { TlsRptReport } from '../model/tls-rpt.js';
import { parseTlsRptBytes, type TlsRptPlace } from './tls-rpt.js';
import { PROBLEM } from './messages.js';

/** The media types RFC 8460 §5.3 registers for a report attached to an e-mail. */
const TLSRPT_MEDIA_TYPES = ['application/tlsrpt+gzip', 'application/tlsrpt+json'] as const;

/** A report e-mail is a few kilobytes; a message beyond this is not read (bounded memory per message). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** What one message held. `carriesReport`: it had at least one TLS-RPT part (read or broken). */
interface MessageReports {
  readonly reports: TlsRptReport[];
  readonly problems: InputProblem[];
  readonly carriesReport: boolean;
}

/** Text markers of a TLS-RPT e-mail in its headers: the report type, the registered media types, the RFC's own header. */
const TLSRPT_MAIL_MARKER = /report-type\s*=\s*"?tlsrpt|application\/tlsrpt\+(gzip|json)|^tls-report-domain\s*:/im;

/** Whether the start of a text looks like the header of an Internet message (RFC 5322 field names). */
export function looksLikeMessage(head: string): boolean {
  return /^[!-9;-~]+:/.test(head) && TLSRPT_MAIL_MARKER.test(head);
}

/** Whether the start of a text looks like an mbox of TLS-RPT e-mails. */
export function looksLikeMbox(head: string): boolean {
  return head.startsWith('From ') && TLSRPT_MAIL_MARKER.test(head);
}

function isReportPart(mimeType: string, filename: string | null, tlsRptMessage: boolean): boolean {
  if ((TLSRPT_MEDIA_TYPES as readonly string[]).includes(mimeType)) return true;
  // Some senders label the part generically; in a message that declares itself a TLS-RPT report, a
  // file named as RFC 8460 §5.3 names reports (…!…!….json[.gz]) is one too.
  return tlsRptMessage && filename !== null && /\.json(\.gz)?$|\.gz$/i.test(filename)
    && /^application\/(gzip|x-gzip|json|octet-stream)$/.test(mimeType);
}

/** Reads the TLS-RPT parts of one message. A part that is broken becomes a problem; the others are still read. */
export async function reportsInMessage(raw: Uint8Array, place: Omit<TlsRptPlace, 'attachment'>): Promise<MessageReports> {
  const base = { file: place.file, ...(place.line !== undefined ? { line: place.line } : {}) };
  let email: Email;
  try {
    email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer', maxNestingDepth: 32, maxPartCount: 1000, maxHeadersSize: 1024 * 1024 });
  } catch (err) {
    return { reports: [], carriesReport: false, problems: [{ ...base, code: 'bad-message', effect: 'file-skipped',
      message: PROBLEM.notMime(err instanceof Error ? err.message : String(err)) }] };
  }
  const header = (name: string) => email.headers.find((h) => h.key === name)?.value ?? '';
  const tlsRptMessage = /report-type\s*=\s*"?tlsrpt/i.test(header('content-type')) || header('tls-report-domain') !== '';
  const reports: TlsRptReport[] = [];
  const problems: InputProblem[] = [];
  let carriesReport = false;
  email.attachments.forEach((a, i) => {
    if (!isReportPart(a.mimeType, a.filename, tlsRptMessage)) return;
    carriesReport = true;
    const content = typeof a.content === 'string' ? Buffer.from(a.content, 'utf8') : new Uint8Array(a.content);
    const one = parseTlsRptBytes(content, { ...place, attachment: a.filename ?? `part ${i + 1} (${a.mimeType})` });
    reports.push(...one.reports);
    problems.push(...one.problems);
  });
  if (!carriesReport) {
    problems.push({ ...base, code: 'no-tls-report', effect: 'file-skipped', message: PROBLEM.noReportAttached(email.subject, TLSRPT_MEDIA_TYPES) });
  }
  return { reports, problems, carriesReport };
}

/**
 * Splits an mbox into its messages as the bytes stream in: `onMessage` gets each message (without
 * its "From " postmark line) and the line it starts on. A message over `maxBytes` is not kept in
 * memory: `onTooLarge` is told its line instead.
 */
export async function splitMbox(
  chunks: AsyncIterable<Buffer>,
  onMessage: (message: Buffer, line: number) => Promise<void>,
  onTooLarge: (line: number, bytes: number) => void,
  maxBytes = MAX_MESSAGE_BYTES,
): Promise<number> {
  let carry: Buffer = Buffer.alloc(0);
  let lineNo = 0;
  let prevBlank = true;
  let parts: Buffer[] = [];
  let size = 0;
  let start = 0;
  let messages = 0;
  const flush = async () => {
    if (start === 0) return;
    messages++;
    if (size > maxBytes) onTooLarge(start, size);
    else await onMessage(Buffer.concat(parts, size), start);
    parts = [];
    size = 0;
  };
  const line = async (l: Buffer) => {
    lineNo++;
    if (prevBlank && l.length >= 5 && l[0] === 0x46 && l.toString('latin1', 0, 5) === 'From ') {
      await flush();
      start = lineNo + 1;
      prevBlank = false;
      return;
    }
    prevBlank = l.length === 1 || (l.length === 2 && l[0] === 0x0d);
    if (start === 0) return;
    // mboxrd: a body line ">From " (any number of ">") was quoted by one ">" on delivery.
    const body = l[0] === 0x3e && /^>+From /.test(l.toString('latin1', 0, Math.min(l.length, 64))) ? l.subarray(1) : l;
    size += body.length;
    if (size <= maxBytes) parts.push(body);
    else parts = [];
  };
  for await (const chunk of chunks) {
    carry = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
    let pos = 0;
    for (let nl = carry.indexOf(10, pos); nl !== -1; nl = carry.indexOf(10, pos)) {
      await line(carry.subarray(pos, nl + 1));
      pos = nl + 1;
    }
    carry = pos === 0 ? carry : Buffer.from(carry.subarray(pos));
    // A line longer than a whole message is damage: drop it rather than hold it.
    if (carry.length > maxBytes) {
      size += carry.length;
      parts = [];
      carry = Buffer.alloc(0);
    }
  }
  if (carry.length > 0) await line(carry);
  await flush();
  return messages;
}

/**
 * The message files of a Maildir (its `cur/` and `new/` folders; `tmp/` holds deliveries in
 * progress), sorted, or undefined when `dir` is no Maildir.
 */
export async function maildirMessages(dir: string): Promise<string[] | undefined> {
  const sub = await Promise.all(['cur', 'new'].map(async (s) => ((await stat(join(dir, s)).catch(() => undefined))?.isDirectory() ? s : undefined)));
  const folders = sub.filter((s): s is string => s !== undefined);
  if (folders.length === 0) return undefined;
  const files: string[] = [];
  for (const f of folders) {
    for (const e of await readdir(join(dir, f), { withFileTypes: true })) {
      if (e.isFile() && !e.name.startsWith('.')) files.push(join(dir, f, e.name));
    }
  }
  return files.sort();
}
