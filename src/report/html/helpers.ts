/**
 * Every Handlebars helper the HTML templates may call, registered on an isolated instance.
 *
 * Helpers are pure functions of their arguments: dates are formatted in UTC with date-fns (no
 * clock, no local time zone), labels come from fixed tables, and lookups take the ReportModel
 * (`@root`) plus an id. Lookups resolve through a per-model index built once, so a template that
 * resolves every finding id of 4,000 endpoints stays linear.
 *
 * Handlebars' `strict` mode only checks `{{field}}` and `{{#field}}` positions; a misspelt field
 * passed to a helper (`{{#each endpionts}}`) would silently be `undefined`. Every helper here,
 * and the built-in `if`/`unless`/`each`/`with`, therefore rejects `undefined` arguments, so a
 * typo in any position fails the render instead of printing an empty table.
 */
import type { Attribution } from '../../model/discovery.js';
import { attributionLabel, domainCoverageLine } from '../scope-text.js';
import { reportObservationTimeWarnings } from '../../model/observation-times.js';
import type Handlebars from 'handlebars';
import { domainToASCII } from 'node:url';
import { format, isValid } from 'date-fns';
import { CONTROL_STATUSES } from '../../model/report-model.js';
import type { ControlResult, ControlStatus, EndpointSummary, FrameworkResult, ReportFinding, ReportModel } from '../../model/report-model.js';
import type { ControlKind } from '../../model/framework.js';
import type { FindingStatus, Severity } from '../../model/finding.js';
import { ocspLabel } from '../ocsp-label.js';
import { periodTitle } from '../../model/period.js';
import { DATE_RULE, evidenceDates } from '../evidence-dates.js';
import { frameworkShortName } from '../framework-names.js';
import { exceptionHelpers } from './exception-helpers.js';

type HandlebarsInstance = ReturnType<typeof Handlebars.create>;

/** Lookup tables for one model, keyed by the ids templates hold. */
export interface ModelIndex {
  readonly findings: ReadonlyMap<string, ReportFinding>;
  readonly endpoints: ReadonlyMap<string, EndpointSummary>;
  readonly frameworks: ReadonlyMap<string, FrameworkResult>;
  /** Keyed by `frameworkId` + NUL + `controlId`. */
  readonly controls: ReadonlyMap<string, ControlResult>;
}

const indexes = new WeakMap<ReportModel, ModelIndex>();

/** The index for `model`, built on first use and kept for as long as the model lives. */
export function indexModel(model: ReportModel): ModelIndex {
  const cached = indexes.get(model);
  if (cached) return cached;
  const controls = new Map<string, ControlResult>();
  for (const fw of model.frameworks) for (const c of fw.controls) controls.set(controlKey(fw.id, c.id), c);
  const index: ModelIndex = {
    findings: new Map(model.findings.map((f) => [f.id, f])),
    endpoints: new Map(model.scope.endpoints.map((e) => [e.key, e])),
    frameworks: new Map(model.frameworks.map((f) => [f.id, f])),
    controls,
  };
  indexes.set(model, index);
  return index;
}

function controlKey(frameworkId: string, controlId: string): string {
  return `${frameworkId}\u0000${controlId}`;
}

function modelIndex(model: unknown): ModelIndex {
  if (typeof model !== 'object' || model === null || !('findings' in model) || !('scope' in model)) {
    throw new Error('the first argument must be the report model: pass @root');
  }
  return indexModel(model as ReportModel);
}

/**
 * A Date whose local-time getters read UTC. date-fns formats through these getters, so handing it
 * this type (via the `in` context option) formats in UTC whatever the machine's TZ is.
 */
class UtcDate extends Date {
  override getFullYear(): number { return this.getUTCFullYear(); }
  override getMonth(): number { return this.getUTCMonth(); }
  override getDate(): number { return this.getUTCDate(); }
  override getDay(): number { return this.getUTCDay(); }
  override getHours(): number { return this.getUTCHours(); }
  override getMinutes(): number { return this.getUTCMinutes(); }
  override getSeconds(): number { return this.getUTCSeconds(); }
  override getMilliseconds(): number { return this.getUTCMilliseconds(); }
  override getTimezoneOffset(): number { return 0; }
}

const inUtc = (value: Date | string | number): UtcDate => new UtcDate(value instanceof Date ? value.getTime() : value);

function parseInstant(value: string): number {
  // A bare date is a calendar day, not local midnight: read it as UTC like ECMAScript does.
  // A date-time without an offset is read as UTC too, because the model only speaks UTC.
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z`
    : /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(iso);
  if (!isValid(ms)) throw new Error(`"${value}" is not an ISO 8601 date`);
  return ms;
}

/** `2026-10-01` → `1 Oct 2026` (UTC). */
export function formatDate(value: string): string {
  return format(parseInstant(value), 'd MMM yyyy', { in: inUtc });
}

/** `2026-10-01T09:00:00Z` → `1 Oct 2026, 09:00 UTC`. */
export function formatDateTime(value: string): string {
  return `${format(parseInstant(value), 'd MMM yyyy, HH:mm', { in: inUtc })} UTC`;
}

/** `2026-10-01T09:00:00Z` → `2026-10-01 09:00:00Z`, for integrity tables where precision matters. */
export function formatIsoUtc(value: string): string {
  return format(parseInstant(value), "yyyy-MM-dd HH:mm:ss'Z'", { in: inUtc });
}

type AnyStatus = ControlStatus | FindingStatus;

const STATUS_LABELS: Readonly<Record<AnyStatus, string>> = {
  fail: 'Fail', warn: 'Warning', 'risk-accepted': 'Risk accepted', pass: 'Pass', evidence: 'Evidence supplied', 'not-assessed': 'Not assessed', 'not-graded': 'Not graded',
  'not-tested': 'Not tested', error: 'Error',
};

const CONTROL_KIND_LABELS: Readonly<Record<ControlKind, string>> = {
  technical: 'Technical control', process: 'Process or governance provision', definition: 'Definition',
};

const SEVERITY_LABELS: Readonly<Record<Severity, string>> = {
  critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info',
};

/** Worst first, the order every severity table and chart uses. */
const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const CONTROL_STATUS_ORDER: readonly ControlStatus[] = CONTROL_STATUSES;

function label<K extends string>(table: Readonly<Record<K, string>>, key: unknown, what: string): string {
  if (typeof key === 'string' && Object.hasOwn(table, key)) return table[key as K];
  throw new Error(`${JSON.stringify(key)} is not a ${what} (one of ${Object.keys(table).join(', ')})`);
}

export function statusLabel(status: string): string {
  return label(STATUS_LABELS, status, 'status');
}

export function statusClass(status: string): string {
  label(STATUS_LABELS, status, 'status');
  return `st-${status}`;
}

/** `null` (no failing or warning finding) reads as "None". */
export function severityLabel(severity: string | null): string {
  return severity === null ? 'None' : label(SEVERITY_LABELS, severity, 'severity');
}

export function severityClass(severity: string | null): string {
  if (severity === null) return 'sev-none';
  label(SEVERITY_LABELS, severity, 'severity');
  return `sev-${severity}`;
}

/** `12345` → `12,345`; grouping by hand keeps output independent of the ICU data Node ships with. */
export function count(n: number): string {
  if (!Number.isInteger(n)) throw new Error(`${JSON.stringify(n)} is not a whole number`);
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ',');
  return n < 0 ? `-${digits}` : digits;
}

/** `plural 3 "endpoint"` → `3 endpoints`; an explicit plural form handles the irregular ones. */
export function plural(n: number, singular: string, pluralForm?: string): string {
  return `${count(n)} ${n === 1 ? singular : (pluralForm ?? `${singular}s`)}`;
}

export function eq(a: unknown, b: unknown): boolean {
  return a === b;
}

export function join(list: readonly unknown[], separator?: string): string {
  if (!Array.isArray(list)) throw new Error('join expects a list');
  return list.map(String).join(separator ?? ', ');
}

/** Three-valued facts: tested and true, tested and false, or not known. */
export function yesNo(value: boolean | null): string {
  return value === null ? 'Not known' : value ? 'Yes' : 'No';
}

export function offeredLabel(value: boolean | null): string {
  return value === null ? 'Not tested' : value ? 'Offered' : 'Not offered';
}

export function offeredClass(value: boolean | null): string {
  return value === null ? 'tri-unknown' : value ? 'tri-yes' : 'tri-no';
}

const SERVICE_LABELS: Readonly<Record<string, string>> = {
  smtp: 'SMTP', submission: 'SMTP submission', submissions: 'SMTP submission', imap: 'IMAP', imaps: 'IMAPS',
  pop3: 'POP3', pop3s: 'POP3S', https: 'HTTPS', other: 'Other',
};
const TRANSPORT_LABELS: Readonly<Record<string, string>> = { starttls: 'STARTTLS', implicit: 'implicit TLS', none: 'no TLS' };
const SCAN_STATE_LABELS: Readonly<Record<string, string>> = { completed: 'Completed', partial: 'Partial', failed: 'Failed' };
const OBSERVED_AT_LABELS: Readonly<Record<string, string>> = {
  input: 'timestamp in the scan output', option: 'given with --observed-at',
  'file-mtime': 'modification time of the input file (no timestamp in the scan output)',
};
const EFFECT_LABELS: Readonly<Record<string, string>> = {
  'row-skipped': 'Row skipped', 'value-ignored': 'Value ignored', 'file-skipped': 'File skipped',
};
const COVERAGE_LABELS: Readonly<Record<string, string>> = { full: 'Full', partial: 'Partial', indirect: 'Indirect' };

export function serviceLabel(service: string): string { return label(SERVICE_LABELS, service, 'service'); }
export function transportLabel(transport: string): string { return label(TRANSPORT_LABELS, transport, 'transport'); }
export function scanStateLabel(state: string): string { return label(SCAN_STATE_LABELS, state, 'scan state'); }
export function observedAtSourceLabel(source: string): string { return label(OBSERVED_AT_LABELS, source, 'observation time source'); }
export function effectLabel(effect: string): string { return label(EFFECT_LABELS, effect, 'problem effect'); }
export function coverageLabel(coverage: string): string { return label(COVERAGE_LABELS, coverage, 'coverage'); }
export function controlKindLabel(kind: string): string { return label(CONTROL_KIND_LABELS, kind, 'control kind'); }

/** The IDNA (xn--) form of a non-ASCII host, so a reader can match it against DNS; null for ASCII hosts. */
export function asciiHost(host: string): string | null {
  if (!/[^\x00-\x7f]/.test(host)) return null;
  return domainToASCII(host) || null;
}

export function daysLeftLabel(days: number | null): string {
  if (days === null) return 'Not known';
  if (days < 0) return `Expired ${plural(-days, 'day')} before the report date`;
  return plural(days, 'day');
}

/** `file:line:column` for an input problem or a source reference; absent parts are left out. */
export function location(ref: { file: string; line?: number; column?: number }): string {
  if (typeof ref !== 'object' || ref === null || typeof ref.file !== 'string') throw new Error('location expects an object with a file');
  return [ref.file, ref.line, ref.column].filter((x) => x !== undefined).join(':');
}

export function findingById(model: ReportModel, id: string): ReportFinding {
  const f = modelIndex(model).findings.get(id);
  if (!f) throw new Error(`the report model has no finding "${id}"`);
  return f;
}

export function findingsByIds(model: ReportModel, ids: readonly string[]): ReportFinding[] {
  return ids.map((id) => findingById(model, id));
}

/** `findingsWithStatus @root findingIds "fail" "warn"`: the findings with one of the statuses, in the model's order. */
export function findingsWithStatus(model: ReportModel, ids: readonly string[], ...statuses: string[]): ReportFinding[] {
  for (const s of statuses) label(STATUS_LABELS, s, 'finding status');
  return findingsByIds(model, ids).filter((f) => statuses.includes(f.status));
}

export function endpointByKey(model: ReportModel, key: string): EndpointSummary {
  const e = modelIndex(model).endpoints.get(key);
  if (!e) throw new Error(`the report model has no endpoint "${key}"`);
  return e;
}

export function endpointsByKeys(model: ReportModel, keys: readonly string[]): EndpointSummary[] {
  return keys.map((k) => endpointByKey(model, k));
}

export function controlRef(model: ReportModel, frameworkId: string, controlId: string): ControlResult {
  const c = modelIndex(model).controls.get(controlKey(frameworkId, controlId));
  if (!c) throw new Error(`the report model has no control "${controlId}" in framework "${frameworkId}"`);
  return c;
}

/** A framework's title for labels; an id the model does not carry (filtered out) reads as itself. */
/** A framework's short name (no version) for lists and tables; its section heading keeps the full title. */
export function frameworkTitle(model: ReportModel, frameworkId: string): string {
  const f = modelIndex(model).frameworks.get(frameworkId);
  return f === undefined ? frameworkId : frameworkShortName(f, false);
}

/** A framework's short name with its version, e.g. "NIST SP 800-52r2" (drop-downs, tables, charts). */
export function shortName(f: { id: string; version: string; title: string }): string {
  return frameworkShortName(f);
}

/** The distinct framework ids a finding bears on, space-separated (for `data-` filter attributes). */
export function findingFrameworks(finding: ReportFinding): string {
  return [...new Set(finding.controls.map((c) => c.frameworkId))].join(' ');
}

export interface FindingGroup {
  checkId: string;
  title: string;
  severity: Severity;
  status: FindingStatus;
  findings: ReportFinding[];
}

/** Groups findings by check (and status and severity), in first-seen order, so a control lists each failing check once. */
export function findingGroups(model: ReportModel, ids: readonly string[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findingsByIds(model, ids)) {
    const key = `${f.checkId}\u0000${f.status}\u0000${f.severity}`;
    let g = groups.get(key);
    if (!g) {
      g = { checkId: f.checkId, title: f.title, severity: f.severity, status: f.status, findings: [] };
      groups.set(key, g);
    }
    g.findings.push(f);
  }
  return [...groups.values()];
}

export interface Bar { key: string; label: string; count: number; cls: string; x: number; width: number }

const pct = (n: number): number => Math.round(n * 100) / 100;

/**
 * Rows for a severity bar chart, worst first, scaled to the largest count (0–100). Accepts the
 * `endpointsByWorstSeverity` shape too, whose extra `none` bucket comes last.
 */
export function severityBars(counts: Readonly<Record<string, number>>): Bar[] {
  const keys: string[] = [...SEVERITY_ORDER];
  if (Object.hasOwn(counts, 'none')) keys.push('none');
  const values = keys.map((k) => counts[k] ?? 0);
  const max = Math.max(1, ...values);
  return keys.map((k, i) => ({
    key: k, label: k === 'none' ? 'None' : severityLabel(k), count: values[i] ?? 0,
    cls: `sev-${k}`, x: 0, width: pct(((values[i] ?? 0) / max) * 100),
  }));
}

/** Segments of a 100 %-stacked bar of control statuses (fail, warn, pass, evidence supplied, not assessed, not graded). */
export function statusSegments(counts: Readonly<Record<string, number>>): Bar[] {
  const total = CONTROL_STATUS_ORDER.reduce((s, k) => s + (counts[k] ?? 0), 0);
  let x = 0;
  return CONTROL_STATUS_ORDER.map((k) => {
    const n = counts[k] ?? 0;
    const width = total === 0 ? 0 : pct((n / total) * 100);
    const bar = { key: k, label: statusLabel(k), count: n, cls: `st-${k}`, x, width };
    x = pct(x + width);
    return bar;
  });
}

/** The same counts as words, for the chart's accessible name. */
export function statusSummary(counts: Readonly<Record<string, number>>): string {
  return CONTROL_STATUS_ORDER.map((k) => `${count(counts[k] ?? 0)} ${statusLabel(k).toLowerCase()}`).join(', ');
}

/** Total controls in a status across every framework. */
export function controlsWithStatus(model: ReportModel, status: string): number {
  label(STATUS_LABELS, status, 'control status');
  return model.frameworks.reduce((s, fw) => s + (fw.counts[status as ControlStatus] ?? 0), 0);
}

/** A finding's anchor, or null when the model has no such finding (history can name findings no longer in scope). */
export function findingAnchor(model: ReportModel, id: string): string | null {
  return modelIndex(model).findings.get(id)?.anchor ?? null;
}

/** An endpoint's anchor, or null when the model has no such endpoint (e.g. one removed since the previous period). */
export function endpointAnchor(model: ReportModel, key: string): string | null {
  return modelIndex(model).endpoints.get(key)?.anchor ?? null;
}

/** A day count that may be fractional (a median): one decimal, or an em dash for null. */
export function decimalDays(n: number | null): string {
  if (n === null) return '\u2014';
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`${JSON.stringify(n)} is not a number`);
  return n.toFixed(1);
}

/** `null` reads as an em dash; whole numbers are grouped like `count`. */
export function countOrDash(n: number | null): string {
  return n === null ? '\u2014' : count(n);
}

/** Remediation deadlines, worst severity first, as `{ severity, label, days }`. */
export function severityDeadlines(deadlines: Readonly<Record<string, number | null>>): { severity: Severity; label: string; days: number | null }[] {
  return SEVERITY_ORDER.map((s) => ({ severity: s, label: severityLabel(s), days: deadlines[s] ?? null }));
}

/** Failing controls over every framework of one trend period. */
export function failingControls(frameworks: readonly { counts: Readonly<Record<string, number>> }[]): number {
  if (!Array.isArray(frameworks)) throw new Error('failingControls expects a list of frameworks');
  return frameworks.reduce((n, f) => n + (f.counts['fail'] ?? 0), 0);
}

export interface ControlTrendRow {
  id: string;
  version: string;
  periods: { label: string; hasData: boolean; counts: Readonly<Record<string, number>> }[];
}

/**
 * The trend pivoted per framework: for each framework the report evaluates, its control counts in
 * every period of the trend (one stacked bar per period). A framework missing from a period's
 * data counts as no data there.
 */
export function controlTrend(trend: readonly { period: { label: string }; hasData: boolean; frameworks: readonly { id: string; version: string; counts: Readonly<Record<string, number>> }[] }[]): ControlTrendRow[] {
  if (!Array.isArray(trend as unknown)) throw new Error('controlTrend expects the trend list');
  const rows = new Map<string, ControlTrendRow>();
  for (const p of trend) for (const f of p.frameworks) if (!rows.has(`${f.id}@${f.version}`)) rows.set(`${f.id}@${f.version}`, { id: f.id, version: f.version, periods: [] });
  for (const row of rows.values()) {
    row.periods = trend.map((p) => {
      const f = p.frameworks.find((x) => x.id === row.id && x.version === row.version);
      return { label: p.period.label, hasData: p.hasData && f !== undefined, counts: f?.counts ?? {} };
    });
  }
  return [...rows.values()];
}

interface TrendPeriodIn {
  period: { id: string; label: string };
  hasData: boolean;
  openBySeverity: Readonly<Record<Severity, number>>;
}

export interface TrendChart {
  width: number;
  height: number;
  /** Baseline and top of the plot area (SVG y). */
  baseY: number;
  topY: number;
  left: number;
  right: number;
  max: number;
  labelY: number;
  bars: {
    label: string; hasData: boolean; total: number; x: number; width: number; centre: number; totalY: number;
    segments: { cls: string; label: string; count: number; y: number; height: number }[];
  }[];
  /** The severities drawn, worst first, for the legend. */
  legend: { cls: string; label: string }[];
}

/**
 * Geometry for the history trend: one stacked bar of open findings per period (worst severity at
 * the bottom), scaled to the largest total. Numbers are rounded to 2 decimals so output is stable.
 */
export function trendChart(trend: readonly TrendPeriodIn[]): TrendChart {
  if (!Array.isArray(trend)) throw new Error('trendChart expects the trend list');
  const slot = 64; const left = 36; const right = 8; const topY = 12; const baseY = 132;
  const totals = trend.map((p) => (p.hasData ? SEVERITY_ORDER.reduce((n, s) => n + (p.openBySeverity[s] ?? 0), 0) : 0));
  const max = Math.max(1, ...totals);
  const scale = (baseY - topY) / max;
  const bars = trend.map((p, i) => {
    const x = pct(left + i * slot + slot * 0.2);
    const width = pct(slot * 0.6);
    let y = baseY;
    const segments = p.hasData ? SEVERITY_ORDER.flatMap((s) => {
      const n = p.openBySeverity[s] ?? 0;
      if (n === 0) return [];
      const h = pct(n * scale);
      y = pct(y - h);
      return [{ cls: `sev-${s}`, label: severityLabel(s), count: n, y, height: h }];
    }) : [];
    const total = totals[i] ?? 0;
    return { label: p.period.label, hasData: p.hasData, total, x, width, centre: pct(x + width / 2), totalY: pct(y - 3), segments };
  });
  return {
    width: left + trend.length * slot + right, height: 152, baseY, topY, left, right: left + trend.length * slot, max,
    labelY: 146, bars, legend: SEVERITY_ORDER.map((s) => ({ cls: `sev-${s}`, label: severityLabel(s) })),
  };
}

/** How an endpoint was tied to a domain, e.g. "scan: MX" (the scope's endpoint table). */
function attributionRule(a: Attribution): string {
  return attributionLabel(a);
}

/** Observation times that disagree with the period or were only guessed, for the scope section. */
export function observationTimeWarnings(model: ReportModel): string[] {
  return reportObservationTimeWarnings(model);
}

/** The helpers templates may call, by the name they use. */
export const htmlHelpers = {
  formatDate, formatDateTime, formatIsoUtc, periodTitle, evidenceDates, dateRule: () => DATE_RULE,
  statusLabel, statusClass, severityLabel, severityClass,
  count, plural, eq, join,
  yesNo, offeredLabel, offeredClass, serviceLabel, transportLabel, scanStateLabel, observedAtSourceLabel,
  effectLabel, coverageLabel, controlKindLabel, daysLeftLabel, location, asciiHost,
  findingById, findingsByIds, findingsWithStatus, endpointByKey, endpointsByKeys, controlRef, frameworkTitle, shortName,
  findingFrameworks, findingGroups, severityBars, statusSegments, statusSummary, controlsWithStatus,
  findingAnchor, endpointAnchor, decimalDays, countOrDash, severityDeadlines, failingControls, trendChart, controlTrend, ocspLabel,
  attributionRule, domainCoverageLine, observationTimeWarnings,
  ...exceptionHelpers,
} as const;

interface CallSite { loc?: unknown; name?: string }

function fail(hb: HandlebarsInstance, helper: string, message: string, options: CallSite | undefined): never {
  // Handlebars.Exception appends " - line:column" and sets lineNumber/column, which the renderer
  // turns into "file:line"; its types want an AST node, of which only `loc` is read.
  throw new hb.Exception(`${helper}: ${message}`, { loc: options?.loc } as unknown as hbs.AST.Node);
}

function strictHelper(hb: HandlebarsInstance, name: string, fn: (...args: never[]) => unknown): Handlebars.HelperDelegate {
  return function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as CallSite | undefined;
    const missing = args.findIndex((a) => a === undefined);
    if (missing >= 0) fail(hb, name, `argument ${missing + 1} is undefined; is a field name misspelt?`, options);
    try {
      return (fn as (...a: unknown[]) => unknown)(...args);
    } catch (err) {
      fail(hb, name, err instanceof Error ? err.message : String(err), options);
    }
  };
}

/**
 * Registers the helpers on `hb`, plus the three asset helpers report.hbs uses to inline the
 * stylesheet, the script and the Content-Security-Policy that allows exactly that script.
 */
export function registerHelpers(hb: HandlebarsInstance, assets: { css: string; script: string; scriptHash: string }): void {
  for (const [name, fn] of Object.entries(htmlHelpers)) hb.registerHelper(name, strictHelper(hb, name, fn));
  for (const name of ['if', 'unless', 'each', 'with']) {
    const builtin = hb.helpers[name];
    if (!builtin) continue;
    hb.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      if (args.length > 1 && args[0] === undefined) {
        fail(hb, `#${name}`, 'the value is undefined; is a field name misspelt?', args[args.length - 1] as CallSite);
      }
      return (builtin as (...a: unknown[]) => unknown).apply(this, args);
    });
  }
  const scriptSrc = assets.script === '' ? "'none'" : `'${assets.scriptHash}'`;
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src ${scriptSrc}`;
  hb.registerHelper('contentSecurityPolicy', () => new hb.SafeString(`<meta http-equiv="Content-Security-Policy" content="${csp}">`));
  hb.registerHelper('inlineStyle', () => new hb.SafeString(`<style>\n${assets.css}</style>`));
  hb.registerHelper('inlineScript', () => new hb.SafeString(assets.script === '' ? '' : `<script>${assets.script}</script>`));
}
