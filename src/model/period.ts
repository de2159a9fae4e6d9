/**
 * Reporting periods: "2026-Q3", "2026-09", "2026-H2", "2026" or an explicit
 * "2026-07-01..2026-09-30". Dates are calendar dates (no time zone): a quarter is the same
 * quarter wherever the reader is.
 */
import { endOfMonth, endOfQuarter, format, isValid, parse, startOfQuarter } from 'date-fns';
import { ReportError } from '../errors.js';

export interface Period {
  /** e.g. "Q3 2026", "September 2026", "1 Jul 2026 – 30 Sep 2026". */
  readonly label: string;
  /** yyyy-MM-dd, inclusive. */
  readonly start: string;
  /** yyyy-MM-dd, inclusive. */
  readonly end: string;
}

const ISO_DAY = 'yyyy-MM-dd';
const ref = new Date(2000, 0, 1);

function day(s: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return undefined;
  const d = parse(s, ISO_DAY, ref);
  return isValid(d) && format(d, ISO_DAY) === s ? d : undefined;
}

function range(label: string, start: Date, end: Date): Period {
  return { label, start: format(start, ISO_DAY), end: format(end, ISO_DAY) };
}

export function parsePeriod(input: string): Period {
  const s = input.trim();
  let m = /^(\d{4})-?Q([1-4])$/i.exec(s);
  if (m) {
    const start = startOfQuarter(new Date(Number(m[1]), (Number(m[2]) - 1) * 3, 1));
    return range(`Q${m[2]} ${m[1]}`, start, endOfQuarter(start));
  }
  m = /^(\d{4})-H([12])$/i.exec(s);
  if (m) {
    const start = new Date(Number(m[1]), m[2] === '1' ? 0 : 6, 1);
    return range(`H${m[2]} ${m[1]}`, start, endOfMonth(new Date(Number(m[1]), m[2] === '1' ? 5 : 11, 1)));
  }
  m = /^(\d{4})-(\d{2})$/.exec(s);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    const start = new Date(Number(m[1]), Number(m[2]) - 1, 1);
    return range(format(start, 'MMMM yyyy'), start, endOfMonth(start));
  }
  m = /^(\d{4})$/.exec(s);
  if (m) {
    return range(m[1]!, new Date(Number(m[1]), 0, 1), new Date(Number(m[1]), 11, 31));
  }
  m = /^(\S+)\.\.(\S+)$/.exec(s);
  if (m) {
    const start = day(m[1]!);
    const end = day(m[2]!);
    if (start && end && start <= end) {
      return range(`${format(start, 'd MMM yyyy')} – ${format(end, 'd MMM yyyy')}`, start, end);
    }
  }
  throw new ReportError('period-invalid', { input },
    `Period "${input}" is not understood. Use a quarter (2026-Q3), a half (2026-H2), a month (2026-09), a year (2026) or a range of dates (2026-07-01..2026-09-30, start not after end).`);
}
