/**
 * Reads TLS-RPT aggregate reports (RFC 8460 §4): a report as JSON, or gzip-compressed as senders
 * attach it (`application/tlsrpt+gzip`, RFC 8460 §5.3), recognised by its bytes, not its name.
 * Each report is checked against the §4.4 schema; a report that does not fit is refused with the
 * file and the JSON field at fault. A report delivered twice (same report-id) is counted once.
 *
 * Not yet read: the e-mails the reports arrive in (.eml, mbox, Maildir). The reader stands apart
 * from the scanner-export registry because a report is no Observation (see model/tls-rpt.ts).
 */
import { CAPS, FileRefusedError, readBounded } from '../fs-guard.js';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import type { InputProblem } from '../model/problem.js';
import type { TlsRptReport } from '../model/tls-rpt.js';

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

export interface TlsRptReadResult {
  readonly reports: TlsRptReport[];
  readonly problems: InputProblem[];
}

/** Reads one report file (JSON or gzip-compressed JSON). `file` is the path as shown to the user. */
export async function readTlsRptFile(abs: string, file: string): Promise<TlsRptReadResult> {
  const refuse = (code: string, message: string): TlsRptReadResult => ({ reports: [], problems: [{ file, code, effect: 'file-skipped', message }] });
  let bytes: Buffer;
  try {
    bytes = await readBounded(abs, { option: 'TLS-RPT report', maxBytes: CAPS.tlsRpt });
  } catch (err) {
    if (err instanceof FileRefusedError) return refuse(err.reason, err.message);
    throw err;
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_EXPANDED_BYTES });
    } catch (err) {
      const tooBig = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || /larger than|too large/i.test(String(err));
      return refuse(tooBig ? 'too-large' : 'bad-gzip', tooBig
        ? `the gzip data expands beyond ${MAX_EXPANDED_BYTES / 1024 / 1024} MB, far more than a TLS-RPT report; it is not read`
        : `the file starts like gzip but does not decompress (${err instanceof Error ? err.message : String(err)}); save the attachment again`);
    }
  }
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    return refuse('bad-json', `not valid JSON (${err instanceof Error ? err.message : String(err)}); a TLS-RPT report is one JSON object (RFC 8460 §4.4)`);
  }
  const parsed = ReportSchema.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${fieldPath(i.path)}: ${i.message}`);
    return refuse('bad-report', `not a TLS-RPT report as RFC 8460 §4.4 defines it: ${issues.join('; ')}${parsed.error.issues.length > 5 ? '; …' : ''}`);
  }
  const r = parsed.data;
  const start = new Date(r['date-range']['start-datetime']).toISOString();
  const end = new Date(r['date-range']['end-datetime']).toISOString();
  if (end < start) {
    return refuse('bad-report', `date-range.end-datetime (${end}) is before date-range.start-datetime (${start})`);
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
      problems.push({ file, code: 'inconsistent-counts', effect: 'value-ignored',
        message: `policies[${i}]: failure-details count ${detailed} failed sessions, more than summary.total-failure-session-count ${failed}; the summary is used for rates` });
    }
    return {
      policyType: p.policy['policy-type'], policyDomain: p.policy['policy-domain'].toLowerCase().replace(/\.$/, ''),
      policyStrings: p.policy['policy-string'] ?? [], mxHosts: p.policy['mx-host'] ?? [],
      successfulSessions: p.summary['total-successful-session-count'], failedSessions: failed, failures,
    };
  });
  const report: TlsRptReport = {
    reportId: r['report-id'], organization: r['organization-name'], ...(r['contact-info'] !== undefined ? { contact: r['contact-info'] } : {}),
    start, end, policies, file,
  };
  return { reports: [report], problems };
}

/**
 * Reads many report files; a report whose report-id was already read (the same report delivered
 * twice, or to two addresses) is counted once, with a problem naming both files.
 */
export async function readTlsRptReports(files: readonly { abs: string; file: string }[]): Promise<TlsRptReadResult> {
  const byId = new Map<string, TlsRptReport>();
  const problems: InputProblem[] = [];
  for (const f of files) {
    const one = await readTlsRptFile(f.abs, f.file);
    problems.push(...one.problems);
    for (const r of one.reports) {
      const key = `${r.organization}\u0000${r.reportId}`;
      const first = byId.get(key);
      if (first) {
        problems.push({ file: f.file, code: 'duplicate-report', effect: 'file-skipped',
          message: `report-id "${r.reportId}" from ${r.organization} was already read from ${first.file}; counted once` });
        continue;
      }
      byId.set(key, r);
    }
  }
  return { reports: [...byId.values()], problems };
}
