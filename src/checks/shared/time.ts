/**
 * Instants and whole-day distances for certificate checks. Everything is in UTC: a report must say
 * the same thing whichever machine, in whichever time zone, generates it.
 */
import { millisecondsInDay, parseISO } from 'date-fns';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_OFFSET = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * Milliseconds since the epoch for an ISO 8601 date or date-time, or `undefined` when it does not
 * parse. A value without an offset is read as UTC: date-fns `parseISO` would read it in the local
 * zone, which would shift expiry days by the machine's offset.
 */
export function toInstant(iso: string): number | undefined {
  const text = iso.trim();
  const utc = DATE_ONLY.test(text) ? `${text}T00:00:00Z` : HAS_OFFSET.test(text) ? text : `${text}Z`;
  const ms = parseISO(utc).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Calendar days from the UTC date of `from` to the UTC date of `to` (negative when `to` is
 * earlier). Not date-fns `differenceInCalendarDays`: that counts local calendar days.
 */
export function utcCalendarDaysBetween(from: number, to: number): number {
  return Math.floor(to / millisecondsInDay) - Math.floor(from / millisecondsInDay);
}
