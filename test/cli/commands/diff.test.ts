/**
 * `tlsproof diff [FROM] TO` on a store holding the history fixture sequence (three quarters).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PeriodComparisonSchema } from '../../../src/model/history.js';
import { cli, recordViaCli, tempDir } from './history-support.js';

let store: string;
beforeAll(async () => {
  store = join(await tempDir(), 'evidence.db');
  await recordViaCli(store);
});

describe('tlsproof diff', () => {
  it('prints the comparison of two quarters for a terminal', async () => {
    const r = await cli(['diff', '2026-Q4', '2027-Q1', '--store', store]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^Q1 2027 \(2027-01-01\.\.2027-03-31\) compared with Q4 2026 \(2026-10-01\.\.2026-12-31\), as of 2027-03-31\n/);
    expect(out).toContain('4 stored runs; endpoints: 5 (previously 4), 1 added, 0 removed\n  + imap.good.example.test (127.0.77.12) port 993  (first seen 2027-02-15)');
    expect(out).toMatch(/\nResolved \(3\)\n(.*\n){3}/);
    expect(out).toMatch(/MEDIUM\s+proto-tls10\s+mail\.legacy\.example\.test \(127\.0\.77\.30\) port 25\s+open 2026-11-28 → seen fixed 2027-02-15 \(79 d\)\n/);
    expect(out).toMatch(/CRITICAL\s+cert-expired\s+mail\.expired\.example\.test \(127\.0\.77\.20\) port 25\s+open 123 d since 2026-11-28, 93 d overdue\n/);
    expect(out).toContain('Overdue (2) — deadlines: critical 30 d, high 60 d, medium 90 d, low 180 d, info none');
    expect(out).toContain('  medium   2 findings: median 79 d, worst 79 d');
    expect(out).toMatch(/Certificates expiring in Q2 2027 \(1\)\n {2}2027-06-14 {2}mail\.expiring\.example\.test {2}in 75 d {2}serial 01A275D19840/);
    expect(out).toMatch(/Trend \(open findings by severity; controls fail\/warn\/pass\/evidence supplied\/not assessed\)\n\s+Period\s+Endpoints\s+Critical\s+High\s+Medium\s+Low/);
    expect(out).toMatch(/\n\s+2026-Q4\s+4\s+1\s+0\s+3\s+4\s/);
  });

  it('compares with the previous period when given one, and prints JSON that matches the schema', async () => {
    const r = await cli(['diff', '2027-Q2', '--store', store, '--json']);
    expect(r.code).toBe(0);
    const c = PeriodComparisonSchema.parse(JSON.parse(r.stdout));
    expect(c.previousPeriod.id).toBe('2027-Q1');
    expect(c.regressed.map((f) => f.checkId).sort()).toEqual(['proto-tls10', 'proto-tls11', 'vuln-beast']);
    expect(c.endpointsRemoved.map((e) => e.key)).toEqual(['mail.good.example.test[127.0.77.11]:25']);
    // "today" (2027-06-01) is before the quarter's end, so open findings are aged to today.
    expect(c.asOf).toBe('2027-06-01');
    expect(c.trend.length).toBeGreaterThanOrEqual(4);
  });

  it('takes deadlines, an as-of date and a trend length', async () => {
    const r = await cli(['diff', '2027-Q1', '--store', store, '--json', '--deadline', 'critical=7,high=none', '--deadline', 'low=30', '--as-of', '2027-03-01', '--trend', '5']);
    const c = PeriodComparisonSchema.parse(JSON.parse(r.stdout));
    expect(c.remediation.deadlines).toEqual({ info: null, low: 30, medium: 90, high: null, critical: 7 });
    expect(c.asOf).toBe('2027-03-01');
    expect(c.remediation.overdue[0]).toMatchObject({ checkId: 'cert-expired', dueDate: '2026-12-05', daysOverdue: 86 });
    // Five quarters asked for; the leading empty ones are dropped down to the minimum of four.
    expect(c.trend.map((t) => t.period.id)).toEqual(['2026-Q2', '2026-Q3', '2026-Q4', '2027-Q1']);
  });

  it('understands fiscal quarters with the fiscal year start', async () => {
    // FY2027 starts in October 2026: FY2027-Q2 is January to March 2027, compared with FY2027-Q1.
    const fiscal = JSON.parse((await cli(['diff', 'FY2027-Q2', '--fiscal-year-start', 'october', '--store', store, '--json'])).stdout) as { period: { start: string }; previousPeriod: { id: string }; resolved: unknown[] };
    const calendar = JSON.parse((await cli(['diff', '2027-Q1', '--store', store, '--json'])).stdout) as { resolved: unknown[] };
    expect(fiscal.period.start).toBe('2027-01-01');
    expect(fiscal.previousPeriod.id).toBe('FY2027-Q1');
    expect(fiscal.resolved).toEqual(calendar.resolved);
  });

  it('takes deadlines and the fiscal year start from report.config.yaml, as the report does; options beat it', async () => {
    const dir = await tempDir();
    const config = join(dir, 'report.config.yaml');
    await writeFile(config, 'fiscalYearStart: October\nremediationDeadlines: { critical: 7, low: 30 }\n');
    const fromFile = PeriodComparisonSchema.parse(JSON.parse((await cli(['diff', 'FY2027-Q2', '--config', config, '--store', store, '--json'])).stdout));
    expect(fromFile.period).toMatchObject({ id: 'FY2027-Q2', start: '2027-01-01' });
    expect(fromFile.remediation.deadlines).toEqual({ info: null, low: 30, medium: 90, high: 60, critical: 7 });
    // ./report.config.yaml is read without --config, like `tlsproof report` does.
    const byDefault = PeriodComparisonSchema.parse(JSON.parse((await cli(['diff', 'FY2027-Q2', '--store', store, '--json'], { cwd: dir })).stdout));
    expect(byDefault.remediation.deadlines.critical).toBe(7);
    const overridden = PeriodComparisonSchema.parse(JSON.parse((await cli(['diff', '2027-Q1', '--config', config, '--deadline', 'critical=15', '--fiscal-year-start', '1', '--store', store, '--json'])).stdout));
    expect(overridden.remediation.deadlines.critical).toBe(15);
    expect(overridden.period.id).toBe('2027-Q1');
  });

  it('explains bad arguments', async () => {
    expect(await cli(['diff', '--store', store])).toMatchObject({ code: 2, stderr: expect.stringContaining('needs one or two periods') });
    expect(await cli(['diff', '2027-Q5', '--store', store])).toMatchObject({ code: 2, stderr: expect.stringContaining('Use a quarter (2026-Q3)') });
    expect(await cli(['diff', '2027-Q1', '--deadline', 'urgent=3', '--store', store])).toMatchObject({ code: 2, stderr: expect.stringContaining('severity one of info, low, medium, high, critical') });
    expect(await cli(['diff', '2027-Q1', '--trend', '12', '--store', store])).toMatchObject({ code: 2, stderr: expect.stringContaining('from 4 to 8') });
    expect(await cli(['diff', '2027', '2027-Q1', '--store', store])).toMatchObject({ code: 2, stderr: expect.stringContaining('must end before Q1 2027 starts') });
    expect(await cli(['diff', 'FY2027', '--fiscal-year-start', '13', '--store', store])).toMatchObject({ code: 2, stderr: expect.stringContaining('is not a month') });
  });
});
