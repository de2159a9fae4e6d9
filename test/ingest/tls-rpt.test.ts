/**
 * TLS-RPT aggregate reports: the RFC 8460 §4.4 fields read into the model, gzip recognised by its
 * bytes, a report delivered twice counted once, and broken reports refused with file and field.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTlsRptFile, readTlsRptReports } from '../../src/ingest/tls-rpt.js';
import { ROOT } from './support.js';

const FIX = join(ROOT, 'test/fixtures/tls-rpt');
const at = (name: string) => ({ abs: join(FIX, name), file: `tls-rpt/${name}` });

describe('TLS-RPT reports', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tlsproof-tlsrpt-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a report: organisation, period, policy, session counts and failure details', async () => {
    const { reports, problems } = await readTlsRptFile(at('google-2026-09-14.json').abs, 'google.json');
    expect(problems).toEqual([]);
    expect(reports).toEqual([{
      reportId: '2026-09-14T00:00:00Z_example-health.test', organization: 'Google Inc.', contact: 'smtp-tls-reporting@google.com',
      start: '2026-09-14T00:00:00.000Z', end: '2026-09-14T23:59:59.000Z', file: 'google.json',
      policies: [{
        policyType: 'sts', policyDomain: 'example-health.test',
        policyStrings: ['version: STSv1', 'mode: enforce', 'mx: mx1.example-health.test', 'mx: mx2.example-health.test', 'max_age: 604800'],
        mxHosts: ['mx1.example-health.test', 'mx2.example-health.test'],
        successfulSessions: 4812, failedSessions: 37,
        failures: [
          { resultType: 'certificate-expired', failedSessionCount: 31, sendingMtaIp: '209.85.220.41', receivingMxHostname: 'mx2.example-health.test', receivingIp: '10.20.0.26' },
          { resultType: 'starttls-not-supported', failedSessionCount: 6, sendingMtaIp: '209.85.220.69', receivingMxHostname: 'mx2.example-health.test', receivingIp: '10.20.0.26' },
        ],
      }],
    }]);
  });

  it('recognises gzip by its bytes, whatever the attachment is called, and counts a report delivered twice once', async () => {
    const json = await readFile(at('microsoft-2026-09-14.json').abs);
    const gz = join(dir, 'microsoft.com!example-health.test!1789344000!1789430399.json.gz');
    await writeFile(gz, gzipSync(json));
    const renamed = join(dir, 'attachment.bin');
    await copyFile(gz, renamed);
    const out = await readTlsRptReports([
      { abs: gz, file: 'a/report.json.gz' }, at('google-2026-09-14.json'), { abs: renamed, file: 'b/attachment.bin' },
    ]);
    expect(out.reports.map((r) => `${r.organization} ${r.policies[0]!.successfulSessions}/${r.policies[0]!.failedSessions}`))
      .toEqual(['Microsoft Corporation 1290/0', 'Google Inc. 4812/37']);
    expect(out.problems).toEqual([{
      file: 'b/attachment.bin', code: 'duplicate-report', effect: 'file-skipped',
      message: 'report-id "133712345678901234+example-health.test" from Microsoft Corporation was already read from a/report.json.gz; counted once',
    }]);
  });

  it.each([
    ['bad-negative-count.json', 'bad-report', /policies\[0\]\.summary\.total-failure-session-count: .*(>=|greater|non-?negative|too small)/i],
    ['bad-dates.json', 'bad-report', /date-range\.end-datetime \(2026-09-14T00:00:00\.000Z\) is before date-range\.start-datetime/],
    ['bad-truncated.json', 'bad-json', /not valid JSON/],
  ])('refuses %s naming the field at fault', async (name, code, message) => {
    const { reports, problems } = await readTlsRptFile(at(name).abs, name);
    expect(reports).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: name, code, effect: 'file-skipped' });
    expect(problems[0]!.message).toMatch(message);
  });

  it('keeps a report whose failure details add up to more than its total, and says so', async () => {
    const text = (await readFile(at('google-2026-09-14.json').abs, 'utf8')).replace('"total-failure-session-count":37', '"total-failure-session-count":30');
    const p = join(dir, 'sum.json');
    await writeFile(p, text);
    const out = await readTlsRptFile(p, 'sum.json');
    expect(out.reports[0]?.policies[0]?.failedSessions).toBe(30);
    expect(out.problems).toEqual([expect.objectContaining({ code: 'inconsistent-counts', effect: 'value-ignored',
      message: expect.stringMatching(/^policies\[0\]: failure-details count 37 failed sessions, more than summary\.total-failure-session-count 30/) })]);
  });

  it('refuses a wrong date format and gzip that expands without bound', async () => {
    const text = (await readFile(at('microsoft-2026-09-14.json').abs, 'utf8')).replace('"2026-09-14T00:00:00Z"', '"14/09/2026"');
    const p = join(dir, 'date.json');
    await writeFile(p, text);
    const bad = await readTlsRptFile(p, 'date.json');
    expect(bad.problems[0]?.message).toMatch(/date-range\.start-datetime: is not an RFC 3339 date-time/);
    const bomb = join(dir, 'bomb.json.gz');
    await writeFile(bomb, gzipSync(Buffer.alloc(65 * 1024 * 1024, 0x20)));
    const out = await readTlsRptFile(bomb, 'bomb.json.gz');
    expect(out.problems[0]).toMatchObject({ code: 'too-large', effect: 'file-skipped' });
  });
});
