/**
 * Results on disk, streamed: each record is appended to `scan.jsonl` in one write as soon as it is
 * known (a killed scan loses at most the line being written, which resume drops), and each
 * endpoint also becomes a row of `summary.csv`. Resume reads the JSON lines back: finished
 * endpoints and discovered domains are not redone.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { csvCell } from '../csv-cell.js';
import type { CertificateFacts, Observation } from '../model/observation.js';
import {
  RESULTS_FILE, ResultRecordSchema, SUMMARY_FILE,
  type DomainRecord, type EndpointRecord, type ResultRecord,
} from './results-schema.js';

interface ResumeState {
  readonly domains: Map<string, DomainRecord>;
  readonly endpoints: Map<string, EndpointRecord>;
  /** Lines that could not be read (a torn last line after kill -9, damage anywhere), by 1-based line number. */
  readonly badLines: { line: number; problem: string }[];
  /** The text of every line that reads back as a record, in file order. */
  readonly validLines: string[];
}

/** Reads a results file; lines that do not read back (a torn last line, garbage anywhere) are reported and ignored. */
export function readResultsFile(path: string): ResumeState & { records: ResultRecord[] } {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const domains = new Map<string, DomainRecord>();
  const endpoints = new Map<string, EndpointRecord>();
  const badLines: ResumeState['badLines'] = [];
  const records: ResultRecord[] = [];
  const validLines: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const complete = i < lines.length - 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      badLines.push({ line: i + 1, problem: complete ? 'not JSON' : 'torn last line (the scan was interrupted while writing it)' });
      return;
    }
    const r = ResultRecordSchema.safeParse(parsed);
    if (!r.success) {
      badLines.push({ line: i + 1, problem: r.error.issues.slice(0, 3).map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') });
      return;
    }
    records.push(r.data);
    validLines.push(line);
    if (r.data.type === 'domain') domains.set(r.data.domain, r.data);
    else if (r.data.type === 'endpoint') endpoints.set(r.data.key, r.data);
  });
  return { domains, endpoints, badLines, validLines, records };
}

/**
 * summary.csv keeps one endpoint per physical line, so a scan killed mid-append tears at most its
 * last line and line-oriented tools (wc -l, grep) count endpoints: line breaks in a value become
 * spaces before the shared cell rule quotes it and neutralises formulas.
 */
function summaryCell(value: string | number | undefined): string {
  return csvCell(typeof value === 'string' ? value.replace(/\r?\n|\r/g, ' ') : value);
}

const SUMMARY_COLUMNS = [
  'domains', 'host', 'ip', 'port', 'service', 'transport', 'status', 'reason', 'tls_available', 'starttls',
  'protocols_offered', 'weak_cipher_classes', 'forward_secrecy', 'static_rsa', 'dh_bits', 'preferred_cipher',
  'cert_subject', 'cert_issuer', 'cert_not_after', 'cert_trusted', 'cert_hostname_match', 'cert_key', 'cert_signature',
  'ocsp_stapling', 'auth_before_tls', 'mail_before_tls', 'mta_sts', 'tls_rpt', 'dane', 'observed_at', 'detail',
] as const;

function yn(v: boolean | undefined): string {
  return v === undefined ? '' : v ? 'yes' : 'no';
}

/** One summary row for an endpoint record. */
function summaryRow(r: EndpointRecord): string {
  const o: Observation = r.observation;
  // A server with RSA and ECDSA certificates: each cert_* cell lists both, in certificate order.
  const certs = (f: (c: CertificateFacts | undefined) => string | number | undefined): string | number | undefined =>
    o.certificates.length <= 1 ? f(o.certificates[0]) : o.certificates.map((c) => String(f(c) ?? '')).join(' | ');
  const offered = Object.entries(o.protocols).filter(([, f]) => f?.value).map(([p]) => p).join(' ');
  const weak = Object.entries(o.cipherClasses).filter(([, f]) => f?.value).map(([c]) => c).join(' ');
  const policies = o.domainPolicies ?? [];
  const sts = policies.map((p) => {
    const f = p.mtaSts?.value;
    if (!f) return '';
    return `${p.domain}:${f.policy === 'valid' ? `${f.mode ?? '?'}${f.mxMatch === false ? ' (mx mismatch)' : ''}` : f.record === 'valid' ? `policy ${f.policy}` : `record ${f.record}`}`;
  }).filter(Boolean).join(' ');
  const rpt = policies.map((p) => (p.tlsRpt ? `${p.domain}:${p.tlsRpt.value.record}` : '')).filter(Boolean).join(' ');
  const d = o.dane?.value;
  const dane = d === undefined ? '' : d.tlsa.length === 0 ? 'none' : `${d.tlsa.length} TLSA${d.authenticated ? '' : ' (not authenticated)'}${d.matches === undefined ? '' : d.matches ? ' match' : ' MISMATCH'}`;
  const cells = [
    r.domains.join(' '), o.endpoint.host, o.endpoint.ip, o.endpoint.port, o.endpoint.service, o.endpoint.transport,
    r.status, r.reason, yn(o.tlsAvailable?.value), yn(o.startTlsOffered?.value), offered, weak,
    yn(o.forwardSecrecy?.value), yn(o.staticRsa?.value), o.dhBits?.value, o.preferredCipher?.value,
    certs((c) => c?.commonName?.value), certs((c) => c?.issuer?.value), certs((c) => c?.notAfter?.value),
    certs((c) => yn(c?.chainTrust?.value.trusted)), certs((c) => yn(c?.hostnameMatch?.value)),
    certs((c) => (c?.keyAlgorithm ? `${c.keyAlgorithm.value} ${c.keyBits?.value ?? ''}`.trim() : undefined)),
    certs((c) => c?.signatureAlgorithm?.value), certs((c) => yn(c?.ocspStapling?.value)), o.mail?.authBeforeTls?.value.join(' '),
    yn(o.mail?.mailAcceptedBeforeTls?.value), sts, rpt, dane, o.observedAt, r.status === 'completed' ? '' : r.detail,
  ];
  return cells.map(summaryCell).join(',');
}

export class ResultsWriter {
  private readonly jsonFd: number;
  private readonly csvFd: number;
  readonly jsonPath: string;
  readonly csvPath: string;

  /**
   * Opens (creating) `dir/scan.jsonl` and `dir/summary.csv`. With `resume`, the results file is
   * first rewritten from the lines that read back (through a temporary file and a rename, so a
   * crash here loses nothing): a torn last line after a kill -9 and damaged lines anywhere go,
   * every valid record after them stays. The CSV is rebuilt from the records, so both agree.
   */
  constructor(dir: string, resume: ResumeState | undefined) {
    mkdirSync(dir, { recursive: true });
    this.jsonPath = join(dir, RESULTS_FILE);
    this.csvPath = join(dir, SUMMARY_FILE);
    if (resume) {
      const temp = join(dir, `.${RESULTS_FILE}.${randomBytes(6).toString('hex')}.tmp`);
      const fd = openSync(temp, 'wx');
      try {
        for (const line of resume.validLines) writeSync(fd, `${line}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, this.jsonPath);
    }
    this.jsonFd = openSync(this.jsonPath, resume ? 'a' : 'w');
    this.csvFd = openSync(this.csvPath, 'w');
    writeSync(this.csvFd, `${SUMMARY_COLUMNS.join(',')}\n`);
    if (resume) for (const r of resume.endpoints.values()) writeSync(this.csvFd, `${summaryRow(r)}\n`);
  }

  /** Appends one record (one write call, so a kill leaves whole lines behind). */
  write(record: ResultRecord): void {
    writeSync(this.jsonFd, `${JSON.stringify(record)}\n`);
    if (record.type === 'endpoint') writeSync(this.csvFd, `${summaryRow(record)}\n`);
  }

  close(): void {
    closeSync(this.jsonFd);
    closeSync(this.csvFd);
  }
}
