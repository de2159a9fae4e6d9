/**
 * HTML helpers: UTC formatting whatever the machine's time zone, fixed labels, and lookups that
 * resolve through the model index and refuse ids the model does not have.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  asciiHost, controlRef, count, daysLeftLabel, findingGroups, findingsWithStatus, formatDate, formatDateTime, formatIsoUtc,
  indexModel, location, plural, severityBars, severityLabel, statusLabel, statusSegments,
} from '../../../src/report/html/helpers.js';
import { makeReportModel } from '../../support/model-factory.js';

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

  it('scales bars to the largest value and stacks statuses to 100', () => {
    const bars = severityBars({ info: 0, low: 1, medium: 2, high: 4, critical: 0, none: 1 });
    expect(bars.map((b) => [b.key, b.width])).toEqual([['critical', 0], ['high', 100], ['medium', 50], ['low', 25], ['info', 0], ['none', 25]]);
    const segs = statusSegments({ fail: 1, warn: 0, 'risk-accepted': 0, pass: 2, evidence: 0, 'not-assessed': 1, 'not-graded': 0 });
    expect(segs.map((s) => [s.key, s.x, s.width])).toEqual([['fail', 0, 25], ['warn', 25, 0], ['risk-accepted', 25, 0], ['pass', 25, 50], ['evidence', 75, 0], ['not-assessed', 75, 25], ['not-graded', 100, 0]]);
  });
});

describe('lookup helpers', () => {
  it('resolves ids through the index and refuses unknown ones', () => {
    const model = makeReportModel();
    const ep = model.scope.endpoints[1]!;
    expect(findingsWithStatus(model, ep.findingIds, 'fail', 'warn').map((f) => f.status)).toEqual(['fail', 'fail', 'warn']);
    expect(findingsWithStatus(model, ep.findingIds, 'pass')).toHaveLength(1);
    expect(controlRef(model, 'hipaa', '164.312(e)(1)').anchor).toBe('ctl-hipaa-164-312-e-1-');
    expect(() => controlRef(model, 'hipaa', '9.9')).toThrow(/no control "9.9"/);
    expect(() => findingsWithStatus(model, ['nope'], 'fail')).toThrow(/no finding "nope"/);
    expect(indexModel(model)).toBe(indexModel(model));
  });

  it('groups a control\'s findings by check in first-seen order', () => {
    const model = makeReportModel({ extraEndpoints: 3 });
    const groups = findingGroups(model, model.frameworks[0]!.controls[0]!.findingIds);
    expect(groups.map((g) => g.checkId)).toEqual(['proto-tls10', 'cert-hostname-mismatch', 'proto-tls13-missing']);
    expect(groups[0]!.findings).toHaveLength(5);
  });
});
