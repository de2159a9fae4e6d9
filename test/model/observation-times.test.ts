/**
 * Observation times against the period: which endpoints are dated outside it, which are dated
 * only by file times, and warnings that name the files, the times and the fix.
 */
import { describe, expect, it } from 'vitest';
import { observationTimeIssues, observationTimeWarnings, type DatedEndpoint } from '../../src/model/observation-times.js';
import { resolvePeriod } from '../../src/model/period.js';

const q3 = resolvePeriod('2026-Q3');
const at = (label: string, observedAt: string, observedAtSource: DatedEndpoint['observedAtSource'], file = `${label}.csv`): DatedEndpoint =>
  ({ label, observedAt, observedAtSource, files: [file] });

describe('observationTimeIssues', () => {
  it('judges the period by the UTC date, both ends inclusive', () => {
    const issues = observationTimeIssues([
      at('first', '2026-07-01T00:00:00Z', 'input'),
      at('last', '2026-09-30T23:59:59Z', 'input'),
      // 23:30 in Chicago on 30 September is 1 October in UTC: Q4.
      at('chicago', '2026-09-30T23:30:00-05:00', 'option'),
      at('before', '2026-06-30T23:59:59Z', 'input'),
    ], q3);
    expect(issues.outsidePeriod.map((e) => e.label)).toEqual(['chicago', 'before']);
    expect(issues.undated).toEqual([]);
  });

  it('finds file-dated endpoints whatever the period, and nothing outside when there is no period', () => {
    const issues = observationTimeIssues([at('a', '2027-01-05T10:00:00Z', 'file-mtime'), at('b', '2026-08-01T10:00:00Z', 'option')], undefined);
    expect(issues.undated.map((e) => e.label)).toEqual(['a']);
    expect(issues.outsidePeriod).toEqual([]);
  });
});

describe('observationTimeWarnings', () => {
  it('names the files, the times, their source, and the period they belong to', () => {
    const issues = observationTimeIssues([at('mx:25', '2026-12-01T09:00:00Z', 'input', 'q4/mx.json'), at('ok:25', '2026-08-01T09:00:00Z', 'input')], q3);
    const [w, ...rest] = observationTimeWarnings(issues, q3, q3.kind);
    expect(rest).toEqual([]);
    expect(w).toBe('1 observation falls outside the period Q3 2026 (2026-07-01 to 2026-09-30): q4/mx.json (mx:25) observed 2026-12-01T09:00:00Z ' +
      'by scan time in the file. They are not evidence of this period: if the scans ran inside it, give --observed-at with the scan time ' +
      '(e.g. --observed-at 2026-09-30T12:00:00Z); if not, report them for --period 2026-Q4. The evidence store keeps them with the run but ' +
      'counts them in no period. --strict refuses such a run.');
  });

  it('names a fiscal period in the organisation\'s fiscal year', () => {
    const fy = resolvePeriod('FY2027-Q1', { fiscalYearStartMonth: 10 });
    const issues = observationTimeIssues([at('mx:25', '2027-01-15T09:00:00Z', 'option')], fy);
    expect(observationTimeWarnings(issues, fy, fy.kind, { fiscalYearStartMonth: 10 })[0]).toContain('--period FY2027-Q2');
  });

  it('says undated inputs once per group of files, with the file dates and the fix', () => {
    const issues = observationTimeIssues([
      at('a:25', '2026-12-04T10:00:00Z', 'file-mtime', 'scans/a.csv'), at('b:25', '2026-12-04T10:00:01Z', 'file-mtime', 'scans/a.csv'),
      at('c:25', '2026-12-05T10:00:00Z', 'file-mtime', 'scans/c.csv'),
    ], undefined);
    expect(observationTimeWarnings(issues, undefined)).toEqual([
      '2 input files record no scan time (scans/a.csv, scans/c.csv), so 3 endpoints are dated by the files\' modification time (2026-12-04, 2026-12-05), ' +
      'which a copy or a clone changes. Give --observed-at with the time the scans ran, or use an export that records it ' +
      '(testssl.sh --jsonfile-pretty, nmap XML, SSLyze JSON, Nessus CSV with Host End, Greenbone CSV with Timestamp).',
    ]);
  });

  it('is silent when every observation is dated by its input inside the period', () => {
    expect(observationTimeWarnings(observationTimeIssues([at('a', '2026-08-01T00:00:00Z', 'input')], q3), q3, q3.kind)).toEqual([]);
  });
});
