/**
 * Dates for the HTML report, always in UTC: date-fns formats through a Date whose local-time
 * getters read UTC, so the output never depends on the machine's time zone or clock.
 */
import { format, isValid } from 'date-fns';
import type { ReportModel } from '../../model/report-model.js';
import { evidenceDates } from '../evidence-dates.js';
import { findingMessage } from '../finding-message.js';

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

/**
 * When the endpoints were observed, for prose and text blocks: "on 15 Sep 2026", "between 1 Jul
 * 2026 and 15 Sep 2026", or "at no recorded time" when the report has no observation.
 */
export function evidenceDatesText(model: ReportModel): string {
  const d = evidenceDates(model);
  if (d === null) return 'at no recorded time';
  const from = formatDate(d.from);
  const to = formatDate(d.to);
  return from === to ? `on ${from}` : `between ${from} and ${to}`;
}

/** A finding's message with the dates and instants in its data written as the rest of the page writes them. */
export function findingText(finding: unknown): string {
  return findingMessage(finding as Parameters<typeof findingMessage>[0], { date: formatDate, dateTime: formatDateTime });
}
