/**
 * The one CSV cell rule (src/csv-cell.ts) that the report's CSV files and the scan's summary.csv
 * share: RFC 4180 quoting, and no cell a spreadsheet would evaluate as a formula.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { csvCell } from '../src/csv-cell.js';

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
    ['+1', "'+1"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', '"\'\rx"'],
  ])('neutralises a formula start: %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('quotes only what needs it, doubling quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
  });

  it('keeps numbers as numbers (a negative count is not text); null, undefined and non-finite are empty', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('reads back as the text a spreadsheet shows, apostrophe first for a formula', () => {
    const values = ['=1+1', 'a,"b"\nc', 'ok', '-x'];
    const [row] = parse(values.map(csvCell).join(',')) as string[][];
    expect(row).toEqual(["'=1+1", 'a,"b"\nc', 'ok', "'-x"]);
  });
});
