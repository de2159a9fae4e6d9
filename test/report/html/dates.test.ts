/** Dates in the HTML report: UTC whatever the machine's time zone, and only ISO 8601 input. */
import { afterEach, describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatIsoUtc } from '../../../src/report/html/dates.js';

describe('date helpers', () => {
  const originalTz = process.env['TZ'];
  afterEach(() => {
    if (originalTz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = originalTz;
  });

  it.each(['UTC', 'Pacific/Kiritimati', 'America/Los_Angeles', 'Asia/Kathmandu'])('formats in UTC when TZ=%s', (tz) => {
    process.env['TZ'] = tz;
    expect(formatDate('2026-10-01')).toBe('1 Oct 2026');
    expect(formatDateTime('2026-10-01T23:30:00.000Z')).toBe('1 Oct 2026, 23:30 UTC');
    expect(formatDateTime('2026-10-01T01:30:00+02:00')).toBe('30 Sep 2026, 23:30 UTC');
    expect(formatIsoUtc('2026-03-29T01:30:05Z')).toBe('2026-03-29 01:30:05Z');
  });

  it('rejects what is not a date', () => {
    expect(() => formatDate('next Tuesday')).toThrow(/not an ISO 8601 date/);
  });
});
