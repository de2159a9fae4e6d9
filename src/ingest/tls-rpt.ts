/**
 * Reads TLS-RPT aggregate reports (RFC 8460 §4): a report as JSON, or gzip-compressed as senders
 * attach it (`application/tlsrpt+gzip`, RFC 8460 §5.3), recognised by its bytes, not its name.
 * Each report is checked against the §4.4 schema; a report that does not fit is refused with the
 * file and the JSON field at fault. A report delivered twice (same report-id) is counted once.
 *
 * The e-mails reports arrive in (.eml, mbox, Maildir) are opened by tls-rpt-mail.ts, which hands
 * each attachment here. A report is no Observation (see model/tls-rpt.ts): the registry entry
 * (tls-rpt-input.ts) returns reports, which the pipeline joins to the MX endpoints.
 */
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import type { InputProblem } from '../model/problem.js';
import { oversizedMessage, oversizedString } from './limits.js';
import type { TlsRptReport } from '../model/tls-rpt.js';
import { PROBLEM } from './messages.js';

/** A gzip member may not expand beyond this (a compressed report is a few kilobytes). */
const MAX_EXPANDED_BYTES = 64 * 1024 * 1024;

const count = z.number().int().nonnegative();
const isoTime = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)),
  { message: 'is not an RFC 3339 date-time such as 2026-09-14T00:00:00Z' });

const ReportSchema = z.object({
  'organization-name': z.string().min(1),
  'date-range': z.object({ 'start-datetime': isoTime, 'end-datetime': isoTime }),
  'contact-info': z.string().optional(),
  'report-id': z.string().min(1),
  policies: z.array(z.object({
    policy: z.object({
      'policy-type': z.string().min(1),
      'policy-string': z.array(z.string()).optional(),
      'policy-domain': z.string().min(1),
      'mx-host': z.array(z.string()).optional(),
    }),
    summary: z.object({
      'total-successful-session-count': count,
      'total-failure-session-count': count,
    }),
    'failure-details': z.array(z.object({
      'result-type': z.string().min(1),
      'sending-mta-ip': z.string().optional(),
      'receiving-mx-hostname': z.string().optional(),
      'receiving-mx-helo': z.string().optional(),
      'receiving-ip': z.string().optional(),
      'failed-session-count': count,
      'additional-information': z.string().optional(),
      'failure-reason-code': z.string().optional(),
    })).optional(),
  })),
});

/** `policies[0].summary.total-failure-session-count` from a zod issue path. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '') || '(the report)';
}

interface TlsRptReadResult {
  readonly reports: TlsRptReport[];
  readonly problems: InputProblem[];
}

/** Where a report was found: the file, the line its message starts on (mbox), the attachment's name. */
export interface TlsRptPlace {
  readonly file: string;
  readonly line?: number;
  readonly attachment?: string;
}

/** `inbox.mbox:120 › report.json.gz`: the place as shown in messages and cited in evidence. */
function placeText(p: TlsRptPlace): string {
  return `${p.file}${p.line !== undefined ? `:${p.line}` : ''}${p.attachment !== undefined ? ` › ${p.attachment}` : ''}`;
}

/** Whether `bytes` start like gzip (RFC 1952 magic and the deflate method). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08;
}

/** 1-based line and column of a character offset in `text`. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Where JSON.parse stopped, from its message: newer V8 says "at position N"; Node 20's V8 says
 * `Unexpected token '}', ..."icies": [ }"... is not valid JSON`, quoting up to 10 characters either
 * side of the token, or "Unexpected end of JSON input".
 */
function jsonErrorOffset(msg: string, text: string): number | undefined {
  const pos = /position (\d+)/.exec(msg);
  if (pos) return Number(pos[1]);
  if (/Unexpected end of JSON input/.test(msg)) return text.length;
  const ctx = /Unexpected token '(.)', (\.\.\.)?"([\s\S]*?)"(\.\.\.)? is not valid JSON/.exec(msg);
  if (!ctx) return undefined;
  const at = text.indexOf(ctx[3]!);
  if (at === -1) return undefined;
  return ctx[2] ? at + 10 : at + ctx[3]!.indexOf(ctx[1]!);
}

/**
 * Reads one report from its bytes (JSON, or gzip-compressed JSON, recognised by the bytes). Broken
 * reports come back as one problem naming the place and the field (or line and column) at fault.
 */
export function parseTlsRptBytes(input: Uint8Array, place: TlsRptPlace): TlsRptReadResult {
  const where = placeText(place);
  const base = { file: place.file, ...(place.line !== undefined ? { line: place.line } : {}) };
  const prefix = PROBLEM.attachmentPrefix(place.attachment);
  const refuse = (code: string, message: string, at?: { line: number; column: number }): TlsRptReadResult => ({
    reports: [],
    problems: [{ ...base, ...(at && place.line === undefined ? at : {}), code, effect: 'file-skipped', message: `${prefix}${message}` }],
  });
  let bytes: Uint8Array = input;
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_EXPANDED_BYTES });
    } catch (err) {
      const tooBig = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || /larger than|too large/i.test(String(err));
      return refuse(tooBig ? 'too-large' : 'bad-gzip', tooBig
        ? PROBLEM.gzipTooLarge(MAX_EXPANDED_BYTES / 1024 / 1024)
        : PROBLEM.badGzip(err instanceof Error ? err.message : String(err)));
    }
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').replace(/^\uFEFF/, '');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const offset = jsonErrorOffset(msg, text);
    const at = offset !== undefined ? lineColumn(text, offset) : undefined;
    return refuse('bad-json', PROBLEM.badTlsRptJson(at, msg), at);
  }
  const long = oversizedString(doc);
  if (long) return refuse('field-too-long', oversizedMessage(long.path, long.length));
  const parsed = ReportSchema.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${fieldPath(i.path)}: ${i.message}`);
    return refuse('bad-report', PROBLEM.notTlsRpt(issues, parsed.error.issues.length > 5));
  }
  const r = parsed.data;
  const start = new Date(r['date-range']['start-datetime']).toISOString();
  const end = new Date(r['date-range']['end-datetime']).toISOString();
  if (end < start) {
    return refuse('bad-report', PROBLEM.endBeforeStart(end, start));
  }
  const problems: InputProblem[] = [];
  const policies = r.policies.map((p, i) => {
    const failures = (p['failure-details'] ?? []).map((f) => ({
      resultType: f['result-type'],
      failedSessionCount: f['failed-session-count'],
      ...(f['sending-mta-ip'] !== undefined ? { sendingMtaIp: f['sending-mta-ip'] } : {}),
      ...(f['receiving-mx-hostname'] !== undefined ? { receivingMxHostname: f['receiving-mx-hostname'] } : {}),
      ...(f['receiving-mx-helo'] !== undefined ? { receivingMxHelo: f['receiving-mx-helo'] } : {}),
      ...(f['receiving-ip'] !== undefined ? { receivingIp: f['receiving-ip'] } : {}),
      ...(f['additional-information'] !== undefined ? { additionalInformation: f['additional-information'] } : {}),
      ...(f['failure-reason-code'] !== undefined ? { failureReasonCode: f['failure-reason-code'] } : {}),
    }));
    const detailed = failures.reduce((n, f) => n + f.failedSessionCount, 0);
    const failed = p.summary['total-failure-session-count'];
    if (detailed > failed) {
      // The details are a breakdown of the total; more in the details than in the total is a sender's error, kept as reported.
      problems.push({ ...base, code: 'inconsistent-counts', effect: 'value-ignored',
        message: PROBLEM.inconsistentCounts(prefix, i, detailed, failed) });
    }
    return {
      policyType: p.policy['policy-type'], policyDomain: p.policy['policy-domain'].toLowerCase().replace(/\.$/, ''),
      policyStrings: p.policy['policy-string'] ?? [], mxHosts: p.policy['mx-host'] ?? [],
      successfulSessions: p.summary['total-successful-session-count'], failedSessions: failed, failures,
    };
  });
  const report: TlsRptReport = {
    reportId: r['report-id'], organization: r['organization-name'], ...(r['contact-info'] !== undefined ? { contact: r['contact-info'] } : {}),
    start, end, policies, file: where,
  };
  return { reports: [report], problems };
}

/** The problem for a report already read elsewhere, or undefined when `r` is new (and now remembered). */
export function duplicateOf(seen: Map<string, TlsRptReport>, r: TlsRptReport, at: { file: string; line?: number }): InputProblem | undefined {
  const key = `${r.organization}\u0000${r.reportId}`;
  const first = seen.get(key);
  if (!first) {
    seen.set(key, r);
    return undefined;
  }
  return { file: at.file, ...(at.line !== undefined ? { line: at.line } : {}), code: 'duplicate-report', effect: 'file-skipped',
    message: PROBLEM.duplicateReport(r.reportId, r.organization, first.file) };
}
