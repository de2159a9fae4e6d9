/**
 * Reporting periods: "2026-Q3", "2026-09", "2026-H2", "2026", an explicit
 * "2026-07-01..2026-09-30", and fiscal years ("FY2027", "FY2027-Q1", "FY2027-H2") for a fiscal
 * year that starts in another month. Dates are calendar dates (no time zone): a quarter is the same
 * quarter wherever the reader is. All arithmetic is on year/month/day integers, never on local
 * midnights, so the answer cannot depend on the machine's time zone (the tests run it in zones
 * whose clocks skip midnight). Which period an observation falls in is decided by its UTC date.
 */
import { format, getDaysInMonth } from 'date-fns';
import { ReportError } from '../errors.js';
import { PERIOD } from './messages.js';

export interface Period {
  /** e.g. "Q3 2026", "September 2026", "1 Jul 2026 – 30 Sep 2026". */
  readonly label: string;
  /** yyyy-MM-dd, inclusive. */
  readonly start: string;
  /** yyyy-MM-dd, inclusive. */
  readonly end: string;
}

export type PeriodKind = 'month' | 'quarter' | 'half' | 'year' | 'fiscal-quarter' | 'fiscal-half' | 'fiscal-year' | 'range';

/** A period plus what it is, so the previous and next periods of the same kind can be found. */
export interface PeriodSpec extends Period {
  readonly kind: PeriodKind;
  /** Canonical input form: "2026-Q3", "2026-09", "FY2027-Q1", "2026-07-01..2026-09-30". */
  readonly id: string;
}

export interface PeriodOptions {
  /**
   * Month (1–12) the fiscal year starts in; FY forms need it unless it is January.
   * @default 1
   */
  readonly fiscalYearStartMonth?: number | undefined;
  /**
   * Whether "FY2027" names the fiscal year by the calendar year it ends in (US federal, most
   * companies: FY2027 = Oct 2026 – Sep 2027 with a October start) or the one it starts in.
   * @default 'end'
   */
  readonly fiscalYearNamedBy?: 'end' | 'start' | undefined;
}

interface Ymd { readonly y: number; readonly m: number; readonly d: number }

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const iso = ({ y, m, d }: Ymd) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
/** Noon local time: a Date for date-fns formatting that no DST transition can push to another day. */
const noon = ({ y, m, d }: Ymd) => new Date(y, m - 1, d, 12);
const daysIn = (y: number, m: number) => getDaysInMonth(noon({ y, m, d: 1 }));
const label = (x: Ymd, pattern: string) => format(noon(x), pattern);

/** Month arithmetic: `months` after (or before, when negative) the first of `y`-`m`. */
function addMonths(y: number, m: number, months: number): { y: number; m: number } {
  const idx = y * 12 + (m - 1) + months;
  return { y: Math.floor(idx / 12), m: (idx % 12 + 12) % 12 + 1 };
}

/** The first day of the block of `months` months starting at `y`-`m`, and its last day. */
function block(y: number, m: number, months: number): { start: Ymd; end: Ymd } {
  const last = addMonths(y, m, months - 1);
  return { start: { y, m, d: 1 }, end: { y: last.y, m: last.m, d: daysIn(last.y, last.m) } };
}

/** Strict yyyy-MM-dd → parts, or undefined when it is not a real calendar date. */
function parseDay(s: string): Ymd | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return undefined;
  return { y, m: mo, d };
}

/** Days since 1970-01-01 for a yyyy-MM-dd (UTC arithmetic, no zone involved). */
const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** 1–12 from "10", 10, "Oct" or "October"; undefined when it is not a month. */
export function monthNumber(value: string | number): number | undefined {
  const v = String(value).trim();
  const byName = /^[a-z]{3,9}$/i.test(v) ? MONTH_NAMES.indexOf(v.slice(0, 3).toLowerCase()) + 1 : 0;
  const n = /^\d{1,2}$/.test(v) ? Number(v) : byName;
  return Number.isInteger(n) && n >= 1 && n <= 12 ? n : undefined;
}

export function epochDay(day: string): number {
  const p = parseDay(day);
  if (!p) throw new RangeError(`not a calendar date: ${day}`);
  return Date.UTC(p.y, p.m - 1, p.d) / 86_400_000;
}

/** yyyy-MM-dd for a day number from epochDay. */
function dayFromEpoch(n: number): string {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

/** `day` plus `n` calendar days. */
export function addDays(day: string, n: number): string {
  return dayFromEpoch(epochDay(day) + n);
}

function fiscalStart(opts: PeriodOptions | undefined): number {
  const m = opts?.fiscalYearStartMonth ?? 1;
  if (!Number.isInteger(m) || m < 1 || m > 12) {
    throw new ReportError('period-invalid', { fiscalYearStartMonth: m },
      PERIOD.fiscalStart(m));
  }
  return m;
}

/** Calendar year and month the fiscal year named `fy` starts in. */
function fiscalYearStart(fy: number, opts: PeriodOptions | undefined): { y: number; m: number } {
  const m = fiscalStart(opts);
  const namedByEnd = (opts?.fiscalYearNamedBy ?? 'end') === 'end';
  return { y: m === 1 || !namedByEnd ? fy : fy - 1, m };
}

function spec(kind: PeriodKind, id: string, text: string, start: Ymd, end: Ymd): PeriodSpec {
  return { kind, id, label: text, start: iso(start), end: iso(end) };
}

function quarter(y: number, q: number): PeriodSpec {
  const b = block(y, (q - 1) * 3 + 1, 3);
  return spec('quarter', `${y}-Q${q}`, `Q${q} ${y}`, b.start, b.end);
}
function half(y: number, h: number): PeriodSpec {
  const b = block(y, h === 1 ? 1 : 7, 6);
  return spec('half', `${y}-H${h}`, `H${h} ${y}`, b.start, b.end);
}
function month(y: number, m: number): PeriodSpec {
  const b = block(y, m, 1);
  return spec('month', `${y}-${pad(m)}`, label(b.start, 'MMMM yyyy'), b.start, b.end);
}
function year(y: number): PeriodSpec {
  const b = block(y, 1, 12);
  return spec('year', String(y), String(y), b.start, b.end);
}
function fiscal(kind: 'fiscal-year' | 'fiscal-half' | 'fiscal-quarter', fy: number, part: number, opts: PeriodOptions | undefined): PeriodSpec {
  const s = fiscalYearStart(fy, opts);
  const months = kind === 'fiscal-year' ? 12 : kind === 'fiscal-half' ? 6 : 3;
  const first = addMonths(s.y, s.m, (part - 1) * months);
  const b = block(first.y, first.m, months);
  // "FY2027 Q1": the year first, as finance teams write it. The label carries no dates; where a
  // reader needs them, periodTitle adds them once.
  const name = kind === 'fiscal-year' ? `FY${fy}` : `FY${fy} ${kind === 'fiscal-half' ? 'H' : 'Q'}${part}`;
  const id = kind === 'fiscal-year' ? `FY${fy}` : `FY${fy}-${kind === 'fiscal-half' ? 'H' : 'Q'}${part}`;
  return spec(kind, id, name, b.start, b.end);
}
function range(start: Ymd, end: Ymd): PeriodSpec {
  return spec('range', `${iso(start)}..${iso(end)}`, `${label(start, 'd MMM yyyy')} – ${label(end, 'd MMM yyyy')}`, start, end);
}

/** Parses a period and says what kind it is. Throws ReportError('period-invalid') listing the accepted forms. */
export function resolvePeriod(input: string, opts?: PeriodOptions): PeriodSpec {
  const s = input.trim();
  let m = /^(\d{4})-?Q([1-4])$/i.exec(s);
  if (m) return quarter(Number(m[1]), Number(m[2]));
  m = /^(\d{4})-H([12])$/i.exec(s);
  if (m) return half(Number(m[1]), Number(m[2]));
  m = /^(\d{4})-(\d{2})$/.exec(s);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return month(Number(m[1]), Number(m[2]));
  m = /^(\d{4})$/.exec(s);
  if (m) return year(Number(m[1]));
  m = /^FY\s?(\d{4})(?:-?([QH])([1-4]))?$/i.exec(s);
  if (m) {
    const fy = Number(m[1]);
    const part = m[3] === undefined ? 0 : Number(m[3]);
    if (m[2] === undefined) return fiscal('fiscal-year', fy, 1, opts);
    if (m[2].toUpperCase() === 'Q') return fiscal('fiscal-quarter', fy, part, opts);
    if (part <= 2) return fiscal('fiscal-half', fy, part, opts);
  }
  m = /^(\S+)\.\.(\S+)$/.exec(s);
  if (m) {
    const start = parseDay(m[1]!);
    const end = parseDay(m[2]!);
    if (start && end && iso(start) <= iso(end)) return range(start, end);
  }
  throw new ReportError('period-invalid', { input }, PERIOD.notUnderstood(input));
}


/**
 * The period `n` steps after `p` (before it when `n` is negative), of the same kind: Q3 → Q4,
 * FY2027-Q4 → FY2028-Q1, and a range → the range of the same length right after it.
 */
export function shiftPeriod(p: PeriodSpec, n: number, opts?: PeriodOptions): PeriodSpec {
  if (n === 0) return p;
  const start = parseDay(p.start)!;
  switch (p.kind) {
    case 'month': { const x = addMonths(start.y, start.m, n); return month(x.y, x.m); }
    case 'quarter': { const x = addMonths(start.y, start.m, 3 * n); return quarter(x.y, (x.m - 1) / 3 + 1); }
    case 'half': { const x = addMonths(start.y, start.m, 6 * n); return half(x.y, x.m === 1 ? 1 : 2); }
    case 'year': return year(start.y + n);
    case 'fiscal-year': case 'fiscal-half': case 'fiscal-quarter': {
      const per = p.kind === 'fiscal-year' ? 1 : p.kind === 'fiscal-half' ? 2 : 4;
      const m = /^FY(\d{4})(?:-[QH](\d))?$/.exec(p.id)!;
      const idx = Number(m[1]) * per + (m[2] === undefined ? 0 : Number(m[2]) - 1) + n;
      return fiscal(p.kind, Math.floor(idx / per), (idx % per) + 1, opts);
    }
    case 'range': {
      const len = epochDay(p.end) - epochDay(p.start) + 1;
      const s = dayFromEpoch(epochDay(p.start) + n * len);
      return range(parseDay(s)!, parseDay(addDays(s, len - 1))!);
    }
  }
}

/** The period of `kind` that contains the calendar date `day` (yyyy-MM-dd); ranges are not a kind here. */
export function periodContaining(day: string, kind: Exclude<PeriodKind, 'range'>, opts?: PeriodOptions): PeriodSpec {
  const d = parseDay(day);
  if (!d) throw new RangeError(`not a calendar date: ${day}`);
  switch (kind) {
    case 'month': return month(d.y, d.m);
    case 'quarter': return quarter(d.y, Math.floor((d.m - 1) / 3) + 1);
    case 'half': return half(d.y, d.m <= 6 ? 1 : 2);
    case 'year': return year(d.y);
    default: {
      const startMonth = fiscalStart(opts);
      // The fiscal year starting in the latest start month on or before `day`.
      const startYear = d.m >= startMonth ? d.y : d.y - 1;
      const fy = startMonth === 1 || (opts?.fiscalYearNamedBy ?? 'end') === 'start' ? startYear : startYear + 1;
      const monthsIn = (d.y - startYear) * 12 + d.m - startMonth;
      if (kind === 'fiscal-year') return fiscal(kind, fy, 1, opts);
      return kind === 'fiscal-half' ? fiscal(kind, fy, Math.floor(monthsIn / 6) + 1, opts) : fiscal(kind, fy, Math.floor(monthsIn / 3) + 1, opts);
    }
  }
}

/** "1 Oct 2026 – 31 Dec 2026": the period's first and last day. */
function periodDates(p: Period): string {
  const day = (s: string) => { const d = parseDay(s); return d === undefined ? s : label(d, 'd MMM yyyy'); };
  return `${day(p.start)} – ${day(p.end)}`;
}

/**
 * The period as a heading prints it, its dates said once: "FY2027 Q1 (1 Oct 2026 – 31 Dec 2026)",
 * "Q3 2026 (1 Jul 2026 – 30 Sep 2026)"; a range, whose label is its dates, stays as it is. A label
 * stored by an earlier release with its dates inside is left alone too.
 */
export function periodTitle(p: Period): string {
  const dates = periodDates(p);
  return p.label.includes(dates) ? p.label : `${p.label} (${dates})`;
}

/**
 * The period's name for report ids and file names: the label without any dates in brackets, with
 * every run of other characters made one hyphen ("FY2027-Q1", "Q3-2026", "1-Jul-2026-30-Sep-2026").
 */
export function periodSlug(p: Period): string {
  return p.label.replace(/\s*\([^)]*\)\s*$/, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** Whether the calendar date `day` (yyyy-MM-dd) lies in `p` (both ends inclusive). */
export function periodIncludes(p: Period, day: string): boolean {
  return day >= p.start && day <= p.end;
}
