/**
 * Period edge cases beyond test/model/period.test.ts: quarter boundaries, leap years, fiscal years
 * (start month and naming), stepping to the previous and next period, and independence from the
 * machine's time zone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addDays, epochDay, periodContaining, periodIncludes, resolvePeriod, shiftPeriod } from '../../src/model/period.js';

const dates = (p: { start: string; end: string }) => `${p.start}..${p.end}`;

describe('calendar periods', () => {
  it.each([
    ['2024-02', '2024-02-01..2024-02-29'], // leap year
    ['2100-02', '2100-02-01..2100-02-28'], // century, not a leap year
    ['2000-02', '2000-02-01..2000-02-29'], // divisible by 400: leap year
    ['2024-Q1', '2024-01-01..2024-03-31'],
    ['2024-H1', '2024-01-01..2024-06-30'],
    ['2024-02-28..2024-03-01', '2024-02-28..2024-03-01'],
    ['2024-02-29..2024-02-29', '2024-02-29..2024-02-29'],
  ])('%s = %s', (input, expected) => {
    expect(dates(resolvePeriod(input))).toBe(expected);
  });

  it('refuses 29 February outside leap years', () => {
    expect(() => resolvePeriod('2025-02-29..2025-03-01')).toThrow(/not understood/);
    expect(() => resolvePeriod('2100-02-29..2100-03-01')).toThrow(/not understood/);
  });

  it('includes both boundary days and nothing outside', () => {
    const q3 = resolvePeriod('2026-Q3');
    expect(['2026-06-30', '2026-07-01', '2026-09-30', '2026-10-01'].map((d) => periodIncludes(q3, d))).toEqual([false, true, true, false]);
  });

  it('steps to the previous and next period of the same kind across year ends', () => {
    expect(shiftPeriod(resolvePeriod('2026-Q1'), -1).id).toBe('2025-Q4');
    expect(shiftPeriod(resolvePeriod('2026-Q4'), 1).id).toBe('2027-Q1');
    expect(shiftPeriod(resolvePeriod('2026-01'), -1)).toMatchObject({ id: '2025-12', label: 'December 2025' });
    expect(shiftPeriod(resolvePeriod('2024-03'), -1)).toMatchObject({ id: '2024-02', end: '2024-02-29' });
    expect(shiftPeriod(resolvePeriod('2026-H1'), -1).id).toBe('2025-H2');
    expect(shiftPeriod(resolvePeriod('2026'), -3).id).toBe('2023');
    expect(shiftPeriod(resolvePeriod('2026-Q3'), -8).id).toBe('2024-Q3');
  });

  it('steps a range by its own length, counting leap days', () => {
    const r = resolvePeriod('2024-03-01..2024-03-31');
    expect(dates(shiftPeriod(r, -1))).toBe('2024-01-30..2024-02-29');
    expect(dates(shiftPeriod(r, 1))).toBe('2024-04-01..2024-05-01');
  });

  it('finds the period containing a date', () => {
    expect(periodContaining('2026-09-30', 'quarter').id).toBe('2026-Q3');
    expect(periodContaining('2026-10-01', 'quarter').id).toBe('2026-Q4');
    expect(periodContaining('2024-02-29', 'month').id).toBe('2024-02');
    expect(periodContaining('2026-07-01', 'half').id).toBe('2026-H2');
  });

  it('counts days in UTC, over leap days and DST changes alike', () => {
    expect(epochDay('2024-03-01') - epochDay('2024-02-28')).toBe(2);
    expect(epochDay('2026-03-30') - epochDay('2026-03-28')).toBe(2);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-02-28', 366)).toBe('2025-02-28');
  });
});

describe('fiscal years', () => {
  it('names a fiscal year by the calendar year it ends in (US federal: starts in October)', () => {
    const opts = { fiscalYearStartMonth: 10 };
    expect(resolvePeriod('FY2027', opts)).toMatchObject({ id: 'FY2027', kind: 'fiscal-year', start: '2026-10-01', end: '2027-09-30', label: 'FY2027' });
    expect(resolvePeriod('FY2027-Q1', opts)).toMatchObject({ start: '2026-10-01', end: '2026-12-31', label: 'FY2027 Q1' });
    expect(resolvePeriod('fy2027q4', opts)).toMatchObject({ id: 'FY2027-Q4', start: '2027-07-01', end: '2027-09-30' });
    expect(resolvePeriod('FY2027-H2', opts)).toMatchObject({ start: '2027-04-01', end: '2027-09-30' });
  });

  it('can name it by the year it starts in instead (April start, e.g. UK and India)', () => {
    expect(dates(resolvePeriod('FY2026', { fiscalYearStartMonth: 4, fiscalYearNamedBy: 'start' }))).toBe('2026-04-01..2027-03-31');
    expect(dates(resolvePeriod('FY2026', { fiscalYearStartMonth: 4 }))).toBe('2025-04-01..2026-03-31');
  });

  it('ends a February fiscal quarter on the leap day', () => {
    // A December start makes Q1 December to February.
    expect(dates(resolvePeriod('FY2024-Q1', { fiscalYearStartMonth: 12 }))).toBe('2023-12-01..2024-02-29');
    expect(dates(resolvePeriod('FY2025-Q1', { fiscalYearStartMonth: 12 }))).toBe('2024-12-01..2025-02-28');
  });

  it('is the calendar year when it starts in January', () => {
    expect(resolvePeriod('FY2026')).toMatchObject({ start: '2026-01-01', end: '2026-12-31', label: 'FY2026' });
  });

  it('steps across fiscal year ends and finds the fiscal period of a date', () => {
    const opts = { fiscalYearStartMonth: 10 };
    expect(shiftPeriod(resolvePeriod('FY2027-Q1', opts), -1, opts)).toMatchObject({ id: 'FY2026-Q4', start: '2026-07-01' });
    expect(shiftPeriod(resolvePeriod('FY2027-Q4', opts), 1, opts)).toMatchObject({ id: 'FY2028-Q1', start: '2027-10-01' });
    expect(shiftPeriod(resolvePeriod('FY2027', opts), -1, opts).id).toBe('FY2026');
    expect(periodContaining('2026-09-30', 'fiscal-quarter', opts).id).toBe('FY2026-Q4');
    expect(periodContaining('2026-10-01', 'fiscal-quarter', opts).id).toBe('FY2027-Q1');
    expect(periodContaining('2026-10-01', 'fiscal-year', { fiscalYearStartMonth: 4, fiscalYearNamedBy: 'start' }).id).toBe('FY2026');
  });

  it('refuses a start month that is not 1 to 12, and unknown fiscal forms', () => {
    expect(() => resolvePeriod('FY2027', { fiscalYearStartMonth: 13 })).toThrow(/from 1 \(January\) to 12/);
    expect(() => resolvePeriod('FY2027-H3')).toThrow(/FY2027-Q1/);
    expect(() => resolvePeriod('FY27')).toThrow(/not understood/);
  });
});

describe('time zones', () => {
  const saved = process.env['TZ'];
  afterEach(() => {
    if (saved === undefined) delete process.env['TZ'];
    else process.env['TZ'] = saved;
  });

  const INPUTS = ['2018-11-04..2018-11-04', '2018-Q4', '2018-11', '2026-Q1', '2024-02', 'FY2019-Q2', '2022-09-11..2022-09-30'];
  const expected = INPUTS.map((i) => resolvePeriod(i, { fiscalYearStartMonth: 10 }));

  it.each(['America/Sao_Paulo', 'America/Santiago', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Kathmandu'])('gives the same periods in %s', (tz) => {
    process.env['TZ'] = tz;
    if (tz === 'America/Sao_Paulo') {
      // The zone is in effect: midnight of 4 Nov 2018 did not exist there (DST began).
      expect(new Date(2018, 10, 4).getHours()).toBe(1);
    }
    expect(INPUTS.map((i) => resolvePeriod(i, { fiscalYearStartMonth: 10 }))).toEqual(expected);
    expect(shiftPeriod(resolvePeriod('2018-11-04..2018-11-04'), 1).start).toBe('2018-11-05');
  });
});
