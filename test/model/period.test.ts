import { describe, expect, it } from 'vitest';
import { periodSlug, periodTitle, resolvePeriod } from '../../src/model/period.js';

describe('resolvePeriod: labels and dates', () => {
  it.each([
    ['2026-Q3', 'Q3 2026', '2026-07-01', '2026-09-30'],
    ['2026q1', 'Q1 2026', '2026-01-01', '2026-03-31'],
    ['2026-Q4', 'Q4 2026', '2026-10-01', '2026-12-31'],
    ['2024-02', 'February 2024', '2024-02-01', '2024-02-29'],
    ['2026-02', 'February 2026', '2026-02-01', '2026-02-28'],
    ['2026-H2', 'H2 2026', '2026-07-01', '2026-12-31'],
    ['2026-H1', 'H1 2026', '2026-01-01', '2026-06-30'],
    ['2026', '2026', '2026-01-01', '2026-12-31'],
    ['2026-07-01..2026-09-30', '1 Jul 2026 – 30 Sep 2026', '2026-07-01', '2026-09-30'],
    ['2026-09-30..2026-09-30', '30 Sep 2026 – 30 Sep 2026', '2026-09-30', '2026-09-30'],
  ])('%s → %s (%s..%s)', (input, label, start, end) => {
    expect(resolvePeriod(input)).toMatchObject({ label, start, end });
  });

  it.each(['2026-Q5', '2026-13', '26-Q3', '2026-02-30..2026-03-01', '2026-09-30..2026-07-01', 'last quarter', ''])(
    'refuses %j with the accepted forms', (input) => {
      expect(() => resolvePeriod(input)).toThrow(/Use a quarter \(2026-Q3\).*2026-07-01\.\.2026-09-30/);
    });
});

describe('periodTitle and periodSlug', () => {
  const fy = { fiscalYearStartMonth: 10 };
  it.each([
    ['FY2027-Q1', fy, 'FY2027 Q1 (1 Oct 2026 – 31 Dec 2026)', 'FY2027-Q1'],
    ['FY2027-H2', fy, 'FY2027 H2 (1 Apr 2027 – 30 Sep 2027)', 'FY2027-H2'],
    ['FY2027', fy, 'FY2027 (1 Oct 2026 – 30 Sep 2027)', 'FY2027'],
    ['2026-Q3', undefined, 'Q3 2026 (1 Jul 2026 – 30 Sep 2026)', 'Q3-2026'],
    ['2026-09', undefined, 'September 2026 (1 Sep 2026 – 30 Sep 2026)', 'September-2026'],
    ['2026-07-01..2026-09-30', undefined, '1 Jul 2026 – 30 Sep 2026', '1-Jul-2026-30-Sep-2026'],
  ])('%s → "%s", %s', (input, opts, title, slug) => {
    const p = resolvePeriod(input, opts);
    expect(periodTitle(p)).toBe(title);
    expect(periodSlug(p)).toBe(slug);
  });

  it('says the dates once for a label stored with them by an earlier release, and leaves them out of the slug', () => {
    const old = { label: 'Q1 FY2027 (1 Oct 2026 – 31 Dec 2026)', start: '2026-10-01', end: '2026-12-31' };
    expect(periodTitle(old)).toBe(old.label);
    expect(periodSlug(old)).toBe('Q1-FY2027');
  });
});
