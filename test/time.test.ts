/**
 * Day arithmetic must not depend on the machine's time zone: the same evidence gives the same
 * report in Auckland and in Honolulu.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { toInstant, utcCalendarDaysBetween } from '../src/time.js';

const originalTz = process.env['TZ'];
afterEach(() => {
  if (originalTz === undefined) delete process.env['TZ'];
  else process.env['TZ'] = originalTz;
});

describe.each(['UTC', 'Pacific/Kiritimati', 'Pacific/Honolulu', 'Europe/Berlin'])('in time zone %s', (tz) => {
  it('reads dates and offset-less times as UTC, and honours explicit offsets', () => {
    process.env['TZ'] = tz;
    expect(toInstant('2026-10-01')).toBe(Date.UTC(2026, 9, 1));
    expect(toInstant('2026-10-01T23:30:00')).toBe(Date.UTC(2026, 9, 1, 23, 30));
    expect(toInstant('2026-10-01 23:30')).toBe(Date.UTC(2026, 9, 1, 23, 30));
    expect(toInstant('2026-10-01T23:30:00Z')).toBe(Date.UTC(2026, 9, 1, 23, 30));
    expect(toInstant('2026-10-01T23:30:00-05:00')).toBe(Date.UTC(2026, 9, 2, 4, 30));
    expect(toInstant('2026-10-01T23:30:00.250+0100')).toBe(Date.UTC(2026, 9, 1, 22, 30, 0, 250));
    expect(toInstant(' 2026-10-01T23:30:00+01 ')).toBe(Date.UTC(2026, 9, 1, 22, 30));
    // A year-month ends in "-10", which must not be read as a UTC offset.
    expect(toInstant('2026-10')).toBe(Date.UTC(2026, 9, 1));
  });

  it('counts UTC calendar days', () => {
    process.env['TZ'] = tz;
    const day = (iso: string) => toInstant(iso) ?? Number.NaN;
    expect(utcCalendarDaysBetween(day('2026-10-01'), day('2026-10-31T23:59:59Z'))).toBe(30);
    expect(utcCalendarDaysBetween(day('2026-10-01'), day('2026-11-01T00:00:00Z'))).toBe(31);
    expect(utcCalendarDaysBetween(day('2026-10-01T23:00:00Z'), day('2026-10-02T01:00:00Z'))).toBe(1);
    expect(utcCalendarDaysBetween(day('2026-10-01'), day('2026-09-30T12:00:00Z'))).toBe(-1);
    // Across a DST change in Europe (2026-10-25) the count is still whole days.
    expect(utcCalendarDaysBetween(day('2026-10-20'), day('2026-10-30'))).toBe(10);
  });
});

describe('toInstant', () => {
  it('returns undefined for what is not an ISO 8601 date', () => {
    for (const bad of ['', 'soon', '31/10/2026', '2026-13-01', '2026-02-30', 'Oct 1 2026']) expect(toInstant(bad), bad).toBeUndefined();
  });
});
