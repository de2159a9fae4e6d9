/**
 * `tlsproof diff [FROM] TO`: one period's state against another's, from the evidence store — new,
 * resolved, persisting and regressed findings, endpoints added and removed, overdue findings,
 * time to remediate, certificates expiring in the next period, the trend, and the exception
 * register's changes (added, expired, removed, changed). For a terminal, or the PeriodComparison
 * with `exceptions` as JSON with --json.
 */
import { resolve } from 'node:path';
import { ReportError } from '../../errors.js';
import { SEVERITIES, type Severity } from '../../model/finding.js';
import { monthNumber } from '../../model/period.js';
import type { HistoryFinding, PeriodComparison } from '../../model/history.js';
import type { ExceptionChanges } from '../../history/exceptions.js';
import type { CliIo } from '../io.js';
import { storePathFrom, table } from './history.js';
import { parseCommandArgs } from '../args.js';
import { MSG } from '../messages.js';
import { EXIT_OK, type ExitCode } from '../exit-codes.js';

const DIFF_HELP = `Usage:
  tlsproof diff [FROM] TO [options]     compare two periods' states from the evidence store

TO and FROM are periods: 2026-Q3, 2026-H2, 2026-09, 2026, 2026-07-01..2026-09-30, FY2027, FY2027-Q1.
Without FROM, TO is compared with the period of the same kind before it (2026-Q3 with 2026-Q2).
A period's state is the last observation of each endpoint inside it (by the observation's UTC date).
Exceptions: each period's register is the exceptions file kept with the last run recorded for it,
judged on that run's report date; diff lists entries added, expired, removed and changed.

Options:
  --store PATH              the evidence store (default .tlsproof/evidence.db in the current folder)
  --json                    print the comparison as JSON
  --as-of DATE              date open findings are aged at (default: the end of TO, or today if earlier)
  --config FILE             report.config.yaml whose remediationDeadlines and fiscalYearStart apply
                            (default: ./report.config.yaml when present), so diff agrees with the reports
  --deadline SEV=DAYS       days to fix a finding of that severity (repeatable; DAYS or "none"); beats the config;
                            defaults: critical=30 high=60 medium=90 low=180 info=none
  --trend N                 periods in the trend, 4 to 8 (default 8)
  --fiscal-year-start M     month (1-12 or a name) the fiscal year starts in, for FY periods; beats the config
  --frameworks LIST         frameworks in the trend (default: those the stored runs assessed the endpoints against)
  --mappings DIR            extra or overriding mapping files (repeatable)`;

function parseDeadlines(list: readonly string[]): Partial<Record<Severity, number | null>> {
  const out: Partial<Record<Severity, number | null>> = {};
  for (const item of list) {
    for (const part of item.split(',').map((s) => s.trim()).filter(Boolean)) {
      const m = /^(\w+)=(\d+|none)$/i.exec(part);
      const sev = m?.[1]?.toLowerCase();
      if (!m || !sev || !(SEVERITIES as readonly string[]).includes(sev)) {
        throw new ReportError('usage', { deadline: part }, MSG.diffDeadline(part, SEVERITIES));
      }
      out[sev as Severity] = m[2]!.toLowerCase() === 'none' ? null : Number(m[2]);
    }
  }
  return out;
}

export function parseMonth(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = monthNumber(value);
  if (n === undefined) {
    throw new ReportError('usage', { option, value }, MSG.notAMonth(option, value));
  }
  return n;
}

const day = (iso: string | null) => (iso === null ? '—' : iso.slice(0, 10));
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

function findingRows<T extends HistoryFinding>(list: readonly T[], extra: (f: T) => string): string {
  return table(list.map((f) => [f.severity.toUpperCase(), f.checkId, f.endpointLabel, extra(f)])).replace(/^/gm, '  ');
}

/** The comparison for a terminal: one section per list, empty sections said in one line. */
function formatComparison(c: PeriodComparison): string {
  const out: string[] = [];
  out.push(`${c.period.label} (${c.period.start}..${c.period.end}) compared with ${c.previousPeriod.label} (${c.previousPeriod.start}..${c.previousPeriod.end}), as of ${c.asOf}`);
  out.push(`${plural(c.runsConsidered, 'stored run')}; endpoints: ${c.endpoints.current} (previously ${c.endpoints.previous}), ${c.endpointsAdded.length} added, ${c.endpointsRemoved.length} removed`);
  for (const e of c.endpointsAdded) out.push(`  + ${e.label}  (first seen ${day(e.firstSeen)})`);
  for (const e of c.endpointsRemoved) out.push(`  - ${e.label}  (last seen ${day(e.lastSeen)}${e.openFindings > 0 ? `, ${plural(e.openFindings, 'open finding')} then` : ''})`);
  const section = <T extends HistoryFinding>(name: string, list: readonly T[], extra: (f: T) => string) => {
    out.push('', `${name} (${list.length})`);
    if (list.length > 0) out.push(findingRows(list, extra));
  };
  const overdue = (f: HistoryFinding) => (f.daysOverdue !== null ? `, ${f.daysOverdue} d overdue` : '');
  section('New', c.new, (f) => `first seen ${day(f.firstSeen)}${overdue(f)}`);
  section('Regressed (fixed, then back)', c.regressed, (f) => `seen fixed ${day(f.fixedAt)}, back ${day(f.firstSeen)}${overdue(f)}`);
  section('Persisting', c.persisting, (f) => `open ${f.ageDays} d since ${day(f.firstSeen)}${overdue(f)}`);
  section('Resolved', c.resolved, (f) => `open ${day(f.firstSeen)} → seen fixed ${day(f.fixedAt)} (${f.ageDays} d)${f.daysOverdue !== null ? `, ${f.daysOverdue} d late` : ''}`);
  if (c.unverified.length > 0) section('Not re-tested (open before, not testable now)', c.unverified, (f) => `open since ${day(f.firstSeen)}, now ${f.status}`);
  if (c.superseded.length > 0) {
    section('Superseded (open before, now reported worse by another check; counted once, as that finding)', c.superseded,
      (f) => `open since ${day(f.firstSeen)}, superseded by ${f.supersededBy.checkId} (${f.supersededBy.change})`);
  }

  const d = c.remediation.deadlines;
  out.push('', `Overdue (${c.remediation.overdue.length}) — deadlines: ${[...SEVERITIES].reverse().map((s) => `${s} ${d[s] === null ? 'none' : `${d[s]} d`}`).join(', ')}`);
  if (c.remediation.overdue.length > 0) out.push(findingRows(c.remediation.overdue, (f) => `due ${f.dueDate ?? '—'}, ${f.daysOverdue} d overdue`));
  out.push('', 'Time to remediate (findings seen fixed in this period)');
  const ttr = c.remediation.timeToRemediate.filter((t) => t.resolved > 0);
  if (ttr.length === 0) out.push('  none seen fixed');
  for (const t of ttr) out.push(`  ${t.severity.padEnd(8)} ${plural(t.resolved, 'finding')}: median ${t.medianDays} d, worst ${t.worstDays} d`);

  const f = c.certificateForecast;
  out.push('', `Certificates expiring in ${f.period.label} (${f.certificates.length})`);
  for (const cert of f.certificates) {
    out.push(`  ${day(cert.notAfter)}  ${cert.commonName ?? '(no name)'}  in ${cert.daysLeft} d  serial ${cert.serial ?? '—'}  on ${cert.endpointKeys.join(', ')}`);
  }

  if (c.trend.length > 0) {
    out.push('', 'Trend (open findings by severity; controls fail/warn/pass/evidence supplied/not assessed)');
    const fwIds = c.trend[0]!.frameworks.map((x) => x.id);
    const rows = [['Period', 'Endpoints', 'Critical', 'High', 'Medium', 'Low', ...fwIds],
      ...c.trend.map((t) => [t.period.id, t.hasData ? String(t.endpoints) : '—', ...(['critical', 'high', 'medium', 'low'] as const).map((s) => (t.hasData ? String(t.openBySeverity[s]) : '—')),
        ...t.frameworks.map((x) => (t.hasData ? `${x.counts.fail}/${x.counts.warn}/${x.counts.pass}/${x.counts.evidence}/${x.counts['not-assessed']}` : '—'))])];
    out.push(table(rows, new Set([1, 2, 3, 4, 5])).replace(/^/gm, '  '));
  }
  if (c.notes.length > 0) out.push('', ...c.notes.map((n) => `Note: ${n}`));
  return `${out.join('\n')}\n`;
}

/** The exception register changes for a terminal. */
function formatExceptionChanges(c: ExceptionChanges): string {
  const file = (s: ExceptionChanges['current']) => (s === null ? 'no run' : s.source === null ? `run ${s.runSeq}: no exceptions file` : `run ${s.runSeq}: ${s.source.file}, judged ${s.reportDate}`);
  const out = ['', `Exceptions (${file(c.current)}; before: ${file(c.previous)})`];
  if (c.previous?.source == null && c.current?.source == null) {
    out.push('  no exceptions file in either period');
  } else {
    const who = (e: { approver: string; ticket: string }) => `approved by ${e.approver}, ticket ${e.ticket}`;
    const section = (name: string, lines: string[]) => {
      out.push(`  ${name} (${lines.length})`);
      for (const l of lines) out.push(`    ${l}`);
    };
    // Not yet approved on the report date: it accepted nothing in that report, whatever its expiry.
    const pending = (e: { pendingApproval: string | null }) => (e.pendingApproval === null ? ''
      : `not yet approved on ${c.current!.reportDate} (approval dated ${e.pendingApproval}), accepts nothing yet; `);
    section('Added', c.added.map((e) => `+ ${e.id}  ${pending(e)}${e.lapsed ? `already expired (last day ${e.expires})` : `until ${e.expires}`}  ${who(e)}`));
    if (c.approved.length > 0) {
      section('Approved since (listed before their approval)', c.approved.map((e) => `✓ ${e.id}  approved ${e.approvedOn}, after the earlier report (${c.previous!.reportDate}); in force from then until ${e.expires}  ${who(e)}`));
    }
    section('Expired', c.expired.map((e) => `! ${e.id}  last day ${e.expiredOn}, ${e.stillListed ? 'still listed, accepts nothing now' : 'then removed'}  ${who(e)}`));
    section('Removed', c.removed.map((e) => `- ${e.id}  ${e.alreadyLapsed ? `had expired (last day ${e.expires})` : `was in force until ${e.expires}; what it accepted is no longer accepted`}  ${who(e)}`));
    section('Changed terms', c.changed.map((e) => `~ ${e.id}  ${e.fields.map((f) => `${f.field} ${f.from} → ${f.to}`).join('; ')}${e.pendingApproval === null ? '' : `; ${pending(e).replace(/; $/, '')}`}`));
  }
  for (const n of c.notes) out.push(`  Note: ${n}`);
  return `${out.join('\n')}\n`;
}

export async function diffCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs({
    args, allowPositionals: true, strict: true,
    options: {
      store: { type: 'string' }, json: { type: 'boolean' }, 'as-of': { type: 'string' }, deadline: { type: 'string', multiple: true },
      trend: { type: 'string' }, 'fiscal-year-start': { type: 'string' }, frameworks: { type: 'string' }, mappings: { type: 'string', multiple: true },
      config: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  }, MSG.seeHelp('diff'));
  if (values.help) {
    io.stdout(`${DIFF_HELP}\n`);
    return EXIT_OK;
  }
  if (positionals.length < 1 || positionals.length > 2) {
    throw new ReportError('usage', { args }, MSG.diffUsage());
  }
  const asOfArg = values['as-of'];
  if (asOfArg !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOfArg)) {
    throw new ReportError('date-invalid', { asOf: asOfArg }, MSG.dateOnly('--as-of', asOfArg));
  }
  const trend = values.trend === undefined ? undefined : Number(values.trend);
  if (trend !== undefined && (!Number.isInteger(trend) || trend < 4 || trend > 8)) {
    throw new ReportError('usage', { trend: values.trend }, MSG.diffTrend(values.trend ?? ''));
  }
  // The same report.config.yaml as `tlsproof report`, so both call the same findings overdue.
  const { resolveReportConfig } = await import('../../config/load.js');
  const config = await resolveReportConfig(values.config, io.cwd);
  const periodOptions = { fiscalYearStartMonth: parseMonth(values['fiscal-year-start'], '--fiscal-year-start') ?? config?.fiscalYearStartMonth };
  const deadlines = { ...config?.remediationDeadlines, ...parseDeadlines(values.deadline ?? []) };
  const { resolvePeriod, shiftPeriod } = await import('../../model/period.js');
  const to = resolvePeriod(positionals[positionals.length - 1]!, periodOptions);
  const from = positionals.length === 2 ? resolvePeriod(positionals[0]!, periodOptions) : shiftPeriod(to, -1, periodOptions);

  const { builtInMappingsDir, loadMappings } = await import('../../map/load.js');
  const mappings = loadMappings({ builtInDir: builtInMappingsDir(), userDirs: (values.mappings ?? []).map((d) => resolve(io.cwd, d)) });
  const wanted = values.frameworks?.split(',').map((s) => s.trim()).filter(Boolean);
  const known = new Set(mappings.frameworks.map((f) => f.framework.id));
  const unknown = (wanted ?? []).filter((w) => !known.has(w));
  if (unknown.length > 0) {
    throw new ReportError('framework-unknown', { unknown }, MSG.frameworksUnknown(unknown, [...known].sort()));
  }
  const loaded = mappings.frameworks.filter((f) => !wanted || wanted.includes(f.framework.id))
    .map((f) => ({ id: f.framework.id, version: f.framework.version, controls: f.controls }));

  const { EvidenceStore } = await import('../../store/store.js');
  const { comparePeriods } = await import('../../history/compare.js');
  const { packageVersion } = await import('../../version.js');
  const store = EvidenceStore.open(storePathFrom(values.store, io), { toolVersion: packageVersion(), mode: 'read' });
  try {
    const today = io.now().toISOString().slice(0, 10);
    const data = store.loadHistoryData(to.end);
    // Without --frameworks, the trend follows the frameworks the stored runs assessed these
    // endpoints against, as the reports did: not every framework tlsproof knows.
    const assessed = new Set(data.timelines.flatMap((t) => t.points.flatMap((p) => p.frameworks)));
    const frameworks = wanted ? loaded : loaded.filter((f) => assessed.has(f.id));
    const { latestRunPerPeriod, reportedControlCounts } = await import('../../store/reported.js');
    const comparison = comparePeriods(data, {
      current: to, previous: from, asOf: asOfArg ?? (today < to.end ? today : to.end), deadlines, periodOptions, frameworks,
      reported: reportedControlCounts(latestRunPerPeriod(store, to.start)),
      ...(trend !== undefined ? { trendPeriods: trend } : {}),
    });
    const { exceptionChangesFromStore, hasExceptionRegister } = await import('../../store/exceptions.js');
    const exceptions = exceptionChangesFromStore(store, from, to);
    // As in the report's history section: present when either period applied an exceptions file.
    const json = hasExceptionRegister(exceptions) ? { ...comparison, exceptions } : comparison;
    io.stdout(values.json ? `${JSON.stringify(json, null, 2)}\n` : formatComparison(comparison) + formatExceptionChanges(exceptions));
    return EXIT_OK;
  } finally {
    store.close();
  }
}
