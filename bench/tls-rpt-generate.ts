/**
 * Writes TLS-RPT reports (RFC 8460 §4.4 JSON) and the e-mails they arrive in (§5.3: multipart/report,
 * report-type="tlsrpt", the report as an application/tlsrpt+gzip attachment), for the ingest bench
 * and the tests that need many of them: a Maildir of a thousand messages, a quarter through the pipeline.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ReportSpec {
  readonly org: 'Google Inc.' | 'Microsoft Corporation';
  /** yyyy-MM-dd */
  readonly date: string;
  readonly domain: string;
  readonly mx: readonly string[];
  readonly ok: number;
  readonly failures?: readonly { readonly type: string; readonly n: number; readonly mx: string }[];
}

const SUBMITTER = { 'Google Inc.': 'google.com', 'Microsoft Corporation': 'microsoft.com' } as const;
const CONTACT = { 'Google Inc.': 'smtp-tls-reporting@google.com', 'Microsoft Corporation': 'tlsrpt-noreply@microsoft.com' } as const;

export function reportId(r: ReportSpec): string {
  return r.org === 'Google Inc.' ? `${r.date}T00:00:00Z_${r.domain}` : `${Date.parse(r.date) / 1000}${r.domain.length}+${r.domain}`;
}

/** The report as JSON text, in the sender's shape (Google: one line with mx-host; Microsoft: indented, without). */
export function reportJson(r: ReportSpec): string {
  const failures = r.failures ?? [];
  const doc = {
    'organization-name': r.org,
    'date-range': { 'start-datetime': `${r.date}T00:00:00Z`, 'end-datetime': `${r.date}T23:59:59Z` },
    'contact-info': CONTACT[r.org],
    'report-id': reportId(r),
    policies: [{
      policy: {
        'policy-type': 'sts', 'policy-string': ['version: STSv1', 'mode: enforce', ...r.mx.map((m) => `mx: ${m}`), 'max_age: 604800'],
        'policy-domain': r.domain, ...(r.org === 'Google Inc.' ? { 'mx-host': [...r.mx] } : {}),
      },
      summary: { 'total-successful-session-count': r.ok, 'total-failure-session-count': failures.reduce((n, f) => n + f.n, 0) },
      ...(failures.length > 0 ? {
        'failure-details': failures.map((f) => ({ 'result-type': f.type, 'sending-mta-ip': '209.85.220.41', 'receiving-mx-hostname': f.mx, 'failed-session-count': f.n })),
      } : {}),
    }],
  };
  return r.org === 'Google Inc.' ? JSON.stringify(doc) : JSON.stringify(doc, null, 2);
}

/** RFC 8460 §5.3 file name: submitter!policy-domain!begin!end.json.gz (epoch seconds). */
export function reportFileName(r: ReportSpec): string {
  const begin = Date.parse(`${r.date}T00:00:00Z`) / 1000;
  return `${SUBMITTER[r.org]}!${r.domain}!${begin}!${begin + 86399}.json.gz`;
}

export function reportGzip(r: ReportSpec): Buffer {
  return gzipSync(reportJson(r));
}

/** The e-mail a sender sends the report in. */
export function reportEmail(r: ReportSpec, messageNo = 1): string {
  const b64 = reportGzip(r).toString('base64').replace(/.{76}/g, '$&\r\n');
  const boundary = `----=_Part_${messageNo}_${r.date}`;
  return [
    `Return-Path: <${CONTACT[r.org]}>`, `From: ${r.org} <${CONTACT[r.org]}>`, `To: tls-reports@${r.domain}`,
    `Subject: Report Domain: ${r.domain} Submitter: ${SUBMITTER[r.org]} Report-ID: <${reportId(r)}>`,
    `Date: ${new Date(Date.parse(`${r.date}T06:00:00Z`) + 86_400_000).toUTCString()}`, `Message-ID: <${messageNo}.${r.date}@${SUBMITTER[r.org]}>`,
    'MIME-Version: 1.0', `TLS-Report-Domain: ${r.domain}`, `TLS-Report-Submitter: ${SUBMITTER[r.org]}`,
    `Content-Type: multipart/report; report-type="tlsrpt"; boundary="${boundary}"`, '',
    `--${boundary}`, 'Content-Type: text/plain; charset=UTF-8', '', `This is an aggregate TLS report from ${SUBMITTER[r.org]}.`, '',
    `--${boundary}`, `Content-Type: application/tlsrpt+gzip; name="${reportFileName(r)}"`,
    `Content-Disposition: attachment; filename="${reportFileName(r)}"`, 'Content-Transfer-Encoding: base64', '', b64, `--${boundary}--`, '',
  ].join('\r\n');
}

/**
 * `count` daily reports as large senders send them: Google and Microsoft, `domains` domains of two
 * MX hosts each, one day in 25 with certificate failures at the second MX.
 */
export function senderReportSpecs(count: number, domains = 5): ReportSpec[] {
  const out: ReportSpec[] = [];
  for (let i = 0; out.length < count; i++) {
    const day = new Date(Date.UTC(2026, 0, 1) + Math.floor(i / (2 * domains)) * 86_400_000).toISOString().slice(0, 10);
    const domain = `d${i % domains}.example.test`;
    const mx = [`mx1.${domain}`, `mx2.${domain}`];
    const org = i % 2 === 0 ? 'Google Inc.' as const : 'Microsoft Corporation' as const;
    out.push({ org, date: day, domain, mx, ok: 1000 + (i % 97), failures: i % 25 === 0 ? [{ type: 'certificate-expired', n: 40, mx: mx[1]! }] : [] });
  }
  return out;
}

/** An mbox (RFC 4155) of the reports' e-mails. */
export function reportMbox(reports: readonly ReportSpec[]): string {
  return reports.map((r, i) => `From noreply@${r.org === 'Google Inc.' ? 'google.com' : 'microsoft.com'} Mon Jan  1 00:00:00 2026\n${reportEmail(r, i + 1).replace(/\r\n/g, '\n')}\n`).join('');
}

/** A Maildir at `dir` with one message per report (in new/, as a delivery agent leaves them); returns its path. */
export async function writeMaildir(dir: string, reports: readonly ReportSpec[]): Promise<string> {
  for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(dir, sub), { recursive: true });
  let i = 0;
  for (const r of reports) {
    i++;
    await writeFile(join(dir, i % 3 === 0 ? 'cur' : 'new', `${1789000000 + i}.M${i}P1.mx${i % 3 === 0 ? ':2,S' : ''}`), reportEmail(r, i));
  }
  return dir;
}
