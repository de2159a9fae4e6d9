/** Words for values: fixed tables that refuse unknown values, and numbers without locale data. */
import { describe, expect, it } from 'vitest';
import { asciiHost, count, daysLeftLabel, location, plural, severityLabel, statusLabel } from '../../../src/report/html/labels.js';

describe('label helpers', () => {
  it('labels every status and severity, and refuses unknown ones', () => {
    expect(['fail', 'warn', 'pass', 'not-assessed', 'not-tested', 'error'].map(statusLabel))
      .toEqual(['Fail', 'Warning', 'Pass', 'Not assessed', 'Not tested', 'Error']);
    expect(severityLabel(null)).toBe('None');
    expect(() => statusLabel('compliant')).toThrow(/not a status/);
    expect(() => severityLabel('severe')).toThrow(/not a severity/);
  });

  it('formats counts without locale data', () => {
    expect(count(0)).toBe('0');
    expect(count(1234567)).toBe('1,234,567');
    expect(plural(1, 'endpoint')).toBe('1 endpoint');
    expect(plural(2003, 'endpoint')).toBe('2,003 endpoints');
    expect(daysLeftLabel(-3)).toBe('Expired 3 days before the report date');
    expect(location({ file: 'a.csv', line: 4 })).toBe('a.csv:4');
    expect(location({ file: 'a.csv', line: 4, column: 2 })).toBe('a.csv:4:2');
    expect(asciiHost('legacy.例え.test')).toMatch(/^legacy\.xn--[a-z0-9]+\.test$/);
    expect(asciiHost('mail.example.test')).toBeNull();
  });
});
