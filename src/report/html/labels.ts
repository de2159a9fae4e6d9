/**
 * Words and CSS classes for the values the report shows: statuses, severities, services,
 * three-valued facts, numbers. Every table is fixed; an unknown value is an error, never a blank.
 */
import { domainToASCII } from 'node:url';
import { CONTROL_STATUSES } from '../../model/report-model.js';
import type { ControlStatus } from '../../model/report-model.js';
import type { ControlKind } from '../../model/framework.js';
import type { FindingStatus, Severity } from '../../model/finding.js';

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
export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
export const CONTROL_STATUS_ORDER: readonly ControlStatus[] = CONTROL_STATUSES;

function label<K extends string>(table: Readonly<Record<K, string>>, key: unknown, what: string): string {
  if (typeof key === 'string' && Object.hasOwn(table, key)) return table[key as K];
  throw new Error(`${JSON.stringify(key)} is not a ${what} (one of ${Object.keys(table).join(', ')})`);
}

/** Throws unless `status` is a control or finding status; `what` names the argument in the error. */
export function assertStatus(status: unknown, what = 'status'): void {
  label(STATUS_LABELS, status, what);
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

