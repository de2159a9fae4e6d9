/**
 * TLS-RPT aggregate reports (RFC 8460): what sending MTAs experienced when delivering to a
 * domain's MX hosts, per reporting organisation and date range. Not an Observation: a report is
 * the senders' view of many sessions, not one scanner's reading of one endpoint.
 */

/** Result types of RFC 8460 §4.3 (other strings are kept as the sender wrote them). */
const TLS_RPT_RESULT_TYPES = [
  'starttls-not-supported', 'certificate-host-mismatch', 'certificate-expired', 'certificate-not-trusted',
  'validation-failure', 'tlsa-invalid', 'dnssec-invalid', 'dane-required', 'sts-policy-fetch-error',
  'sts-policy-invalid', 'sts-webpki-invalid',
] as const;
export type TlsRptResultType = (typeof TLS_RPT_RESULT_TYPES)[number];

export interface TlsRptFailure {
  /** One of TLS_RPT_RESULT_TYPES, or an unregistered type as reported. */
  readonly resultType: string;
  readonly failedSessionCount: number;
  readonly sendingMtaIp?: string;
  readonly receivingMxHostname?: string;
  readonly receivingMxHelo?: string;
  readonly receivingIp?: string;
  readonly additionalInformation?: string;
  readonly failureReasonCode?: string;
}

interface TlsRptPolicyResult {
  /** `sts`, `tlsa` or `no-policy-found` (RFC 8460 §4.4). */
  readonly policyType: string;
  readonly policyDomain: string;
  readonly policyStrings: readonly string[];
  readonly mxHosts: readonly string[];
  readonly successfulSessions: number;
  readonly failedSessions: number;
  readonly failures: readonly TlsRptFailure[];
}

export interface TlsRptReport {
  readonly reportId: string;
  readonly organization: string;
  readonly contact?: string;
  /** ISO 8601. */
  readonly start: string;
  /** ISO 8601. */
  readonly end: string;
  readonly policies: readonly TlsRptPolicyResult[];
  /** Where it was read: the file as the user gave it (and the member, for a compressed one). */
  readonly file: string;
}

/** The RFC 8460 result types that say a certificate failed the sender's validation. */
export const CERTIFICATE_RESULT_TYPES: readonly string[] = ['certificate-host-mismatch', 'certificate-expired', 'certificate-not-trusted', 'validation-failure'];

/** Sessions per result type, most first (ties by name). */
type FailureCounts = readonly { readonly resultType: string; readonly sessions: number }[];

/** One UTC day of one domain: all sessions reported, and the failed ones at one MX (`failedHere`). */
interface SenderDay {
  readonly date: string;
  readonly successful: number;
  readonly failed: number;
  readonly failedHere: number;
}

/**
 * What the reports say about one policy domain, seen from one of its MX hosts. Senders count
 * successful sessions per policy, not per MX (RFC 8460 §4.4 summary), so the totals are the
 * domain's; only failures name the receiving MX. Failures that name no MX count at this host
 * when it is the domain's only known MX.
 */
interface SenderDomainFacts {
  readonly domain: string;
  readonly reports: number;
  readonly organisations: readonly string[];
  readonly successful: number;
  readonly failed: number;
  /** MX hosts the reports name for the domain (policy mx patterns and failure details). */
  readonly mxHosts: readonly string[];
  readonly days: readonly SenderDay[];
  /** Failed sessions at this MX by result type over all days. */
  readonly failuresHere: FailureCounts;
  /** Where the numbers come from: a few report places (file › attachment). */
  readonly files: readonly string[];
}

/** TLS-RPT facts for one SMTP endpoint: set whenever reports were among the inputs (even none for its domains). */
export interface SenderReportFacts {
  /** Reports read in the report period, all domains. */
  readonly reportsRead: number;
  /** Dates (yyyy-MM-dd) the reports read cover, or null when none were. */
  readonly start: string | null;
  readonly end: string | null;
  /** Domains whose reports concern this endpoint (it is a named MX, or a scan found it as the domain's MX). */
  readonly domains: readonly SenderDomainFacts[];
}

/** Lower-case, no trailing dot. */
export function normaliseHost(h: string): string {
  return h.trim().toLowerCase().replace(/\.$/, '');
}

/** Whether `host` matches an MTA-STS mx pattern (`*.example.com` covers one label, RFC 8461 §4.1). */
function mxPatternMatches(pattern: string, host: string): boolean {
  const p = normaliseHost(pattern);
  const h = normaliseHost(host);
  if (p.startsWith('*.')) {
    const rest = p.slice(2);
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot + 1) === rest;
  }
  return p === h;
}

/** One policy domain aggregated over reports: what the model and the checks both read. */
interface DomainAggregate {
  readonly domain: string;
  readonly policyTypes: Set<string>;
  /** MX names and patterns the policies list (mx-host, or `mx:` lines of an STS policy string). */
  readonly mxPatterns: Set<string>;
  readonly reports: TlsRptReport[];
  successful: number;
  failed: number;
  /** date → totals, and failures per MX host ('' when the sender named none) and result type. */
  readonly days: Map<string, { successful: number; failed: number; byMx: Map<string, Map<string, number>> }>;
  readonly ranges: Map<string, { organisation: string; start: string; end: string; reports: number; successful: number; failed: number }>;
}

/** Groups reports by policy domain (a report may cover several). */
export function aggregateByDomain(reports: readonly TlsRptReport[]): Map<string, DomainAggregate> {
  const out = new Map<string, DomainAggregate>();
  for (const r of reports) {
    const date = r.start.slice(0, 10);
    for (const p of r.policies) {
      let d = out.get(p.policyDomain);
      if (!d) {
        d = { domain: p.policyDomain, policyTypes: new Set(), mxPatterns: new Set(), reports: [], successful: 0, failed: 0, days: new Map(), ranges: new Map() };
        out.set(p.policyDomain, d);
      }
      d.policyTypes.add(p.policyType);
      for (const m of p.mxHosts) d.mxPatterns.add(normaliseHost(m));
      for (const s of p.policyStrings) {
        const mx = /^\s*mx\s*:\s*(\S+)\s*$/i.exec(s);
        if (mx) d.mxPatterns.add(normaliseHost(mx[1]!));
      }
      if (!d.reports.includes(r)) d.reports.push(r);
      d.successful += p.successfulSessions;
      d.failed += p.failedSessions;
      let day = d.days.get(date);
      if (!day) {
        day = { successful: 0, failed: 0, byMx: new Map() };
        d.days.set(date, day);
      }
      day.successful += p.successfulSessions;
      day.failed += p.failedSessions;
      for (const f of p.failures) {
        const mx = f.receivingMxHostname ? normaliseHost(f.receivingMxHostname) : '';
        const types = day.byMx.get(mx) ?? new Map<string, number>();
        types.set(f.resultType, (types.get(f.resultType) ?? 0) + f.failedSessionCount);
        day.byMx.set(mx, types);
      }
      const rk = `${r.organization}\u0000${r.start}\u0000${r.end}`;
      const range = d.ranges.get(rk) ?? { organisation: r.organization, start: r.start, end: r.end, reports: 0, successful: 0, failed: 0 };
      range.reports++;
      range.successful += p.successfulSessions;
      range.failed += p.failedSessions;
      d.ranges.set(rk, range);
    }
  }
  return out;
}

/** MX hosts named for a domain: exact policy names and every receiving MX in failure details (patterns stay out). */
export function namedMxHosts(d: DomainAggregate): string[] {
  const named = new Set([...d.mxPatterns].filter((p) => !p.startsWith('*.')));
  for (const day of d.days.values()) for (const mx of day.byMx.keys()) if (mx) named.add(mx);
  return [...named].sort();
}

export function sortedCounts(m: ReadonlyMap<string, number>): { resultType: string; sessions: number }[] {
  return [...m].map(([resultType, sessions]) => ({ resultType, sessions }))
    .sort((a, b) => b.sessions - a.sessions || a.resultType.localeCompare(b.resultType));
}

/**
 * The facts for an SMTP endpoint on `host`: each domain whose reports name the host as an MX (or
 * whose MX a scan found it to be: `scannedDomains`), with the failures at this host.
 */
export function senderFactsFor(host: string, aggregates: ReadonlyMap<string, DomainAggregate>, scannedDomains: readonly string[], reportsRead: number, range: { start: string | null; end: string | null }): SenderReportFacts {
  const h = normaliseHost(host);
  const domains: SenderDomainFacts[] = [];
  for (const d of aggregates.values()) {
    const named = namedMxHosts(d);
    const concerns = [...d.mxPatterns].some((p) => mxPatternMatches(p, h)) || named.includes(h) || scannedDomains.includes(d.domain);
    if (!concerns) continue;
    const onlyMx = named.length === 0 || (named.length === 1 && named[0] === h);
    const here = new Map<string, number>();
    const days: SenderDay[] = [...d.days].sort(([a], [b]) => a.localeCompare(b)).map(([date, day]) => {
      let failedHere = 0;
      for (const [mx, types] of day.byMx) {
        if (mx !== h && !(mx === '' && onlyMx)) continue;
        for (const [t, n] of types) {
          here.set(t, (here.get(t) ?? 0) + n);
          failedHere += n;
        }
      }
      // A single-MX domain whose senders gave totals without details: every failure was at this host.
      if (onlyMx && failedHere < day.failed && [...day.byMx.keys()].every((mx) => mx === '' || mx === h)) failedHere = day.failed;
      return { date, successful: day.successful, failed: day.failed, failedHere };
    });
    domains.push({
      domain: d.domain, reports: d.reports.length, organisations: [...new Set(d.reports.map((r) => r.organization))].sort(),
      successful: d.successful, failed: d.failed, mxHosts: named, days, failuresHere: sortedCounts(here),
      files: d.reports.slice(0, 3).map((r) => r.file),
    });
  }
  return { reportsRead, ...range, domains: domains.sort((a, b) => a.domain.localeCompare(b.domain)) };
}
