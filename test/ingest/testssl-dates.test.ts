/**
 * testssl certificate dates ("YYYY-MM-DD HH:MM", read as UTC): the direct reading of testssl's
 * own form must agree with date-fns' strict parse (the reference, and the path for every other
 * form), valid dates and impossible ones alike.
 */
import { parse as parseDate, isValid } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { parseTestsslDate } from '../../src/ingest/testssl-csv.js';

function reference(s: string): string | undefined {
  const d = parseDate(`${s.trim()} +00:00`, 'yyyy-MM-dd HH:mm xxx', new Date(0));
  return isValid(d) ? d.toISOString() : undefined;
}

describe('parseTestsslDate', () => {
  it('reads testssl dates as UTC and refuses impossible ones', () => {
    expect(parseTestsslDate('2027-11-28 19:26')).toBe('2027-11-28T19:26:00.000Z');
    expect(parseTestsslDate(' 2024-02-29 00:00 ')).toBe('2024-02-29T00:00:00.000Z');
    for (const bad of ['2026-02-29 10:00', '1900-02-29 00:00', '2026-04-31 12:00', '2026-13-01 00:00', '2026-01-31 24:00', '2026-01-31 23:60', '2026-01-01T00:00', 'n/a']) {
      expect(parseTestsslDate(bad), bad).toBeUndefined();
    }
  });

  it('agrees with date-fns on edge cases and on 20,000 generated dates', () => {
    const cases = ['2000-02-29 00:00', '0999-01-01 00:00', '0099-05-05 05:05', '0000-01-01 00:00', '9999-12-31 23:59',
      '1000-01-01 00:00', '2026-1-01 00:00', '2026-01-01 0:00', '2026-01-01 00:00:00', '２026-01-01 00:00'];
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pad = (n: number, w: number): string => String(n).padStart(w, '0');
    for (let i = 0; i < 20_000; i++) cases.push(`${pad(rnd(10000), 4)}-${pad(rnd(14), 2)}-${pad(rnd(33), 2)} ${pad(rnd(26), 2)}:${pad(rnd(62), 2)}`);
    for (const c of cases) expect(parseTestsslDate(c), c).toBe(reference(c));
  });
});
