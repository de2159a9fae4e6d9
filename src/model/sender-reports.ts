/**
 * The report's "What sending servers saw" data: TLS-RPT aggregate reports (RFC 8460) summed per
 * policy domain, per receiving MX, per reporting organisation and date range, with failures by
 * result type and, from the evidence store, the same totals for earlier periods. Pure: built
 * from the reports and the scanned hosts, no I/O.
 */
import { z } from 'zod';
import type { Observation } from './observation.js';
import { fact, type SourceRef } from './source.js';
import { aggregateByDomain, namedMxHosts, normaliseHost, senderFactsFor, sortedCounts, type TlsRptReport } from './tls-rpt.js';

const Count = z.number().int().nonnegative();
const FailureCountsSchema = z.array(z.strictObject({ resultType: z.string(), sessions: Count }))
  .describe('Failed sessions by RFC 8460 result type (starttls-not-supported, certificate-expired…), most first.');

const SenderTrendPointSchema = z.strictObject({
  label: z.string().describe('The period, e.g. "Q3 2026", or the dates the reports cover when the run had no --period.'),
  start: z.string(),
  end: z.string(),
  successful: Count,
  failed: Count,
  failureRate: z.number().nullable().describe('Failed sessions as a percentage of all sessions; null with no session.'),
  current: z.boolean().describe('This report\'s own period.'),
});
type SenderTrendPoint = z.infer<typeof SenderTrendPointSchema>;

const SenderDomainSchema = z.strictObject({
  domain: z.string().describe('The policy domain the senders reported on.'),
  policyTypes: z.array(z.string()).describe('Policy types the senders applied: sts, tlsa, no-policy-found.'),
  reports: Count,
  organisations: z.array(z.string()).describe('Reporting organisations (Google Inc., Microsoft Corporation…).'),
  successful: Count.describe('Sessions that negotiated TLS as the policy required, all MX hosts.'),
  failed: Count,
  failureRate: z.number().nullable().describe('Failed as a percentage of all sessions; null with no session.'),
  failuresByType: FailureCountsSchema,
  mx: z.array(z.strictObject({
    host: z.string(),
    failed: Count.describe('Failed sessions the senders attributed to this MX (senders count successes per domain, not per MX).'),
    failuresByType: FailureCountsSchema,
    scanned: z.boolean().describe('The host is an endpoint of this report, so the checks judged what senders saw there.'),
  })).describe('Receiving MX hosts the reports name, with the failures at each.'),
  unattributedFailures: Count.describe('Failed sessions whose details name no receiving MX.'),
  ranges: z.array(z.strictObject({
    organisation: z.string(), start: z.string(), end: z.string(), reports: Count, successful: Count, failed: Count,
  })).describe('Per reporting organisation and date range (one row per report period a sender used).'),
  days: z.array(z.strictObject({ date: z.string(), successful: Count, failed: Count })).describe('Totals per UTC day (by report start), oldest first.'),
  daysAboveThreshold: Count.describe('Days whose failure rate is above the configured threshold.'),
  trend: z.array(SenderTrendPointSchema).describe('The totals of this and earlier periods from the evidence store, oldest first; only this period without a store.'),
});
type SenderDomain = z.infer<typeof SenderDomainSchema>;

export const SenderReportsSchema = z.strictObject({
  reports: Count.describe('Distinct reports counted (a report-id delivered twice counts once).'),
  outsidePeriod: Count.describe('Reports read but left out because their date range starts outside the report period.'),
  start: z.string().nullable().describe('First day the counted reports cover (yyyy-MM-dd).'),
  end: z.string().nullable().describe('Last day the counted reports cover (yyyy-MM-dd).'),
  failureRateThreshold: z.number().describe('Percentage of failed sessions above which a day counts against an MX (report.config.yaml senderReports.failureRateThreshold).'),
  domains: z.array(SenderDomainSchema),
});
export type SenderReports = z.infer<typeof SenderReportsSchema>;

/** Per-domain totals of one run, kept in ReportModel.summary so the store carries them to later runs' trends. */
export const SenderSessionsSchema = z.array(z.strictObject({ domain: z.string(), reports: Count, successful: Count, failed: Count }));
type SenderSessions = z.infer<typeof SenderSessionsSchema>;

/** Default for report.config.yaml senderReports.failureRateThreshold, in percent. */
export const DEFAULT_FAILURE_RATE_THRESHOLD = 5;

export function failureRate(successful: number, failed: number): number | null {
  const total = successful + failed;
  return total === 0 ? null : Math.round((failed / total) * 10000) / 100;
}

/** Reports whose date range starts within the period (yyyy-MM-dd, inclusive), and those left out. */
export function reportsInPeriod(reports: readonly TlsRptReport[], period: { start: string; end: string } | undefined): { inside: TlsRptReport[]; outside: TlsRptReport[] } {
  if (!period) return { inside: [...reports], outside: [] };
  const inside: TlsRptReport[] = [];
  const outside: TlsRptReport[] = [];
  for (const r of reports) {
    const day = r.start.slice(0, 10);
    (day >= period.start && day <= period.end ? inside : outside).push(r);
  }
  return { inside, outside };
}

interface SenderReportOptions {
  readonly threshold: number;
  /** Hosts of the report's SMTP endpoints (lower case). */
  readonly scannedHosts: ReadonlySet<string>;
  readonly outsidePeriod: number;
  /** Label of the current period for the trend. */
  readonly period?: { readonly label: string; readonly start: string; readonly end: string } | undefined;
}

/** The section data from the reports counted; null when none were among the inputs. */
export function buildSenderReports(reports: readonly TlsRptReport[], opts: SenderReportOptions): SenderReports {
  const aggregates = aggregateByDomain(reports);
  const days = reports.map((r) => r.start.slice(0, 10)).sort();
  const ends = reports.map((r) => r.end.slice(0, 10)).sort();
  const start = days[0] ?? null;
  const end = ends.at(-1) ?? null;
  const domains: SenderDomain[] = [...aggregates.values()].sort((a, b) => a.domain.localeCompare(b.domain)).map((d) => {
    const byType = new Map<string, number>();
    const byMx = new Map<string, Map<string, number>>();
    for (const day of d.days.values()) {
      for (const [mx, types] of day.byMx) {
        const m = byMx.get(mx) ?? new Map<string, number>();
        for (const [t, n] of types) {
          byType.set(t, (byType.get(t) ?? 0) + n);
          m.set(t, (m.get(t) ?? 0) + n);
        }
        byMx.set(mx, m);
      }
    }
    const sum = (m: ReadonlyMap<string, number> | undefined) => [...(m ?? new Map<string, number>()).values()].reduce((a, b) => a + b, 0);
    const dayList = [...d.days].sort(([a], [b]) => a.localeCompare(b)).map(([date, t]) => ({ date, successful: t.successful, failed: t.failed }));
    const label = opts.period?.label ?? (start && end ? `${start} to ${end}` : 'reports read');
    return {
      domain: d.domain, policyTypes: [...d.policyTypes].sort(), reports: d.reports.length,
      organisations: [...new Set(d.reports.map((r) => r.organization))].sort(),
      successful: d.successful, failed: d.failed, failureRate: failureRate(d.successful, d.failed),
      failuresByType: sortedCounts(byType),
      mx: namedMxHosts(d).map((host) => ({ host, failed: sum(byMx.get(host)), failuresByType: sortedCounts(byMx.get(host) ?? new Map()), scanned: opts.scannedHosts.has(host) })),
      unattributedFailures: sum(byMx.get('')),
      ranges: [...d.ranges.values()].sort((a, b) => a.start.localeCompare(b.start) || a.organisation.localeCompare(b.organisation)),
      days: dayList,
      daysAboveThreshold: dayList.filter((x) => (failureRate(x.successful, x.failed) ?? 0) > opts.threshold).length,
      trend: [{
        label, start: opts.period?.start ?? start ?? '', end: opts.period?.end ?? end ?? '',
        successful: d.successful, failed: d.failed, failureRate: failureRate(d.successful, d.failed), current: true,
      }],
    };
  });
  return { reports: reports.length, outsidePeriod: opts.outsidePeriod, start, end, failureRateThreshold: opts.threshold, domains };
}

/** The per-domain totals the store keeps with the run. */
export function senderSessions(s: SenderReports): SenderSessions {
  return s.domains.map((d) => ({ domain: d.domain, reports: d.reports, successful: d.successful, failed: d.failed }));
}

/** One earlier run as the store gives it back: its period and its stored summary (any shape: older runs lack the field). */
export interface StoredRunTotals {
  readonly seq: number;
  readonly period: { readonly label: string; readonly start: string; readonly end: string } | null;
  readonly summary: unknown;
}

/**
 * The trend: each earlier period's totals (the latest run of a period speaks for it), then this
 * one, oldest first, at most `max` points. Runs without a period, or whose summary carries no
 * TLS-RPT totals (older tlsproof, or no reports given), are left out.
 */
export function withTrend(s: SenderReports, stored: readonly StoredRunTotals[], current: { start: string }, max = 8): SenderReports {
  const latest = new Map<string, { run: StoredRunTotals; sessions: SenderSessions }>();
  for (const run of [...stored].sort((a, b) => a.seq - b.seq)) {
    if (!run.period || run.period.start >= current.start) continue;
    const parsed = z.looseObject({ senderSessions: SenderSessionsSchema }).safeParse(run.summary);
    if (!parsed.success) continue;
    latest.set(run.period.start, { run, sessions: parsed.data.senderSessions });
  }
  const earlier = [...latest.values()].sort((a, b) => a.run.period!.start.localeCompare(b.run.period!.start));
  return {
    ...s,
    domains: s.domains.map((d) => {
      const points: SenderTrendPoint[] = [];
      for (const { run, sessions } of earlier) {
        const t = sessions.find((x) => x.domain === d.domain);
        if (!t) continue;
        points.push({ label: run.period!.label, start: run.period!.start, end: run.period!.end, successful: t.successful, failed: t.failed, failureRate: failureRate(t.successful, t.failed), current: false });
      }
      return { ...d, trend: [...points, ...d.trend].slice(-max) };
    }),
  };
}

/**
 * Joins the reports to the SMTP endpoints: each gets a `senderReports` fact with the domains whose
 * reports name it as an MX (or whose MX a scan found it to be), cited to the first report read
 * for them. Every SMTP endpoint gets the fact once reports were given, so "no report concerns this
 * MX" is a reading, not a gap. Other endpoints are returned as they are.
 */
export function attachSenderReports(observations: readonly Observation[], reports: readonly TlsRptReport[]): Observation[] {
  const aggregates = aggregateByDomain(reports);
  const days = reports.map((r) => r.start.slice(0, 10)).sort();
  const range = { start: days[0] ?? null, end: reports.map((r) => r.end.slice(0, 10)).sort().at(-1) ?? null };
  return observations.map((obs) => {
    if (obs.endpoint.service !== 'smtp') return obs;
    const facts = senderFactsFor(obs.endpoint.host, aggregates, (obs.domainPolicies ?? []).map((p) => normaliseHost(p.domain)), reports.length, range);
    const first = facts.domains[0];
    const excerpt = first
      ? facts.domains.map((d) => `${d.domain}: ${d.reports} report${d.reports === 1 ? '' : 's'} from ${d.organisations.join(', ')}, ` +
        `${d.successful} successful and ${d.failed} failed sessions, ${d.failuresHere.reduce((n, f) => n + f.sessions, 0)} failed at ${obs.endpoint.host}`).join('; ')
      : `none of the ${reports.length} TLS-RPT reports read${range.start ? ` (${range.start} to ${range.end})` : ''} concerns ${obs.endpoint.host}`;
    const source: SourceRef = { kind: 'tls-rpt', file: first?.files[0] ?? reports[0]?.file ?? 'TLS-RPT reports', excerpt };
    return { ...obs, senderReports: fact(facts, source), sources: [...obs.sources, source] };
  });
}
