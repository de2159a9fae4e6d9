/**
 * UTC formatting for ISO instants. Reports state times in UTC so a report reads the same
 * wherever it is generated; date-fns formats in local time, so shift by the offset first.
 */
import { format } from 'date-fns';

export function formatInTimeZone(iso: string, pattern: string): string {
  const d = new Date(iso);
  return format(new Date(d.getTime() + d.getTimezoneOffset() * 60_000), pattern);
}
