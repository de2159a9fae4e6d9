/**
 * Instants and whole-day distances for certificate checks. Everything is in UTC: a report must say
 * the same thing whichever machine, in whichever time zone, generates it.
 */
import { format, isExists } from 'date-fns';
import { parseISO } from 'date-fns/parseISO';
import { millisecondsInDay } from 'date-fns/constants';

/** Date part, then an optional time part after `T` or a space (as parseISO accepts). */
const DATE_AND_TIME = /^([^T ]+)(?:[T ](.*))?$/i;
/** An offset at the end of the time part; tested on the time part only, since `-10` ends a date too. */
const OFFSET = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

// The same few strings come back constantly (one observation time per endpoint, one report date,
// each notAfter read by five checks) and parseISO is the runner's most expensive call.
const CACHE_LIMIT = 10_000;
const instantCache = new Map<string, number | undefined>();

/**
 * Milliseconds since the epoch for an ISO 8601 date or date-time, or `undefined` when it does not
 * parse. A value without an offset is read as UTC: date-fns `parseISO` would read it in the local
 * zone, which would shift expiry days by the machine's offset.
 */
export function toInstant(iso: string): number | undefined {
  if (instantCache.has(iso)) return instantCache.get(iso);
  const text = iso.trim();
  const m = DATE_AND_TIME.exec(text);
  const time = m?.[2];
  const utc = m === null ? text : time === undefined ? `${text}T00:00:00Z` : OFFSET.test(time) ? text : `${text}Z`;
  const parsed = parseISO(utc).getTime();
  const ms = Number.isNaN(parsed) ? undefined : parsed;
  if (instantCache.size >= CACHE_LIMIT) instantCache.clear();
  instantCache.set(iso, ms);
  return ms;
}

/**
 * Calendar days from the UTC date of `from` to the UTC date of `to` (negative when `to` is
 * earlier). Not date-fns `differenceInCalendarDays`: that counts local calendar days.
 */
export function utcCalendarDaysBetween(from: number, to: number): number {
  return Math.floor(to / millisecondsInDay) - Math.floor(from / millisecondsInDay);
}

/** Formats an ISO instant in UTC with a date-fns pattern (date-fns itself formats in local time). */
export function formatInTimeZone(iso: string, pattern: string): string {
  const d = new Date(iso);
  return format(new Date(d.getTime() + d.getTimezoneOffset() * 60_000), pattern);
}

/**
 * Milliseconds since the epoch for a UTC calendar date and time given as numbers (month 1–12), or
 * `undefined` when no such moment exists: Date.UTC would roll 30 February over to 2 March and
 * read year 0000, month 00 as November 1899. Every scanner date goes through here.
 */
export function strictUtc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number | undefined {
  if (![year, month, day, hour, minute, second].every(Number.isInteger)) return undefined;
  if (year < 1 || year > 9999 || !isExists(year, month - 1, day)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC maps years 0–99 to 1900–1999.
  return year < 100 ? new Date(ms).setUTCFullYear(year) : ms;
}
